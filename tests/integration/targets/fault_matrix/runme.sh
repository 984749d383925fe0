#!/usr/bin/env bash
# The fault matrix: every case of cases.yml through the customer_info module, the customer
# lookup and the preflight role, one ansible-playbook run each at -vvvv, the three at once
# (each tool with its own copies of the accounts); then every endpoint case through each module
# of the newer endpoints (endpoint_tools: service_info, usage_info for each product,
# proxy_user_info, checkout_quote), the fault on that endpoint's route alone. collect.py checks the
# outcome, the message, the time and the request count of every run and writes
# fault_matrix.json (docs/reliability.md is made from it by tools/reliability_report.py). Then
# everything the runs left is searched for the private key: their complete output, the records,
# the lookup's cache files and the simulators' logs.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start
sim_start_tls

# The shared limiter's per-account files (plugins/module_utils/_limiter.py) under OUTPUT_DIR too,
# so that the leak audit searches them.
mkdir -p "$OUTPUT_DIR/runtime"
chmod 0700 "$OUTPUT_DIR/runtime"
export XDG_RUNTIME_DIR="$OUTPUT_DIR/runtime"

# A port where nothing listens: bound, then released.
refused_port="$("$SIM_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
tools=(module lookup role)
endpoint_tools=(service_info usage_info usage_info_mobile proxy_user_info checkout_quote)
"$SIM_PYTHON" accounts.py cases.yml "$BYTEFUL_SIM_TLS_CA" "$BYTEFUL_SIM_CONTROL_URL" "$BYTEFUL_SIM_TLS_CONTROL_URL" \
    "${tools[@]}" "${endpoint_tools[@]}"

run_tool() {  # TOOL LOG-NUMBER: the matrix through one tool, in one ansible-playbook run
    local tool="$1"
    # shellcheck disable=SC2034 # read by sim_playbook: this subshell's own log, playbook-<N+1>.log
    SIM_RUN="$2"
    # The run's temporary directory (and so the lookup's cache) under OUTPUT_DIR, to audit it.
    mkdir -p "$OUTPUT_DIR/local-temp-$tool" "$OUTPUT_DIR/cache-$tool"
    ANSIBLE_LOCAL_TEMP="$OUTPUT_DIR/local-temp-$tool" sim_playbook matrix.yml -i localhost, -c local \
        -e "tool=$tool" -e "refused_port=$refused_port" -e "results_file=$OUTPUT_DIR/results-$tool.json" \
        -e "local_temp=$OUTPUT_DIR/local-temp-$tool" -e "cache_copy=$OUTPUT_DIR/cache-$tool"
}

run_at_once() {  # FIRST-LOG-NUMBER TOOL...: the matrix through each tool, all at once; adds to runs
    local first="$1" index pids=() status=0
    shift
    local group=("$@")
    for index in "${!group[@]}"; do
        run_tool "${group[$index]}" "$((first + index))" &
        pids+=("$!")
        runs+=("${group[$index]}=$OUTPUT_DIR/playbook-$((first + index + 1)).log")
    done
    for index in "${!pids[@]}"; do
        wait "${pids[$index]}" || status=1
    done
    return "$status"
}

# The tools of a group at once: most of the matrix's time is waiting out backoffs and timeouts,
# which overlap; each tool has its own copy of every account (accounts.py). The endpoint tools
# come second, so that no more than five playbooks compete for the CPUs.
sim_reset
sim_control POST reset "$BYTEFUL_SIM_TLS_CONTROL_URL" "$BYTEFUL_SIM_TLS_CA" >/dev/null
started=$SECONDS
runs=()
status=0
echo "== the fault matrix through the ${tools[*]}, at once"
run_at_once 0 "${tools[@]}" || status=1
echo "== the endpoint cases through the ${endpoint_tools[*]}, at once"
run_at_once "${#tools[@]}" "${endpoint_tools[@]}" || status=1
seconds=$((SECONDS - started))
[ "$status" -eq 0 ] || { echo "FAIL: a run of the matrix failed (see above)" >&2; exit 1; }
sim_control GET stats >"$OUTPUT_DIR/stats.json"
sim_control GET stats "$BYTEFUL_SIM_TLS_CONTROL_URL" "$BYTEFUL_SIM_TLS_CA" >"$OUTPUT_DIR/stats-tls.json"

echo "== every run against its case"
PYTHONPATH="${ANSIBLE_COLLECTIONS_PATH%%:*}${PYTHONPATH:+:$PYTHONPATH}" "$SIM_PYTHON" collect.py cases.yml "$OUTPUT_DIR" "$seconds" "${runs[@]}"

# OUTPUT_DIR is emptied for the next target: keep the results beside ansible-test's own data.
data_dir="$(dirname "$JUNIT_OUTPUT_DIR")/data"
mkdir -p "$data_dir"
cp "$OUTPUT_DIR/fault_matrix.json" "$data_dir/fault_matrix.json"
echo "results: $data_dir/fault_matrix.json"

sim_audit_logs
