# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""The rules the Byteful API holds a proxy user to, as far as the collection knows them: one table.

The proxy_user module checks a task against them before it sends anything (check mode too), and the
simulator (tests/simulator/resources/proxy_user_writes.py) enforces this same table, read from this
file: the sandbox never refuses what check mode accepted, and never invents a rule the modules do not
know. Plain Python only (the simulator loads this file by its path, without Ansible).

Sources: the API reference and byteful-sdk (docs: proxy_user_id 10-32 characters on create, metadata
a flat object of at most 30 keys), the rest as the simulator has always enforced them.
"""

from __future__ import annotations

RULES = {
    # The user name, on create: 10 to 32 of these characters.
    "proxy_user_id": {"length": (10, 32), "characters": "[A-Za-z0-9_]", "words": "letters, digits or underscores"},
    # A password set on create or edit.
    "proxy_user_password": {"length": (10, 32), "characters": "[A-Za-z0-9]", "words": "letters and digits"},
    # IP address authentications: at most the user's proxy_user_ip_address_authentication_limit, this when unknown;
    # an address or a network (203.0.113.0/24), each once.
    "ip_address_authentications": {"max_items": 5, "networks": True},
    # Flat metadata: keys, the length of each value as text, the size of the whole as JSON.
    "proxy_user_metadata": {"max_keys": 30, "max_value_length": 300, "max_json_bytes": 32768},
    # Strict security authenticates by IP address only: it needs at least one.
    "proxy_user_is_strict_security": {"needs": "ip_address_authentications"},
}


def pattern(member):
    """The regular expression a whole value of ``member`` (proxy_user_id, proxy_user_password) must match."""
    rule = RULES[member]
    return "%s{%d,%d}" % (rule["characters"], rule["length"][0], rule["length"][1])


def sentence(member):
    """The rule for ``member`` in words: "10 to 32 letters and digits"."""
    rule = RULES[member]
    return "%d to %d %s" % (rule["length"][0], rule["length"][1], rule["words"])
