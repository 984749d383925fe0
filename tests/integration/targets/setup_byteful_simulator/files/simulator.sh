# shellcheck shell=bash
# Sourced by the runme.sh integration targets (alias needs/target/setup_byteful_simulator):
# starts one Byteful simulator for the script's lifetime and runs playbooks at -vvvv, failing
# when the private key shows up in their output.

SIM_PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
# ansible-test points ANSIBLE_COLLECTIONS_PATH at the tree it runs from.
SIM_SCRIPT="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/byteful/proxy/tests/simulator/byteful_simulator.py"
SIM_OUTPUT="${OUTPUT_DIR:?OUTPUT_DIR is set by ansible-test}"

sim_start() {
    # A fresh random key per run: any occurrence of it in output is a leak, never a coincidence.
    BYTEFUL_SIM_PRIVATE_KEY="sim-$("$SIM_PYTHON" -c 'import secrets; print(secrets.token_hex(16))')"
    export BYTEFUL_SIM_PRIVATE_KEY
    BYTEFUL_SIM_URL="$("$SIM_PYTHON" "$SIM_SCRIPT" --daemon --idle-timeout 900 \
        --pid-file "$SIM_OUTPUT/simulator.pid" --log-file "$SIM_OUTPUT/simulator.log")"
    BYTEFUL_SIM_CONTROL_URL="${BYTEFUL_SIM_URL%/1.0}/_sim"
    export BYTEFUL_SIM_URL BYTEFUL_SIM_CONTROL_URL
    trap sim_stop EXIT
    echo "simulator at $BYTEFUL_SIM_URL"
}

sim_stop() {
    if [ -f "$SIM_OUTPUT/simulator.pid" ]; then
        kill "$(cat "$SIM_OUTPUT/simulator.pid")" 2>/dev/null || true
    fi
}

sim_control() {  # METHOD PATH: call the control API, print the JSON answer
    "$SIM_PYTHON" - "$1" "$BYTEFUL_SIM_CONTROL_URL/$2" <<'PY'
import sys, urllib.request
request = urllib.request.Request(sys.argv[2], method=sys.argv[1], data=b"{}" if sys.argv[1] != "GET" else None,
                                 headers={"Content-Type": "application/json"})
print(urllib.request.urlopen(request, timeout=10).read().decode())
PY
}

sim_reset() {
    sim_control POST reset >/dev/null
}

sim_requests() {
    sim_control GET stats | "$SIM_PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["requests"])'
}

sim_expect_requests() {  # N WHY
    local got
    got="$(sim_requests)"
    if [ "$got" != "$1" ]; then
        echo "FAIL: the simulator served $got API requests, expected $1 ($2)" >&2
        return 1
    fi
    echo "ok: $got API request(s): $2"
}

SIM_RUN=0
sim_playbook() {  # ansible-playbook arguments...: run at -vvvv, keep the output, check it for the key
    SIM_RUN=$((SIM_RUN + 1))
    local log="$SIM_OUTPUT/playbook-$SIM_RUN.log" status=0
    ansible-playbook -vvvv -e "ansible_python_interpreter=$SIM_PYTHON" "$@" >"$log" 2>&1 || status=$?
    sim_assert_no_key "$log"
    if [ "$status" -ne 0 ]; then
        tail -n 80 "$log"
        echo "FAIL: ansible-playbook $* exited $status (full output: $log)" >&2
        return "$status"
    fi
    grep -A100 '^PLAY RECAP' "$log" | grep -v '^$' | tail -n 5
}

sim_playbook_fails() {  # EXPECTED-REGEX ansible-playbook arguments...: the run must fail with that message
    local expected="$1" status=0
    shift
    SIM_RUN=$((SIM_RUN + 1))
    local log="$SIM_OUTPUT/playbook-$SIM_RUN.log"
    ansible-playbook -vvvv -e "ansible_python_interpreter=$SIM_PYTHON" "$@" >"$log" 2>&1 || status=$?
    sim_assert_no_key "$log"
    if [ "$status" -eq 0 ] || ! grep -Eq -- "$expected" "$log"; then
        tail -n 80 "$log"
        echo "FAIL: expected ansible-playbook $* to fail with /$expected/, exit was $status" >&2
        return 1
    fi
    grep -E -m1 -o -- "$expected" "$log"
}

sim_assert_no_key() {  # FILE...
    if grep -rlF -- "$BYTEFUL_SIM_PRIVATE_KEY" "$@"; then
        echo "FAIL: the private key appears in the files above" >&2
        return 1
    fi
}

sim_audit_logs() {
    # Everything the target left: playbook outputs, rendered files, the simulator's log.
    sim_assert_no_key "$SIM_OUTPUT"
    echo "ok: the private key appears nowhere under $SIM_OUTPUT"
}
