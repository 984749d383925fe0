#!/usr/bin/env bash
# The collection never spends: every module, both lookups and the role run against the simulator,
# then its log of requests (method and path) must hold nothing but GETs, POSTs to the quote and the
# proxy-user writes of byteful.proxy.proxy_user (create, edit and delete of a user the play names).
# The check is first shown to catch a request that would buy (a POST to /checkout/create, sent by
# hand), so that its passing afterwards means something. Every run is at -vvvv and its output is
# searched for the private key.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start

export ANSIBLE_ROLES_PATH=..
common=(-i 'localhost,' -c local -e "byteful_sim_url=${BYTEFUL_SIM_URL}" -e "byteful_sim_control_url=${BYTEFUL_SIM_CONTROL_URL}")

echo "== the check catches a purchase"
sim_reset
sim_playbook buy_by_hand.yml "${common[@]}"

echo "== every module, both lookups and the role, each way it reads or writes"
sim_reset
sim_playbook everything.yml "${common[@]}"

sim_audit_logs
