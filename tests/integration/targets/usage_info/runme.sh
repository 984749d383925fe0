#!/usr/bin/env bash
# usage_info through real ansible-playbook runs against the simulator: both products, the window,
# both signs of usage rows, no usage at all, data that runs out within days, an API that ignores
# the filters, check mode, and the user's mistakes, which fail before any request. Every run is at
# -vvvv and its output is searched for the private key.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start

echo "== products, windows, signs, forecasts, check mode, mistakes"
sim_playbook usage_info.yml -i 'localhost,' -c local \
    -e "byteful_sim_url=${BYTEFUL_SIM_URL}" -e "byteful_sim_control_url=${BYTEFUL_SIM_CONTROL_URL}"

sim_audit_logs
