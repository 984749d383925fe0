#!/usr/bin/env bash
# proxy_info, product_info and the proxy_list lookup through one real ansible-playbook run at -vvvv
# (with --diff) against the simulator: filters, credentials left out, the catalog's codes priced, and
# proxy lists rendered for three hosts with one API call per distinct list. The output, and every file
# but the rendered lists, is searched for the private key and for the proxy credentials the
# simulator serves.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start

echo "== proxies, products, proxy lists for three hosts"
sim_playbook proxies_and_products.yml -i 'scraper-1,scraper-2,scraper-3,' -c local --diff \
    -e "byteful_sim_url=${BYTEFUL_SIM_URL}" -e "byteful_sim_control_url=${BYTEFUL_SIM_CONTROL_URL}" \
    -e "byteful_output_dir=${SIM_OUTPUT}"

sim_audit_logs 'scraper-*.proxies'
