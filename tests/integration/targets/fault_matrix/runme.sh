#!/usr/bin/env bash
# The fault matrix, in process: every case of cases.yml through the customer_info module, and every
# endpoint case through each module of the newer endpoints (endpoint_tools), each case the module's
# main() in a forked process of its own, many at once (run_in_process.py). The client's reaction to
# a fault does not depend on ansible-core, so this target runs on one line (alias `once`, see
# tools/test-matrix); what ansible-playbook adds is fault_matrix_playbooks, on every line.
# collect.py checks the outcome, the message, the time and the request count of every run and writes
# fault_matrix.json (docs/reliability.md is made from it by tools/reliability_report.py). Then
# everything the runs left is searched for the private key: their results and return values, the
# limiter's files and the simulators' logs.
set -eu
source common.sh
# customer_info for the matrix cases, then every tool of endpoint_tools, as cases.yml lists them.
mapfile -t in_process < <("$SIM_PYTHON" -c 'import sys, yaml; print("customer_info"); print("\n".join(yaml.safe_load(open(sys.argv[1]))["endpoint_tools"]))' \
    "$MATRIX_CASES")
refused_port="$(free_port)"
matrix_start "${in_process[@]}"

echo "== every case through the ${in_process[*]} modules, in process"
started=$SECONDS
PYTHONPATH="$COLLECTION_ROOT${PYTHONPATH:+:$PYTHONPATH}" "$SIM_PYTHON" run_in_process.py "$MATRIX_CASES" "$OUTPUT_DIR" \
    "$refused_port" "${in_process[@]}"
runs=()
for tool in "${in_process[@]}"; do runs+=("$tool=$OUTPUT_DIR/returned-$tool.json"); done
matrix_collect fault_matrix "$((SECONDS - started))" "${runs[@]}"
