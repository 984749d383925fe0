# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""The one place in byteful.proxy that knows the Customer object and its JSON schema.

The schema is a Python literal so that it travels with the module to the target; the same
schema is published as docs/customer.schema.json, and a unit test keeps the two identical.
"""

from __future__ import annotations

import importlib.util
import json

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError, json_type

# jsonschema is imported when the first object is validated, not with this file: the lookup
# answers most calls from its run cache, in a worker process forked for each host, and would
# pay ~30 ms per host to import it for nothing. Its presence is checked here, cheaply, so that
# callers can report it with missing_required_lib().
HAS_JSONSCHEMA = importlib.util.find_spec("jsonschema") is not None
JSONSCHEMA_IMPORT_ERROR = None if HAS_JSONSCHEMA else "ModuleNotFoundError: No module named 'jsonschema'"

CUSTOMER_PATH = "/public/user/customer/retrieve"


def _optional(kind, description):
    """A documented field that the live API may omit or send as null."""
    return {"type": [kind, "null"], "description": description}


CUSTOMER_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://github.com/byteful/ansible-collection-proxy/blob/main/docs/customer.schema.json",
    "title": "Byteful Customer",
    "description": (
        "The data member of GET /public/user/customer/retrieve. Only customer_id is required: every answer about an "
        "account carries it, and without it the object is not a Customer. Every other documented field may be absent "
        "or null, because the live API omits fields that are not set (a fresh API-only account has no names, services "
        "or byte counters, and the API reference's own example has no credit_balance) and sends null for others; a "
        "field that is present has its documented type. There are no ranges: credit_balance is negative when the "
        "account owes money, and a byte counter below zero means that service is overdrawn. The live API sends more "
        "fields than documented, so other members are allowed."
    ),
    "type": "object",
    "required": ["customer_id"],
    "properties": {
        "customer_id": {"type": "integer", "description": "Account id."},
        "customer_email_address": _optional("string", "Primary e-mail address."),
        "customer_first_name": _optional("string", "First name; null or absent when not set."),
        "customer_last_name": _optional("string", "Last name; null or absent when not set."),
        "credit_balance": _optional(
            "integer", "Prepaid credit in cents (1245 is $12.45); negative when the account owes money."),
        "customer_proxy_user_limit": _optional("integer", "How many proxy users the account may create."),
        "proxy_count": _optional("integer", "Proxies on the account."),
        "residential_bytes_left": _optional(
            "integer", "Residential data left, in bytes; below zero when overdrawn; null or absent without a "
                       "residential service."),
        "active_residential_service_id": _optional("string", "Active residential service, for example 1955-8012-871."),
        "active_residential_service_subscription_is_paused": _optional(
            "boolean", "Whether the active residential service is paused."),
        "mobile_bytes_left": _optional(
            "integer", "Mobile data left, in bytes; below zero when overdrawn; null or absent without a mobile service."),
        "active_mobile_service_id": _optional("string", "Active mobile service."),
        "active_mobile_service_is_paused": _optional("boolean", "Whether the active mobile service is paused."),
    },
    "additionalProperties": True,
}

# Every documented field, in the documentation's order; each one but customer_id may be absent,
# and an absent one reads as null.
CUSTOMER_FIELDS = tuple(CUSTOMER_SCHEMA["properties"])
OPTIONAL_FIELDS = tuple(f for f in CUSTOMER_FIELDS if f not in CUSTOMER_SCHEMA["required"])

_validator = []  # built once per process: building it costs more than validating


def _get_validator():
    if not _validator:
        import jsonschema  # pylint: disable=import-outside-toplevel

        cls = jsonschema.Draft202012Validator
        cls.check_schema(CUSTOMER_SCHEMA)
        _validator.append(cls(CUSTOMER_SCHEMA))
    return _validator[0]


def _json_path(path):
    out = "$"
    for part in path:
        out += "[%d]" % part if isinstance(part, int) else ".%s" % part
    return out


def _shown(value):
    try:
        text = json.dumps(value, sort_keys=True, default=str)
    except (RecursionError, ValueError):
        # Nested too deeply to print: the type alone still tells what is wrong.
        text = "(a deeply nested %s)" % json_type(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _describe(error):
    """One validation error as a dict: path, expected, found, and a short sentence part."""
    path = list(error.absolute_path)
    if error.validator == "required":
        # jsonschema reports a missing member at its parent; name the member itself.
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        path.append(missing)
        expected, found = "a required field", "nothing"
        text = "%s is missing" % _json_path(path)
    elif error.validator == "type":
        wanted = error.validator_value
        expected = " or ".join(wanted) if isinstance(wanted, list) else wanted
        found = "null" if error.instance is None else "%s %s" % (json_type(error.instance), _shown(error.instance))
        text = "%s must be %s, found %s" % (_json_path(path), expected, found)
    else:
        expected, found = error.validator, _shown(error.instance)
        text = "%s: %s" % (_json_path(path), error.message)
    return {"path": _json_path(path), "expected": expected, "found": found, "text": text}


def customer_errors(customer):
    """Every schema violation of ``customer`` as dicts (path, expected, found, text), sorted by path."""
    errors = [_describe(e) for e in _get_validator().iter_errors(customer)]
    return sorted(errors, key=lambda e: e["path"])


def validate_customer(customer, request_id=None):
    """Return ``customer`` (with absent documented fields as null) if it matches CUSTOMER_SCHEMA.

    Otherwise raise BytefulError naming every failing path with what was expected and found.
    """
    errors = customer_errors(customer)
    if not errors:
        # Absent fields become null so that every caller sees all documented fields.
        return dict({field: None for field in OPTIONAL_FIELDS}, **customer)
    raise BytefulError(
        "The Byteful API returned a Customer object that does not match the expected schema (%s)%s; the API may have "
        "changed, so please report this to byteful.proxy." % (
            "; ".join(e["text"] for e in errors),
            ", request id %s" % request_id if request_id else ""),
        errors=[{k: v for k, v in e.items() if k != "text"} for e in errors],
        request_id=request_id,
    )


def fetch_customer(client):
    """GET the authenticated Customer with ``client`` (a BytefulClient) and return it validated."""
    response = client.get(CUSTOMER_PATH, "Retrieving the Byteful customer")
    return validate_customer(response.data, response.request_id)
