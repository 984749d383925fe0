# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The preflight role's tasks run once per play, whatever the number of hosts.

The integration targets count one API call for 60 hosts, but the lookup's run cache would hide a
read that ran on every host (one call, then 59 answers from the cache, each host a worker's
time); only run_once keeps the check from running per host. So every task of the role must run
once: on the task itself or on the block around it.
"""

from __future__ import annotations

import os

import yaml

TASKS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "roles", "preflight", "tasks", "main.yml")


def leaf_tasks(tasks, once=False):
    """(name, runs once) of every task that is not a block, a block's run_once passed down."""
    for task in tasks:
        here = once or task.get("run_once") is True
        if "block" in task:
            yield from leaf_tasks(task["block"] + task.get("rescue", []) + task.get("always", []), here)
        else:
            yield task.get("name"), here


def test_every_task_of_the_role_runs_once():
    with open(TASKS, encoding="utf-8") as handle:
        tasks = yaml.safe_load(handle)
    found = list(leaf_tasks(tasks))
    assert any("preflight_check" in str(name) or "Byteful account" in str(name) for name, dummy in found)
    assert [name for name, once in found if not once] == []


PLAYBOOK = os.path.join(os.path.dirname(__file__), "..", "..", "..", "playbooks", "preflight.yml")


def _switch_task():
    with open(PLAYBOOK, encoding="utf-8") as handle:
        (task,) = [task for task in yaml.safe_load(handle)[0]["pre_tasks"] if "byteful_preflight_enabled" in task["name"]]
    return task


def _templated(task, value):
    """(whether the playbook's task fails, its message) for byteful_preflight_enabled ``value``, as Ansible templates it."""
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar, trust_as_template

    variables = {"byteful_preflight_enabled": value}
    templar = Templar(loader=DataLoader(), variables=variables)
    templar = templar.copy_with_new_env(available_variables=dict(variables, switch=templar.template(
        trust_as_template(task["vars"]["switch"]))))
    fails = not templar.evaluate_conditional(trust_as_template(task["ansible.builtin.assert"]["that"]))
    return fails, templar.template(trust_as_template(task["ansible.builtin.assert"]["fail_msg"])) if fails else None


def test_the_playbook_refuses_a_switch_that_is_no_boolean_in_the_role_s_own_sentence():
    """playbooks/preflight.yml checks byteful_preflight_enabled before the role's argument validation (whose failure
    is ansible-core's dump of every argument): the same values pass as the gate's parse_bool, in the same words."""
    from ansible.module_utils.parsing.convert_bool import BOOLEANS
    from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError
    from ansible_collections.byteful.proxy.plugins.plugin_utils._preflight import parse_bool

    task = _switch_task()
    for value in sorted(BOOLEANS, key=repr) + ["TRUE", " no "]:
        assert _templated(task, value) == (False, None), value
    for value in ("ture", "flase", 2, "yes please", ""):
        with_role = None
        try:
            parse_bool(value, "byteful_preflight_enabled")
        except BytefulError as exc:
            with_role = exc.message
        assert _templated(task, value) == (True, with_role), value
