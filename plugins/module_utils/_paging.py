# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""Paging through a search: every page of a .../search route read with one call each, and what they add up to.

BytefulClient.search() and first_page() (_client.py) call these with the client's get() and
its redactor's fail(): each page goes through the same request loop, checks and redaction as any other call.
"""

from __future__ import annotations

from ansible_collections.byteful.proxy.plugins.module_utils._errors import json_type

# Search answers are pages of at most MAX_PER_PAGE items (see search()); the collection never
# needs more pages than this for one question: beyond it the caller is asked to narrow the
# search, so that one task cannot spend minutes of the account's rate limit.
MAX_PER_PAGE = 100
DEFAULT_MAX_PAGES = 50


class SearchResult:
    """Every item of a paginated search, with what the API said about them.

    ``total_count`` is None when the API sent -1 ("too many to count") or no count at all;
    ``request_id`` is the last page's.
    """

    def __init__(self, items, total_count, pages, request_id):
        self.items = items
        self.total_count = total_count
        self.pages = pages
        self.request_id = request_id


def _check_per_page(per_page):
    if isinstance(per_page, bool) or not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError("per_page must be an integer from 1 to %d, got %r" % (MAX_PER_PAGE, per_page))


def search(get, fail, path, what, params=None, per_page=MAX_PER_PAGE, max_pages=DEFAULT_MAX_PAGES,
           narrow_with="the task's filters"):
    """Every item of the search at ``path`` with ``params``, page by page, as a :class:`SearchResult`.

    ``get(path, what, params)`` is the client's GET (an ApiResponse), ``fail(message, **details)``
    its BytefulError maker. Stops at a short or empty page, or once
    total_count items have come. A search with more than ``max_pages`` pages fails with one
    sentence that suggests ``narrow_with``.
    """
    _check_per_page(per_page)
    if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
        raise ValueError("max_pages must be a positive integer, got %r" % (max_pages,))
    params = dict(params or {})
    items = []
    total_count = None
    page = 0
    request_id = None
    while True:
        page += 1
        response = _page(get, fail, path, what, params, page, per_page)
        request_id = response.request_id or request_id
        data = response.data
        if page > max_pages:
            if data:
                raise _too_many_pages(fail, response, what, max_pages, per_page, narrow_with, request_id)
            break
        items.extend(data)
        counts = response.counts
        if page == 1:
            reported = counts.get("total_count")
            total_count = reported if reported is not None and reported >= 0 else None
            if total_count is not None and total_count > max_pages * per_page:
                # Known to be too many: fail now rather than after max_pages calls.
                raise _too_many_pages(fail, response, what, max_pages, per_page, narrow_with, request_id)
        # The API may serve fewer per page than asked (it says so in per_page): a page is
        # short against what it serves, or the search would stop after the first page.
        served = counts.get("per_page")
        page_size = served if served is not None and 1 <= served < per_page else per_page
        if len(data) < page_size or (total_count is not None and len(items) >= total_count):
            break
    return SearchResult(items, total_count, page, request_id)


def first_page(get, fail, path, what, params=None, per_page=1):
    """Only the first page of a search, as a :class:`SearchResult`: enough to read total_count."""
    _check_per_page(per_page)
    response = _page(get, fail, path, what, params, 1, per_page)
    total_count = response.counts.get("total_count")
    return SearchResult(response.data, total_count if total_count is not None and total_count >= 0 else None, 1,
                        response.request_id)


def _page(get, fail, path, what, params, page, per_page):
    """One page of a search: an ApiResponse whose data is a list (checked here)."""
    response = get(path, what, params=dict(params or {}, page=page, per_page=per_page))
    if not isinstance(response.data, list):
        raise fail("%s at %s returned HTTP %d with a 'data' member that is a JSON %s instead of an array of "
                   "items; check that api_url is the Byteful API root." % (
                       what, response.url, response.status, json_type(response.data)),
                   url=response.url, status=response.status, request_id=response.request_id)
    return response


def _too_many_pages(fail, response, what, max_pages, per_page, narrow_with, request_id):
    url = response.url.split("?", 1)[0]
    return fail("%s at %s has more than %d pages of %d; narrow the search with %s; the collection stops there "
                "so that one task cannot spend minutes of the rate limit." % (
                    what, url, max_pages, per_page, narrow_with),
                url=url, reason="too many pages", request_id=request_id)
