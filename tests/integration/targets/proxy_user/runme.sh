#!/usr/bin/env bash
# proxy_user through one real ansible-playbook run at -vvvv against the simulator: check mode and
# --diff, create, a second run that changes nothing, an edit, deletes, the limit, the default user,
# an answer lost after the create took effect, mistakes. The output, and everything the target
# leaves, is searched for the private key and for every proxy-user password: the two the play sets,
# the one the password lookup makes, and those of the simulator's own users.
set -eu
source ../setup_byteful_simulator/files/simulator.sh
sim_start

password() {
    "$SIM_PYTHON" -c 'import secrets, string; print("".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(20)))'
}
# Read by the play from the environment, never on a command line.
BYTEFUL_TEST_PASSWORD="$(password)"
BYTEFUL_TEST_NEW_PASSWORD="$(password)"
export BYTEFUL_TEST_PASSWORD BYTEFUL_TEST_NEW_PASSWORD
# The passwords the play sets (every password the simulator holds is searched for by simulator.sh itself).
sim_add_secret "$BYTEFUL_TEST_PASSWORD" "$BYTEFUL_TEST_NEW_PASSWORD"

echo "== create, again, edit, delete, the limit, the default user, a lost answer, mistakes (--diff at -vvvv)"
sim_playbook proxy_user.yml -i 'localhost,' -c local --diff \
    -e "byteful_sim_url=${BYTEFUL_SIM_URL}" -e "byteful_sim_control_url=${BYTEFUL_SIM_CONTROL_URL}" \
    -e "byteful_output_dir=${SIM_OUTPUT}"

# The password the ansible.builtin.password lookup made (and keeps in its file, on purpose).
sim_add_secret "$(cut -d' ' -f1 "$SIM_OUTPUT/credentials/lookup_user01")"
sim_audit_logs lookup_user01
