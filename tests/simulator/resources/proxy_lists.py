# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""GET /public/user/proxy/list_by_search and POST /public/user/proxy/list_by_id: proxy lines with credentials.

Options (query parameters of list_by_search, body members of list_by_id; byteful-sdk's enums):
``list_format`` standard (default; ``host:port:user:password``, or ``host:port`` without credentials),
http, https, socks5 or socks5h (``scheme://user:password@host:port``, IPv6 hosts in brackets);
``list_protocol`` http (default) or socks5: the port of a standard line (the URL formats take the port
of their scheme); ``list_version`` ipv4 (default) or ipv6: the address (proxies without that address
or that port are left out); ``list_authentication`` username_and_password (default; the credentials of ``proxy_user_id``,
else of the default proxy user), proxy_specific (each proxy's ``proxy_username``/``proxy_password``;
proxies without them left out) or ip_address (no credentials); ``proxy_user_id``, which also limits
the list to the proxies that user reaches. Anything else, or a value outside those, is 400; an
unknown or deleted ``proxy_user_id`` is 404; username_and_password on an account without a default
user and without ``proxy_user_id`` is 422.

list_by_search takes every proxy search filter, ``sort_by`` and the paging of search.py (100 lines a
page at most) and answers the search envelope with lines as ``data`` (whether the live route pages is
not documented: paging it makes a client that reads one page of a long list visibly wrong).
list_by_id takes ``proxy_ids`` (a non-empty list; an unknown id is 404) and answers
``{"data": [lines in the order asked], "message"}`` (with ``proxy_user_id``, of the proxies that user
reaches). Every password in a line is a secret the server
never logs.
"""

from __future__ import annotations

from .proxies import PROXY_FIELDS, account_proxies
from .proxy_users import account_proxy_users
from .route import ApiRequest, Route, RouteError
from .search import SearchRoute

OPTIONS = {
    "list_format": ("standard", "http", "https", "socks5", "socks5h"),
    "list_protocol": ("http", "socks5"),
    "list_version": ("ipv4", "ipv6"),
    "list_authentication": ("username_and_password", "proxy_specific", "ip_address"),
}
MESSAGE = "Proxy list successfully generated."


def list_options(values, account, request):
    """(options with their defaults, (user, password) or None) from the query or the body; 400/404/422 as the docstring says."""
    options = {}
    for name, allowed in OPTIONS.items():
        value = values.get(name)
        if value in (None, ""):
            value = allowed[0]
        if value not in allowed:
            raise RouteError(400, "%s must be one of %s." % (name, ", ".join(allowed)))
        options[name] = value
    user_id = values.get("proxy_user_id")
    if user_id is not None and not isinstance(user_id, str):
        raise RouteError(400, "proxy_user_id must be a string.")
    users = [user for user in account_proxy_users(account, request) if isinstance(user, dict) and not user.get("proxy_user_is_deleted")]
    if user_id:
        user = next((user for user in users if user.get("proxy_user_id") == user_id), None)
        if user is None:
            raise RouteError(404, "Proxy User '%s' not found." % user_id)
    else:
        user = next((user for user in users if user.get("proxy_user_is_default")), None)
    credentials = None
    if options["list_authentication"] == "username_and_password":
        if user is None:
            raise RouteError(422, "The account has no default proxy user: give proxy_user_id.")
        credentials = (user.get("proxy_user_id"), user.get("proxy_user_password"))
    return options, credentials


def _port_field(options):
    if options["list_format"] == "standard":
        return "proxy_socks5_port" if options["list_protocol"] == "socks5" else "proxy_http_port"
    return "proxy_socks5_port" if options["list_format"].startswith("socks5") else "proxy_http_port"


def usable(proxy, options):
    """Whether the proxy can be a line of this list: it has the address, the port and, for proxy_specific, its credentials."""
    if not isinstance(proxy, dict):
        return False
    if not proxy.get("proxy_ip_address" if options["list_version"] == "ipv4" else "proxy_ip_address_v6") or proxy.get(_port_field(options)) is None:
        return False
    return options["list_authentication"] != "proxy_specific" or bool(proxy.get("proxy_username") and proxy.get("proxy_password"))


def line(proxy, options, credentials):
    """One proxy as a line of the list."""
    host = proxy["proxy_ip_address" if options["list_version"] == "ipv4" else "proxy_ip_address_v6"]
    list_format = options["list_format"]
    port = proxy[_port_field(options)]
    if options["list_authentication"] == "proxy_specific":
        credentials = (proxy["proxy_username"], proxy["proxy_password"])
    if list_format == "standard":
        return ":".join(str(part) for part in (host, port) + (credentials or ()))
    if ":" in host:
        host = "[%s]" % host
    user = "%s:%s@" % credentials if credentials else ""
    return "%s://%s%s:%s" % (list_format, user, host, port)


class ListBySearchRoute(SearchRoute):
    """The proxy search's filters, sort_by and pages, answered as lines."""

    def envelope(self, account, request=None):
        request = request or ApiRequest()
        options, credentials = list_options(request.query, account, request)
        proxies = [proxy for proxy in account_proxies(account, request) if usable(proxy, options)]
        page, number, per_page, total = self.page_of(account, request, proxies)
        data = [line(proxy, options, credentials) for proxy in page]
        return {"data": data, "item_count": len(data), "page": number, "per_page": per_page, "total_count": total, "message": self.message}


def list_by_id(account, request):
    body = request.json_body()
    proxy_ids = body.get("proxy_ids")
    if not isinstance(proxy_ids, list) or not proxy_ids or not all(isinstance(item, str) for item in proxy_ids):
        raise RouteError(400, "proxy_ids must be a non-empty list of proxy ids.")
    options, credentials = list_options(body, account, request)
    proxies = {proxy.get("proxy_id"): proxy for proxy in account_proxies(account, request) if isinstance(proxy, dict)}
    chosen = []
    for proxy_id in proxy_ids:
        if proxy_id not in proxies:
            raise RouteError(404, "Proxy '%s' not found." % proxy_id[:80])
        reached = not body.get("proxy_user_id") or body["proxy_user_id"] in (proxies[proxy_id].get("proxy_user_ids") or [])
        if reached and usable(proxies[proxy_id], options):
            chosen.append(proxies[proxy_id])
    return [line(proxy, options, credentials) for proxy in chosen]


ROUTES = (
    ListBySearchRoute("proxy_list_by_search", "/public/user/proxy/list_by_search", MESSAGE, account_proxies, PROXY_FIELDS),
    Route("proxy_list_by_id", "/public/user/proxy/list_by_id", MESSAGE, list_by_id, method="POST"),
)
