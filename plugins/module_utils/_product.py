# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""The product catalog: product codes (GET /public/user/checkout/catalog) with their prices (GET /public/user/product/search).

The catalog is keyed by the code a quote takes (isp_us) and has no prices; the product search has
prices under opaque product ids (prod_...). The two are joined on type, country and protocol, the
only members they share; a catalog entry that matches no product, or more than one, has no prices.
"""

from __future__ import annotations

from ansible_collections.byteful.proxy.plugins.module_utils._schema import check, optional

CATALOG_PATH = "/public/user/checkout/catalog"
PRODUCT_SEARCH_PATH = "/public/user/product/search"

CATALOG_ENTRY_SCHEMA = {
    "type": "object",
    "description": "A value of the data object of GET /public/user/checkout/catalog. Other members are allowed.",
    "properties": {
        "product_name": optional("string", "Name."),
        "product_type": optional("string", "datacenter, isp, residential, mobile..."),
        "country_id": optional("string", "Country code; null for a global product."),
        "product_protocol": optional("string", "ipv4, ipv6 or dual; null for a data product."),
        "product_cycle_options": {"type": ["array", "null"], "items": {"type": "string"},
                                  "description": "Billing cycles such as 1:month."},
        "product_is_available": optional("boolean", "Whether it can be bought now."),
        "product_is_per_ip": optional("boolean", "Whether a unit is one proxy."),
        "product_stock": optional("integer", "Units in stock; -1 or null when unlimited or not counted."),
    },
    "additionalProperties": True,
}
_CATALOG_SCHEMA = {"type": "object", "additionalProperties": CATALOG_ENTRY_SCHEMA}

PRICE_SCHEMA = {
    "type": "object",
    "properties": {
        "price_id": {"type": ["string", "integer", "null"], "description": "Price id (a quote's item_price_id)."},
        "price_type": optional("string", "recurring or one_time."),
        "price_amount": optional("integer", "Price in cents."),
        "price_per_unit_amount": optional("integer", "Price of one unit in cents."),
        "price_cycle_interval": optional("string", "day, week, month or year."),
        "price_cycle_interval_count": optional("integer", "Intervals per cycle."),
        "price_is_subscription": optional("boolean", "Whether it renews."),
        "price_tier_type": optional("string", "volume or graduated."),
        "price_tiers": {"type": ["array", "null"], "description": "Tiers."},
    },
    "additionalProperties": True,
}
PRODUCT_SCHEMA = {
    "type": "object",
    "description": "An item of the data array of GET /public/user/product/search. Other members are allowed.",
    "properties": {
        "product_id": optional("string", "Product id (not the catalog's code)."),
        "product_type": optional("string", "Type."),
        "country_id": optional("string", "Country code."),
        "product_protocol": optional("string", "Protocol."),
        "product_prices": {"type": ["array", "null"], "items": PRICE_SCHEMA, "description": "Prices."},
    },
    "additionalProperties": True,
}
_PRODUCTS_SCHEMA = {"type": "array", "items": PRODUCT_SCHEMA}


def _key(item):
    return tuple(item.get(name) for name in ("product_type", "country_id", "product_protocol"))


def _price(price):
    interval, count = price.get("price_cycle_interval"), price.get("price_cycle_interval_count")
    cycle = "%d:%s" % (count, interval) if isinstance(count, int) and isinstance(interval, str) else None
    return {
        "cycle": cycle,
        "price_id": price.get("price_id"),
        "price_type": price.get("price_type"),
        "price_amount": price.get("price_amount"),
        "price_per_unit_amount": price.get("price_per_unit_amount"),
        "price_tier_type": price.get("price_tier_type"),
        "price_tiers": price.get("price_tiers"),
    }


def read_products(client, product_code=None, product_type=None, country_id=None):
    """The catalog's products (the filters applied), sorted by code, each with its prices (None when unknown)."""
    catalog = client.get(CATALOG_PATH, "Reading the Byteful checkout catalog")
    check(catalog.data, _CATALOG_SCHEMA, "a product catalog", catalog.request_id, path_prefix=("catalog",))
    params = {name: value for name, value in (("product_type", product_type), ("country_id", country_id)) if value}
    found = client.search(PRODUCT_SEARCH_PATH, "Searching the Byteful products", params,
                          narrow_with="product_type or country_id")
    check(found.items, _PRODUCTS_SCHEMA, "a list of products", found.request_id, path_prefix=("products",))
    by_key = {}
    for item in found.items:
        by_key.setdefault(_key(item), []).append(item)
    products = []
    for code in sorted(catalog.data):
        entry = catalog.data[code]
        if product_code is not None and code != product_code:
            continue
        if product_type is not None and entry.get("product_type") != product_type:
            continue
        if country_id is not None and (entry.get("country_id") or "").lower() != country_id.lower():
            continue
        matched = by_key.get(_key(entry), [])
        product = {
            "product_code": code,
            "product_name": entry.get("product_name"),
            "product_type": entry.get("product_type"),
            "country_id": entry.get("country_id"),
            "product_protocol": entry.get("product_protocol"),
            "product_is_available": entry.get("product_is_available"),
            "product_is_per_ip": entry.get("product_is_per_ip"),
            "product_stock": entry.get("product_stock"),
            "product_cycle_options": entry.get("product_cycle_options") or [],
            "product_id": matched[0].get("product_id") if len(matched) == 1 else None,
            "prices": [_price(price) for price in matched[0].get("product_prices") or []] if len(matched) == 1 else None,
        }
        products.append(dict(entry, **product))
    return products
