# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Counting proxy users: one call when the API sorts and counts, more only when it does not."""

from __future__ import annotations

import re

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulClient, BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._customer import fetch_customer
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user import PROXY_USER_SEARCH_PATH, read_proxy_users
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY
from ansible_collections.byteful.proxy.tests.unit.plugins.module_utils.fake_api import envelope, make_client

CUSTOMER = {"customer_id": 1955, "customer_proxy_user_limit": 25}


def user(name, default=False, deleted=False):
    return {"proxy_user_id": name, "proxy_user_is_default": default, "proxy_user_is_deleted": deleted}


# 24 users (the default among them, not first by id) and 3 deleted ones.
USERS = [user("user%02d" % n) for n in range(12)] + [user("default_user", default=True)] + \
    [user("user%02d" % n) for n in range(12, 23)] + [user("gone%d" % n, deleted=True) for n in range(3)]


def api(users, sorts=True, filters=True, counts=True):
    """A handler for the proxy user search that honours sort_by and the filters, or not; total_count or -1."""
    def handler(call):
        assert call.path == PROXY_USER_SEARCH_PATH
        chosen = list(users)
        if filters:
            for name in ("proxy_user_is_deleted", "proxy_user_is_default"):
                if name in call.query:
                    chosen = [u for u in chosen if u[name] is (call.query[name] == "true")]
        if sorts and call.query.get("sort_by") == "proxy_user_is_default_desc":
            chosen.sort(key=lambda u: not u["proxy_user_is_default"])
        per_page, page = int(call.query["per_page"]), int(call.query["page"])
        return 200, envelope(chosen[(page - 1) * per_page:page * per_page], page=page, per_page=per_page,
                             total_count=len(chosen) if counts else -1)
    return handler


def count(handler, customer=None):
    client, session, dummy = make_client(handler)
    return read_proxy_users(client, customer or CUSTOMER), session.calls


def test_one_call_when_the_api_sorts_the_default_first():
    result, calls = count(api(USERS))
    assert result == {"count": 24, "count_excluding_default": 23, "limit": 25, "headroom": 1}
    (call,) = calls
    assert call.query == {"proxy_user_is_deleted": "false", "sort_by": "proxy_user_is_default_desc", "page": "1",
                          "per_page": "1"}


def test_paging_when_the_api_ignores_sort_by():
    result, calls = count(api(USERS, sorts=False))
    assert result == {"count": 24, "count_excluding_default": 23, "limit": 25, "headroom": 1}
    assert len(calls) == 2
    assert calls[1].query == {"proxy_user_is_deleted": "false", "page": "1", "per_page": "100"}


def test_no_default_user_counts_every_user():
    result, calls = count(api([u for u in USERS if not u["proxy_user_is_default"]], sorts=False))
    assert result["count"] == 23 and result["count_excluding_default"] == 23 and len(calls) == 2


def test_uncounted_users_are_paged_and_the_deleted_skipped():
    many = [user("default_user", default=True)] + [user("u%03d" % n) for n in range(129)] + [user("gone", deleted=True)]
    result, calls = count(api(many, counts=False, filters=False))
    assert result == {"count": 130, "count_excluding_default": 129, "limit": 25, "headroom": -105}
    assert [call.query["per_page"] for call in calls] == ["1", "100", "100"]
    assert all(call.query["proxy_user_is_deleted"] == "false" for call in calls)


def test_a_deleted_user_in_the_answer_shows_the_filter_was_ignored():
    users = [user("gone", deleted=True), user("default_user", default=True), user("a")]
    result, calls = count(api(users, sorts=False, filters=False))
    assert result["count"] == 2 and result["count_excluding_default"] == 1 and len(calls) == 2


def test_a_deleted_user_first_is_never_trusted_even_the_default():
    users = [user("old_default", default=True, deleted=True), user("a"), user("b")]
    result, calls = count(api(users, filters=False))
    assert result == {"count": 2, "count_excluding_default": 2, "limit": 25, "headroom": 23} and len(calls) == 2


def test_an_api_ignoring_filter_and_sort_with_the_default_first_is_taken_at_its_word():
    # The documented limit of one call: nothing in the answer contradicts the request.
    users = [user("default_user", default=True), user("gone", deleted=True), user("a")]
    result, calls = count(api(users, sorts=False, filters=False))
    assert result["count"] == 3 and result["count_excluding_default"] == 2 and len(calls) == 1


def test_no_users_is_one_call():
    result, calls = count(api([]))
    assert result == {"count": 0, "count_excluding_default": 0, "limit": 25, "headroom": 25} and len(calls) == 1


@pytest.mark.parametrize("total_count", [0, -3])
def test_a_count_the_page_contradicts_is_not_trusted(total_count):
    # total_count 0 beside a listed (default) user: counted page by page instead.
    def handler(call):
        status, document = api(USERS)(call)
        document["total_count"] = total_count
        return status, document

    result, calls = count(handler)
    assert result == {"count": 24, "count_excluding_default": 23, "limit": 25, "headroom": 1}
    assert [call.query["per_page"] for call in calls] == ["1", "100"]


def test_a_user_listed_twice_is_refused():
    def handler(call):
        users = [user("default_user", default=True)] + [user("user%02d" % n) for n in range(99)]
        return 200, envelope(users if call.query["per_page"] == "100" else users[:1], page=int(call.query["page"]),
                             per_page=int(call.query["per_page"]), total_count=-1)

    with pytest.raises(BytefulError) as info:
        count(handler)
    assert info.value.message == (
        "Counting the Byteful proxy users at https://api.example.test/1.0/public/user/proxy_user/search returned "
        "proxy_user_id \"default_user\" again on page 2 (already on page 1), so its pages cannot be counted without "
        "counting some items twice; try again later, and report it to byteful.proxy if it persists.")


def test_an_unknown_limit_leaves_headroom_unknown():
    result, dummy = count(api(USERS), customer={"customer_id": 1, "customer_proxy_user_limit": None})
    assert result["limit"] is None and result["headroom"] is None and result["count"] == 24


def test_wrong_types_name_the_field_path():
    with pytest.raises(BytefulError, match=r"\$\.proxy_users\[0\]\.proxy_user_is_default must be boolean or null, "
                                           r"found string \"yes\""):
        count(lambda call: (200, envelope([{"proxy_user_id": "d", "proxy_user_is_default": "yes"}], per_page=1)))


@pytest.mark.parametrize("deleted, found", [("true", 'string "true"'), (1, "integer 1"), ({}, "object")])
@pytest.mark.parametrize("where", ["first page", "every page"])
def test_a_deleted_flag_of_the_wrong_type_is_refused_not_read_as_live(deleted, found, where):
    # Read as "not True", a "true" would count a deleted user against the limit's headroom.
    gone = dict(user("gone"), proxy_user_is_deleted=deleted)
    if where == "first page":
        handler = api([gone], filters=False)  # the one the API counts and lists first
    else:
        handler = api([user("default_user", default=True), gone], filters=False, counts=False)  # uncounted: paged
    with pytest.raises(BytefulError, match=r"\$\.proxy_users\[[01]\]\.proxy_user_is_deleted must be boolean or null, "
                                           r"found (a JSON )?%s" % re.escape(found)):
        count(handler)


# -- against the simulator -----------------------------------------------------------------------

@pytest.mark.parametrize("account, expected, calls", [
    ("proxy_users_full", {"count": 24, "count_excluding_default": 23, "limit": 25, "headroom": 1}, 1),
    ("proxy_users_uncounted", {"count": 130, "count_excluding_default": 129}, 3),
    ("healthy", {"count": 3, "count_excluding_default": 2, "limit": 5, "headroom": 2}, 1),
    ("sort_ignored", {"count": 3, "count_excluding_default": 2, "limit": 5, "headroom": 2}, 2),
])
def test_simulator_accounts(sim, account, expected, calls):
    client = BytefulClient(sim.base_url, account, DEFAULT_PRIVATE_KEY)
    customer = fetch_customer(client)
    sim.reset()
    result = read_proxy_users(client, customer)
    assert dict(result, **expected) == result
    assert sim.stats()["by_method_path"] == {"GET /1.0/public/user/proxy_user/search": calls}
