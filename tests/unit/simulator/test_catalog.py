# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The simulator's catalog and product search: the docs' shapes, and one price list with the quote."""

from __future__ import annotations

import re

import pytest

from ansible_collections.byteful.proxy.tests.simulator import Simulator
from ansible_collections.byteful.proxy.tests.simulator.resources.quote import PRICES
from ansible_collections.byteful.proxy.tests.unit.simulator.api_calls import call, every_item

pytestmark = pytest.mark.once  # no ansible-core code in the simulator: see tests/unit/conftest.py

CATALOG_KEYS = {"country_id", "product_cycle_options", "product_is_available", "product_is_per_ip", "product_name", "product_protocol",
                "product_stock", "product_type"}


@pytest.fixture(name="sim", scope="module")
def sim_fixture():
    with Simulator(rate_limit=False) as simulator:
        yield simulator


def test_the_catalog_is_keyed_by_product_code_without_prices(sim):
    status, envelope = call(sim, "healthy", "checkout_catalog")
    assert (status, envelope["message"]) == (200, "Checkout catalog successfully retrieved.")
    catalog = envelope["data"]
    assert list(catalog) == list(PRICES["products"])
    assert all(set(entry) == CATALOG_KEYS for entry in catalog.values())
    assert catalog["isp_us"] == {"country_id": "us", "product_cycle_options": ["1:month", "3:month", "1:year"], "product_is_available": True,
                                 "product_is_per_ip": True, "product_name": "US ISP Proxies", "product_protocol": "ipv4", "product_stock": 5000,
                                 "product_type": "isp"}
    assert (catalog["isp_de"]["product_is_available"], catalog["isp_de"]["product_stock"]) == (False, 0)
    for code in ("residential_global", "mobile_global"):  # the docs' example: the global products' country, protocol and stock are null
        assert (catalog[code]["country_id"], catalog[code]["product_protocol"], catalog[code]["product_stock"]) == (None, None, None)
        assert catalog[code]["product_is_per_ip"] is False


def test_the_product_search_is_the_docs_product(sim):
    status, envelope = call(sim, "healthy", "product_search")
    assert (status, envelope["message"], envelope["total_count"]) == (200, "Product search with stock succesfully completed.", 7)
    products = {product["product_name"]: product for product in envelope["data"]}
    isp = products["US ISP Proxies"]
    assert re.fullmatch(r"prod_[A-Za-z0-9]{14}", isp["product_id"]) and isp["product_id"] != "isp_us"
    assert (isp["product_type"], isp["country_id"], isp["product_protocol"], isp["product_stock"], isp["product_instock"]) == ("isp", "us", "ipv4", 5000, True)
    assert isp["product_description"] == "null" and isp["product_is_active"] is True and isp["product_is_one_active_per_customer"] is False
    assert [(price["price_cycle_interval_count"], price["price_cycle_interval"], price["price_amount"]) for price in isp["product_prices"]] == [
        (1, "month", 350), (3, "month", 1050), (1, "year", 3500)]
    assert isp["product_prices"][0] == {
        "price_amount": 350, "price_cycle_interval": "month", "price_cycle_interval_count": 1, "price_id": "price_isp_us_1month",
        "price_is_subscription": True, "price_package_quantity": 1, "price_per_unit_amount": 350, "price_tier_type": "volume",
        "price_tiers": [{"price_tier_amount": 350, "price_tier_up_to": None}], "price_type": "recurring"}
    residential = products["Residential Data (per GB)"]
    assert (residential["country_id"], residential["product_protocol"], residential["product_stock"], residential["product_instock"]) == (None, None, -1, True)
    assert residential["product_is_one_active_per_customer"] is True
    assert products["German ISP Proxies"]["product_instock"] is False


@pytest.mark.parametrize("query, names", [
    ({"product_type": "isp"}, ["US ISP Proxies", "UK ISP Proxies", "German ISP Proxies"]),
    ({"product_is_per_ip": "false"}, ["Residential Data (per GB)", "Mobile Data (per GB)"]),
    ({"country_id": "us", "product_protocol": "ipv6"}, ["US Datacenter IPv6 Proxies"]),
    ({"product_is_available": "false"}, ["German ISP Proxies"]),
    ({"min_product_stock": "5000"}, ["US ISP Proxies", "US Datacenter Proxies", "US Datacenter IPv6 Proxies"]),
    ({"product_id": "prod_Kd3Fj6Vz0aSb5i"}, ["Mobile Data (per GB)"]),
    ({"sort_by": "product_stock_desc", "per_page": 2}, ["US Datacenter IPv6 Proxies", "US Datacenter Proxies"]),
])
def test_product_filters(sim, query, names):
    assert [product["product_name"] for product in call(sim, "healthy", "product_search", query)[1]["data"]] == names


def test_the_product_search_and_the_catalog_price_what_the_quote_prices(sim):
    products = {(product["product_type"], product["product_name"]): product for product in every_item(sim, "healthy", "product_search")}
    catalog = call(sim, "healthy", "checkout_catalog")[1]["data"]
    for code, entry in catalog.items():
        product = products[(entry["product_type"], entry["product_name"])]
        prices = {price["price_id"]: price for price in product["product_prices"]}
        assert len(prices) == len(entry["product_cycle_options"])
        for cycle in entry["product_cycle_options"]:
            count, interval = cycle.split(":")
            body = {"product_code": code, "quantity": 2, "cycle_interval": interval, "cycle_interval_count": int(count)}
            status, quote = call(sim, "healthy", "checkout_quote", body=body)
            item = quote["data"]["line_items"][0]
            assert status == 200 and quote["data"]["is_valid"] is entry["product_is_available"], (code, cycle)
            assert prices[item["item_price_id"]]["price_per_unit_amount"] == item["item_per_unit_amount"], (code, cycle)
            assert quote["data"]["before_discount_total"] == 2 * item["item_per_unit_amount"]


def test_unlimited_stock_never_limits_a_quote(sim):
    body = {"product_code": "residential_global", "quantity": 10 ** 7}
    assert call(sim, "healthy", "checkout_quote", body=body)[1]["data"]["is_valid"] is True
    body = {"product_code": "isp_gb", "quantity": 801}
    assert call(sim, "healthy", "checkout_quote", body=body)[1]["data"]["invalid_reason"] == "Only 800 of isp_gb are in stock."
