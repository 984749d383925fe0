#!/usr/bin/env bash
# service_info through real ansible-playbook runs against the simulator: every status, the filters
# (sent to the API and applied again), three pages of services, an API that ignores sort_by and
# filters, check mode, and the user's mistakes, which fail before any request. Every run is at
# -vvvv and its output is searched for the private key.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start

echo "== statuses, filters, pages, sorting, check mode, mistakes"
sim_playbook service_info.yml -i 'localhost,' -c local \
    -e "byteful_sim_url=${BYTEFUL_SIM_URL}" -e "byteful_sim_control_url=${BYTEFUL_SIM_CONTROL_URL}"

sim_audit_logs
