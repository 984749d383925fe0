#!/usr/bin/env bash
# customer_info through real ansible-playbook runs against the simulator: success, accounts shaped
# like the live API's, a transient fault retried, check mode, module_defaults through the action
# group, missing keys, and configuration from the environment alone. Every error class is the fault
# matrix's (fault_matrix in process, fault_matrix_playbooks through ansible-playbook). Every run is
# at -vvvv and its output is searched for the private key.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start

common=(-i 'localhost,' -c local -e "byteful_sim_url=${BYTEFUL_SIM_URL}" -e "byteful_sim_control_url=${BYTEFUL_SIM_CONTROL_URL}")

echo "== success, live shapes, a retry, check mode, module_defaults, missing keys"
sim_playbook customer_info.yml "${common[@]}"

echo "== configuration from the controller's environment alone"
BYTEFUL_API_URL="$BYTEFUL_SIM_URL" BYTEFUL_API_PUBLIC_KEY=low_credit BYTEFUL_API_PRIVATE_KEY="$BYTEFUL_SIM_PRIVATE_KEY" \
    sim_playbook from_environment.yml "${common[@]}"

sim_audit_logs
