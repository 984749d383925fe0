#!/usr/bin/env bash
# customer_info through real ansible-playbook runs against the simulator: success, every error
# class, check mode, module_defaults through the action group, and configuration from the
# environment alone. Every run is at -vvvv and its output is searched for the private key.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start

common=(-i 'localhost,' -c local -e "byteful_sim_url=${BYTEFUL_SIM_URL}" -e "byteful_sim_control_url=${BYTEFUL_SIM_CONTROL_URL}")

echo "== success, errors, retries, check mode, module_defaults"
sim_playbook customer_info.yml "${common[@]}"

echo "== configuration from the controller's environment alone"
BYTEFUL_API_URL="$BYTEFUL_SIM_URL" BYTEFUL_API_PUBLIC_KEY=low_credit BYTEFUL_API_PRIVATE_KEY="$BYTEFUL_SIM_PRIVATE_KEY" \
    sim_playbook from_environment.yml "${common[@]}"

sim_audit_logs
