# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Usage from the ledgers: the window, the partial day, the signs, the average and the days left."""

from __future__ import annotations

import datetime
import itertools

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulClient, BytefulError, OptionError
from ansible_collections.byteful.proxy.plugins.module_utils._customer import fetch_customer
from ansible_collections.byteful.proxy.plugins.module_utils._usage import LEDGER_SEARCH_PATHS, ledger_schema, read_usage
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY
from ansible_collections.byteful.proxy.tests.unit.plugins.module_utils.fake_api import envelope, make_client, paged

TODAY = datetime.date(2026, 11, 25)
GIB = 1024 ** 3


_ROW_IDS = itertools.count(1)


def row(day, used, requests=10, reason="usage", product="residential"):
    prefix = "%s_ledger" % product
    return {prefix + "_id": "%s-%s-%d" % (day, reason, next(_ROW_IDS)), prefix + "_period_date": day,
            prefix + "_bytes": used, prefix + "_requests": requests, prefix + "_reason": reason, "customer_id": 1955}


def usage(rows, bytes_left=10 * GIB, window_days=3, product="residential", **kwargs):
    client, session, dummy = make_client(paged(rows, **kwargs))
    result = read_usage(client, {"%s_bytes_left" % product: bytes_left}, product, window_days, today=TODAY)
    return result, session


def test_one_call_with_the_window_the_reason_and_the_order():
    dummy, session = usage([], window_days=14, product="mobile")
    (call,) = session.calls
    assert call.path == LEDGER_SEARCH_PATHS["mobile"] == "/public/user/mobile_ledger/search"
    assert call.query == {"mobile_ledger_reason": "usage", "min_mobile_ledger_period_date": "2026-11-11",
                          "max_mobile_ledger_period_date": "2026-11-25", "sort_by": "mobile_ledger_period_date_desc",
                          "page": "1", "per_page": "100"}


def test_missing_days_count_as_zero_oldest_first_ending_yesterday():
    result, dummy = usage([row("2026-11-23", 300, 3)])
    assert result["daily"] == [{"date": "2026-11-22", "bytes": 0, "requests": 0},
                               {"date": "2026-11-23", "bytes": 300, "requests": 3},
                               {"date": "2026-11-24", "bytes": 0, "requests": 0}]
    assert result["average_daily_bytes"] == 100.0


def test_the_partial_day_is_reported_apart_and_left_out_of_the_average():
    result, dummy = usage([row("2026-11-25", 9000, 7), row("2026-11-24", 600, 2)])
    assert result["today"] == {"date": "2026-11-25", "bytes": 9000, "requests": 7}
    assert result["average_daily_bytes"] == 200.0
    assert [day["date"] for day in result["daily"]] == ["2026-11-22", "2026-11-23", "2026-11-24"]


@pytest.mark.parametrize("sign", [1, -1])
def test_either_sign_of_usage_counts_its_size(sign):
    result, dummy = usage([row("2026-11-22", sign * GIB, sign * 5), row("2026-11-23", sign * 2 * GIB, 5)])
    assert result["daily"][0] == {"date": "2026-11-22", "bytes": GIB, "requests": 5}
    assert result["average_daily_bytes"] == float(GIB)
    assert result["days_left"] == 10.0 and result["runs_out_on"] == "2026-12-05"


def test_rows_the_api_should_have_filtered_out_are_filtered_here():
    rows = [row("2026-11-23", 300), row("2026-11-23", 10 * GIB, reason="top_up"), row("2026-11-23", -GIB, reason="adjustment"),
            row("2026-11-21", 10 ** 9), row("2026-11-26", 10 ** 9), row("2026-11-23", 300, reason=None)]
    result, dummy = usage(rows)
    assert [day["bytes"] for day in result["daily"]] == [0, 300, 0]


def test_a_row_dated_tomorrow_counts_as_todays_usage_with_a_warning():
    # The API's clock a little ahead (or the controller's behind), around midnight UTC.
    client, dummy, dummy = make_client(paged([row("2026-11-26", 700, 4), row("2026-11-25", 300, 1), row("2026-11-24", 90)]))
    result = read_usage(client, {"residential_bytes_left": GIB}, "residential", 3, today=TODAY)
    assert result["today"] == {"date": "2026-11-25", "bytes": 1000, "requests": 5}
    assert result["average_daily_bytes"] == 30.0
    assert client.warnings == ["The Byteful residential ledger has a usage row dated 2026-11-26, the day after the "
                               "controller's UTC date; it is counted as today's usage (the API's clock may be a little "
                               "ahead of this one)."]


@pytest.mark.parametrize("day", ["2026-11-27", "2031-01-01", "9999-12-31"])
def test_a_row_dated_later_is_refused_not_dropped(day):
    # Dropped, it would read as "no use" and pass the gate; no window can hold it.
    with pytest.raises(BytefulError) as info:
        usage([row("2026-11-24", 90), row(day, 10 * GIB)])
    assert ("has a usage row dated after tomorrow (%s at $.residential_ledger[1].residential_ledger_period_date; today is "
            "2026-11-25 by the controller's clock, in UTC), request id req-1, so the usage of the window cannot be read; "
            "check the clock of the controller" % day) in info.value.message
    assert info.value.details["errors"] == [{"path": "$.residential_ledger[1].residential_ledger_period_date",
                                             "expected": "a date up to 2026-11-25", "found": day}]


@pytest.mark.parametrize("missing", [None, "absent"])
def test_a_usage_row_without_its_bytes_is_refused_not_read_as_zero(missing):
    entry = row("2026-11-24", 90)
    if missing is None:
        entry["residential_ledger_bytes"] = None
    else:
        del entry["residential_ledger_bytes"]
    with pytest.raises(BytefulError) as info:
        usage([row("2026-11-23", 90), entry])
    assert "($.residential_ledger[1].residential_ledger_bytes is missing on a usage row)" in info.value.message


def test_a_ledger_page_served_again_is_refused_not_counted_twice():
    rows = [row((TODAY - datetime.timedelta(days=1 + n % 3)).isoformat(), 10) for n in range(100)]
    client, session, dummy = make_client(lambda call: (200, envelope(rows, page=int(call.query["page"]), total_count=-1)))
    with pytest.raises(BytefulError, match=r"returned residential_ledger_id \"[^ ]+\" again on page 2 \(already on page 1\)"):
        read_usage(client, {"residential_bytes_left": GIB}, "residential", 3, today=TODAY)
    # Rows without ids: a page equal to an earlier one.
    for entry in rows:
        del entry["residential_ledger_id"]
    client, session, dummy = make_client(lambda call: (200, envelope(rows, page=int(call.query["page"]), total_count=-1)))
    with pytest.raises(BytefulError, match=r"returned the same items again on page 2 \(already on page 1\)"):
        read_usage(client, {"residential_bytes_left": GIB}, "residential", 3, today=TODAY)


def test_several_rows_of_one_day_add_up():
    result, dummy = usage([row("2026-11-24", 100, 1), row("2026-11-24", 50, 2)])
    assert result["daily"][-1] == {"date": "2026-11-24", "bytes": 150, "requests": 3}


def test_nothing_used_leaves_days_left_unknown():
    result, dummy = usage([row("2026-11-25", 500)])
    assert result["average_daily_bytes"] == 0.0 and result["days_left"] is None and result["runs_out_on"] is None


@pytest.mark.parametrize("bytes_left", [0, -5 * GIB])
def test_nothing_left_has_run_out_today(bytes_left):
    result, dummy = usage([row("2026-11-24", GIB)], bytes_left=bytes_left)
    assert result["days_left"] == 0.0 and result["runs_out_on"] == "2026-11-25"
    assert result["bytes_left"] == bytes_left
    result, dummy = usage([], bytes_left=bytes_left)
    assert result["days_left"] == 0.0


def test_unknown_bytes_left_leaves_days_left_unknown():
    result, dummy = usage([row("2026-11-24", GIB)], bytes_left=None)
    assert result["bytes_left"] is None and result["days_left"] is None and result["runs_out_on"] is None


def test_days_left_is_exact_and_runs_out_on_is_the_day_it_reaches():
    # 1000 bytes at 100 bytes per 3 days: 30 days, not 29.999...
    result, dummy = usage([row("2026-11-24", 100)], bytes_left=1000)
    assert result["days_left"] == 30.0 and result["runs_out_on"] == "2026-12-25"
    result, dummy = usage([row("2026-11-24", 300)], bytes_left=250)
    assert result["days_left"] == 2.5 and result["runs_out_on"] == "2026-11-27"


def test_a_date_too_far_away_is_no_date():
    result, dummy = usage([row("2026-11-24", 1)], bytes_left=10 ** 15)
    assert result["days_left"] == 3 * 10.0 ** 15 and result["runs_out_on"] is None


def test_the_whole_answer():
    result, dummy = usage([row("2026-11-24", 30)], bytes_left=90, window_days=1)
    assert result == {"product": "residential", "window_days": 1, "daily": [{"date": "2026-11-24", "bytes": 30, "requests": 10}],
                      "today": {"date": "2026-11-25", "bytes": 0, "requests": 0}, "average_daily_bytes": 30.0,
                      "bytes_left": 90, "days_left": 3.0, "runs_out_on": "2026-11-28"}


def test_ninety_days_of_several_rows_a_day_take_the_pages_they_need():
    rows = [row((TODAY - datetime.timedelta(days=n)).isoformat(), 10) for n in range(91) for dummy in range(2)]
    result, session = usage(rows, window_days=90)
    assert len(session.calls) == 2 and result["average_daily_bytes"] == 20.0


@pytest.mark.parametrize("window_days", [0, 91, -1, True, 1.5, "14"])
def test_window_days_out_of_bounds_is_one_sentence(window_days):
    with pytest.raises(OptionError, match="^window_days must be a whole number of days from 1 to 90, got "):
        usage([], window_days=window_days)


def test_an_unknown_product_is_one_sentence():
    client, session, dummy = make_client(paged([]))
    with pytest.raises(ValueError, match="^product 'datacenter' is not a product with a data ledger; use residential or mobile."):
        read_usage(client, {}, "datacenter", 14)
    assert session.calls == []


def test_wrong_types_and_unreadable_dates_name_the_field_path():
    with pytest.raises(BytefulError) as info:
        usage([row("2026-11-24", "12")])
    assert "($.residential_ledger[0].residential_ledger_bytes must be integer or null, found string \"12\")" in info.value.message
    with pytest.raises(BytefulError) as info:
        usage([row("2026-11-24", 1), row("24/11/2026", 1)])
    assert ("($.residential_ledger[1].residential_ledger_period_date: \"24/11/2026\" is not a date such as 2026-01-31)"
            in info.value.message)


def test_the_schema_is_per_product():
    assert "mobile_ledger_bytes" in ledger_schema("mobile")["properties"]
    assert ledger_schema("residential") is ledger_schema("residential")


# -- against the simulator -----------------------------------------------------------------------

def read(sim, account, product, window_days=14):
    client = BytefulClient(sim.base_url, account, DEFAULT_PRIVATE_KEY)
    return read_usage(client, fetch_customer(client), product, window_days)


def test_runs_out_soon_lasts_days_and_healthy_months(sim):
    sim.reset()
    assert 4.0 < read(sim, "runs_out_soon", "residential")["days_left"] < 6.0
    assert 2.0 < read(sim, "runs_out_soon", "mobile")["days_left"] < 4.0
    healthy = read(sim, "healthy", "residential", 90)
    assert healthy["days_left"] > 30 and len(healthy["daily"]) == 90 and healthy["today"]["bytes"] > 0
    assert sim.stats()["by_method_path"]["GET /1.0/public/user/residential_ledger/search"] == 2


def test_negative_usage_reads_like_positive_and_no_usage_like_none(sim):
    assert read(sim, "usage_negative", "residential")["average_daily_bytes"] == read(sim, "healthy", "residential")[
        "average_daily_bytes"]
    none = read(sim, "usage_none", "residential")
    assert none["average_daily_bytes"] == 0.0 and none["days_left"] is None and none["bytes_left"] > 0
