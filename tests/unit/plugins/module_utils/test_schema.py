# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Generic schema checking with field paths, and the API's datetimes."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._schema import (
    amount,
    api_datetime,
    check,
    identifier,
    optional,
    parse_date,
    parse_datetime,
    with_documented_fields,
)

UTC = datetime.timezone.utc
ITEM = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "n": optional("integer", "n")}}
ITEMS = {"type": "array", "items": ITEM}


@pytest.mark.parametrize("text, expected", [
    ("2026-11-25 12:30:05", datetime.datetime(2026, 11, 25, 12, 30, 5, tzinfo=UTC)),
    ("2026-11-25T12:30:05", datetime.datetime(2026, 11, 25, 12, 30, 5, tzinfo=UTC)),
    ("2026-11-25T12:30:05Z", datetime.datetime(2026, 11, 25, 12, 30, 5, tzinfo=UTC)),
    ("2026-11-25 12:30:05.25", datetime.datetime(2026, 11, 25, 12, 30, 5, 250000, tzinfo=UTC)),
    ("2026-11-25T12:30:05.123456789Z", datetime.datetime(2026, 11, 25, 12, 30, 5, 123456, tzinfo=UTC)),
    ("2026-11-25T14:30:05+02:00", datetime.datetime(2026, 11, 25, 12, 30, 5, tzinfo=UTC)),
    ("2026-11-25T10:00:05-02:30", datetime.datetime(2026, 11, 25, 12, 30, 5, tzinfo=UTC)),
    ("2026-11-25T12:30:05+0000", datetime.datetime(2026, 11, 25, 12, 30, 5, tzinfo=UTC)),
])
def test_datetime_forms_are_read_as_utc(text, expected):
    parsed = parse_datetime(text)
    assert parsed == expected and parsed.utcoffset() == datetime.timedelta(0)


def test_none_is_none():
    assert parse_datetime(None) is None


@pytest.mark.parametrize("value", ["", "2026-11-25", "2026-11-25 12:30", "25/11/2026 12:30:05", "2026-02-30 00:00:00",
                                   "2026-11-25 25:00:00", "2026-11-25 12:30:05 UTC", "2026-11-25 12:30:05+2", 1764073805,
                                   True, "0000-00-00 00:00:00", "２０２６-11-25 12:30:05"])
def test_anything_else_is_a_value_error_in_words(value):
    with pytest.raises(ValueError, match="is not a datetime such as 2026-01-31 12:00:00"):
        parse_datetime(value)


def test_dates():
    assert parse_date("2026-11-25") == datetime.date(2026, 11, 25)
    assert parse_date("2026-11-25 23:59:59") == datetime.date(2026, 11, 25)
    assert parse_date("2026-11-25T23:00:00-02:00") == datetime.date(2026, 11, 26)
    for bad in (None, "2026-13-01", "yesterday", 20261125):
        with pytest.raises(ValueError, match="is not a date such as 2026-01-31"):
            parse_date(bad)


def test_api_datetime_is_utc_without_zone():
    moment = datetime.datetime(2026, 11, 25, 14, 0, 0, 999, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    assert api_datetime(moment) == "2026-11-25 12:00:00"


def test_check_names_every_failing_path_under_the_prefix():
    items = [{"id": "a"}, {"id": 2, "n": "3"}, {"n": None}]
    with pytest.raises(BytefulError) as info:
        check(items, ITEMS, "a list of things", "req-9", path_prefix=("things",))
    assert info.value.message == (
        "The Byteful API returned a list of things that does not match the expected schema ($.things[1].id must be "
        "string, found integer 2; $.things[1].n must be integer or null, found string \"3\"; $.things[2].id is missing), "
        "request id req-9; the API may have changed, so please report this to byteful.proxy.")
    assert info.value.details["errors"][0] == {"path": "$.things[1].id", "expected": "string", "found": "integer 2"}
    assert info.value.details["request_id"] == "req-9"


def test_check_returns_a_valid_instance_and_is_lenient_about_presence():
    items = [{"id": "a"}, {"id": "b", "n": None, "extra": [1]}]
    assert check(items, ITEMS, "a list of things") is items
    assert with_documented_fields(items[0], ITEM) == {"id": "a", "n": None}


def test_a_long_list_of_failures_is_cut_and_counted():
    items = [{"id": n} for n in range(25)]
    with pytest.raises(BytefulError) as info:
        check(items, ITEMS, "a list of things", path_prefix=("things",))
    assert "$.things[2].id must be string, found integer 2; $.things[3].id" in info.value.message
    assert "$.things[9].id must be string, found integer 9; and 15 more)" in info.value.message
    assert "$.things[10]" not in info.value.message
    assert len(info.value.details["errors"]) == 25


# -- numbers and datetimes checked, not trusted (issue 17) ------------------------------------

COUNTED = {"type": "object", "properties": {"n": optional("integer", "n"), "price": amount("price"),
                                            "id": identifier("id")}}


@pytest.mark.parametrize("value, found", [(1.0, "number 1.0"), (1e308, "number 1e+308"), (-0.0, "number -0.0")])
def test_a_float_is_no_integer_however_integral(value, found):
    # JSON Schema's own "integer" accepts 1.0 and 1e308; Python reads both as floats.
    with pytest.raises(BytefulError) as info:
        check({"n": value}, COUNTED, "a thing")
    assert "($.n must be integer or null, found %s)" % found in info.value.message
    assert check({"n": 10 ** 18}, COUNTED, "a thing") == {"n": 10 ** 18}


def test_a_negative_price_is_refused_naming_its_path():
    with pytest.raises(BytefulError) as info:
        check({"price": -5000000}, COUNTED, "a thing")
    assert "($.price must be 0 or more, found -5000000)" in info.value.message
    assert info.value.details["errors"] == [{"path": "$.price", "expected": "0 or more", "found": "-5000000"}]
    assert check({"price": 0}, COUNTED, "a thing") == {"price": 0}


def test_an_identifier_longer_than_any_is_refused_without_quoting_it():
    with pytest.raises(BytefulError) as info:
        check({"id": "x" * 20000}, COUNTED, "a thing")
    assert "($.id must be at most 100 characters, found 20000 characters)" in info.value.message
    assert "xxxx" not in info.value.message


@pytest.mark.parametrize("value", ["9999-12-31 23:00:00-05:00", "0001-01-01T00:30:00+01:00", "9999-12-31T23:59:59-00:01"])
def test_a_datetime_whose_utc_time_python_cannot_hold_is_a_sentence(value):
    with pytest.raises(ValueError) as info:
        parse_datetime(value)
    assert str(info.value) == '"%s" is a datetime whose UTC time is outside the years 1 to 9999' % value
    with pytest.raises(ValueError, match="is not a date such as 2026-01-31"):
        parse_date(value)
    assert parse_datetime("9999-12-31 23:59:59") == datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
