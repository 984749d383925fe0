# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""API requests to a running simulator, for the tests of its routes (the standard library only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from ansible_collections.byteful.proxy.tests.simulator.resources import ROUTES_BY_NAME


def call(sim, account, route, query=None, method=None, body=None, raw=None, path=None, item_id=None):
    """(status, parsed body) of one API request: to a route by name (item_id fills its {id}), or to a path."""
    headers = sim.headers(account)
    data = raw
    if body is not None:
        data = json.dumps(body).encode("utf-8")
    if data is not None:
        headers["Content-Type"] = "application/json"
    url = (sim.root_url + path if path else sim.url(route, item_id)) + ("?" + urllib.parse.urlencode(query) if query else "")
    request = urllib.request.Request(url, data=data, headers=headers, method=method or (ROUTES_BY_NAME[route].method if route else "GET"))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read())


def every_item(sim, account, route, query=None):
    """Every item of a search, page by page (100 a page)."""
    items, page = [], 1
    while True:
        status, envelope = call(sim, account, route, dict(query or {}, page=page, per_page=100))
        assert status == 200, envelope
        items += envelope["data"]
        if envelope["item_count"] < 100:
            return items
        page += 1
