# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""customer_info end to end against the simulator, in-process."""

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.byteful.proxy.plugins.modules import customer_info
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY, HEALTHY_CUSTOMER


def run_module(capsys, **args):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            customer_info.main()
    return json.loads(capsys.readouterr().out)


def test_returns_the_validated_customer(sim, capsys):
    result = run_module(capsys, api_url=sim.base_url, api_public_key="no_mobile", api_private_key=DEFAULT_PRIVATE_KEY)
    assert result["changed"] is False and "failed" not in result
    assert result["customer"]["customer_id"] == 1955
    assert result["customer"]["mobile_bytes_left"] is None
    assert "ansible_facts" not in result


def test_check_mode_reads_too(sim, capsys):
    result = run_module(capsys, api_url=sim.base_url, api_public_key="healthy", api_private_key=DEFAULT_PRIVATE_KEY,
                        _ansible_check_mode=True)
    assert result["customer"]["credit_balance"] == 250000


def test_environment_fallbacks(sim, capsys, monkeypatch):
    monkeypatch.setenv("BYTEFUL_API_URL", sim.base_url)
    monkeypatch.setenv("BYTEFUL_API_PUBLIC_KEY", "low_credit")
    monkeypatch.setenv("BYTEFUL_API_PRIVATE_KEY", DEFAULT_PRIVATE_KEY)
    assert run_module(capsys)["customer"]["credit_balance"] == 12


def test_failure_is_one_sentence_with_structured_details_and_no_key(sim, capsys):
    wrong = "not-the-key-but-secret-all-the-same"
    result = run_module(capsys, api_url=sim.base_url, api_public_key="healthy", api_private_key=wrong)
    assert result["failed"] is True
    assert result["msg"].startswith("Retrieving the Byteful customer at %s/public/user/customer/retrieve failed with "
                                    "HTTP 401 (Unauthorized: Invalid API key or secret; request id " % sim.base_url)
    assert result["failure"]["status"] == 401 and result["failure"]["error"] == "Unauthorized"
    assert wrong not in json.dumps(result)


def test_schema_failure_names_paths(sim, capsys):
    result = run_module(capsys, api_url=sim.base_url, api_public_key="wrong_types", api_private_key=DEFAULT_PRIVATE_KEY)
    assert "$.credit_balance must be integer or null, found string" in result["msg"]
    assert [e["path"] for e in result["failure"]["errors"]] == ["$.credit_balance", "$.mobile_bytes_left"]


def test_private_key_is_no_log(capsys):
    result = run_module(capsys, api_url="http://127.0.0.1:9/1.0", api_public_key="healthy",
                        api_private_key="a-very-secret-key-0001", retries=0, timeout=30)
    assert result["failed"] is True and "could not be reached" in result["msg"]
    assert "a-very-secret-key-0001" not in json.dumps(result)


def warning_texts(result):
    # ansible-core 2.19 returns each warning as a structured summary; older ones as text.
    return [w if isinstance(w, str) else w["event"]["msg"] for w in result.get("warnings", [])]


# One module run per test: a module's warnings are collected per process, as in a real run.
def test_self_signed_server_fails_by_default(tls_sim, capsys):
    simulator, dummy = tls_sim
    result = run_module(capsys, api_url=simulator.base_url, api_public_key="healthy", api_private_key=DEFAULT_PRIVATE_KEY)
    assert result["failed"] is True
    assert "could not be verified (certificate verify failed: self-signed certificate); set ca_path" in result["msg"]


def test_validate_certs_false_passes_and_warns(tls_sim, capsys):
    simulator, dummy = tls_sim
    result = run_module(capsys, api_url=simulator.base_url, api_public_key="healthy", api_private_key=DEFAULT_PRIVATE_KEY,
                        validate_certs=False)
    assert result["customer"]["customer_id"] == 1955
    assert [w for w in warning_texts(result) if w.startswith("validate_certs is false, so the TLS certificate of 127.0.0.1")]


def test_ca_path_passes_without_warning(tls_sim, capsys):
    simulator, cert_file = tls_sim
    result = run_module(capsys, api_url=simulator.base_url, api_public_key="healthy", api_private_key=DEFAULT_PRIVATE_KEY,
                        ca_path=cert_file)
    assert result["customer"]["customer_id"] == 1955 and not warning_texts(result)


@pytest.mark.parametrize("args, words", [
    (dict(api_url="http://192.0.2.10/1.0"), "uses plain http to 192.0.2.10, which would send the private key in clear text"),
    (dict(timeout=0), "timeout must be a positive number of seconds, at most 3600, got 0.0."),
    (dict(api_url="https://u:p@api.byteful.com/1.0"), "api_url must not hold a user name or password"),
    (dict(api_public_key=""), "api_public_key is not set"),
    (dict(ca_path="/nonexistent/ca.pem", api_url="https://api.byteful.com/1.0"), "ca_path '/nonexistent/ca.pem' does not exist"),
])
def test_bad_options_fail_before_any_request(sim, capsys, args, words):
    sim.reset()
    options = dict(api_url=sim.base_url, api_public_key="healthy", api_private_key=DEFAULT_PRIVATE_KEY)
    options.update(args)
    result = run_module(capsys, **options)
    assert result["failed"] is True and words in result["msg"]
    assert sim.stats()["requests"] == 0


def test_insecure_http_when_allowed_warns(capsys):
    result = run_module(capsys, api_url="http://192.0.2.10:9/1.0", api_public_key="healthy", api_private_key=DEFAULT_PRIVATE_KEY,
                        allow_insecure_http=True, retries=0, timeout=0.5)
    assert result["failed"] is True  # nothing listens there; the point is the warning before the attempt
    assert [w for w in warning_texts(result) if "plain http to 192.0.2.10 because allow_insecure_http is true" in w]


# -- issue 10: hostile answers and odd keys, through the module ---------------------------------

def deep_body(depth=900):
    data = json.dumps(HEALTHY_CUSTOMER)[:-1] + ', "nested": ' + "[" * depth + "]" * depth + "}"
    return '{"data": %s, "message": "Customer successfully retrieved."}' % data


def test_a_member_nested_900_deep_is_left_out_with_one_warning(sim, capsys):
    sim.set_account("deep_module", faults=[{"status": 200, "body": deep_body()}])
    result = run_module(capsys, api_url=sim.base_url, api_public_key="deep_module", api_private_key=DEFAULT_PRIVATE_KEY)
    assert "failed" not in result and result["customer"]["customer_id"] == 1955 and "nested" not in result["customer"]
    assert warning_texts(result) == ["The Byteful API's answer has a member 'nested' nested more than 32 levels deep, which "
                                     "no Byteful field is; it is left out of the result."]


def test_a_byte_order_mark_in_the_key_is_one_sentence(sim, capsys):
    result = run_module(capsys, api_url=sim.base_url, api_public_key="healthy", api_private_key="\ufeff" + DEFAULT_PRIVATE_KEY)
    assert result["failed"] is True
    assert result["msg"] == ("api_private_key contains a byte-order mark at character 1 of %d; API keys are plain ASCII, so "
                             "copy the key again from the Byteful dashboard or remove that character from where it is "
                             "stored." % (len(DEFAULT_PRIVATE_KEY) + 1))
    assert DEFAULT_PRIVATE_KEY not in json.dumps(result)


def test_a_key_echoed_by_the_api_is_not_in_the_failure(sim, capsys):
    sim.set_account("echo_module", faults=[{"status": 401, "body": {
        "error": DEFAULT_PRIVATE_KEY, "message": "sent " + DEFAULT_PRIVATE_KEY, "api_request_id": DEFAULT_PRIVATE_KEY}}])
    result = run_module(capsys, api_url=sim.base_url, api_public_key="echo_module", api_private_key=DEFAULT_PRIVATE_KEY)
    assert result["failed"] is True and DEFAULT_PRIVATE_KEY not in json.dumps(result)
    assert result["failure"]["error"] == "********" and result["failure"]["request_id"] == "********"
