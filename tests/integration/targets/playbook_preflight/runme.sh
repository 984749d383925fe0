#!/usr/bin/env bash
# The playbook byteful.proxy.preflight through real ansible-playbook runs against the simulator
# (six runs): alone as a CI step with its JSON report; imported in front of a fleet play of 60
# hosts under --tags, with the account and every check read in the fleet play at no second API
# call and the role's arguments validated once; a failed gate that ends the run with exit code 2
# and a PLAY RECAP of one failed gate and no fleet host; --limit leaving out localhost, which
# stops the run instead of skipping the gate; and a threshold in the fleet group's variables,
# which the gate on localhost cannot see; a switch that is no boolean, which ends in the role's
# sentence. Every run is at -vvvv and searched for the key.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start

hosts="$OUTPUT_DIR/fleet.ini"
{ echo "[fleet]"; for i in $(seq -w 1 60); do echo "node$i"; done
  echo "[fleet:vars]"; echo "ansible_connection=local"; echo "ansible_python_interpreter=${ANSIBLE_TEST_PYTHON_INTERPRETER}"; } > "$hosts"
export BYTEFUL_API_URL="$BYTEFUL_SIM_URL" BYTEFUL_API_PRIVATE_KEY="$BYTEFUL_SIM_PRIVATE_KEY"
report="$OUTPUT_DIR/byteful-preflight.json"
log() { echo "$OUTPUT_DIR/playbook-$SIM_RUN.log"; }

expect_recap() {  # EXPECTED-REGEX WHY: the recap's lines for its hosts, joined, must match
    local lines
    lines="$(sed -n '/^PLAY RECAP/,$p' "$(log)" | grep -E '^[^ ]+ +: ok=' | tr -s ' ' | sed 's/ $//' | paste -sd '|')"
    if ! grep -Eq -- "^$1\$" <<<"$lines"; then
        echo "FAIL: PLAY RECAP was '$lines', expected /^$1\$/ ($2)" >&2
        return 1
    fi
    echo "ok: PLAY RECAP $lines ($2)"
}

exit_code() {  # EXPECTED ansible-playbook arguments...: run at -vvvv, the exit code must be EXPECTED
    local expected="$1" status=0
    shift
    SIM_RUN=$((SIM_RUN + 1))
    ansible-playbook -vvvv -e "ansible_python_interpreter=$SIM_PYTHON" "$@" >"$(log)" 2>&1 || status=$?
    sim_assert_no_key "$(log)"
    if [ "$status" -ne "$expected" ]; then
        tail -n 60 "$(log)"
        echo "FAIL: ansible-playbook $* exited $status, expected $expected (full output: $(log))" >&2
        return 1
    fi
    echo "ok: exit code $status"
}

report_says() {  # PYTHON-EXPRESSION over the report as `r`
    "$SIM_PYTHON" - "$report" "$1" <<'PY'
import json, os, stat, sys
r = json.load(open(sys.argv[1]))
assert stat.S_IMODE(os.stat(sys.argv[1]).st_mode) == 0o600, "the report is not mode 0600"
assert eval(sys.argv[2]), "the report %r does not satisfy %s" % (r, sys.argv[2])
PY
    echo "ok: the report says $1"
}

echo "== 1. alone, as a CI step: no inventory, variables from a file, a JSON report"
sim_reset
BYTEFUL_API_PUBLIC_KEY=healthy exit_code 0 byteful.proxy.preflight -e @thresholds.yml -e "byteful_preflight_report_path=$report"
sim_expect_requests 2 "the customer and one proxy-user search"
expect_recap 'localhost : ok=[0-9]+ changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0' "the gate alone"
report_says 'r["passed"] is True and r["account"] == 1955 and {"credit_balance", "proxy_user_headroom"} <= {c["name"] for c in r["checks"]}'

echo "== 2. imported in front of the fleet's play, under --tags deploy: the gate runs all the same"
sim_reset
BYTEFUL_API_PUBLIC_KEY=healthy exit_code 0 site.yml -i "$hosts" -f 10 -e "report_path=$report" --tags deploy
sim_expect_requests 2 "60 hosts read the account and the checks from localhost, and a lookup, at no second call"
provisioned="$(grep -c '"msg": "Provisioning would start here for node' "$(log)" || true)"
[ "$provisioned" -eq 60 ] || { echo "FAIL: $provisioned fleet hosts of 60 went on to provision" >&2; exit 1; }
validations="$(grep -cE "^(ok|changed|fatal): \[[^]]+\].*" <(sed -n "/Validating arguments against arg spec 'main'/,/^TASK/p" "$(log)"))"
[ "$validations" -eq 1 ] || { echo "FAIL: the role's arguments were validated $validations times, not once" >&2; exit 1; }
echo "ok: the role's arguments were validated once, for localhost"

echo "== 3. the same playbook, a low-credit account: exit code 2, one failed gate, no fleet host in the recap"
sim_reset
rm -f "$report"
BYTEFUL_API_PUBLIC_KEY=low_credit exit_code 2 site.yml -i "$hosts" -f 10 -e "report_path=$report"
# shellcheck disable=SC2016 # a regular expression: its $ are dollars, not expansions
grep -Eq 'Preflight failed for Byteful account 1955: credit balance \$0\.12 is below the required \$10\.00; residential data 1\.0 MiB' "$(log)"
expect_recap 'localhost : ok=[0-9]+ changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0' "the failed gate, and no fleet host"
if grep -qE 'PLAY \[Provision the fleet\]|Provisioning would start here for' "$(log)"; then
    echo "FAIL: the fleet's play started after a failed gate" >&2
    exit 1
fi
sim_expect_requests 2 "one read of the account and the proxy users"
report_says 'r["passed"] is False and r["account"] == 1955'

echo "== 4. --limit without localhost: the run stops instead of skipping the gate"
sim_reset
BYTEFUL_API_PUBLIC_KEY=healthy exit_code 2 site.yml -i "$hosts" -f 10 -e "report_path=$report" --limit fleet
grep -q "The Byteful preflight did not run: --limit fleet leaves out localhost, where byteful.proxy.preflight runs its gate, so nothing was checked; add localhost to the limit (--limit 'fleet,localhost')." "$(log)"
expect_recap 'node01 : ok=0 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0' "the first fleet host stops the run"
sim_expect_requests 0 "the gate did not run"
if grep -q 'Provisioning would start here for' "$(log)"; then
    echo "FAIL: the fleet was provisioned without the gate" >&2
    exit 1
fi

echo "== 5. a threshold in the fleet group's variables, which localhost never sees: refused before any API call"
sim_reset
mkdir -p "$OUTPUT_DIR/inventory/group_vars"
cp "$hosts" "$OUTPUT_DIR/inventory/hosts.ini"
echo "byteful_preflight_min_credit_balance: 1000" > "$OUTPUT_DIR/inventory/group_vars/fleet.yml"
BYTEFUL_API_PUBLIC_KEY=low_credit exit_code 2 byteful.proxy.preflight -i "$OUTPUT_DIR/inventory"
grep -q "The inventory sets byteful_preflight_min_credit_balance for node01 but not for localhost, where byteful.proxy.preflight runs its gate, so that check would be off; " "$(log)"
sim_expect_requests 0 "refused before the account is read"

echo "== 6. a byteful_preflight_enabled that is no boolean: the role's one sentence, not ansible-core's argument dump"
sim_reset
BYTEFUL_API_PUBLIC_KEY=healthy exit_code 2 byteful.proxy.preflight -e byteful_preflight_enabled=ture
grep -q "byteful_preflight_enabled must be true or false, got 'ture'." "$(log)"
if grep -q "argument_spec_data\|Validation of arguments failed" "$(log)"; then
    echo "FAIL: ansible-core's argument validation answered the switch before the role's sentence" >&2
    exit 1
fi
sim_expect_requests 0 "refused before the account is read"

sim_audit_logs
