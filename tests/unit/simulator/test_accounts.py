# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The simulator's accounts and faults as data files: live shapes, the new accounts, the title-case errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.error
import urllib.request

import pytest

from ansible_collections.byteful.proxy.tests.simulator import CATALOGUE, DEFAULT_ERRORS, Catalogue, Simulator
from ansible_collections.byteful.proxy.tests.simulator.accounts import DATA_DIR
from ansible_collections.byteful.proxy.tests.simulator.protocol import InvalidRequest

pytestmark = pytest.mark.once  # no ansible-core code in the simulator: see tests/unit/conftest.py

CUSTOMER_PATH = "/public/user/customer/retrieve"

# The live Customer object as the community client byteful-sdk 0.1.0a1 models it (models.py, class
# Customer): its 41 fields by the JSON type the live API sends. Strings unless listed.
INTEGER_FIELDS = {"customer_id", "credit_balance", "customer_kyc_level", "customer_proxy_user_limit",
                  "customer_default_residential_free_trial_bytes", "residential_bytes_left", "mobile_bytes_left", "proxy_count"}
BOOLEAN_FIELDS = {"customer_email_two_factor_authentication", "customer_requires_information_confirm", "customer_requires_password_change",
                  "customer_is_residential_trial_eligible", "free_trial_is_pending", "kyc_is_pending", "active_mobile_service_is_paused",
                  "active_residential_service_subscription_is_paused"}
DATETIME_FIELDS = {"customer_creation_datetime", "customer_last_login_datetime", "customer_last_update_datetime",
                   "customer_general_terms_agreement_datetime"}
COUNTRY_FIELDS = {"country_id", "country_id_billing"}
LIST_FIELDS = {"active_service_types"}
STRING_FIELDS = {"customer_email_address", "customer_first_name", "customer_last_name", "customer_billing_name", "customer_billing_line_one",
                 "customer_billing_line_two", "customer_billing_subdivision_name", "customer_billing_zip_code", "customer_iso_language_code",
                 "customer_phone_number", "customer_profile_image_url", "customer_dob", "customer_discord_id", "customer_discord_oauth_id",
                 "customer_google_oauth_id", "customer_residential_trial_disallow_reason", "active_mobile_service_id",
                 "active_residential_service_id"}
LIVE_FIELDS = INTEGER_FIELDS | BOOLEAN_FIELDS | DATETIME_FIELDS | COUNTRY_FIELDS | LIST_FIELDS | STRING_FIELDS
SERVICE_TYPES = {"datacenter", "isp", "residential", "mobile", "off_catalog"}


def live_type_errors(customer):
    """Where a customer breaks the live types (a null is always allowed: the live API sends some)."""
    errors = []
    for field, value in customer.items():
        if value is None or field not in LIVE_FIELDS:
            continue
        if field in INTEGER_FIELDS:
            good = isinstance(value, int) and not isinstance(value, bool)
        elif field in BOOLEAN_FIELDS:
            good = isinstance(value, bool)
        elif field in DATETIME_FIELDS:
            good = isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", value) is not None
        elif field in COUNTRY_FIELDS:
            good = isinstance(value, str) and re.fullmatch(r"[a-z]{2}", value) is not None
        elif field in LIST_FIELDS:
            good = isinstance(value, list) and all(item in SERVICE_TYPES for item in value)
        else:
            good = isinstance(value, str)
        if not good:
            errors.append(field)
    return errors


def test_there_are_41_live_fields():
    assert len(LIVE_FIELDS) == 41


def test_every_data_file_has_a_one_line_description():
    names = CATALOGUE.account_names + CATALOGUE.fault_names
    files = sorted(name[:-5] for kind in ("accounts", "faults") for name in os.listdir(os.path.join(DATA_DIR, kind)) if name.endswith(".json"))
    assert sorted(names) == files
    for name in names:
        description = CATALOGUE.descriptions[name]
        assert description.strip() and "\n" not in description and len(description) < 200, name


@pytest.mark.parametrize("name", CATALOGUE.account_names)
def test_live_accounts_have_live_types_and_malformed_ones_do_not(name):
    customer = CATALOGUE.customers[name]
    assert isinstance(customer, dict) and "customer_id" in customer
    if CATALOGUE.shapes[name] == "malformed":
        assert live_type_errors(customer), "%s is marked malformed but has live types" % name
    else:
        assert live_type_errors(customer) == [], name
        if name != "extra_fields":
            assert set(customer) <= LIVE_FIELDS, sorted(set(customer) - LIVE_FIELDS)


def test_healthy_is_live_shaped_with_the_values_of_old():
    healthy = CATALOGUE.customers["healthy"]
    assert (healthy["customer_id"], healthy["credit_balance"], healthy["residential_bytes_left"], healthy["mobile_bytes_left"]) == (
        1955, 250000, 10737418240, 5368709120)
    assert (healthy["active_residential_service_id"], healthy["active_mobile_service_id"]) == ("1955-8012-871", "1955-8012-872")
    assert healthy["country_id"] == "us" and healthy["customer_kyc_level"] == 1
    # Unset fields are omitted, as the live API does; one is null, as it sometimes is.
    assert "customer_phone_number" not in healthy and "customer_discord_id" not in healthy
    assert healthy["customer_billing_line_two"] is None
    assert len(healthy) < 41


def test_live_full_has_every_field():
    assert set(CATALOGUE.customers["live_full"]) == LIVE_FIELDS
    assert None not in CATALOGUE.customers["live_full"].values()


def test_extra_fields_uses_real_names_and_adds_unknown_ones():
    extra = CATALOGUE.customers["extra_fields"]
    assert set(extra) - LIVE_FIELDS == {"affiliate_balance", "customer_settings", "kyc_verified_datetime", "mobile_trial_used"}
    assert isinstance(extra["customer_settings"], dict) and extra["country_id"] == "us"


def test_the_new_accounts():
    customers = CATALOGUE.customers
    api_only = customers["api_only"]
    assert api_only["credit_balance"] == 0 and api_only["customer_email_address"]
    assert not {"customer_first_name", "customer_last_name", "residential_bytes_left", "mobile_bytes_left", "active_residential_service_id",
                "active_mobile_service_id"} & set(api_only)
    assert api_only["active_service_types"] == []
    assert customers["null_names"]["customer_first_name"] is None and customers["null_names"]["customer_last_name"] is None
    assert customers["overdrawn_residential"]["residential_bytes_left"] < 0
    assert "credit_balance" not in customers["no_credit_balance"]
    assert customers["paused_residential"]["active_residential_service_subscription_is_paused"] is True
    assert customers["paused_residential"]["active_residential_service_id"]
    assert customers["paused_mobile"]["active_mobile_service_is_paused"] is True and customers["paused_mobile"]["active_mobile_service_id"]
    # Otherwise healthy: each differs from healthy only where it says.
    healthy = customers["healthy"]
    for name, fields in (("null_names", {"customer_first_name", "customer_last_name"}), ("overdrawn_residential", {"residential_bytes_left"}),
                         ("no_credit_balance", {"credit_balance"}), ("paused_mobile", {"active_mobile_service_is_paused"}),
                         ("paused_residential", {"active_residential_service_subscription_is_paused"})):
        changed = {key for key in set(healthy) | set(customers[name]) if healthy.get(key, "absent") != customers[name].get(key, "absent")}
        assert changed == fields, name


def test_fault_accounts_answer_as_their_base_afterwards():
    assert CATALOGUE.then["fault_429_once"] == "healthy"
    account = Catalogue().builtin_accounts()["fault_429_once"]
    assert account["customer"] == CATALOGUE.customers["healthy"] and account["faults"][0]["status"] == 429


def call(sim, account, path=CUSTOMER_PATH):
    request = urllib.request.Request(sim.base_url + path, headers=sim.headers(account))
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read())


@pytest.fixture(name="sim", scope="module")
def sim_fixture():
    with Simulator(rate_limit=False) as simulator:
        yield simulator


@pytest.mark.parametrize("name", CATALOGUE.account_names)
def test_each_account_is_served_as_its_file_says(sim, name):
    status, body = call(sim, name)
    assert status == 200 and body == {"data": CATALOGUE.customers[name], "message": "Customer successfully retrieved."}
    for kind in ("residential", "mobile"):
        status, body = call(sim, name, "/public/user/%s/summary" % kind)
        assert status == 200 and isinstance(body["data"], dict)


def test_omitted_fields_are_absent_not_null(sim):
    _status, body = call(sim, "no_credit_balance")
    assert "credit_balance" not in body["data"]
    _status, body = call(sim, "api_only")
    assert "customer_first_name" not in body["data"]


def test_errors_are_title_case_words():
    assert all(re.fullmatch(r"[A-Z][A-Za-z]*( [A-Z][A-Za-z]*)*", error) for error, _message in DEFAULT_ERRORS.values())
    assert DEFAULT_ERRORS[401][0] == "Unauthorized" and DEFAULT_ERRORS[429][0] == "Too Many Requests"


@pytest.mark.parametrize("name", [name for name in CATALOGUE.fault_names if "status" in CATALOGUE.faults[name][0]
                                  and CATALOGUE.faults[name][0]["status"] >= 400 and "body" not in CATALOGUE.faults[name][0]])
def test_error_faults_send_the_title_case_error(sim, name):
    status, body = call(sim, name)
    assert status == CATALOGUE.faults[name][0]["status"]
    assert body["error"] == DEFAULT_ERRORS[status][0] and body["api_request_id"] and body["message"]


def test_live_two_factor_403(sim):
    status, body = call(sim, "fault_403_2fa_live")
    assert status == 403 and body["error"] == "Forbidden"
    assert body["two_factor_authentication_public_key"] and body["two_factor_authentication_service"] == "email"
    assert re.fullmatch(r"[^@*]\*+@[^@]+", body["two_factor_authentication_target"])
    assert "two_factor_required" not in body
    status, body = call(sim, "fault_403_2fa")
    assert status == 403 and body["two_factor_required"] is True and "two_factor_authentication_public_key" not in body


# -- the data files' own checks ---------------------------------------------------------------


def copy_data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, str(target))
    return target


def write(path, value):
    path.write_text(json.dumps(value), encoding="utf-8")


def test_adding_a_shape_is_adding_a_file(tmp_path):
    data = copy_data(tmp_path)
    write(data / "accounts" / "tiny_credit.json", {"description": "One cent.", "based_on": "healthy", "changes": {"credit_balance": 1}})
    write(data / "faults" / "fault_418.json",
          {"description": "A teapot, then tiny_credit.", "steps": [{"status": 418, "times": 1}], "then": "tiny_credit"})
    catalogue = Catalogue(str(data))
    assert catalogue.customers["tiny_credit"]["credit_balance"] == 1
    assert catalogue.builtin_accounts()["fault_418"]["customer"]["credit_balance"] == 1
    assert ("fault_418", "fault", "A teapot, then tiny_credit.") in catalogue.describe()


@pytest.mark.parametrize("kind, name, content, complaint", [
    ("accounts", "nodesc", {"customer": {"customer_id": 1}}, "one-line description"),
    ("accounts", "twolines", {"description": "a\nb", "customer": {"customer_id": 1}}, "one-line description"),
    ("accounts", "orphan", {"description": "x", "based_on": "nobody"}, "names no account"),
    ("accounts", "both", {"description": "x", "based_on": "healthy", "customer": {}}, "either customer or based_on"),
    ("accounts", "typo", {"description": "x", "based_on": "healthy", "chagnes": {}}, "unknown keys: chagnes"),
    ("accounts", "ghost", {"description": "x", "based_on": "healthy", "omit": ["no_such_field"]}, "omits no_such_field"),
    ("faults", "fault_bad", {"description": "x", "steps": [{"status": 999}]}, "faults/fault_bad.json: faults[0].status"),
    ("faults", "fault_empty", {"description": "x", "steps": []}, "steps must not be empty"),
    ("faults", "fault_then", {"description": "x", "steps": [{"status": 500}], "then": "nobody"}, "then names no account"),
    ("faults", "healthy", {"description": "x", "steps": [{"status": 500}]}, "both an account and a fault"),
])
def test_bad_data_files_are_refused_with_the_file_named(tmp_path, kind, name, content, complaint):
    data = copy_data(tmp_path)
    write(data / kind / (name + ".json"), content)
    with pytest.raises(InvalidRequest) as caught:
        Catalogue(str(data))
    assert complaint in str(caught.value)
