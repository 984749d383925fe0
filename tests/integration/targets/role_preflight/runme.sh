#!/usr/bin/env bash
# The preflight role through real ansible-playbook runs against the simulator: each threshold
# passing and failing, human sizes, the skip switch, warn-only mode, check mode, the facts on
# every host, one API call per run whatever the number of hosts, the typo guard, the warning
# when nothing is checked, messages in the user's own names, and preflight_check as a module.
# Every run is at -vvvv and its output is searched for the private key.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start

hosts="$OUTPUT_DIR/proxies.ini"
{ echo "[proxies]"; for i in $(seq -w 1 60); do echo "proxy$i"; done
  echo "[proxies:vars]"; echo "ansible_connection=local"; echo "ansible_python_interpreter=${ANSIBLE_TEST_PYTHON_INTERPRETER}"
  # Variables of the users' own, some under byteful_: no run of the role may take them for misspelt settings.
  echo "api_timeout=30"; echo "api_url=https://cmdb.example.com/api"; echo "byteful_proxy_url=http://gw.byteful.com:8080"
  echo "byteful_username=scraper"; echo "byteful_enabled=true"; echo "byteful_url=https://dashboard.byteful.com"; } > "$hosts"
export BYTEFUL_API_URL="$BYTEFUL_SIM_URL" BYTEFUL_API_PRIVATE_KEY="$BYTEFUL_SIM_PRIVATE_KEY"
# Many hosts only where their number is what is tested; elsewhere three, whose per-host role
# argument validation costs little.
many=(-i "$hosts" -f 10)
run=(-i "$hosts" -f 10 --limit 'proxies[0:2]')

echo "== every threshold passing and failing, sizes, services, warn-only, bad inputs"
sim_reset
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook role_cases.yml -i 'localhost,' -c local

echo "== a healthy account: 60 hosts, forks 10, one API call, the facts on every host"
sim_reset
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook gate.yml "${many[@]}" -e expect_passed=true
sim_expect_requests 1 "one call for 60 hosts"
if grep -q 'sets no threshold' "$OUTPUT_DIR/playbook-$SIM_RUN.log"; then
    echo "FAIL: the role warned that nothing is checked while thresholds are set" >&2
    exit 1
fi

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
if grep -q 'customer_email_address' "$OUTPUT_DIR/playbook-$SIM_RUN.log"; then
    echo "FAIL: the failed result prints the account holder's details" >&2
    exit 1
fi
if grep -E '^fatal: .*"(checks|summary)"' "$OUTPUT_DIR/playbook-$SIM_RUN.log"; then
    echo "FAIL: the fatal: line prints every check, not the one sentence" >&2
    exit 1
fi

echo "== warn-only: the same account passes the play with a warning"
sim_reset
BYTEFUL_API_PUBLIC_KEY=low_credit sim_playbook gate.yml "${run[@]}" -e expect_passed=false -e byteful_preflight_fail=false
grep -q '\[WARNING\]: Preflight failed for Byteful account 1955' "$OUTPUT_DIR/playbook-$SIM_RUN.log"

echo "== skipped: no API call at all"
sim_reset
BYTEFUL_API_PUBLIC_KEY=low_credit sim_playbook skipped.yml "${run[@]}"
sim_expect_requests 0 "the role is switched off"

no_lookup_wrapping() {  # the role's failures read as the collection's sentence, not Ansible's lookup wrapping
    if grep -E 'Finalization of task args|The lookup plugin' "$OUTPUT_DIR/playbook-$SIM_RUN.log"; then
        echo "FAIL: the failure above is wrapped in Ansible's lookup message" >&2
        return 1
    fi
}

echo "== the API failing: the play fails with the client's sentence, naming where the keys came from"
BYTEFUL_API_PUBLIC_KEY=healthy BYTEFUL_API_PRIVATE_KEY=wrong-key-for-the-audit sim_playbook_fails \
    'Retrieving the Byteful customer at [^ ]+ failed with HTTP 401 \(Unauthorized: Invalid API key or secret; request id [^)]+\); check BYTEFUL_API_PUBLIC_KEY and BYTEFUL_API_PRIVATE_KEY\.$' \
    gate.yml "${run[@]}" -e expect_passed=false
no_lookup_wrapping
sim_assert_no_key "$OUTPUT_DIR/playbook-$SIM_RUN.log" || exit 1
if grep -qF wrong-key-for-the-audit "$OUTPUT_DIR/playbook-$SIM_RUN.log"; then
    echo "FAIL: the wrong private key appears in the output" >&2
    exit 1
fi

echo "== a wrong key set as a role variable is named as that variable"
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook_fails \
    'failed with HTTP 401 .*; check BYTEFUL_API_PUBLIC_KEY and byteful_api_private_key\.$' \
    gate.yml "${run[@]}" -e expect_passed=false -e byteful_api_private_key=wrong-key-for-the-audit
no_lookup_wrapping

echo "== no keys at all: both named at once, with where to set them for the role"
sim_reset
unset BYTEFUL_API_PRIVATE_KEY
sim_playbook_fails \
    "byteful_api_public_key and byteful_api_private_key are not set; set them in the play's or the role's variables \(the private key from Ansible Vault\) or in the BYTEFUL_API_PUBLIC_KEY and BYTEFUL_API_PRIVATE_KEY environment variables\.$" \
    gate.yml "${run[@]}" -e expect_passed=false
no_lookup_wrapping
sim_expect_requests 0 "no request without keys"
export BYTEFUL_API_PRIVATE_KEY="$BYTEFUL_SIM_PRIVATE_KEY"

echo "== a bad threshold is named as the role variable the user set"
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook_fails \
    "byteful_preflight_min_residential_bytes '5 GX' is not a size; " \
    gate.yml "${run[@]}" -e expect_passed=false -e 'byteful_preflight_min_residential_bytes="5 GX"'

echo "== misspelt variables fail the play before any API call, with the closest real names"
sim_reset
BYTEFUL_API_PUBLIC_KEY=low_credit sim_playbook_fails \
    'The play sets byteful_api_privat_key \(did you mean byteful_api_private_key\?\), byteful_preflight_min_residental_bytes \(did you mean byteful_preflight_min_residential_bytes\?\) and bytefull_preflight_require_mobile_service \(did you mean byteful_preflight_require_mobile_service\?\), which byteful\.proxy\.preflight does not read; ' \
    typo.yml "${run[@]}"
sim_expect_requests 0 "the typo is caught before the API is asked"
if grep -q 'Provisioning would start here' "$OUTPUT_DIR/playbook-$SIM_RUN.log"; then
    echo "FAIL: a host went on to provision despite a misspelt variable" >&2
    exit 1
fi

echo "== a misspelt extra var (-e) is caught too, a setting under a prefix with a part missing as well"
BYTEFUL_API_PUBLIC_KEY=low_credit sim_playbook_fails \
    'The play sets byteful_min_credit_balance \(did you mean byteful_preflight_min_credit_balance\?\) and byteful_preflight_min_credit_balanse \(did you mean byteful_preflight_min_credit_balance\?\), which' \
    gate.yml "${run[@]}" -e expect_passed=false -e byteful_preflight_min_credit_balanse=1000 -e byteful_min_credit_balance=1000

echo "== every real variable set at once trips nothing, and the role can run twice"
sim_reset
sim_playbook known_names.yml "${run[@]}"
sim_expect_requests 1 "two runs of the role share one call"

echo "== no threshold and no service: the role warns that it only checks the account can be read"
cat > "$OUTPUT_DIR/bare.yml" <<'YAML'
- name: The role with nothing to check
  hosts: proxies
  gather_facts: false
  roles:
    - byteful.proxy.preflight
YAML
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook "$OUTPUT_DIR/bare.yml" "${run[@]}"
grep -q '\[WARNING\]: byteful.proxy.preflight sets no threshold (byteful_preflight_min_credit_balance, byteful_preflight_min_residential_bytes, byteful_preflight_min_mobile_bytes are 0) and requires no service, so it checks little more than that the Byteful account can be read' \
    "$OUTPUT_DIR/playbook-$SIM_RUN.log"
echo "ok: the warning was shown"

echo "== preflight_check as a module: its own options, explicit customer, module_defaults"
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook module_cases.yml -i localhost, -c local -e "sim_url=$BYTEFUL_SIM_URL"

sim_audit_logs
