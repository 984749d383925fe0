# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""GET /public/user/proxy_user/search (search.py: filters, sort_by, pages) and .../retrieve/{proxy_user_id}.

Data file key ``proxy_users``, either a list of ProxyUser objects (relative times allowed), or
``{"active": 24, "deleted": 3}``: that many proxy users, the first of the active ones the default user
(``proxy_user_is_default`` true, access type "all"), the deleted ones (``proxy_user_is_deleted`` true)
after them, or before them all with ``"deleted_first": true`` (then the first user in id order is
neither active nor the default: an API that ignores filters and sort_by shows it first). Without the
key: the default user alone. A plain search returns deleted users too (the docs do not say; the
cautious client filters with ``proxy_user_is_deleted=false``), and so does retrieve (with
``proxy_user_is_deleted`` true): deletes are soft.

The users are writable (proxy_user_writes.py): the first write turns the account's spec into the list
it stands for, kept by the server for the rest of its run.
"""

from __future__ import annotations

import copy

from .route import RetrieveRoute
from .search import SearchRoute
from .services import resolve_items

PROXY_USER_FIELDS = {
    "proxy_user_id": "str", "proxy_user_password": "str", "proxy_user_access_type": "str", "proxy_user_is_default": "bool",
    "proxy_user_is_deleted": "bool", "proxy_user_is_strict_security": "bool", "proxy_user_enforce_https": "bool",
    "proxy_user_ip_address_authentication_limit": "int", "proxy_user_residential_bytes_limit": "int", "proxy_user_residential_bytes_used": "int",
    "proxy_user_mobile_bytes_limit": "int", "proxy_user_mobile_bytes_used": "int", "customer_id": "int", "proxy_user_creation_datetime": "datetime",
    "proxy_user_last_update_datetime": "datetime",
}


def _proxy_user(customer_id, number, default=False, deleted=False):
    user_id = "default_%s" % customer_id if default else "pu_%s_%03d" % (customer_id, number)
    user = {
        "proxy_user_id": user_id,
        "proxy_user_password": "simpw%06d%s" % (number, "d" if deleted else ""),  # a made-up proxy password, as the live API returns one
        "proxy_user_access_type": "all" if default or number % 2 else "service_restricted",
        "proxy_user_is_default": default,
        "proxy_user_is_deleted": deleted,
        "proxy_user_is_strict_security": False,
        "proxy_user_enforce_https": False,
        "proxy_user_ip_address_authentication_limit": 5,
        "ip_address_authentications": [] if number % 3 else ["203.0.113.%d" % (number % 250 + 1)],
        "proxy_user_residential_bytes_limit": None if default or number % 4 else 1073741824,
        "proxy_user_residential_bytes_used": number * 1048576,
        "proxy_user_mobile_bytes_limit": None,
        "proxy_user_mobile_bytes_used": 0,
        "proxy_user_metadata": {} if number % 5 else {"team": "crawler"},
        "customer_id": customer_id,
        "proxy_user_creation_datetime": "$now-%dd" % (300 - number % 300),
        "proxy_user_last_update_datetime": "$now-%dh" % (number % 48 + 1),
    }
    if not default and number % 2 == 0:
        user["restricted_service_ids"] = []
    return user


def generated_proxy_users(customer_id, active, deleted=0, deleted_first=False):
    users = [_proxy_user(customer_id, number, default=number == 0) for number in range(active)]
    gone = [_proxy_user(customer_id, active + number, deleted=True) for number in range(deleted)]
    return gone + users if deleted_first else users + gone


def stored_proxy_users(account):
    """The account's proxy users in id order, relative times unresolved (a copy)."""
    customer = account.get("customer") if isinstance(account.get("customer"), dict) else {}
    spec = account.get("proxy_users")
    if spec is None:
        spec = {"active": 1}
    if isinstance(spec, dict):
        return generated_proxy_users(customer.get("customer_id"), spec.get("active", 0), spec.get("deleted", 0), spec.get("deleted_first", False))
    return copy.deepcopy(spec)


def writable_proxy_users(account):
    """The list the account keeps its users in, made from its spec on the first write (the live account, not a copy)."""
    if not isinstance(account.get("proxy_users"), list):
        account["proxy_users"] = stored_proxy_users(account)
    return account["proxy_users"]


def account_proxy_users(account, request):
    """The account's proxy users as served; their passwords are secrets the server never logs."""
    users = resolve_items(stored_proxy_users(account), request.now, account.get("datetime_form", "space"))
    for user in users:
        if isinstance(user, dict):
            request.keep_secret(user.get("proxy_user_password"))
    return users


ROUTES = (
    SearchRoute("proxy_user_search", "/public/user/proxy_user/search", "Proxy user search successful.", account_proxy_users, PROXY_USER_FIELDS),
    RetrieveRoute("proxy_user_retrieve", "/public/user/proxy_user/retrieve", "Proxy User successfully retrieved.", account_proxy_users,
                  "proxy_user_id", "Proxy User"),
)
