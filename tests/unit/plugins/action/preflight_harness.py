# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The preflight_check action and the preflight role's task, run in-process.

``run_module(args, variables)`` runs the action as a play's task would; ``run_role(variables)``
runs the role's one check as ansible-core would run it: the role's defaults under the play's
variables, the task's ``when`` evaluated, the task's arguments templated from them, the task_vars
of the host it runs on. What the role's task passes comes from roles/preflight/tasks/main.yml,
so the harness follows the role as it changes.
"""

from __future__ import annotations

import os
from types import SimpleNamespace

from ansible.module_utils.common.text.converters import to_text
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.role.definition import _get_collection_role_path
from ansible.template import Templar, trust_as_template

from ansible_collections.byteful.proxy.plugins.action.preflight_check import ActionModule
from ansible_collections.byteful.proxy.plugins.plugin_utils._role_names import ACTION, ROLE_NAME, ROLE_PATH
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY


def trusted(value):
    """``value`` with every string marked as a template, as Ansible marks what a playbook holds."""
    if isinstance(value, str):
        return trust_as_template(value)
    if isinstance(value, dict):
        return {key: trusted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [trusted(item) for item in value]
    return value


def keys(sim, public_key="healthy"):
    """The variables that point the lookup (and so the action) at ``sim``'s account."""
    return {"byteful_api_url": sim.base_url, "byteful_api_public_key": public_key,
            "byteful_api_private_key": DEFAULT_PRIVATE_KEY}


def ansible_role_path():
    """Where Ansible itself finds the role byteful.proxy.preflight, as a task of the role reports it.

    Asked of Ansible's collection loader, not taken from the action's ROLE_PATH: a harness that
    returned the very constant the action compares with could never show the action failing to
    recognise its role.
    """
    found = _get_collection_role_path(ROLE_NAME)
    assert found, "Ansible does not find the role %s" % ROLE_NAME
    return to_text(found[1])


def _action(args, templar, in_role, check_mode=False):
    task = SimpleNamespace(args=args, async_val=0, check_mode=check_mode, action=ACTION,
                           _role=SimpleNamespace(get_role_path=ansible_role_path) if in_role else None)
    connection = SimpleNamespace(_shell=SimpleNamespace(tmpdir="/nonexistent"))
    return ActionModule(task, connection, SimpleNamespace(), templar._loader, templar)


def run_module(args, variables=None, check_mode=False):
    """The action's result for the task options ``args`` (templated) and the play's ``variables``."""
    loader = DataLoader()
    variables = trusted(dict(variables or {}))
    templar = Templar(loader=loader, variables=variables)
    rendered = templar.template(trusted(args))
    return _action(rendered, templar, in_role=False, check_mode=check_mode).run(task_vars=variables)


def role_task(loader=None):
    """The role's preflight_check task, as a dict, from roles/preflight/tasks/main.yml."""
    loader = loader or DataLoader()
    for task in loader.load_from_file(os.path.join(ROLE_PATH, "tasks", "main.yml")):
        if ACTION in task:
            return task
    raise AssertionError("the role has no %s task" % ACTION)


def role_variables(variables):
    """The role's defaults under the play's ``variables``, as the task sees them."""
    loader = DataLoader()
    defaults = loader.load_from_file(os.path.join(ROLE_PATH, "defaults", "main.yml"))
    return trusted(dict(defaults, **variables))


def run_role(variables, check_mode=False):
    """The result of the role's check for the play's ``variables`` (the host's task_vars), or the
    result of a task that Ansible skipped on its ``when``."""
    loader = DataLoader()
    task_vars = role_variables(variables)
    templar = Templar(loader=loader, variables=task_vars)
    task = role_task(loader)
    if not templar.evaluate_conditional(trust_as_template(task["when"])):
        return {"skipped": True, "skip_reason": "Conditional result was False"}
    args = templar.template(trusted(dict(task[ACTION])))
    return _action(args, templar, in_role=True, check_mode=check_mode).run(task_vars=task_vars)
