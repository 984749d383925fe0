# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""Proxy users: how many the account has against its limit, at the cost of one call (usually)."""

from __future__ import annotations

from ansible_collections.byteful.proxy.plugins.module_utils._schema import array_of, check, identifier, optional

PROXY_USER_SEARCH_PATH = "/public/user/proxy_user/search"

PROXY_USER_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Byteful proxy user",
    "description": (
        "An item of the data array of GET /public/user/proxy_user/search, as far as counting needs it: every field may "
        "be absent or null, a present one has its documented type, other members are allowed."),
    "type": "object",
    "properties": {
        "proxy_user_id": identifier("The user name."),
        "proxy_user_is_default": optional("boolean", "Whether this is the account's default proxy user."),
        "proxy_user_is_deleted": optional("boolean", "Whether the proxy user is deleted."),
        "proxy_user_access_type": optional("string", "all, service_restricted or proxy_restricted."),
        "customer_id": optional("integer", "Account id."),
    },
    "additionalProperties": True,
}
_PROXY_USERS_SCHEMA = array_of(PROXY_USER_SCHEMA)
_WHAT = "Counting the Byteful proxy users"


def read_proxy_users(client, customer):
    """The account's proxy users against its limit: count, count_excluding_default, limit and headroom.

    count is the proxy users not deleted, the default one included; headroom = limit - count is
    the cautious reading (the documentation does not say whether the default user counts
    against customer_proxy_user_limit; count_excluding_default gives the other reading).
    Normally one call with per_page=1 (total_count tells the count, the default user sorted
    first tells whether it is among them); paging through every user, counted here without the
    deleted ones, when the API did not count (total_count -1, or a count the page contradicts,
    such as 0 beside a listed user) or its first item contradicts the request (deleted, or not
    the default). An API that ignores both the filter and the
    sort, and whose first user happens to be the default and not deleted, cannot be told
    apart in one call: its count may include deleted users.
    """
    first = client.first_page(PROXY_USER_SEARCH_PATH, _WHAT, {
        "proxy_user_is_deleted": False, "sort_by": "proxy_user_is_default_desc"}, per_page=1)
    _check(first)
    count = first.total_count
    leading = first.items[0] if first.items else {}
    if count == 0 and not first.items:
        with_default = False
    elif (count is None or leading.get("proxy_user_is_deleted") is True
          or leading.get("proxy_user_is_default") is not True):
        # Not counted, or the answer contradicts the request (a deleted user, or no default
        # first: the API ignored the filter or the sort, or there is no default user): count
        # here, page by page; an account has few proxy users, so this is one call or two.
        count, with_default = _count_every_page(client)
    else:
        with_default = True
    limit = customer.get("customer_proxy_user_limit")
    return {
        "count": count,
        "count_excluding_default": count - 1 if with_default else count,
        "limit": limit,
        "headroom": None if limit is None else limit - count,
    }


def _check(result):
    check(result.items, _PROXY_USERS_SCHEMA, "a list of proxy users", result.request_id, path_prefix=("proxy_users",))


def _live_users(client):
    """Every proxy user that is not deleted, each page of the search read and checked."""
    result = client.search(PROXY_USER_SEARCH_PATH, _WHAT, {"proxy_user_is_deleted": False},
                           narrow_with="fewer proxy users")
    _check(result)
    return [user for user in result.items if user.get("proxy_user_is_deleted") is not True]


def _count_every_page(client):
    """(users not deleted, whether the default user is among them), counted here over every page."""
    kept = _live_users(client)
    return len(kept), any(user.get("proxy_user_is_default") is True for user in kept)


def live_proxy_user_ids(client):
    """The ids of every proxy user that is not deleted (for the gate's planned users)."""
    return sorted(user["proxy_user_id"] for user in _live_users(client) if isinstance(user.get("proxy_user_id"), str))
