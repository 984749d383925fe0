# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every GET .../search route shares: filters, sort_by, pagination and the search envelope.

Query parameters (byteful-api-more.md section 0):

* ``page`` (default 1, at least 1) and ``per_page`` (default 100, at least 1; more than 100 is served as
  100, and the envelope's ``per_page`` says so); a page past the end has empty ``data``. A ``page`` or
  ``per_page`` that is not an integer, or below 1, is 400 Bad Request. Why: the docs give 1 to 100 and
  say nothing of what lies outside, but the community client's own pool walk asks for ``per_page=500``
  and its author ran it against the live API without an error, so the live API does not refuse more
  than 100; capping is what it most plausibly does. An account's ``search`` object can ask for the
  stricter reading (below).
* ``<field>=v`` equality, ``min_<field>=v`` / ``max_<field>=v`` inclusive bounds (numbers, dates,
  datetimes in either live form), ``not_<field>=v`` not equal, ``like_<field>=v`` case-insensitive
  substring, or with ``%`` wildcards a pattern for the whole value (``like_service_name=%proxies``: ends
  with "proxies"); like_ on a number, min_/max_ on text are 400. Booleans are ``true``/``false`` (or 1/0). A value of the wrong
  type for its field is 400. An item without the field (or with null) matches only ``not_``. A filter on
  a list member (``proxy_user_id`` on proxies, whose ``proxy_user_ids`` is a list) matches items whose
  list holds the value; only ``=`` and ``not_`` apply to it.
* ``sort_by=<field>``, ``<field>_asc`` or ``<field>_desc`` (``random`` too); text sorts regardless of
  case, datetimes by time whatever their form; nulls sort last ascending, first descending; ties keep
  the data file's order (id order). An unknown sort field is 400.
* Any other parameter, or a filter on a field the route does not know, is ignored.

The envelope: ``data``, ``item_count``, ``page``, ``per_page``, ``total_count`` (items matching, over
all pages) and ``message``.

An account's ``search`` object (data file key) makes it behave like a less helpful API:
``{"uncounted": true}`` sends ``total_count`` -1, ``{"ignore_sort": true}`` serves items in id order
whatever sort_by says, ``{"ignore_filters": true}`` serves every item whatever the filters say, and
``{"strict_per_page": true}`` answers a ``per_page`` above 100 with 400 Bad Request instead of capping
it. Each value may be true (every search route) or a list of route names.
"""

from __future__ import annotations

import random
import re

from . import clock
from .route import ApiRequest, Route, RouteError

MAX_PER_PAGE = 100
OPERATORS = ("min_", "max_", "not_", "like_")
PAGING_PARAMETERS = ("page", "per_page", "sort_by")
KINDS = ("str", "int", "float", "bool", "datetime", "date")
MEMBER = "member:"  # a field kind "member:<list field>": the filter matches items whose list holds the value
QUIRKS = ("uncounted", "ignore_sort", "ignore_filters", "strict_per_page")


def _positive_int(request, name, default):
    text = request.query.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise RouteError(400, "%s must be an integer, got %r." % (name, text)) from None
    if value < 1:
        raise RouteError(400, "%s must be at least 1." % name)
    return value


def _convert(kind, value, parameter=None):
    """A query value (parameter given) or an item value as something comparable; None when it has none."""
    if value is None:
        return None
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
    elif kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if parameter is not None:
            try:
                return int(value)
            except ValueError:
                pass
    elif kind == "float":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if parameter is not None:
            try:
                return float(value)
            except ValueError:
                pass
    elif kind in ("datetime", "date"):
        moment = clock.parse(value)
        if moment is not None:
            return moment.date() if kind == "date" else moment
    else:
        return str(value)
    if parameter is not None:
        raise RouteError(400, "%s: %r is not a valid %s." % (parameter, value, {"bool": "boolean (true or false)"}.get(kind, kind)))
    return None


def _like(pattern):
    """A matcher for like_: a substring without %, else the whole value against the pattern (as SQL's ILIKE)."""
    parts = [re.escape(part) for part in pattern.lower().split("%")]
    return re.compile(".*".join(parts) if len(parts) > 1 else ".*" + parts[0] + ".*", re.DOTALL).fullmatch


def parse_filters(fields, query):
    """[(field, operator, comparable value)] for the query's filters on known fields."""
    filters = []
    for parameter, text in query.items():
        if parameter in PAGING_PARAMETERS:
            continue
        operator, field = "", parameter
        for prefix in OPERATORS:
            if parameter.startswith(prefix) and parameter[len(prefix):] in fields:
                operator, field = prefix, parameter[len(prefix):]
                break
        if field not in fields:
            continue  # unknown parameters are ignored, as most APIs do
        kind = fields[field]
        if kind.startswith(MEMBER):
            if operator not in ("", "not_"):
                raise RouteError(400, "%s: %s does not apply to %s." % (parameter, operator, field))
            filters.append((field, operator, text))
        elif operator == "like_":
            if kind != "str":
                raise RouteError(400, "%s: like_ applies to text, not to %s." % (parameter, field))
            filters.append((field, operator, _like(text)))
        elif operator in ("min_", "max_") and kind in ("str", "bool"):
            raise RouteError(400, "%s: %s applies to numbers and dates, not to %s." % (parameter, operator, field))
        else:
            filters.append((field, operator, _convert(kind, text, parameter)))
    return filters


def matches(item, filters, fields):
    for field, operator, wanted in filters:
        if fields[field].startswith(MEMBER):
            members = item.get(fields[field][len(MEMBER):])
            found = isinstance(members, list) and wanted in [str(member) for member in members]
            if found == (operator == "not_"):
                return False
            continue
        value = _convert(fields[field], item.get(field))
        if operator == "not_":
            if value == wanted:
                return False
        elif value is None:
            return False
        elif operator == "like_":
            if not wanted(str(value).lower()):
                return False
        elif operator == "min_":
            if value < wanted:
                return False
        elif operator == "max_":
            if value > wanted:
                return False
        elif value != wanted:
            return False
    return True


def sort_items(items, sort_by, fields):
    if sort_by == "random":
        items = list(items)
        random.shuffle(items)
        return items
    field, descending = sort_by, False
    for suffix, direction in (("_asc", False), ("_desc", True)):
        if sort_by.endswith(suffix) and sort_by[:-len(suffix)] in fields:
            field, descending = sort_by[:-len(suffix)], direction
    if field not in fields or fields[field].startswith(MEMBER):
        raise RouteError(400, "sort_by: %r is not a field of this search (use <field>, <field>_asc or <field>_desc)." % sort_by)

    def key(item):
        value = _convert(fields[field], item.get(field))
        return value.casefold() if isinstance(value, str) else value

    present = [item for item in items if key(item) is not None]
    absent = [item for item in items if key(item) is None]
    present.sort(key=key, reverse=descending)
    return absent + present if descending else present + absent


def _quirk(account, name, route_name):
    value = (account.get("search") or {}).get(name, False)
    return value is True or (isinstance(value, list) and route_name in value)


class SearchRoute(Route):
    """A GET .../search route: items(account, request) is every item of the account, in id order.

    fields maps each filterable and sortable field to its kind: str, int, float, bool, datetime, date, or
    "member:<list field>" (filter only).
    """

    def __init__(self, name, path, message, items, fields):
        super().__init__(name, path, message, items)
        unknown = sorted(kind for kind in set(fields.values()) if kind not in KINDS and not kind.startswith(MEMBER))
        if unknown:
            raise ValueError("unknown field kinds: %s" % ", ".join(unknown))
        self.fields = fields

    def page_of(self, account, request, items=None):
        """(items of the page, page, per_page, total_count) for the request's paging, filters and sort_by.

        items: what to search instead of the route's items (a subset of them).
        """
        page = _positive_int(request, "page", 1)
        per_page = _positive_int(request, "per_page", MAX_PER_PAGE)
        if per_page > MAX_PER_PAGE:
            if _quirk(account, "strict_per_page", self.name):
                raise RouteError(400, "per_page must be at most %d." % MAX_PER_PAGE)
            per_page = MAX_PER_PAGE
        filters = parse_filters(self.fields, request.query)
        sort_by = request.query.get("sort_by")
        items = self.data(account, request) if items is None else items
        if not _quirk(account, "ignore_filters", self.name):
            items = [item for item in items if matches(item, filters, self.fields)]
        if sort_by and not _quirk(account, "ignore_sort", self.name):
            items = sort_items(items, sort_by, self.fields)
        total = -1 if _quirk(account, "uncounted", self.name) else len(items)
        return items[(page - 1) * per_page:page * per_page], page, per_page, total

    def envelope(self, account, request=None):
        data, page, per_page, total = self.page_of(account, request or ApiRequest())
        return {
            "data": data,
            "item_count": len(data),
            "page": page,
            "per_page": per_page,
            "total_count": total,
            "message": self.message,
        }
