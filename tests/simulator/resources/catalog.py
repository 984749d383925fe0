# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""GET /public/user/checkout/catalog and GET /public/user/product/search, from data/prices.json (as the quote is).

The catalog (the docs' example): ``data`` is an object keyed by product code (what the quote's
``product_code`` takes), each with ``country_id``, ``product_cycle_options``, ``product_is_available``,
``product_is_per_ip``, ``product_name``, ``product_protocol``, ``product_stock`` and ``product_type``; no
prices, and nulls where the docs show them (country, protocol and stock of the global residential and
mobile products: a product's ``catalog`` object in prices.json).

The product search (search.py: filters, sort_by, pages; the docs' example, its misspelt message
included): one Product per code with an opaque ``product_id`` (``prod_...``, not the code: join the two
answers on type, country and protocol, or on the prices), ``product_stock`` (-1: unlimited),
``product_instock``, the flags, the text "null" as ``product_description`` (as the example), and
``product_prices``: one recurring volume price per cycle option, whose ``price_id`` is the quote's
``item_price_id`` for that cycle and whose ``price_per_unit_amount`` is its ``item_per_unit_amount``.
"""

from __future__ import annotations

from .quote import PRICES, price_id
from .route import Route
from .search import SearchRoute
from .services import resolve_items

CATALOG_FIELDS = ("country_id", "product_cycle_options", "product_is_available", "product_is_per_ip", "product_name", "product_protocol",
                  "product_stock", "product_type")
PRODUCT_FIELDS = {
    "product_id": "str", "product_name": "str", "product_type": "str", "product_protocol": "str", "country_id": "str",
    "product_is_active": "bool", "product_is_available": "bool", "product_is_visible": "bool", "product_is_per_ip": "bool",
    "product_is_one_per_customer": "bool", "product_is_one_active_per_customer": "bool", "product_instock": "bool", "product_stock": "int",
    "product_creation_datetime": "datetime", "product_last_update_datetime": "datetime",
}


def catalog_data(account, request=None, prices=None):  # pylint: disable=unused-argument
    catalog = {}
    for code, product in (prices or PRICES)["products"].items():
        entry = {field: product.get(field) for field in CATALOG_FIELDS if field != "product_cycle_options"}
        entry["product_cycle_options"] = list(product["cycle_options"])
        entry.update(product.get("catalog", {}))
        catalog[code] = {field: entry[field] for field in CATALOG_FIELDS}
    return catalog


def _prices(code, product):
    prices = []
    for cycle in product["cycle_options"]:
        count, interval = cycle.split(":")
        if interval not in product["unit_amount"]:
            continue
        amount = product["unit_amount"][interval] * int(count)
        prices.append({
            "price_amount": amount,
            "price_cycle_interval": interval,
            "price_cycle_interval_count": int(count),
            "price_id": price_id(code, int(count), interval),
            "price_is_subscription": True,
            "price_package_quantity": 1,
            "price_per_unit_amount": amount,
            "price_tier_type": "volume",
            "price_tiers": [{"price_tier_amount": amount, "price_tier_up_to": None}],
            "price_type": "recurring",
        })
    return prices


def products(account, request, prices=None):
    items = []
    for code, product in (prices or PRICES)["products"].items():
        item = {
            "product_id": product["product_id"],
            "product_name": product["product_name"],
            "product_type": product["product_type"],
            "product_protocol": product["product_protocol"],
            "country_id": product["country_id"],
            "product_description": "null",
            "product_image": "https://files.example.com/products/%s.png" % code,
            "product_is_active": True,
            "product_is_available": product["product_is_available"],
            "product_is_visible": True,
            "product_is_per_ip": product["product_is_per_ip"],
            "product_is_one_per_customer": False,
            "product_is_one_active_per_customer": product.get("product_is_one_active_per_customer", False),
            "product_stock": product["product_stock"],
            "product_instock": product["product_stock"] != 0,
            "product_prices": _prices(code, product),
            "product_creation_datetime": "$now-700d",
            "product_last_update_datetime": "$now-20d",
        }
        item.update(product.get("search", {}))
        items.append(item)
    return resolve_items(items, request.now, account.get("datetime_form", "space"))


ROUTES = (
    Route("checkout_catalog", "/public/user/checkout/catalog", "Checkout catalog successfully retrieved.", catalog_data),
    SearchRoute("product_search", "/public/user/product/search", "Product search with stock succesfully completed.", products, PRODUCT_FIELDS),
)
