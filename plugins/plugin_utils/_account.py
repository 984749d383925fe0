# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""Reading the account on the controller, for the customer lookup and the preflight_check action.

Both take the connection options the way the lookup documents them (keyword or task option,
then the byteful_* variables, then ansible.cfg's [byteful] section, then the BYTEFUL_API_*
environment variables), check their types strictly, share the answer through the run cache, and
word errors about any option with the name the user actually set: an option, a variable, an
environment variable, an ansible.cfg entry.
"""

from __future__ import annotations

import math
import os

from ansible import constants as C

from ansible_collections.byteful.proxy.plugins.module_utils._api import CONNECTION_OPTIONS, BytefulClient, BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._customer import fetch_customer
from ansible_collections.byteful.proxy.plugins.plugin_utils._preflight import parse_bool, shown
from ansible_collections.byteful.proxy.plugins.plugin_utils._role_names import closest
from ansible_collections.byteful.proxy.plugins.plugin_utils._run_cache import (
    RunCache,
    entry_name,
    part_entry_name,
    seal,
    sealing_key,
    unseal,
)

LOOKUP_NAME = "byteful.proxy.customer"
KEY_OPTIONS = ("api_public_key", "api_private_key")


def lookup_variables(lookup):
    """Every variable the customer lookup reads (byteful_api_url, byteful_cache, ...), from its DOCUMENTATION.

    ``lookup`` is the loaded plugin: Ansible keeps its configuration under the name it was loaded as.
    """
    return C.config.get_plugin_vars("lookup", lookup._load_name)  # pylint: disable=protected-access


def _definitions(plugin):
    return C.config.get_configuration_definitions("lookup", plugin._load_name)  # pylint: disable=protected-access


def variable_names(plugin):
    """Each option of the lookup that a variable sets, by the first variable its DOCUMENTATION names
    (api_url: byteful_api_url, timeout: byteful_timeout, cache: byteful_cache, ...)."""
    return {option: definition["vars"][0]["name"] for option, definition in _definitions(plugin).items()
            if definition.get("vars")}


def option_variables(lookup, templar, variables):
    """The variables that set the lookup's options, templated.

    Ansible hands lookups the raw variables, so without this an option set as
    byteful_api_private_key: "{{ vault_byteful_private_key }}" would arrive as that text.
    """
    return {name: templar.template(variables[name]) for name in lookup_variables(lookup) if name in variables}


def _check_value(value, kind, name):
    """``value`` of an option of type ``kind`` as the user set it under ``name``: one sentence if it is not one.

    Stricter than Ansible's configuration, which reads any word it does not know as false
    (byteful_validate_certs: ture would turn certificate checks off) and names the option, not
    the variable, when a number is not one. The value of a text option is never quoted: it may be a key.
    """
    if value is None:
        return
    if kind in ("bool", "boolean"):
        parse_bool(value, name)
    elif kind in ("int", "integer", "float"):
        text = value.strip() if isinstance(value, str) else None
        try:
            number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else (
                float(text) if text and kind == "float" else int(text, 10) if text else None)
        except ValueError:
            number = None
        if number is None or isinstance(number, float) and not math.isfinite(number):
            raise BytefulError("%s must be %s, got %s." % (
                name, "a number" if kind == "float" else "a whole number", shown(value)))
        if kind != "float" and isinstance(number, float) and not number.is_integer():
            raise BytefulError("%s must be a whole number, got %s." % (name, shown(value)))
    elif isinstance(value, (dict, list, tuple, set, bool)):
        raise BytefulError("%s must be text, got a %s." % (name, "boolean" if isinstance(value, bool) else type(value).__name__))


def set_plugin_options(plugin, templar, variables, direct, direct_names):
    """Set the lookup's options on ``plugin`` from the play's ``variables`` and the ``direct`` ones (keywords, task
    options), each value checked first against its documented type, any error naming it as the user set it
    (the variable, or ``direct_names[option]``)."""
    definitions = _definitions(plugin)
    unknown = sorted(name for name in direct if name not in definitions)
    if unknown:
        # Ansible would ignore it: a misspelt proxy_user_id would list the default user's credentials.
        named = ["%s (did you mean %s?)" % (name, closest(name, definitions)) if closest(name, definitions) else name
                 for name in unknown]
        name = plugin.ansible_name
        raise BytefulError("The %s lookup has no option %s; a misspelt option would be ignored, so fix %s (ansible-doc "
                           "-t lookup %s lists the options)." % (
                               name, " or ".join(named), "the names" if len(unknown) > 1 else "the name", name))
    values = option_variables(plugin, templar, variables)
    for option, definition in definitions.items():
        kind = definition.get("type")
        for entry in definition.get("vars") or []:
            if entry["name"] in values:
                _check_value(values[entry["name"]], kind, entry["name"])
        if option in direct:
            _check_value(direct[option], kind, direct_names.get(option, option))
    plugin.set_options(var_options=values, direct=direct)


def option_names(plugin, direct_names, unset_names):
    """How the user set each connection option, for messages: ``direct_names[option]`` for a keyword, a task option or
    module_defaults, the variable or environment variable that set it, the ansible.cfg entry, or ``unset_names[option]``
    when it is not set (the name to set it with)."""
    definitions = _definitions(plugin)
    names = {}
    for option in CONNECTION_OPTIONS:
        value, origin = plugin.get_option_and_origin(option)
        origin = origin or ""
        if value is None or option in KEY_OPTIONS and not value:  # an empty BYTEFUL_API_PRIVATE_KEY is "not set"
            names[option] = unset_names[option]
        elif origin == "Direct":
            names[option] = direct_names[option]
        elif origin.startswith(("var: ", "env: ")):
            names[option] = origin.split(": ", 1)[1]
        elif os.path.isabs(origin):  # a configuration file
            entry = (definitions[option].get("ini") or [{"key": option, "section": "byteful"}])[0]
            names[option] = "%s in the [%s] section of %s" % (entry["key"], entry["section"], origin)
        else:  # the default
            names[option] = unset_names[option]
    return names


class AccountSession:
    """One account's client and run cache, for the options set on ``plugin`` (the customer lookup's options).

    ``names`` (see option_names) and ``keys_where`` word the errors (see BytefulClient); ``warn``
    shows the client's warnings. Within one run every caller of the same account shares one
    API call per thing read (the Customer object; for the preflight also a product's usage,
    the services, the proxy users, a quote), unless the cache option is off.
    """

    def __init__(self, plugin, names, keys_where, warn):
        options = {name: plugin.get_option(name) for name in CONNECTION_OPTIONS}
        self.client = BytefulClient.from_options(options, option_names=names, keys_where=keys_where)
        self._warn = warn
        self._shown = 0
        self._show_warnings()
        self.cache = RunCache(C.DEFAULT_LOCAL_TMP, plugin.get_option("cache_ttl")) if plugin.get_option("cache") else None
        self.account = entry_name(self.client.api_url, self.client.public_key, options["api_private_key"])
        self._private_key = options["api_private_key"]

    def _show_warnings(self):
        for warning in self.client.warnings[self._shown:]:
            self._warn(self.client.redact(warning))
        self._shown = len(self.client.warnings)

    def _fetched(self, fetch):
        """``fetch(client)``; its error with every secret the client learnt by then removed (a password read on an
        earlier page), before the run cache stores it or anyone shows it."""
        try:
            return fetch(self.client)
        except BytefulError as exc:
            raise self.client.redacted_error(exc) from None

    def read(self, part, parameters, fetch):
        """``fetch(client)``, or the answer another process of the run already got for the same part and parameters."""
        try:
            if self.cache is None:
                return self._fetched(fetch)
            name = self.account if part == "customer" else part_entry_name(self.account, part, parameters)
            return self.cache.get_or_fetch(name, lambda: self._fetched(fetch))
        finally:
            # What the request itself found worth a warning (a member left out of the answer...).
            self._show_warnings()

    def read_sealed(self, part, parameters, fetch):
        """As read(), for an answer that holds credentials: a cache entry holds it sealed (see _run_cache.seal)."""
        if self.cache is None:
            return fetch(self.client)
        key = sealing_key(self._private_key, part)
        return unseal(key, self.read(part, parameters, lambda client: seal(key, fetch(client))))

    def customer(self):
        return self.read("customer", None, fetch_customer)


def read_customer(plugin, names, keys_where, warn):
    """The validated Customer object for the options set on ``plugin`` (the customer lookup's options)."""
    return AccountSession(plugin, names, keys_where, warn).customer()
