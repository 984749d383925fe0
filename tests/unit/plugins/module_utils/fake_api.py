# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A fake transport at the HTTP boundary for the resource tests: a requests.Session stand-in.

The client under test is the real BytefulClient (retries, pace, parsing, redaction); only the
exchange is replaced. A handler sees what was sent (method, path, query, JSON body) and
answers (status, document[, headers]); every call is recorded. The clock is fake, so backoff
and pacing cost no time.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import requests

from ansible_collections.byteful.proxy.plugins.module_utils import _transport
from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulClient

PUBLIC = "pk_fake"
PRIVATE = "sk_fake_0123456789-SECRET"
URL = "https://api.example.test/1.0"


class Call:
    def __init__(self, method, url, kwargs):
        self.method = method
        self.url = url
        parts = urlsplit(url)
        self.path = parts.path[len("/1.0"):]
        self.raw_query = parts.query
        # Each parameter once in these tests: its single value.
        self.query = {name: values[0] for name, values in parse_qs(parts.query, keep_blank_values=True).items()}
        self.headers = kwargs.get("headers") or {}
        data = kwargs.get("data")
        self.body = json.loads(data) if data else None


class _Raw:
    def __init__(self, body):
        self.chunks = [body]

    def read1(self, amt, decode_content=True):  # pylint: disable=unused-argument
        return self.chunks.pop(0) if self.chunks else b""


class _Response:
    def __init__(self, status, document, headers=None):
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        self.status_code = status
        self.headers = requests.structures.CaseInsensitiveDict(headers or {})
        self.raw = _Raw(body)

    def close(self):
        pass


class FakeSession:
    """Answers every request with handler(call) -> (status, document[, headers])."""

    def __init__(self, handler):
        self.handler = handler
        self.calls = []

    def _answer(self, method, url, kwargs):
        call = Call(method, url, kwargs)
        self.calls.append(call)
        return _Response(*self.handler(call))

    def get(self, url, **kwargs):
        return self._answer("GET", url, kwargs)

    def post(self, url, **kwargs):
        return self._answer("POST", url, kwargs)

    def patch(self, url, **kwargs):
        return self._answer("PATCH", url, kwargs)

    def delete(self, url, **kwargs):
        return self._answer("DELETE", url, kwargs)


class FakeClock:
    """time.monotonic/time.sleep stand-ins: time passes only when someone sleeps or reads slowly."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def make_client(handler, **options):
    """(BytefulClient on a FakeSession answering with handler, the session, the fake clock)."""
    _transport._last_request_at[0] = float("-inf")
    clock = FakeClock()
    session = FakeSession(handler)
    client = BytefulClient(URL, PUBLIC, PRIVATE, session=session, sleep=clock.sleep, clock=clock.monotonic,
                           wall_clock=lambda: 1_700_000_000.0, **options)
    return client, session, clock


def envelope(items, page=1, per_page=100, total_count=None, **extra):
    """A search answer as the API sends it; total_count defaults to len(items)."""
    document = {"data": items, "item_count": len(items), "page": page, "per_page": per_page,
                "total_count": len(items) if total_count is None else total_count,
                "message": "Search successful.", "api_request_id": "req-%d" % page}
    document.update(extra)
    return document


def paged(items, total_count="count", per_page_served=None):
    """A handler serving ``items`` page by page as the API does (a page past the end is empty).

    total_count: "count" for the real count, -1 for "too many to count", None to leave it out.
    per_page_served: serve fewer per page than asked, and say so, as an API may.
    """
    def handler(call):
        per_page = int(call.query.get("per_page", 100))
        if per_page_served:
            per_page = min(per_page, per_page_served)
        page = int(call.query.get("page", 1))
        chunk = items[(page - 1) * per_page:page * per_page]
        document = envelope(chunk, page=page, per_page=per_page,
                            total_count=len(items) if total_count == "count" else total_count)
        if total_count is None:
            del document["total_count"]
        return 200, document
    return handler
