# shellcheck shell=bash
# Sourced by the runme.sh integration targets (alias needs/target/setup_byteful_simulator):
# starts one Byteful simulator for the script's lifetime and runs playbooks at -vvvv, failing
# when the private key shows up in their output.

SIM_PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}"
# ansible-test points ANSIBLE_COLLECTIONS_PATH at the tree it runs from.
SIM_SCRIPT="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/byteful/proxy/tests/simulator"
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

sim_start_tls() {
    # A second simulator, on HTTPS with a self-signed certificate made at start (after sim_start:
    # same key). The certificate is written to $BYTEFUL_SIM_TLS_CA for ca_path.
    BYTEFUL_SIM_TLS_CA="$SIM_OUTPUT/simulator-ca.pem"
    BYTEFUL_SIM_TLS_URL="$("$SIM_PYTHON" "$SIM_SCRIPT" --daemon --idle-timeout 900 --tls-cert-file "$BYTEFUL_SIM_TLS_CA" \
        --pid-file "$SIM_OUTPUT/simulator-tls.pid" --log-file "$SIM_OUTPUT/simulator-tls.log")"
    BYTEFUL_SIM_TLS_CONTROL_URL="${BYTEFUL_SIM_TLS_URL%/1.0}/_sim"
    export BYTEFUL_SIM_TLS_CA BYTEFUL_SIM_TLS_URL BYTEFUL_SIM_TLS_CONTROL_URL
    echo "TLS simulator at $BYTEFUL_SIM_TLS_URL"
}

sim_stop() {
    rm -f "$SIM_SECRETS_FILE"
    # Waits until each simulator is gone: one still writing its log or removing its pid file
    # while ansible-test empties OUTPUT_DIR makes that removal fail ("Directory not empty").
    local pid_file pid tries
    for pid_file in "$SIM_OUTPUT/simulator.pid" "$SIM_OUTPUT/simulator-tls.pid"; do
        [ -f "$pid_file" ] || continue
        pid="$(cat "$pid_file")"
        kill "$pid" 2>/dev/null || continue
        for tries in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "simulator $pid did not stop within 10 s of SIGTERM ($tries checks); killing it" >&2
            kill -9 "$pid" 2>/dev/null || true
        fi
    done
}

sim_control() {  # METHOD PATH [CONTROL_URL CA_FILE]: call a control API (the HTTP simulator's by default), print the JSON answer
    "$SIM_PYTHON" - "$1" "${3:-$BYTEFUL_SIM_CONTROL_URL}/$2" "${4:-}" <<'PY'
import ssl, sys, urllib.request
context = ssl.create_default_context(cafile=sys.argv[3]) if sys.argv[3] else None
request = urllib.request.Request(sys.argv[2], method=sys.argv[1], data=b"{}" if sys.argv[1] != "GET" else None,
                                 headers={"Content-Type": "application/json"})
print(urllib.request.urlopen(request, timeout=10, context=context).read().decode())
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

# Other secrets no output may hold, in any case: every password the simulator's accounts hold (read from its
# data files: --list-secrets) and those the target adds with sim_add_secret (the passwords its tasks set). They
# are kept in a file outside OUTPUT_DIR, which the audits search, and looked for in one pass (grep -f).
SIM_SECRETS_FILE="$(mktemp)"
"$SIM_PYTHON" "$SIM_SCRIPT" --list-secrets > "$SIM_SECRETS_FILE"
sim_add_secret() {  # SECRET...
    printf '%s\n' "$@" >> "$SIM_SECRETS_FILE"
}

sim_assert_no_key() {  # FILE...: neither the private key nor any of the other secrets in them
    if grep -rlF -- "$BYTEFUL_SIM_PRIVATE_KEY" "$@"; then
        echo "FAIL: the private key appears in the files above" >&2
        return 1
    fi
    if grep -rliF -f "$SIM_SECRETS_FILE" -- "$@"; then
        echo "FAIL: a secret (a proxy-user password or proxy credential) appears in the files above" >&2
        return 1
    fi
}

sim_audit_logs() {  # [FILE-NAME...]: everything the target left (playbook outputs, rendered files, the simulator's
    # log); the files named may hold the other secrets on purpose (a rendered proxy list), never the private key
    local excluded=() file
    for file in "$@"; do excluded+=(--exclude "$file"); done
    if grep -rlF -- "$BYTEFUL_SIM_PRIVATE_KEY" "$SIM_OUTPUT"; then
        echo "FAIL: the private key appears in the files above" >&2
        return 1
    fi
    if grep -rliF "${excluded[@]}" -f "$SIM_SECRETS_FILE" -- "$SIM_OUTPUT"; then
        echo "FAIL: a secret (a proxy-user password or proxy credential) appears in the files above" >&2
        return 1
    fi
    echo "ok: the private key and $(sort -u "$SIM_SECRETS_FILE" | grep -c .) other secret(s) appear nowhere under $SIM_OUTPUT${1:+ (but in $*, on purpose)}"
}
