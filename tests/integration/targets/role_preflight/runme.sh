#!/usr/bin/env bash
# The preflight role through real ansible-playbook runs against the simulator: each threshold
# passing and failing, human sizes, the skip switch, warn-only mode, check mode, the facts on
# every host, and one API call per run whatever the number of hosts. Every run is at -vvvv and
# its output is searched for the private key.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start

hosts="$OUTPUT_DIR/proxies.ini"
{ echo "[proxies]"; for i in $(seq -w 1 60); do echo "proxy$i"; done
  echo "[proxies:vars]"; echo "ansible_connection=local"; echo "ansible_python_interpreter=${ANSIBLE_TEST_PYTHON_INTERPRETER}"; } > "$hosts"
export BYTEFUL_API_URL="$BYTEFUL_SIM_URL" BYTEFUL_API_PRIVATE_KEY="$BYTEFUL_SIM_PRIVATE_KEY"
run=(-i "$hosts" -f 10)

echo "== every threshold passing and failing, sizes, services, warn-only, bad inputs"
sim_reset
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook role_cases.yml -i 'localhost,' -c local

echo "== a healthy account: 60 hosts, forks 10, one API call, the facts on every host"
sim_reset
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook gate.yml "${run[@]}" -e expect_passed=true
sim_expect_requests 1 "one call for 60 hosts"

echo "== the same in check mode"
sim_reset
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook gate.yml "${run[@]}" -e expect_passed=true --check
sim_expect_requests 1 "one call in check mode"

echo "== a low-credit account: the play fails once, for every host, with one message"
sim_reset
# shellcheck disable=SC2016 # a regular expression: its $ are dollars, not expansions
BYTEFUL_API_PUBLIC_KEY=low_credit sim_playbook_fails \
    'Preflight failed for Byteful account 1955: credit balance \$0\.12 is below the required \$10\.00; residential data 1\.0 MiB is below the required 5\.0 GiB\.' \
    gate.yml "${run[@]}" -e expect_passed=false
if grep -q 'Provisioning would start here' "$OUTPUT_DIR/playbook-$SIM_RUN.log"; then
    echo "FAIL: a host went on to provision after the preflight failed" >&2
    exit 1
fi
sim_expect_requests 1 "one call for the failing run"

echo "== warn-only: the same account passes the play with a warning"
sim_reset
BYTEFUL_API_PUBLIC_KEY=low_credit sim_playbook gate.yml "${run[@]}" -e expect_passed=false -e byteful_preflight_fail=false
grep -q '\[WARNING\]: Preflight failed for Byteful account 1955' "$OUTPUT_DIR/playbook-$SIM_RUN.log"

echo "== skipped: no API call at all"
sim_reset
BYTEFUL_API_PUBLIC_KEY=low_credit sim_playbook skipped.yml "${run[@]}"
sim_expect_requests 0 "the role is switched off"

echo "== the API failing: the play fails with the client's sentence, not as passed"
BYTEFUL_API_PUBLIC_KEY=healthy BYTEFUL_API_PRIVATE_KEY=wrong-key-for-the-audit sim_playbook_fails \
    'failed with HTTP 401 \(Unauthorized: Invalid API key or secret\.; request id [^)]+\); check api_public_key and api_private_key' \
    gate.yml "${run[@]}" -e expect_passed=false
sim_assert_no_key "$OUTPUT_DIR/playbook-$SIM_RUN.log" || exit 1
if grep -qF wrong-key-for-the-audit "$OUTPUT_DIR/playbook-$SIM_RUN.log"; then
    echo "FAIL: the wrong private key appears in the output" >&2
    exit 1
fi

sim_audit_logs
