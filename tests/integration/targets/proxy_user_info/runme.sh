#!/usr/bin/env bash
# proxy_user_info through real ansible-playbook runs against the simulator: a healthy account, one
# near its limit with deleted users, one whose API cannot count (paging fallback), one whose API
# ignores sort_by, check mode, and the request each costs. Every run is at -vvvv and its output is
# searched for the private key.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start

echo "== counts, limits, headroom, paging fallback, check mode"
sim_playbook proxy_user_info.yml -i 'localhost,' -c local \
    -e "byteful_sim_url=${BYTEFUL_SIM_URL}" -e "byteful_sim_control_url=${BYTEFUL_SIM_CONTROL_URL}"

sim_audit_logs
