# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""proxy_info and product_info in-process against the simulator: filters, credentials, the schema, the catalog join."""

from __future__ import annotations

import json
import os

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.byteful.proxy.plugins.module_utils._proxy import PROXY_SCHEMA
from ansible_collections.byteful.proxy.plugins.modules import product_info, proxy_info
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
MODULES = {"proxy_info": proxy_info, "product_info": product_info}
# Every credential the healthy and proxies_odd accounts' proxies carry (the simulator makes them so).
SECRETS = ("simpw000000", "OddPass0001xyz", "OddPass0003xyz", "OddPass0007xyz")


def run(sim, capsys, name, public_key="healthy", **args):
    options = dict(api_url=sim.base_url, api_public_key=public_key, api_private_key=DEFAULT_PRIVATE_KEY, retries=0, timeout=5)
    options.update(args)
    with patch_module_args(options):
        with pytest.raises(SystemExit):
            MODULES[name].main()
    out = capsys.readouterr().out
    return json.loads(out), out


def warning_texts(result):
    return [w if isinstance(w, str) else w["event"]["msg"] for w in result.get("warnings", [])]


def test_every_page_of_proxies_without_credentials(sim, capsys):
    result, out = run(sim, capsys, "proxy_info")
    assert result["changed"] is False and len(result["proxies"]) > 100  # more than one page
    first = result["proxies"][0]
    assert first["proxy_ip_address"] == "198.18.0.1" and first["default_proxy_user_username"] == "default_1955"
    for name in ("proxy_password", "default_proxy_user_password", "http_formatted", "socks5_formatted"):
        assert name not in first
    assert not [secret for secret in SECRETS if secret in out]


def test_filters_are_sent_and_applied_again(sim, capsys):
    sim.reset()
    result, dummy = run(sim, capsys, "proxy_info", type="isp", country_id="US", status="in_use", service_id="1955-8012-873",
                        protocol="ipv4")
    assert len(result["proxies"]) == 100 and {p["service_id"] for p in result["proxies"]} == {"1955-8012-873"}
    # A full page of 100: paging reads on while pages are full, whatever total_count says, so a second
    # (empty) page ends it.
    assert sim.stats()["requests"] == 2
    # An API that ignores the filters: the module still returns only what matches.
    ignored, dummy = run(sim, capsys, "proxy_info", "sort_ignored", type="datacenter", status="reserved")
    assert ignored["proxies"] and {(p["proxy_type"], p["proxy_status"]) for p in ignored["proxies"]} == {("datacenter", "reserved")}


def test_what_the_live_api_sends_passes_the_lenient_schema(sim, capsys):
    result, out = run(sim, capsys, "proxy_info", "proxies_odd")
    assert len(result["proxies"]) == 7
    assert [p["country_id"] for p in result["proxies"] if p["proxy_status"] == "in_use"][-1] == "GB"
    assert not [secret for secret in SECRETS if secret in out]
    us, dummy = run(sim, capsys, "proxy_info", "proxies_odd", country_id="US")
    assert len(us["proxies"]) == 4 and {p["country_id"] for p in us["proxies"]} == {"us"}


def test_a_password_in_another_field_is_masked(sim, capsys):
    proxy = {"proxy_id": "p1", "proxy_password": "HiddenPass0001", "proxy_url": "http://u:HiddenPass0001@198.51.100.1:8080",
             "proxy_tags": ["HiddenPass0001"]}
    sim.set_account("leaky_proxy", proxies=[proxy])
    result, out = run(sim, capsys, "proxy_info", "leaky_proxy")
    assert "HiddenPass0001" not in out
    assert result["proxies"][0]["proxy_url"] == "http://u:********@198.51.100.1:8080"


def test_a_schema_error_names_the_field_never_a_credential(sim, capsys):
    sim.set_account("bad_proxy", proxies=[{"proxy_id": "p1", "proxy_password": "HiddenPass0002", "proxy_http_port": "8080",
                                           "default_proxy_user_password": 12345678}])
    result, out = run(sim, capsys, "proxy_info", "bad_proxy")
    assert result["failed"] is True and "$.proxies[0].proxy_http_port must be integer or null" in result["msg"]
    assert "HiddenPass0002" not in out
    sim.set_account("bad_proxy", proxies=[{"proxy_id": "p1", "default_proxy_user_password": 12345678}])
    result, out = run(sim, capsys, "proxy_info", "bad_proxy")
    assert "$.proxies[0].default_proxy_user_password must be string or null, found a JSON integer" in result["msg"]
    assert "12345678" not in out


def test_a_filter_in_capitals_is_named_in_lower_case(sim, capsys):
    result, dummy = run(sim, capsys, "proxy_info", type="ISP")
    assert warning_texts(result) == ["type 'ISP' is not one of the documented values (datacenter, isp, residential, mobile); "
                                     "did you mean 'isp'?; the search ran with it."]


def test_a_filter_value_outside_the_documented_ones_warns(sim, capsys):
    result, dummy = run(sim, capsys, "proxy_info", status="inuse")
    assert result["proxies"] == []
    assert warning_texts(result) == ["status 'inuse' is not one of the documented values (available, in_use, reserved, "
                                     "waiting, pending_deletion); did you mean 'in_use'?; the search ran with it."]


def test_the_published_proxy_schema_is_the_one_in_use():
    with open(os.path.join(ROOT, "docs", "proxy.schema.json"), encoding="utf-8") as handle:
        assert json.load(handle) == PROXY_SCHEMA


def test_the_catalog_with_its_prices(sim, capsys):
    sim.reset()
    result, dummy = run(sim, capsys, "product_info")
    assert result["changed"] is False
    assert sim.stats()["by_route"] == {"checkout_catalog": 1, "product_search": 1}
    codes = [product["product_code"] for product in result["products"]]
    assert codes == sorted(codes) and {"isp_us", "residential_global", "mobile_global"} <= set(codes)
    isp_us = next(product for product in result["products"] if product["product_code"] == "isp_us")
    assert isp_us["product_cycle_options"] == ["1:month", "3:month", "1:year"]
    monthly = next(price for price in isp_us["prices"] if price["cycle"] == "1:month")
    assert monthly["price_per_unit_amount"] == 350 and monthly["price_type"] == "recurring"
    residential = next(product for product in result["products"] if product["product_code"] == "residential_global")
    assert residential["country_id"] is None and residential["prices"][0]["cycle"] == "1:month"


def test_the_catalog_prices_are_the_quote_s(sim, capsys):
    from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulClient
    from ansible_collections.byteful.proxy.plugins.module_utils._quote import fetch_quote, quote_body

    result, dummy = run(sim, capsys, "product_info", product_code="datacenter_us")
    (product,) = result["products"]
    weekly = next(price for price in product["prices"] if price["cycle"] == "1:week")
    quote = fetch_quote(BytefulClient(sim.base_url, "healthy", DEFAULT_PRIVATE_KEY),
                        quote_body(3, product_code="datacenter_us", cycle="1:week"))
    assert quote["line_items"][0]["item_per_unit_amount"] == weekly["price_per_unit_amount"]
    assert quote["line_items"][0]["item_price_id"] == weekly["price_id"]


def test_catalog_filters(sim, capsys):
    result, dummy = run(sim, capsys, "product_info", product_type="isp", country_id="GB")
    assert [product["product_code"] for product in result["products"]] == ["isp_gb"]
    result, dummy = run(sim, capsys, "product_info", product_code="isp_xx")
    assert result["products"] == []


def test_an_entry_the_search_cannot_tell_apart_has_unknown_prices(sim, capsys):
    twins = {"data": [{"product_id": "prod_a", "product_type": "isp", "country_id": "us", "product_protocol": "ipv4",
                       "product_prices": []},
                      {"product_id": "prod_b", "product_type": "isp", "country_id": "us", "product_protocol": "ipv4",
                       "product_prices": []}],
             "item_count": 2, "page": 1, "per_page": 100, "total_count": 2, "message": "Product search successful."}
    sim.set_account("twin_products", faults=[{"route": "product_search", "status": 200, "body": twins}])
    result, dummy = run(sim, capsys, "product_info", "twin_products", product_code="isp_us")
    assert result["products"][0]["prices"] is None and result["products"][0]["product_id"] is None
