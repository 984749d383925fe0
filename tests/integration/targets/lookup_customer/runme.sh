#!/usr/bin/env bash
# The customer lookup, through real ansible-playbook runs against the simulator: fields and the
# whole object, each configuration source, bad terms, untrusted data, and the API call count
# over many hosts and forks. Every run is at -vvvv and its output is searched for the key.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start

export ANSIBLE_ROLES_PATH=..
common=(-e "sim_url=${BYTEFUL_SIM_URL}" -e "sim_control_url=${BYTEFUL_SIM_CONTROL_URL}")

echo "== fields, whole object, variables, keyword arguments, bad terms, untrusted data"
BYTEFUL_API_PRIVATE_KEY="$BYTEFUL_SIM_PRIVATE_KEY" sim_playbook lookup_cases.yml -i localhost, -c local "${common[@]}"

echo "== configuration from the environment alone"
BYTEFUL_API_URL="$BYTEFUL_SIM_URL" BYTEFUL_API_PUBLIC_KEY=low_credit BYTEFUL_API_PRIVATE_KEY="$BYTEFUL_SIM_PRIVATE_KEY" \
    sim_playbook configured_elsewhere.yml -i localhost, -c local -e expected_credit=12

echo "== configuration from ansible.cfg (the private key has no ini setting, on purpose)"
cat > "$OUTPUT_DIR/byteful.cfg" <<CFG
[byteful]
api_url = ${BYTEFUL_SIM_URL}
api_public_key = no_mobile
timeout = 5
CFG
ANSIBLE_CONFIG="$OUTPUT_DIR/byteful.cfg" BYTEFUL_API_PRIVATE_KEY="$BYTEFUL_SIM_PRIVATE_KEY" \
    sim_playbook configured_elsewhere.yml -i localhost, -c local -e expected_credit=250000

# Three hosts per fork: every forked worker reads the account at least once, at the same time as
# the others, and all but the first must find it in the run cache.
echo "== one API call for 30 hosts with forks 10, through a template and set_fact"
hosts="$OUTPUT_DIR/many_hosts.ini"
{ echo "[many]"; for i in $(seq -w 1 30); do echo "host$i"; done
  echo "[many:vars]"; echo "ansible_connection=local"; echo "ansible_python_interpreter=${ANSIBLE_TEST_PYTHON_INTERPRETER}"; } > "$hosts"
sim_reset
BYTEFUL_API_URL="$BYTEFUL_SIM_URL" BYTEFUL_API_PUBLIC_KEY=healthy BYTEFUL_API_PRIVATE_KEY="$BYTEFUL_SIM_PRIVATE_KEY" \
    sim_playbook many_hosts.yml -i "$hosts" -f 10 -e "render_dir=$OUTPUT_DIR/rendered"
sim_expect_requests 1 "one call for 30 hosts in one run"
test "$(find "$OUTPUT_DIR/rendered" -type f | wc -l)" -eq 30

echo "== a second run asks again: the cache does not outlive its run"
BYTEFUL_API_URL="$BYTEFUL_SIM_URL" BYTEFUL_API_PUBLIC_KEY=healthy BYTEFUL_API_PRIVATE_KEY="$BYTEFUL_SIM_PRIVATE_KEY" \
    sim_playbook many_hosts.yml -i "$hosts" -f 10 -e "render_dir=$OUTPUT_DIR/rendered" --limit 'host0*'
sim_expect_requests 2 "one more call for the second run"

sim_audit_logs
