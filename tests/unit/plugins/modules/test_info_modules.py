# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""service_info, usage_info, proxy_user_info and checkout_quote in-process against the simulator.

The option handling above all: each mistake fails with one sentence before any request. The
results on the simulator's accounts are the integration targets' (tests/integration/targets/<module>).
"""

from __future__ import annotations

import itertools
import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.byteful.proxy.plugins.modules import checkout_quote, proxy_user_info, service_info, usage_info
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY
from ansible_collections.byteful.proxy.tests.unit.plugins.hostile import key_forms, never_whole

MODULES = {"service_info": service_info, "usage_info": usage_info, "proxy_user_info": proxy_user_info,
           "checkout_quote": checkout_quote}
# The least each module needs to run.
MINIMAL = {"service_info": {}, "usage_info": {"product": "residential"}, "proxy_user_info": {},
           "checkout_quote": {"product_code": "isp_us", "quantity": 2, "cycle": "1:month"}}


def run_module(capsys, name, **args):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            MODULES[name].main()
    return json.loads(capsys.readouterr().out)


OMIT = object()  # an option left out of the task (an explicit None would count as given)


def run_on(sim, capsys, name, public_key="healthy", **args):
    options = dict(api_url=sim.base_url, api_public_key=public_key, api_private_key=DEFAULT_PRIVATE_KEY, retries=0, timeout=5)
    options.update(MINIMAL[name])
    options.update(args)
    return run_module(capsys, name, **{option: value for option, value in options.items() if value is not OMIT})


def warning_texts(result):
    # ansible-core 2.19 returns each warning as a structured summary; older ones as text.
    return [w if isinstance(w, str) else w["event"]["msg"] for w in result.get("warnings", [])]


@pytest.mark.parametrize("name, key", [("service_info", "services"), ("usage_info", "usage"),
                                       ("proxy_user_info", "proxy_users"), ("checkout_quote", "quote")])
@pytest.mark.parametrize("check_mode", [False, True])
def test_reads_never_change(sim, capsys, name, key, check_mode):
    result = run_on(sim, capsys, name, _ansible_check_mode=check_mode)
    assert "failed" not in result, result.get("msg")
    assert result["changed"] is False
    assert key in result and "ansible_facts" not in result


@pytest.mark.parametrize("name, args, message", [
    ("service_info", {"expiring_within": "7 days"}, "expiring_within '7 days' is not a duration such as 7d, 36h or 3600"),
    ("service_info", {"expiring_within": "1.5.d"}, "expiring_within '1.5.d' is not a duration"),
    ("service_info", {"status": ["active", "expired"]}, "status must be one or more of"),
    ("usage_info", {"window_days": 0}, "window_days must be a whole number of days from 1 to 90, got 0."),
    ("usage_info", {"window_days": 91}, "window_days must be a whole number of days from 1 to 90, got 91."),
    ("usage_info", {"product": "datacenter"}, "product must be one of: mobile, residential, got: datacenter"),
    ("checkout_quote", {"cycle": "monthly"}, "cycle 'monthly'"),
    ("checkout_quote", {"cycle": "0:month"}, "cycle '0:month'"),
    ("checkout_quote", {"cycle": "1:fortnight"}, "cycle '1:fortnight'"),
    ("checkout_quote", {"product_type": "isp"}, "parameters are mutually exclusive: product_code|product_type"),
    ("checkout_quote", {"product_code": OMIT, "product_type": "isp", "country_id": "us"},
     "parameters are required together: product_type, country_id, protocol"),
    ("checkout_quote", {"product_code": OMIT}, "one of the following is required: product_code, product_type"),
    ("checkout_quote", {"quantity": 0}, "quantity must be a whole number of 1 or more, got 0."),
])
def test_mistakes_fail_before_any_request(sim, capsys, name, args, message):
    sim.reset()
    result = run_on(sim, capsys, name, **args)
    assert result["failed"] is True
    assert message in result["msg"], result["msg"]
    assert len(result["msg"].splitlines()) == 1
    assert sim.stats()["requests"] == 0


def test_expiring_within_takes_seconds_as_a_number(sim, capsys):
    by_number = run_on(sim, capsys, "service_info", status=["active"], expiring_within=7 * 86400)
    by_unit = run_on(sim, capsys, "service_info", status=["active"], expiring_within="1w")
    assert by_number["services"] == by_unit["services"]


def test_invalid_quote_is_returned_with_a_warning(sim, capsys):
    result = run_on(sim, capsys, "checkout_quote", product_code="isp_de", quantity=1)
    assert "failed" not in result and result["changed"] is False
    assert result["quote"]["is_valid"] is False
    reason = result["quote"]["invalid_reason"]
    assert isinstance(reason, str) and reason
    assert [w for w in warning_texts(result) if 'says this purchase cannot be made ("%s")' % reason in w]


def test_valid_quote_gives_no_warning(sim, capsys):
    result = run_on(sim, capsys, "checkout_quote")
    assert result["quote"]["is_valid"] is True and not warning_texts(result)


def test_invalid_reason_reaches_the_terminal_as_plain_text(sim, capsys):
    # A hostile reason: escapes that would clear the screen and print a fake success.
    quote = {"total": 350, "is_valid": False, "invalid_reason": "\x1b[2J\x1b[32mQuote accepted\x1b[0m\r\nbought", "line_items": []}
    sim.set_account("hostile_reason", faults=[{"route": "checkout_quote", "status": 200,
                                               "body": {"data": quote, "message": "Quote generated successfully."}}])
    result = run_on(sim, capsys, "checkout_quote", public_key="hostile_reason")
    warnings = [w for w in warning_texts(result) if "cannot be made" in w]
    assert warnings == ['The Byteful API says this purchase cannot be made ("Quote accepted bought"); the quote is returned '
                        'with is_valid false and nothing was bought.']


def test_a_long_invalid_reason_is_cut_to_one_sentence_s_length(sim, capsys):
    # 1,145 characters, most of them one character repeated: the warning (and the gate) quote at most 200 of them.
    reason = "Out of stock: " + "x" * 1131
    quote = {"total": 350, "is_valid": False, "invalid_reason": reason, "line_items": []}
    sim.set_account("long_reason", faults=[{"route": "checkout_quote", "status": 200,
                                            "body": {"data": quote, "message": "Quote generated successfully."}}])
    result = run_on(sim, capsys, "checkout_quote", public_key="long_reason")
    assert result["quote"]["invalid_reason"] == reason[:197] + "..."
    (warning,) = [w for w in warning_texts(result) if "cannot be made" in w]
    assert warning == ('The Byteful API says this purchase cannot be made ("%s..."); the quote is returned with is_valid '
                       'false and nothing was bought.' % reason[:197])


def test_failure_on_the_endpoint_is_one_sentence_with_details(sim, capsys):
    sim.set_account("ledger_502", faults=[{"route": "residential_ledger_search", "status": 502}])
    result = run_on(sim, capsys, "usage_info", public_key="ledger_502")
    assert result["failed"] is True and len(result["msg"].splitlines()) == 1
    assert "/public/user/residential_ledger/search" in result["msg"] and "HTTP 502" in result["msg"]
    assert result["failure"]["status"] == 502
    assert DEFAULT_PRIVATE_KEY not in json.dumps(result)


# -- a hostile server (issue 17): what the modules return and warn is safe ------------------

FORMS = key_forms()
_ACCOUNTS = itertools.count(1)


def hostile(sim, route, body, status=200):
    """A new simulator account whose ``route`` answers with ``body`` (a dict as JSON, a str as it is)."""
    name = "hostile-module-%s-%d" % (route, next(_ACCOUNTS))
    sim.set_account(name, faults=[{"route": route, "status": status, "body": body, "content_type": "application/json"}])
    return name


def test_a_key_in_invalid_reason_never_reaches_the_warning_whole(sim, capsys):
    # 0.2.0 cleaned the reason for display after redaction, which joined a key split by escapes again.
    for form, key in FORMS.items():
        quote = {"total": 350, "is_valid": False, "invalid_reason": "No stock for %s." % key, "line_items": []}
        account = hostile(sim, "checkout_quote", {"data": quote, "message": "Quote generated successfully."})
        result = run_on(sim, capsys, "checkout_quote", public_key=account)
        assert "failed" not in result and result["quote"]["invalid_reason"].startswith("No stock for ********"), form
        assert [w for w in warning_texts(result) if 'cannot be made ("No stock for ********' in w], form
        never_whole(result)


def test_a_key_in_a_service_or_an_error_never_comes_back_whole(sim, capsys):
    for form, key in FORMS.items():
        service = {"service_id": "S-1", "service_status": "active", "service_name": key, key: key}
        account = hostile(sim, "service_search", {"data": [service], "total_count": 1})
        result = run_on(sim, capsys, "service_info", public_key=account)
        assert result["services"][0]["service_name"] == "********", form
        never_whole(result)
        account = hostile(sim, "proxy_user_search", {"error": key, "message": key}, status=400)
        result = run_on(sim, capsys, "proxy_user_info", public_key=account)
        assert result["failed"] is True and "********" in result["msg"], form
        never_whole(result)


@pytest.mark.parametrize("name, route, body, words", [
    ("usage_info", "residential_ledger_search",
     '{"data": [{"residential_ledger_bytes": 5, "residential_ledger_bytes": 500000000000}], "total_count": 1}',
     "with a JSON object that has the member 'residential_ledger_bytes' twice"),
    ("usage_info", "residential_ledger_search",
     {"data": [{"residential_ledger_reason": "usage", "residential_ledger_bytes": 1.0,
                "residential_ledger_period_date": "2026-01-01"}]},
     "$.residential_ledger[0].residential_ledger_bytes must be integer or null, found number 1.0"),
    ("service_info", "service_search",
     {"data": [{"service_id": "S-1", "service_expiry_datetime": "9999-12-31 23:00:00-05:00"}]},
     "$.services[0].service_expiry_datetime: \"9999-12-31 23:00:00-05:00\" is a datetime whose UTC time is outside"),
    ("checkout_quote", "checkout_quote", {"data": {"total": -5000000}}, "$.total must be 0 or more, found -5000000"),
])
def test_garbage_fails_the_task_with_one_sentence(sim, capsys, name, route, body, words):
    result = run_on(sim, capsys, name, public_key=hostile(sim, route, body))
    assert result["failed"] is True and words in result["msg"] and len(result["msg"].splitlines()) == 1
    assert "Traceback" not in json.dumps(result)


def test_proxy_user_info_counts_when_total_count_0_sits_beside_a_user(sim, capsys):
    user = {"proxy_user_id": "default_1955", "proxy_user_is_default": True, "proxy_user_is_deleted": False}
    result = run_on(sim, capsys, "proxy_user_info", public_key=hostile(
        sim, "proxy_user_search", {"data": [user], "total_count": 0, "per_page": 100}))
    assert "failed" not in result and result["proxy_users"]["count"] == 1
