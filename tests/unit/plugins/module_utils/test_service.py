# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Services: durations, the search's parameters, filters applied again, order, validation; and against the simulator."""

from __future__ import annotations

import datetime
import json
import os

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulClient, BytefulError, OptionError
from ansible_collections.byteful.proxy.plugins.module_utils._service import (
    SERVICE_SCHEMA,
    SERVICE_SEARCH_PATH,
    SERVICE_STATUSES,
    days_until_expiry,
    parse_duration,
    renews_by_itself,
    search_services,
)
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY
from ansible_collections.byteful.proxy.tests.unit.plugins.module_utils.fake_api import envelope, make_client, paged

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
NOW = datetime.datetime(2026, 11, 25, 12, 0, 0, tzinfo=datetime.timezone.utc)


def service(service_id, status="active", expiry=None, **fields):
    return dict({"service_id": service_id, "service_status": status, "service_expiry_datetime": expiry}, **fields)


# A mixed account, in the order an API that ignores sort_by would send it.
SERVICES = [
    service("A", "active", "2026-12-20 00:00:00"),
    service("B", "paused", "2026-11-26T00:00:00Z"),
    service("C", "active", None),
    service("D", "overdue", "2026-11-20 00:00:00"),
    service("E", "active", "2026-11-27 12:00:00", service_is_automatic_collection=True),
    service("F", "canceled", "2026-11-28 00:00:00"),
]


# -- durations --------------------------------------------------------------------------------

@pytest.mark.parametrize("value, seconds", [
    (3600, 3600), ("3600", 3600), ("90m", 5400), ("36h", 129600), ("7d", 604800), ("2w", 1209600), ("45s", 45),
    (0, 0), (" 7D ", 604800), ("3650d", 3650 * 86400),
])
def test_durations(value, seconds):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["7 days", "1.5h", "-1", -5, "d", "", "7y", True, 1.5, None, ["7d"], "3651d", "7d2h"])
def test_anything_else_is_one_sentence(value):
    with pytest.raises(OptionError) as info:
        parse_duration(value)
    assert info.value.message.startswith("expiring_within %r is " % (value,))
    assert isinstance(info.value, ValueError) and isinstance(info.value, BytefulError)


def test_the_sentence_of_the_contract():
    with pytest.raises(OptionError, match=r"^expiring_within '7 days' is not a duration such as 7d, 36h or 3600; "):
        parse_duration("7 days")


# -- the search ------------------------------------------------------------------------------

def test_no_filter_sends_only_the_order_and_sorts_by_expiry_unknown_last():
    client, session, dummy = make_client(paged(SERVICES))
    found = search_services(client, now=NOW)
    assert [s["service_id"] for s in found] == ["D", "B", "E", "F", "A", "C"]
    (call,) = session.calls
    assert call.path == SERVICE_SEARCH_PATH
    assert call.query == {"sort_by": "service_expiry_datetime_asc", "page": "1", "per_page": "100"}


def test_one_status_is_sent_and_applied_again():
    client, session, dummy = make_client(paged(SERVICES))  # ignores the filter
    found = search_services(client, statuses=["active"], now=NOW)
    assert [s["service_id"] for s in found] == ["E", "A", "C"]
    assert session.calls[0].query["service_status"] == "active"


def test_several_statuses_are_filtered_here_only():
    client, session, dummy = make_client(paged(SERVICES))
    found = search_services(client, statuses=["paused", "overdue"], now=NOW)
    assert [s["service_id"] for s in found] == ["D", "B"]
    assert "service_status" not in session.calls[0].query


def test_expiring_within_is_sent_as_a_max_datetime_and_applied_again():
    client, session, dummy = make_client(paged(SERVICES))
    found = search_services(client, expiring_within="3d", now=NOW)
    # Unknown expiry is not "within 3 days"; one already past is.
    assert [s["service_id"] for s in found] == ["D", "B", "E", "F"]
    assert session.calls[0].query["max_service_expiry_datetime"] == "2026-11-28 12:00:00"
    found = search_services(client, statuses=["active"], expiring_within=2 * 86400, now=NOW)
    assert [s["service_id"] for s in found] == ["E"]


def test_unknown_status_is_one_sentence_before_any_request():
    client, session, dummy = make_client(paged(SERVICES))
    with pytest.raises(OptionError, match=r"^status 'actve' is not a service status; use any of awaiting_fulfillment, "):
        search_services(client, statuses=["active", "actve"])
    assert session.calls == []
    assert len(SERVICE_STATUSES) == 8


def test_documented_fields_absent_are_null_and_extra_fields_kept():
    client, dummy, dummy = make_client(paged([{"service_id": "X", "service_new_field": 1}]))
    (found,) = search_services(client, now=NOW)
    assert found["service_new_field"] == 1 and found["service_total"] is None
    assert set(SERVICE_SCHEMA["properties"]) <= set(found)


def test_wrong_types_name_the_field_path():
    client, dummy, dummy = make_client(paged([service("A"), service("B", service_total="12"), {"service_name": "n"}]))
    with pytest.raises(BytefulError) as info:
        search_services(client, now=NOW)
    assert info.value.message == (
        "The Byteful API returned a list of services that does not match the expected schema ($.services[1].service_total "
        "must be integer or null, found string \"12\"; $.services[2].service_id is missing), request id req-1; the API "
        "may have changed, so please report this to byteful.proxy.")


def test_an_unreadable_expiry_names_its_path():
    client, dummy, dummy = make_client(paged([service("A", expiry="2026-11-25"), service("B", expiry="next week")]))
    with pytest.raises(BytefulError) as info:
        search_services(client, now=NOW)
    assert ("($.services[0].service_expiry_datetime: \"2026-11-25\" is not a datetime such as 2026-01-31 12:00:00; "
            "$.services[1].service_expiry_datetime: \"next week\" is not a datetime") in info.value.message


@pytest.mark.parametrize("expiry", ["9999-12-31 23:00:00-05:00", "0001-01-01T00:00:00+05:00"])
def test_an_expiry_whose_utc_time_python_cannot_hold_names_its_path(expiry):
    client, dummy, dummy = make_client(paged([service("A", expiry=expiry)]))
    with pytest.raises(BytefulError) as info:
        search_services(client, now=NOW)
    assert ("($.services[0].service_expiry_datetime: \"%s\" is a datetime whose UTC time is outside the years 1 to 9999)"
            % expiry) in info.value.message


@pytest.mark.parametrize("fields, text", [
    ({"service_total": -4500}, "$.services[0].service_total must be 0 or more, found -4500"),
    ({"service_total": 4500.0}, "$.services[0].service_total must be integer or null, found number 4500.0"),
    ({"service_quantity": 1e308}, "$.services[0].service_quantity must be integer or null, found number 1e+308"),
    ({"service_status": "overdue" * 3000}, "$.services[0].service_status must be at most 100 characters, found "
                                           "1024 characters"),
])
def test_a_price_or_count_no_service_has_is_refused_naming_its_path(fields, text):
    client, dummy, dummy = make_client(paged([service("A", "active", "2026-12-20 00:00:00", **fields)]))
    with pytest.raises(BytefulError) as info:
        search_services(client, now=NOW)
    assert "schema (%s), request id" % text in info.value.message


def test_a_total_count_below_what_the_pages_hold_does_not_end_the_search():
    # total_count says 100, but the API holds 150: the overdue service on page 2 is read all the same.
    items = [service("S-%03d" % n, "active", "2026-12-20 00:00:00") for n in range(149)] + [
        service("LATE", "overdue", "2026-11-20 00:00:00")]
    client, session, dummy = make_client(paged(items, total_count=100))
    found = search_services(client, statuses=["overdue"], now=NOW)
    assert [s["service_id"] for s in found] == ["LATE"] and len(session.calls) == 2


def test_the_same_page_served_again_is_refused_not_counted_twice():
    page = [service("S-%03d" % n, "active", "2026-12-20 00:00:00") for n in range(100)]
    client, session, dummy = make_client(lambda call: (200, envelope(page, page=int(call.query["page"]), total_count=300)))
    with pytest.raises(BytefulError) as info:
        search_services(client, now=NOW)
    assert "returned service_id \"S-000\" again on page 2 (already on page 1), so its pages cannot be counted" \
        in info.value.message
    assert len(session.calls) == 2


@pytest.mark.parametrize("automatic, pending, renews", [
    (True, False, True), (True, None, True), (True, True, False), (False, False, False), (None, None, False),
    ("true", False, False),
])
def test_renews_by_itself(automatic, pending, renews):
    assert renews_by_itself({"service_is_automatic_collection": automatic, "service_is_pending_cancellation": pending}) is renews


def test_days_until_expiry():
    assert days_until_expiry({"service_expiry_datetime": "2026-11-27 00:00:00"}, NOW) == 1.5
    assert days_until_expiry({"service_expiry_datetime": "2026-11-24T12:00:00Z"}, NOW) == -1.0
    assert days_until_expiry({"service_expiry_datetime": None}, NOW) is None
    assert days_until_expiry({}, NOW) is None


def test_the_published_schema_is_the_one_in_use():
    with open(os.path.join(ROOT, "docs", "service.schema.json"), encoding="utf-8") as handle:
        assert json.load(handle) == SERVICE_SCHEMA


# -- against the simulator -----------------------------------------------------------------------

def sim_client(sim, account):
    return BytefulClient(sim.base_url, account, DEFAULT_PRIVATE_KEY)


def test_many_services_come_in_three_pages(sim):
    sim.reset()
    found = search_services(sim_client(sim, "many_services"))
    assert len(found) == 250 and len({s["service_id"] for s in found}) == 250
    assert sim.stats()["by_method_path"] == {"GET /1.0/public/user/service/search": 3}
    expiries = [s["service_expiry_datetime"] for s in found if s["service_expiry_datetime"]]
    assert expiries == sorted(expiries, key=lambda text: text.replace("T", " "))


def test_every_status_of_healthy_and_filters_ignored_by_sort_ignored(sim):
    healthy = search_services(sim_client(sim, "healthy"))
    assert {s["service_status"] for s in healthy} == set(SERVICE_STATUSES)
    ignored = search_services(sim_client(sim, "sort_ignored"), statuses=["active"], expiring_within="30d")
    asked = search_services(sim_client(sim, "healthy"), statuses=["active"], expiring_within="30d")
    assert [s["service_id"] for s in ignored] == [s["service_id"] for s in asked] and asked
