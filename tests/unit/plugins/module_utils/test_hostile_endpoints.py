# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A hostile server on every endpoint (issue 17), through the client and each resource reader.

Each answer is played by the simulator, defined at run time through its control API: the
Customer, the services, both ledgers, the proxy users and the quote, each with the key echoed in
every disguise, terminal escapes and 20,000 characters, duplicate and look-alike members, floats
and huge numbers where integers belong, negative prices, datetimes Python cannot hold, lying
pages and ledger rows from the future. Whatever comes back (data, message, details, warnings)
must hold no key, however disguised, and no control character; garbage fails with one sentence.
"""

from __future__ import annotations

import datetime
import itertools
import json

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils import _transport
from ansible_collections.byteful.proxy.plugins.module_utils._api import MAX_DATA_TEXT, BytefulClient, BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._customer import fetch_customer
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user import read_proxy_users
from ansible_collections.byteful.proxy.plugins.module_utils._quote import fetch_quote, quote_body
from ansible_collections.byteful.proxy.plugins.module_utils._service import search_services
from ansible_collections.byteful.proxy.plugins.module_utils._usage import read_usage
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY, HEALTHY_CUSTOMER
from ansible_collections.byteful.proxy.tests.unit.plugins.hostile import (
    CONTROLS,
    HOSTILE_TEXT,
    key_forms,
    never_whole,
)
from ansible_collections.byteful.proxy.tests.unit.plugins.module_utils.fake_api import FakeClock

TODAY = datetime.datetime.now(datetime.timezone.utc).date()
CUSTOMER = {"customer_id": 1955, "customer_proxy_user_limit": 5, "residential_bytes_left": 10 ** 10,
            "mobile_bytes_left": 10 ** 10}
_ACCOUNTS = itertools.count(1)


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


class Endpoint:
    """One API endpoint: its route, a valid item, how its answer is wrapped, and the reader that reads it.

    ``text`` is a free-text field of the item, ``integer`` an integer one (with the path a
    schema error gives it), ``returned`` whether the reader hands ``text`` back.
    """

    def __init__(self, name, route, item, read, text, integer, integer_path, returned, search=True, id_field=None):
        self.name, self.route, self.item, self.read = name, route, item, read
        self.text, self.integer, self.integer_path, self.returned = text, integer, integer_path, returned
        self.search, self.id_field = search, id_field

    def body(self, items=None, **envelope):
        """The answer as the API sends it: a search envelope of ``items``, or the object itself."""
        if not self.search:
            return dict({"data": (items or [self.item])[0], "message": "OK.", "api_request_id": "req-1"}, **envelope)
        items = [self.item] if items is None else items
        return dict({"data": items, "item_count": len(items), "page": 1, "per_page": 100, "total_count": len(items),
                     "message": "Search successful.", "api_request_id": "req-1"}, **envelope)

    def with_item(self, **fields):
        return dict(self.item, **fields)

    def __repr__(self):
        return self.name


def _ledger(product):
    prefix = product + "_ledger"
    return Endpoint(
        prefix, prefix + "_search",
        {prefix + "_id": "%s-1" % product, prefix + "_bytes": 1000, prefix + "_requests": 1,
         prefix + "_period_date": day(-1), prefix + "_reason": "usage", "customer_id": 1955},
        lambda client: read_usage(client, CUSTOMER, product, 7),
        # The date is the one string a ledger reader reads: unreadable, it is quoted in the error.
        text=prefix + "_period_date", integer=prefix + "_bytes", integer_path="$.%s[0].%s_bytes" % (prefix, prefix),
        returned=False, id_field=prefix + "_id")


ENDPOINTS = [
    Endpoint("customer", "customer", dict(HEALTHY_CUSTOMER), fetch_customer, text="customer_first_name",
             integer="credit_balance", integer_path="$.credit_balance", returned=True, search=False),
    Endpoint("services", "service_search",
             {"service_id": "S-1", "service_status": "active", "service_expiry_datetime": day(20) + " 00:00:00",
              "service_total": 4500, "service_is_automatic_collection": True, "service_name": "US ISP"},
             search_services, text="service_name", integer="service_total",
             integer_path="$.services[0].service_total", returned=True, id_field="service_id"),
    _ledger("residential"),
    _ledger("mobile"),
    Endpoint("proxy_users", "proxy_user_search",
             {"proxy_user_id": "default_1955", "proxy_user_is_default": True, "proxy_user_is_deleted": False,
              "customer_id": 1955},
             lambda client: read_proxy_users(client, CUSTOMER),
             # A boolean: a string there is a type error that quotes it.
             text="proxy_user_is_default", integer="customer_id", integer_path="$.proxy_users[0].customer_id",
             returned=False, id_field="proxy_user_id"),
    Endpoint("quote", "checkout_quote",
             {"total": 350, "is_valid": False, "invalid_reason": "Out of stock.", "line_items": []},
             lambda client: fetch_quote(client, quote_body(1, product_code="isp_us")),
             # Not invalid_reason: the API's sentence, cut to one sentence's length (test_info_modules.py).
             text="promotional_code", integer="total", integer_path="$.total", returned=True, search=False),
]
SEARCHES = [endpoint for endpoint in ENDPOINTS if endpoint.search]
FORMS = key_forms()


def serve(sim, endpoint, *bodies, status=200):
    """A new account whose ``endpoint`` answers with each body in turn (a dict as JSON, a str as it is)."""
    name = "hostile-%s-%d" % (endpoint.name, next(_ACCOUNTS))
    steps = [{"route": endpoint.route, "status": status, "body": body, "content_type": "application/json",
              "times": 1} for body in bodies]
    sim.set_account(name, faults=steps)
    # A fake clock: the 0.1 s spacing of requests costs no real time (the simulator answers at once).
    _transport._last_request_at[0] = float("-inf")
    clock = FakeClock()
    return BytefulClient(sim.base_url, name, DEFAULT_PRIVATE_KEY, timeout=5, retries=0, sleep=clock.sleep,
                         clock=clock.monotonic)


def outcome(endpoint, client):
    """(what the reader returned or None, the BytefulError or None), and the client's warnings."""
    try:
        return endpoint.read(client), None, client.warnings
    except BytefulError as exc:
        return None, exc, client.warnings


def refused(endpoint, client):
    result, error, warnings = outcome(endpoint, client)
    assert error is not None, "passed on garbage: %r" % (result,)
    message = error.message
    assert len(message.splitlines()) == 1 and message.endswith(".") and not CONTROLS.search(message), message
    never_whole(error, warnings)
    return message


def test_every_endpoint_reads_its_valid_item(sim):
    # The baseline: each hostile case below differs from this by one thing.
    for endpoint in ENDPOINTS:
        result, error, warnings = outcome(endpoint, serve(sim, endpoint, endpoint.body()))
        assert error is None and warnings == [], (endpoint, error)


# -- the key, however disguised, never comes back whole --------------------------------------

# Every disguise in one test per endpoint (each test runs in a forked process: a fork per form would cost more
# than the forms); the failure names the form.

@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=repr)
def test_the_key_echoed_in_an_error_answer_never_comes_back_whole(sim, endpoint):
    for form, key in FORMS.items():
        echo = {"error": key, "message": "You sent %s, which is wrong." % key, "api_request_id": key}
        message = refused(endpoint, serve(sim, endpoint, echo, status=400))
        assert "failed with HTTP 400 (" in message and "********" in message, form


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=repr)
def test_the_key_echoed_in_the_data_never_comes_back_whole(sim, endpoint):
    for form, key in FORMS.items():
        text = "sent: %s." % key
        item = endpoint.with_item(**{endpoint.text: text, "echo": [text], "echo %s" % key: 1})
        client = serve(sim, endpoint, endpoint.body([item]))
        result, error, warnings = outcome(endpoint, client)
        assert never_whole(result, error, warnings) > 0, form
        if endpoint.returned:
            assert error is None, (form, error.message)
            returned = result if isinstance(result, dict) else result[0]
            assert returned[endpoint.text].startswith("sent: ********"), form
            assert returned["echo"] == [returned[endpoint.text]], form
        else:
            assert error is not None and "********" in error.message, form


def test_a_key_cut_by_a_length_limit_is_never_half_shown(sim):
    # Redacted before the cut: a key that straddles the 1,024th character is not left half visible.
    endpoint = ENDPOINTS[0]
    for padding in (MAX_DATA_TEXT - 30, MAX_DATA_TEXT - 3, MAX_DATA_TEXT - len(DEFAULT_PRIVATE_KEY) // 2):
        text = "x" * padding + FORMS["upper case"] + "y" * 50
        customer = fetch_customer(serve(sim, endpoint, endpoint.body([endpoint.with_item(customer_first_name=text)])))
        shown = customer["customer_first_name"]
        assert len(shown) <= MAX_DATA_TEXT and DEFAULT_PRIVATE_KEY.upper()[:8] not in shown.upper()


# -- server text is one short, plain line --------------------------------------------------

@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=repr)
def test_escapes_bidi_and_20000_characters_in_an_error_answer(sim, endpoint):
    answer = {"error": "bad\x1b[31m request\n", "message": HOSTILE_TEXT, "api_request_id": "req_\x1b]0;pwned\x07" + "9" * 500}
    message = refused(endpoint, serve(sim, endpoint, answer, status=400))
    assert "(bad request: Preflight passed for Byteful account 1955 gnirts blah blah" in message
    assert len(message) < 800


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=repr)
def test_escapes_bidi_and_20000_characters_in_the_data(sim, endpoint):
    client = serve(sim, endpoint, endpoint.body([endpoint.with_item(**{endpoint.text: HOSTILE_TEXT})]))
    result, error, warnings = outcome(endpoint, client)
    for text in [t for t in (error.message if error else None,) if t] + warnings:
        assert not CONTROLS.search(text) and len(text.splitlines()) == 1 and len(text) < 1500
    if endpoint.returned:
        returned = result if isinstance(result, dict) else result[0]
        shown = returned[endpoint.text]
        assert not CONTROLS.search(shown) and shown.startswith("Preflight passed for Byteful account 1955 gnirts blah")
        assert len(shown) == MAX_DATA_TEXT and shown.endswith("...")
        assert warnings == ["The Byteful API's answer has a string longer than 1024 characters (at $.data%s.%s), which "
                            "no Byteful field needs; it is cut to that length, ending in '...'." % (
                                "[0]" if endpoint.search else "", endpoint.text)]
    else:
        assert error is not None


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=repr)
def test_escapes_in_member_names_are_cleaned(sim, endpoint):
    client = serve(sim, endpoint, endpoint.body([endpoint.with_item(**{"note\x1b[2J\u202e": "x", "a" * 500: 1})]))
    result, error, dummy = outcome(endpoint, client)
    assert error is None
    if endpoint.returned:
        returned = result if isinstance(result, dict) else result[0]
        assert "note" in returned and ("a" * 97 + "...") in returned


# -- duplicates: which value holds cannot be told ------------------------------------------

def _raw(endpoint, item_json):
    """An answer as raw JSON text, the item written by hand (so that it may repeat a member)."""
    if endpoint.search:
        return '{"data": [%s], "item_count": 1, "page": 1, "per_page": 100, "total_count": 1}' % item_json
    return '{"data": %s, "message": "OK."}' % item_json


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=repr)
def test_a_member_given_twice_is_refused(sim, endpoint):
    # {"total": 9999999, "total": 100} read as $1.00 before: the last value silently won.
    item = json.dumps(endpoint.item)[:-1] + ', "%s": 9999999, "%s": 100}' % (endpoint.integer, endpoint.integer)
    message = refused(endpoint, serve(sim, endpoint, _raw(endpoint, item)))
    assert "returned HTTP 200 with a JSON object that has the member '%s' twice; check that api_url is the Byteful " \
           "API root." % endpoint.integer in message


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=repr)
def test_a_member_that_reads_the_same_once_cleaned_is_refused(sim, endpoint):
    item = endpoint.with_item(**{endpoint.integer + "\u200b": 9999999})
    message = refused(endpoint, serve(sim, endpoint, endpoint.body([item])))
    assert "that has the member '%s' twice once invisible characters are removed" % endpoint.integer in message


def test_a_duplicate_in_an_error_answer_leaves_the_status_and_says_why(sim):
    endpoint = ENDPOINTS[1]
    message = refused(endpoint, serve(sim, endpoint, '{"error": "A", "error": "B", "message": "m"}', status=400))
    assert "failed with HTTP 400 (a JSON object that has the member 'error' twice)" in message


# -- numbers -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, found", [("1.0", "number 1.0"), ("1e308", "number 1e+308"), ("1E2", "number 100.0")])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=repr)
def test_a_float_where_an_integer_belongs_is_a_type_error_naming_its_path(sim, endpoint, value, found):
    item = json.dumps(endpoint.with_item(**{endpoint.integer: 0})).replace('"%s": 0' % endpoint.integer,
                                                                           '"%s": %s' % (endpoint.integer, value))
    message = refused(endpoint, serve(sim, endpoint, _raw(endpoint, item)))
    assert "%s must be integer" % endpoint.integer_path in message and ("found %s" % found) in message
    assert "cannot convert" not in message and "Infinity" not in message


@pytest.mark.parametrize("value, words", [
    (str(2 ** 70), "the integer 1180591620717411303424 at $.data%s.%s, beyond the 64 bits any Byteful field holds"),
    ("-" + str(2 ** 63 + 1), "the integer -9223372036854775809 at $.data%s.%s, beyond the 64 bits"),
    ("1e400", "a number at $.data%s.%s too large to be represented"),
    ("9" * 5000, "an integer of 5000 digits, more than any Byteful field holds"),
])
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=repr)
def test_a_number_beyond_what_any_field_holds_is_one_sentence(sim, endpoint, value, words):
    item = json.dumps(endpoint.with_item(**{endpoint.integer: 0})).replace('"%s": 0' % endpoint.integer,
                                                                           '"%s": %s' % (endpoint.integer, value))
    message = refused(endpoint, serve(sim, endpoint, _raw(endpoint, item)))
    expected = words % ("[0]" if endpoint.search else "", endpoint.integer) if "%s" in words else words
    assert "returned HTTP 200 with %s" % expected in message


@pytest.mark.parametrize("endpoint, fields, text", [
    (ENDPOINTS[1], {"service_total": -5000000}, "$.services[0].service_total must be 0 or more, found -5000000"),
    (ENDPOINTS[5], {"total": -5000000}, "$.total must be 0 or more, found -5000000"),
    (ENDPOINTS[5], {"total": 100, "line_items": [{"item_quantity": 10, "item_total": -5000}]},
     "$.line_items[0].item_total must be 0 or more, found -5000"),
    (ENDPOINTS[5], {"total": 100, "total_after_applied_credit": -1}, "$.total_after_applied_credit must be 0 or more"),
], ids=["service_total", "quote_total", "line_item", "after_credit"])
def test_a_negative_price_is_refused_naming_its_path(sim, endpoint, fields, text):
    message = refused(endpoint, serve(sim, endpoint, endpoint.body([endpoint.with_item(**fields)])))
    assert text in message


def test_what_an_account_may_owe_stays_negative(sim):
    # credit_balance and byte counters below zero mean money owed and an overdrawn service: valid.
    customer = ENDPOINTS[0]
    read = fetch_customer(serve(sim, customer, customer.body([customer.with_item(credit_balance=-500,
                                                                                 residential_bytes_left=-1)])))
    assert read["credit_balance"] == -500 and read["residential_bytes_left"] == -1
    quote = ENDPOINTS[5]
    assert quote.read(serve(sim, quote, quote.body([quote.with_item(credit_balance=-500)])))["credit_balance"] == -500


# -- datetimes -----------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint, field, path", [
    (ENDPOINTS[1], "service_expiry_datetime", "$.services[0].service_expiry_datetime"),
    (ENDPOINTS[2], "residential_ledger_period_date", "$.residential_ledger[0].residential_ledger_period_date"),
    (ENDPOINTS[3], "mobile_ledger_period_date", "$.mobile_ledger[0].mobile_ledger_period_date"),
], ids=["services", "residential_ledger", "mobile_ledger"])
@pytest.mark.parametrize("value", ["9999-12-31 23:00:00-05:00", "0001-01-01T00:00:00+05:00"])
def test_a_datetime_python_cannot_hold_in_utc_is_one_sentence(sim, endpoint, field, path, value):
    message = refused(endpoint, serve(sim, endpoint, endpoint.body([endpoint.with_item(**{field: value})])))
    assert path in message and "date value out of range" not in message and "Traceback" not in message


# -- pages: checked, not trusted -----------------------------------------------------------

def _items(endpoint, count, start=0, **fields):
    """count distinct items of a search endpoint (ids numbered from start)."""
    items = []
    for number in range(start, start + count):
        item = endpoint.with_item(**fields)
        item[endpoint.id_field] = "%s-%04d" % (endpoint.name, number)
        if endpoint.name == "proxy_users":
            item["proxy_user_is_default"] = number == 0
        items.append(item)
    return items


@pytest.mark.parametrize("endpoint", SEARCHES, ids=repr)
def test_the_same_page_served_again_is_refused_not_counted_twice(sim, endpoint):
    page = endpoint.body(_items(endpoint, 100), total_count=-1)
    message = refused(endpoint, serve(sim, endpoint, page, page, page))
    assert "returned %s \"%s-0000\" again on page 2 (already on page 1), so its pages cannot be counted without " \
           "counting some items twice" % (endpoint.id_field, endpoint.name) in message


@pytest.mark.parametrize("endpoint", SEARCHES, ids=repr)
def test_a_page_that_repeats_an_item_of_its_own_is_refused(sim, endpoint):
    items = _items(endpoint, 3)
    message = refused(endpoint, serve(sim, endpoint, endpoint.body(items + items[:1], total_count=-1)))
    assert "returned %s \"%s-0000\" twice on page 1" % (endpoint.id_field, endpoint.name) in message


def test_a_total_count_below_what_the_pages_hold_does_not_hide_page_two(sim):
    # total_count 100 ended paging after page 1: the overdue service on page 2 was never read.
    services = ENDPOINTS[1]
    first = services.body(_items(services, 100), total_count=100)
    second = services.body(_items(services, 1, start=100, service_status="overdue"), total_count=100)
    found = search_services(serve(sim, services, first, second), statuses=["overdue"])
    assert [service["service_id"] for service in found] == ["services-0100"]


@pytest.mark.parametrize("endpoint", SEARCHES[1:3], ids=repr)
def test_ledger_rows_on_a_page_total_count_denies_are_counted(sim, endpoint):
    first = endpoint.body(_items(endpoint, 100), total_count=1)
    second = endpoint.body(_items(endpoint, 40, start=100), total_count=1)
    usage = endpoint.read(serve(sim, endpoint, first, second))
    assert usage["daily"][-1]["bytes"] == 140 * 1000


def test_proxy_users_with_total_count_0_beside_a_listed_user_are_counted(sim):
    users = ENDPOINTS[4]
    listed = users.body(_items(users, 1), total_count=0)
    every = users.body(_items(users, 4), total_count=0)
    result = read_proxy_users(serve(sim, users, listed, every), CUSTOMER)
    assert result == {"count": 4, "count_excluding_default": 3, "limit": 5, "headroom": 1}


# -- ledger rows from the future -----------------------------------------------------------

@pytest.mark.parametrize("endpoint", SEARCHES[1:3], ids=repr)
def test_a_row_dated_tomorrow_is_todays_usage_with_a_warning(sim, endpoint):
    prefix = endpoint.name
    rows = [endpoint.with_item(**{endpoint.id_field: "t", prefix + "_period_date": day(1), prefix + "_bytes": 5000}),
            endpoint.with_item(**{endpoint.id_field: "y"})]
    client = serve(sim, endpoint, endpoint.body(rows))
    usage = endpoint.read(client)
    assert usage["today"]["bytes"] == 5000 and usage["daily"][-1]["bytes"] == 1000
    assert client.warnings == ["The Byteful %s ledger has a usage row dated %s, the day after the controller's UTC date; "
                               "it is counted as today's usage (the API's clock may be a little ahead of this one)."
                               % (prefix.split("_")[0], day(1))]


@pytest.mark.parametrize("offset", [2, 400])
@pytest.mark.parametrize("endpoint", SEARCHES[1:3], ids=repr)
def test_rows_dated_later_are_refused_never_read_as_no_use(sim, endpoint, offset):
    # Every row in the future: dropped, the window held no use and the gate passed.
    prefix = endpoint.name
    rows = _items(endpoint, 5, **{prefix + "_period_date": day(offset), prefix + "_bytes": 10 ** 9})
    message = refused(endpoint, serve(sim, endpoint, endpoint.body(rows)))
    assert message == (
        "The Byteful %s ledger has 5 usage rows dated after tomorrow (%s at $.%s[0].%s_period_date; today is %s by the "
        "controller's clock, in UTC), request id req-1, so the usage of the window cannot be read; check the clock of "
        "the controller, and report it to byteful.proxy if it is right." % (
            prefix.split("_")[0], day(offset), prefix, prefix, day(0)))
