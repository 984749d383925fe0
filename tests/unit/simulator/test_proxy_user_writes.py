# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The simulator's writable proxy users: create, edit, delete and retrieve, the limit, the rules, the
per-account readings of what the docs leave open, and state that lives for the simulator's run."""

from __future__ import annotations

import datetime
import re
import threading

import pytest

from ansible_collections.byteful.proxy.tests.simulator import BUILTIN_ACCOUNTS, Simulator
from ansible_collections.byteful.proxy.tests.simulator.protocol import InvalidRequest
from ansible_collections.byteful.proxy.tests.simulator.resources import clock
from ansible_collections.byteful.proxy.tests.unit.simulator.api_calls import call, every_item

pytestmark = pytest.mark.once  # no ansible-core code in the simulator: see tests/unit/conftest.py

PASSWORD = "Secret0123456789"


def create(sim, body, account="healthy"):
    return call(sim, account, "proxy_user_create", body=body)


def edit(sim, user_id, body, account="healthy"):
    return call(sim, account, "proxy_user_edit", body=body, item_id=user_id)


def delete(sim, user_id, account="healthy"):
    return call(sim, account, "proxy_user_delete", item_id=user_id)


def retrieve(sim, user_id, account="healthy"):
    return call(sim, account, "proxy_user_retrieve", item_id=user_id)


def undeleted(sim, account="healthy"):
    return every_item(sim, account, "proxy_user_search", {"proxy_user_is_deleted": "false"})


# -- create ------------------------------------------------------------------------------------------


def test_create_answers_201_with_the_credentials_and_the_user_then_exists_whole(sim):
    status, body = create(sim, {"proxy_user_id": "alice_0001", "proxy_user_password": PASSWORD})
    assert status == 201
    assert body == {"created": ["alice_0001"], "data": {"proxy_user_id": "alice_0001", "proxy_user_password": PASSWORD},
                    "message": "Proxy User successfully created."}
    status, body = retrieve(sim, "alice_0001")
    user = body["data"]
    assert (status, body["message"]) == (200, "Proxy User successfully retrieved.")
    assert user["proxy_user_password"] == PASSWORD and user["customer_id"] == 1955
    assert (user["proxy_user_access_type"], user["proxy_user_is_default"], user["proxy_user_is_deleted"]) == ("all", False, False)
    assert (user["proxy_user_is_strict_security"], user["proxy_user_enforce_https"], user["ip_address_authentications"]) == (False, False, [])
    assert (user["proxy_user_residential_bytes_limit"], user["proxy_user_mobile_bytes_limit"], user["proxy_user_metadata"]) == (None, None, {})
    created = clock.parse(user["proxy_user_creation_datetime"])
    assert abs((created - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) < 60
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", user["proxy_user_creation_datetime"])
    assert [found["proxy_user_id"] for found in undeleted(sim)][-1] == "alice_0001"


def test_create_without_id_or_password_generates_both(sim):
    answers = [create(sim, {}) for _attempt in range(2)]
    assert [status for status, _body in answers] == [201, 201]
    ids = [body["created"][0] for _status, body in answers]
    passwords = [body["data"]["proxy_user_password"] for _status, body in answers]
    assert ids[0] != ids[1] and passwords[0] != passwords[1]
    assert all(re.fullmatch(r"[a-z0-9]{10,32}", user_id) for user_id in ids)
    assert all(re.fullmatch(r"[A-Za-z0-9]{10,32}", password) for password in passwords)
    assert create(sim, {"proxy_user_id": None, "proxy_user_password": None}, "proxy_user_echo")[0] == 201  # null: generated too


def test_create_keeps_every_member_it_is_given(sim):
    body = {"proxy_user_id": "Crawler_Team_01", "proxy_user_password": PASSWORD, "proxy_user_access_type": "service_restricted",
            "proxy_user_is_strict_security": True, "proxy_user_enforce_https": True,
            "ip_address_authentications": ["198.51.100.7", "2001:DB8::1"], "proxy_user_metadata": {"team": "crawl", "cost_centre": 42, "ok": True},
            "proxy_user_residential_bytes_limit": 1073741824, "proxy_user_mobile_bytes_limit": 0, "unknown_member": "ignored"}
    assert create(sim, body)[0] == 201
    user = retrieve(sim, "Crawler_Team_01")[1]["data"]
    for name, value in body.items():
        if name not in ("unknown_member", "ip_address_authentications"):
            assert user[name] == value, name
    assert user["ip_address_authentications"] == ["198.51.100.7", "2001:db8::1"]  # as the API stores addresses: normalised
    assert "unknown_member" not in user


def test_an_echoing_account_answers_the_whole_user(sim):
    status, body = create(sim, {"proxy_user_id": "echoed_user", "proxy_user_metadata": {"a": 1}}, "proxy_user_echo")
    assert status == 201 and body["data"]["proxy_user_metadata"] == {"a": 1} and body["data"]["proxy_user_is_deleted"] is False
    assert body["data"] == retrieve(sim, "echoed_user", "proxy_user_echo")[1]["data"]


# -- the limit ---------------------------------------------------------------------------------------


def test_created_users_count_against_the_limit_and_deleted_ones_do_not(sim):
    assert len(undeleted(sim)) == 3  # healthy: 3 of 5, the default one included
    assert [create(sim, {})[0] for _attempt in range(2)] == [201, 201]
    status, body = create(sim, {"proxy_user_id": "one_too_many"})
    assert (status, body["error"]) == (422, "Unprocessable Entity")
    assert body["message"] == "Proxy user limit reached: this account may have 5 proxy users and has 5. Delete one, or ask Byteful to raise the limit."
    assert retrieve(sim, "one_too_many")[0] == 404
    assert delete(sim, "pu_1955_001")[0] == 200
    assert create(sim, {"proxy_user_id": "one_too_many"})[0] == 201
    assert len(undeleted(sim)) == 5


@pytest.mark.parametrize("account, status, error", [
    ("proxy_users_at_limit", 422, "Unprocessable Entity"),
    ("proxy_users_at_limit_403", 403, "Forbidden"),
])
def test_the_accounts_at_their_limit_answer_their_status(sim, account, status, error):
    users = every_item(sim, account, "proxy_user_search")
    assert len([user for user in users if not user["proxy_user_is_deleted"]]) == 5 and len(users) == 7
    answer, body = create(sim, {"proxy_user_id": "new_user_01"}, account)
    assert (answer, body["error"]) == (status, error) and "limit reached" in body["message"]
    assert edit(sim, "pu_2011_001" if account == "proxy_users_at_limit" else "pu_2012_001", {"proxy_user_enforce_https": True}, account)[0] == 200


def test_an_account_without_an_integer_limit_is_not_limited(sim):
    sim.set_account("no_limit", customer={"customer_id": 7}, proxy_users={"active": 1})
    assert [create(sim, {}, "no_limit")[0] for _attempt in range(8)] == [201] * 8


def test_creates_at_once_never_pass_the_limit(sim):
    sim.set_account("racy", customer={"customer_id": 8, "customer_proxy_user_limit": 5}, proxy_users={"active": 1})
    statuses = []

    def one():
        statuses.append(create(sim, {}, "racy")[0])

    threads = [threading.Thread(target=one) for _thread in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] * 4 + [422] * 6


# -- what is refused -----------------------------------------------------------------------------------


@pytest.mark.parametrize("body, words", [
    ([1, 2], "The request body must be a JSON object."),
    ({"proxy_user_id": "short"}, "proxy_user_id must be 10 to 32 letters, digits or underscores."),
    ({"proxy_user_id": "x" * 33}, "proxy_user_id must be 10 to 32"),
    ({"proxy_user_id": "has-a-dash-in-it"}, "proxy_user_id must be 10 to 32"),
    ({"proxy_user_id": 1234567890}, "proxy_user_id must be 10 to 32"),
    ({"proxy_user_password": "short1"}, "proxy_user_password must be 10 to 32 letters and digits."),
    ({"proxy_user_password": "with spaces 12345"}, "proxy_user_password must be 10 to 32 letters and digits."),
    ({"proxy_user_access_type": "some"}, "proxy_user_access_type must be one of all, service_restricted, proxy_restricted."),
    ({"proxy_user_is_strict_security": "yes"}, "proxy_user_is_strict_security must be a boolean."),
    ({"proxy_user_enforce_https": 1}, "proxy_user_enforce_https must be a boolean."),
    ({"ip_address_authentications": "1.2.3.4"}, "ip_address_authentications must be a list of IP addresses."),
    ({"ip_address_authentications": ["1.2.3.4", "1.2.3.999"]}, 'ip_address_authentications: "1.2.3.999" is not an IP address.'),
    ({"ip_address_authentications": ["1.2.3.4", "1.2.3.4"]}, "1.2.3.4 is listed twice"),
    ({"proxy_user_metadata": []}, "proxy_user_metadata must be an object."),
    ({"proxy_user_metadata": {"a": {"b": 1}}}, "proxy_user_metadata.a must be text, a number or a boolean (metadata is flat)."),
    ({"proxy_user_metadata": {"a": None}}, "proxy_user_metadata.a must be text"),
    ({"proxy_user_metadata": {"k%d" % index: index for index in range(31)}}, "at most 30 keys"),
    ({"proxy_user_metadata": {"a": "x" * 301}}, "longer than 300 characters"),
    ({"proxy_user_residential_bytes_limit": -1}, "proxy_user_residential_bytes_limit must be an integer of at least 0, or null."),
    ({"proxy_user_mobile_bytes_limit": "1GB"}, "proxy_user_mobile_bytes_limit must be an integer"),
])
def test_a_malformed_create_is_400_naming_the_member(sim, body, words):
    status, answer = create(sim, body)
    assert (status, answer["error"]) == (400, "Bad Request") and words in answer["message"]
    assert len(undeleted(sim)) == 3


def test_a_refused_password_is_never_quoted(sim):
    for password in ("bad password!", "short12"):
        status, answer = create(sim, {"proxy_user_password": password})
        assert status == 400 and password not in answer["message"]


def test_bodies_that_are_not_json(sim):
    assert call(sim, "healthy", "proxy_user_create", raw=b"{not json")[1]["message"] == "The request body is not valid JSON."
    assert call(sim, "healthy", "proxy_user_create", raw=b"")[0] == 201  # no body: every member generated
    assert call(sim, "healthy", "proxy_user_edit", raw=b"", item_id="pu_1955_001")[1]["message"] == "The request body must be a JSON object."


def test_ids_and_addresses_are_unique(sim):
    status, answer = create(sim, {"proxy_user_id": "pu_1955_001"})
    assert (status, answer["error"], answer["message"]) == (409, "Conflict", "proxy_user_id 'pu_1955_001' is already taken.")
    assert retrieve(sim, "default_1955")[1]["data"]["ip_address_authentications"] == ["203.0.113.1"]
    status, answer = create(sim, {"proxy_user_id": "second_user", "ip_address_authentications": ["192.0.2.9", "203.0.113.1"]})
    assert (status, answer["message"]) == (409, "IP address 203.0.113.1 is already used by another proxy user.")
    assert create(sim, {"proxy_user_id": "second_user", "ip_address_authentications": ["192.0.2.9"]})[0] == 201
    assert edit(sim, "pu_1955_001", {"ip_address_authentications": ["192.0.2.9"]})[0] == 409
    assert delete(sim, "second_user")[0] == 200
    assert edit(sim, "pu_1955_001", {"ip_address_authentications": ["192.0.2.9"]})[0] == 200  # a deleted user's address is free


def test_a_deleted_users_id_stays_taken_unless_the_account_says_otherwise(sim):
    users = every_item(sim, "proxy_users_full", "proxy_user_search", {"proxy_user_is_deleted": "true"})
    gone = users[0]["proxy_user_id"]
    status, answer = create(sim, {"proxy_user_id": gone}, "proxy_users_full")
    assert (status, answer["message"]) == (409, "proxy_user_id '%s' is already taken by a deleted proxy user." % gone)
    gone = every_item(sim, "proxy_users_reuse_ids", "proxy_user_search", {"proxy_user_is_deleted": "true"})[0]["proxy_user_id"]
    assert create(sim, {"proxy_user_id": gone, "proxy_user_password": PASSWORD}, "proxy_users_reuse_ids")[0] == 201
    same = [user for user in every_item(sim, "proxy_users_reuse_ids", "proxy_user_search") if user["proxy_user_id"] == gone]
    assert len(same) == 1 and same[0]["proxy_user_is_deleted"] is False and same[0]["proxy_user_password"] == PASSWORD


@pytest.mark.parametrize("body, words", [
    ({"ip_address_authentications": ["192.0.2.%d" % number for number in range(1, 7)]}, "at most 5 IP address authentications"),
    ({"proxy_user_is_strict_security": True}, "Strict security needs at least one IP address authentication."),
])
def test_business_rules_are_422(sim, body, words):
    status, answer = create(sim, dict(body, proxy_user_id="ruled_user"))
    assert (status, answer["error"]) == (422, "Unprocessable Entity") and words in answer["message"]
    assert create(sim, {"proxy_user_id": "ruled_user", "proxy_user_is_strict_security": True, "ip_address_authentications": ["192.0.2.1"]})[0] == 201


# -- edit --------------------------------------------------------------------------------------------


def test_edit_changes_what_it_names_and_answers_without_the_object(sim):
    before = retrieve(sim, "pu_1955_001")[1]["data"]
    status, answer = edit(sim, "pu_1955_001", {"proxy_user_password": PASSWORD, "proxy_user_metadata": {"new": "only"},
                                               "proxy_user_residential_bytes_limit": None, "proxy_user_id": "pu_1955_001"})
    assert status == 200
    assert answer == {"edited": ["pu_1955_001"], "message": "Proxy User successfully edited.", "proxy_user_acl_deleted": []}
    after = retrieve(sim, "pu_1955_001")[1]["data"]
    assert (after["proxy_user_password"], after["proxy_user_metadata"], after["proxy_user_residential_bytes_limit"]) == (PASSWORD, {"new": "only"}, None)
    assert clock.parse(after["proxy_user_last_update_datetime"]) > clock.parse(before["proxy_user_last_update_datetime"])
    edited = ("proxy_user_password", "proxy_user_metadata", "proxy_user_residential_bytes_limit", "proxy_user_last_update_datetime",
              "proxy_user_creation_datetime")
    unchanged = {key: value for key, value in before.items() if key not in edited}
    assert all(after[key] == value for key, value in unchanged.items())
    assert edit(sim, "pu_1955_001", {})[0] == 200  # nothing to change is no error


def test_an_echoing_account_answers_the_edited_object(sim):
    status, answer = edit(sim, "pu_2013_001", {"proxy_user_enforce_https": True}, "proxy_user_echo")
    assert status == 200 and answer["edited"] == ["pu_2013_001"] and answer["data"]["proxy_user_enforce_https"] is True
    # The same user as a retrieve shows it, but for the datetimes: the simulator resolves its relative
    # times ("$now-300d") on each request, and the retrieve may come a second later.
    retrieved = retrieve(sim, "pu_2013_001", "proxy_user_echo")[1]["data"]
    assert without_datetimes(answer["data"]) == without_datetimes(retrieved)


def without_datetimes(user):
    return {name: value for name, value in user.items() if not name.endswith("_datetime")}


def test_edit_refusals(sim):
    status, answer = edit(sim, "pu_1955_001", {"proxy_user_id": "renamed_user"})
    assert (status, answer["error"]) == (400, "Bad Request") and "proxy_user_id cannot be edited" in answer["message"]
    status, answer = edit(sim, "default_1955", {"proxy_user_id": "renamed_default"})
    assert status == 400
    status, answer = edit(sim, "default_1955", {"proxy_user_access_type": "proxy_restricted"})
    assert (status, answer["message"]) == (422, "The default proxy user always has access type 'all'.")
    assert edit(sim, "default_1955", {"proxy_user_password": PASSWORD, "proxy_user_access_type": "all"})[0] == 200  # the rest it may
    status, answer = edit(sim, "no_such_user_1", {"proxy_user_enforce_https": True})
    assert (status, answer["error"], answer["message"]) == (404, "Not Found", "Proxy User 'no_such_user_1' not found.")
    status, answer = edit(sim, "pu_1955_002", {"proxy_user_residential_bytes_limit": 1024})  # it used 2 MiB
    assert (status, answer["message"]) == (422, "proxy_user_residential_bytes_limit must be at least the 2097152 bytes already used.")
    assert edit(sim, "pu_1955_002", {"clear_proxy_user_acl": "yes"})[0] == 400
    assert edit(sim, "pu_1955_002", {"proxy_user_is_strict_security": True})[0] == 422  # pu_1955_002 has no IP address


def test_changing_a_restricted_user_with_acl_entries_to_all_needs_clear_proxy_user_acl(sim):
    sim.set_account("acl", customer={"customer_id": 9, "customer_proxy_user_limit": 5}, proxy_users=[
        {"proxy_user_id": "default_0009", "proxy_user_is_default": True, "proxy_user_access_type": "all"},
        {"proxy_user_id": "restricted_1", "proxy_user_access_type": "service_restricted", "restricted_service_ids": ["S-1", "S-2"]}])
    status, answer = edit(sim, "restricted_1", {"proxy_user_access_type": "all"}, "acl")
    assert status == 422 and "set clear_proxy_user_acl" in answer["message"]
    status, answer = edit(sim, "restricted_1", {"proxy_user_access_type": "all", "clear_proxy_user_acl": True}, "acl")
    assert status == 200 and len(answer["proxy_user_acl_deleted"]) == 2
    assert all(re.fullmatch(r"[0-9a-f-]{36}", acl_id) for acl_id in answer["proxy_user_acl_deleted"])
    user = retrieve(sim, "restricted_1", "acl")[1]["data"]
    assert (user["proxy_user_access_type"], user["restricted_service_ids"]) == ("all", [])


# -- delete ------------------------------------------------------------------------------------------


def test_delete_is_soft(sim):
    status, answer = delete(sim, "pu_1955_002")
    assert (status, answer) == (200, {"deleted": ["pu_1955_002"], "message": "Proxy User successfully deleted."})
    user = retrieve(sim, "pu_1955_002")[1]["data"]
    assert user["proxy_user_is_deleted"] is True
    assert [found["proxy_user_id"] for found in every_item(sim, "healthy", "proxy_user_search", {"proxy_user_is_deleted": "true"})] == ["pu_1955_002"]
    assert "pu_1955_002" not in [found["proxy_user_id"] for found in undeleted(sim)]
    for status, answer in (delete(sim, "pu_1955_002"), edit(sim, "pu_1955_002", {"proxy_user_enforce_https": True})):
        assert (status, answer["message"]) == (404, "Proxy User 'pu_1955_002' not found.")


def test_the_default_user_cannot_be_deleted(sim):
    status, answer = delete(sim, "default_1955")
    assert (status, answer["error"], answer["message"]) == (422, "Unprocessable Entity", "The default proxy user cannot be deleted.")
    assert retrieve(sim, "default_1955")[1]["data"]["proxy_user_is_deleted"] is False
    assert delete(sim, "never_existed")[0] == 404


# -- state for the run -------------------------------------------------------------------------------


def test_changes_last_until_the_account_is_restored(sim):
    assert create(sim, {"proxy_user_id": "lasting_user"})[0] == 201
    assert delete(sim, "pu_1955_001")[0] == 200
    sim.reset()  # counters only
    assert retrieve(sim, "lasting_user")[0] == 200
    assert retrieve(sim, "pu_1955_001")[1]["data"]["proxy_user_is_deleted"] is True
    assert retrieve(sim, "lasting_user", "proxy_user_echo")[0] == 404  # one account's users are its own
    sim.delete_account("healthy")  # a built-in account is restored
    assert retrieve(sim, "lasting_user")[0] == 404
    assert create(sim, {"proxy_user_id": "lasting_user"})[0] == 201
    sim.reset(accounts=True)
    assert retrieve(sim, "lasting_user")[0] == 404


def test_a_write_changes_one_simulator_and_never_the_built_in_accounts(sim):
    assert create(sim, {"proxy_user_id": "only_here_1"})[0] == 201
    with Simulator(rate_limit=False) as other:
        assert retrieve(other, "only_here_1")[0] == 404
        assert create(other, {"proxy_user_id": "only_there"})[0] == 201
    assert retrieve(sim, "only_there")[0] == 404
    assert BUILTIN_ACCOUNTS["healthy"]["proxy_users"] == {"active": 3}


def test_relative_times_of_the_other_users_stay_relative_after_a_write(sim):
    assert create(sim, {})[0] == 201
    served = retrieve(sim, "pu_1955_001")[1]["data"]["proxy_user_creation_datetime"]
    expected = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=299)
    assert abs((clock.parse(served) - expected).total_seconds()) < 60


@pytest.mark.parametrize("settings, words", [
    ({"limit_status": 500}, "limit_status must be one of 400, 403, 409, 422, 429"),
    ({"echo": "yes"}, "echo must be a boolean"),
    ({"echoes": True}, "unknown keys: echoes"),
    ([], "must be an object"),
])
def test_write_settings_are_checked(sim, settings, words):
    with pytest.raises(InvalidRequest, match=words):
        sim.set_account("typo", proxy_user_writes=settings)


# -- a write whose answer the client never sees ------------------------------------------------------


def test_a_committed_fault_makes_the_write_and_then_fails(sim):
    sim.set_account("lost_answer", faults=[{"route": "proxy_user_create", "status": 504, "commit": True, "times": 1},
                                           {"route": "proxy_user_edit", "action": "close", "commit": True, "times": 1}])
    status, answer = create(sim, {"proxy_user_id": "ghost_user", "proxy_user_password": PASSWORD}, "lost_answer")
    assert (status, answer["error"]) == (504, "Gateway Timeout")
    assert retrieve(sim, "ghost_user", "lost_answer")[1]["data"]["proxy_user_password"] == PASSWORD  # it was created all the same
    assert create(sim, {"proxy_user_id": "ghost_user"}, "lost_answer")[0] == 409  # sent again: a conflict, not a duplicate
    with pytest.raises(OSError):
        edit(sim, "ghost_user", {"proxy_user_metadata": {"seen": True}}, "lost_answer")
    assert retrieve(sim, "ghost_user", "lost_answer")[1]["data"]["proxy_user_metadata"] == {"seen": True}


def test_a_fault_without_commit_writes_nothing(sim):
    sim.set_account("refused", faults=[{"route": "proxy_user_create", "status": 503, "times": 1}])
    assert create(sim, {"proxy_user_id": "never_made"}, "refused")[0] == 503
    assert retrieve(sim, "never_made", "refused")[0] == 404
    assert create(sim, {"proxy_user_id": "never_made"}, "refused")[0] == 201


def test_a_committed_fault_whose_write_is_refused_still_answers_as_the_step_says(sim):
    sim.set_account("refused_twice", faults=[{"route": "proxy_user_create", "status": 502, "commit": True, "times": 1}])
    assert create(sim, {"proxy_user_id": "bad"}, "refused_twice")[0] == 502
    assert create(sim, {"proxy_user_id": "bad"}, "refused_twice")[0] == 400
