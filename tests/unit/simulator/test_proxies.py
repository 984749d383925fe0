# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The simulator's proxies: derived from the services, searched, retrieved, and as lines with credentials."""

from __future__ import annotations

import collections
import datetime
import ipaddress
import json
import re

import pytest

from ansible_collections.byteful.proxy.tests.simulator import CATALOGUE, Simulator
from ansible_collections.byteful.proxy.tests.unit.simulator.api_calls import call, every_item

pytestmark = pytest.mark.once  # no ansible-core code in the simulator: see tests/unit/conftest.py

ODD = json.loads(json.dumps(CATALOGUE.builtin_accounts()["proxies_odd"]["proxies"]))


@pytest.fixture(name="healthy_proxies", scope="module")
def healthy_proxies_fixture(server):
    server.reset(accounts=True)
    return every_item(server, "healthy", "proxy_search")


def lines(sim, query, account="healthy"):
    status, envelope = call(sim, account, "proxy_list_by_search", query)
    assert status == 200, envelope
    return envelope["data"]


# -- derived from the services ----------------------------------------------------------------------


def test_each_proxy_service_holds_its_proxies_in_a_status_that_follows_the_service(healthy_proxies):
    counts = collections.Counter((proxy["service_id"], proxy["proxy_status"], proxy["proxy_type"]) for proxy in healthy_proxies)
    assert counts == {
        ("1955-8012-873", "in_use", "isp"): 100,              # active
        ("1955-8012-874", "waiting", "isp"): 10,              # awaiting_fulfillment
        ("1955-8012-876", "in_use", "datacenter"): 25,        # awaiting_additional_fulfillment: half of 50
        ("1955-8012-877", "reserved", "datacenter"): 200,     # paused
        ("1955-8012-878", "reserved", "datacenter"): 20,      # overdue
    }  # none for residential, mobile, awaiting_manual_fulfillment, canceled 40 days ago, complete


def test_proxies_are_shaped_as_the_live_proxy_object(healthy_proxies):
    ids = [proxy["proxy_id"] for proxy in healthy_proxies]
    assert len(set(ids)) == len(ids) == 355 and all(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", i) for i in ids)
    v4 = [proxy["proxy_ip_address"] for proxy in healthy_proxies if proxy["proxy_ip_address"]]
    assert len(set(v4)) == len(v4) and all(ipaddress.ip_address(address) in ipaddress.ip_network("198.18.0.0/15") for address in v4)
    for proxy in healthy_proxies:
        assert (proxy["proxy_http_port"], proxy["proxy_socks5_port"]) == {"isp": (8080, 1080), "datacenter": (3128, 1085)}[proxy["proxy_type"]]
        assert proxy["customer_id"] == 1955 and proxy["default_proxy_user_username"] == "default_1955"
        assert proxy["proxy_user_ids"] == ["default_1955", "pu_1955_001"]  # the two users of access type all; pu_1955_002 has no ACL
        host = proxy["proxy_ip_address"] or proxy["proxy_ip_address_v6"]
        assert proxy["http_formatted"] == "%s:%s:default_1955:%s" % (host, proxy["proxy_http_port"], proxy["default_proxy_user_password"])
        assert re.fullmatch(r"[a-f0-9]{8}[A-F0-9]{8}", proxy["proxy_password"]) and proxy["proxy_username"].startswith("px")
        assert proxy["country_id"] in ("us", "gb") and proxy["city_name"] and isinstance(proxy["city_latitude"], float)
    ipv6 = [proxy for proxy in healthy_proxies if proxy["service_id"] == "1955-8012-877"]
    assert all(proxy["proxy_protocol"] == "ipv6" and proxy["proxy_ip_address"] is None and proxy["subnet_id"] is None for proxy in ipv6)
    assert all(ipaddress.ip_address(proxy["proxy_ip_address_v6"]) in ipaddress.ip_network("2001:db8::/32") for proxy in ipv6)


def test_proxy_ids_do_not_change_between_runs(healthy_proxies):
    with Simulator(rate_limit=False) as other:
        _status, envelope = call(other, "healthy", "proxy_search", {"per_page": 3})
    assert [proxy["proxy_id"] for proxy in envelope["data"]] == [proxy["proxy_id"] for proxy in healthy_proxies[:3]]


def test_a_recently_canceled_service_has_proxies_pending_deletion_and_others_none(sim):
    sim.set_account("mixed", customer={"customer_id": 3}, proxy_users=[], services=[
        {"service_id": "S-new", "service_status": "canceled", "service_type": "datacenter", "service_quantity": 3, "service_expiry_datetime": "$now-2d"},
        {"service_id": "S-old", "service_status": "canceled", "service_type": "datacenter", "service_quantity": 3, "service_expiry_datetime": "$now-8d"},
        {"service_id": "S-res", "service_status": "active", "service_type": "residential", "service_quantity": 1},
        {"service_id": "S-man", "service_status": "awaiting_manual_fulfillment", "service_type": "isp", "service_quantity": 4},
        {"service_id": "S-odd", "service_status": "active", "service_type": "isp", "service_quantity": "4"},
        {"service_id": ["S-list"], "service_status": "paused", "service_type": "isp", "service_quantity": 1, "country_id": {"no": "hash"}},
        {"service_id": "S-dual", "service_status": "active", "service_type": "isp", "service_quantity": 1, "service_protocol": "dual",
         "country_id": "de"}])
    proxies = every_item(sim, "mixed", "proxy_search")
    assert [(proxy["service_id"], proxy["proxy_status"]) for proxy in proxies] == [("S-new", "pending_deletion")] * 3 + [
        (["S-list"], "reserved"), ("S-dual", "in_use")]
    assert proxies[3]["country_id"] == "us"  # a country it cannot read: the first place
    dual = proxies[-1]
    assert dual["proxy_ip_address"] and dual["proxy_ip_address_v6"] and (dual["country_id"], dual["city_name"]) == ("de", "Frankfurt am Main")
    assert dual["default_proxy_user_username"] is None and dual["http_formatted"] is None  # this account has no proxy user at all


def test_accounts_without_proxy_services_have_no_proxies(sim):
    assert every_item(sim, "api_only", "proxy_search") == []
    assert len(every_item(sim, "low_credit", "proxy_search")) == 100  # derived services: one ISP service of proxy_count proxies


def test_proxies_follow_the_proxy_users_as_they_now_are(sim):
    assert call(sim, "healthy", "proxy_user_create", body={"proxy_user_id": "new_reader", "proxy_user_password": "NewReader12345"})[0] == 201
    assert call(sim, "healthy", "proxy_user_edit", body={"proxy_user_password": "ChangedDefault1"}, item_id="default_1955")[0] == 200
    assert call(sim, "healthy", "proxy_user_delete", item_id="pu_1955_001")[0] == 200
    proxy = call(sim, "healthy", "proxy_search", {"per_page": 1})[1]["data"][0]
    assert proxy["proxy_user_ids"] == ["default_1955", "new_reader"]
    assert proxy["default_proxy_user_password"] == "ChangedDefault1" and proxy["http_formatted"].endswith(":default_1955:ChangedDefault1")


def test_service_restricted_and_proxy_restricted_users_reach_what_their_lists_name(sim):
    sim.set_account("acl", customer={"customer_id": 4}, services=[
        {"service_id": "A", "service_status": "active", "service_type": "isp", "service_quantity": 2},
        {"service_id": "B", "service_status": "active", "service_type": "isp", "service_quantity": 2}])
    first = call(sim, "acl", "proxy_search", {"service_id": "B", "per_page": 1})[1]["data"][0]["proxy_id"]
    sim.set_account("acl", proxy_users=[
        {"proxy_user_id": "default_0004", "proxy_user_is_default": True, "proxy_user_access_type": "all", "proxy_user_password": "Default000004"},
        {"proxy_user_id": "only_service_a", "proxy_user_access_type": "service_restricted", "restricted_service_ids": ["A"]},
        {"proxy_user_id": "only_one_proxy", "proxy_user_access_type": "proxy_restricted", "restricted_proxy_ids": [first]}])
    reach = {proxy["service_id"] + str(index % 2): proxy["proxy_user_ids"] for index, proxy in enumerate(every_item(sim, "acl", "proxy_search"))}
    assert reach == {"A0": ["default_0004", "only_service_a"], "A1": ["default_0004", "only_service_a"],
                     "B0": ["default_0004", "only_one_proxy"], "B1": ["default_0004"]}


# -- search and retrieve ------------------------------------------------------------------------------


@pytest.mark.parametrize("query, count", [
    ({"service_id": "1955-8012-876"}, 25),
    ({"proxy_type": "isp"}, 110),
    ({"proxy_status": "reserved"}, 220),
    ({"proxy_status": "in_use", "proxy_type": "datacenter"}, 25),
    ({"proxy_protocol": "ipv6"}, 200),
    ({"country_id": "gb"}, 30),
    ({"not_country_id": "gb"}, 325),
    ({"proxy_user_id": "pu_1955_001"}, 355),
    ({"proxy_user_id": "pu_1955_002"}, 0),
    ({"not_proxy_user_id": "pu_1955_002"}, 355),
    ({"min_city_latitude": "39"}, 355 - 163),       # Dallas (32.8) is half of the US proxies: 163 of them
    ({"proxy_http_port": "3128"}, 245),
    ({"like_asn_name": "telecom"}, 30),
])
def test_the_proxy_filters(sim, query, count):
    _status, envelope = call(sim, "healthy", "proxy_search", dict(query, per_page=1))
    assert envelope["total_count"] == count


def test_sorting_and_paging_proxies(sim):
    _status, envelope = call(sim, "healthy", "proxy_search", {"sort_by": "proxy_ip_address_desc", "per_page": 2, "proxy_protocol": "ipv4"})
    addresses = [proxy["proxy_ip_address"] for proxy in envelope["data"]]
    assert addresses == sorted(addresses, reverse=True) and envelope["total_count"] == 155
    pages = [call(sim, "healthy", "proxy_search", {"page": page})[1] for page in (1, 2, 3, 4, 5)]
    assert [page["item_count"] for page in pages] == [100, 100, 100, 55, 0] and {page["total_count"] for page in pages} == {355}


def test_retrieve_a_proxy(sim, healthy_proxies):
    for proxy in (healthy_proxies[0], healthy_proxies[-1]):
        status, envelope = call(sim, "healthy", "proxy_retrieve", item_id=proxy["proxy_id"])
        assert (status, envelope["message"], envelope["data"]["proxy_id"]) == (200, "Proxy successfully retrieved.", proxy["proxy_id"])
    status, envelope = call(sim, "healthy", "proxy_retrieve", item_id="00000000-0000-4000-8000-000000000000")
    assert (status, envelope["error"], envelope["message"]) == (404, "Not Found", "Proxy '00000000-0000-4000-8000-000000000000' not found.")


def test_proxies_odd_serves_its_list_as_written(sim):
    served = every_item(sim, "proxies_odd", "proxy_search")
    assert [proxy["proxy_id"] for proxy in served] == [proxy["proxy_id"] for proxy in ODD]
    assert served[4]["proxy_tags"] == ["beta", "rotating"] and served[4]["proxy_status"] == "quarantined"
    assert "proxy_username" not in served[3] and served[5]["proxy_http_port"] is None and served[1]["city_latitude"] == "40.7128"
    moment = datetime.datetime.strptime(served[0]["proxy_last_update_datetime"], "%Y-%m-%d %H:%M:%S")
    assert abs((moment - datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)).total_seconds() + 7200) < 120
    assert call(sim, "proxies_odd", "proxy_search", {"country_id": "gb"})[1]["total_count"] == 0  # "GB" as written: no case folding


# -- proxy lines ------------------------------------------------------------------------------------


def test_the_list_formats(sim, healthy_proxies):
    first = healthy_proxies[0]
    host, user, password = first["proxy_ip_address"], "default_1955", first["default_proxy_user_password"]
    one = {"per_page": 1}
    assert lines(sim, one) == ["%s:8080:%s:%s" % (host, user, password)]
    assert lines(sim, dict(one, list_protocol="socks5")) == ["%s:1080:%s:%s" % (host, user, password)]
    for scheme, port in (("http", 8080), ("https", 8080), ("socks5", 1080), ("socks5h", 1080)):
        assert lines(sim, dict(one, list_format=scheme)) == ["%s://%s:%s@%s:%d" % (scheme, user, password, host, port)]
    assert lines(sim, dict(one, list_authentication="ip_address")) == ["%s:8080" % host]
    assert lines(sim, dict(one, list_authentication="ip_address", list_format="http")) == ["http://%s:8080" % host]
    assert lines(sim, dict(one, list_authentication="proxy_specific")) == ["%s:8080:%s:%s" % (host, first["proxy_username"], first["proxy_password"])]
    v6 = lines(sim, dict(one, list_version="ipv6", list_format="socks5h", service_id="1955-8012-877"))
    assert re.fullmatch(r"socks5h://default_1955:%s@\[2001:db8:[0-9a-f:]+\]:1085" % password, v6[0])
    assert re.fullmatch(r"2001:db8:[0-9a-f:]+:3128:default_1955:%s" % password, lines(sim, dict(one, list_version="ipv6"))[0])


def test_a_list_pages_and_filters_as_the_search_does_and_leaves_out_what_cannot_be_a_line(sim):
    _status, envelope = call(sim, "healthy", "proxy_list_by_search", {"per_page": 500})
    assert (envelope["per_page"], envelope["item_count"], envelope["total_count"], envelope["message"]) == (
        100, 100, 155, "Proxy list successfully generated.")  # the 200 IPv6-only proxies have no IPv4 line
    assert len(lines(sim, {"service_id": "1955-8012-878"})) == 20
    assert len(lines(sim, {"list_version": "ipv6", "per_page": 100, "page": 2})) == 100
    odd = lines(sim, {"list_authentication": "proxy_specific"}, "proxies_odd")
    assert odd == ["198.51.100.10:8080:pxodd00001:OddPass0001xyz", "198.51.100.11:8080:pxodd00003:OddPass0003xyz",
                   "198.51.100.15:8000:pxodd00007:OddPass0007xyz"]
    assert lines(sim, {"list_authentication": "ip_address", "proxy_status": "pending_deletion"}, "proxies_odd") == []  # no port


def test_a_list_for_a_proxy_user_has_its_credentials_and_its_proxies(sim):
    assert call(sim, "healthy", "proxy_user_create", body={"proxy_user_id": "lister_user", "proxy_user_password": "ListerPass123"})[0] == 201
    assert lines(sim, {"proxy_user_id": "lister_user", "per_page": 1})[0].endswith(":8080:lister_user:ListerPass123")
    assert lines(sim, {"proxy_user_id": "pu_1955_002"}) == []  # service_restricted, no ACL: it reaches nothing
    assert lines(sim, {"proxy_user_id": "pu_2015_001", "list_format": "http"}, "proxies_odd") == [
        "http://pu_2015_001:simpw000001@198.51.100.10:8080", "http://pu_2015_001:simpw000001@198.51.100.11:8080",
        "http://pu_2015_001:simpw000001@198.51.100.15:8000"]


@pytest.mark.parametrize("query, status, words", [
    ({"list_format": "json"}, 400, "list_format must be one of standard, http, https, socks5, socks5h."),
    ({"list_protocol": "https"}, 400, "list_protocol must be one of http, socks5."),
    ({"list_version": "4"}, 400, "list_version must be one of ipv4, ipv6."),
    ({"list_authentication": "password"}, 400, "list_authentication must be one of username_and_password, proxy_specific, ip_address."),
    ({"proxy_user_id": "nobody_at_all"}, 404, "Proxy User 'nobody_at_all' not found."),
    ({"per_page": "0"}, 400, "per_page must be at least 1."),
])
def test_list_refusals(sim, query, status, words):
    answer, envelope = call(sim, "healthy", "proxy_list_by_search", query)
    assert (answer, envelope["message"]) == (status, words)


def test_a_deleted_user_has_no_list_and_an_account_without_a_default_user_needs_one_named(sim):
    assert call(sim, "healthy", "proxy_user_delete", item_id="pu_1955_001")[0] == 200
    assert call(sim, "healthy", "proxy_list_by_search", {"proxy_user_id": "pu_1955_001"})[0] == 404
    sim.set_account("nobody", customer={"customer_id": 5}, proxy_users=[], services=[
        {"service_id": "S", "service_status": "active", "service_type": "isp", "service_quantity": 1}])
    status, envelope = call(sim, "nobody", "proxy_list_by_search")
    assert (status, envelope["message"]) == (422, "The account has no default proxy user: give proxy_user_id.")
    assert call(sim, "nobody", "proxy_list_by_search", {"list_authentication": "ip_address"})[1]["data"] == ["198.18.0.1:8080"]


def test_list_by_id(sim, healthy_proxies):
    ipv6_only = next(proxy for proxy in healthy_proxies if proxy["proxy_protocol"] == "ipv6")
    chosen = [healthy_proxies[5]["proxy_id"], healthy_proxies[0]["proxy_id"], ipv6_only["proxy_id"]]  # no IPv4 line for the last
    status, envelope = call(sim, "healthy", "proxy_list_by_id", body={"proxy_ids": chosen, "list_format": "http"})
    assert (status, envelope["message"]) == (200, "Proxy list successfully generated.") and set(envelope) == {"data", "message"}
    password = healthy_proxies[0]["default_proxy_user_password"]
    assert envelope["data"] == ["http://default_1955:%s@%s:8080" % (password, healthy_proxies[index]["proxy_ip_address"]) for index in (5, 0)]
    status, envelope = call(sim, "healthy", "proxy_list_by_id", body={"proxy_ids": chosen + ["nope"]})
    assert (status, envelope["message"]) == (404, "Proxy 'nope' not found.")
    for body in ({}, {"proxy_ids": []}, {"proxy_ids": "abc"}, {"proxy_ids": [1]}, {"proxy_ids": chosen, "list_format": "csv"}):
        assert call(sim, "healthy", "proxy_list_by_id", body=body)[0] == 400
    assert call(sim, "healthy", "proxy_list_by_id", body={"proxy_ids": chosen, "proxy_user_id": "pu_1955_002"})[1]["data"] == []
