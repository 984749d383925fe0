# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every preflight the documentation shows passes on the simulator's healthy account.

A recipe the docs recommend that fails a healthy account teaches users to turn the check off.
The examples are read from the documents themselves: each YAML block of the READMEs and the
guides (docs/docsite/rst), the demo playbook and preflight_check's EXAMPLES; each use of the role
(its variables, with the play's) or of preflight_check (its options) is run in-process.
"""

from __future__ import annotations

import os
import re

import pytest
import yaml

from ansible_collections.byteful.proxy.plugins.modules import preflight_check
from ansible_collections.byteful.proxy.plugins.plugin_utils._role_names import ACTION, COLLECTION_PATH, ROLE_NAME
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY, HEALTHY_CUSTOMER
from ansible_collections.byteful.proxy.tests.unit.plugins.action.preflight_harness import keys, run_module, run_role

DOCUMENTS = ["README.md", "roles/preflight/README.md", "demo/provision.yml"] + sorted(
    os.path.join("docs", "docsite", "rst", name) for name in os.listdir(os.path.join(COLLECTION_PATH, "docs", "docsite", "rst"))
    if name.endswith(".rst"))
_MARKDOWN_YAML = re.compile(r"^```ya?ml\n(.*?)^```", re.MULTILINE | re.DOTALL)
_RST_YAML = re.compile(r"^\.\. code-block:: yaml(?:\+jinja)?\n\n((?:(?:   .*)?\n)+)", re.MULTILINE)
# The playbook byteful.proxy.preflight by name, or by its path from demo/ (the demo ships inside the collection).
PLAYBOOK_REFERENCES = ("byteful.proxy.preflight", "../playbooks/preflight.yml")
ROLE_TASKS = ("ansible.builtin.import_role", "ansible.builtin.include_role", "import_role", "include_role")


def yaml_blocks(path):
    with open(os.path.join(COLLECTION_PATH, path), encoding="utf-8") as handle:
        text = handle.read()
    if path.endswith(".yml"):
        return [text]
    if path.endswith(".rst"):
        return [re.sub(r"^   ", "", block, flags=re.MULTILINE) for block in _RST_YAML.findall(text)]
    return _MARKDOWN_YAML.findall(text)


def uses(node, inherited=None):
    """``("role", variables)`` for each use of the role in ``node`` (a parsed YAML block), with the variables of the
    play around it; ``("module", options, variables)`` for each preflight_check task."""
    inherited = dict(inherited or {})
    if isinstance(node, dict) and node and all(str(key).startswith(("byteful_preflight_", "byteful_api_")) for key in node):
        # A thresholds file for the playbook byteful.proxy.preflight (-e @thresholds.yml), which runs the role.
        yield "playbook", dict(inherited, **node)
        return
    if isinstance(node, list):
        for item in node:
            yield from uses(item, inherited)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("vars"), dict):
        inherited.update(node["vars"])
    if node.get("role") == ROLE_NAME:
        params = {key: value for key, value in node.items() if key not in ("role", "vars", "tags", "when")}
        yield "role", dict(inherited, **params)
    elif any(isinstance(node.get(task), dict) and node[task].get("name") == ROLE_NAME for task in ROLE_TASKS):
        yield "role", inherited
    elif node.get("ansible.builtin.import_playbook", node.get("import_playbook")) in PLAYBOOK_REFERENCES:
        yield "playbook", inherited
    elif ACTION in node:
        yield "module", node[ACTION] or {}, inherited
    for key, value in node.items():
        if key != "vars":
            yield from uses(value, inherited)


def documented_uses():
    found = []
    sources = [(path, block) for path in DOCUMENTS for block in yaml_blocks(path)]
    sources += [("preflight_check EXAMPLES", preflight_check.EXAMPLES)]
    for index, (path, block) in enumerate(sources):
        for number, use in enumerate(uses(yaml.safe_load(block))):
            found.append(pytest.param(use, id="%s-block%d-%s%d" % (path, index, use[0], number)))
    return found


def test_the_documents_hold_examples_of_both():
    kinds = [param.values[0][0] for param in documented_uses()]
    assert kinds.count("role") >= 3 and kinds.count("playbook") >= 3 and kinds.count("module") >= 4


@pytest.mark.parametrize("use", documented_uses())
def test_every_documented_preflight_passes_on_a_healthy_account(sim, tmp_path, monkeypatch, use):
    monkeypatch.setattr("ansible.constants.DEFAULT_LOCAL_TMP", str(tmp_path))
    monkeypatch.chdir(tmp_path)  # a relative report_path ('.') writes here, never into the checkout
    monkeypatch.setenv("BYTEFUL_API_URL", sim.base_url)
    monkeypatch.setenv("BYTEFUL_API_PUBLIC_KEY", "healthy")
    monkeypatch.setenv("BYTEFUL_API_PRIVATE_KEY", DEFAULT_PRIVATE_KEY)
    # What the examples refer to: the play's directory, the vault's keys, a customer read before.
    context = dict(keys(sim), playbook_dir=str(tmp_path), demo_output_dir=str(tmp_path), sim_url=sim.base_url,
                   vault_byteful_public_key="healthy", vault_byteful_private_key=DEFAULT_PRIVATE_KEY,
                   byteful={"customer": HEALTHY_CUSTOMER})
    if use[0] in ("role", "playbook"):  # the playbook runs the role, on the controller
        result = run_role(dict(context, **use[1]))
    else:
        result = run_module(use[1], dict(context, **use[2]))
    assert not result.get("failed"), result.get("msg")
    assert result["passed"] is True, result["msg"]
