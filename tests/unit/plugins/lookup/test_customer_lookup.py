# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The customer lookup against the simulator: terms, options, cache, errors."""

from __future__ import annotations

import json

import pytest

from ansible.errors import AnsibleLookupError
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader
from ansible.template import Templar, trust_as_template

from ansible_collections.byteful.proxy.plugins.lookup import customer as customer_lookup
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY, HEALTHY_CUSTOMER
from ansible_collections.byteful.proxy.tests.unit.plugins.hostile import key_forms, never_whole


@pytest.fixture
def lookup(tmp_path, monkeypatch):
    # The run cache lives in the run's temp dir; give each test its own.
    monkeypatch.setattr("ansible.constants.DEFAULT_LOCAL_TMP", str(tmp_path))
    # As in a play: the lookup templates the variables that set its options.
    loader = DataLoader()
    return lookup_loader.get("byteful.proxy.customer", loader=loader, templar=Templar(loader=loader))


def variables(sim, public_key="healthy", **extra):
    return dict(byteful_api_url=sim.base_url, byteful_api_public_key=public_key,
                byteful_api_private_key=DEFAULT_PRIVATE_KEY, **extra)


def test_whole_object_and_fields(sim, lookup):
    (customer,) = lookup.run([], variables(sim))
    assert customer["customer_id"] == 1955
    assert lookup.run(["credit_balance", "mobile_bytes_left"], variables(sim)) == [250000, 5368709120]


def test_null_fields_of_an_account_without_mobile(sim, lookup):
    assert lookup.run(["mobile_bytes_left", "active_mobile_service_id"], variables(sim, "no_mobile")) == [None, None]


def test_unknown_field_lists_valid_names(sim, lookup):
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run(["credit"], variables(sim))
    message = str(info.value)
    assert message.startswith("The Byteful customer has no field named 'credit' (did you mean 'credit_balance'?); valid "
                              "names are active_mobile_service_id, ")
    assert " credit_balance, " in message and message.endswith(" residential_bytes_left.")


def test_unknown_field_without_a_close_name(sim, lookup):
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run(["zzz"], variables(sim))
    assert str(info.value).startswith("The Byteful customer has no field named 'zzz'; valid names are ")


def test_cache_makes_one_call_per_account(sim, lookup):
    sim.reset()
    for dummy in range(5):
        lookup.run(["credit_balance"], variables(sim))
    lookup.run(["credit_balance"], variables(sim, "low_credit"))
    assert sim.stats()["by_account"] == {"healthy": 1, "low_credit": 1}


def test_cache_false_asks_every_time(sim, lookup):
    sim.reset()
    for dummy in range(3):
        lookup.run([], variables(sim), cache=False)
    assert sim.stats()["requests"] == 3


def test_keyword_arguments_win_over_variables(sim, lookup):
    assert lookup.run(["credit_balance"], variables(sim), api_public_key="low_credit") == [12]


def test_errors_are_one_sentence_without_the_key(sim, lookup):
    wrong = "wrong-private-key-that-must-not-leak"
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run([], dict(variables(sim), byteful_api_private_key=wrong))
    message = str(info.value)
    assert "failed with HTTP 401 (Unauthorized: Invalid API key or secret; request id" in message
    assert wrong not in message and info.value.__cause__ is None


def test_missing_key_names_the_variable(sim, lookup, monkeypatch):
    monkeypatch.delenv("BYTEFUL_API_PRIVATE_KEY", raising=False)
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run([], dict(byteful_api_url=sim.base_url, byteful_api_public_key="healthy"))
    assert str(info.value) == (
        "byteful_api_private_key is not set; set it in the play's variables, the lookup's keywords (api_public_key=..., "
        "api_private_key=...) or in the BYTEFUL_API_PRIVATE_KEY environment variable.")


def test_no_keys_at_all_names_both(sim, lookup, monkeypatch):
    monkeypatch.delenv("BYTEFUL_API_PRIVATE_KEY", raising=False)
    monkeypatch.delenv("BYTEFUL_API_PUBLIC_KEY", raising=False)
    with pytest.raises(AnsibleLookupError, match="^byteful_api_public_key and byteful_api_private_key are not set; "):
        lookup.run([], dict(byteful_api_url=sim.base_url))


@pytest.mark.parametrize("source, names", [
    ("variables", "check byteful_api_public_key and byteful_api_private_key."),
    ("keywords", "check the lookup's api_public_key keyword and the lookup's api_private_key keyword."),
    ("environment", "check BYTEFUL_API_PUBLIC_KEY and BYTEFUL_API_PRIVATE_KEY."),
])
def test_a_rejected_key_is_named_where_the_user_set_it(sim, lookup, monkeypatch, source, names):
    keys = {"api_public_key": "healthy", "api_private_key": "wrong-key"}
    if source == "environment":
        monkeypatch.setenv("BYTEFUL_API_PUBLIC_KEY", "healthy")
        monkeypatch.setenv("BYTEFUL_API_PRIVATE_KEY", "wrong-key")
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run([], dict({"byteful_api_url": sim.base_url}, **(
            {"byteful_" + name: value for name, value in keys.items()} if source == "variables" else {})),
            **(keys if source == "keywords" else {}))
    assert str(info.value).endswith(names)


def test_terms_that_are_not_names_fail_before_any_call(sim, lookup):
    sim.reset()
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run(["credit_balance", ["mobile_bytes_left"], {"a": 1}], variables(sim))
    assert str(info.value) == ("The byteful.proxy.customer lookup takes field names as terms, but got a list, a dict; name "
                               "each field as a string, for example 'credit_balance'.")
    assert sim.stats()["requests"] == 0


@pytest.mark.parametrize("options, words", [
    # Named as the user set them: here, keywords of the lookup.
    ({"timeout": 0}, "the lookup's timeout keyword must be a positive number of seconds, at most 3600, got 0.0."),
    ({"retries": -1}, "the lookup's retries keyword must be 0 or more, got -1."),
    ({"api_url": "api.byteful.com/1.0"}, "the lookup's api_url keyword 'api.byteful.com/1.0' is not an absolute http(s) URL"),
    ({"api_url": "http://192.0.2.10/1.0"}, "uses plain http to 192.0.2.10, which would send the private key in clear text"),
    ({"api_private_key": ""}, "api_private_key is not set"),
    ({"api_public_key": ""}, "api_public_key is not set"),
])
def test_bad_options_are_one_sentence(sim, lookup, monkeypatch, options, words):
    monkeypatch.delenv("BYTEFUL_API_PRIVATE_KEY", raising=False)
    monkeypatch.delenv("BYTEFUL_API_PUBLIC_KEY", raising=False)
    sim.reset()
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run([], variables(sim), **options)
    assert words in str(info.value) and "\n" not in str(info.value)
    assert DEFAULT_PRIVATE_KEY not in str(info.value)
    assert sim.stats()["requests"] == 0


@pytest.mark.parametrize("keywords, extra, words", [
    ({"timeout": "soon"}, {}, "the lookup's timeout keyword must be a number, got 'soon'."),
    ({"retries": "many"}, {}, "the lookup's retries keyword must be a whole number, got 'many'."),
    ({"cache_ttl": "x"}, {}, "the lookup's cache_ttl keyword must be a whole number, got 'x'."),
    ({"validate_certs": "flase"}, {}, "the lookup's validate_certs keyword must be true or false, got 'flase'."),
    ({}, {"byteful_retries": 2.5}, "byteful_retries must be a whole number, got 2.5."),
    ({}, {"byteful_rate_limit_wait": "a while"}, "byteful_rate_limit_wait must be a number, got 'a while'."),
    ({}, {"byteful_cache": "yes please"}, "byteful_cache must be true or false, got 'yes please'."),
    ({}, {"byteful_allow_insecure_http": 2}, "byteful_allow_insecure_http must be true or false, got 2."),
    ({}, {"byteful_api_url": ["https://api.byteful.com/1.0"]}, "byteful_api_url must be text, got a list."),
    ({}, {"byteful_api_private_key": {"vault": "x"}}, "byteful_api_private_key must be text, got a dict."),
])
def test_wrong_option_types_are_one_sentence_naming_what_the_user_set(sim, lookup, keywords, extra, words):
    # Stricter than Ansible's own conversion, which names the option, not the variable, and reads
    # any word it does not know as false.
    sim.reset()
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run([], dict(variables(sim), **extra), **keywords)
    assert str(info.value) == words and info.value.__cause__ is None
    assert sim.stats()["requests"] == 0


@pytest.mark.parametrize("value, warned", [(True, False), ("yes", False), ("on", False), (1, False),
                                           (False, True), ("no", True), ("0", True), ("off", True)])
def test_every_spelling_of_a_boolean_ansible_knows_still_works(tls_sim, lookup, monkeypatch, value, warned):
    simulator, cert_file = tls_sim
    shown = []
    monkeypatch.setattr(customer_lookup.display, "warning", shown.append)
    assert lookup.run(["customer_id"], variables(simulator, byteful_validate_certs=value, byteful_ca_path=cert_file)) == [1955]
    assert bool(shown) is warned


def test_self_signed_server_fails_by_default(tls_sim, lookup):
    simulator, dummy = tls_sim
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run([], variables(simulator))
    assert "could not be verified (certificate verify failed: self-signed certificate); set byteful_ca_path" in str(info.value)


def test_self_signed_server_passes_with_ca_path(tls_sim, lookup, monkeypatch):
    simulator, cert_file = tls_sim
    shown = []
    monkeypatch.setattr(customer_lookup.display, "warning", shown.append)
    assert lookup.run(["customer_id"], variables(simulator, byteful_ca_path=cert_file)) == [1955]
    assert shown == []


def test_validate_certs_false_passes_with_a_warning(tls_sim, lookup, monkeypatch):
    simulator, dummy = tls_sim
    shown = []
    monkeypatch.setattr(customer_lookup.display, "warning", shown.append)
    assert lookup.run(["customer_id"], variables(simulator, byteful_validate_certs=False)) == [1955]
    # Named as the user set them: the variable byteful_validate_certs, and byteful_ca_path to set instead.
    assert shown == ["byteful_validate_certs is false, so the TLS certificate of 127.0.0.1 is not verified and whoever answers "
                     "in its place receives the private key; set byteful_ca_path to the CA that signed it instead, or keep this "
                     "to a test server."]


def test_a_string_that_is_no_boolean_never_turns_verification_off(tls_sim, lookup):
    # Ansible reads a lookup's unknown boolean strings ("maybe", a typo of "true") as false; the
    # collection refuses them before any request, naming the variable.
    simulator, dummy = tls_sim
    simulator.reset()
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run(["customer_id"], variables(simulator, byteful_validate_certs="maybe"))
    assert str(info.value) == "byteful_validate_certs must be true or false, got 'maybe'."
    assert simulator.stats()["requests"] == 0


def test_loading_the_lookup_imports_neither_requests_nor_jsonschema():
    # Every host's worker process loads the lookup afresh; answers from the run cache must not
    # pay for the HTTP and schema libraries (see docs/performance.md).
    import os
    import subprocess
    import sys

    code = ("import sys; import ansible_collections.byteful.proxy.plugins.lookup.customer as lookup; "
            "print(sorted(m for m in ('requests', 'urllib3', 'jsonschema') if m in sys.modules), "
            "lookup.HAS_REQUESTS, lookup.HAS_JSONSCHEMA)")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[] True True"


# -- issue 10: hostile answers and odd keys, through the lookup ---------------------------------

def deep_body(depth=900):
    data = json.dumps(HEALTHY_CUSTOMER)[:-1] + ', "nested": ' + "[" * depth + "]" * depth + "}"
    return '{"data": %s, "message": "Customer successfully retrieved."}' % data


def test_a_member_nested_900_deep_is_left_out_and_the_rest_templates(sim, lookup, monkeypatch):
    sim.set_account("deep_lookup", faults=[{"status": 200, "body": deep_body()}])
    shown = []
    monkeypatch.setattr(customer_lookup.display, "warning", shown.append)
    customer = lookup.run([], variables(sim, "deep_lookup"))[0]
    assert "nested" not in customer and customer["customer_id"] == 1955
    assert shown == ["The Byteful API's answer has a member 'nested' nested more than 32 levels deep, which no Byteful "
                     "field is; it is left out of the result."]
    # From the run cache, in a template, as the role and a playbook use it.
    loader = DataLoader()
    templar = Templar(loader=loader, variables=variables(sim, "deep_lookup"))
    rendered = templar.template(trust_as_template("{{ lookup('byteful.proxy.customer') | to_json }}"))
    assert json.loads(rendered) == customer


@pytest.mark.parametrize("character, kind", [("\ufeff", "a byte-order mark"), ("\u201c", "a smart quote"),
                                             ("\u0441", "a non-ASCII letter")])
def test_a_non_ascii_character_in_the_key_is_one_sentence(sim, lookup, character, kind):
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run(["customer_id"], dict(variables(sim), byteful_api_private_key=DEFAULT_PRIVATE_KEY[:3] + character
                                         + DEFAULT_PRIVATE_KEY[3:]))
    assert str(info.value).startswith("byteful_api_private_key contains %s at character 4 of %d;" % (kind, len(DEFAULT_PRIVATE_KEY) + 1))
    assert DEFAULT_PRIVATE_KEY[3:] not in str(info.value) and character not in str(info.value)


def test_a_key_echoed_by_the_api_never_reaches_the_cache(sim, lookup, tmp_path):
    sim.set_account("echo_lookup", faults=[{"status": 401, "body": {
        "error": DEFAULT_PRIVATE_KEY, "message": "sent " + DEFAULT_PRIVATE_KEY, "api_request_id": DEFAULT_PRIVATE_KEY}}])
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run([], variables(sim, "echo_lookup"))
    assert DEFAULT_PRIVATE_KEY not in str(info.value)
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert files and all(DEFAULT_PRIVATE_KEY not in path.read_text(encoding="utf-8") for path in files)


# -- a hostile server (issue 17): the key in any disguise, in the answer, the error and the cache

FORMS = key_forms()


def test_a_disguised_key_never_comes_back_whole_nor_reaches_the_cache(sim, lookup, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(customer_lookup.display, "warning", shown.append)
    for number, (form, key) in enumerate(FORMS.items()):
        account = "lookup-disguised-%d" % number
        sim.set_account(account, customer=dict(HEALTHY_CUSTOMER, customer_first_name="I am %s." % key,
                                               **{"note %s" % key: [key]}))
        (customer,) = lookup.run([], variables(sim, account))
        assert customer["customer_first_name"].startswith("I am ********"), form
        # Read again from the run cache, then an error answer echoing the key the same way.
        assert lookup.run(["customer_first_name"], variables(sim, account)) == [customer["customer_first_name"]], form
        sim.set_account(account + "-error", faults=[{"status": 401, "body": {
            "error": key, "message": "sent " + key, "api_request_id": key}}])
        with pytest.raises(AnsibleLookupError) as info:
            lookup.run([], variables(sim, account + "-error"))
        never_whole(customer, str(info.value), shown)
    files = [path.read_text(encoding="utf-8", errors="replace") for path in tmp_path.rglob("*") if path.is_file()]
    assert len(files) >= len(FORMS)
    never_whole(files)


def test_garbage_in_the_customer_fails_the_lookup_with_one_sentence(sim, lookup):
    body = '{"data": {"customer_id": 1955, "credit_balance": 99999999, "credit_balance": 100}}'
    sim.set_account("lookup-duplicate", faults=[{"status": 200, "body": body, "content_type": "application/json"}])
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run(["credit_balance"], variables(sim, "lookup-duplicate"))
    message = str(info.value)
    assert "returned HTTP 200 with a JSON object that has the member 'credit_balance' twice; check that " in message
    assert message.endswith("api_url is the Byteful API root.") and len(message.splitlines()) == 1


def test_a_misspelt_option_is_refused_before_any_call(sim, lookup):
    sim.reset()
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run([], variables(sim), chache=False)
    assert str(info.value) == ("The byteful.proxy.customer lookup has no option chache (did you mean cache?); a misspelt option "
                               "would be ignored, so fix the name (ansible-doc -t lookup byteful.proxy.customer lists the "
                               "options).")
    assert sim.stats()["requests"] == 0
