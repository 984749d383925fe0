# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""preflight_check and the preflight role's check, in-process against the simulator: no silent
disarming (the switch, misspelt settings), the user's names in every message, units, scope, and
what a failed task holds."""

from __future__ import annotations

import os

import pytest

from ansible.inventory.manager import InventoryManager
from ansible.module_utils.parsing.convert_bool import BOOLEANS_FALSE, BOOLEANS_TRUE
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play import Play
from ansible.vars.manager import VariableManager

from ansible_collections.byteful.proxy.plugins.action.preflight_check import ARGUMENT_SPEC
from ansible_collections.byteful.proxy.plugins.module_utils._api import CONNECTION_OPTIONS
from ansible_collections.byteful.proxy.plugins.plugin_utils import _account
from ansible_collections.byteful.proxy.tests.simulator import CATALOGUE
from ansible_collections.byteful.proxy.tests.unit.plugins.action.preflight_harness import keys, run_module, run_role

DATA = os.path.join(os.path.dirname(__file__), "data")


@pytest.fixture(autouse=True)
def run_cache(tmp_path, monkeypatch):
    # The run cache lives in the run's temp dir; each test its own, so that each counts its requests.
    monkeypatch.setattr("ansible.constants.DEFAULT_LOCAL_TMP", str(tmp_path))


# -- the switch: strictly a boolean -------------------------------------------------------------

@pytest.mark.parametrize("value", ["ture", "flase", 2, "yes please", "", "disabled", 0.5])
def test_a_switch_that_is_no_boolean_fails_in_one_sentence_and_never_skips(sim, value):
    sim.reset()
    result = run_role(dict(keys(sim), byteful_preflight_enabled=value, byteful_preflight_min_credit_balance="$10"))
    assert result.get("failed") and not result.get("skipped")
    assert result["msg"] == "byteful_preflight_enabled must be true or false, got %r." % (value,)
    assert sim.stats()["requests"] == 0


@pytest.mark.parametrize("value", sorted(BOOLEANS_FALSE, key=str) + ["False", " NO ", "Off"])
def test_every_spelling_of_false_skips_without_a_request(sim, value):
    sim.reset()
    result = run_role(dict(keys(sim), byteful_preflight_enabled=value, byteful_preflight_min_credit_balance=10 ** 9))
    assert result.get("skipped") and not result.get("failed")
    assert sim.stats()["requests"] == 0


@pytest.mark.parametrize("value", sorted(BOOLEANS_TRUE, key=str) + ["True", " Yes "])
def test_every_spelling_of_true_runs_the_gate(sim, value):
    result = run_role(dict(keys(sim), byteful_preflight_enabled=value, byteful_preflight_min_credit_balance=10 ** 9))
    assert result.get("failed") and result["msg"].startswith("Preflight failed for Byteful account 1955: credit balance")


def test_the_module_reads_its_switch_strictly_too(sim):
    assert run_module({"enabled": "ture"}, keys(sim))["msg"] == "enabled must be true or false, got 'ture'."
    assert run_module({"enabled": False}, keys(sim))["skipped"] is True


@pytest.mark.parametrize("variable, option", [("byteful_preflight_fail", "fail_on_shortfall"),
                                              ("byteful_preflight_require_mobile_service", "require_mobile_service"),
                                              ("byteful_preflight_require_residential_service", "require_residential_service")])
def test_every_switch_is_strict_and_named_as_the_user_set_it(sim, variable, option):
    assert run_role(dict(keys(sim), **{variable: "ture"}))["msg"] == "%s must be true or false, got 'ture'." % variable
    assert run_module({option: "yes please"}, keys(sim))["msg"] == "%s must be true or false, got 'yes please'." % option


# -- misspelt settings: refused before any request -----------------------------------------------

@pytest.mark.parametrize("typo, meant", [
    ("byteful_prefligt_min_credit_balance", "byteful_preflight_min_credit_balance"),
    ("bytefull_preflight_min_credit_balance", "byteful_preflight_min_credit_balance"),
    ("byteful_min_credit_balance", "byteful_preflight_min_credit_balance"),
    ("preflight_min_credit_balance", "byteful_preflight_min_credit_balance"),
    ("byteful_preflight_min_credit_balanse", "byteful_preflight_min_credit_balance"),
    ("BYTEFUL_PREFLIGHT_MIN_CREDIT_BALANCE", "byteful_preflight_min_credit_balance"),
    ("byteful_preflight_enabeld", "byteful_preflight_enabled"),
    ("byteful_preflight_timeout", "byteful_timeout"),
    ("byteful_api_min_credit_balance", "byteful_preflight_min_credit_balance"),
    ("byteful_timout", "byteful_timeout"),
    ("bytefull_api_private_key", "byteful_api_private_key"),
    ("byteful_private_key", "byteful_api_private_key"),
    ("byteful_preflight_fail_on_service_states", "byteful_preflight_fail_on_service_status"),
    ("byteful_preflight_service_type", "byteful_preflight_service_types"),
    ("byteful_min_residential_days", "byteful_preflight_min_residential_days"),
])
def test_a_misspelt_setting_fails_before_any_request_with_the_real_name(sim, typo, meant):
    sim.reset()
    result = run_role(dict(keys(sim), **{typo: 100000}))
    assert result["failed"] is True
    assert result["msg"] == (
        "The play sets %s (did you mean %s?), which byteful.proxy.preflight does not read; a misspelt setting would leave "
        "its check off, so fix the name or remove the variable (ansible-doc -t role byteful.proxy.preflight lists them)."
        % (typo, meant))
    assert sim.stats()["requests"] == 0


def inventory_task_vars(host_name, play_vars=None):
    """The variables ansible-core hands the task on ``host_name`` for data/inventory.yml: inventory, play, magic."""
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources=[os.path.join(DATA, "inventory.yml")])
    manager = VariableManager(loader=loader, inventory=inventory)
    play = Play.load({"hosts": "proxies", "gather_facts": False, "vars": play_vars or {}},
                     variable_manager=manager, loader=loader)
    return dict(manager.get_vars(play=play, host=inventory.get_host(host_name), include_hostvars=False))


def test_a_realistic_inventory_and_the_role_s_own_results_trip_nothing(sim):
    task_vars = inventory_task_vars("proxy01")
    assert len(task_vars) > 60 and "byteful_proxy_url" in task_vars and "ansible_play_hosts_all" in task_vars
    # What the role (and a second run of it) sets itself are variables too by then.
    task_vars.update(byteful_preflight={"passed": True}, byteful_customer={"customer_id": 1955})
    result = run_role(dict(task_vars, **keys(sim)))
    assert not result.get("failed"), result.get("msg")
    assert result["passed"] is True


def test_the_guard_reads_the_variables_the_gate_runs_with(sim):
    # The run_once task runs with the first host's variables; its thresholds come from them, so a
    # setting misspelt for another host only cannot change what this run checks (on a run where
    # that host comes first, it is refused then).
    assert not run_role(dict(inventory_task_vars("proxy01"), **keys(sim))).get("failed")
    result = run_role(dict(inventory_task_vars("proxy02"), **keys(sim)))
    assert result["msg"].startswith("The play sets byteful_prefligt_min_credit_balance (did you mean "
                                    "byteful_preflight_min_credit_balance?)")


def test_several_misspelt_settings_are_named_at_once(sim):
    result = run_role(dict(keys(sim), byteful_api_privat_key="x", byteful_preflight_min_residental_bytes="5 GB"))
    assert result["msg"].startswith(
        "The play sets byteful_api_privat_key (did you mean byteful_api_private_key?) and "
        "byteful_preflight_min_residental_bytes (did you mean byteful_preflight_min_residential_bytes?), which "
        "byteful.proxy.preflight does not read; a misspelt setting would leave its check off, so fix the names or remove "
        "the variables")


def test_every_real_setting_at_once_trips_nothing(sim):
    settings = dict(keys(sim), byteful_validate_certs=True, byteful_ca_path=None, byteful_timeout=5, byteful_retries=1,
                    byteful_rate_limit_wait=10, byteful_allow_insecure_http=False, byteful_cache=True, byteful_cache_ttl=60,
                    byteful_preflight_fail=False, byteful_preflight_service_types=["residential"],
                    byteful_preflight_service_ids=[], byteful_preflight_min_service_days_left=1)
    result = run_role(settings)
    assert not result.get("failed"), result.get("msg")


def test_the_module_alone_has_no_guard(sim):
    # Through the module the user writes options, which Ansible checks itself; the guard is the role's.
    assert not run_module({"min_credit_balance": "$10"}, dict(keys(sim), byteful_prefligt_min_credit_balance=1)).get("failed")


# -- the user's names and units ------------------------------------------------------------------

@pytest.mark.parametrize("variables, words", [
    ({"byteful_preflight_min_credit_balance": "10 EUR"}, "byteful_preflight_min_credit_balance '10 EUR' is not in US dollars"),
    ({"byteful_preflight_min_residential_bytes": "5 GX"}, "byteful_preflight_min_residential_bytes '5 GX' is not a size;"),
    ({"byteful_preflight_service_types": ["residental"]},
     "byteful_preflight_service_types holds 'residental', which is not a service type (did you mean residential?)"),
    ({"byteful_preflight_fail_on_service_status": ["overdue"], "byteful_preflight_service_ids": ["1955-8012-887"]},
     "byteful_preflight_service_ids holds '1955-8012-887', which the account does not have among its 10 services (did "
     "you mean "),
    ({"byteful_timeout": "soon"}, "byteful_timeout must be a number, got 'soon'."),
    ({"byteful_validate_certs": "ture"}, "byteful_validate_certs must be true or false, got 'ture'."),
])
def test_bad_values_are_named_as_the_role_variable(sim, variables, words):
    result = run_role(dict(keys(sim), **variables))
    assert result["failed"] and result["msg"].startswith(words), result["msg"]


def test_options_are_named_as_the_user_set_them(sim, monkeypatch):
    """The names handed to the client for its messages: what set each option, or the name to set it with."""
    seen = []
    original = _account.BytefulClient.from_options.__func__

    def spy(cls, options, **kwargs):
        seen.append(kwargs["option_names"])
        return original(cls, options, **kwargs)

    monkeypatch.setattr(_account.BytefulClient, "from_options", classmethod(spy))
    monkeypatch.setenv("BYTEFUL_API_PRIVATE_KEY", keys(sim)["byteful_api_private_key"])
    role_keys = dict(keys(sim), byteful_timeout=20)
    del role_keys["byteful_api_private_key"]
    run_role(role_keys)
    run_module({"api_url": sim.base_url, "api_public_key": "healthy", "retries": 1}, {})
    by_role, by_module = seen
    assert by_role == {"api_url": "byteful_api_url", "api_public_key": "byteful_api_public_key",
                       "api_private_key": "BYTEFUL_API_PRIVATE_KEY", "validate_certs": "byteful_validate_certs",
                       "ca_path": "byteful_ca_path", "timeout": "byteful_timeout", "retries": "byteful_retries",
                       "rate_limit_wait": "byteful_rate_limit_wait",
                       "allow_insecure_http": "byteful_allow_insecure_http"}
    assert by_module == {option: "BYTEFUL_API_PRIVATE_KEY" if option == "api_private_key" else option
                         for option in CONNECTION_OPTIONS}


def test_a_threshold_that_is_almost_surely_a_unit_slip_warns(sim):
    result = run_role(dict(keys(sim), byteful_preflight_min_credit_balance=10, byteful_preflight_min_mobile_bytes="5"))
    assert result["passed"] is True
    assert result["warnings"] == [
        "byteful_preflight_min_credit_balance is 10, which is only $0.10, as a bare number is cents; write '$10' if you "
        "meant dollars (or 1000 in cents).",
        "byteful_preflight_min_mobile_bytes is '5', which is only 5 B, as a bare number is bytes; write a unit if you meant "
        "more, such as '5 GB'."]
    for quiet in ({"byteful_preflight_min_credit_balance": 1}, {"byteful_preflight_min_credit_balance": 100},
                  {"byteful_preflight_min_credit_balance": "$0.10"}, {"byteful_preflight_min_mobile_bytes": 1},
                  {"byteful_preflight_min_mobile_bytes": "5 KB"}, {"byteful_preflight_min_mobile_bytes": 1024 ** 2}):
        assert "warnings" not in run_role(dict(keys(sim), **quiet)), quiet


@pytest.mark.parametrize("money", ["$2,500.01", "2,500.01 USD", "USD 2500.01", "250001"])
def test_money_as_people_write_it(sim, money):
    result = run_role(dict(keys(sim), byteful_preflight_min_credit_balance=money))
    assert result["msg"] == ("Preflight failed for Byteful account 1955: credit balance $2,500.00 is below the required "
                             "$2,500.01.")
    assert "warnings" not in result


def test_a_scope_with_nothing_to_limit_warns(sim):
    result = run_role(dict(keys(sim), byteful_preflight_service_types=["isp"], byteful_preflight_min_credit_balance="$1"))
    assert result["warnings"] == ["byteful_preflight_service_types limits only byteful_preflight_min_service_days_left and "
                                  "byteful_preflight_fail_on_service_status, and neither is set, so the limit changes "
                                  "nothing."]


def test_service_checks_limited_to_what_the_play_uses(sim):
    refused = {"byteful_preflight_fail_on_service_status": ["overdue", "paused"]}
    assert run_role(dict(keys(sim), **refused))["msg"] == (
        "Preflight failed for Byteful account 1955: 2 services are in refused states: 1955-8012-878 is overdue, "
        "1955-8012-877 is paused.")
    scoped = run_role(dict(keys(sim), byteful_preflight_service_types="residential, isp", **refused))
    assert scoped["passed"] is True
    assert scoped["summary"][-1] == "ok   among the residential and isp services, no service is overdue or paused"
    by_id = run_role(dict(keys(sim), byteful_preflight_service_ids=["1955-8012-871", "1955-8012-877"], **refused))
    assert by_id["msg"] == ("Preflight failed for Byteful account 1955: among services 1955-8012-871 and 1955-8012-877, "
                            "1 service is in a refused state: 1955-8012-877 is paused.")


# -- what a result holds -------------------------------------------------------------------------

def test_a_failed_gate_holds_the_sentence_only(sim):
    result = run_role(dict(keys(sim, "low_credit"), byteful_preflight_min_credit_balance="$10"))
    assert result == {"changed": False, "failed": True, "passed": False,
                      "msg": "Preflight failed for Byteful account 1955: credit balance $0.12 is below the required $10.00."}


def test_warn_only_holds_every_check_and_marks_those_not_requested(sim):
    result = run_role(dict(keys(sim, "low_credit"), byteful_preflight_min_credit_balance="$10", byteful_preflight_fail=False))
    assert result["passed"] is False and not result.get("failed")
    assert [(check["name"], check["requested"], check["passed"]) for check in result["checks"]] == [
        ("credit_balance", True, False), ("residential_bytes_left", False, True), ("mobile_bytes_left", False, True)]
    assert result["summary"] == ["FAIL credit balance $0.12 is below the required $10.00",
                                 "-    residential data 1.0 MiB, no minimum set", "-    mobile data 0 B, no minimum set"]
    assert result["warnings"] == [result["msg"]] and result["customer"]["customer_id"] == 1955


def test_a_passing_sentence_names_what_was_asked_only(sim):
    result = run_role(dict(keys(sim), byteful_preflight_min_credit_balance="$10"))
    assert result["msg"] == "Preflight passed for Byteful account 1955: credit balance $2,500.00 meets the required $10.00."


def test_the_role_passes_every_option_it_documents():
    """Each preflight_check option but the connection and customer ones is fed by a role variable of the same
    meaning; a threshold the role forgot to pass would be a setting that does nothing."""
    from ansible_collections.byteful.proxy.plugins.plugin_utils._role_names import RoleNames

    names = RoleNames(DataLoader(), ())
    options = set(ARGUMENT_SPEC) - set(CONNECTION_OPTIONS) - {"customer"}
    assert set(names.variables) == options
    assert all(names.variables[option] in names.settings for option in options)
    assert names.variable("fail_on_shortfall") == "byteful_preflight_fail"
    assert {"byteful_preflight", "byteful_customer"} <= names.own


def test_a_bad_switch_still_writes_the_report(sim, tmp_path):
    import json

    report = tmp_path / "report.json"
    result = run_role(dict(keys(sim), byteful_preflight_fail="ture", byteful_preflight_report_path=str(report)))
    assert result["msg"] == "byteful_preflight_fail must be true or false, got 'ture'."
    written = json.loads(report.read_text(encoding="utf-8"))
    assert written["passed"] is False and written["error"] == result["msg"] and written["checks"] == []


@pytest.mark.parametrize("account", ["healthy", "live_full"])
def test_the_report_of_the_role_names_the_account_by_its_id_only(sim, tmp_path, account):
    # The healthy account's holder has a name, an e-mail and (live_full) a billing address: none of
    # it may reach a file that CI keeps as an artifact.
    import json

    report = tmp_path / "report.json"
    run_role(dict(keys(sim, account), byteful_preflight_fail=False,
                  byteful_preflight_min_credit_balance=1000, byteful_preflight_report_path=str(report)))
    text = report.read_text(encoding="utf-8")
    written = json.loads(text)
    assert written["account"] == 1955 and written["checks"]
    customer = CATALOGUE.customers[account]
    private = {name: value for name, value in customer.items()
               if isinstance(value, str) and len(value) > 3 and (name.startswith("customer_") or "billing" in name)}
    assert private, "the account holds no personal field, so this test would prove nothing"
    assert [name for name, value in private.items() if value in text] == []


PLANNED = [{"proxy_user_id": "pu_2011_001", "password": "Planned0Secret0Pw"}, "scraper_new_01",
           {"name": "scraper_new_02", "password": "Planned0Secret0Pw"}, {"proxy_user_id": "pu_2011_002", "state": "absent"}]


def test_planned_users_that_do_not_exist_stop_an_account_at_its_limit_at_the_gate(sim):
    result = run_role(dict(keys(sim, "proxy_users_at_limit"), byteful_preflight_planned_proxy_users=PLANNED))
    assert result["failed"] is True
    assert "proxy users 5 of 5: room for 0, below the required 2 (2 of the 3 planned proxy users do not exist yet: " \
        "scraper_new_01, scraper_new_02)" in result["msg"]
    assert "Planned0Secret0Pw" not in str(result)
    # Once they exist, they take no room: the second run of the same play passes the gate.
    existing = run_role(dict(keys(sim, "proxy_users_at_limit"), byteful_preflight_planned_proxy_users=PLANNED[:1]))
    assert existing.get("failed") is not True, existing["msg"]
    (check,) = [check for check in existing["checks"] if check["name"] == "proxy_user_headroom"]
    assert check["passed"] is True and check["required"] == 0 and check["details"]["missing"] == []


def test_planned_users_add_to_the_minimum_headroom(sim):
    result = run_module({"planned_proxy_users": ["scraper_new_01", "default_1955"], "min_proxy_user_headroom": 1},
                        keys(sim))
    (check,) = [check for check in result["checks"] if check["name"] == "proxy_user_headroom"]
    assert check["required"] == 2 and check["details"]["missing"] == ["scraper_new_01"]
    assert "(1 of the 2 planned proxy users does not exist yet: scraper_new_01)" in check["text"]


@pytest.mark.parametrize("value, words", [
    ({"proxy_user_id": "x"}, "planned_proxy_users must be a list of proxy user ids, or of the dicts the play passes to "
                             "byteful.proxy.proxy_user, got a dict."),
    (["ok_user_01", {"password": "Planned0Secret0Pw"}], "planned_proxy_users item 2 has no proxy user id; give the id"),
])
def test_planned_users_that_name_no_user_fail_without_quoting_them(sim, value, words):
    result = run_module({"planned_proxy_users": value}, keys(sim))
    assert result["failed"] is True and words in result["msg"] and "Planned0Secret0Pw" not in str(result)


def test_a_service_search_beyond_the_page_cap_names_the_role_s_scope_settings(sim):
    page = {"data": [{"service_id": "S-%d" % n} for n in range(100)], "item_count": 100, "page": 1, "per_page": 100,
            "total_count": 999999, "message": "Search successful."}
    sim.set_account("many_services", faults=[{"route": "service_search", "status": 200, "body": page}])
    result = run_role(dict(keys(sim, "many_services"), byteful_preflight_min_service_days_left=3))
    assert result["failed"] is True
    assert "narrow the search with byteful_preflight_service_types or byteful_preflight_service_ids;" in result["msg"]
    assert "expiring_within" not in result["msg"]
