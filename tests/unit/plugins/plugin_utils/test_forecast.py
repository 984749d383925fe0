# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The forward-looking preflight checks on fixed data and a fixed ``now``: their sentences word for word."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError
from ansible_collections.byteful.proxy.plugins.plugin_utils._forecast import (
    any_enabled,
    credit_commitments_check,
    forecast,
    format_days,
    format_required_days,
    parse_count,
    parse_days,
    parse_purchases,
    parse_settings,
    parse_statuses,
    parse_window,
    proxy_user_headroom_check,
    renewals_due,
    service_days_check,
    service_status_check,
    usage_days_check,
)

GIB = 1024 ** 3
MIB = 1024 ** 2
NOW = datetime.datetime(2026, 11, 25, 12, 0, 0, tzinfo=datetime.timezone.utc)


def usage(product="residential", left=10 * GIB, average=1.02 * GIB, window=14):
    return {"product": product, "window_days": window, "daily": [], "today": {}, "average_daily_bytes": average,
            "bytes_left": left, "days_left": None, "runs_out_on": None}


def service(service_id, status="active", days=10.0, automatic=True, pending=False, total=1000):
    expiry = None if days is None else (NOW + datetime.timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S")
    return {"service_id": service_id, "service_status": status, "service_expiry_datetime": expiry,
            "service_is_automatic_collection": automatic, "service_is_pending_cancellation": pending, "service_total": total}


# -- days of data left ------------------------------------------------------------------------

def test_days_left_below_the_requirement_in_the_issues_words():
    check = usage_days_check(usage(), 14)
    assert check["text"] == ("residential data 10.0 GiB lasts 9.8 days at 1.0 GiB/day (last 14 days), below the "
                             "required 14 days")
    assert check["passed"] is False and check["name"] == "residential_days_left" and check["required"] == 14
    assert check["actual"] == pytest.approx(10 / 1.02)


def test_days_left_meeting_the_requirement():
    check = usage_days_check(usage("mobile", left=5 * GIB, average=200 * MIB, window=30), 14)
    assert check["passed"] is True
    assert check["text"] == "mobile data 5.0 GiB lasts 25.6 days at 200.0 MiB/day (last 30 days), meets the required 14 days"


def test_days_left_equal_to_the_requirement_passes_and_just_below_fails():
    assert usage_days_check(usage(left=14 * GIB, average=GIB), 14)["passed"] is True
    below = usage_days_check(usage(left=14 * GIB - 1, average=GIB), 14)
    assert below["passed"] is False
    # Rounded down: a shortfall never reads as "14.0 days, below the required 14 days".
    assert "lasts 13.9 days" in below["text"]


def test_no_usage_in_the_window_passes_and_says_so():
    check = usage_days_check(usage(average=0.0, window=7), 30)
    assert check["passed"] is True and check["actual"] is None
    assert check["text"] == "no residential data used in the last 7 days: 10.0 GiB left lasts beyond the required 30 days at that rate"
    assert "last 1 day:" in usage_days_check(usage(average=0.0, window=1), 30)["text"]


def test_unreported_data_cannot_be_confirmed():
    check = usage_days_check(usage("mobile", left=None, average=0.0), 3, has_service=False)
    assert check["passed"] is False
    assert check["text"] == ("the API did not report the account's mobile data (the account has no active mobile service), "
                             "so the required 3 days cannot be confirmed")


def test_used_up_or_overdrawn_data_fails_even_without_usage():
    check = usage_days_check(usage(left=-MIB, average=0.0), 1)
    assert check["passed"] is False and check["actual"] == 0.0
    assert check["text"] == "residential data -1.0 MiB is used up, below the required 1 day"


def test_day_formats():
    assert format_days(9.8039) == "9.8 days" and format_days(13.99) == "13.9 days" and format_days(0) == "0.0 days"
    assert format_required_days(14) == "14 days" and format_required_days(1.0) == "1 day"
    assert format_required_days(2.5) == "2.5 days"


# -- proxy users ------------------------------------------------------------------------------

def test_proxy_user_headroom_in_the_issues_words():
    check = proxy_user_headroom_check({"count": 24, "count_excluding_default": 23, "limit": 25, "headroom": 1}, 5)
    assert check["text"] == "proxy users 24 of 25: room for 1, below the required 5"
    assert (check["actual"], check["required"], check["passed"]) == (1, 5, False)
    ok = proxy_user_headroom_check({"count": 3, "count_excluding_default": 2, "limit": 5, "headroom": 2}, 2)
    assert ok["passed"] is True and ok["text"] == "proxy users 3 of 5: room for 2, meets the required 2"
    # One short is short: room for 2 does not carry a fleet that needs 3 new users.
    short = proxy_user_headroom_check({"count": 3, "count_excluding_default": 2, "limit": 5, "headroom": 2}, 3)
    assert short["passed"] is False and short["text"] == "proxy users 3 of 5: room for 2, below the required 3"


def test_proxy_users_over_the_limit_and_an_unknown_limit():
    over = proxy_user_headroom_check({"count": 27, "count_excluding_default": 26, "limit": 25, "headroom": -2}, 1)
    assert over["text"] == "proxy users 27 of 25: 2 over the limit, below the required 1" and over["passed"] is False
    unknown = proxy_user_headroom_check({"count": 3, "count_excluding_default": 2, "limit": None, "headroom": None}, 1)
    assert unknown["passed"] is False
    assert unknown["text"] == ("the API did not report the account's proxy user limit, so the required room for 1 proxy "
                               "user cannot be confirmed")


# -- services ---------------------------------------------------------------------------------

def test_services_that_do_not_renew_by_themselves_must_last():
    services = [service("S-AUTO", days=1.0), service("S-MANUAL", days=2.0, automatic=False),
                service("S-CANCEL", days=4.5, pending=True), service("S-LATER", days=30.0, automatic=False),
                service("S-OVERDUE", status="overdue", days=-3.0, automatic=False)]
    check = service_days_check(services, 7, NOW)
    assert check["passed"] is False
    # One clause: no "; " inside it, which would read as a second check in the sentence.
    assert check["text"] == ("2 active services that will not renew by themselves last less than the required 7 days: "
                             "S-MANUAL expires in 2.0 days (automatic collection off), S-CANCEL expires in 4.5 days "
                             "(pending cancellation)")
    assert check["actual"] == pytest.approx(2.0) and check["details"]["services"] == ["S-MANUAL", "S-CANCEL", "S-LATER"]
    assert service_days_check(services, 2, NOW)["passed"] is True
    assert service_days_check(services, 2, NOW)["text"] == ("3 active services that will not renew by themselves meet the "
                                                            "required 2 days (the soonest expires in 2.0 days)")


def test_services_all_renewing_or_one_manual():
    assert service_days_check([service("S-AUTO", days=1.0)], 7, NOW)["text"] == (
        "every active service renews by itself, so none must last the required 7 days")
    one = service_days_check([service("S-M", days=9.25, automatic=False)], 7, NOW)
    assert one["passed"] is True
    assert one["text"] == "the one active service that will not renew by itself meets the required 7 days (it expires in 9.2 days)"


def test_a_manual_service_past_its_expiry():
    check = service_days_check([service("S-P", days=-1.5, automatic=False)], 1, NOW)
    assert check["passed"] is False and "S-P expired 1.5 days ago (automatic collection off)" in check["text"]


def test_a_manual_service_at_the_edge():
    assert service_days_check([service("S", days=7.0, automatic=False)], 7, NOW)["passed"] is True
    assert service_days_check([service("S", days=6.9, automatic=False)], 7, NOW)["passed"] is False


def test_a_manual_service_without_an_expiry_cannot_be_confirmed():
    check = service_days_check([service("S-X", days=None, automatic=False)], 1, NOW)
    assert check["passed"] is False
    assert "S-X has no expiry the API reported (automatic collection off)" in check["text"]


def test_refused_service_states():
    services = [service("S-1"), service("S-2", status="overdue"), service("S-3", status="paused")]
    check = service_status_check(services, ["overdue", "paused"])
    assert check["passed"] is False
    assert check["text"] == "2 services are in refused states: S-2 is overdue, S-3 is paused"
    assert check["actual"] == ["S-2", "S-3"] and check["required"] == ["overdue", "paused"]
    single = service_status_check(services, ["paused"])
    assert single["text"] == "1 service is in a refused state: S-3 is paused"
    assert service_status_check(services[:1], ["overdue", "paused", "canceled"])["text"] == (
        "no service is overdue, paused or canceled")
    many = service_status_check([service("S-%d" % n, status="overdue") for n in range(25)], ["overdue"])
    assert many["text"] == ("25 services are in refused states: S-0 is overdue, S-1 is overdue, S-2 is overdue, S-3 is overdue, "
                            "S-4 is overdue and 20 more") and len(many["actual"]) == 25


# -- credit against commitments -------------------------------------------------------------

PURCHASE = {"product_code": "isp_us", "quantity": 10, "cycle": "1:month"}


def test_credit_sentence_with_every_part_in_the_issues_words():
    services = [service("S-R1", days=3.0, total=1500), service("S-R2", days=6.0, total=500),
                service("S-LATE", days=9.0, total=99999), service("S-MANUAL", days=2.0, automatic=False, total=77777)]
    check = credit_commitments_check({"credit_balance": 1245}, 1000, NOW, purchases=[(PURCHASE, {"total": 3500, "is_valid": True})],
                                     renewal_window_days=7, services=services)
    assert check["text"] == ("credit balance $12.45 does not cover $10.00 reserve + $35.00 for 10 x isp_us (1:month) + "
                             "$20.00 of renewals due within 7 days")
    assert (check["actual"], check["required"], check["passed"]) == (1245, 1000 + 3500 + 2000, False)
    assert check["details"]["renewals"] == ["S-R1", "S-R2"]


def test_credit_covering_everything_and_the_edge():
    services = [service("S-R1", days=3.0, total=2000)]
    kwargs = dict(purchases=[(PURCHASE, {"total": 3500, "is_valid": True})], renewal_window_days=7, services=services)
    exact = credit_commitments_check({"credit_balance": 6500}, 1000, NOW, **kwargs)
    assert exact["passed"] is True
    assert exact["text"] == ("credit balance $65.00 covers $10.00 reserve + $35.00 for 10 x isp_us (1:month) + $20.00 of "
                             "renewals due within 7 days")
    assert credit_commitments_check({"credit_balance": 6499}, 1000, NOW, **kwargs)["passed"] is False


def test_no_reserve_and_no_renewals_due():
    check = credit_commitments_check({"credit_balance": 5000}, 0, NOW, renewal_window_days=1,
                                     services=[service("S", days=5.0, total=4000)])
    assert check["passed"] is True and check["text"] == "credit balance $50.00 covers $0.00 of renewals due within 1 day"


def test_renewals_due_eat_the_credit():
    services = [service("S-1", days=2.0, total=2500), service("S-2", days=5.0, total=2000)]
    check = credit_commitments_check({"credit_balance": 5000}, 1000, NOW, renewal_window_days=7, services=services)
    assert check["passed"] is False
    assert check["text"] == "credit balance $50.00 does not cover $10.00 reserve + $45.00 of renewals due within 7 days"


def test_an_invalid_quote_and_an_unpriced_renewal_fail_and_say_why():
    check = credit_commitments_check({"credit_balance": 10 ** 9}, 0, NOW,
                                     purchases=[(dict(PURCHASE, cycle=None), {"total": 0, "is_valid": False,
                                                                              "invalid_reason": "Out of stock."})],
                                     renewal_window_days=7, services=[service("S-1", days=1.0, total=None)])
    assert check["passed"] is False
    assert check["text"] == ("credit balance $10,000,000.00 covers $0.00 for 10 x isp_us + $0.00 of renewals due within 7 "
                             "days, but the API would not sell 10 x isp_us, saying \"Out of stock\" and the API did not "
                             "report the price (service_total) of S-1, due within 7 days")


def test_unreported_credit_with_commitments():
    check = credit_commitments_check({}, 1000, NOW, purchases=[(PURCHASE, {"total": 3500, "is_valid": True})])
    assert check["passed"] is False
    assert check["text"] == ("the API did not report the account's credit balance, so $10.00 reserve + $35.00 for 10 x "
                             "isp_us (1:month) cannot be confirmed")


def test_renewals_due_counts_active_automatic_services_in_the_window_past_due_included():
    services = [service("IN", days=6.9), service("PAST", days=-1.0), service("OUT", days=7.1),
                service("MANUAL", days=1.0, automatic=False), service("CANCEL", days=1.0, pending=True),
                service("PAUSED", status="paused", days=1.0), service("UNKNOWN", days=None)]
    assert renewals_due(services, 7, NOW) == (2000, ["IN", "PAST"], [])


# -- inputs -----------------------------------------------------------------------------------

def test_days_counts_and_windows_parse_and_name_the_variable():
    assert parse_days(None, "x") is None and parse_days(0, "x") is None and parse_days("14", "x") == 14
    assert parse_days(2.5, "x") == 2.5 and parse_count("5", "x") == 5 and parse_count(0, "x") is None
    assert parse_window(14, "x") == 14 and parse_window("90", "x") == 90
    for bad, pattern in ((True, "must be a number of days"), ("two weeks", "must be a number of days"), (-1, "must not be negative"),
                         (99999, r"99999 is more than 3650 days \(ten years\)")):
        with pytest.raises(BytefulError, match="^byteful_preflight_min_residential_days " + pattern):
            parse_days(bad, "byteful_preflight_min_residential_days")
    with pytest.raises(BytefulError, match=r"^byteful_preflight_min_proxy_user_headroom must be a whole number such as 5, got 1\.5\.$"):
        parse_count(1.5, "byteful_preflight_min_proxy_user_headroom")
    for bad in (0, 91, "x"):
        with pytest.raises(BytefulError, match="^byteful_preflight_usage_window_days must"):
            parse_window(bad, "byteful_preflight_usage_window_days")


def test_statuses_are_the_apis_eight_with_a_suggestion():
    assert parse_statuses(["overdue", "paused", "overdue"], "x") == ["overdue", "paused"]
    assert parse_statuses("overdue, paused", "x") == ["overdue", "paused"]
    assert parse_statuses(None, "x") == []
    with pytest.raises(BytefulError, match=r"^byteful_preflight_fail_on_service_status holds 'overdeu', which is not a service "
                                           r"state \(did you mean overdue\?\); the states are awaiting_fulfillment, "):
        parse_statuses(["overdeu"], "byteful_preflight_fail_on_service_status")


def test_purchases_are_checked_line_by_line():
    assert parse_purchases([{"product_code": "isp_us", "quantity": "10", "cycle": "1:month"}], "p") == [PURCHASE]
    assert parse_purchases([{"product_code": "isp_us", "quantity": 1}], "p") == [
        {"product_code": "isp_us", "quantity": 1, "cycle": None}]
    cases = [
        ({"product_code": "isp_us", "quantity": 0}, r"^p\[0\]\.quantity must be from 1 to"),
        ({"product_code": "", "quantity": 1}, r"^p\[0\]\.product_code must be a product code"),
        ({"product_code": "isp_us", "quantity": 1, "cycle": "1 month"},
         r"^p\[0\]\.cycle '1 month' is not a billing cycle such as 1:month; use a count of 1 or more, a colon, and one of "),
        ({"product_code": "isp_us", "quantity": 1, "qty": 2}, r"^p\[0\] has 'qty'; a purchase has product_code, quantity and cycle\.$"),
        ("isp_us", r"^p\[0\] must be a purchase such as"),
    ]
    for line, pattern in cases:
        with pytest.raises(BytefulError, match=pattern):
            parse_purchases([line], "p")
    with pytest.raises(BytefulError, match=r"^p must be a list of purchases"):
        parse_purchases({"product_code": "isp_us"}, "p")


# -- what forecast() reads, once per part -----------------------------------------------------

def _settings(**overrides):
    settings = parse_settings({}, lambda option: option)
    settings.update(overrides)
    return settings


class FakeReads:
    """Stands in for AccountSession.read: records each (part, parameters) and answers from canned data."""

    def __init__(self, answers):
        self.answers = answers
        self.calls = []

    def __call__(self, part, parameters, fetch):
        self.calls.append((part, parameters))
        return self.answers[part] if part != "usage" else self.answers["usage"][parameters["product"]]


CUSTOMER = {"customer_id": 1955, "credit_balance": 5000, "residential_bytes_left": 10 * GIB, "mobile_bytes_left": None,
            "active_residential_service_id": "R-1", "customer_proxy_user_limit": 25}


def test_nothing_enabled_reads_nothing():
    reads = FakeReads({})
    assert forecast(reads, CUSTOMER, _settings(), 0, NOW) == ([], None)
    assert reads.calls == [] and not any_enabled(_settings())


def test_every_check_reads_its_own_part_once_and_the_credit_check_is_replaced():
    answers = {"usage": {"residential": usage(), "mobile": usage("mobile", left=None, average=0.0)},
               "proxy_users": {"count": 24, "count_excluding_default": 23, "limit": 25, "headroom": 1},
               "services": [service("S-1", days=2.0, total=2500), service("S-2", days=5.0, total=2000),
                            service("S-M", days=1.0, automatic=False), service("S-O", status="overdue")],
               "quote": {"total": 3500, "is_valid": True}}
    reads = FakeReads(answers)
    settings = _settings(min_residential_days=14, min_mobile_days=3, min_proxy_user_headroom=5, min_service_days_left=7,
                         fail_on_service_status=["overdue"], purchases=[PURCHASE, dict(PURCHASE, quantity=2)],
                         renewal_window_days=7)
    checks, credit = forecast(reads, CUSTOMER, settings, 1000, NOW)
    assert [part for part, dummy in reads.calls] == ["usage", "usage", "proxy_users", "services", "quote", "quote"]
    assert reads.calls[0][1] == {"product": "residential", "window_days": 14, "today": "2026-11-25",
                                 "bytes_left": 10 * GIB}
    assert reads.calls[4][1] == {"quantity": 10, "product_code": "isp_us", "cycle_interval_count": 1, "cycle_interval": "month"}
    assert [check["name"] for check in checks] == ["residential_days_left", "mobile_days_left", "proxy_user_headroom",
                                                   "service_days_left", "service_status"]
    assert not any(check["passed"] for check in checks)
    assert credit["text"] == ("credit balance $50.00 does not cover $10.00 reserve + $35.00 for 10 x isp_us (1:month) + "
                              "$35.00 for 2 x isp_us (1:month) + $45.00 of renewals due within 7 days")


# -- the services a play depends on (service_types, service_ids) --------------------------------

def typed(service_id, kind, **fields):
    return dict(service(service_id, **fields), service_type=kind)


SERVICES = [typed("R-1", "residential"), typed("I-1", "isp", days=2.0, automatic=False),
            typed("D-1", "datacenter", status="overdue", days=-2.0), typed("D-2", "datacenter", status="paused"),
            typed("D-3", "datacenter", days=1.0, total=9000)]


def _scoped(types=(), ids=(), **settings):
    return _settings(service_scope={"types": list(types), "ids": list(ids), "types_option": "service_types",
                                    "ids_option": "service_ids"}, **settings)


@pytest.mark.parametrize("types, ids, passed, text", [
    ((), (), False, "2 services are in refused states: D-1 is overdue, D-2 is paused"),
    (("residential", "isp"), (), True, "among the residential and isp services, no service is overdue or paused"),
    ((), ("D-2",), False, "among service D-2, 1 service is in a refused state: D-2 is paused"),
    (("residential",), ("D-1", "I-1"), False,
     "among the residential services and services D-1 and I-1, 1 service is in a refused state: D-1 is overdue"),
])
def test_refused_states_among_the_services_the_play_uses(types, ids, passed, text):
    checks, dummy = forecast(FakeReads({"services": SERVICES}), CUSTOMER,
                             _scoped(types, ids, fail_on_service_status=["overdue", "paused"]), 0, NOW)
    assert (checks[0]["passed"], checks[0]["text"]) == (passed, text)


def test_expiry_among_the_services_the_play_uses():
    settings = _scoped(["residential", "datacenter"], min_service_days_left=7)
    checks, dummy = forecast(FakeReads({"services": SERVICES}), CUSTOMER, settings, 0, NOW)
    assert checks[0]["passed"] is True
    assert checks[0]["text"] == ("among the residential and datacenter services, every active service renews by itself, so "
                                 "none must last the required 7 days")
    checks, dummy = forecast(FakeReads({"services": SERVICES}), CUSTOMER, _scoped(["isp"], min_service_days_left=7), 0, NOW)
    assert checks[0]["text"] == ("among the isp services, 1 active service that will not renew by itself lasts less than "
                                 "the required 7 days: I-1 expires in 2.0 days (automatic collection off)")


def test_renewals_are_never_limited_since_every_one_draws_on_the_credit():
    settings = _scoped(["residential"], fail_on_service_status=["paused"], renewal_window_days=7)
    dummy, credit = forecast(FakeReads({"services": SERVICES}), CUSTOMER, settings, 0, NOW)
    # D-3, a datacenter service outside the scope, renews from the same credit all the same.
    assert credit["details"]["renewals"] == ["D-3"] and credit["required"] == 9000


def test_a_service_id_the_account_does_not_have_is_one_sentence():
    with pytest.raises(BytefulError) as info:
        forecast(FakeReads({"services": SERVICES}), CUSTOMER,
                 _scoped(ids=["D-1", "D-9", "X"], fail_on_service_status=["overdue"]), 0, NOW)
    assert info.value.message == ("service_ids holds 'D-9' and 'X', which the account does not have among its 5 services "
                                  "(did you mean D-3?); list the ids of services the play depends on "
                                  "(byteful.proxy.service_info lists them).")


@pytest.mark.parametrize("value, words", [
    ("residental", "service_types holds 'residental', which is not a service type (did you mean residential?); the types "
                   "are datacenter, isp, residential, mobile, off_catalog."),
    (["isp", 5], "service_types must be a list of service types such as [residential, isp], got ['isp', 5]."),
    ({"isp": 1}, "must be a list of service types"), (["isp", " "], "must be a list of service types"),
])
def test_service_types_are_the_api_s(value, words):
    with pytest.raises(BytefulError) as info:
        parse_settings({"service_types": value}, lambda option: option)
    assert info.value.message == words or info.value.message.startswith("service_types " + words)


def test_scopes_parse_from_lists_and_strings():
    settings = parse_settings({"service_types": "isp, residential,isp", "service_ids": ["A-1 ", "A-1", "B-2"]},
                              lambda option: "byteful_preflight_" + option)
    assert settings["service_scope"] == {"types": ["isp", "residential"], "ids": ["A-1", "B-2"],
                                         "types_option": "byteful_preflight_service_types",
                                         "ids_option": "byteful_preflight_service_ids"}
    assert not any_enabled(settings)  # a scope alone checks nothing


def test_the_api_s_reason_is_quoted_inside_the_one_clause():
    check = credit_commitments_check({"credit_balance": 10 ** 6}, 0, NOW, purchases=[(PURCHASE, {
        "total": 100, "is_valid": False, "invalid_reason": 'Sold out; "try" later.'})])
    assert check["text"] == ("credit balance $10,000.00 covers $1.00 for 10 x isp_us (1:month), but the API would not "
                             "sell 10 x isp_us (1:month), saying \"Sold out, 'try' later\"")
    assert "; " not in check["text"]


def test_every_forecast_check_is_requested():
    checks, credit = forecast(FakeReads({"services": SERVICES, "quote": {"total": 1, "is_valid": True}}), CUSTOMER,
                              _scoped(fail_on_service_status=["paused"], min_service_days_left=1, purchases=[PURCHASE]),
                              0, NOW)
    assert all(check["requested"] for check in checks + [credit])
