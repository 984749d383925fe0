#!/usr/bin/env bash
# The fault matrix through ansible-playbook, on every ansible-core line: the cases of
# ../fault_matrix/cases.yml marked `playbook: true` through the customer_info module, the customer
# lookup and the preflight role (matrix.yml, one run each at -vvvv, the three at once). Every case
# runs in process too (the fault_matrix target, with every endpoint case through each module of the
# newer endpoints, which their own targets run through ansible-playbook); these are the ones where
# the tool's own handling is what is tested. collect.py judges every run and writes
# fault_matrix_playbooks.json; then
# everything the runs left is searched for the private key: their complete output, the lookup's
# cache files, the limiter's files and the simulators' logs.
set -eu
cd ../fault_matrix
source common.sh
cd - >/dev/null
tools=(module lookup role)
refused_port="$(free_port)"
matrix_start "${tools[@]}"

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

# Most of the time is waiting out backoffs and timeouts, which overlap: the tools run at once,
# each case with its own copy of its account.
started=$SECONDS
runs=()
status=0
echo "== the playbook cases through the ${tools[*]}, at once"
run_at_once 0 "${tools[@]}" || status=1
[ "$status" -eq 0 ] || { echo "FAIL: a run of the matrix failed (see above)" >&2; exit 1; }
matrix_collect fault_matrix_playbooks "$((SECONDS - started))" "${runs[@]}"
