# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""How the user set each connection option, for messages, from the customer lookup's option origins."""

from __future__ import annotations

import pytest

from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader
from ansible.template import Templar

from ansible_collections.byteful.proxy.plugins.module_utils._api import CONNECTION_OPTIONS, BytefulError
from ansible_collections.byteful.proxy.plugins.plugin_utils._account import option_names, set_plugin_options, variable_names

OPTIONS = {option: option for option in CONNECTION_OPTIONS}


@pytest.fixture
def lookup(monkeypatch):
    for variable in ("BYTEFUL_API_URL", "BYTEFUL_API_PUBLIC_KEY", "BYTEFUL_API_PRIVATE_KEY"):
        monkeypatch.delenv(variable, raising=False)
    loader = DataLoader()
    return lookup_loader.get("byteful.proxy.customer", loader=loader, templar=Templar(loader=loader))


def test_variable_names_are_the_lookup_s_documented_variables(lookup):
    assert variable_names(lookup) == {
        "api_url": "byteful_api_url", "api_public_key": "byteful_api_public_key",
        "api_private_key": "byteful_api_private_key", "validate_certs": "byteful_validate_certs",
        "ca_path": "byteful_ca_path", "timeout": "byteful_timeout", "retries": "byteful_retries",
        "rate_limit_wait": "byteful_rate_limit_wait", "allow_insecure_http": "byteful_allow_insecure_http",
        "cache": "byteful_cache", "cache_ttl": "byteful_cache_ttl"}


def test_every_option_is_named_where_it_was_set(lookup, monkeypatch):
    monkeypatch.setenv("BYTEFUL_API_PRIVATE_KEY", "k" * 20)
    set_plugin_options(lookup, lookup._templar, {"byteful_timeout": 20, "byteful_allow_insecure_http": True},
                       {"retries": 1, "api_url": "http://127.0.0.1:1/1.0"}, OPTIONS)
    names = option_names(lookup, {option: "the %s keyword" % option for option in CONNECTION_OPTIONS},
                         variable_names(lookup))
    assert names == {"api_url": "the api_url keyword", "api_public_key": "byteful_api_public_key",
                     "api_private_key": "BYTEFUL_API_PRIVATE_KEY", "validate_certs": "byteful_validate_certs",
                     "ca_path": "byteful_ca_path", "timeout": "byteful_timeout", "retries": "the retries keyword",
                     "rate_limit_wait": "byteful_rate_limit_wait", "allow_insecure_http": "byteful_allow_insecure_http"}


def test_an_empty_key_is_named_where_to_set_it(lookup, monkeypatch):
    monkeypatch.setenv("BYTEFUL_API_PRIVATE_KEY", "")
    set_plugin_options(lookup, lookup._templar, {}, {}, OPTIONS)
    assert option_names(lookup, OPTIONS, variable_names(lookup))["api_private_key"] == "byteful_api_private_key"
    assert option_names(lookup, OPTIONS, OPTIONS)["api_private_key"] == "api_private_key"


def test_an_ansible_cfg_entry_is_named_with_its_file(lookup, monkeypatch):
    set_plugin_options(lookup, lookup._templar, {}, {}, OPTIONS)
    original = lookup.get_option_and_origin

    def from_file(option, hostvars=None):
        value, origin = original(option, hostvars)
        return (30.0, "/etc/ansible/ansible.cfg") if option == "timeout" else (value, origin)

    monkeypatch.setattr(lookup, "get_option_and_origin", from_file)
    assert option_names(lookup, OPTIONS, OPTIONS)["timeout"] == "timeout in the [byteful] section of /etc/ansible/ansible.cfg"


@pytest.mark.parametrize("variables, direct, words", [
    ({"byteful_validate_certs": "ture"}, {}, "byteful_validate_certs must be true or false, got 'ture'."),
    ({}, {"allow_insecure_http": "yes please"}, "allow_insecure_http must be true or false, got 'yes please'."),
    ({"byteful_retries": "3.5"}, {}, "byteful_retries must be a whole number, got '3.5'."),
    ({"byteful_retries": True}, {}, "byteful_retries must be a whole number, got True."),
    ({"byteful_timeout": float("nan")}, {}, "byteful_timeout must be a number, got nan."),
    ({"byteful_api_private_key": ["secret-that-must-not-show"]}, {}, "byteful_api_private_key must be text, got a list."),
])
def test_option_types_are_checked_strictly_and_named(lookup, variables, direct, words):
    with pytest.raises(BytefulError) as info:
        set_plugin_options(lookup, lookup._templar, variables, direct, OPTIONS)
    assert info.value.message == words


@pytest.mark.parametrize("variables", [{"byteful_retries": "3"}, {"byteful_timeout": "2.5"}, {"byteful_cache": "no"},
                                       {"byteful_validate_certs": "yes"}, {"byteful_cache_ttl": 60.0},
                                       {"byteful_ca_path": None}])
def test_what_ansible_accepts_still_works(lookup, variables):
    set_plugin_options(lookup, lookup._templar, variables, {}, OPTIONS)
