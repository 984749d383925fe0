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

from ansible_collections.byteful.proxy.plugins.module_utils._schema import (  # pylint: disable=unused-import
    HAS_JSONSCHEMA,
    JSONSCHEMA_IMPORT_ERROR,
    check,
    errors_of,
    optional as _optional,
)

CUSTOMER_PATH = "/public/user/customer/retrieve"

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


def customer_errors(customer):
    """Every schema violation of ``customer`` as dicts (path, expected, found, text), sorted by path."""
    return errors_of(customer, CUSTOMER_SCHEMA)


def validate_customer(customer, request_id=None):
    """Return ``customer`` (with absent documented fields as null) if it matches CUSTOMER_SCHEMA.

    Otherwise raise BytefulError naming every failing path with what was expected and found.
    """
    check(customer, CUSTOMER_SCHEMA, "a Customer object", request_id)
    # Absent fields become null so that every caller sees all documented fields.
    return dict({field: None for field in OPTIONAL_FIELDS}, **customer)


def fetch_customer(client):
    """GET the authenticated Customer with ``client`` (a BytefulClient) and return it validated."""
    response = client.get(CUSTOMER_PATH, "Retrieving the Byteful customer")
    return validate_customer(response.data, response.request_id)
