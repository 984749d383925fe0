# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The simulator's search and quote routes: pagination, filters, sort_by, relative times, the quote's
arithmetic, stats by method and path, route-scoped faults, and the accounts the i12 contract names."""

from __future__ import annotations

import datetime
import urllib.parse

import pytest

from ansible_collections.byteful.proxy.tests.simulator import CATALOGUE
from ansible_collections.byteful.proxy.tests.simulator.resources import ROUTES_BY_NAME, clock
from ansible_collections.byteful.proxy.tests.simulator.resources.quote import price_quote
from ansible_collections.byteful.proxy.tests.simulator.resources.route import ApiRequest, RouteError
from ansible_collections.byteful.proxy.tests.simulator.resources.search import SearchRoute
from ansible_collections.byteful.proxy.tests.unit.simulator.api_calls import call, every_item

pytestmark = pytest.mark.once  # no ansible-core code in the simulator: see tests/unit/conftest.py

NOW = datetime.datetime(2026, 3, 15, 12, 30, 0, tzinfo=datetime.timezone.utc)
SERVICE_STATUSES = {"awaiting_fulfillment", "awaiting_manual_fulfillment", "awaiting_additional_fulfillment", "active", "paused",
                    "overdue", "canceled", "complete"}
GIB = 1073741824


# -- the search machinery, without a server -------------------------------------------------------

ITEMS = [
    {"item_id": "a-1", "size": 30, "flag": True, "when": "$now+2d", "name": "Alpha Proxies", "ratio": 0.5, "tags": ["x", "y"]},
    {"item_id": "a-2", "size": 10, "flag": False, "when": "$now-1d", "name": "beta", "ratio": 1, "tags": []},
    {"item_id": "a-3", "size": 20, "flag": True, "name": "Gamma proxies", "ratio": 2.25, "tags": ["y"]},  # no "when": unset fields are omitted
    {"item_id": "a-4", "size": None, "flag": False, "when": "$now+10d", "name": "delta", "ratio": None},
    {"item_id": "a-5", "size": 50, "flag": True, "when": "$now+5d", "name": "Epsilon", "ratio": -3.5, "tags": ["x"]},
]
FIELDS = {"item_id": "str", "size": "int", "flag": "bool", "when": "datetime", "name": "str", "ratio": "float", "tag": "member:tags"}


def items_route():
    return SearchRoute("things", "/things/search", "Thing search successful.",
                       lambda account, request: [clock.resolve(item, request.now) for item in ITEMS], FIELDS)


def search(query, account=None):
    return items_route().envelope(account or {}, ApiRequest(urllib.parse.urlencode(query), now=NOW))


def ids(envelope):
    return [item["item_id"] for item in envelope["data"]]


def test_the_envelope_and_default_paging():
    envelope = search({})
    assert set(envelope) == {"data", "item_count", "page", "per_page", "total_count", "message"}
    assert (envelope["page"], envelope["per_page"], envelope["item_count"], envelope["total_count"]) == (1, 100, 5, 5)
    assert ids(envelope) == ["a-1", "a-2", "a-3", "a-4", "a-5"]
    assert envelope["message"] == "Thing search successful."


def test_pages_split_the_items_and_a_page_past_the_end_is_empty():
    assert [ids(search({"per_page": 2, "page": page})) for page in (1, 2, 3, 4)] == [["a-1", "a-2"], ["a-3", "a-4"], ["a-5"], []]
    last = search({"per_page": 2, "page": 3})
    assert (last["item_count"], last["total_count"], last["page"], last["per_page"]) == (1, 5, 3, 2)
    assert search({"per_page": 100})["item_count"] == 5


def test_per_page_above_100_is_served_as_100_and_said_so():
    for asked in (101, 500, 10 ** 6):
        envelope = search({"per_page": asked})
        assert (envelope["per_page"], envelope["item_count"]) == (100, 5)
    assert search({"per_page": "", "page": ""})["per_page"] == 100  # blank: the defaults


def test_strict_per_page_refuses_more_than_100_where_the_account_says_so():
    for quirk in (True, ["things"]):
        with pytest.raises(RouteError) as caught:
            search({"per_page": 101}, {"search": {"strict_per_page": quirk}})
        assert caught.value.status == 400 and caught.value.message == "per_page must be at most 100."
    assert search({"per_page": 100}, {"search": {"strict_per_page": True}})["per_page"] == 100
    assert search({"per_page": 101}, {"search": {"strict_per_page": ["other_route"]}})["per_page"] == 100


@pytest.mark.parametrize("query, words", [
    ({"per_page": 0}, "per_page must be at least 1"),
    ({"per_page": -5}, "per_page must be at least 1"),
    ({"per_page": "abc"}, "per_page must be an integer, got 'abc'"),
    ({"per_page": "2.5"}, "per_page must be an integer"),
    ({"page": 0}, "page must be at least 1"),
    ({"page": "two"}, "page must be an integer"),
    ({"ratio": "half"}, "'half' is not a valid float"),
    ({"like_tag": "x"}, "like_ does not apply to tag"),
    ({"min_tag": "x"}, "min_ does not apply to tag"),
    ({"sort_by": "tag"}, "'tag' is not a field"),
    ({"size": "big"}, "'big' is not a valid int"),
    ({"flag": "maybe"}, "is not a valid boolean"),
    ({"min_when": "tomorrow"}, "is not a valid datetime"),
    ({"min_name": "b"}, "min_ applies to numbers and dates"),
    ({"like_size": "1"}, "like_ applies to text"),
    ({"sort_by": "colour_desc"}, "'colour_desc' is not a field"),
])
def test_bad_parameters_are_400(query, words):
    with pytest.raises(RouteError) as caught:
        search(query)
    assert caught.value.status == 400 and words in caught.value.message


@pytest.mark.parametrize("query, expected", [
    ({"size": "20"}, ["a-3"]),
    ({"flag": "true"}, ["a-1", "a-3", "a-5"]),
    ({"flag": "False"}, ["a-2", "a-4"]),
    ({"flag": "1"}, ["a-1", "a-3", "a-5"]),
    ({"min_size": "20"}, ["a-1", "a-3", "a-5"]),           # inclusive; the null size matches no bound
    ({"max_size": "20"}, ["a-2", "a-3"]),
    ({"min_size": "15", "max_size": "35"}, ["a-1", "a-3"]),
    ({"not_size": "20"}, ["a-1", "a-2", "a-4", "a-5"]),    # null is "not 20"
    ({"not_flag": "true"}, ["a-2", "a-4"]),
    ({"like_name": "PROX"}, ["a-1", "a-3"]),               # case-insensitive substring
    ({"like_name": "%a"}, ["a-2", "a-4"]),                 # % is the wildcard: ends with "a"
    ({"like_name": "g%s"}, ["a-3"]),
    ({"max_when": "2026-03-17 12:30:00"}, ["a-1", "a-2"]),  # inclusive, the space form
    ({"max_when": "2026-03-17T12:29:59Z"}, ["a-2"]),        # the ISO form
    ({"min_when": "2026-03-16"}, ["a-1", "a-4", "a-5"]),    # a date is its midnight
    ({"item_id": "a-4"}, ["a-4"]),
    ({"min_ratio": "1"}, ["a-2", "a-3"]),                 # numbers with a fraction; an integer is one too
    ({"max_ratio": "0.5"}, ["a-1", "a-5"]),
    ({"tag": "x"}, ["a-1", "a-5"]),                        # a list member: items whose list holds the value
    ({"not_tag": "x"}, ["a-2", "a-3", "a-4"]),             # no list at all: "not x"
    ({"tag": "z"}, []),
    ({"colour": "red", "exists_name": "1", "min_colour": "2"}, ["a-1", "a-2", "a-3", "a-4", "a-5"]),  # unknown: ignored
])
def test_filters(query, expected):
    envelope = search(query)
    assert ids(envelope) == expected
    assert envelope["total_count"] == len(expected)


@pytest.mark.parametrize("sort_by, expected", [
    ("size", ["a-2", "a-3", "a-1", "a-5", "a-4"]),         # nulls last ascending
    ("size_asc", ["a-2", "a-3", "a-1", "a-5", "a-4"]),
    ("size_desc", ["a-4", "a-5", "a-1", "a-3", "a-2"]),    # nulls first descending
    ("when_asc", ["a-2", "a-1", "a-5", "a-4", "a-3"]),     # by time, not by text; absent sorts as null
    ("name_asc", ["a-1", "a-2", "a-4", "a-5", "a-3"]),      # text regardless of case
    ("flag_desc", ["a-1", "a-3", "a-5", "a-2", "a-4"]),    # ties keep id order
])
def test_sort_by(sort_by, expected):
    assert ids(search({"sort_by": sort_by})) == expected


def test_sort_applies_before_paging():
    assert ids(search({"sort_by": "size_desc", "per_page": 2, "page": 2})) == ["a-1", "a-3"]


def test_account_quirks_uncounted_and_ignoring_sort_and_filters():
    assert search({"per_page": 2}, {"search": {"uncounted": True}})["total_count"] == -1
    assert search({}, {"search": {"uncounted": ["other_route"]}})["total_count"] == 5
    ignoring = {"search": {"ignore_sort": True, "ignore_filters": True}}
    envelope = search({"sort_by": "size_desc", "flag": "true", "per_page": 3}, ignoring)
    assert ids(envelope) == ["a-1", "a-2", "a-3"] and envelope["total_count"] == 5
    with pytest.raises(RouteError):
        search({"per_page": 0}, ignoring)  # paging is still checked


# -- relative times ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, form, expected", [
    ("$now", "space", "2026-03-15 12:30:00"),
    ("$now+5d", "space", "2026-03-20 12:30:00"),
    ("$now-36h", "space", "2026-03-14 00:30:00"),
    ("$now+90m", "iso", "2026-03-15T14:00:00Z"),
    ("$now-2d+3h", "iso", "2026-03-13T15:30:00Z"),
    ("$today-3d", "iso", "2026-03-12"),
    ("now+5d", "space", "now+5d"),          # not a marker: served as written
    ("$now+5x", "space", "$now+5x"),
])
def test_relative_times(text, form, expected):
    assert clock.resolve(text, NOW, form) == expected


def test_relative_times_are_resolved_in_nested_values_only_where_marked():
    value = {"a": ["$now+1d", 3, None, {"b": "$today"}], "c": "plain"}
    assert clock.resolve(value, NOW) == {"a": ["2026-03-16 12:30:00", 3, None, {"b": "2026-03-15"}], "c": "plain"}


# -- the quote's arithmetic -------------------------------------------------------------------------

PRICES = {
    "products": {
        "isp_us": {"product_name": "US ISP Proxies", "product_type": "isp", "country_id": "us", "product_protocol": "ipv4",
                   "product_is_available": True, "product_stock": 100,
                   "unit_amount": {"month": 350, "year": 3500}, "cycle_options": ["1:month", "3:month", "1:year"]},
        "isp_de": {"product_name": "DE ISP", "product_type": "isp", "country_id": "de", "product_protocol": "ipv4",
                   "product_is_available": False, "product_stock": 0, "unit_amount": {"month": 450}, "cycle_options": ["1:month"]},
    },
    "promotional_codes": {"TENOFF": {"promotional_code_id": "promo_10", "percent_off": 10}},
}


def quote(body, credit=250000):
    return price_quote(body, body.get("cycle_interval", "month"), body.get("cycle_interval_count", 1), credit, PRICES)


def test_quote_total_is_quantity_times_unit_times_cycle_count():
    data = quote({"product_code": "isp_us", "quantity": 10, "cycle_interval": "month", "cycle_interval_count": 3})
    assert (data["before_discount_total"], data["total"], data["discount"], data["discounted"]) == (10500, 10500, 0, False)
    assert data["line_items"][0]["item_per_unit_amount"] == 1050 and data["line_items"][0]["item_total"] == 10500
    assert data["line_items"][0]["item_quantity"] == 10
    assert quote({"product_code": "isp_us", "quantity": 2, "cycle_interval": "year"})["total"] == 7000  # a year is 10 months
    assert data["is_valid"] is True and data["invalid_reason"] == "null"


def test_quote_credit_is_applied_up_to_the_total():
    covered = quote({"product_code": "isp_us", "quantity": 10}, credit=5000)
    assert (covered["credit_balance"], covered["customer_credit_balance_applied_amount"], covered["total_after_applied_credit"]) == (5000, 3500, 0)
    assert covered["customer_credit_balance_applied"] is True and covered["credit_only_checkout"] is True
    short = quote({"product_code": "isp_us", "quantity": 10}, credit=1245)
    assert (short["customer_credit_balance_applied_amount"], short["total_after_applied_credit"], short["credit_only_checkout"]) == (1245, 2255, False)
    negative = quote({"product_code": "isp_us", "quantity": 10}, credit=-500)
    assert (negative["credit_balance"], negative["customer_credit_balance_applied_amount"], negative["total_after_applied_credit"]) == (-500, 0, 3500)
    assert quote({"product_code": "isp_us", "quantity": 1}, credit=None)["credit_balance"] == 0


def test_quote_promotional_code_discounts_by_its_percentage():
    data = quote({"product_code": "isp_us", "quantity": 3, "promotional_code": "TENOFF"})
    assert (data["before_discount_total"], data["discount"], data["total"], data["discounted"]) == (1050, 105, 945, True)
    assert (data["promotional_code"], data["promotional_code_id"]) == ("TENOFF", "promo_10")


def test_quote_by_type_country_and_protocol_finds_the_product():
    data = quote({"product_type": "isp", "country_id": "US", "product_protocol": "ipv4", "quantity": 1})
    assert data["line_items"][0]["item_price_id"] == "price_isp_us_1month"


@pytest.mark.parametrize("body, words", [
    ({"product_code": "isp_us", "quantity": 1, "cycle_interval": "week"}, "The cycle 1:week is not offered for isp_us"),
    ({"product_code": "isp_us", "quantity": 1, "cycle_interval_count": 2}, "The cycle 2:month is not offered"),
    ({"product_code": "isp_us", "quantity": 101}, "Only 100 of isp_us are in stock."),
    ({"product_code": "isp_de", "quantity": 1}, "isp_de is not available"),
    ({"product_code": "isp_us", "quantity": 1, "promotional_code": "NOPE"}, "The promotional code 'NOPE' is not valid."),
])
def test_a_quote_that_cannot_be_sold_is_invalid_with_a_reason(body, words):
    data = quote(body)
    assert data["is_valid"] is False and words in data["invalid_reason"]


def test_an_unknown_product_is_422():
    with pytest.raises(RouteError) as caught:
        quote({"product_code": "isp_mars", "quantity": 1})
    assert caught.value.status == 422 and "isp_mars" in caught.value.message


# -- through the server (conftest.py: server, sim) ------------------------------------------------------

QUOTE_BODY = {"product_code": "isp_us", "quantity": 10, "cycle_interval": "month", "cycle_interval_count": 1}


# the search whose items give each retrieve route its ids
RETRIEVE_FROM = {
    "service_retrieve": ("service_search", "service_id"),
    "residential_ledger_retrieve": ("residential_ledger_search", "residential_ledger_id"),
    "mobile_ledger_retrieve": ("mobile_ledger_search", "mobile_ledger_id"),
    "proxy_user_retrieve": ("proxy_user_search", "proxy_user_id"),
    "proxy_retrieve": ("proxy_search", "proxy_id"),
}
WRITES = {"proxy_user_create", "proxy_user_edit", "proxy_user_delete"}
READS = [name for name in ROUTES_BY_NAME if name not in WRITES]


def read_body(sim, account, name):
    """The body a read route that is a POST needs (list_by_id: the account's first proxy, or one it does not have)."""
    if name == "proxy_list_by_id":
        proxies = call(sim, account, "proxy_search", {"per_page": 1})[1]["data"]
        return {"proxy_ids": [proxy["proxy_id"] for proxy in proxies] or ["no-such-proxy"], "list_authentication": "ip_address"}
    return {"checkout_quote": QUOTE_BODY}.get(name)


def test_every_route_is_a_read_or_a_known_write_and_every_retrieve_has_its_search():
    assert {name for name, route in ROUTES_BY_NAME.items() if route.prefix and route.method == "GET"} == set(RETRIEVE_FROM)
    assert {name for name, route in ROUTES_BY_NAME.items() if route.method in ("PATCH", "DELETE") or name.endswith("_create")} == WRITES
    assert {name for name in READS if ROUTES_BY_NAME[name].method != "GET"} == {"checkout_quote", "proxy_list_by_id"}


@pytest.mark.parametrize("account", CATALOGUE.account_names + ["fault_429_once"])
def test_every_account_answers_every_read_route(sim, account):
    for name in READS:
        route = ROUTES_BY_NAME[name]
        if account.startswith("fault_"):
            call(sim, account, "customer")  # use the fault step up; afterwards it answers as its base account
        if name in RETRIEVE_FROM:
            check_retrieve(sim, account, name)
            continue
        body = read_body(sim, account, name)
        status, envelope = call(sim, account, name, body=body)
        if body and body.get("proxy_ids") == ["no-such-proxy"]:
            assert (status, envelope["error"]) == (404, "Not Found")
            continue
        assert status == 200, (name, envelope)
        assert envelope["message"] == route.message
        if name.endswith("_search"):
            assert isinstance(envelope["data"], list) and envelope["item_count"] == len(envelope["data"])


def check_retrieve(sim, account, name):
    """Retrieve serves the first and the last item of its search as the search does; an unknown id is a 404."""
    search, id_field = RETRIEVE_FROM[name]
    _status, first = call(sim, account, search, {"per_page": 1})
    _status, last = call(sim, account, search, {"per_page": 1, "page": max(first["total_count"], 1)})
    for item in first["data"] + last["data"]:
        status, envelope = call(sim, account, name, item_id=item[id_field])
        assert (status, envelope["message"]) == (200, ROUTES_BY_NAME[name].message)
        assert same_item(envelope["data"], item)
    status, envelope = call(sim, account, name, item_id="no-such-id")
    assert (status, envelope["error"]) == (404, "Not Found") and "'no-such-id' not found" in envelope["message"]


def same_item(served, expected):
    """Equal, but for relative times, which move between two requests (a few seconds apart at most)."""
    if set(served) != set(expected):
        return False
    for key, value in expected.items():
        if key.endswith("_datetime") and isinstance(value, str) and isinstance(served[key], str):
            if abs((clock.parse(served[key]) - clock.parse(value)).total_seconds()) > 5:
                return False
        elif served[key] != value:
            return False
    return True


def test_stats_count_by_method_and_path_and_show_a_purchase_attempt(sim):
    call(sim, "healthy", "service_search")
    call(sim, "healthy", "checkout_quote", body=QUOTE_BODY)
    status, envelope = call(sim, "healthy", None, method="POST", body=QUOTE_BODY, path="/1.0/public/user/checkout/create")
    assert status == 404 and envelope["error"] == "Not Found"
    status, envelope = call(sim, "healthy", None, method="DELETE", path="/1.0/public/user/service/search")
    assert status == 405
    status, _envelope = call(sim, "healthy", "service_search", method="PATCH", raw=b"{}")
    assert status == 405
    status, _envelope = call(sim, "healthy", "checkout_quote", method="GET")
    assert status == 405
    assert sim.stats()["by_method_path"] == {
        "GET /1.0/public/user/service/search": 1,
        "POST /1.0/public/user/checkout/quote": 1,
        "POST /1.0/public/user/checkout/create": 1,
        "DELETE /1.0/public/user/service/search": 1,
        "PATCH /1.0/public/user/service/search": 1,
        "GET /1.0/public/user/checkout/quote": 1,
    }
    assert sim.stats()["by_path"]["/1.0/public/user/service/search"] == 3


def test_an_id_in_a_path_is_one_url_decoded_segment(sim):
    sim.set_account("odd_ids", services=[{"service_id": "S 1/2", "service_status": "active"}, {"service_id": "S-3"}])
    status, envelope = call(sim, "odd_ids", "service_retrieve", item_id="S 1/2")  # sent as S%201%2F2
    assert (status, envelope["data"]["service_id"]) == (200, "S 1/2")
    for path in ("/1.0/public/user/service/retrieve/", "/1.0/public/user/service/retrieve/S-3/more", "/1.0/public/user/service/retrieve"):
        status, envelope = call(sim, "odd_ids", None, path=path)
        assert (status, envelope["error"]) == (404, "Not Found"), path
    status, envelope = call(sim, "odd_ids", None, method="DELETE", path="/1.0/public/user/service/retrieve/S-3")
    assert (status, envelope["error"]) == (405, "Method Not Allowed")


def test_stats_count_routes_by_name_whatever_the_id(sim):
    for service_id in ("1955-8012-871", "1955-8012-872", "nope"):
        call(sim, "healthy", "service_retrieve", item_id=service_id)
    call(sim, "healthy", "service_search")
    call(sim, "healthy", None, path="/1.0/public/user/nothing")
    stats = sim.stats()
    assert stats["by_route"] == {"service_retrieve": 3, "service_search": 1}
    assert stats["by_method_path"]["GET /1.0/public/user/service/retrieve/nope"] == 1
    assert stats["requests"] == 5


def test_a_route_scoped_fault_hits_only_its_route(sim):
    sim.set_account("scoped", faults=[{"route": "service_search", "status": 503, "times": 2},
                                      {"route": "checkout_quote", "status": 422, "message": "No quotes today."}])
    assert call(sim, "scoped", "customer")[0] == 200
    assert call(sim, "scoped", "proxy_user_search")[0] == 200
    assert [call(sim, "scoped", "service_search")[0] for _attempt in range(3)] == [503, 503, 200]
    status, envelope = call(sim, "scoped", "checkout_quote", body=QUOTE_BODY)
    assert (status, envelope["message"]) == (422, "No quotes today.")
    assert call(sim, "scoped", "residential_ledger_search")[0] == 200


def test_an_unscoped_fault_still_hits_every_route(sim):
    sim.set_account("everywhere", faults=[{"status": 500, "times": 2}])
    assert [call(sim, "everywhere", route)[0] for route in ("service_search", "proxy_user_search", "service_search")] == [500, 500, 200]


def test_a_fault_step_naming_no_route_is_refused(sim):
    with pytest.raises(Exception, match="route must be one of"):
        sim.set_account("typo", faults=[{"route": "services", "status": 500}])


@pytest.mark.parametrize("raw, status, words", [
    (b"[1, 2]", 400, "must be a JSON object"),
    (b"{not json", 400, "not valid JSON"),
    (b'{"product_code": "isp_us"}', 400, "quantity must be an integer of at least 1, got null"),
    (b'{"product_code": "isp_us", "quantity": "10"}', 400, "quantity must be an integer"),
    (b'{"quantity": 1}', 400, "Give product_code"),
    (b'{"product_code": "isp_us", "quantity": 1, "cycle_interval": "fortnight"}', 400, "cycle_interval must be one of"),
    (b'{"product_code": "isp_us", "quantity": 1, "cycle_interval_count": 0}', 400, "cycle_interval_count must be"),
    (b'{"product_code": "nothing_here", "quantity": 1}', 422, "No product matches product_code 'nothing_here'."),
])
def test_bad_quote_bodies(sim, raw, status, words):
    answer, envelope = call(sim, "healthy", "checkout_quote", raw=raw)
    assert answer == status and words in envelope["message"]
    assert envelope["error"] == {400: "Bad Request", 422: "Unprocessable Entity"}[status]


def test_the_quote_uses_the_accounts_credit(sim):
    _status, envelope = call(sim, "renewals_due", "checkout_quote", body=QUOTE_BODY)
    data = envelope["data"]
    assert (data["total"], data["credit_balance"], data["total_after_applied_credit"]) == (3500, 5000, 0)
    _status, envelope = call(sim, "low_credit", "checkout_quote", body=QUOTE_BODY)
    assert envelope["data"]["total_after_applied_credit"] == 3500 - 12


def test_search_filters_through_the_server(sim):
    now = datetime.datetime.now(datetime.timezone.utc)
    soon = (now + datetime.timedelta(days=15)).strftime("%Y-%m-%d %H:%M:%S")
    _status, envelope = call(sim, "healthy", "service_search",
                             {"service_status": "active", "max_service_expiry_datetime": soon, "sort_by": "service_expiry_datetime_asc"})
    assert [service["service_id"] for service in envelope["data"]] == ["1955-8012-873"]
    _status, envelope = call(sim, "healthy", "proxy_user_search", {"proxy_user_is_deleted": "false", "per_page": 1,
                                                                   "sort_by": "proxy_user_is_default_desc"})
    assert envelope["total_count"] == 3 and envelope["data"][0]["proxy_user_is_default"] is True


# -- the accounts the contract names ---------------------------------------------------------------------


def usage_days(sim, account, product, window=14):
    """{date: abs(bytes)} of the usage rows of the window's complete days, as the usage module asks for them."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    first = today - datetime.timedelta(days=window)
    query = {product + "_ledger_reason": "usage", "min_%s_ledger_period_date" % product: first.isoformat(),
             "max_%s_ledger_period_date" % product: today.isoformat(), "sort_by": product + "_ledger_period_date_desc"}
    rows = every_item(sim, account, product + "_ledger_search", query)
    days = {}
    for row in rows:
        day = row[product + "_ledger_period_date"]
        if row[product + "_ledger_reason"] == "usage" and first.isoformat() <= day < today.isoformat():
            days[day] = days.get(day, 0) + abs(row[product + "_ledger_bytes"])
    return days, rows


def days_left(sim, account, product, window=14):
    days, _rows = usage_days(sim, account, product, window)
    average = sum(days.values()) / float(window)
    return CATALOGUE.customers[account][product + "_bytes_left"] / average


def test_healthy_has_every_status_months_of_usage_with_a_partial_today_and_room(sim):
    services = every_item(sim, "healthy", "service_search")
    assert {service["service_status"] for service in services} == SERVICE_STATUSES
    days, _rows = usage_days(sim, "healthy", "residential", window=90)
    assert len(days) == 90
    rows = every_item(sim, "healthy", "residential_ledger_search")
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    todays = [row for row in rows if row["residential_ledger_period_date"] == today]
    assert len(todays) == 1 and 0 < todays[0]["residential_ledger_bytes"] < min(days.values())
    assert {row["residential_ledger_reason"] for row in rows} >= {"usage", "top_up", "adjustment"}
    assert days_left(sim, "healthy", "residential") > 30 and days_left(sim, "healthy", "mobile") > 30
    users = every_item(sim, "healthy", "proxy_user_search", {"proxy_user_is_deleted": "false"})
    assert (len(users), CATALOGUE.customers["healthy"]["customer_proxy_user_limit"]) == (3, 5)
    assert [user["proxy_user_is_default"] for user in users].count(True) == 1


def test_runs_out_soon_lasts_about_five_and_three_days(sim):
    assert 4.5 < days_left(sim, "runs_out_soon", "residential") < 5.5
    assert 2.5 < days_left(sim, "runs_out_soon", "mobile") < 3.5


def renewals_within(services, days):
    limit = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return sum(service["service_total"] for service in services
               if service["service_status"] == "active" and service["service_is_automatic_collection"]
               and not service.get("service_is_pending_cancellation") and clock.parse(service["service_expiry_datetime"]) <= limit)


def test_renewals_due_eat_the_credit_and_healthy_covers_its_own(sim):
    assert renewals_within(every_item(sim, "renewals_due", "service_search"), 7) >= 4500
    assert CATALOGUE.customers["renewals_due"]["credit_balance"] == 5000
    healthy = renewals_within(every_item(sim, "healthy", "service_search"), 30)
    assert 0 < healthy + 1000 < CATALOGUE.customers["healthy"]["credit_balance"]


def test_expiring_manual_has_the_services_that_do_not_renew_by_themselves(sim):
    services = every_item(sim, "expiring_manual", "service_search")
    now = datetime.datetime.now(datetime.timezone.utc)

    def days(service):
        return (clock.parse(service["service_expiry_datetime"]) - now).total_seconds() / 86400.0

    manual = [service for service in services if service["service_status"] == "active" and not service["service_is_automatic_collection"]]
    cancelling = [service for service in services if service["service_status"] == "active" and service["service_is_pending_cancellation"]]
    assert [round(days(service)) for service in manual] == [2]
    assert [round(days(service)) for service in cancelling] == [4]
    assert {service["service_status"] for service in services} >= {"overdue", "paused"}


def test_proxy_users_full_and_uncounted(sim):
    status, envelope = call(sim, "proxy_users_full", "proxy_user_search", {"proxy_user_is_deleted": "false", "per_page": 1})
    assert (status, envelope["total_count"], CATALOGUE.customers["proxy_users_full"]["customer_proxy_user_limit"]) == (200, 24, 25)
    assert call(sim, "proxy_users_full", "proxy_user_search", {"proxy_user_is_deleted": "true"})[1]["total_count"] >= 1
    _status, envelope = call(sim, "proxy_users_uncounted", "proxy_user_search", {"per_page": 100})
    assert (envelope["total_count"], envelope["item_count"]) == (-1, 100)
    assert len(every_item(sim, "proxy_users_uncounted", "proxy_user_search")) == 130


def test_many_services_is_three_pages_in_both_datetime_forms(sim):
    pages = [call(sim, "many_services", "service_search", {"page": page})[1] for page in (1, 2, 3, 4)]
    assert [page["item_count"] for page in pages] == [100, 100, 50, 0]
    assert {page["total_count"] for page in pages} == {250}
    expiries = [service["service_expiry_datetime"] for service in pages[0]["data"][:2]]
    assert " " in expiries[0] and expiries[1].endswith("Z") and "T" in expiries[1]


def test_usage_negative_and_usage_none(sim):
    _status, envelope = call(sim, "usage_negative", "residential_ledger_search", {"residential_ledger_reason": "usage"})
    assert envelope["data"] and all(row["residential_ledger_bytes"] < 0 for row in envelope["data"])
    assert days_left(sim, "usage_negative", "residential") == pytest.approx(days_left(sim, "healthy", "residential"))
    days, rows = usage_days(sim, "usage_none", "residential", window=90)
    assert days == {} and rows == []
    assert any(service["service_type"] == "residential" and service["service_status"] == "active"
               for service in every_item(sim, "usage_none", "service_search"))


def test_sort_ignored_answers_in_id_order_unfiltered(sim):
    _status, envelope = call(sim, "sort_ignored", "service_search", {"sort_by": "service_expiry_datetime_asc", "service_status": "active"})
    assert [service["service_id"] for service in envelope["data"]] == sorted(service["service_id"] for service in envelope["data"])
    assert {service["service_status"] for service in envelope["data"]} == SERVICE_STATUSES
    assert envelope["data"][0]["service_expiry_datetime"].endswith("Z")
    # the first proxy user in id order contradicts a proxy_user_is_deleted=false search: a client can tell
    _status, envelope = call(sim, "sort_ignored", "proxy_user_search", {"proxy_user_is_deleted": "false", "per_page": 1,
                                                                        "sort_by": "proxy_user_is_default_desc"})
    assert envelope["total_count"] == 4 and envelope["data"][0]["proxy_user_is_deleted"] is True
    assert envelope["data"][0]["proxy_user_is_default"] is False
    users = every_item(sim, "sort_ignored", "proxy_user_search")
    assert [user["proxy_user_is_default"] for user in users if not user["proxy_user_is_deleted"]] == [True, False, False]


def test_times_are_relative_to_the_moment_of_serving(sim):
    _status, envelope = call(sim, "expiring_manual", "service_search", {"service_id": "2003-0001-001"})
    expiry = clock.parse(envelope["data"][0]["service_expiry_datetime"])
    expected = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)
    assert abs((expiry - expected).total_seconds()) < 120


def test_a_test_defined_account_serves_its_own_services_usage_and_proxy_users(sim):
    sim.set_account("mine", services=[{"service_id": "S-1", "service_status": "active", "service_expiry_datetime": "$now+1d"}],
                    usage={"residential": {"days": 3, "bytes_per_day": 1000, "variation": 0, "today_fraction": 0}},
                    proxy_users={"active": 2, "deleted": 1}, search={"uncounted": ["proxy_user_search"]}, datetime_form="iso")
    _status, envelope = call(sim, "mine", "service_search")
    assert [service["service_id"] for service in envelope["data"]] == ["S-1"]
    assert envelope["data"][0]["service_expiry_datetime"].endswith("Z") and envelope["total_count"] == 1
    _status, envelope = call(sim, "mine", "residential_ledger_search")
    assert [row["residential_ledger_bytes"] for row in envelope["data"]] == [1000, 1000, 1000]
    assert call(sim, "mine", "mobile_ledger_search")[1]["total_count"] == 0
    _status, envelope = call(sim, "mine", "proxy_user_search")
    assert (envelope["total_count"], envelope["item_count"]) == (-1, 3)
