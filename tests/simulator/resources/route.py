# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a resource module declares for each of its routes, and what a handler is given."""

from __future__ import annotations

import datetime
import json
from urllib.parse import parse_qsl

from ..protocol import API_PREFIX

PATH_ID = "{id}"


class RouteError(Exception):
    """A request the route refuses: answered with the error envelope of this status and message."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def _no_store(_change):
    """A request made outside the server cannot write."""
    raise RuntimeError("this request has no account store; the server gives one to every request")


class ApiRequest:
    """What a handler may look at: the query (last value of each name wins), the raw body, now (UTC) and the path's id.

    `now` is taken once per request, so that every relative time in one answer agrees. `path_id` is the
    last segment of a path declared with "/{id}" (URL-decoded). A route that writes calls
    `change_account(fn)`: fn(account) runs on the account the server keeps (under its lock) and its
    result is returned; `keep_secret(text)` tells the server a value it must never log (a password).
    """

    def __init__(self, query="", body=b"", now=None, path_id=None, change_account=None, keep_secret=None):
        self.query = dict(parse_qsl(query or "", keep_blank_values=True))
        self.body = body or b""
        self.now = now or datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        self.path_id = path_id
        self.change_account = change_account or _no_store
        self.keep_secret = keep_secret or (lambda text: None)

    def json_body(self, empty=None):
        """The body as a JSON object (`empty` when there is none); 400 for anything else."""
        if not self.body.strip():
            if empty is not None:
                return empty
            raise RouteError(400, "The request body must be a JSON object.")
        try:
            body = json.loads(self.body.decode("utf-8"))
        except ValueError:
            raise RouteError(400, "The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise RouteError(400, "The request body must be a JSON object.")
        return body


class Route:
    """One route: its name (for Simulator.url and fault steps' "route"), method, path and what it serves.

    data(account, request) returns the `data` member of the success envelope; message is its `message`;
    status is the success status (201 for a create). A path ending in "/{id}" serves every id under it
    (request.path_id). SearchRoute (search.py) serves the paginated envelope instead; a route whose
    answer is not {"data", "message"} overrides envelope().
    """

    def __init__(self, name, path, message, data, method="GET", status=200):
        self.name = name
        self.path = API_PREFIX + path
        self.message = message
        self.data = data
        self.method = method
        self.status = status

    @property
    def prefix(self):
        """For a path with an id, the part before the id ("/1.0/public/user/service/retrieve/"); else None."""
        return self.path[:-len(PATH_ID)] if self.path.endswith("/" + PATH_ID) else None

    def envelope(self, account, request=None):
        """The success body; raises RouteError for a request the route refuses."""
        request = request or ApiRequest()
        return {"data": self.data(account, request), "message": self.message}


class BodyRoute(Route):
    """A route whose handler returns the whole success body (a create's {"created", "data", "message"})."""

    def envelope(self, account, request=None):
        return self.data(account, request or ApiRequest())


class RetrieveRoute(Route):
    """GET .../retrieve/{id}: the item of items(account, request) whose id_field equals the path's id, or 404."""

    def __init__(self, name, path, message, items, id_field, what):
        super().__init__(name, path + "/" + PATH_ID, message, self._find)
        self.items = items
        self.id_field = id_field
        self.what = what

    def _find(self, account, request):
        for item in self.items(account, request):
            if isinstance(item, dict) and item.get(self.id_field) is not None and str(item[self.id_field]) == request.path_id:
                return item
        raise RouteError(404, "%s '%s' not found." % (self.what, request.path_id))
