# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Writes that prove what they report (issue 23): answers that are wrong but well formed, on a fake transport.

After a create, an edit or a delete the user is read back by its exact id and compared with the task;
ids are compared as the server sent them; a 409 to the task's own create is read back; a 404 to a
delete says what happened.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user_writes import ensure

from .fake_api import envelope, make_client
from .test_proxy_user_writes import SECRET, USER

DEFAULT = dict(USER, proxy_user_id="default_1955", proxy_user_is_default=True)
NEW = {"proxy_user_id": "scraper_us_01", "password": "New0Secret0Password", "enforce_https": True}


def api(users, create=None, edit=None, delete=None, search=None):
    """A handler for one account whose writes may be wrong: each of create/edit/delete(call, users) -> answer, or None for
    the right one; search(users, wanted) -> the items listed."""
    users = [dict(user) for user in users]

    def handler(call):
        if call.path == "/public/user/proxy_user/search":
            wanted = call.query.get("proxy_user_id")
            listed = search(users, wanted) if search else [u for u in users if wanted is None or u["proxy_user_id"] == wanted]
            return 200, envelope(listed)
        if call.path == "/public/user/customer/retrieve":
            return 200, {"data": {"customer_id": 1955, "customer_proxy_user_limit": 5}}
        if call.method == "POST":
            if create:
                return create(call, users)
            users.append(dict(call.body, proxy_user_is_deleted=False, proxy_user_is_default=False))
            return 201, {"created": [call.body["proxy_user_id"]], "data": {"proxy_user_id": call.body["proxy_user_id"]}}
        target = call.path.rsplit("/", 1)[1]
        if call.method == "PATCH":
            if edit:
                return edit(call, users)
            next(u for u in users if u["proxy_user_id"] == target).update(call.body)
            return 200, {"edited": [target]}
        if delete:
            return delete(call, users)
        next(u for u in users if u["proxy_user_id"] == target)["proxy_user_is_deleted"] = True
        return 200, {"deleted": [target]}
    return handler


def fails(handler, params, check_mode=False):
    client, session, dummy = make_client(handler)
    with pytest.raises(BytefulError) as info:
        ensure(client, params, check_mode=check_mode)
    assert len(info.value.message.splitlines()) == 1
    for secret in (SECRET, NEW["password"]):
        assert secret not in info.value.message and secret not in json.dumps(info.value.details)
    return info.value.message, session


def sent(session, method):
    return [call for call in session.calls if call.method == method]


# -- a create ------------------------------------------------------------------------------------


def test_a_create_the_read_back_cannot_find_fails():
    def answered_only(call, users):  # pylint: disable=unused-argument
        return 201, {"created": ["scraper_us_01"], "data": {"proxy_user_id": "scraper_us_01"}}
    message, session = fails(api([DEFAULT], create=answered_only), NEW)
    assert message.startswith("Proxy user scraper_us_01 was not created as declared: the API answered HTTP 201, but a read "
                              "of it by its id afterwards finds no such proxy user; rerun the task")
    assert len(sent(session, "POST")) == 1


@pytest.mark.parametrize("created, named", [
    (["scraper_us_02"], 'another id ("scraper_us_02")'),
    ([], "no proxy user"),
    (None, "no proxy user"),
    (["scraper_us_01\u200b"], 'another id ("scraper_us_01")'),  # reads the same once cleaned: not the same id
])
def test_a_create_whose_answer_names_another_id_or_none_fails(created, named):
    def answer(call, users):
        users.append(dict(call.body, proxy_user_is_deleted=False, proxy_user_is_default=False))
        document = {"data": {"proxy_user_id": "scraper_us_01"}}
        if created is not None:
            document["created"] = created
        return 201, document
    message, dummy = fails(api([DEFAULT], create=answer), NEW)
    assert "was not created as declared: the API answered HTTP 201, but its answer's 'created' names %s;" % named in message


@pytest.mark.parametrize("applied, differs", [
    ({"proxy_user_enforce_https": False}, "in enforce_https; the API did not apply all of it"),
    ({"proxy_user_password": SECRET}, "in password;"),  # and quotes neither password
], ids=["a member", "the password"])
def test_a_create_applied_otherwise_fails(applied, differs):
    def half(call, users):
        users.append(dict(call.body, proxy_user_is_deleted=False, **applied))
        return 201, {"created": ["scraper_us_01"]}
    message, dummy = fails(api([DEFAULT], create=half), NEW)
    assert "but a read of it afterwards still differs from the task " + differs in message


def test_an_echoed_user_with_another_id_fails():
    def echo_other(call, users):
        user = dict(USER, **call.body)
        users.append(user)
        return 201, {"created": ["scraper_us_01"], "data": dict(user, proxy_user_id="scraper_us_01\u200b")}
    message, session = fails(api([DEFAULT], create=echo_other), NEW)
    assert "but the user its answer holds has another proxy_user_id (\"scraper_us_01\")" in message
    assert len(sent(session, "POST")) == 1


# -- an edit and a delete ------------------------------------------------------------------------


def test_an_edit_answered_200_that_changed_nothing_fails():
    def ignored(call, users):  # pylint: disable=unused-argument
        return 200, {"edited": ["scraper_eu_01"], "message": "Proxy User successfully edited."}
    message, session = fails(api([DEFAULT, USER], edit=ignored), {"proxy_user_id": "scraper_eu_01", "enforce_https": True,
                                                                  "password": "New0Secret0Password"})
    assert message.startswith("Proxy user scraper_eu_01 was not changed as declared: the API answered HTTP 200, but a read "
                              "of it afterwards still differs from the task in enforce_https, password;")
    assert len(sent(session, "PATCH")) == 1


def test_a_delete_answered_200_that_left_the_user_fails():
    def ignored(call, users):  # pylint: disable=unused-argument
        return 200, {"deleted": ["scraper_eu_01"]}
    message, dummy = fails(api([DEFAULT, USER], delete=ignored), {"proxy_user_id": "scraper_eu_01", "state": "absent"})
    assert message.startswith("Proxy user scraper_eu_01 was not deleted as declared: the API answered HTTP 200, but a read "
                              "afterwards still lists it as not deleted;")


def test_a_delete_is_read_back():
    client, session, dummy = make_client(api([DEFAULT, USER]))
    result, warnings = ensure(client, {"proxy_user_id": "scraper_eu_01", "state": "absent"})
    assert result["changed"] is True and result["proxy_user"]["proxy_user_is_deleted"] is True and warnings == []
    assert [call.method for call in session.calls] == ["GET", "DELETE", "GET"]


# -- identity: the raw value ---------------------------------------------------------------------


def test_an_id_that_only_reads_the_same_once_cleaned_is_refused_not_matched():
    lookalike = dict(USER, proxy_user_id="scraper_eu_01\u200b", proxy_user_enforce_https=True)
    message, session = fails(api([DEFAULT, lookalike], search=lambda users, wanted: users[1:]),
                             {"proxy_user_id": "scraper_eu_01", "state": "absent"})
    assert ("Reading Byteful proxy user scraper_eu_01 at https://api.example.test/1.0/public/user/proxy_user/search returned "
            "an item whose proxy_user_id holds invisible or control characters (at $.proxy_users[0], shown as "
            "\"scraper_eu_01\"), which no Byteful id has") in message
    assert [call.method for call in session.calls] == ["GET"]


def test_a_user_listed_twice_is_refused():
    message, session = fails(api([DEFAULT, USER], search=lambda users, wanted: [users[1], users[1]]),
                             {"proxy_user_id": "scraper_eu_01", "enforce_https": True})
    assert "returned proxy_user_id \"scraper_eu_01\" twice on page 1" in message
    assert [call.method for call in session.calls] == ["GET"]


# -- a 409 to the task's own create, a 404 to a delete, a 422 ------------------------------------


def test_a_409_to_the_own_create_of_the_user_as_declared_converges():
    def raced(call, users):
        users.append(dict(call.body, proxy_user_is_deleted=False, proxy_user_is_default=False))  # another host's create
        return 409, {"error": "Conflict", "message": "proxy_user_id 'scraper_us_01' is already taken."}
    client, dummy, dummy = make_client(api([DEFAULT], create=raced))
    result, warnings = ensure(client, NEW)
    assert result["changed"] is False and result["proxy_user"]["proxy_user_id"] == "scraper_us_01"
    assert warnings == ["Proxy user scraper_us_01 was created by another run or host while this task ran (the API answered "
                        "its create with HTTP 409), as the task declares it; set run_once: true on the task so that one host "
                        "creates it."]


def test_a_409_to_the_own_create_of_another_user_names_run_once():
    def raced(call, users):
        users.append(dict(call.body, proxy_user_enforce_https=False, proxy_user_is_deleted=False))
        return 409, {"error": "Conflict", "message": "proxy_user_id 'scraper_us_01' is already taken."}
    message, dummy = fails(api([DEFAULT], create=raced), NEW)
    assert "failed with HTTP 409 (Conflict: proxy_user_id 'scraper_us_01' is already taken)" in message
    assert message.endswith("a read finds that another run or host created it meanwhile, and it differs from the task in "
                            "enforce_https: run the task once per account (run_once: true, or one host), not on every host or "
                            "in parallel runs.")


def test_a_409_to_the_own_create_without_a_user_of_that_name_names_the_address():
    answer = (409, {"error": "Conflict", "message": "IP address 203.0.113.9 is already used by another proxy user."})
    message, dummy = fails(api([DEFAULT], create=lambda call, users: answer), dict(NEW, ip_address_authentications=["203.0.113.9"]))
    assert message.endswith("a read finds no proxy user scraper_us_01, so an address in ip_address_authentications belongs to "
                            "another proxy user: remove it from the task or from that user.")


def test_a_404_to_deleting_a_user_gone_meanwhile_converges():
    def gone(call, users):  # pylint: disable=unused-argument
        users[1]["proxy_user_is_deleted"] = True
        return 404, {"error": "Not Found", "message": "Proxy User 'scraper_eu_01' not found."}
    client, dummy, dummy = make_client(api([DEFAULT, USER], delete=gone))
    result, warnings = ensure(client, {"proxy_user_id": "scraper_eu_01", "state": "absent"})
    assert result["changed"] is False
    assert warnings == ["Proxy user scraper_eu_01 was deleted by someone else (another run or host) while this task ran: the "
                        "API answered its delete with HTTP 404, and a read finds it deleted."]


def test_a_404_to_deleting_a_user_still_listed_says_so_without_rerun():
    def missing(call, users):  # pylint: disable=unused-argument
        return 404, {"error": "Not Found", "message": "Proxy User 'scraper_eu_01' not found."}
    message, dummy = fails(api([DEFAULT, USER], delete=missing), {"proxy_user_id": "scraper_eu_01", "state": "absent"})
    assert "failed with HTTP 404" in message and "rerun" not in message
    assert message.endswith("yet the API still lists proxy user scraper_eu_01 as not deleted, so the id it lists is not the "
                            "one it deletes by: report it to Byteful with the request id.")


@pytest.mark.parametrize("said, limit", [
    ("proxy_user_password is too weak.", False),
    ("proxy_user_residential_bytes_limit must be at least 5 bytes.", False),
    ("Proxy user limit reached: this account may have 5 proxy users.", True),
])
def test_a_422_to_a_create_advises_about_the_limit_only_when_it_is_the_limit(said, limit):
    message, dummy = fails(api([DEFAULT], create=lambda call, users: (422, {"error": "Unprocessable Entity", "message": said})),
                           NEW)
    assert ("ask Byteful to raise the limit" in message) is limit
    assert message.endswith("change that option of the task.") is not limit
