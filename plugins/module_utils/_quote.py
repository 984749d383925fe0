# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""Checkout quotes: what a purchase would cost. Pricing only: the collection never buys."""

from __future__ import annotations

import re

from ansible_collections.byteful.proxy.plugins.module_utils._api import OptionError
from ansible_collections.byteful.proxy.plugins.module_utils._schema import amount, check, optional, with_documented_fields

QUOTE_PATH = "/public/user/checkout/quote"
CYCLE_INTERVALS = ("day", "week", "month", "year")

_CYCLE = re.compile(r"\s*([0-9]+)\s*:\s*(day|week|month|year)s?\s*\Z")

QUOTE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Byteful checkout quote",
    "description": (
        "The data member of POST /public/user/checkout/quote. Only total is required (without it nothing is priced); "
        "other documented fields may be absent or null, a present one has its documented type. Money is in integer "
        "cents; prices, totals and the amounts that make them up are never negative (the account's credit_balance "
        "may be). The API's example holds the text \"null\" in invalid_reason and promotional_code; it is read as null. "
        "Other members are allowed."),
    "type": "object",
    "required": ["total"],
    "properties": {
        "total": {"type": "integer", "minimum": 0, "description": "Price of the purchase in cents, after discounts."},
        "before_discount_total": amount("Price before discounts, in cents."),
        "discount": amount("Discount in cents."),
        "discounted": optional("boolean", "Whether a discount applies."),
        "credit_balance": optional("integer", "The account's credit now, in cents."),
        "customer_credit_balance_applied": optional("boolean", "Whether credit would pay for it."),
        "customer_credit_balance_applied_amount": amount("Credit that would be used, in cents."),
        "total_after_applied_credit": amount("What would still be due after credit, in cents."),
        "credit_only_checkout": optional("boolean", "Whether the checkout is paid with credit alone."),
        "is_valid": optional("boolean", "Whether the purchase could be made as asked."),
        "invalid_reason": optional("string", "Why not, when is_valid is false."),
        "is_top_up": optional("boolean", "Whether the purchase tops up an existing service."),
        "top_up_amount": amount("Top-up amount."),
        "promotional_code": optional("string", "Promotional code applied."),
        "promotional_code_id": {"type": ["string", "integer", "null"], "description": "Its id."},
        "line_items": {
            "type": ["array", "null"],
            "description": "What is priced, one item per product.",
            "items": {
                "type": "object",
                "properties": {
                    "item_name": optional("string", "Product name."),
                    "item_type": optional("string", "Product type."),
                    "item_country_id": optional("string", "Country code."),
                    "item_quantity": optional("integer", "Quantity.", minimum=0),
                    "item_per_unit_amount": amount("Price of one unit in cents."),
                    "item_total": amount("Price of the item in cents."),
                    "item_price_id": {"type": ["string", "integer", "null"], "description": "Price id."},
                    "item_price_type": optional("string", "recurring or one_time."),
                    "service_fulfillment_filter": optional("object", "Provisioning criteria."),
                },
                "additionalProperties": True,
            },
        },
    },
    "additionalProperties": True,
}

# A quote refused as a bad request names a product, quantity or cycle the user chose.
_QUOTE_HINTS = {
    400: "check product_code (or product_type, country_id and protocol), quantity and cycle",
    422: "check product_code (or product_type, country_id and protocol), quantity and cycle against the catalog "
         "(byteful.proxy.product_info lists the codes and their cycles)",
}

# Fields whose example value is the text "null": read as null.
_NULL_TEXT_FIELDS = ("invalid_reason", "promotional_code", "promotional_code_id")


def parse_cycle(value, option="cycle"):
    """A billing cycle such as "1:month" as (1, "month"); OptionError in one sentence otherwise."""
    match = _CYCLE.match(value.lower()) if isinstance(value, str) else None
    if match and int(match.group(1)) >= 1:
        return int(match.group(1)), match.group(2)
    raise OptionError("%s %r is not a billing cycle such as 1:month; use a count of 1 or more, a colon, and one of %s."
                      % (option, value, ", ".join(CYCLE_INTERVALS)))


def quote_body(quantity, product_code=None, product_type=None, country_id=None, protocol=None, cycle=None,
               promotional_code=None):
    """The JSON body of a quote for ``quantity`` of a product named by its code, or by type, country and protocol."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise OptionError("quantity must be a whole number of 1 or more, got %r." % (quantity,))
    by_parts = {"product_type": product_type, "country_id": country_id, "protocol": protocol}
    given = [name for name, value in by_parts.items() if value]
    if product_code and given:
        raise OptionError("product_code names the product on its own; leave out %s, or leave out product_code."
                          % " and ".join(given))
    missing = [name for name in by_parts if name not in given]
    if not product_code and missing:
        raise OptionError("a quote needs product_code (for example isp_us), or product_type, country_id and protocol "
                          "together; %s %s missing." % (" and ".join(missing), "is" if len(missing) == 1 else "are"))
    body = {"quantity": quantity}
    if product_code:
        body["product_code"] = product_code
    else:
        body.update(product_type=product_type, country_id=country_id, product_protocol=protocol)
    if cycle is not None:
        body["cycle_interval_count"], body["cycle_interval"] = parse_cycle(cycle)
    if promotional_code:
        body["promotional_code"] = promotional_code
    return body


def fetch_quote(client, body):
    """POST ``body`` (from quote_body) to the quote endpoint and return the validated quote (it prices, it never buys)."""
    product = body.get("product_code") or "/".join(
        str(body.get(name)) for name in ("product_type", "country_id", "product_protocol"))
    response = client.post(QUOTE_PATH, "Pricing %s x %s" % (body.get("quantity"), product), body, hints=_QUOTE_HINTS)
    quote = check(response.data, QUOTE_SCHEMA, "a checkout quote", response.request_id)
    quote = with_documented_fields(quote, QUOTE_SCHEMA)
    for field in _NULL_TEXT_FIELDS:
        if quote.get(field) == "null":
            quote[field] = None
    if isinstance(quote.get("invalid_reason"), str):
        # The API's sentence, quoted by a warning and by the gate: one line of at most MAX_SERVER_TEXT characters.
        quote["invalid_reason"] = client.text(quote["invalid_reason"])
    if quote.get("line_items") is None:
        quote["line_items"] = []
    return quote
