# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""GET /public/user/proxy/search (search.py: filters, sort_by, pages) and GET /public/user/proxy/retrieve/{proxy_id}.

Data file key ``proxies``: a list of Proxy objects, served as written (relative times allowed).
Without it, the proxies follow from the account's services (services.py), in service order: an ISP or
datacenter service holds ``service_quantity`` proxies, ``in_use`` when the service is active (half of
them when it is ``awaiting_additional_fulfillment``), ``reserved`` when it is paused or overdue,
``waiting`` when it is ``awaiting_fulfillment``, ``pending_deletion`` when it was canceled less than 7
days ago; other services (residential, mobile, finished ones) hold none. ``Customer.proxy_count`` is
the customer's own figure: nothing here makes it agree.

A derived proxy is shaped as byteful-sdk's ``Proxy`` model and the docs' example: a UUID that does not
change between runs, addresses from the benchmarking range 198.18.0.0/15 and the documentation range
2001:db8::/32 (ipv4 services: an IPv4 address; ipv6: an IPv6 one and ``proxy_ip_address`` null; dual:
both), ports 8080/1080 (ISP) or 3128/1085 (datacenter), geography and network by the service's
country, proxy-specific credentials (``proxy_username``/``proxy_password``), the default proxy user's
credentials (``default_proxy_user_username``/``_password``), ``proxy_user_ids`` (the undeleted users
whose access type and ACL lists reach it, as they now are) and ``http_formatted``/``socks5_formatted``
lines (host:port:user:password of the default user; the community client saw such members in search
answers). Every password in them is a secret the server never logs.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import ipaddress
import uuid

from . import clock
from .proxy_users import account_proxy_users
from .route import RetrieveRoute
from .search import SearchRoute
from .services import account_services, resolve_items

PROXY_FIELDS = {
    "proxy_id": "str", "service_id": "str", "customer_id": "int", "proxy_ip_address": "str", "proxy_ip_address_v6": "str",
    "subnet_id": "str", "subnet_id_v6": "str", "ip_address_id_v4": "str", "ip_address_id_v6": "str", "proxy_http_port": "int",
    "proxy_socks5_port": "int", "proxy_status": "str", "proxy_type": "str", "proxy_protocol": "str", "country_id": "str",
    "country_name": "str", "subdivision_id": "str", "subdivision_name": "str", "city_id": "int", "city_name": "str", "city_timezone": "str",
    "city_example_postcode": "str", "city_latitude": "float", "city_longitude": "float", "asn_id": "int", "asn_name": "str",
    "proxy_last_update_datetime": "datetime", "proxy_user_id": "member:proxy_user_ids",
}
PROXY_TYPES = ("isp", "datacenter")
PORTS = {"isp": (8080, 1080), "datacenter": (3128, 1085)}
# country -> places: (country_name, subdivision_id, subdivision_name, city_id, city_name, timezone, postcode, latitude, longitude, asn_id, asn_name)
PLACES = {
    "us": [("United States", "us-tx", "Texas", 75202, "Dallas", "America/Chicago", "75201", 32.7767, -96.797, 7018, "AT&T Enterprises, LLC"),
           ("United States", "us-va", "Virginia", 20147, "Ashburn", "America/New_York", "20147", 39.0438, -77.4874, 14618, "Amazon.com, Inc.")],
    "gb": [("United Kingdom", "gb-eng", "England", 2643743, "London", "Europe/London", "EC1A 1BB", 51.5074, -0.1278, 2856,
            "British Telecommunications PLC")],
    "de": [("Germany", "de-he", "Hesse", 2925533, "Frankfurt am Main", "Europe/Berlin", "60311", 50.1109, 8.6821, 3320, "Deutsche Telekom AG")],
}
_NAMESPACE = uuid.UUID("7f3c2a91-5d4e-4b8a-a1c6-3e9d0b2f4a17")
_FIRST_V4 = int(ipaddress.IPv4Address("198.18.0.1"))


def _count_and_status(service, now):
    status, quantity = service.get("service_status"), service.get("service_quantity")
    if service.get("service_type") not in PROXY_TYPES or not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        return 0, None
    if status == "active":
        return quantity, "in_use"
    if status == "awaiting_additional_fulfillment":
        return quantity // 2, "in_use"
    if status in ("paused", "overdue"):
        return quantity, "reserved"
    if status == "awaiting_fulfillment":
        return quantity, "waiting"
    expiry = clock.parse(service.get("service_expiry_datetime"))
    if status == "canceled" and expiry is not None and 0 <= (now - expiry).total_seconds() < 7 * 86400:
        return quantity, "pending_deletion"
    return 0, None


@functools.lru_cache(maxsize=50000)
def _proxy(customer_id, service_id, kind, protocol, country_id, service_number, number, serial, status):
    """A proxy without its users (what depends on the service alone; cached: every search makes them all again)."""
    protocol = protocol if protocol in ("ipv4", "ipv6", "dual") else "ipv4"
    places = PLACES.get(country_id, PLACES["us"])
    country, subdivision_id, subdivision, city_id, city, zone, postcode, latitude, longitude, asn_id, asn = places[number % len(places)]
    proxy_id = str(uuid.uuid5(_NAMESPACE, "%s/%s/%d" % (customer_id, service_id, number)))
    v4 = str(ipaddress.IPv4Address(_FIRST_V4 + serial)) if protocol != "ipv6" else None
    v6 = "2001:db8:%x::%x" % (service_number + 1, number + 1) if protocol != "ipv4" else None
    secret = hashlib.sha256(proxy_id.encode("ascii")).hexdigest()
    return {
        "proxy_id": proxy_id,
        "proxy_status": status,
        "proxy_type": kind,
        "proxy_protocol": protocol,
        "proxy_ip_address": v4,
        "proxy_ip_address_v6": v6,
        "proxy_http_port": PORTS[kind][0],
        "proxy_socks5_port": PORTS[kind][1],
        "proxy_username": "px" + secret[:10],
        "proxy_password": secret[10:18] + secret[18:26].upper(),
        "service_id": service_id,
        "customer_id": customer_id,
        "country_id": country_id if country_id in PLACES else "us",
        "country_name": country,
        "subdivision_id": subdivision_id,
        "subdivision_name": subdivision,
        "city_id": city_id,
        "city_name": city,
        "city_timezone": zone,
        "city_example_postcode": postcode,
        "city_latitude": latitude,
        "city_longitude": longitude,
        "asn_id": asn_id,
        "asn_name": asn,
        "subnet_id": v4.rsplit(".", 1)[0] + ".0/24" if v4 else None,
        "subnet_id_v6": "2001:db8:%x::/48" % (service_number + 1) if v6 else None,
        "ip_address_id_v4": str(uuid.uuid5(_NAMESPACE, v4)) if v4 else None,
        "ip_address_id_v6": str(uuid.uuid5(_NAMESPACE, v6)) if v6 else None,
        "proxy_last_update_datetime": None,  # set by derived_proxies, in the account's form
    }


def _with_users(proxy, users):
    """The proxy with the users who reach it and the default user's credentials, as the account's users now are."""
    live = [user for user in users if isinstance(user, dict) and not user.get("proxy_user_is_deleted")]
    default = next((user for user in live if user.get("proxy_user_is_default")), None)
    reach = []
    for user in live:
        access = user.get("proxy_user_access_type", "all")
        if access == "all" or (access == "service_restricted" and proxy["service_id"] in (user.get("restricted_service_ids") or [])) or \
                (access == "proxy_restricted" and proxy["proxy_id"] in (user.get("restricted_proxy_ids") or [])):
            reach.append(user.get("proxy_user_id"))
    proxy["proxy_user_ids"] = reach
    proxy["default_proxy_user_username"] = default.get("proxy_user_id") if default else None
    proxy["default_proxy_user_password"] = default.get("proxy_user_password") if default else None
    host = proxy["proxy_ip_address"] or proxy["proxy_ip_address_v6"]
    for name, port in (("http_formatted", proxy["proxy_http_port"]), ("socks5_formatted", proxy["proxy_socks5_port"])):
        proxy[name] = "%s:%s:%s:%s" % (host, port, proxy["default_proxy_user_username"], proxy["default_proxy_user_password"]) if default else None
    return proxy


def derived_proxies(account, request):
    customer = account.get("customer") if isinstance(account.get("customer"), dict) else {}
    users = account_proxy_users(account, request)
    form = account.get("datetime_form", "space")
    proxies, serial = [], 0
    for service_number, service in enumerate(account_services(account, request)):
        if not isinstance(service, dict):
            continue
        count, status = _count_and_status(service, request.now)
        for number in range(count):
            country = service.get("country_id") if isinstance(service.get("country_id"), str) else None
            key = (customer.get("customer_id"), service.get("service_id"), service["service_type"], service.get("service_protocol"),
                   country, service_number, number, serial, status)
            try:
                proxy = dict(_proxy(*key))
            except TypeError:  # a test-defined service with an id that is a list, say: made, not cached
                proxy = _proxy.__wrapped__(*key)
            proxy = _with_users(proxy, users)
            # an hour to three days ago; made here rather than as "$now-...": thousands of proxies, resolved at once
            updated = request.now - datetime.timedelta(hours=number % 72 + 1)
            proxy["proxy_last_update_datetime"] = clock.format_datetime(updated, ("iso" if serial % 2 else "space") if form == "mixed" else form)
            proxies.append(proxy)
            serial += 1
    return proxies


def account_proxies(account, request):
    """The account's proxies in id order; their passwords are secrets the server never logs."""
    if account.get("proxies") is not None:
        proxies = resolve_items(account["proxies"], request.now, account.get("datetime_form", "space"))
    else:
        proxies = derived_proxies(account, request)
    for proxy in proxies:
        if isinstance(proxy, dict):
            for name in ("proxy_password", "default_proxy_user_password"):
                request.keep_secret(proxy.get(name))
    return proxies


ROUTES = (
    SearchRoute("proxy_search", "/public/user/proxy/search", "Proxy search successful.", account_proxies, PROXY_FIELDS),
    RetrieveRoute("proxy_retrieve", "/public/user/proxy/retrieve", "Proxy successfully retrieved.", account_proxies, "proxy_id", "Proxy"),
)
