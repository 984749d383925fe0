#!/usr/bin/env bash
# The preflight role's forecast checks (issue 13) through real ansible-playbook runs against the
# simulator: each variable and each message (forecast_cases.yml), the API calls of 200 hosts with
# every check on, the report file (mode and content), warn-only, check mode and the skip switch,
# the typo guard on the new variables, and nothing sent but GETs and quote POSTs.
# Every run is at -vvvv and its output is searched for the private key.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start

hosts="$OUTPUT_DIR/proxies.ini"
{ echo "[proxies]"; for i in $(seq -w 1 200); do echo "proxy$i"; done
  echo "[proxies:vars]"; echo "ansible_connection=local"; echo "ansible_python_interpreter=${ANSIBLE_TEST_PYTHON_INTERPRETER}"; } > "$hosts"
export BYTEFUL_API_URL="$BYTEFUL_SIM_URL" BYTEFUL_API_PRIVATE_KEY="$BYTEFUL_SIM_PRIVATE_KEY"
# Many hosts only where their number is what is tested; elsewhere three, whose per-host role
# argument validation costs little.
many=(-i "$hosts" -f 10)
run=(-i "$hosts" -f 10 --limit 'proxies[0:2]')
report="$OUTPUT_DIR/reports/preflight.json"
mkdir -p "$OUTPUT_DIR/reports"

calls_by_path() {  # the simulator's counts as "METHOD path=n" lines, sorted
    sim_control GET stats | "$SIM_PYTHON" -c '
import json, sys
for key, count in sorted(json.load(sys.stdin)["by_method_path"].items()):
    print("%s=%d" % (key.replace("/1.0/public/user/", " "), count))'
}

expect_calls() {  # EXPECTED-LINES WHY: the calls by method and path, exactly
    local got
    got="$(calls_by_path)"
    if [ "$got" != "$1" ]; then
        printf 'FAIL: the simulator served\n%s\nexpected\n%s\n(%s)\n' "$got" "$1" "$2" >&2
        return 1
    fi
    echo "ok: $(echo "$got" | tr '\n' ' ')($2)"
}

check_report() {  # FILE PYTHON-ASSERTIONS...: the report's mode is 0600 and its content passes the assertions
    "$SIM_PYTHON" - "$@" <<'PY'
import json, os, stat, sys
path, checks = sys.argv[1], sys.argv[2:]
mode = stat.S_IMODE(os.stat(path).st_mode)
assert mode == 0o600, "the report's mode is %o, not 600" % mode
with open(path, encoding="utf-8") as handle:
    text = handle.read()
report = json.loads(text)
for forbidden in ("@", "customer_email_address", "customer_first_name", os.environ["BYTEFUL_SIM_PRIVATE_KEY"]):
    assert forbidden not in text, "the report holds %r" % forbidden
for check in checks:
    assert eval(check, {"report": report, "by_name": {c["name"]: c for c in report["checks"]}}), check
print("ok: report %s (mode 600): %s" % (path, "; ".join(checks)))
PY
}

only_reads() {  # nothing but GETs and quote POSTs was sent since the last reset
    sim_control GET stats | "$SIM_PYTHON" -c '
import json, sys
sent = json.load(sys.stdin)["by_method_path"]
assert sent and all(k.startswith("GET ") or k == "POST /1.0/public/user/checkout/quote" for k in sent), sent
print("ok: only GETs and quote POSTs (%d requests)" % sum(sent.values()))'
}

echo "== each forecast variable and message, case by case"
sim_reset
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook forecast_cases.yml -i 'localhost,' -c local
only_reads

echo "== preflight_check as a module: its option names, an explicit customer reads only the check's own data"
sim_reset
sim_playbook module_forecast.yml -i 'localhost,' -c local
expect_calls "GET  customer/retrieve=2
GET  proxy_user/search=1
GET  residential_ledger/search=1" "the days check's account and ledger page, customer_info's read, then the proxy users only"

echo "== 200 hosts, forks 10, every check on: the base call plus each check's own, whatever the hosts"
sim_reset
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook every_check.yml "${many[@]}" -e expect_passed=false -e byteful_preflight_fail=false \
    -e "report_path=$report"
# healthy has an overdue service: the status check fails, in words, as a warning.
grep -q '\[WARNING\]: Preflight failed for Byteful account 1955: 1 service is in a refused state: [0-9-]* is overdue\.' \
    "$OUTPUT_DIR/playbook-$SIM_RUN.log"
expect_calls "GET  customer/retrieve=1
GET  mobile_ledger/search=1
GET  proxy_user/search=1
GET  residential_ledger/search=1
GET  service/search=1
POST  checkout/quote=2" "one call each, two quotes for two purchase lines, for 200 hosts"
check_report "$report" 'report["account"] == 1955' 'report["passed"] is False' 'len(report["checks"]) == 8' \
    'report["time"].endswith("Z")' 'set(report) == {"format", "generator", "account", "time", "passed", "msg", "checks"}' \
    'all(set(c) == {"name", "actual", "required", "passed", "requested", "text", "details"} for c in report["checks"])' \
    'by_name["residential_days_left"]["passed"] and by_name["residential_days_left"]["required"] == 14' \
    'by_name["residential_days_left"]["text"].startswith("residential data 10.0 GiB lasts ")' \
    'by_name["mobile_bytes_left"]["requested"] is False and by_name["credit_balance"]["requested"] is True' \
    'by_name["credit_balance"]["required"] == 1000 + 3500 + 3000 and by_name["credit_balance"]["details"]["renewals"] == []' \
    'by_name["service_status"]["text"].endswith(" is overdue") and by_name["service_status"]["passed"] is False'

echo "== the same in check mode: same calls, the report written again"
sim_reset
rm -f "$report"
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook every_check.yml "${run[@]}" -e expect_passed=false -e byteful_preflight_fail=false \
    -e "report_path=$report" --check
sim_expect_requests 7 "every check in check mode"
check_report "$report" 'report["passed"] is False'

echo "== services over three pages: the service checks share its pages, once"
sim_reset
BYTEFUL_API_PUBLIC_KEY=many_services sim_playbook every_check.yml "${run[@]}" -e expect_passed=false -e byteful_preflight_fail=false \
    -e "report_path=$report"
expect_calls "GET  customer/retrieve=1
GET  mobile_ledger/search=1
GET  proxy_user/search=1
GET  residential_ledger/search=1
GET  service/search=3
POST  checkout/quote=2" "the service search's three pages, once for the three service checks"

echo "== a failing run fails once, in words, and its report says why"
sim_reset
# shellcheck disable=SC2016 # a regular expression: its $ are dollars, not expansions
BYTEFUL_API_PUBLIC_KEY=renewals_due sim_playbook_fails \
    'Preflight failed for Byteful account [0-9]+: credit balance \$50\.00 does not cover \$10\.00 reserve \+ \$35\.00 for 10 x isp_us \(1:month\) \+ \$30\.00 for 20 x datacenter_us \(1:month\) \+ \$45\.00 of renewals due within 7 days; ' \
    every_check.yml "${run[@]}" -e expect_passed=false -e "report_path=$report"
check_report "$report" 'report["passed"] is False' 'not by_name["credit_balance"]["passed"]' \
    'by_name["credit_balance"]["actual"] == 5000 and by_name["credit_balance"]["required"] == 1000 + 3500 + 3000 + 4500' \
    'report["msg"].startswith("Preflight failed for Byteful account ")'

echo "== the API failing: the report holds the sentence and no checks"
BYTEFUL_API_PUBLIC_KEY=healthy BYTEFUL_API_PRIVATE_KEY=wrong-key-for-the-audit sim_playbook_fails \
    'failed with HTTP 401 ' every_check.yml "${run[@]}" -e expect_passed=false -e "report_path=$report"
check_report "$report" 'report["passed"] is False and report["checks"] == []' 'report["account"] is None' \
    'report["error"].startswith("Retrieving the Byteful customer") and "HTTP 401" in report["error"]'
if grep -rqF wrong-key-for-the-audit "$OUTPUT_DIR"; then
    echo "FAIL: the wrong private key appears in the output or the report" >&2
    exit 1
fi

echo "== an existing report readable by others is replaced by a 0600 one"
chmod 0644 "$report"
sim_reset
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook every_check.yml "${run[@]}" -e expect_passed=false -e byteful_preflight_fail=false \
    -e "report_path=$report"
check_report "$report" 'report["account"] == 1955'

echo "== a report path in a missing directory: one sentence naming the variable"
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook_fails \
    "Cannot write the preflight report $OUTPUT_DIR/missing/r\.json \(byteful_preflight_report_path\): No such file or directory; create the directory or fix its permissions\.$" \
    every_check.yml "${run[@]}" -e expect_passed=false -e "report_path=$OUTPUT_DIR/missing/r.json"

echo "== skipped: no API call and no report, every check on"
sim_reset
rm -f "$report"
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook every_check.yml "${run[@]}" -e "report_path=$report" -e byteful_preflight_enabled=false
sim_expect_requests 0 "the role is switched off"
if [ -e "$report" ]; then
    echo "FAIL: the switched-off role wrote a report" >&2
    exit 1
fi
echo "ok: no report"

echo "== a misspelt forecast variable fails before any API call, with the closest real name"
sim_reset
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook_fails \
    'The play sets byteful_preflight_min_residential_day \(did you mean byteful_preflight_min_residential_days\?\), which byteful\.proxy\.preflight does not read; ' \
    every_check.yml "${run[@]}" -e expect_passed=false -e "report_path=$report" -e byteful_preflight_min_residential_day=14
BYTEFUL_API_PUBLIC_KEY=healthy sim_playbook_fails \
    'The play sets byteful_preflight_report_pth \(did you mean byteful_preflight_report_path\?\), which' \
    every_check.yml "${run[@]}" -e expect_passed=false -e "report_path=$report" -e byteful_preflight_report_pth=/tmp/x.json
sim_expect_requests 0 "the typos are caught before the API is asked"

echo "== every real variable set at once trips nothing, and a second run of the role costs no call"
sim_reset
sim_playbook known_names.yml "${run[@]}" -e "report_path=$report"
expect_calls "GET  customer/retrieve=1
GET  mobile_ledger/search=1
GET  proxy_user/search=1
GET  residential_ledger/search=1
GET  service/search=1
POST  checkout/quote=1" "two runs of the role share each call through the run cache"

sim_audit_logs
