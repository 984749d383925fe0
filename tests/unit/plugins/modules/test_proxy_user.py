# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""proxy_user in-process against the simulator: idempotency, check mode, diff, the limit, lost answers, deletes, secrets.

Every test starts from the simulator's accounts as their data files define them (sim.reset(accounts=True)),
and reads what was written from the simulator's counters (by_route).
"""

from __future__ import annotations

import json

import pytest
import requests

from ansible.module_utils.testing import patch_module_args

from ansible_collections.byteful.proxy.plugins.module_utils import _limiter, _transport
from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulClient
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user_writes import read_user, shown
from ansible_collections.byteful.proxy.plugins.modules import proxy_user
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY, Simulator
from ansible_collections.byteful.proxy.tests.unit.plugins.hostile import never_whole

PASSWORD = "Scraper0Secret0Pw"
NEW_PASSWORD = "Another0Secret0Pw"
WRITES = ("proxy_user_create", "proxy_user_edit", "proxy_user_delete")


@pytest.fixture(scope="module")
def sim():
    # Without the simulator's rate limit, so that the pacing below can be short.
    with Simulator(rate_limit=False) as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def fresh(sim, monkeypatch):
    """The simulator's accounts as their files define them; pacing and backoff in milliseconds (they are not tested here)."""
    sim.reset(accounts=True)
    monkeypatch.setattr(_transport, "MIN_REQUEST_INTERVAL", 0.001)
    monkeypatch.setattr(_limiter, "MIN_INTERVAL", 0.001)
    monkeypatch.setattr(_transport, "BACKOFF_BASE", 0.01)


def run(sim, capsys, public_key="healthy", check=False, diff=False, **args):
    """(result, the module's whole output): the output is searched for secrets."""
    options = dict(api_url=sim.base_url, api_public_key=public_key, api_private_key=DEFAULT_PRIVATE_KEY, retries=1,
                   timeout=5, _ansible_check_mode=check, _ansible_diff=diff)
    options.update(args)
    with patch_module_args(options):
        with pytest.raises(SystemExit):
            proxy_user.main()
    out = capsys.readouterr().out
    return json.loads(out), out


def writes(sim):
    routes = sim.stats()["by_route"]
    return {route: routes[route] for route in WRITES if route in routes}


def user_of(sim, capsys, proxy_user_id, public_key="healthy"):  # pylint: disable=unused-argument
    """The user as the API has it now, as the module returns it ({} for none)."""
    client = BytefulClient(sim.base_url, public_key, DEFAULT_PRIVATE_KEY)
    return shown(read_user(client, proxy_user_id))


def scraper(**changes):
    """SCRAPER with some options changed."""
    options = dict(SCRAPER)
    options.update(changes)
    return options


SCRAPER = dict(proxy_user_id="scraper_eu_01", password=PASSWORD, residential_bytes_limit="5 GB", mobile_bytes_limit="unlimited",
               ip_address_authentications=["203.0.113.9", "2001:db8::9"], metadata={"team": "crawler", "tier": 2},
               enforce_https=True)


def test_create_then_nothing_to_do(sim, capsys):
    first, dummy = run(sim, capsys, **SCRAPER)
    assert first["changed"] is True and "failed" not in first
    created = first["proxy_user"]
    assert created["proxy_user_id"] == "scraper_eu_01" and created["proxy_user_residential_bytes_limit"] == 5 * 1024 ** 3
    assert created["proxy_user_mobile_bytes_limit"] is None and created["proxy_user_enforce_https"] is True
    assert created["proxy_user_metadata"] == {"team": "crawler", "tier": 2}
    assert "proxy_user_password" not in created
    assert writes(sim) == {"proxy_user_create": 1}
    sim.reset()
    # The same task again, the addresses in another order and the sizes in other words: no change, no write.
    again, dummy = run(sim, capsys, **scraper(ip_address_authentications=["2001:DB8::9", "203.0.113.9"],
                                              residential_bytes_limit=5 * 1024 ** 3, mobile_bytes_limit="none"))
    assert again["changed"] is False and writes(sim) == {}
    assert sim.stats()["requests"] == 1  # the one read
    assert again["proxy_user"] == created


def test_check_mode_predicts_and_writes_nothing(sim, capsys):
    predicted, dummy = run(sim, capsys, check=True, diff=True, **SCRAPER)
    assert predicted["changed"] is True and writes(sim) == {}
    assert predicted["proxy_user"]["proxy_user_residential_bytes_limit"] == 5 * 1024 ** 3
    assert predicted["diff"]["before"] == {"state": "absent"}
    assert predicted["diff"]["after"]["state"] == "present"
    assert user_of(sim, capsys, "scraper_eu_01") == {}
    run(sim, capsys, **SCRAPER)
    changed, dummy = run(sim, capsys, check=True, **scraper(enforce_https=False))
    assert changed["changed"] is True and changed["proxy_user"]["proxy_user_enforce_https"] is False
    assert writes(sim) == {"proxy_user_create": 1}
    assert user_of(sim, capsys, "scraper_eu_01")["proxy_user_enforce_https"] is True


def test_diff_shows_what_changes_and_masks_the_password(sim, capsys):
    run(sim, capsys, **SCRAPER)
    result, out = run(sim, capsys, diff=True, **scraper(password=NEW_PASSWORD, metadata={"team": "crawler"}))
    assert result["changed"] is True and writes(sim) == {"proxy_user_create": 1, "proxy_user_edit": 1}
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before["proxy_user_residential_bytes_limit"] == after["proxy_user_residential_bytes_limit"] == "5368709120 (5.0 GiB)"
    assert before["proxy_user_metadata"] == {"team": "crawler", "tier": 2} and after["proxy_user_metadata"] == {"team": "crawler"}
    assert before["proxy_user_password"] == "********" and after["proxy_user_password"] == "******** (changed)"
    assert before["proxy_user_enforce_https"] is after["proxy_user_enforce_https"] is True
    assert PASSWORD not in out and NEW_PASSWORD not in out
    unchanged, dummy = run(sim, capsys, diff=True, **scraper(password=NEW_PASSWORD, metadata={"team": "crawler"}))
    assert unchanged["changed"] is False and unchanged["diff"]["before"] == unchanged["diff"]["after"]


def test_options_left_out_are_left_alone(sim, capsys):
    created, dummy = run(sim, capsys, **SCRAPER)
    result, dummy = run(sim, capsys, proxy_user_id="scraper_eu_01", enforce_https=False)
    assert result["changed"] is True and writes(sim) == {"proxy_user_create": 1, "proxy_user_edit": 1}
    now = user_of(sim, capsys, "scraper_eu_01")
    assert now["proxy_user_enforce_https"] is False
    assert {k: v for k, v in now.items() if k not in ("proxy_user_enforce_https", "proxy_user_last_update_datetime")} == \
        {k: v for k, v in created["proxy_user"].items() if k not in ("proxy_user_enforce_https", "proxy_user_last_update_datetime")}


def test_update_password_on_create_leaves_an_existing_password(sim, capsys):
    run(sim, capsys, **SCRAPER)
    result, dummy = run(sim, capsys, **scraper(password=NEW_PASSWORD, update_password="on_create"))
    assert result["changed"] is False and writes(sim) == {"proxy_user_create": 1}
    result, dummy = run(sim, capsys, **scraper(password=NEW_PASSWORD))
    assert result["changed"] is True and writes(sim) == {"proxy_user_create": 1, "proxy_user_edit": 1}


def test_a_password_the_api_does_not_show_is_sent_each_run_with_a_warning(sim, capsys):
    # A search that never shows a password (the simulator's own would show the one sent).
    listed = {"data": [{"proxy_user_id": "pu_1955_001", "proxy_user_access_type": "all"}], "item_count": 1, "page": 1,
              "per_page": 100, "total_count": 1, "message": "Proxy user search successful."}
    sim.set_account("no_passwords", proxy_users={"active": 2},
                    faults=[{"route": "proxy_user_search", "status": 200, "body": listed}])
    for dummy in range(2):
        result, out = run(sim, capsys, "no_passwords", proxy_user_id="pu_1955_001", password=PASSWORD)
        assert result["changed"] is True and PASSWORD not in out
        assert any("did not return proxy user pu_1955_001's password" in str(w) for w in result["warnings"])
    assert writes(sim) == {"proxy_user_edit": 2}


def test_at_the_limit_a_create_fails_before_it_is_sent(sim, capsys):
    for account in ("proxy_users_at_limit", "proxy_users_at_limit_403"):
        result, dummy = run(sim, capsys, account, check=account.endswith("403"), **SCRAPER)
        assert result["failed"] is True
        assert result["msg"] == ("Proxy user scraper_eu_01 was not created: the account has 5 proxy users (the default one "
                                 "included) and its limit, customer_proxy_user_limit, is 5; delete one with state absent, "
                                 "or ask Byteful to raise the limit.")
        assert result["failure"] == {"reason": "proxy user limit", "count": 5, "limit": 5}
    assert writes(sim) == {}
    # An existing user can still be changed at the limit.
    result, dummy = run(sim, capsys, "proxy_users_at_limit", proxy_user_id="pu_2011_001", metadata={"team": "x"})
    assert "failed" not in result, result.get("msg")


@pytest.mark.parametrize("status, error", [(422, "Unprocessable Entity"), (403, "Forbidden")])
def test_a_limit_only_the_api_knows_fails_with_its_words(sim, capsys, status, error):
    # No customer_proxy_user_limit to count against: the API's refusal is the news (both readings of its status).
    sim.set_account("hidden_limit", customer={"customer_id": 1955}, proxy_users={"active": 1},
                    faults=[{"route": "proxy_user_create", "status": status, "message": "Proxy user limit reached."}])
    result, dummy = run(sim, capsys, "hidden_limit", **SCRAPER)
    assert result["failed"] is True and len(result["msg"].splitlines()) == 1
    assert "failed with HTTP %d (%s: Proxy user limit reached; request id " % (status, error) in result["msg"]
    assert "customer_proxy_user_limit" in result["msg"] and "ask Byteful to raise the limit." in result["msg"]
    assert writes(sim) == {"proxy_user_create": 1}


@pytest.mark.parametrize("step", [{"status": 504}, {"action": "close"}, {"status": 500}])
def test_a_create_whose_answer_is_lost_is_not_sent_again(sim, capsys, step):
    sim.set_account("lost", proxy_users={"active": 1}, faults=[dict(step, route="proxy_user_create", commit=True, times=1)])
    result, dummy = run(sim, capsys, "lost", retries=3, **SCRAPER)
    assert "failed" not in result, result["msg"]
    assert result["changed"] is True and result["proxy_user"]["proxy_user_id"] == "scraper_eu_01"
    assert writes(sim) == {"proxy_user_create": 1}
    again, dummy = run(sim, capsys, "lost", **SCRAPER)
    assert again["changed"] is False


def test_a_create_that_timed_out_is_not_sent_again(sim, capsys):
    sim.set_account("hang", proxy_users={"active": 1},
                    faults=[{"route": "proxy_user_create", "action": "hang", "commit": True, "times": 1}])
    result, dummy = run(sim, capsys, "hang", timeout=0.5, **SCRAPER)
    assert "failed" not in result, result["msg"]
    assert result["changed"] is True and writes(sim) == {"proxy_user_create": 1}


def test_a_create_lost_before_it_took_effect_is_sent_again(sim, capsys):
    sim.set_account("lost_early", proxy_users={"active": 1}, faults=[{"route": "proxy_user_create", "status": 502, "times": 1}])
    result, dummy = run(sim, capsys, "lost_early", **SCRAPER)
    assert result["changed"] is True and writes(sim) == {"proxy_user_create": 2}
    assert user_of(sim, capsys, "scraper_eu_01", "lost_early")["proxy_user_id"] == "scraper_eu_01"


def test_delete_then_nothing_to_do(sim, capsys):
    result, dummy = run(sim, capsys, diff=True, proxy_user_id="pu_1955_001", state="absent")
    assert result["changed"] is True and result["proxy_user"]["proxy_user_is_deleted"] is True
    assert result["diff"]["after"] == {"state": "absent", "proxy_user_is_deleted": True}
    again, dummy = run(sim, capsys, proxy_user_id="pu_1955_001", state="absent")
    assert again["changed"] is False and writes(sim) == {"proxy_user_delete": 1}
    never, dummy = run(sim, capsys, proxy_user_id="never_existed_01", state="absent")
    assert never["changed"] is False and never["proxy_user"] == {}
    assert writes(sim) == {"proxy_user_delete": 1}


def test_delete_in_check_mode_writes_nothing(sim, capsys):
    result, dummy = run(sim, capsys, check=True, proxy_user_id="pu_1955_001", state="absent")
    assert result["changed"] is True and writes(sim) == {}


def test_a_delete_whose_answer_is_lost_is_confirmed_by_a_read(sim, capsys):
    sim.set_account("lost_delete", proxy_users={"active": 3},
                    faults=[{"route": "proxy_user_delete", "status": 504, "commit": True, "times": 1}])
    result, dummy = run(sim, capsys, "lost_delete", proxy_user_id="pu_1955_001", state="absent")
    assert "failed" not in result, result["msg"]
    assert result["changed"] is True and writes(sim) == {"proxy_user_delete": 1}


def test_the_default_user_is_never_deleted_nor_restricted(sim, capsys):
    deleted, dummy = run(sim, capsys, proxy_user_id="default_1955", state="absent")
    assert deleted["msg"] == ("Proxy user default_1955 was not deleted: it is the account's default proxy user, which the "
                              "API never deletes; remove the task, or name another proxy_user_id.")
    restricted, dummy = run(sim, capsys, proxy_user_id="default_1955", access_type="proxy_restricted")
    assert restricted["msg"].startswith("Proxy user default_1955 was not changed: it is the account's default proxy user")
    assert writes(sim) == {}
    # What the API allows on it is changed.
    allowed, dummy = run(sim, capsys, proxy_user_id="default_1955", access_type="all", metadata={"role": "default"})
    assert allowed["changed"] is True and writes(sim) == {"proxy_user_edit": 1}


def test_a_deleted_users_name_may_stay_taken(sim, capsys):
    sim.set_account("with_deleted", proxy_users={"active": 2, "deleted": 1})
    result, dummy = run(sim, capsys, "with_deleted", proxy_user_id="pu_1955_002", password=PASSWORD)
    assert result["failed"] is True and "failed with HTTP 409" in result["msg"]
    assert result["msg"].endswith("proxy_user_id belongs to a deleted proxy user, and the API keeps the names of deleted "
                                  "users taken; choose another proxy_user_id.")
    reused, dummy = run(sim, capsys, "proxy_users_reuse_ids", proxy_user_id="pu_2014_002", password=PASSWORD)
    assert reused["changed"] is True and reused["proxy_user"]["proxy_user_is_deleted"] is False


@pytest.mark.parametrize("account, searches", [("healthy", 4), ("proxy_user_echo", 3)])
def test_an_echoed_user_is_not_read_again(sim, capsys, account, searches):
    # Create: read, count, (read again unless echoed); edit: read, (read again unless echoed).
    run(sim, capsys, account, **SCRAPER)
    run(sim, capsys, account, **scraper(enforce_https=False))
    assert sim.stats()["by_route"]["proxy_user_search"] == searches + (1 if account == "healthy" else 0)


def test_restricted_to_all_clears_the_acl_when_asked(sim, capsys):
    # pu_1955_002 is service_restricted with ACL entries: the API refuses "all" unless the ACL is cleared.
    sim.set_account("acl", proxy_users=[{"proxy_user_id": "default_1955", "proxy_user_is_default": True, "proxy_user_access_type": "all"},
                                        {"proxy_user_id": "restricted01", "proxy_user_access_type": "service_restricted",
                                         "restricted_service_ids": ["1955-8012-873"]}])
    refused, dummy = run(sim, capsys, "acl", proxy_user_id="restricted01", access_type="all")
    assert refused["failed"] is True and "HTTP 422" in refused["msg"] and "clear_proxy_user_acl" in refused["msg"]
    cleared, dummy = run(sim, capsys, "acl", proxy_user_id="restricted01", access_type="all", clear_acl=True)
    assert cleared["changed"] is True and cleared["proxy_user"]["proxy_user_access_type"] == "all"


def test_an_error_that_quotes_the_password_shows_it_masked(sim, capsys):
    run(sim, capsys, **SCRAPER)
    sim.set_account("healthy", faults=[{"route": "proxy_user_edit", "status": 400,
                                        "message": "proxy_user_password %s is too weak." % NEW_PASSWORD}])
    result, out = run(sim, capsys, **scraper(password=NEW_PASSWORD))
    assert result["failed"] is True and "HTTP 400" in result["msg"]
    assert NEW_PASSWORD not in out and PASSWORD not in out


def test_a_refused_edit_quoting_the_current_password_read_from_the_api_shows_it_masked(sim, capsys):
    run(sim, capsys, **SCRAPER)
    # The API's words quote the password it holds now (never a task option: Ansible's no_log cannot mask it) and the
    # new one in forms Ansible's no_log does not know.
    said = "proxy_user_password %s may not be replaced by %s (%s)" % (
        PASSWORD, NEW_PASSWORD.upper(), "".join("%%%02X" % ord(c) for c in NEW_PASSWORD))
    sim.set_account("healthy", faults=[{"route": "proxy_user_edit", "status": 400, "message": said}])
    result, out = run(sim, capsys, **scraper(password=NEW_PASSWORD, enforce_https=False))
    assert result["failed"] is True and "(Bad Request: proxy_user_password ******** may not be replaced by ******** " \
        "(********)" in result["msg"]
    assert result["failure"]["api_message"] == "proxy_user_password ******** may not be replaced by ******** (********)"
    for secret in (PASSWORD, NEW_PASSWORD):
        never_whole(result, out, key=secret)


@pytest.mark.parametrize("args, message", [
    ({"residential_bytes_limit": 5}, "residential_bytes_limit 5 is only 5 B, as a bare number is bytes; write the unit, such as '5 GB'"),
    ({"mobile_bytes_limit": "5 GX"}, "mobile_bytes_limit '5 GX' is not a size; use a number of bytes, a size such as"),
    ({"mobile_bytes_limit": "-1 GB"}, "mobile_bytes_limit must not be negative, got '-1 GB'."),
    ({"mobile_bytes_limit": "0.5"}, "mobile_bytes_limit '0.5' has no unit and is not a whole number of bytes; write the unit, such "
                                    "as '0.5 GB'."),
    ({"residential_bytes_limit": "5 EB"}, "residential_bytes_limit '5 EB' is more than any account can hold (1.0 PiB)"),
    ({"ip_address_authentications": ["10.0.0.300"]}, "ip_address_authentications: '10.0.0.300' is not an IP address"),
    ({"ip_address_authentications": ["10.0.0.3", "10.0.0.3"]}, "ip_address_authentications lists 10.0.0.3 twice."),
    ({"metadata": {"team": {"name": "x"}}}, "metadata is flat: the values of team must be text, numbers or booleans."),
    ({"metadata": {"k%d" % n: n for n in range(31)}}, "metadata has 31 keys; the API allows at most 30."),
    ({"access_type": "everything"}, "value of access_type must be one of: all, service_restricted, proxy_restricted"),
    ({"update_password": "never"}, "value of update_password must be one of: always, on_create"),
    ({"proxy_user_id": "../checkout"}, "proxy_user_id '../checkout' holds white space, a control character or one of"),
    ({"proxy_user_id": "scraper eu"}, "proxy_user_id 'scraper eu' holds white space"),
    ({"state": "deleted"}, "value of state must be one of: present, absent"),
])
def test_mistakes_fail_before_any_request(sim, capsys, args, message):
    sim.reset()
    result, dummy = run(sim, capsys, **scraper(**args))
    assert result["failed"] is True
    assert message in result["msg"], result["msg"]
    assert len(result["msg"].splitlines()) == 1
    assert sim.stats()["requests"] == 0


def test_a_new_name_must_be_10_to_32_characters(sim, capsys):
    result, dummy = run(sim, capsys, proxy_user_id="short", password=PASSWORD)
    assert result["msg"] == ("Proxy user short was not created: proxy_user_id must be 10 to 32 letters, digits or underscores "
                             "for a new proxy user (the API's rule), got 5 characters.")
    result, dummy = run(sim, capsys, proxy_user_id="scraper-eu-01", password=PASSWORD)
    assert result["msg"].endswith("got 13 characters, some of them not letters, digits or underscores.")
    assert writes(sim) == {}


# -- check mode and the real run agree: every rule of _proxy_user_rules.RULES, in the module and the simulator -------------

SIX = ["192.0.2.%d" % n for n in range(1, 7)]


@pytest.mark.parametrize("args, body, message", [
    ({"password": "Short0Pw"}, {"proxy_user_password": "Short0Pw"},
     "password must be 10 to 32 letters and digits (the API's rule), got 8 characters."),
    ({"password": "Has-a-dash-0123"}, {"proxy_user_password": "Has-a-dash-0123"},
     "password must be 10 to 32 letters and digits (the API's rule), got 15 characters, some of them not letters and digits."),
    ({"password": "A1" * 17}, {"proxy_user_password": "A1" * 17}, "got 34 characters."),
    ({"proxy_user_id": "scraper-eu-01"}, {"proxy_user_id": "scraper-eu-01"}, "proxy_user_id must be 10 to 32 letters, digits"),
    ({"proxy_user_id": "s" * 33}, {"proxy_user_id": "s" * 33}, "got 33 characters."),
    ({"metadata": {"note": "x" * 301}}, {"proxy_user_metadata": {"note": "x" * 301}},
     "metadata: the value of note is longer than the 300 characters the API allows."),
    ({"metadata": {"k%02d" % n + "y" * 800: "x" * 300 for n in range(30)}},
     {"proxy_user_metadata": {"k%02d" % n + "y" * 800: "x" * 300 for n in range(30)}}, "metadata is larger than the 32768 bytes"),
    ({"ip_address_authentications": SIX}, {"ip_address_authentications": SIX},
     "ip_address_authentications lists 6 addresses; the API allows at most 5."),
    ({"ip_address_authentications": [], "strict_security": True},
     {"ip_address_authentications": [], "proxy_user_is_strict_security": True},
     "strict_security true needs at least one address in ip_address_authentications"),
])
def test_what_check_mode_refuses_the_api_refuses(sim, capsys, args, body, message):
    for check in (True, False):
        result, dummy = run(sim, capsys, check=check, **scraper(**args))
        assert result.get("failed") is True and message in result["msg"], result.get("msg")
    assert writes(sim) == {}
    # The simulator enforces the same table: sent anyway, the API refuses it.
    sent = dict({"proxy_user_id": "scraper_eu_01", "proxy_user_password": PASSWORD}, **body)
    answer = requests.post(sim.url("proxy_user_create"), json=sent, headers=sim.headers("healthy"), timeout=10)
    assert answer.status_code in (400, 422), answer.text


@pytest.mark.parametrize("args", [
    {"proxy_user_id": "s" * 32, "password": "A1" * 16},
    {"proxy_user_id": "scraper_eu_0000", "password": "A1" * 5, "metadata": {"note": "x" * 300}},
    {"ip_address_authentications": SIX[:4] + ["198.51.100.0/24"], "strict_security": True},
])
def test_what_check_mode_accepts_the_api_accepts(sim, capsys, args):
    predicted, dummy = run(sim, capsys, check=True, **scraper(**args))
    assert predicted["changed"] is True and "failed" not in predicted, predicted.get("msg")
    result, dummy = run(sim, capsys, **scraper(**args))
    assert result.get("changed") is True and "failed" not in result, result.get("msg")
    assert writes(sim) == {"proxy_user_create": 1}


def test_a_redirect_with_a_body_is_refused_at_once(sim, capsys):
    sim.set_account("moved", proxy_users={"active": 1},
                    faults=[{"route": "proxy_user_create", "status": 307, "headers": {"Location": "https://collector.example/"},
                             "body": {"data": {"proxy_user_id": "scraper_eu_01"}, "message": "Moved."}}])
    result, dummy = run(sim, capsys, "moved", retries=3, **SCRAPER)
    assert result["failed"] is True
    assert "was answered with a redirect (HTTP 307 to https://collector.example/), which this client does not follow" in \
        result["msg"]
    assert writes(sim) == {"proxy_user_create": 1}
