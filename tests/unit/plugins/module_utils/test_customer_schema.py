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
    OPTIONAL_FIELDS,
    validate_customer,
)

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")

# The example response of the Byteful documentation, verbatim (it has no mobile fields).
DOCUMENTED_EXAMPLE = {
    "customer_id": 1955, "customer_email_address": "steve.jobs@apple.com", "customer_first_name": "Steve",
    "customer_last_name": "Jobs", "credit_balance": 1245, "customer_proxy_user_limit": 5, "proxy_count": 100,
    "residential_bytes_left": 10737418240, "active_residential_service_id": "1955-8012-871",
}
FULL = dict(DOCUMENTED_EXAMPLE, mobile_bytes_left=5368709120, active_mobile_service_id="1955-8013-112",
            active_residential_service_subscription_is_paused=False, active_mobile_service_is_paused=False)
# The API reference's example for the same route: profile fields only, no credit, counters or
# services (see the community client's Customer for the live names and formats).
API_REFERENCE_EXAMPLE = {
    "customer_id": 1955, "customer_email_address": "steve.jobs@apple.com", "country_id": "us",
    "country_id_billing": "us", "customer_billing_name": "Steve Jobs", "customer_creation_datetime": "2024-01-15 09:30:00",
    "customer_last_login_datetime": "2026-11-20 18:02:11", "customer_discord_id": None,
    "customer_email_two_factor_authentication": True, "customer_iso_language_code": "en", "customer_kyc_level": 1,
    "customer_phone_number": None, "customer_proxy_user_limit": 5, "customer_requires_information_confirm": False,
    "customer_requires_password_change": False, "active_service_types": [],
}

INTEGER_FIELDS = ["customer_id", "credit_balance", "customer_proxy_user_limit", "proxy_count"]
STRING_FIELDS = ["customer_email_address", "customer_first_name", "customer_last_name"]
COUNTERS = ["residential_bytes_left", "mobile_bytes_left"]
SERVICE_IDS = ["active_residential_service_id", "active_mobile_service_id"]
PAUSED_FLAGS = ["active_residential_service_subscription_is_paused", "active_mobile_service_is_paused"]


def errors_of(customer):
    with pytest.raises(BytefulError) as info:
        validate_customer(customer, request_id="req_7")
    return info.value


def test_published_schema_file_is_the_one_the_code_uses():
    with open(os.path.join(ROOT, "docs", "customer.schema.json"), encoding="utf-8") as handle:
        assert json.load(handle) == CUSTOMER_SCHEMA


def test_schema_documents_the_eleven_fields_and_the_paused_flags():
    assert set(CUSTOMER_FIELDS) == set(INTEGER_FIELDS + STRING_FIELDS + COUNTERS + SERVICE_IDS + PAUSED_FLAGS)
    assert set(OPTIONAL_FIELDS) == set(CUSTOMER_FIELDS) - {"customer_id"}


def test_only_customer_id_is_required_and_the_description_says_why():
    assert CUSTOMER_SCHEMA["required"] == ["customer_id"]
    assert "Only customer_id is required" in CUSTOMER_SCHEMA["description"]
    assert not any("minimum" in rule or "maximum" in rule for rule in CUSTOMER_SCHEMA["properties"].values())


def test_documented_example_passes_and_gets_null_mobile_fields():
    customer = validate_customer(dict(DOCUMENTED_EXAMPLE))
    assert customer["mobile_bytes_left"] is None and customer["active_mobile_service_id"] is None
    assert customer["active_mobile_service_is_paused"] is None
    assert customer["credit_balance"] == 1245


def test_api_reference_example_without_credit_or_counters_passes():
    customer = validate_customer(dict(API_REFERENCE_EXAMPLE))
    assert [customer[field] for field in OPTIONAL_FIELDS if field not in API_REFERENCE_EXAMPLE] == (
        [None] * len([field for field in OPTIONAL_FIELDS if field not in API_REFERENCE_EXAMPLE]))
    assert customer["credit_balance"] is None and customer["customer_first_name"] is None
    assert customer["customer_kyc_level"] == 1 and customer["country_id"] == "us"


def test_customer_id_alone_is_a_customer_with_every_other_field_null():
    customer = validate_customer({"customer_id": 7})
    assert customer == dict({field: None for field in OPTIONAL_FIELDS}, customer_id=7)


def test_full_object_passes_unchanged():
    assert validate_customer(dict(FULL)) == FULL


def test_unknown_fields_are_allowed_and_kept():
    extra = dict(FULL, country_id=74, active_service_types=["residential"], billing={"city": "Cupertino"})
    assert validate_customer(extra)["billing"] == {"city": "Cupertino"}


@pytest.mark.parametrize("field", sorted(set(CUSTOMER_SCHEMA["properties"]) - {"customer_id"}))
def test_every_field_but_customer_id_may_be_null(field):
    assert validate_customer(dict(FULL, **{field: None}))[field] is None


@pytest.mark.parametrize("field", sorted(set(CUSTOMER_SCHEMA["properties"]) - {"customer_id"}))
def test_every_field_but_customer_id_may_be_absent_and_reads_as_null(field):
    customer = dict(FULL)
    del customer[field]
    validated = validate_customer(customer)
    assert field in validated and validated[field] is None


def test_customer_id_may_not_be_null():
    error = errors_of(dict(FULL, customer_id=None))
    assert "$.customer_id must be integer, found null" in error.message


def test_customer_id_missing_is_named():
    customer = dict(FULL)
    del customer["customer_id"]
    error = errors_of(customer)
    assert "$.customer_id is missing" in error.message
    assert error.details["errors"] == [{"path": "$.customer_id", "expected": "a required field", "found": "nothing"}]


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


@pytest.mark.parametrize("field", PAUSED_FLAGS)
@pytest.mark.parametrize("bad, found", [(1, "integer 1"), ("true", 'string "true"'), ([True], "array [true]")])
def test_paused_flags_reject_other_types(field, bad, found):
    assert "$.%s must be boolean or null, found %s" % (field, found) in errors_of(dict(FULL, **{field: bad})).message


@pytest.mark.parametrize("field", PAUSED_FLAGS)
def test_paused_flags_are_kept(field):
    assert validate_customer(dict(FULL, **{field: True}))[field] is True


@pytest.mark.parametrize("field", COUNTERS + ["credit_balance", "proxy_count", "customer_proxy_user_limit"])
def test_negative_numbers_are_valid_because_accounts_owe_and_overdraw(field):
    assert validate_customer(dict(FULL, **{field: -1048576}))[field] == -1048576


def test_every_failing_path_is_named_in_one_sentence():
    error = errors_of(dict(FULL, credit_balance="12", mobile_bytes_left=True, customer_id=None))
    assert error.message == (
        "The Byteful API returned a Customer object that does not match the expected schema "
        "($.credit_balance must be integer or null, found string \"12\"; $.customer_id must be integer, found null; "
        "$.mobile_bytes_left must be integer or null, found boolean true), request id req_7; the API may have "
        "changed, so please report this to byteful.proxy.")
    assert [e["path"] for e in error.details["errors"]] == ["$.credit_balance", "$.customer_id", "$.mobile_bytes_left"]


@pytest.mark.parametrize("data, found", [(None, "null"), ([FULL], "array"), ("customer", "string")])
def test_data_that_is_not_an_object(data, found):
    assert "$ must be object, found %s" % found in errors_of(data).message


def test_long_values_are_shortened_in_messages():
    error = errors_of(dict(FULL, proxy_count="x" * 500))
    assert "x" * 100 not in error.message and "..." in error.message
