# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""The proxy_user module's options as the API members they declare, checked before any request.

Sizes, addresses and metadata are read here, and every rule of the API that the collection knows
(_proxy_user_rules.RULES: lengths, characters, counts) is checked against the task, in check mode
too, so that check mode and the real run agree. A password is never quoted in a message.
"""

from __future__ import annotations

import ipaddress
import json
import re

from ansible_collections.byteful.proxy.plugins.module_utils._api import OptionError
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user_rules import RULES, pattern, sentence
from ansible_collections.byteful.proxy.plugins.module_utils._size import MAX_BYTES, SIZE_EXAMPLES, format_bytes, parse_size

ACCESS_TYPES = ("all", "service_restricted", "proxy_restricted")
UPDATE_PASSWORD = ("always", "on_create")
PASSWORD = "proxy_user_password"
_METADATA = RULES["proxy_user_metadata"]
# A bare number below this is almost surely a unit slip: 5 meant as 5 GB would cap the user at 5 bytes.
SLIP_BYTES = 1024 ** 2
UNLIMITED = ("unlimited", "none")

# The members a task can declare, by option: (option, API member).
MEMBERS = (
    ("access_type", "proxy_user_access_type"),
    ("strict_security", "proxy_user_is_strict_security"),
    ("enforce_https", "proxy_user_enforce_https"),
    ("ip_address_authentications", "ip_address_authentications"),
    ("residential_bytes_limit", "proxy_user_residential_bytes_limit"),
    ("mobile_bytes_limit", "proxy_user_mobile_bytes_limit"),
    ("metadata", "proxy_user_metadata"),
)
OPTION_OF = {member: option for option, member in MEMBERS}


def parse_limit(value, option):
    """A byte limit: a number of bytes, a size ("10 GB"), or "unlimited" (None); OptionError otherwise."""
    if isinstance(value, str) and value.strip().lower() in UNLIMITED:
        return None
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip():
        number = parse_size(value)
    if number is None:
        raise OptionError("%s %r is not a size; use a number of bytes, a size such as %s, or unlimited." % (
            option, value, SIZE_EXAMPLES))
    if number < 0:
        raise OptionError("%s must not be negative, got %r." % (option, value))
    if number > MAX_BYTES:
        raise OptionError("%s %r is more than any account can hold (%s); check the unit." % (
            option, value, format_bytes(MAX_BYTES)))
    bare = isinstance(value, int) or not any(ch.isalpha() for ch in value)
    if bare and isinstance(value, str) and not value.strip().lstrip("+").isdigit():
        # "0.5" is no number of bytes: half of what unit?
        raise OptionError("%s %r has no unit and is not a whole number of bytes; write the unit, such as '%s GB'." % (
            option, value, value.strip()))
    if bare and 1 < number < SLIP_BYTES:
        # A provisioning task that caps a user at 5 bytes is a typo that silently breaks the user.
        raise OptionError("%s %r is only %s, as a bare number is bytes; write the unit, such as '%d GB', or at least %d "
                          "bytes." % (option, value, format_bytes(number), number, SLIP_BYTES))
    return number


def addresses(values):
    """ip_address_authentications in canonical form (a /32 as its address), each once, within the API's count."""
    if not isinstance(values, list):
        raise OptionError("ip_address_authentications must be a list of IP addresses, got %s." % type(values).__name__)
    found = []
    for value in values:
        try:
            network = ipaddress.ip_network(value.strip(), strict=True) if isinstance(value, str) else None
        except ValueError:
            network = None
        if network is None:
            raise OptionError("ip_address_authentications: %r is not an IP address (such as 203.0.113.7 or 2001:db8::7) "
                              "or network (203.0.113.0/24)." % (value,))
        text = str(network.network_address) if network.prefixlen == network.max_prefixlen else str(network)
        if text in found:
            raise OptionError("ip_address_authentications lists %s twice." % text)
        found.append(text)
    if len(found) > RULES["ip_address_authentications"]["max_items"]:
        raise OptionError("ip_address_authentications lists %d addresses; the API allows at most %d." % (
            len(found), RULES["ip_address_authentications"]["max_items"]))
    return found


def _metadata(value):
    if not isinstance(value, dict):
        raise OptionError("metadata must be a dictionary, got %s." % type(value).__name__)
    if len(value) > _METADATA["max_keys"]:
        raise OptionError("metadata has %d keys; the API allows at most %d." % (len(value), _METADATA["max_keys"]))
    nested = sorted(str(key) for key, item in value.items() if item is None or isinstance(item, (dict, list)))
    if nested:
        raise OptionError("metadata is flat: the values of %s must be text, numbers or booleans." % ", ".join(nested))
    long_values = sorted(str(key) for key, item in value.items() if len(str(item)) > _METADATA["max_value_length"])
    if long_values:
        raise OptionError("metadata: the value of %s is longer than the %d characters the API allows." % (
            ", ".join(long_values), _METADATA["max_value_length"]))
    if len(json.dumps(value)) > _METADATA["max_json_bytes"]:
        raise OptionError("metadata is larger than the %d bytes (as JSON) the API allows." % _METADATA["max_json_bytes"])
    return dict(value)


def check_id(user_id):
    """proxy_user_id as given, or OptionError: one path segment (it goes into the edit's and delete's URL)."""
    if not isinstance(user_id, str) or not user_id.strip():
        raise OptionError("proxy_user_id must be the proxy user's name, got %r." % (user_id,))
    if any(ch in user_id for ch in "/\\?#%") or any(ch.isspace() or not ch.isprintable() for ch in user_id):
        raise OptionError("proxy_user_id %r holds white space, a control character or one of / \\ ? # %%, which no "
                          "proxy user name has." % (user_id,))
    return user_id


def check_password(password):
    """The password as given, or OptionError when the API would refuse it (never quoting it)."""
    if password is not None and not (isinstance(password, str) and re.fullmatch(pattern(PASSWORD), password)):
        raise OptionError("password must be %s (the API's rule), got %s." % (
            sentence(PASSWORD), _what_breaks(PASSWORD, password) if isinstance(password, str) else
            "a %s" % type(password).__name__))
    return password


def check_new_id(user_id):
    """OptionError when the API would refuse ``user_id`` as a new user's name."""
    if not re.fullmatch(pattern("proxy_user_id"), user_id):
        raise OptionError("Proxy user %s was not created: proxy_user_id must be %s for a new proxy user (the API's rule), "
                          "got %s." % (user_id, sentence("proxy_user_id"), _what_breaks("proxy_user_id", user_id)))


def _what_breaks(member, value):
    """"14 characters, some of them not letters and digits": how ``value`` breaks the rule, never the value itself."""
    rule = RULES[member]
    others = not re.fullmatch("%s*" % rule["characters"], value)
    return "%d characters%s" % (len(value), ", some of them not %s" % rule["words"] if others else "")


def check_rules(after, current):
    """OptionError when the user as it would be after the write breaks a rule the API holds it to (RULES)."""
    addresses = after.get("ip_address_authentications") or []
    limit = (current or {}).get("proxy_user_ip_address_authentication_limit")
    if isinstance(limit, int) and not isinstance(limit, bool) and len(addresses) > limit:
        raise OptionError("ip_address_authentications lists %d addresses; this proxy user may hold at most %d "
                          "(proxy_user_ip_address_authentication_limit)." % (len(addresses), limit))
    if after.get("proxy_user_is_strict_security") is True and not addresses:
        raise OptionError("strict_security true needs at least one address in ip_address_authentications (the API's rule: "
                          "such a user authenticates by IP address only).")
    for kind in ("residential", "mobile"):
        wanted, used = after.get("proxy_user_%s_bytes_limit" % kind), (current or {}).get("proxy_user_%s_bytes_used" % kind)
        if isinstance(wanted, int) and isinstance(used, int) and not isinstance(used, bool) and wanted < used:
            raise OptionError("%s_bytes_limit %s is below the %s the proxy user has already used (the API's rule)." % (
                kind, format_bytes(wanted), format_bytes(used)))


def declared(params):
    """The API members the task sets, from the module's params (an option left out is None: not managed)."""
    members = {}
    for option, member in MEMBERS:
        value = params.get(option)
        if value is None:
            continue
        if option == "access_type" and value not in ACCESS_TYPES:
            raise OptionError("access_type must be one of %s, got %r." % (", ".join(ACCESS_TYPES), value))
        if option in ("residential_bytes_limit", "mobile_bytes_limit"):
            value = parse_limit(value, option)
        elif option == "ip_address_authentications":
            value = addresses(value)
        elif option == "metadata":
            value = _metadata(value)
        members[member] = value
    return members
