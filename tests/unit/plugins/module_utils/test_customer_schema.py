# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Customer schema: what it accepts, what it rejects, and how it says so."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._customer import (
    CUSTOMER_FIELDS,
    CUSTOMER_SCHEMA,
    SERVICE_FIELDS,
    validate_customer,
)

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")

# The example response of the Byteful documentation, verbatim (it has no mobile fields).
DOCUMENTED_EXAMPLE = {
    "customer_id": 1955, "customer_email_address": "steve.jobs@apple.com", "customer_first_name": "Steve",
    "customer_last_name": "Jobs", "credit_balance": 1245, "customer_proxy_user_limit": 5, "proxy_count": 100,
    "residential_bytes_left": 10737418240, "active_residential_service_id": "1955-8012-871",
}
FULL = dict(DOCUMENTED_EXAMPLE, mobile_bytes_left=5368709120, active_mobile_service_id="1955-8013-112")

INTEGER_FIELDS = ["customer_id", "credit_balance", "customer_proxy_user_limit", "proxy_count"]
STRING_FIELDS = ["customer_email_address", "customer_first_name", "customer_last_name"]
COUNTERS = ["residential_bytes_left", "mobile_bytes_left"]
SERVICE_IDS = ["active_residential_service_id", "active_mobile_service_id"]


def errors_of(customer):
    with pytest.raises(BytefulError) as info:
        validate_customer(customer, request_id="req_7")
    return info.value


def test_published_schema_file_is_the_one_the_code_uses():
    with open(os.path.join(ROOT, "docs", "customer.schema.json"), encoding="utf-8") as handle:
        assert json.load(handle) == CUSTOMER_SCHEMA


def test_schema_documents_the_eleven_fields():
    assert len(CUSTOMER_FIELDS) == 11
    assert set(SERVICE_FIELDS) == set(COUNTERS + SERVICE_IDS)


def test_documented_example_passes_and_gets_null_mobile_fields():
    customer = validate_customer(dict(DOCUMENTED_EXAMPLE))
    assert customer["mobile_bytes_left"] is None and customer["active_mobile_service_id"] is None
    assert customer["credit_balance"] == 1245


def test_full_object_passes_unchanged():
    assert validate_customer(dict(FULL)) == FULL


def test_unknown_fields_are_allowed_and_kept():
    extra = dict(FULL, country_id=74, active_service_types=["residential"], billing={"city": "Cupertino"})
    assert validate_customer(extra)["billing"] == {"city": "Cupertino"}


@pytest.mark.parametrize("field", COUNTERS + SERVICE_IDS)
def test_service_fields_may_be_null(field):
    assert validate_customer(dict(FULL, **{field: None}))[field] is None


@pytest.mark.parametrize("field", INTEGER_FIELDS + STRING_FIELDS)
def test_account_fields_may_not_be_null(field):
    error = errors_of(dict(FULL, **{field: None}))
    assert "$.%s must be" % field in error.message and "found null" in error.message


@pytest.mark.parametrize("field", INTEGER_FIELDS + STRING_FIELDS)
def test_each_required_field_missing_is_named(field):
    customer = dict(FULL)
    del customer[field]
    error = errors_of(customer)
    assert "$.%s is missing" % field in error.message
    assert error.details["errors"] == [{"path": "$.%s" % field, "expected": "a required field", "found": "nothing"}]


@pytest.mark.parametrize("field", INTEGER_FIELDS + COUNTERS)
@pytest.mark.parametrize("bad, found", [("1245", 'string "1245"'), (True, "boolean true"), (12.5, "number 12.5"),
                                        ([1], "array [1]"), ({"a": 1}, 'object {"a": 1}')])
def test_integer_fields_reject_other_types(field, bad, found):
    error = errors_of(dict(FULL, **{field: bad}))
    assert "$.%s must be integer" % field in error.message
    assert "found %s" % found in error.message


@pytest.mark.parametrize("field", STRING_FIELDS + SERVICE_IDS)
@pytest.mark.parametrize("bad", [1955, False, ["x"]])
def test_string_fields_reject_other_types(field, bad):
    assert "$.%s must be string" % field in errors_of(dict(FULL, **{field: bad})).message


@pytest.mark.parametrize("field", COUNTERS + ["proxy_count", "customer_proxy_user_limit"])
def test_counts_may_not_be_negative(field):
    assert "$.%s must be >= 0, found -1" % field in errors_of(dict(FULL, **{field: -1})).message


def test_negative_credit_is_valid_because_accounts_can_owe():
    assert validate_customer(dict(FULL, credit_balance=-500))["credit_balance"] == -500


def test_every_failing_path_is_named_in_one_sentence():
    error = errors_of(dict(FULL, credit_balance="12", mobile_bytes_left=True, customer_id=None))
    assert error.message == (
        "The Byteful API returned a Customer object that does not match the expected schema "
        "($.credit_balance must be integer, found string \"12\"; $.customer_id must be integer, found null; "
        "$.mobile_bytes_left must be integer or null, found boolean true), request id req_7; the API may have "
        "changed, so please report this to byteful.proxy.")
    assert [e["path"] for e in error.details["errors"]] == ["$.credit_balance", "$.customer_id", "$.mobile_bytes_left"]


@pytest.mark.parametrize("data, found", [(None, "null"), ([FULL], "array"), ("customer", "string")])
def test_data_that_is_not_an_object(data, found):
    assert "$ must be object, found %s" % found in errors_of(data).message


def test_long_values_are_shortened_in_messages():
    error = errors_of(dict(FULL, proxy_count="x" * 500))
    assert "x" * 100 not in error.message and "..." in error.message
