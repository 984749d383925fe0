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
