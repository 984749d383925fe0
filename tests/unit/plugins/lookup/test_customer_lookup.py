# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The customer lookup against the simulator: terms, options, cache, errors."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleLookupError
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader
from ansible.template import Templar

from ansible_collections.byteful.proxy.tests.simulator.byteful_simulator import DEFAULT_PRIVATE_KEY, Simulator


@pytest.fixture(scope="module")
def sim():
    with Simulator() as simulator:
        yield simulator


@pytest.fixture
def lookup(tmp_path, monkeypatch):
    # The run cache lives in the run's temp dir; give each test its own.
    monkeypatch.setattr("ansible.constants.DEFAULT_LOCAL_TMP", str(tmp_path))
    # As in a play: the lookup templates the variables that set its options.
    loader = DataLoader()
    return lookup_loader.get("byteful.proxy.customer", loader=loader, templar=Templar(loader=loader))


def variables(sim, public_key="healthy", **extra):
    return dict(byteful_api_url=sim.base_url, byteful_api_public_key=public_key,
                byteful_api_private_key=DEFAULT_PRIVATE_KEY, **extra)


def test_whole_object_and_fields(sim, lookup):
    (customer,) = lookup.run([], variables(sim))
    assert customer["customer_id"] == 1955
    assert lookup.run(["credit_balance", "mobile_bytes_left"], variables(sim)) == [250000, 5368709120]


def test_null_fields_of_an_account_without_mobile(sim, lookup):
    assert lookup.run(["mobile_bytes_left", "active_mobile_service_id"], variables(sim, "no_mobile")) == [None, None]


def test_unknown_field_lists_valid_names(sim, lookup):
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run(["credit"], variables(sim))
    assert str(info.value).startswith("The Byteful customer has no field named 'credit'; valid names are "
                                      "active_mobile_service_id, active_residential_service_id, credit_balance,")


def test_cache_makes_one_call_per_account(sim, lookup):
    sim.reset()
    for dummy in range(5):
        lookup.run(["credit_balance"], variables(sim))
    lookup.run(["credit_balance"], variables(sim, "low_credit"))
    assert sim.stats()["by_account"] == {"healthy": 1, "low_credit": 1}


def test_cache_false_asks_every_time(sim, lookup):
    sim.reset()
    for dummy in range(3):
        lookup.run([], variables(sim), cache=False)
    assert sim.stats()["requests"] == 3


def test_keyword_arguments_win_over_variables(sim, lookup):
    assert lookup.run(["credit_balance"], variables(sim), api_public_key="low_credit") == [12]


def test_errors_are_one_sentence_without_the_key(sim, lookup):
    wrong = "wrong-private-key-that-must-not-leak"
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run([], dict(variables(sim), byteful_api_private_key=wrong))
    message = str(info.value)
    assert "failed with HTTP 401 (invalid_api_keys: Invalid API key or secret.; request id" in message
    assert wrong not in message and info.value.__cause__ is None


def test_missing_key_names_the_variable(sim, lookup, monkeypatch):
    monkeypatch.delenv("BYTEFUL_API_PRIVATE_KEY", raising=False)
    with pytest.raises(AnsibleLookupError, match="api_private_key is not set"):
        lookup.run([], dict(byteful_api_url=sim.base_url, byteful_api_public_key="healthy"))
