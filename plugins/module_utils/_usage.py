# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""Residential and mobile ledgers: daily usage, its average, and how long the data left lasts.

Rows are checked, not trusted: a usage row without its bytes is unknown usage, not zero, and is
refused; a row dated tomorrow (by the controller's UTC date: its clock, or the API's, a little
ahead, around midnight) is counted as today's, with a warning; a row dated later than that cannot
be placed in any window, so the answer is refused, naming it, rather than its usage dropped (read
as no use, a gate would pass).
"""

from __future__ import annotations

import datetime
import math

from ansible_collections.byteful.proxy.plugins.module_utils._api import OptionError
from ansible_collections.byteful.proxy.plugins.module_utils._schema import (
    array_of,
    check,
    identifier,
    json_path,
    optional,
    parse_date,
    schema_error,
    utc_now,
)

LEDGER_SEARCH_PATHS = {
    "residential": "/public/user/residential_ledger/search",
    "mobile": "/public/user/mobile_ledger/search",
}
MIN_WINDOW_DAYS = 1
MAX_WINDOW_DAYS = 90

_schemas = {}  # product -> (schema of one entry, schema of a page's items)


def ledger_schema(product):
    """The JSON schema of one <product>_ledger entry (lenient: nothing required, present fields typed)."""
    return _schemas_of(product)[0]


def _schemas_of(product):
    if product not in _schemas:
        prefix = "%s_ledger" % product
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Byteful %s ledger entry" % product,
            "description": (
                "An item of the data array of GET %s. Every field may be absent or null; a present one has its "
                "documented type. The sign of a usage entry's bytes is not documented, so readers take its absolute "
                "value." % LEDGER_SEARCH_PATHS[product]),
            "type": "object",
            "properties": {
                prefix + "_id": identifier("Entry id."),
                "customer_id": optional("integer", "Account id."),
                prefix + "_bytes": optional("integer", "Bytes of the entry (usage, top-up or adjustment)."),
                prefix + "_requests": optional("integer", "Requests counted by the entry."),
                prefix + "_period_date": optional("string", "The day of the entry, YYYY-MM-DD (UTC)."),
                prefix + "_reason": optional("string", "usage, top_up, adjustment or service_purchase."),
                "service_id": identifier("Service the entry belongs to."),
                "service_adjustment_id": optional("integer", "Service adjustment behind the entry."),
                prefix + "_creation_datetime": optional("string", "When the entry was created."),
                prefix + "_last_update_datetime": optional("string", "When the entry last changed."),
            },
            "additionalProperties": True,
        }
        _schemas[product] = (schema, array_of(schema))
    return _schemas[product]


def read_usage(client, customer, product, window_days, today=None):
    """Daily usage of ``product`` over the ``window_days`` complete days before today, and what it means for the data left.

    ``customer`` is the validated Customer object (its <product>_bytes_left); ``today`` is the
    UTC date unless given. One search; the API's filters are applied here again.
    """
    if product not in LEDGER_SEARCH_PATHS:
        raise OptionError("product %r is not a product with a data ledger; use residential or mobile." % (product,))
    if isinstance(window_days, bool) or not isinstance(window_days, int) or not MIN_WINDOW_DAYS <= window_days <= MAX_WINDOW_DAYS:
        raise OptionError("window_days must be a whole number of days from %d to %d, got %r." % (
            MIN_WINDOW_DAYS, MAX_WINDOW_DAYS, window_days))
    today = today or utc_now().date()
    first = today - datetime.timedelta(days=window_days)
    prefix = "%s_ledger" % product
    params = {
        prefix + "_reason": "usage",
        "min_%s_period_date" % prefix: first.isoformat(),
        "max_%s_period_date" % prefix: today.isoformat(),
        "sort_by": "%s_period_date_desc" % prefix,
    }
    result = client.search(LEDGER_SEARCH_PATHS[product], "Searching the Byteful %s ledger" % product, params,
                           narrow_with="a smaller window_days")
    check(result.items, _schemas_of(product)[1], "a list of %s ledger entries" % product, result.request_id,
          path_prefix=(prefix,))

    days = {first + datetime.timedelta(days=n): [0, 0] for n in range(window_days + 1)}  # the window, then today
    errors = []
    tomorrow, later = [], []
    for index, entry in enumerate(result.items):
        if entry.get(prefix + "_reason") != "usage":
            continue
        date_path = json_path((prefix, index, prefix + "_period_date"))
        try:
            day = parse_date(entry.get(prefix + "_period_date"))
        except ValueError as exc:
            errors.append({"path": date_path, "expected": "a date", "found": entry.get(prefix + "_period_date"),
                           "text": "%s: %s" % (date_path, exc)})
            continue
        if entry.get(prefix + "_bytes") is None:
            # Unknown usage is not zero usage.
            path = json_path((prefix, index, prefix + "_bytes"))
            errors.append({"path": path, "expected": "the bytes of a usage row", "found": "nothing",
                           "text": "%s is missing on a usage row" % path})
            continue
        if day > today + datetime.timedelta(days=1):
            later.append((date_path, day))
            continue
        if day > today:
            tomorrow.append(date_path)
            day = today
        if day in days:
            # The sign of a usage entry is not documented (a decrement may be negative): its size counts.
            days[day][0] += abs(entry[prefix + "_bytes"])
            days[day][1] += abs(entry.get(prefix + "_requests") or 0)
    if errors:
        raise schema_error("a list of %s ledger entries" % product, errors, result.request_id)
    if later:
        # No window can place such a row; dropped, it would read as no use (and a gate would pass).
        raise client.fail(
            "The Byteful %s ledger has %s dated after tomorrow (%s at %s; today is %s by the controller's clock, in UTC)"
            "%s, so the usage of the window cannot be read; check the clock of the controller, and report it to "
            "byteful.proxy if it is right." % (
                product, "a usage row" if len(later) == 1 else "%d usage rows" % len(later), later[0][1].isoformat(),
                later[0][0], today.isoformat(), ", request id %s" % result.request_id if result.request_id else ""),
            request_id=result.request_id, errors=[{"path": path, "expected": "a date up to %s" % today.isoformat(),
                                                   "found": day.isoformat()} for path, day in later])
    if tomorrow:
        client.warnings.append(
            "The Byteful %s ledger has %s dated %s, the day after the controller's UTC date; %s counted as today's "
            "usage (the API's clock may be a little ahead of this one)." % (
                product, "a usage row" if len(tomorrow) == 1 else "%d usage rows" % len(tomorrow),
                (today + datetime.timedelta(days=1)).isoformat(), "it is" if len(tomorrow) == 1 else "they are"))

    daily = [{"date": day.isoformat(), "bytes": used, "requests": requests}
             for day, (used, requests) in sorted(days.items()) if day != today]
    used = sum(entry["bytes"] for entry in daily)
    bytes_left = customer.get("%s_bytes_left" % product)
    days_left = _days_left(bytes_left, used, window_days)
    return {
        "product": product,
        "window_days": window_days,
        "daily": daily,
        "today": {"date": today.isoformat(), "bytes": days[today][0], "requests": days[today][1]},
        "average_daily_bytes": float(used) / window_days,
        "bytes_left": bytes_left,
        "days_left": days_left,
        "runs_out_on": _runs_out_on(today, days_left),
    }


def _days_left(bytes_left, used, window_days):
    """Days the data left lasts at the window's average: 0.0 when none is left, None when unknown or nothing was used."""
    if bytes_left is None:
        return None
    if bytes_left <= 0:
        return 0.0  # nothing left (or overdrawn) has run out, whatever the usage
    if used <= 0:
        return None  # nothing used: it lasts, and no date can be given
    # bytes_left / (used / window_days), in one division: 1000 bytes at 100 per 3 days is 30.0 days, not 29.99...
    return float(bytes_left * window_days) / used


def _runs_out_on(today, days_left):
    if days_left is None:
        return None
    try:
        return (today + datetime.timedelta(days=math.floor(days_left))).isoformat()
    except OverflowError:  # beyond the year 9999: as good as never
        return None
