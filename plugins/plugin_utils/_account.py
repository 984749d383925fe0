# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""Reading the account on the controller, for the customer lookup and the preflight_check action.

Both take the connection options the way the lookup documents them (keyword or task option,
then the byteful_* variables, then ansible.cfg's [byteful] section, then the BYTEFUL_API_*
environment variables), share the answer through the run cache, and word errors about the keys
with the name the user actually set: an option, a variable, an environment variable.
"""

from __future__ import annotations

import os

from ansible import constants as C

from ansible_collections.byteful.proxy.plugins.module_utils._api import CONNECTION_OPTIONS, BytefulClient
from ansible_collections.byteful.proxy.plugins.module_utils._customer import fetch_customer
from ansible_collections.byteful.proxy.plugins.plugin_utils._run_cache import RunCache, entry_name

LOOKUP_NAME = "byteful.proxy.customer"
KEY_OPTIONS = ("api_public_key", "api_private_key")


def lookup_variables(lookup):
    """Every variable the customer lookup reads (byteful_api_url, byteful_cache, ...), from its DOCUMENTATION.

    ``lookup`` is the loaded plugin: Ansible keeps its configuration under the name it was loaded as.
    """
    return C.config.get_plugin_vars("lookup", lookup._load_name)  # pylint: disable=protected-access


def option_variables(lookup, templar, variables):
    """The variables that set the lookup's options, templated.

    Ansible hands lookups the raw variables, so without this an option set as
    byteful_api_private_key: "{{ vault_byteful_private_key }}" would arrive as that text.
    """
    return {name: templar.template(variables[name]) for name in lookup_variables(lookup) if name in variables}


def key_names(plugin, direct_names, unset_names):
    """How the user set each key, for messages: ``direct_names`` for a keyword or task option, the
    variable or environment variable that set it, the ansible.cfg entry, or ``unset_names`` when unset."""
    names = {}
    for option in KEY_OPTIONS:
        value, origin = plugin.get_option_and_origin(option)
        origin = origin or ""
        if not value:  # an empty BYTEFUL_API_PRIVATE_KEY is "not set": name where to set it
            names[option] = unset_names[option]
        elif origin == "Direct":
            names[option] = direct_names[option]
        elif origin.startswith(("var: ", "env: ")):
            names[option] = origin.split(": ", 1)[1]
        elif os.path.isabs(origin):  # a configuration file
            names[option] = "%s in the [byteful] section of %s" % (option, origin)
        else:
            names[option] = unset_names[option]
    return names


def read_customer(plugin, names, keys_where, warn):
    """The validated Customer object for the options set on ``plugin`` (the customer lookup's options).

    ``names`` and ``keys_where`` word the errors about the keys (see BytefulClient); ``warn``
    shows the client's warnings. Within one run every caller of the same account shares one
    API call, unless the cache option is off.
    """
    options = {name: plugin.get_option(name) for name in CONNECTION_OPTIONS}
    client = BytefulClient.from_options(options, key_names=names, keys_where=keys_where)
    for warning in client.warnings:
        warn(warning)
    shown = len(client.warnings)
    try:
        if not plugin.get_option("cache"):
            return fetch_customer(client)
        cache = RunCache(C.DEFAULT_LOCAL_TMP, plugin.get_option("cache_ttl"))
        name = entry_name(client.api_url, client.public_key, options["api_private_key"])
        return cache.get_or_fetch(name, lambda: fetch_customer(client))
    finally:
        # What the request itself found worth a warning (a member left out of the answer...).
        for warning in client.warnings[shown:]:
            warn(warning)
