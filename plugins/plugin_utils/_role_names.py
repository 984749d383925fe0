# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""The preflight role's names, read from the role itself, and the guard against misspelt ones.

Nothing here is a hand-kept list: the settings are the options of the role's
meta/argument_specs.yml and the variables the customer lookup documents; which variable feeds
which preflight_check option is read from the role's task; the names the role and the
collection's playbooks set themselves (byteful_preflight, byteful_customer) from their
``register:`` and ``set_fact`` lines.

A variable of the play is taken for a misspelt setting, and refused before any API call, when
- it starts with byteful_preflight_ or byteful_api_ (those prefixes are the collection's) and is
  not a setting;
- it is within two edits (a letter left out, added, changed or two swapped; any case) of a setting:
  byteful_prefligt_min_credit_balance, bytefull_preflight_min_credit_balance, byteful_timout;
- it is a setting's own distinctive name (one with an underscore, or 8 letters or more) under a
  prefix that lacks a part of the real one or is within two edits of it: byteful_min_credit_balance,
  preflight_min_credit_balance, bytefull_public_key.
Short common names under a wrong prefix (byteful_url, byteful_enabled) are left alone: users name
variables of their own that way, and none of them can switch a check off.
"""

from __future__ import annotations

import difflib
import os
import re

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError

ROLE_NAME = "byteful.proxy.preflight"
COLLECTION_PATH = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
ROLE_PATH = os.path.join(COLLECTION_PATH, "roles", "preflight")
ACTION = "byteful.proxy.preflight_check"

# The prefixes of the collection's variables, longest first; each with the forms a user may write it
# in by mistake: a part left out ("byteful_" for "byteful_preflight_"). "api_" alone is not one:
# api_url and api_timeout are common variables of users' own.
PREFIXES = ("byteful_preflight_", "byteful_api_", "byteful_")
PREFIX_FORMS = {"byteful_preflight_": ("byteful_preflight_", "byteful_", "preflight_"),
                "byteful_api_": ("byteful_api_", "byteful_"),
                "byteful_": ("byteful_",)}
# Any variable under these is the collection's: one it does not read is a typo.
GUARDED_PREFIXES = ("byteful_preflight_", "byteful_api_")
MAX_EDITS = 2
_TEMPLATE_OF_ONE_VARIABLE = re.compile(r"\A\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\Z")


def edits(left, right, limit=MAX_EDITS):
    """The optimal string alignment distance of two strings (insert, delete, change, swap two neighbours),
    or ``limit + 1`` as soon as it is known to be above ``limit``."""
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    before, previous = None, list(range(len(right) + 1))
    for i, char in enumerate(left, 1):
        current = [i] + [0] * len(right)
        for j, other in enumerate(right, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == right[j - 2] and left[i - 2] == other:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def closest(name, names):
    """The one of ``names`` that ``name`` most likely meant (any case): the nearest within MAX_EDITS edits, else one
    that it begins or ends (proxy_user: proxy_user_id), else the closest in spelling; None when none is near."""
    lower = name.lower()
    near = sorted((edits(lower, other.lower()), other) for other in names)
    if near and near[0][0] <= MAX_EDITS:
        return near[0][1]
    parts = [other for other in names if other.lower().startswith(lower) or lower.startswith(other.lower())
             or other.lower().endswith(lower)]
    if parts:
        return min(parts, key=lambda other: (abs(len(other) - len(lower)), other))
    close = difflib.get_close_matches(lower, list(names), n=1)
    return close[0] if close else None


def _split(name):
    """(prefix, own name) of a setting: ("byteful_preflight_", "min_credit_balance")."""
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return prefix, name[len(prefix):]
    return "", name


def _distinctive(own):
    return "_" in own or len(own) >= 8


def _walk(data):
    """Every mapping in the YAML ``data`` (tasks, blocks, plays), depth first."""
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _walk(value)
    elif isinstance(data, list):
        for item in data:
            yield from _walk(item)


def _yaml_files(directory):
    for root, dummy, files in os.walk(directory):
        for name in sorted(files):
            if name.endswith((".yml", ".yaml")):
                yield os.path.join(root, name)


class RoleNames:
    """The role's names, read with ``loader`` (an Ansible DataLoader) from the role's and the playbooks' files.

    ``lookup_names`` are the variables of the customer lookup (see _account.lookup_variables).
    """

    def __init__(self, loader, lookup_names):
        specs = loader.load_from_file(os.path.join(ROLE_PATH, "meta", "argument_specs.yml"))
        self.settings = sorted(set(specs["argument_specs"]["main"]["options"]) | set(lookup_names))
        # Each setting's distinctive own name with the forms of its prefix, for _under_wrong_prefix.
        self._distinct = [(own, PREFIX_FORMS.get(prefix, ())) for prefix, own in map(_split, self.settings)
                          if _distinctive(own)]
        self.variables = {}  # preflight_check option -> the role variable that feeds it
        self.own = set()  # what the role and the collection's playbooks set themselves
        for path in list(_yaml_files(os.path.join(ROLE_PATH, "tasks"))) + list(
                _yaml_files(os.path.join(COLLECTION_PATH, "playbooks"))):
            for item in _walk(loader.load_from_file(path)):
                if isinstance(item.get("register"), str):
                    self.own.add(item["register"])
                for key in ("ansible.builtin.set_fact", "set_fact"):
                    if isinstance(item.get(key), dict):
                        self.own.update(name for name in item[key] if name != "cacheable")
                if path.startswith(ROLE_PATH) and isinstance(item.get(ACTION), dict):
                    for option, value in item[ACTION].items():
                        match = _TEMPLATE_OF_ONE_VARIABLE.match(value) if isinstance(value, str) else None
                        if match:
                            self.variables[option] = match.group(1)

    def variable(self, option):
        """The role variable that sets the preflight_check ``option`` (fail_on_shortfall: byteful_preflight_fail)."""
        return self.variables.get(option, option)

    def misspelt(self, names):
        """``[(name, closest setting or None)]`` for each of ``names`` taken for a misspelt setting (see the module)."""
        settings = set(self.settings)
        found = []
        for name in sorted(names):
            if not isinstance(name, str) or name in settings or name in self.own:
                continue
            lower = name.lower()
            if (lower.startswith(GUARDED_PREFIXES) or lower in settings or self._under_wrong_prefix(lower)
                    or any(abs(len(lower) - len(setting)) <= MAX_EDITS and edits(lower, setting) <= MAX_EDITS
                           for setting in self.settings)):
                found.append((name, self._closest(lower)))
        return found

    def _under_wrong_prefix(self, lower):
        for own, forms in self._distinct:
            if lower.endswith(own) and lower != own:
                written = lower[:-len(own)]
                if any(edits(written, form) <= MAX_EDITS for form in forms):
                    return True
        return False

    def _closest(self, lower):
        """The setting a misspelt name most likely meant: the same name in another case, the setting whose own name it
        ends with (byteful_preflight_timeout: byteful_timeout), else the closest in spelling."""
        if lower in self.settings:
            return lower
        endings = [setting for setting in self.settings if lower.endswith("_" + _split(setting)[1])]
        if endings:
            return max(endings, key=lambda setting: len(_split(setting)[1]))
        close = difflib.get_close_matches(lower, self.settings, n=1)
        return close[0] if close else None

    def refuse_misspelt(self, names):
        """One sentence naming every misspelt setting among ``names`` and the closest real one, or nothing."""
        found = self.misspelt(names)
        if not found:
            return
        named = ["%s (did you mean %s?)" % (name, close) if close else name for name, close in found]
        several = len(found) > 1
        raise BytefulError(
            "The play sets %s, which %s does not read; a misspelt setting would leave its check off, so fix the %s or "
            "remove the %s (ansible-doc -t role %s lists them)." % (
                ", ".join(named[:-1]) + " and " + named[-1] if several else named[0], ROLE_NAME,
                "names" if several else "name", "variables" if several else "variable", ROLE_NAME))
