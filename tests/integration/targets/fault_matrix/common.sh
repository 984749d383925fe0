# shellcheck shell=bash
# Sourced by the runme.sh of fault_matrix and fault_matrix_playbooks, from their own directory:
# starts the two simulators (HTTP and HTTPS), keeps the shared limiter's files under OUTPUT_DIR
# for the leak audit and gives every run its own copy of its account (accounts.py TOOL...);
# free_port names a port where nothing listens. Then matrix_collect judges the runs (collect.py) and keeps the results.
# shellcheck source=../setup_byteful_simulator/files/simulator.sh
source ../setup_byteful_simulator/files/simulator.sh
MATRIX_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MATRIX_CASES="$MATRIX_DIR/cases.yml"
COLLECTION_ROOT="${ANSIBLE_COLLECTIONS_PATH%%:*}"

free_port() {  # a port where nothing listens: bound, then released
    "$SIM_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

matrix_start() {  # TOOL...: the simulators, the limiter's directory, the account copies
    sim_start
    sim_start_tls
    mkdir -p "$OUTPUT_DIR/runtime"
    chmod 0700 "$OUTPUT_DIR/runtime"
    export XDG_RUNTIME_DIR="$OUTPUT_DIR/runtime"
    "$SIM_PYTHON" "$MATRIX_DIR/accounts.py" "$MATRIX_CASES" "$BYTEFUL_SIM_TLS_CA" "$BYTEFUL_SIM_CONTROL_URL" \
        "$BYTEFUL_SIM_TLS_CONTROL_URL" "$@"
    sim_reset
    sim_control POST reset "$BYTEFUL_SIM_TLS_CONTROL_URL" "$BYTEFUL_SIM_TLS_CA" >/dev/null
}

matrix_collect() {  # NAME SECONDS TOOL=OUTPUT...: judge every run, keep NAME.json beside ansible-test's data, audit
    local name="$1" seconds="$2" data_dir
    shift 2
    sim_control GET stats >"$OUTPUT_DIR/stats.json"
    sim_control GET stats "$BYTEFUL_SIM_TLS_CONTROL_URL" "$BYTEFUL_SIM_TLS_CA" >"$OUTPUT_DIR/stats-tls.json"
    echo "== every run against its case"
    PYTHONPATH="$COLLECTION_ROOT${PYTHONPATH:+:$PYTHONPATH}" "$SIM_PYTHON" "$MATRIX_DIR/collect.py" "$MATRIX_CASES" "$OUTPUT_DIR" \
        "$name" "$seconds" "$@"
    # OUTPUT_DIR is emptied for the next target: keep the results beside ansible-test's own data.
    data_dir="$(dirname "$JUNIT_OUTPUT_DIR")/data"
    mkdir -p "$data_dir"
    cp "$OUTPUT_DIR/$name.json" "$data_dir/$name.json"
    echo "results: $data_dir/$name.json"
    sim_audit_logs
}
