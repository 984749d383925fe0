# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""playbooks/preflight.yml, read as Ansible reads it: which hosts each play runs on, with and without --limit.

The playbook_preflight integration target runs it through ansible-playbook; this is the fast check
that the gate play stays on localhost alone and that the --limit guard reaches the fleet's hosts.
"""

from __future__ import annotations

import os

import pytest

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PLAYBOOK = os.path.join(ROOT, "playbooks", "preflight.yml")
FLEET = ["web1", "web2"]


@pytest.fixture(scope="module")
def plays():
    gate, guard = DataLoader().load_from_file(PLAYBOOK)
    return gate, guard


def hosts_of(play, limit=None):
    """The names of the hosts ``play`` runs on, for an inventory of localhost and the fleet, under ``limit``."""
    loader = DataLoader()
    inventory = InventoryManager(loader, sources=",".join(["localhost"] + FLEET) + ",")
    inventory.subset(limit)
    variables = {"ansible_limit": limit} if limit else {}
    pattern = Templar(loader=loader, variables=variables).template(trust_as_template(play["hosts"]))
    return sorted(host.name for host in inventory.get_hosts(pattern))


@pytest.mark.parametrize("limit", [None, "localhost,web1"])
def test_the_gate_runs_on_localhost_alone_with_the_role(plays, limit):
    gate = plays[0]
    assert hosts_of(gate, limit) == ["localhost"]
    assert [role["role"] for role in gate["roles"]] == ["byteful.proxy.preflight"]
    assert "always" in gate["tags"] and not gate["gather_facts"]


def test_a_limit_without_localhost_reaches_the_fleet_and_stops_it(plays):
    guard = plays[1]
    # The gate did not run: the guard must have a host to fail on, once.
    assert hosts_of(guard, "web1") == ["web1"]
    assert hosts_of(plays[0], "web1") == []
    stop = [task for task in guard["tasks"] if "ansible.builtin.fail" in task]
    assert len(stop) == 1 and stop[0]["run_once"] is True
    assert "--limit {{ ansible_limit }} leaves out localhost" in stop[0]["ansible.builtin.fail"]["msg"]
    go_on = guard["tasks"][0]
    assert go_on["ansible.builtin.meta"] == "end_play" and "byteful_preflight" in go_on["when"]


def test_without_a_limit_the_guard_adds_no_fleet_host(plays):
    assert hosts_of(plays[1]) == ["localhost"]
