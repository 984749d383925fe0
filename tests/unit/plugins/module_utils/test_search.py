# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The transport's query strings, paginated search and read-only POST, on a fake session at the HTTP boundary."""

from __future__ import annotations

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils import _api
from ansible_collections.byteful.proxy.plugins.module_utils._api import (
    DEFAULT_MAX_PAGES,
    READ_ONLY_POSTS,
    BytefulError,
    query_string,
)
from ansible_collections.byteful.proxy.tests.unit.plugins.module_utils.fake_api import (
    PRIVATE,
    envelope,
    make_client,
    paged,
)

PATH = "/public/user/service/search"
ITEMS = [{"service_id": "S-%03d" % n} for n in range(250)]


def search(client, **kwargs):
    return client.search(PATH, "Searching the Byteful services", **kwargs)


# -- query strings ------------------------------------------------------------------------

def test_booleans_are_sent_as_true_and_false_and_none_is_dropped():
    assert query_string({"proxy_user_is_deleted": False, "proxy_user_is_default": True, "service_id": None,
                         "per_page": 1}) == "proxy_user_is_deleted=false&proxy_user_is_default=true&per_page=1"


def test_values_are_url_encoded():
    assert query_string({"max_service_expiry_datetime": "2026-12-02 12:00:00", "like_service_name": "a&b=c%"}) == (
        "max_service_expiry_datetime=2026-12-02+12%3A00%3A00&like_service_name=a%26b%3Dc%25")


@pytest.mark.parametrize("value", [1.5, ["a"], {"a": 1}])
def test_other_value_types_are_a_programming_error(value):
    with pytest.raises(ValueError, match="must be a string, an integer or a boolean"):
        query_string({"x": value})


def test_get_sends_params_and_keeps_the_path_without_them():
    client, session, dummy = make_client(lambda call: (200, {"data": {"customer_id": 1}}))
    client.get("/public/user/customer/retrieve", "Retrieving", params={"a": True, "b": None})
    client.get("/public/user/customer/retrieve", "Retrieving")
    assert [call.url for call in session.calls] == [
        "https://api.example.test/1.0/public/user/customer/retrieve?a=true",
        "https://api.example.test/1.0/public/user/customer/retrieve"]


# -- pagination ---------------------------------------------------------------------------

def test_every_page_is_fetched_and_a_short_page_stops():
    client, session, dummy = make_client(paged(ITEMS))
    result = search(client, params={"service_status": "active", "sort_by": "service_expiry_datetime_asc"})
    assert result.items == ITEMS and result.total_count == 250 and result.pages == 3
    assert [call.query["page"] for call in session.calls] == ["1", "2", "3"]
    assert all(call.query["per_page"] == "100" for call in session.calls)
    assert all(call.query["service_status"] == "active" for call in session.calls)
    assert all(call.query["sort_by"] == "service_expiry_datetime_asc" for call in session.calls)
    assert result.request_id == "req-3"


def test_a_full_last_page_asks_for_the_next_whatever_total_count_says():
    # total_count is checked, not trusted: only a short (or empty) page ends a search.
    client, session, dummy = make_client(paged(ITEMS[:200]))
    result = search(client)
    assert len(result.items) == 200 and len(session.calls) == 3 and result.total_count == 200


def test_total_count_minus_one_is_unknown_and_a_short_page_stops():
    client, session, dummy = make_client(paged(ITEMS[:130], total_count=-1))
    result = search(client)
    assert len(result.items) == 130 and result.total_count is None and len(session.calls) == 2


def test_total_count_minus_one_and_full_pages_stop_on_an_empty_page():
    client, session, dummy = make_client(paged(ITEMS[:200], total_count=-1))
    result = search(client)
    assert len(result.items) == 200 and result.total_count is None and len(session.calls) == 3


def test_no_total_count_is_unknown():
    client, session, dummy = make_client(paged(ITEMS[:5], total_count=None))
    result = search(client)
    assert len(result.items) == 5 and result.total_count is None and len(session.calls) == 1


def test_an_empty_search_is_one_call():
    client, session, dummy = make_client(paged([]))
    result = search(client)
    assert result.items == [] and result.total_count == 0 and len(session.calls) == 1


def test_smaller_pages_than_asked_for_are_followed():
    # An API that serves 50 per page and says so: a page of 50 is not short.
    client, session, dummy = make_client(paged(ITEMS[:130], total_count=-1, per_page_served=50))
    result = search(client)
    assert len(result.items) == 130 and len(session.calls) == 3


@pytest.mark.parametrize("served", [0, -5, 100, 500, "50", None])
def test_a_page_size_the_api_reports_oddly_is_not_followed(served):
    def handler(call):
        page = int(call.query["page"])
        document = envelope(ITEMS[(page - 1) * 100:page * 100], page=page, total_count=-1, item_count=-1)
        document["per_page"] = served
        return 200, document

    client, session, dummy = make_client(handler)
    assert len(search(client).items) == 250 and len(session.calls) == 3


def test_per_page_is_sent_as_asked():
    client, session, dummy = make_client(paged(ITEMS[:25]))
    result = search(client, per_page=10)
    assert len(result.items) == 25 and [call.query["per_page"] for call in session.calls] == ["10"] * 3


@pytest.mark.parametrize("per_page", [0, 101, -1, True, "100", 2.0])
def test_per_page_out_of_bounds_is_refused_before_any_request(per_page):
    client, session, dummy = make_client(paged(ITEMS))
    with pytest.raises(ValueError, match="per_page must be an integer from 1 to 100"):
        search(client, per_page=per_page)
    with pytest.raises(ValueError, match="per_page"):
        client.first_page(PATH, "Searching", per_page=per_page)
    assert session.calls == []


def test_a_known_total_beyond_the_page_cap_fails_after_the_first_page():
    client, session, dummy = make_client(paged(ITEMS[:250]))
    with pytest.raises(BytefulError) as info:
        search(client, max_pages=2, narrow_with="status or expiring_within")
    assert len(session.calls) == 1
    assert info.value.message == (
        "Searching the Byteful services at https://api.example.test/1.0/public/user/service/search has more than 2 "
        "pages of 100; narrow the search with status or expiring_within; the collection stops there so that one task "
        "cannot spend minutes of the rate limit.")


def test_an_uncounted_search_beyond_the_page_cap_fails_after_one_more_page():
    client, session, dummy = make_client(paged(ITEMS[:250], total_count=-1))
    with pytest.raises(BytefulError, match="has more than 2 pages of 100; narrow the search"):
        search(client, max_pages=2)
    assert len(session.calls) == 3


def test_an_uncounted_search_of_exactly_the_cap_passes():
    client, session, dummy = make_client(paged(ITEMS[:200], total_count=-1))
    result = search(client, max_pages=2)
    assert len(result.items) == 200 and len(session.calls) == 3


def test_a_known_total_of_exactly_the_cap_passes_and_one_more_fails_at_once():
    client, session, dummy = make_client(paged(ITEMS[:200]))
    result = search(client, max_pages=2)
    assert len(result.items) == 200 and result.total_count == 200
    client, session, dummy = make_client(paged(ITEMS[:201]))
    with pytest.raises(BytefulError, match="has more than 2 pages of 100; narrow the search"):
        search(client, max_pages=2)
    assert len(session.calls) == 1


def test_the_default_cap_is_the_documented_one():
    assert DEFAULT_MAX_PAGES == 50
    client, session, dummy = make_client(lambda call: (200, envelope(ITEMS[:100], total_count=100 * 50 + 1)))
    with pytest.raises(BytefulError, match="more than 50 pages of 100"):
        search(client)
    assert len(session.calls) == 1


@pytest.mark.parametrize("data, kind", [({"service_id": "x"}, "object"), (None, "null"), ("x", "string")])
def test_data_that_is_not_a_list_is_one_sentence_naming_data(data, kind):
    client, dummy, dummy = make_client(lambda call: (200, {"data": data, "total_count": 1}))
    with pytest.raises(BytefulError) as info:
        search(client)
    assert info.value.message == (
        "Searching the Byteful services at https://api.example.test/1.0/public/user/service/search?page=1&per_page=100 "
        "returned HTTP 200 with a 'data' member that is a JSON %s instead of an array of items; check that api_url is "
        "the Byteful API root." % kind)


def test_every_page_is_retried_and_paced_like_a_get():
    answers = {"2": [(503, {"error": "Service Unavailable"}), (429, {"error": "Too Many Requests"}, {"Retry-After": "2"})]}
    serve = paged(ITEMS)

    def handler(call):
        waiting = answers.get(call.query["page"])
        return waiting.pop(0) if waiting else serve(call)

    client, session, clock = make_client(handler)
    result = search(client)
    assert len(result.items) == 250
    assert [call.query["page"] for call in session.calls] == ["1", "2", "2", "2", "3"]
    assert any(2.0 <= wait <= 3.0 for wait in clock.sleeps), "the 429's Retry-After was honoured"
    # Pages are spaced like any other requests (0.1 s apart at least).
    assert sum(clock.sleeps) >= 0.1 * 4


def test_a_failing_page_is_one_sentence_with_its_page():
    serve = paged(ITEMS)
    client, dummy, dummy = make_client(
        lambda call: (500, {"error": "Internal Server Error", "api_request_id": "r-2"}) if call.query["page"] == "2"
        else serve(call), retries=0)
    with pytest.raises(BytefulError) as info:
        search(client)
    assert info.value.message.startswith("Searching the Byteful services at https://api.example.test/1.0/public/user/"
                                         "service/search?page=2&per_page=100 failed with HTTP 500")
    assert info.value.details["status"] == 500


def test_items_are_redacted_like_any_answer():
    client, dummy, dummy = make_client(paged([{"service_id": "S-1", "service_name": "x%sx" % PRIVATE}]))
    result = search(client)
    assert PRIVATE not in repr(result.items) and result.items[0]["service_name"] == "x********x"


def test_a_member_nested_too_deep_leaves_its_item_on_the_page():
    deep = {"service_id": "S-1", "service_metadata": {"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}
    client, dummy, dummy = make_client(paged([deep, {"service_id": "S-2"}, [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]))
    result = search(client)
    assert result.items == [{"service_id": "S-1"}, {"service_id": "S-2"}, []]
    assert client.warnings == ["The Byteful API's answer has a member 'service_metadata' nested more than 32 levels deep, "
                               "which no Byteful field is; it is left out of the result."]


def test_first_page_reads_only_the_count():
    client, session, dummy = make_client(paged(ITEMS))
    result = client.first_page(PATH, "Counting", {"service_status": "active"}, per_page=1)
    assert result.total_count == 250 and result.items == ITEMS[:1] and len(session.calls) == 1
    assert session.calls[0].query == {"service_status": "active", "page": "1", "per_page": "1"}


# -- POST -----------------------------------------------------------------------------------

QUOTE = {"data": {"total": 350}, "message": "Quote generated successfully.", "api_request_id": "q-1"}


@pytest.mark.parametrize("path", ["/public/user/checkout/create", "/public/user/checkout/quote/", "/public/user/service/edit/1",
                                  "/public/user/customer/retrieve", "/public/user/checkout/quote?x=1"])
def test_posts_to_any_other_path_are_refused_before_anything_is_sent(path):
    client, session, dummy = make_client(lambda call: (200, QUOTE))
    with pytest.raises(ValueError, match="only POSTs to /public/user/checkout/quote, never to"):
        client.post(path, "Buying", {"quantity": 1, "product_code": "isp_us"})
    assert session.calls == []


def test_the_quote_is_a_json_post():
    assert READ_ONLY_POSTS == ("/public/user/checkout/quote",)
    client, session, dummy = make_client(lambda call: (200, QUOTE))
    response = client.post("/public/user/checkout/quote", "Pricing", {"quantity": 1, "product_code": "isp_us"})
    assert response.data == {"total": 350} and response.request_id == "q-1"
    (call,) = session.calls
    assert call.method == "POST" and call.body == {"quantity": 1, "product_code": "isp_us"}
    assert call.headers["Content-Type"] == "application/json"
    assert call.headers["X-API-Private-Key"] == PRIVATE and PRIVATE not in call.url


def test_a_quote_is_retried_like_a_get():
    answers = [(502, {"error": "Bad Gateway"}), (200, QUOTE)]
    client, session, dummy = make_client(lambda call: answers.pop(0))
    assert client.post("/public/user/checkout/quote", "Pricing", {"quantity": 1}).data == {"total": 350}
    assert [call.method for call in session.calls] == ["POST", "POST"]


def test_hints_replace_the_status_hint_for_the_caller():
    client, dummy, dummy = make_client(lambda call: (422, {"error": "Unprocessable Entity", "message": "No such product."}))
    with pytest.raises(BytefulError) as info:
        client.post("/public/user/checkout/quote", "Pricing", {"quantity": 1}, hints={422: "check product_code"})
    assert info.value.message.endswith("failed with HTTP 422 (Unprocessable Entity: No such product); check product_code.")


def test_the_guard_holds_for_every_read_only_post():
    # A path added to READ_ONLY_POSTS must be one that prices or reads: today that is the quote alone.
    assert all(path.startswith("/public/user/checkout/quote") for path in _api.READ_ONLY_POSTS)


# -- what SEARCHES declares per route: ids as sent, no item twice, no negative money -------------------------------


def test_every_search_route_is_declared_and_no_other_is_searched():
    client, session, dummy = make_client(paged([]))
    with pytest.raises(ValueError, match="is not in _paging.SEARCHES"):
        client.search("/public/user/invoice/search", "Searching")
    with pytest.raises(ValueError, match="is not in _paging.SEARCHES"):
        client.first_page("/public/user/invoice/search", "Searching")
    assert session.calls == []


def test_a_proxy_listed_twice_is_refused():
    proxy = {"proxy_id": "0f6c7c52-5a7e-4f7e-9d36-0c1b2a3d4e5f", "proxy_ip_address": "203.0.113.9"}
    client, dummy, dummy = make_client(paged([proxy, dict(proxy)]))
    with pytest.raises(BytefulError, match="returned proxy_id \"0f6c7c52-5a7e-4f7e-9d36-0c1b2a3d4e5f\" twice on page 1"):
        client.search("/public/user/proxy/search", "Searching the Byteful proxies")


def test_a_negative_price_of_a_product_is_refused():
    product = {"product_id": "prod_1", "product_prices": [{"price_amount": 500}, {"price_amount": 9, "price_per_unit_amount": -1}]}
    client, dummy, dummy = make_client(paged([product]))
    with pytest.raises(BytefulError) as info:
        client.search("/public/user/product/search", "Searching the Byteful products")
    assert ("The Byteful API returned a list of products that does not match the expected schema "
            "($.products[0].product_prices[1].price_per_unit_amount must be 0 or more, found -1)") in info.value.message


@pytest.mark.parametrize("invisible", ["\u200b", "\u202e", "\x00", "\x1b[2J"])
def test_an_id_that_cleaning_changes_is_refused_wherever_it_is_listed(invisible):
    items = ITEMS[:150] + [{"service_id": "S-9" + invisible}]
    client, dummy, dummy = make_client(paged(items))
    with pytest.raises(BytefulError) as info:
        search(client)
    assert "returned an item whose service_id holds invisible or control characters (at $.services[150], shown as" in \
        info.value.message
