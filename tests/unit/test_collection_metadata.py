# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Lists kept by hand in more than one place, checked against each other so they cannot drift."""

from __future__ import annotations

import importlib
import math
import os
import re

import pytest
import yaml

from ansible_collections.byteful.proxy.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.byteful.proxy.plugins.module_utils._api import (
    CONNECTION_ARGUMENT_SPEC,
    COLLECTION_VERSION,
    USER_AGENT,
    worst_case_seconds,
)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def _yaml(*path):
    with open(os.path.join(ROOT, *path), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _modules_using_the_api():
    directory = os.path.join(ROOT, "plugins", "modules")
    names = set()
    for filename in os.listdir(directory):
        with open(os.path.join(directory, filename), encoding="utf-8") as handle:
            if "- byteful.proxy.connection\n" in handle.read():
                names.add(filename[:-3])
    return names


def test_user_agent_version_is_galaxy_version():
    assert COLLECTION_VERSION == _yaml("galaxy.yml")["version"]
    assert COLLECTION_VERSION in USER_AGENT


def test_action_group_holds_every_module_that_talks_to_the_api():
    # A module outside the group would not get the keys that module_defaults sets for it.
    group = _yaml("meta", "runtime.yml")["action_groups"]["byteful"]
    assert set(group) == _modules_using_the_api()
    assert {"customer_info", "preflight_check", "service_info", "usage_info", "proxy_user_info", "checkout_quote", "proxy_user",
            "proxy_info", "product_info"} <= set(group)


def test_preflight_check_documents_exactly_its_action_argument_spec():
    # The module file only documents; the action plugin holds the argument spec.
    from ansible_collections.byteful.proxy.plugins.action.preflight_check import ARGUMENT_SPEC
    from ansible_collections.byteful.proxy.plugins.modules import preflight_check

    documented = dict(yaml.safe_load(preflight_check.DOCUMENTATION)["options"])
    assert "byteful.proxy.connection" in yaml.safe_load(preflight_check.DOCUMENTATION)["extends_documentation_fragment"]
    documented.update(yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"])
    assert set(documented) == set(ARGUMENT_SPEC)
    for name, spec in ARGUMENT_SPEC.items():
        assert documented[name]["type"] == spec["type"], name
        if name not in CONNECTION_ARGUMENT_SPEC:  # those default to what the lookup reads
            assert documented[name].get("default") == spec.get("default"), name
        assert documented[name].get("required", False) == spec.get("required", False), name


def test_doc_fragment_documents_exactly_the_argument_spec():
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert set(documented) == set(CONNECTION_ARGUMENT_SPEC)
    for name, spec in CONNECTION_ARGUMENT_SPEC.items():
        assert documented[name]["type"] == spec["type"], name
        assert documented[name].get("default") == spec.get("default"), name
    # Lookups read the same options from variables; the private key from no ini file.
    plugin_sources = yaml.safe_load(ModuleDocFragment.PLUGINS)["options"]
    assert set(plugin_sources) == set(CONNECTION_ARGUMENT_SPEC)
    assert "ini" not in plugin_sources["api_private_key"]


def test_env_fallbacks_match_the_documented_variables():
    plugin_sources = yaml.safe_load(ModuleDocFragment.PLUGINS)["options"]
    for name, spec in CONNECTION_ARGUMENT_SPEC.items():
        fallback = spec.get("fallback")
        module_env = fallback[1] if fallback else []
        plugin_env = [entry["name"] for entry in plugin_sources[name].get("env", [])]
        assert module_env == plugin_env, name


def test_role_argument_specs_cover_every_default():
    specs = _yaml("roles", "preflight", "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    defaults = _yaml("roles", "preflight", "defaults", "main.yml")
    for name, value in defaults.items():
        assert name in specs, name
        assert specs[name].get("default") == value, name
    # Every API variable the lookup reads is a documented role input.
    plugin_sources = yaml.safe_load(ModuleDocFragment.PLUGINS)["options"]
    for sources in plugin_sources.values():
        for var in sources.get("vars", []):
            assert var["name"] in specs, var["name"]


def test_changelog_fragments_are_yaml_mappings():
    directory = os.path.join(ROOT, "changelogs", "fragments")
    for filename in os.listdir(directory):
        if filename.startswith("."):  # .keep holds the directory in git between releases
            continue
        assert re.match(r"^[\w.-]+\.ya?ml$", filename), filename
        assert isinstance(_yaml("changelogs", "fragments", filename), dict), filename


def test_documented_worst_case_is_the_policy_s():
    # The retries option and the CI guide state the bound in seconds; it must follow the retry
    # policy's constants.
    retries = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]["retries"]["description"]
    stated = [int(n) for line in retries for n in re.findall(r"at most about (\d+) seconds", line)]
    with open(os.path.join(ROOT, "docs", "docsite", "rst", "preflight_in_ci.rst"), encoding="utf-8") as handle:
        stated += [int(n) for n in re.findall(r"at most\s+about\s+(\d+)\s+seconds", handle.read())]
    assert stated == [math.ceil(worst_case_seconds())] * 2


@pytest.mark.parametrize("name", ["service_info", "usage_info", "checkout_quote", "proxy_user", "proxy_info", "product_info"])
def test_module_documents_exactly_its_argument_spec(name):
    # Choices (the eight service statuses, the two products) come from module_utils; the
    # documentation lists them by hand, so the two must agree.
    module = importlib.import_module("ansible_collections.byteful.proxy.plugins.modules." + name)
    documentation = yaml.safe_load(module.DOCUMENTATION)
    assert "byteful.proxy.connection" in documentation["extends_documentation_fragment"]
    documented = dict(documentation["options"])
    documented.update(yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"])
    assert set(documented) == set(module.ARGUMENT_SPEC)
    for option, spec in module.ARGUMENT_SPEC.items():
        assert documented[option]["type"] == spec["type"], option
        assert documented[option].get("default") == spec.get("default"), option
        assert documented[option].get("required", False) == spec.get("required", False), option
        assert documented[option].get("elements") == spec.get("elements"), option
        assert sorted(documented[option].get("choices") or []) == sorted(spec.get("choices") or []), option
        assert documented[option].get("aliases") == spec.get("aliases"), option


def test_proxy_user_info_takes_the_connection_options_alone():
    from ansible_collections.byteful.proxy.plugins.modules import proxy_user_info

    assert "options" not in yaml.safe_load(proxy_user_info.DOCUMENTATION)


@pytest.mark.parametrize("name", ["service_info", "usage_info", "proxy_user_info", "checkout_quote", "proxy_info", "product_info"])
def test_new_modules_are_info_modules_of_the_group(name):
    module = importlib.import_module("ansible_collections.byteful.proxy.plugins.modules." + name)
    documentation = yaml.safe_load(module.DOCUMENTATION)
    fragments = documentation["extends_documentation_fragment"]
    assert {"byteful.proxy.attributes.info_module", "byteful.proxy.attributes.actiongroup_byteful"} <= set(fragments)
    assert documentation["version_added"] == "0.2.0"


def test_proxy_user_changes_things_with_check_mode_and_diff():
    from ansible_collections.byteful.proxy.plugins.modules import proxy_user

    documentation = yaml.safe_load(proxy_user.DOCUMENTATION)
    fragments = documentation["extends_documentation_fragment"]
    assert "byteful.proxy.attributes.info_module" not in fragments and "byteful.proxy.attributes.actiongroup_byteful" in fragments
    assert documentation["attributes"]["check_mode"]["support"] == documentation["attributes"]["diff_mode"]["support"] == "full"
    assert proxy_user.ARGUMENT_SPEC["password"]["no_log"] is True


def test_proxy_list_lookup_documents_the_options_it_reads():
    from ansible_collections.byteful.proxy.plugins.lookup import proxy_list
    from ansible_collections.byteful.proxy.plugins.module_utils._proxy_list import LIST_FILTERS, LIST_OPTIONS

    docs = yaml.safe_load(proxy_list.DOCUMENTATION)
    read = {option for option, dummy, dummy in LIST_OPTIONS} | {"proxy_user_id"} | set(LIST_FILTERS)
    assert read | {"_terms"} == set(docs["options"])
    # cache and cache_ttl, from the fragment both lookups share
    assert "byteful.proxy.connection.run_cache" in docs["extends_documentation_fragment"]


@pytest.mark.once
def test_every_mutant_still_applies():
    """Each bug of the mutation check (tools/mutants.yml) finds its line exactly once: a change that moves or rewords
    the line must move the mutant with it, or the mutation check would test nothing there."""
    with open(os.path.join(ROOT, "tools", "mutants.yml"), encoding="utf-8") as handle:
        mutants = yaml.safe_load(handle)["mutants"]
    stale = []
    for mutant in mutants:
        with open(os.path.join(ROOT, mutant["file"]), encoding="utf-8") as handle:
            found = handle.read().count(mutant["find"])
        if found != 1:
            stale.append("%s (%s: found %d times)" % (mutant["id"], mutant["file"], found))
    assert not stale, "mutants whose line is not found exactly once: " + ", ".join(stale)
