#!/usr/bin/env bash
# checkout_quote through real ansible-playbook runs against the simulator: a product by code and by
# type, country and protocol, cycles, a promotional code, credit that does not cover the total, an
# invalid quote (returned with a warning, not failed), check mode, and the user's mistakes, which
# fail before any request. Every run is at -vvvv and its output is searched for the private key.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start

echo "== quotes, cycles, promotional codes, invalid quotes, check mode, mistakes"
sim_playbook checkout_quote.yml -i 'localhost,' -c local \
    -e "byteful_sim_url=${BYTEFUL_SIM_URL}" -e "byteful_sim_control_url=${BYTEFUL_SIM_CONTROL_URL}"

echo "== the invalid quote's warning is shown"
grep -q 'says this purchase cannot be made ("' "$OUTPUT_DIR/playbook-$SIM_RUN.log" \
    || { echo "FAIL: no warning for the invalid quote in the output" >&2; exit 1; }

sim_audit_logs
