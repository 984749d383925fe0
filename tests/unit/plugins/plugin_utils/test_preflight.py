# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The preflight comparison: thresholds, units, unreported values, paused services and the failure sentence."""

from __future__ import annotations

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError
from ansible_collections.byteful.proxy.plugins.plugin_utils._preflight import (
    evaluate,
    format_bytes,
    format_cents,
    parse_bool,
    parse_bytes,
    parse_cents,
)

GIB = 1024 ** 3
HEALTHY = {
    "customer_id": 1955, "credit_balance": 250000, "residential_bytes_left": 10 * GIB, "mobile_bytes_left": 5 * GIB,
    "active_residential_service_id": "1955-8012-871", "active_mobile_service_id": "1955-8013-112",
}
LOW = dict(HEALTHY, credit_balance=12, residential_bytes_left=1024 * 1024, mobile_bytes_left=0)


def test_low_account_fails_with_every_shortfall_in_human_units():
    outcome = evaluate(LOW, min_credit_balance=1000, min_residential_bytes="5 GB", min_mobile_bytes=0)
    assert outcome["passed"] is False
    assert outcome["msg"] == ("Preflight failed for Byteful account 1955: credit balance $0.12 is below the "
                              "required $10.00; residential data 1.0 MiB is below the required 5.0 GiB.")
    assert [(c["name"], c["actual"], c["required"], c["passed"]) for c in outcome["checks"]] == [
        ("credit_balance", 12, 1000, False),
        ("residential_bytes_left", 1024 * 1024, 5 * GIB, False),
        ("mobile_bytes_left", 0, 0, True),
    ]


def test_healthy_account_passes_and_summarises():
    outcome = evaluate(HEALTHY, min_credit_balance="1000", min_residential_bytes=5 * GIB, min_mobile_bytes="1 GiB",
                       require_residential_service=True, require_mobile_service=True)
    assert outcome["passed"] is True
    assert outcome["summary"] == [
        "ok   credit balance $2,500.00 meets the required $10.00",
        "ok   residential data 10.0 GiB meets the required 5.0 GiB",
        "ok   mobile data 5.0 GiB meets the required 1.0 GiB",
        "ok   active residential service is 1955-8012-871",
        "ok   active mobile service is 1955-8013-112",
    ]
    assert outcome["msg"].startswith("Preflight passed for Byteful account 1955: credit balance $2,500.00 meets")


def test_thresholds_equal_to_the_balance_pass():
    assert evaluate(HEALTHY, min_credit_balance=250000, min_residential_bytes=10 * GIB)["passed"] is True
    assert evaluate(HEALTHY, min_credit_balance=250001)["passed"] is False


def without(customer, *fields):
    return {key: value for key, value in customer.items() if key not in fields}


@pytest.mark.parametrize("unreported", [lambda c: without(c, "credit_balance"), lambda c: dict(c, credit_balance=None)],
                         ids=["absent", "null"])
def test_unreported_credit_fails_a_threshold_with_one_sentence(unreported):
    outcome = evaluate(unreported(HEALTHY), min_credit_balance=1000)
    assert outcome["passed"] is False
    assert outcome["msg"] == ("Preflight failed for Byteful account 1955: the API did not report the account's credit "
                              "balance, so the required $10.00 cannot be confirmed.")
    assert outcome["checks"][0]["actual"] is None and outcome["checks"][0]["passed"] is False


@pytest.mark.parametrize("unreported", [lambda c: without(c, "credit_balance"), lambda c: dict(c, credit_balance=None)],
                         ids=["absent", "null"])
def test_unreported_credit_passes_a_zero_threshold_and_says_it_is_unknown(unreported):
    outcome = evaluate(unreported(HEALTHY))
    assert outcome["passed"] is True
    assert outcome["summary"][0] == "-    credit balance is unknown, as the API did not report it, and no minimum is set"
    assert outcome["checks"][0]["requested"] is False


@pytest.mark.parametrize("field, service_field, label", [
    ("residential_bytes_left", "active_residential_service_id", "residential"),
    ("mobile_bytes_left", "active_mobile_service_id", "mobile"),
])
@pytest.mark.parametrize("how", ["absent", "null"])
def test_unreported_counters_are_unknown_not_zero(field, service_field, label, how):
    customer = without(HEALTHY, field) if how == "absent" else dict(HEALTHY, **{field: None})
    threshold = {"min_%s" % field.replace("_left", ""): "1 GB"}
    outcome = evaluate(customer, **threshold)
    failing = [c for c in outcome["checks"] if not c["passed"]]
    assert [(c["name"], c["actual"]) for c in failing] == [(field, None)]
    assert failing[0]["text"] == ("the API did not report the account's %s data, so the required 1.0 GiB cannot be "
                                  "confirmed" % label)
    # Without the service as well, the text says so: the usual reason the counter is left out.
    alone = evaluate(without(customer, service_field), **threshold)
    assert alone["msg"] == ("Preflight failed for Byteful account 1955: the API did not report the account's %s data "
                            "(the account has no active %s service), so the required 1.0 GiB cannot be confirmed."
                            % (label, label))
    passing = evaluate(customer)
    assert passing["passed"] is True
    assert "-    %s data is unknown, as the API did not report it, and no minimum is set" % label in passing["summary"]


def test_an_account_with_customer_id_alone_passes_zero_thresholds_and_fails_the_others():
    bare = {"customer_id": 7}
    assert evaluate(bare)["passed"] is True
    outcome = evaluate(bare, min_credit_balance=1, min_residential_bytes=1, min_mobile_bytes=1,
                       require_residential_service=True, require_mobile_service=True)
    assert [c["passed"] for c in outcome["checks"]] == [False] * 5
    assert outcome["msg"].startswith("Preflight failed for Byteful account 7: the API did not report the account's "
                                     "credit balance, so the required $0.01 cannot be confirmed; ")


@pytest.mark.parametrize("field, name", [("residential_bytes_left", "residential"), ("mobile_bytes_left", "mobile")])
def test_an_overdrawn_counter_is_below_every_threshold(field, name):
    customer = dict(HEALTHY, **{field: -1024 * 1024})
    outcome = evaluate(customer)
    assert outcome["msg"] == ("Preflight failed for Byteful account 1955: %s data -1.0 MiB is below the required 0 B."
                              % name)
    assert [c["actual"] for c in outcome["checks"] if not c["passed"]] == [-1024 * 1024]


@pytest.mark.parametrize("service, paused_flag, option", [
    ("residential", "active_residential_service_subscription_is_paused", "require_residential_service"),
    ("mobile", "active_mobile_service_is_paused", "require_mobile_service"),
])
def test_a_paused_service_is_not_active(service, paused_flag, option):
    service_id = HEALTHY["active_%s_service_id" % service]
    outcome = evaluate(dict(HEALTHY, **{paused_flag: True}), **{option: True})
    assert outcome["msg"] == ("Preflight failed for Byteful account 1955: active %s service %s is paused." % (
        service, service_id))
    assert outcome["checks"][-1]["passed"] is False and outcome["checks"][-1]["actual"] == service_id
    # Not paused, or the flag not sent: active.
    for flag in (False, None):
        assert evaluate(dict(HEALTHY, **{paused_flag: flag}), **{option: True})["passed"] is True
    # Paused but not required: nothing to say.
    assert evaluate(dict(HEALTHY, **{paused_flag: True}))["passed"] is True


def test_required_services_must_be_present():
    customer = dict(HEALTHY, active_mobile_service_id=None, active_residential_service_id="")
    outcome = evaluate(customer, require_residential_service=True, require_mobile_service=True)
    assert outcome["msg"] == ("Preflight failed for Byteful account 1955: active residential service is missing "
                              "but required; active mobile service is missing but required.")


def test_negative_credit_fails_even_the_default_threshold():
    assert evaluate(dict(HEALTHY, credit_balance=-500))["msg"] == (
        "Preflight failed for Byteful account 1955: credit balance -$5.00 is below the required $0.00.")


@pytest.mark.parametrize("value, expected", [
    (0, 0), (5, 5), ("5 GB", 5 * GIB), ("5GB", 5 * GIB), ("512 MiB", 512 * 1024 ** 2), ("1 KB", 1024),
    ("100", 100), (" 2 TB ", 2 * 1024 ** 4), (3.0, 3),
    # Any case, with or without "i" and "B": all the same 1024-based unit (bits mean nothing here).
    ("5 gb", 5 * GIB), ("5 Gib", 5 * GIB), ("5 gib", 5 * GIB), ("5 Gb", 5 * GIB), ("5G", 5 * GIB), ("5 g", 5 * GIB),
    ("5 Gi", 5 * GIB), ("512mib", 512 * 1024 ** 2), ("512mb", 512 * 1024 ** 2), ("1 kib", 1024), ("1 TiB", 1024 ** 4),
    ("1 pib", 1024 ** 5), ("100 B", 100), ("100b", 100), ("100 bytes", 100), ("1 byte", 1),
    # Fractions, exactly and rounded down to whole bytes.
    ("1.5 KB", 1536), (".5 KiB", 512), ("1.1 GB", 1181116006), ("0.5 B", 0), ("-0", 0),
])
def test_sizes_are_1024_based(value, expected):
    assert parse_bytes(value, "min_residential_bytes") == expected


@pytest.mark.parametrize("value, words", [
    ("5 GiBs", "'5 GiBs' is not a size"),
    ("5 GX", "'5 GX' is not a size; use a number of bytes or a size such as '5 GB', '5 GiB', '512mb' or '10G' "
             "(any case, 1024-based)."),
    ("5 i", "is not a size"), ("5 iB", "is not a size"), ("5 kbit", "is not a size"), ("GB", "is not a size"),
    ("1,5 GB", "is not a size"), ("5 GB 5", "is not a size"),
    ("lots", "'lots' is not a size"),
    ("", "must be a number of bytes"),
    (None, "must be a number of bytes"),
    (True, "must be a number of bytes"),
    (-1, "must not be negative"),
    ("2 EB", "is more than any account can hold (1.0 PiB); check the unit"),
    ([5], "must be a number of bytes"),
    ("5 \u00b2B", "is not a size"), ("-5 GB", "must not be negative, got '-5 GB'."), (float("inf"), "must be a number of bytes"),
    (1.5, "must be a number of bytes"), (10 ** 400, "is more than any account can hold"),
    ("9" * 400, "'%s... is more than any account can hold" % ("9" * 36)),
])
def test_bad_sizes_say_what_is_wrong(value, words):
    with pytest.raises(BytefulError) as info:
        parse_bytes(value, "min_residential_bytes")
    assert words in info.value.message and info.value.message.startswith("min_residential_bytes")


def test_messages_name_the_option_as_the_user_set_it():
    with pytest.raises(BytefulError) as info:
        parse_bytes("5 GX", "byteful_preflight_min_residential_bytes")
    assert info.value.message.startswith("byteful_preflight_min_residential_bytes '5 GX' is not a size;")
    with pytest.raises(BytefulError) as info:
        parse_cents("12.50", "byteful_preflight_min_credit_balance")
    assert info.value.message == ("byteful_preflight_min_credit_balance '12.50' has no currency, and a bare number is cents; "
                                  "write '$12.50' for dollars, or whole cents such as 1250.")


def test_counters_beyond_any_float_are_compared_and_written_exactly():
    # JSON integers have no size limit; the message must still be written, digit for digit.
    huge = 10 ** 400
    outcome = evaluate(dict(HEALTHY, credit_balance=-huge, residential_bytes_left=huge), min_residential_bytes="1 PB")
    assert outcome["passed"] is False
    assert outcome["checks"][0]["text"].startswith("credit balance -$%s" % "{:,}".format(huge // 100))
    assert outcome["checks"][1]["passed"] is True and outcome["checks"][1]["text"].endswith(" PiB meets the required 1.0 PiB")


@pytest.mark.parametrize("value, expected", [
    # A bare whole number is cents, as it always was.
    (0, 0), (1000, 1000), ("1000", 1000), (10.0, 10), (" 12 ", 12),
    # Money as people write it.
    ("$10", 1000), ("$10.50", 1050), ("$10.5", 1050), ("$ 10", 1000), ("10$", 1000), ("$1,000", 100000),
    ("$1,234,567.89", 123456789), ("10.00 USD", 1000), ("10 usd", 1000), ("USD 10", 1000), ("usd10.25", 1025),
    ("US$10", 1000), ("$10 USD", 1000), ("$0.99", 99), ("$10.000", 1000), (" $ 12.34 ", 1234),
    ("1000 cents", 1000), ("1 cent", 1), ("250000CENTS", 250000),
])
def test_cents(value, expected):
    assert parse_cents(value, "min_credit_balance") == expected


@pytest.mark.parametrize("value, words", [
    (10.5, "10.5 is not a whole number of cents; write dollars with their sign, such as '$10.50', or whole cents, such as "
           "1050."),
    (False, "must be an amount such as '$10', '$10.50', '10.00 USD' or 1000 (a bare number is cents), got False."),
    (-1, "must not be negative"), ("-1", "must not be negative"), ("-$5", "must not be negative, got '-$5'."),
    ("$-5", "must not be negative"),
    (10 ** 15, "more than any account can hold ($1,000,000,000.00); a bare number is cents, not dollars."),
    ("$2,000,000,000", "'$2,000,000,000' is more than any account can hold ($1,000,000,000.00)."),
    ("9" * 5000, "more than any account can hold"), ("-" + "9" * 5000, "must not be negative"),
    ("$" + "9" * 5000, "more than any account can hold"),
    ("\u00b2", "is not an amount of money"), ("\u0661\u0662", "is not an amount of money"),
    (float("nan"), "must be an amount"), (float("inf"), "must be an amount"),
    (None, "must be an amount"), ([1000], "must be an amount"),
    # Money in another currency, or not quite money.
    ("10 EUR", "'10 EUR' is not in US dollars, the currency of the account's credit; write it in dollars such as '$10' or "
               "'10.00 USD', or in cents such as 1000."),
    ("EUR 10", "is not in US dollars"), ("\u20ac10", "is not in US dollars"), ("\u00a310.50", "is not in US dollars"),
    ("10 gbp", "is not in US dollars"),
    ("$10.001", "'$10.001' is not a whole number of cents; give at most two decimals, such as '$10.05'."),
    ("10.50", "'10.50' has no currency, and a bare number is cents; write '$10.50' for dollars, or whole cents such as 1050."),
    ("1,000", "has no currency"), ("$1,00", "is not an amount of money"), ("$", "is not an amount of money"),
    ("ten dollars", "is not an amount of money"), ("10.5 cents", "is not an amount of money"), ("$10 cents", "is not an amount"),
    ("lots", "'lots' is not an amount of money; write one such as '$10', '$10.50', '10.00 USD' or 1000"),
])
def test_bad_cents(value, words):
    with pytest.raises(BytefulError) as info:
        parse_cents(value, "min_credit_balance")
    assert words in info.value.message


@pytest.mark.parametrize("number, text", [
    (0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (1536, "1.5 KiB"), (1024 ** 2, "1.0 MiB"),
    (5 * GIB, "5.0 GiB"), (1024 ** 5, "1.0 PiB"), (3 * 1024 ** 6, "3072.0 PiB"),
    (1024 ** 2 - 1, "1024.0 KiB"), (10 * GIB + 1, "10.0 GiB"), (1024 ** 5 * 10 ** 300, "%d.0 PiB" % 10 ** 300),
    (-1, "-1 B"), (-1024 * 1024, "-1.0 MiB"), (-1536, "-1.5 KiB"), (-(1024 ** 5) * 10 ** 300, "-%d.0 PiB" % 10 ** 300),
])
def test_format_bytes(number, text):
    assert format_bytes(number) == text


@pytest.mark.parametrize("cents, text", [(0, "$0.00"), (12, "$0.12"), (1245, "$12.45"), (123456789, "$1,234,567.89"),
                                         (-500, "-$5.00"), (-1, "-$0.01"), (10 ** 20 + 7, "$1,000,000,000,000,000,000.07")])
def test_format_cents(cents, text):
    assert format_cents(cents) == text


# -- checks nobody asked for ---------------------------------------------------------------------

def test_a_threshold_left_at_0_is_no_request_listed_for_its_value_and_out_of_the_sentence():
    outcome = evaluate(HEALTHY, min_credit_balance=1000)
    assert [(c["name"], c["requested"], c["passed"]) for c in outcome["checks"]] == [
        ("credit_balance", True, True), ("residential_bytes_left", False, True), ("mobile_bytes_left", False, True)]
    assert outcome["summary"] == ["ok   credit balance $2,500.00 meets the required $10.00",
                                  "-    residential data 10.0 GiB, no minimum set", "-    mobile data 5.0 GiB, no minimum set"]
    assert outcome["msg"] == "Preflight passed for Byteful account 1955: credit balance $2,500.00 meets the required $10.00."
    assert "meets the required 0 B" not in str(outcome)


def test_nothing_requested_says_so():
    assert evaluate(HEALTHY)["msg"] == ("Preflight passed for Byteful account 1955: the account was read, and no check "
                                        "was requested.")


def test_a_negative_value_fails_even_unrequested():
    outcome = evaluate(dict(HEALTHY, mobile_bytes_left=-1))
    assert outcome["checks"][2]["requested"] is False and outcome["checks"][2]["passed"] is False
    assert outcome["summary"][2] == "FAIL mobile data -1 B is below the required 0 B"


def test_required_services_are_requested():
    outcome = evaluate(HEALTHY, require_mobile_service=True)
    assert outcome["checks"][-1]["requested"] is True
    assert outcome["msg"] == "Preflight passed for Byteful account 1955: active mobile service is 1955-8013-112."


# -- switches and unit slips -----------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [(True, True), ("yes", True), ("on", True), (1, True), ("TRUE", True),
                                             (False, False), ("no", False), ("off", False), (0, False), (" false ", False)])
def test_booleans_in_ansible_s_spellings(value, expected):
    assert parse_bool(value, "byteful_preflight_enabled") is expected


@pytest.mark.parametrize("value", ["ture", "flase", 2, "yes please", "", None, [True], 0.5])
def test_anything_else_is_no_boolean(value):
    with pytest.raises(BytefulError) as info:
        parse_bool(value, "byteful_preflight_enabled")
    assert info.value.message == "byteful_preflight_enabled must be true or false, got %r." % (value,)


@pytest.mark.parametrize("value, warned", [
    (0, False), (1, False), (2, True), (10, True), ("10", True), (10.0, True), (99, True), (100, False), (1000, False),
    ("$0.10", False), ("10 cents", False), ("$10", False)])
def test_a_bare_number_of_cents_below_a_dollar_warns(value, warned):
    warnings = []
    parse_cents(value, "byteful_preflight_min_credit_balance", warnings)
    assert bool(warnings) is warned
    if warned:
        assert warnings[0].startswith("byteful_preflight_min_credit_balance is %r, which is only $0." % (value,))


@pytest.mark.parametrize("value, warned", [
    (0, False), (1, False), (5, True), ("5", True), (1024 ** 2 - 1, True), (1024 ** 2, False), ("5 B", False),
    ("512 KiB", False), ("5 GB", False)])
def test_a_bare_number_of_bytes_below_a_mib_warns(value, warned):
    warnings = []
    parse_bytes(value, "byteful_preflight_min_mobile_bytes", warnings)
    assert bool(warnings) is warned
