# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Quotes: cycles, bodies, the answer's reading, and proof that nothing but GETs and quote POSTs is sent."""

from __future__ import annotations

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulClient, BytefulError, OptionError
from ansible_collections.byteful.proxy.plugins.module_utils._customer import fetch_customer
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user import read_proxy_users
from ansible_collections.byteful.proxy.plugins.module_utils._quote import (
    QUOTE_PATH,
    QUOTE_SCHEMA,
    fetch_quote,
    parse_cycle,
    quote_body,
)
from ansible_collections.byteful.proxy.plugins.module_utils._service import search_services
from ansible_collections.byteful.proxy.plugins.module_utils._usage import read_usage
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY
from ansible_collections.byteful.proxy.tests.unit.plugins.module_utils.fake_api import make_client

# The documentation's example answer, verbatim in shape (the text "null" included).
DOCUMENTED = {
    "total": 350, "before_discount_total": 350, "discount": 0, "discounted": False, "credit_balance": 99050,
    "customer_credit_balance_applied": True, "customer_credit_balance_applied_amount": 350,
    "total_after_applied_credit": 0, "credit_only_checkout": True, "is_valid": True, "invalid_reason": "null",
    "is_top_up": False, "top_up_amount": 0, "promotional_code": "null", "promotional_code_id": "null",
    "line_items": [{"item_name": "US ISP", "item_type": "isp", "item_country_id": "us", "item_quantity": 1,
                    "item_per_unit_amount": 350, "item_total": 350, "item_price_id": "price_1", "item_price_type": "recurring",
                    "service_fulfillment_filter": None}],
}


@pytest.mark.parametrize("text, cycle", [("1:month", (1, "month")), ("3:month", (3, "month")), ("1:year", (1, "year")),
                                         ("2:week", (2, "week")), ("7:day", (7, "day")), (" 1 : Months ", (1, "month"))])
def test_cycles(text, cycle):
    assert parse_cycle(text) == cycle


@pytest.mark.parametrize("text", ["month", "0:month", "1:fortnight", "1month", "-1:month", "1.5:month", 1, None, "1:monthss",
                                  "1:month:2", ""])
def test_anything_else_is_one_sentence(text):
    with pytest.raises(OptionError) as info:
        parse_cycle(text)
    assert info.value.message == ("cycle %r is not a billing cycle such as 1:month; use a count of 1 or more, a colon, and "
                                  "one of day, week, month, year." % (text,))


def test_bodies():
    assert quote_body(10, product_code="isp_us", cycle="1:month") == {
        "quantity": 10, "product_code": "isp_us", "cycle_interval": "month", "cycle_interval_count": 1}
    assert quote_body(2, product_type="isp", country_id="gb", protocol="ipv4", promotional_code="SAVE") == {
        "quantity": 2, "product_type": "isp", "country_id": "gb", "product_protocol": "ipv4", "promotional_code": "SAVE"}


@pytest.mark.parametrize("kwargs, message", [
    (dict(quantity=0, product_code="isp_us"), "quantity must be a whole number of 1 or more, got 0."),
    (dict(quantity="3", product_code="isp_us"), "quantity must be a whole number of 1 or more, got '3'."),
    (dict(quantity=True, product_code="isp_us"), "quantity must be a whole number of 1 or more, got True."),
    (dict(quantity=1), "a quote needs product_code (for example isp_us), or product_type, country_id and protocol together; "
                       "product_type and country_id and protocol are missing."),
    (dict(quantity=1, product_type="isp", country_id="us"), "a quote needs product_code (for example isp_us), or "
                                                            "product_type, country_id and protocol together; protocol is missing."),
    (dict(quantity=1, product_code="isp_us", country_id="us"), "product_code names the product on its own; leave out "
                                                               "country_id, or leave out product_code."),
    (dict(quantity=1, product_code="isp_us", cycle="monthly"), "cycle 'monthly' is not a billing cycle such as 1:month; "
                                                               "use a count of 1 or more, a colon, and one of day, week, "
                                                               "month, year."),
])
def test_body_mistakes_are_one_sentence(kwargs, message):
    with pytest.raises(OptionError) as info:
        quote_body(**kwargs)
    assert info.value.message == message


def quote(answer, status=200):
    document = {"data": answer, "message": "Quote generated successfully.", "api_request_id": "q-1"} if status == 200 else answer
    client, session, dummy = make_client(lambda call: (status, document))
    return fetch_quote(client, quote_body(1, product_code="isp_us")), session.calls


def test_the_documented_answer_with_null_as_text():
    result, calls = quote(DOCUMENTED)
    assert result["invalid_reason"] is None and result["promotional_code"] is None and result["promotional_code_id"] is None
    assert result["total"] == 350 and result["line_items"][0]["item_total"] == 350
    (call,) = calls
    assert call.method == "POST" and call.path == QUOTE_PATH and call.body == {"quantity": 1, "product_code": "isp_us"}


def test_a_lean_answer_gets_every_documented_field():
    result, dummy = quote({"total": 700, "is_valid": False, "invalid_reason": "Out of stock."})
    assert set(QUOTE_SCHEMA["properties"]) <= set(result)
    assert result["line_items"] == [] and result["invalid_reason"] == "Out of stock." and result["credit_balance"] is None


@pytest.mark.parametrize("answer, text", [
    ({"total": "3.50"}, "$.total must be integer, found string \"3.50\""),
    ({"is_valid": True}, "$.total is missing"),
    ({"total": 1, "line_items": [{"item_total": 1.5}]}, "$.line_items[0].item_total must be integer or null, found number 1.5"),
])
def test_wrong_types_name_the_field_path(answer, text):
    with pytest.raises(BytefulError) as info:
        quote(answer)
    assert info.value.message.startswith("The Byteful API returned a checkout quote that does not match the expected "
                                         "schema (%s), request id q-1;" % text)


@pytest.mark.parametrize("answer, text", [
    ({"total": -5000000}, "$.total must be 0 or more, found -5000000"),
    ({"total": 100, "discount": -100}, "$.discount must be 0 or more, found -100"),
    ({"total": 100, "line_items": [{"item_total": -5000000, "item_per_unit_amount": -500000}]},
     "$.line_items[0].item_per_unit_amount must be 0 or more, found -500000; $.line_items[0].item_total must be 0 or "
     "more, found -5000000"),
    ({"total": 1.0}, "$.total must be integer, found number 1.0"),
    ({"total": 1e308}, "$.total must be integer, found number 1e+308"),
])
def test_a_negative_or_fractional_price_is_refused_naming_its_path(answer, text):
    # A negative total would let the gate pass ("covers ... + -$50,000.00 for 10 x isp_us").
    with pytest.raises(BytefulError) as info:
        quote(answer)
    assert "schema (%s), request id q-1;" % text in info.value.message


def test_the_accounts_own_credit_may_be_negative_in_a_quote():
    result, dummy = quote({"total": 350, "credit_balance": -1200})
    assert result["credit_balance"] == -1200


def test_a_refused_quote_says_what_to_check():
    with pytest.raises(BytefulError) as info:
        quote({"error": "Unprocessable Entity", "message": "No product matches product_code 'isp_xx'."}, status=422)
    assert info.value.message == (
        "Pricing 1 x isp_us at https://api.example.test/1.0/public/user/checkout/quote failed with HTTP 422 (Unprocessable "
        "Entity: No product matches product_code 'isp_xx'); check product_code (or product_type, country_id and "
        "protocol), quantity and cycle against the catalog (byteful.proxy.product_info lists the codes and their cycles).")


# -- against the simulator -----------------------------------------------------------------------

def test_a_quote_from_the_simulator_and_nothing_else_sent(sim):
    client = BytefulClient(sim.base_url, "healthy", DEFAULT_PRIVATE_KEY)
    sim.reset()
    result = fetch_quote(client, quote_body(10, product_code="isp_us", cycle="1:month"))
    assert result["total"] == 3500 and result["is_valid"] is True and result["invalid_reason"] is None
    with pytest.raises(ValueError):
        client.post("/public/user/checkout/create", "Buying", quote_body(10, product_code="isp_us"))
    # Everything the client reads, once: the log holds GETs and the quote POST, nothing else.
    customer = fetch_customer(client)
    search_services(client)
    read_usage(client, customer, "residential", 14)
    read_usage(client, customer, "mobile", 14)
    read_proxy_users(client, customer)
    sent = sim.stats()["by_method_path"]
    assert sent["POST /1.0/public/user/checkout/quote"] == 1
    assert all(key.startswith("GET ") or key == "POST /1.0/public/user/checkout/quote" for key in sent)
    assert not any("checkout/create" in key for key in sent)
