# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""The Proxy object: its search, its schema (published as docs/proxy.schema.json) and its credentials left out."""

from __future__ import annotations

import difflib

from ansible_collections.byteful.proxy.plugins.module_utils._api import SECRET_MEMBERS, json_type
from ansible_collections.byteful.proxy.plugins.module_utils._schema import (
    check,
    json_path,
    optional,
    schema_error,
    with_documented_fields,
)

PROXY_SEARCH_PATH = "/public/user/proxy/search"

# Documented values (docs' "available, in_use, reserved, etc."; byteful-sdk's enums). Filters take any value,
# since the live API sends values the docs never show; an unknown one gives a warning, not an error.
PROXY_STATUSES = ("available", "in_use", "reserved", "waiting", "pending_deletion")
PROXY_TYPES = ("datacenter", "isp", "residential", "mobile")
PROXY_PROTOCOLS = ("ipv4", "ipv6", "dual")

# Members that hold a secret: left out of every proxy returned (proxy_list gives lines with credentials).
CREDENTIAL_MEMBERS = SECRET_MEMBERS
MASK = "********"

PROXY_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://github.com/byteful/ansible-collection-proxy/blob/main/docs/proxy.schema.json",
    "title": "Byteful Proxy",
    "description": (
        "An item of the data array of GET /public/user/proxy/search. Only proxy_id is required; every other "
        "documented field may be absent or null, since the live API omits fields that are not set; a field that is "
        "present has its documented type (coordinates may also be strings, as the live API sends them). Statuses, "
        "types and protocols are not restricted to the documented values, so that a new one does not break a play. "
        "Datetimes are UTC strings such as 2026-01-31 12:00:00 or 2026-01-31T12:00:00Z. Other members are allowed."
    ),
    "type": "object",
    "required": ["proxy_id"],
    "properties": {
        "proxy_id": {"type": "string", "description": "Proxy id, a UUID."},
        "service_id": optional("string", "The service the proxy belongs to."),
        "customer_id": optional("integer", "Account id."),
        "proxy_status": optional("string", "available, in_use, reserved, waiting, pending_deletion, or another status."),
        "proxy_type": optional("string", "datacenter, isp, residential or mobile."),
        "proxy_protocol": optional("string", "ipv4, ipv6 or dual."),
        "proxy_ip_address": optional("string", "IPv4 address."),
        "proxy_ip_address_v6": optional("string", "IPv6 address."),
        "proxy_http_port": optional("integer", "HTTP port."),
        "proxy_socks5_port": optional("integer", "SOCKS5 port."),
        "proxy_username": optional("string", "The proxy's own user name."),
        "proxy_password": optional("string", "The proxy's own password (never returned by the collection)."),
        "default_proxy_user_username": optional("string", "The default proxy user's name."),
        "default_proxy_user_password": optional("string", "The default proxy user's password (never returned)."),
        "proxy_user_ids": {"type": ["array", "null"], "items": {"type": "string"},
                           "description": "The proxy users that reach the proxy."},
        "country_id": optional("string", "Country code."),
        "country_name": optional("string", "Country name."),
        "subdivision_id": optional("string", "Subdivision code."),
        "subdivision_name": optional("string", "Subdivision name."),
        "city_id": optional("integer", "City id."),
        "city_name": optional("string", "City name."),
        "city_timezone": optional("string", "City time zone."),
        "city_example_postcode": optional("string", "A postcode of the city."),
        "city_latitude": {"type": ["number", "string", "null"], "description": "Latitude."},
        "city_longitude": {"type": ["number", "string", "null"], "description": "Longitude."},
        "asn_id": optional("integer", "Autonomous system number."),
        "asn_name": optional("string", "Autonomous system name."),
        "subnet_id": optional("string", "IPv4 subnet."),
        "subnet_id_v6": optional("string", "IPv6 subnet."),
        "ip_address_id_v4": optional("string", "IPv4 address id."),
        "ip_address_id_v6": optional("string", "IPv6 address id."),
        "proxy_last_update_datetime": optional("string", "When the proxy last changed (UTC)."),
        "http_formatted": optional("string", "host:port:user:password for HTTP (never returned)."),
        "socks5_formatted": optional("string", "host:port:user:password for SOCKS5 (never returned)."),
    },
    "additionalProperties": True,
}
_PROXIES_SCHEMA = {"type": "array", "items": {k: v for k, v in PROXY_SCHEMA.items() if k not in ("$schema", "$id")}}

# Filters: option -> (API search parameter, proxy member, documented values or None).
FILTERS = (
    ("service_id", "service_id", None),
    ("type", "proxy_type", PROXY_TYPES),
    ("country_id", "country_id", None),
    ("status", "proxy_status", PROXY_STATUSES),
    ("protocol", "proxy_protocol", PROXY_PROTOCOLS),
)


def unknown_value_warnings(filters):
    """A warning for each filter value outside the documented ones (a typo returns no proxy, silently otherwise)."""
    warnings = []
    for option, dummy, known in FILTERS:
        value = filters.get(option)
        if known and value is not None and value not in known:
            close = [value.lower()] if value.lower() in known else difflib.get_close_matches(value.lower(), known, n=1)
            warnings.append("%s %r is not one of the documented values (%s)%s; the search ran with it." % (
                option, value, ", ".join(known), "; did you mean %r?" % close[0] if close else ""))
    return warnings


def search_params(filters):
    """The API's search parameters for the filters set (option -> value); a country in lower case, as the API writes it."""
    params = {parameter: filters[option] for option, parameter, dummy in FILTERS if filters.get(option) is not None}
    if isinstance(params.get("country_id"), str):
        params["country_id"] = params["country_id"].lower()
    return params


def matches(proxy, filters):
    """Whether a proxy passes the filters (applied here again: an API may ignore one); countries in any case."""
    for option, member, dummy in FILTERS:
        wanted = filters.get(option)
        if wanted is None:
            continue
        value = proxy.get(member)
        if option == "country_id":
            if not isinstance(value, str) or value.lower() != wanted.lower():
                return False
        elif value != wanted:
            return False
    return True


def without_credentials(proxy):
    """The proxy with every credential member left out, and any password it held masked wherever else it appears."""
    secrets = [proxy.get(name) for name in ("proxy_password", "default_proxy_user_password")]
    secrets = [secret for secret in secrets if isinstance(secret, str) and secret]

    def masked(value):
        if isinstance(value, str):
            for secret in secrets:
                value = value.replace(secret, MASK)
            return value
        if isinstance(value, list):
            return [masked(item) for item in value]
        if isinstance(value, dict):
            return {key: masked(item) for key, item in value.items()}
        return value

    return {name: masked(value) for name, value in proxy.items() if name not in CREDENTIAL_MEMBERS}


def _check_credential_types(proxies, request_id):
    """Each credential member a string or null; the error names the path and the JSON type, never the value."""
    errors = []
    for index, proxy in enumerate(proxies):
        for name in CREDENTIAL_MEMBERS:
            value = proxy.get(name)
            if value is not None and not isinstance(value, str):
                path = json_path(("proxies", index, name))
                errors.append({"path": path, "expected": "string or null", "found": json_type(value),
                               "text": "%s must be string or null, found a JSON %s" % (path, json_type(value))})
    if errors:
        raise schema_error("a list of proxies", errors, request_id)


def search_proxies(client, filters=None):
    """Every proxy of the account that passes ``filters`` (option -> value, see FILTERS), validated, credentials left out.

    Absent documented fields come back as null (the credential members excepted).
    """
    filters = {option: value for option, value in (filters or {}).items() if value is not None}
    result = client.search(PROXY_SEARCH_PATH, "Searching the Byteful proxies", search_params(filters),
                           narrow_with="service_id, type, country_id, status or protocol")
    # Checked with the credentials out of the items first: a schema error quotes what it found.
    check([without_credentials(proxy) if isinstance(proxy, dict) else proxy for proxy in result.items], _PROXIES_SCHEMA,
          "a list of proxies", result.request_id, path_prefix=("proxies",))
    _check_credential_types(result.items, result.request_id)
    chosen = [proxy for proxy in result.items if matches(proxy, filters)]
    shown = {name: schema for name, schema in PROXY_SCHEMA["properties"].items() if name not in CREDENTIAL_MEMBERS}
    return [with_documented_fields(without_credentials(proxy), {"properties": shown}) for proxy in chosen]
