# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a resource module declares for each of its routes, and what a handler is given."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qsl

from ..protocol import API_PREFIX


class RouteError(Exception):
    """A request the route refuses: answered with the error envelope of this status and message."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class ApiRequest:
    """What a handler may look at: the query (last value of each name wins), the raw body, and now (UTC).

    `now` is taken once per request, so that every relative time in one answer agrees.
    """

    def __init__(self, query="", body=b"", now=None):
        self.query = dict(parse_qsl(query or "", keep_blank_values=True))
        self.body = body or b""
        self.now = now or datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


class Route:
    """One route: its name (for Simulator.url and fault steps' "route"), method, path and what it serves.

    data(account, request) returns the `data` member of the success envelope; message is its `message`.
    SearchRoute (search.py) serves the paginated envelope instead.
    """

    def __init__(self, name, path, message, data, method="GET"):
        self.name = name
        self.path = API_PREFIX + path
        self.message = message
        self.data = data
        self.method = method

    def envelope(self, account, request=None):
        """The success body; raises RouteError for a request the route refuses."""
        request = request or ApiRequest()
        return {"data": self.data(account, request), "message": self.message}
