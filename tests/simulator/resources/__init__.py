# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One module per API resource. Each has ROUTES: a tuple of Route (route.py) or SearchRoute (search.py).

A new resource adds a module here; the server finds a route by path (find_route) and checks its method.
The shared machinery: route.py (Route, RetrieveRoute, ApiRequest, RouteError), search.py (filters,
sort_by, pages, the search envelope), clock.py (relative times in data files).
"""

from __future__ import annotations

from urllib.parse import unquote

from . import catalog, customer, ledgers, proxies, proxy_lists, proxy_user_writes, proxy_users, quote, route, services, summaries

RESOURCES = (customer, summaries, services, ledgers, proxy_users, proxy_user_writes, proxies, proxy_lists, quote, catalog)

# API path (with the /1.0 prefix) -> Route, for paths without an id; prefix ("/1.0/.../retrieve/") -> Route
# for paths ending in "/{id}"; route name -> Route
API_ROUTES = {}
ID_ROUTES = {}
ROUTES_BY_NAME = {}
for _module in RESOURCES:
    for _route in _module.ROUTES:
        if _route.prefix is None:
            API_ROUTES[_route.path] = _route
        else:
            ID_ROUTES[_route.prefix] = _route
        ROUTES_BY_NAME[_route.name] = _route


def find_route(path):
    """(route, path id or None) for an API path, or (None, None): an id is one non-empty segment, URL-decoded."""
    route = API_ROUTES.get(path)
    if route is not None:
        return route, None
    prefix, _slash, segment = path.rpartition("/")
    route = ID_ROUTES.get(prefix + "/")
    if route is None or not segment:
        return None, None
    return route, unquote(segment)


def held_secrets(accounts):
    """Every password the simulator holds for ``accounts`` (public key -> definition, as Catalogue.builtin_accounts
    gives them): its proxy users' and its proxies' as served, sorted. For leak audits: no output may hold one."""
    found = set()
    request = route.ApiRequest(keep_secret=lambda text: found.add(text) if isinstance(text, str) and text else None)
    for account in accounts.values():
        proxy_users.account_proxy_users(account, request)
        proxies.account_proxies(account, request)
    return sorted(found)
