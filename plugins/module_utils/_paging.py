# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""Paging through a search: every page of a .../search route, read with one call each, checked as a whole.

BytefulClient.search() and first_page() (_client.py) call these with the client itself: each page
goes through the same request loop, checks and redaction as any other call (``client.get``), and
failures are made by ``client.fail`` (the key removed) naming options as ``client.option_name`` says.

What a page says about the others is checked, not trusted: the search reads on while pages are
full, whatever total_count says (up to the page cap); an item seen on an earlier page (by the
resource's id field, or a whole page served again) ends it with one sentence, since counting it
twice would double renewals or usage; a total_count the items contradict is reported as unknown.

What identifies an item, and what is money, is declared once per search route in SEARCHES, and
applied here to every page, so that no resource can skip it: an id is compared as the server sent
it (an id that cleaning would change, such as one holding a zero-width space, is refused, never
matched in its cleaned form), an id listed twice is refused, and so is a negative amount of money.
"""

from __future__ import annotations

import json

from ansible_collections.byteful.proxy.plugins.module_utils._errors import json_type
from ansible_collections.byteful.proxy.plugins.module_utils._schema import schema_error

# Search answers are pages of at most MAX_PER_PAGE items (see search()); the collection never
# needs more pages than this for one question: beyond it the caller is asked to narrow the
# search, so that one task cannot spend minutes of the account's rate limit.
MAX_PER_PAGE = 100
DEFAULT_MAX_PAGES = 50

# Every search route the collection reads: (the member that identifies an item, or None for a route that lists
# lines; the members that are money in cents, never negative, a "[]" step for each item of a list; the name its
# items are returned under, for the paths in messages; what its items are, for a schema error).
SEARCHES = {
    "/public/user/service/search": ("service_id", ("service_total",), "services", "a list of services"),
    "/public/user/residential_ledger/search": ("residential_ledger_id", (), "residential_ledger",
                                               "a list of residential ledger entries"),
    "/public/user/mobile_ledger/search": ("mobile_ledger_id", (), "mobile_ledger", "a list of mobile ledger entries"),
    "/public/user/proxy/search": ("proxy_id", (), "proxies", "a list of proxies"),
    "/public/user/proxy/list_by_search": (None, (), "proxy_list", "a proxy list"),
    "/public/user/product/search": ("product_id", ("product_prices[].price_amount", "product_prices[].price_per_unit_amount"),
                                    "products", "a list of products"),
    "/public/user/proxy_user/search": ("proxy_user_id", (), "proxy_users", "a list of proxy users"),
}


class SearchResult:
    """Every item of a paginated search, with what the API said about them.

    ``total_count`` is None when the API sent -1 ("too many to count"), no count at all, or a
    count the items contradict (fewer than arrived; for a whole search, any other number than
    arrived); ``request_id`` is the last page's.
    """

    def __init__(self, items, total_count, pages, request_id):
        self.items = items
        self.total_count = total_count
        self.pages = pages
        self.request_id = request_id


def _check_per_page(per_page):
    if isinstance(per_page, bool) or not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError("per_page must be an integer from 1 to %d, got %r" % (MAX_PER_PAGE, per_page))


def search(client, path, what, params=None, per_page=MAX_PER_PAGE, max_pages=DEFAULT_MAX_PAGES,
           narrow_with="the task's filters"):
    """Every item of the search at ``path`` with ``params``, page by page, as a :class:`SearchResult`.

    Reads until a page is shorter than the page size (empty included). A search with more than
    ``max_pages`` pages fails with one sentence that suggests ``narrow_with``. Each page is checked
    as SEARCHES says for ``path`` (see _check_page): an id seen before fails the search; items
    without one are compared page by page (a page equal to an earlier one fails it).
    """
    _check_per_page(per_page)
    _searched(path)
    if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
        raise ValueError("max_pages must be a positive integer, got %r" % (max_pages,))
    params = dict(params or {})
    items = []
    reported = None
    seen_ids = {}  # id -> page
    seen_pages = {}  # the JSON of a page of items without ids -> page
    page = 0
    request_id = None
    while True:
        page += 1
        response = _page(client, path, what, params, page, per_page)
        request_id = response.request_id or request_id
        data = response.data
        if page > max_pages:
            if data:
                raise _too_many_pages(client, response, what, max_pages, per_page, narrow_with, request_id)
            break
        counts = response.counts
        if page == 1:
            reported = counts.get("total_count")
            if reported is not None and reported > max_pages * per_page:
                # Known to be too many: fail now rather than after max_pages calls.
                raise _too_many_pages(client, response, what, max_pages, per_page, narrow_with, request_id)
        _check_page(client, response, what, path, page, len(items), seen_ids, seen_pages)
        items.extend(data)
        # The API may serve fewer per page than asked (it says so in per_page): a page is
        # short against what it serves, or the search would stop after the first page.
        served = counts.get("per_page")
        page_size = served if served is not None and 1 <= served < per_page else per_page
        if len(data) < page_size:
            break
    return SearchResult(items, reported if reported == len(items) else None, page, request_id)


def first_page(client, path, what, params=None, per_page=1):
    """Only the first page of a search, as a :class:`SearchResult`: enough to read total_count.

    A total_count lower than the items on the page (0 beside a listed item) is None: not trusted;
    the page is checked as in search().
    """
    _check_per_page(per_page)
    _searched(path)
    response = _page(client, path, what, params, 1, per_page)
    _check_page(client, response, what, path, 1, 0, {}, {})
    total_count = response.counts.get("total_count")
    trusted = total_count is not None and total_count >= len(response.data)
    return SearchResult(response.data, total_count if trusted else None, 1, response.request_id)


def _page(client, path, what, params, page, per_page):
    """One page of a search: an ApiResponse whose data is a list (checked here)."""
    response = client.get(path, what, params=dict(params or {}, page=page, per_page=per_page))
    if not isinstance(response.data, list):
        raise client.fail("%s at %s returned HTTP %d with a 'data' member that is a JSON %s instead of an array of "
                          "items; check that %s is the Byteful API root." % (
                              what, response.url, response.status, json_type(response.data),
                              client.option_name("api_url")),
                          url=response.url, status=response.status, request_id=response.request_id)
    return response


def _searched(path):
    if path not in SEARCHES:  # a programming error: every search route is declared in SEARCHES
        raise ValueError("%s is not in _paging.SEARCHES: declare its id and money members there" % path)
    return SEARCHES[path]


def _check_page(client, response, what, path, page, offset, seen_ids, seen_pages):
    """Fail when an item's id is not the server's own text, an item repeats one (it would be counted twice), or money is
    negative; ``offset`` is how many items earlier pages held."""
    id_field, money, returned_as, what_items = _searched(path)
    anonymous = []
    for index, item in enumerate(response.data):
        if not isinstance(item, dict):
            anonymous.append(item)
            continue
        where = "$.%s[%d]" % (returned_as, offset + index)
        _refuse_negative_money(response, item, money, where, what_items)
        item_id = item.get(id_field) if id_field else None
        if isinstance(item_id, bool) or not isinstance(item_id, (str, int)):
            anonymous.append(item)
            continue
        if isinstance(item_id, str) and "$.data[%d].%s" % (index, id_field) in response.altered:
            raise client.fail(
                "%s at %s returned an item whose %s holds invisible or control characters (at %s, shown as %s), which "
                "no Byteful id has, so it cannot be told apart from another item's; try again later, and report it to "
                "Byteful if it persists." % (what, response.url.split("?", 1)[0], id_field, where, json.dumps(item_id)[:80]),
                url=response.url, reason="invisible characters in an id", request_id=response.request_id)
        if item_id in seen_ids:
            raise _repeated(client, response, what, "%s %s" % (id_field, json.dumps(item_id)), page, seen_ids[item_id])
        seen_ids[item_id] = page
    if anonymous:
        signature = json.dumps(anonymous, sort_keys=True, default=str)
        if signature in seen_pages:
            raise _repeated(client, response, what, "the same items", page, seen_pages[signature])
        seen_pages[signature] = page


def _refuse_negative_money(response, item, money, where, what_items):
    """A negative amount at a money member: a schema error, as the resource's own schema would name it."""
    for member in money:
        for place, value in _values(item, member.split("."), where):
            if isinstance(value, int) and not isinstance(value, bool) and value < 0:
                text = "%s must be 0 or more, found %d" % (place, value)
                raise schema_error(what_items, [{"path": place, "expected": "0 or more", "found": str(value), "text": text}],
                                   response.request_id)


def _values(item, steps, path):
    """(path, value) of each value the member path ``steps`` (such as product_prices[], price_amount) reaches in item."""
    if not steps:
        return [(path, item)]
    if not isinstance(item, dict):
        return []
    name = steps[0]
    if name.endswith("[]"):
        values = item.get(name[:-2])
        return [found for index, value in enumerate(values if isinstance(values, list) else [])
                for found in _values(value, steps[1:], "%s.%s[%d]" % (path, name[:-2], index))]
    return _values(item[name], steps[1:], "%s.%s" % (path, name)) if name in item else []


def _repeated(client, response, what, repeated, page, earlier):
    where = "again on page %d" % page if earlier != page else "twice on page %d" % page
    return client.fail(
        "%s at %s returned %s %s%s, so its pages cannot be counted without counting some items twice; try again "
        "later, and report it to byteful.proxy if it persists." % (
            what, response.url.split("?", 1)[0], repeated, where,
            " (already on page %d)" % earlier if earlier != page else ""),
        url=response.url, reason="repeated items", request_id=response.request_id)


def _too_many_pages(client, response, what, max_pages, per_page, narrow_with, request_id):
    url = response.url.split("?", 1)[0]
    return client.fail("%s at %s has more than %d pages of %d; narrow the search with %s; the collection stops there "
                       "so that one task cannot spend minutes of the rate limit." % (
                           what, url, max_pages, per_page, narrow_with),
                       url=url, reason="too many pages", request_id=request_id)
