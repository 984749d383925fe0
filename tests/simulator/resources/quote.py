# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""POST /public/user/checkout/quote: what a purchase would cost, priced from data/prices.json. It buys nothing.

The JSON body (byteful-api-more.md section 5): ``quantity`` (integer >= 1, required); ``product_code``,
or ``product_type`` + ``country_id`` + ``product_protocol``; ``cycle_interval`` (day, week, month or
year; default month); ``cycle_interval_count`` (integer >= 1; default 1); ``promotional_code``;
``service_fulfillment_filter`` (object). Other keys are ignored.

Rules, in this order:
* a body that is not a JSON object, or a field of the wrong type or missing: 400 Bad Request, the
  message naming the field;
* no product with that code (or that type, country and protocol): 422 Unprocessable Entity (a business
  rule, the docs' class for it), message "No product matches ...";
* a product the quote can price but not sell: 200 with ``is_valid`` false and ``invalid_reason``
  saying why: the cycle is not among the product's ``cycle_options``, the product is not available,
  the quantity is above its stock (-1: unlimited), or the promotional code is unknown. The totals are still priced
  when the price is known (0 otherwise).
Arithmetic: ``before_discount_total`` = quantity x unit_amount[cycle_interval] x cycle_interval_count
(a year is priced at 10 months); ``discount`` = before_discount_total x percent_off // 100;
``total`` = before - discount; ``credit_balance`` is the account's (0 when it has none);
``customer_credit_balance_applied_amount`` = min(max(credit, 0), total); ``total_after_applied_credit``
= total - applied; ``credit_only_checkout`` is true when the credit pays all of it. As in the docs'
example, ``invalid_reason``, ``promotional_code`` and ``promotional_code_id`` hold the text "null"
when there is none. Money is integer cents.
"""

from __future__ import annotations

import json
import os

from ..protocol import is_int
from .route import Route, RouteError

PRICES_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "prices.json")
CYCLE_INTERVALS = ("day", "week", "month", "year")


def load_prices(path=PRICES_FILE):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


PRICES = load_prices()


def _parse_body(raw):
    try:
        body = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except ValueError:
        raise RouteError(400, "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise RouteError(400, "The request body must be a JSON object with quantity and product_code.")
    quantity = body.get("quantity")
    if not (is_int(quantity) and quantity >= 1):
        raise RouteError(400, "quantity must be an integer of at least 1, got %s." % json.dumps(quantity))
    for name in ("product_code", "product_type", "country_id", "product_protocol", "promotional_code"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise RouteError(400, "%s must be a string." % name)
    if not body.get("product_code") and not all(body.get(name) for name in ("product_type", "country_id", "product_protocol")):
        raise RouteError(400, "Give product_code, or product_type, country_id and product_protocol.")
    interval = body.get("cycle_interval") or "month"
    if interval not in CYCLE_INTERVALS:
        raise RouteError(400, "cycle_interval must be one of %s, got %s." % (", ".join(CYCLE_INTERVALS), json.dumps(interval)))
    count = body.get("cycle_interval_count", 1)
    count = 1 if count is None else count
    if not (is_int(count) and count >= 1):
        raise RouteError(400, "cycle_interval_count must be an integer of at least 1, got %s." % json.dumps(count))
    if body.get("service_fulfillment_filter") is not None and not isinstance(body["service_fulfillment_filter"], dict):
        raise RouteError(400, "service_fulfillment_filter must be an object.")
    return body, interval, count


def find_product(body, prices=None):
    """(product_code, product) or raise RouteError 422."""
    products = (prices or PRICES)["products"]
    code = body.get("product_code")
    if code:
        if code in products:
            return code, products[code]
        raise RouteError(422, "No product matches product_code '%s'." % code)
    wanted = (body["product_type"], body["country_id"].lower(), body["product_protocol"])
    for code, product in products.items():
        if (product["product_type"], product["country_id"], product["product_protocol"]) == wanted:
            return code, product
    raise RouteError(422, "No product matches product_type '%s', country_id '%s' and product_protocol '%s'." % wanted)


def price_id(code, count, interval):
    """The id of a product's price for one cycle: the quote's item_price_id and the product search's price_id."""
    return "price_%s_%d%s" % (code, count, interval)


def price_quote(body, interval, count, credit, prices=None):
    """The quote's data for a checked body."""
    prices = prices or PRICES
    code, product = find_product(body, prices)
    quantity = body["quantity"]
    cycle = "%d:%s" % (count, interval)
    per_interval = product["unit_amount"].get(interval)
    problems = []
    if cycle not in product["cycle_options"] or per_interval is None:
        problems.append("The cycle %s is not offered for %s (offered: %s)." % (cycle, code, ", ".join(product["cycle_options"])))
    if not product["product_is_available"]:
        problems.append("%s is not available at the moment." % code)
    elif 0 <= product["product_stock"] < quantity:  # -1: unlimited
        problems.append("Only %d of %s are in stock." % (product["product_stock"], code))
    promotion = None
    promotional_code = body.get("promotional_code")
    if promotional_code:
        promotion = prices.get("promotional_codes", {}).get(promotional_code)
        if promotion is None:
            problems.append("The promotional code '%s' is not valid." % promotional_code)
    unit = (per_interval or 0) * count
    before = quantity * unit
    discount = before * promotion["percent_off"] // 100 if promotion else 0
    total = before - discount
    credit = credit if is_int(credit) else 0
    applied = min(max(credit, 0), total)
    return {
        "total": total,
        "before_discount_total": before,
        "discount": discount,
        "discounted": discount > 0,
        "credit_balance": credit,
        "customer_credit_balance_applied": applied > 0,
        "customer_credit_balance_applied_amount": applied,
        "total_after_applied_credit": total - applied,
        "credit_only_checkout": total - applied == 0,
        "is_valid": not problems,
        "invalid_reason": " ".join(problems) if problems else "null",
        "is_top_up": False,
        "top_up_amount": 0,
        "promotional_code": promotional_code if promotion else "null",
        "promotional_code_id": promotion["promotional_code_id"] if promotion else "null",
        "line_items": [{
            "item_name": product["product_name"],
            "item_type": product["product_type"],
            "item_country_id": product["country_id"],
            "item_quantity": quantity,
            "item_per_unit_amount": unit,
            "item_total": before,
            "item_price_id": price_id(code, count, interval),
            "item_price_type": "recurring",
            "service_fulfillment_filter": body.get("service_fulfillment_filter"),
        }],
    }


def quote_data(account, request):
    body, interval, count = _parse_body(request.body)
    customer = account.get("customer") if isinstance(account.get("customer"), dict) else {}
    return price_quote(body, interval, count, customer.get("credit_balance"))


ROUTES = (Route("checkout_quote", "/public/user/checkout/quote", "Quote generated successfully.", quote_data, method="POST"),)
