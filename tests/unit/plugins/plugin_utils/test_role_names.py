# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The preflight role's names, read from the role, and the rules that take a variable for a misspelt setting."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible import constants as C
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader

from ansible_collections.byteful.proxy.plugins.plugin_utils._account import lookup_variables
from ansible_collections.byteful.proxy.plugins.plugin_utils._role_names import ROLE_PATH, RoleNames, edits


@pytest.fixture(scope="module")
def names():
    loader = DataLoader()
    return RoleNames(loader, lookup_variables(lookup_loader.get("byteful.proxy.customer", loader=loader)))


def reference_edits(left, right):
    """The textbook optimal string alignment distance, without a limit."""
    rows = [[i + j if i * j == 0 else 0 for j in range(len(right) + 1)] for i in range(len(left) + 1)]
    for i in range(1, len(left) + 1):
        for j in range(1, len(right) + 1):
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (left[i - 1] != right[j - 1]))
            if i > 1 and j > 1 and left[i - 1] == right[j - 2] and left[i - 2] == right[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


@given(st.text("abc_", max_size=9), st.text("abc_", max_size=9))
def test_edits_agree_with_the_textbook_up_to_the_limit(left, right):
    assert edits(left, right) == min(reference_edits(left, right), 3)


@pytest.mark.parametrize("left, right, count", [
    ("byteful_timeout", "byteful_timout", 1), ("byteful_timeout", "byteful_tiemout", 1), ("bytefull_x", "byteful_x", 1),
    ("byteful_preflight_x", "byteful_prefligt_x", 1), ("abc", "xyz", 3), ("", "ab", 2), ("a", "abcd", 3)])
def test_edits(left, right, count):
    assert edits(left, right) == count


def test_the_settings_are_the_role_s_options_and_the_lookup_s_variables(names):
    specs = DataLoader().load_from_file(os.path.join(ROLE_PATH, "meta", "argument_specs.yml"))
    documented = set(specs["argument_specs"]["main"]["options"])
    lookup_vars = set(C.config.get_plugin_vars("lookup", "byteful.proxy.customer"))
    assert set(names.settings) == documented | lookup_vars
    assert {"byteful_preflight_service_types", "byteful_cache_ttl", "byteful_api_private_key"} <= set(names.settings)


@pytest.mark.parametrize("variable", [
    # Prefix typos, any of them.
    "byteful_prefligt_min_credit_balance", "bytefull_preflight_min_credit_balance", "bytful_preflight_min_credit_balance",
    "bytefull_prefligt_min_credit_balance", "bytefull_timout",
    "byteful_preflihgt_min_credit_balance", "Byteful_Preflight_Min_Credit_Balance", "byteful_prefligt_purchases",
    # A setting's own name under a prefix with a part missing, or misspelt.
    "byteful_min_credit_balance", "preflight_min_credit_balance", "bytefull_min_credit_balance", "byteful_purchases",
    "byteful_public_key", "byteful_private_key", "byteful_report_path", "prefligt_require_mobile_service",
    # Under the collection's own prefixes: any name it does not read.
    "byteful_preflight_anything", "byteful_api_token", "byteful_preflight_timeout",
    # Within two edits of a setting.
    "byteful_timout", "byteful_retires", "byteful_cache_tl", "byteful_cahce", "byteful_validate_cert",
])
def test_misspelt_settings_are_found(names, variable):
    assert [name for name, dummy in names.misspelt([variable])] == [variable]


@pytest.mark.parametrize("variable", [
    # The collection's own results and settings.
    "byteful_preflight", "byteful_customer", "byteful_preflight_min_credit_balance", "byteful_timeout",
    # Users' own variables, some under byteful_: short common names under a wrong prefix are theirs.
    "byteful_url", "byteful_enabled", "byteful_fail", "byteful_username", "byteful_password", "byteful_proxy_url",
    "byteful_proxy_port", "byteful_customer_id", "byteful_session_ttl", "byteful_country", "byteful_retry_count",
    "min_credit_balance", "timeout", "retries", "api_url", "api_timeout", "validate_certs", "report_path", "enabled",
    "preflight_done", "ansible_user", "inventory_hostname", "hostvars", "omit", "playbook_dir", "role_path",
])
def test_variables_that_are_no_misspelt_setting_are_left_alone(names, variable):
    assert names.misspelt([variable]) == []


@pytest.mark.parametrize("variable, meant", [
    ("byteful_preflight_timeout", "byteful_timeout"), ("byteful_api_min_credit_balance", "byteful_preflight_min_credit_balance"),
    ("byteful_min_residential_days", "byteful_preflight_min_residential_days"),
    ("BYTEFUL_CACHE", "byteful_cache"), ("byteful_cahce", "byteful_cache"),
])
def test_the_suggestion_is_the_setting_meant(names, variable, meant):
    assert names.misspelt([variable]) == [(variable, meant)]


def test_what_the_role_sets_itself_is_read_from_its_tasks(names):
    assert {"byteful_preflight", "byteful_customer"} <= names.own
    assert names.variable("enabled") == "byteful_preflight_enabled"
    assert names.variable("fail_on_shortfall") == "byteful_preflight_fail"
    assert names.variable("min_credit_balance") == "byteful_preflight_min_credit_balance"


def test_what_the_collection_sets_itself_is_never_refused(names):
    own = RoleNames(DataLoader(), ())
    assert [name for name, dummy in own.misspelt(["byteful_preflight_result"])] == ["byteful_preflight_result"]
    own.own.add("byteful_preflight_result")  # as a playbook of the collection registering it would
    assert own.misspelt(["byteful_preflight_result"]) == []
