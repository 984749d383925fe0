# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The proxy_user engine on a fake transport: exactly what is sent, and what is never shown."""

from __future__ import annotations

import json

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError, OptionError
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user_options import declared, parse_limit
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user_writes import ensure

from .fake_api import envelope, make_client

GIB = 1024 ** 3
SECRET = "Current0Secret0Pw"
USER = {"proxy_user_id": "scraper_eu_01", "proxy_user_password": SECRET, "proxy_user_access_type": "all",
        "proxy_user_is_default": False, "proxy_user_is_deleted": False, "proxy_user_is_strict_security": False,
        "proxy_user_enforce_https": False, "ip_address_authentications": ["203.0.113.9"],
        "proxy_user_residential_bytes_limit": 5 * GIB, "proxy_user_mobile_bytes_limit": None,
        "proxy_user_metadata": {"team": "crawler"}}


def account(users, customer=None):
    """A handler for one account: its users (searched by proxy_user_id), its customer; writes recorded and applied."""
    users = [dict(user) for user in users]
    customer = customer or {"customer_id": 1955, "customer_proxy_user_limit": 5}

    def handler(call):
        if call.path == "/public/user/proxy_user/search":
            wanted = call.query.get("proxy_user_id")
            return 200, envelope([u for u in users if wanted is None or u["proxy_user_id"] == wanted])
        if call.path == "/public/user/customer/retrieve":
            return 200, {"data": customer}
        if call.method == "POST":
            users.append(dict(call.body, proxy_user_is_deleted=False, proxy_user_is_default=False))
            return 201, {"created": [call.body["proxy_user_id"]], "data": {"proxy_user_id": call.body["proxy_user_id"]}}
        if call.method == "PATCH":
            user = next(u for u in users if u["proxy_user_id"] == call.path.rsplit("/", 1)[1])
            user.update({k: v for k, v in call.body.items() if k != "clear_proxy_user_acl"})
            return 200, {"edited": [user["proxy_user_id"]]}
        return 404, {"error": "Not Found"}
    return handler


def writes(session):
    return [(call.method, call.path, call.body) for call in session.calls if call.method != "GET"]


def test_an_edit_sends_only_what_differs():
    client, session, dummy = make_client(account([USER]))
    result, warnings = ensure(client, {"proxy_user_id": "scraper_eu_01", "password": SECRET, "enforce_https": True,
                                       "residential_bytes_limit": "5 GiB", "metadata": {"team": "crawler"},
                                       "ip_address_authentications": ["203.0.113.9"]})
    assert result["changed"] is True and warnings == []
    assert writes(session) == [("PATCH", "/public/user/proxy_user/edit/scraper_eu_01", {"proxy_user_enforce_https": True})]


def test_a_new_password_is_sent_and_never_returned():
    client, session, dummy = make_client(account([USER]))
    result, dummy = ensure(client, {"proxy_user_id": "scraper_eu_01", "password": "New0Secret0Password"})
    assert writes(session) == [("PATCH", "/public/user/proxy_user/edit/scraper_eu_01",
                                {"proxy_user_password": "New0Secret0Password"})]
    shown = json.dumps(result)
    assert "New0Secret0Password" not in shown and SECRET not in shown and "proxy_user_password\": \"********" in shown


def test_a_create_sends_the_declared_members_and_the_password():
    client, session, dummy = make_client(account([dict(USER, proxy_user_id="default_1955", proxy_user_is_default=True)]))
    result, dummy = ensure(client, {"proxy_user_id": "scraper_us_01", "password": SECRET, "mobile_bytes_limit": "1.5 GB",
                                    "access_type": "proxy_restricted"})
    assert writes(session) == [("POST", "/public/user/proxy_user/create", {
        "proxy_user_id": "scraper_us_01", "proxy_user_password": SECRET, "proxy_user_mobile_bytes_limit": 1610612736,
        "proxy_user_access_type": "proxy_restricted"})]
    assert result["proxy_user"]["proxy_user_id"] == "scraper_us_01" and SECRET not in json.dumps(result)


def test_a_schema_error_never_quotes_a_password():
    client, dummy, dummy = make_client(account([dict(USER, proxy_user_password=123456789012, proxy_user_is_default="no")]))
    with pytest.raises(BytefulError) as info:
        ensure(client, {"proxy_user_id": "scraper_eu_01"})
    assert "$.proxy_user.proxy_user_password must be string or null, found a JSON integer" in info.value.message
    assert "123456789012" not in info.value.message
    client, dummy, dummy = make_client(account([dict(USER, proxy_user_is_default="no")]))
    with pytest.raises(BytefulError) as info:
        ensure(client, {"proxy_user_id": "scraper_eu_01"})
    assert "$.proxy_user.proxy_user_is_default must be boolean or null" in info.value.message
    assert SECRET not in info.value.message and SECRET not in json.dumps(info.value.details)


def test_a_filter_the_api_ignores_does_not_pick_another_user():
    others = [dict(USER, proxy_user_id="pu_%03d" % n, proxy_user_enforce_https=True) for n in range(3)]

    def ignoring(call):
        return 200, envelope(others + [USER] if call.method == "GET" else [])
    client, session, dummy = make_client(ignoring)
    result, dummy = ensure(client, {"proxy_user_id": "scraper_eu_01", "enforce_https": False}, check_mode=True)
    assert result["changed"] is False and result["proxy_user"]["proxy_user_id"] == "scraper_eu_01"


@pytest.mark.parametrize("value, expected", [
    (0, 0), (1, 1), (1048576, 1048576), ("5 GB", 5 * GIB), ("5gib", 5 * GIB), ("1.5T", 1536 * GIB), ("512 KiB", 524288),
    ("unlimited", None), (" None ", None),
])
def test_limits(value, expected):
    assert parse_limit(value, "residential_bytes_limit") == expected


@pytest.mark.parametrize("value", [2, "1048575", True, 1.5, [], "GB", "5 GBs", "0.5", " 1.0 "])
def test_limits_refused(value):
    with pytest.raises(OptionError, match="^residential_bytes_limit "):
        parse_limit(value, "residential_bytes_limit")


def test_declared_leaves_out_what_is_unset():
    assert declared({"access_type": None, "metadata": None, "strict_security": False}) == {"proxy_user_is_strict_security": False}
    assert declared({"ip_address_authentications": ["2001:DB8::1", "203.0.113.0/24", "198.51.100.7/32"]}) == {
        "ip_address_authentications": ["2001:db8::1", "203.0.113.0/24", "198.51.100.7"]}
