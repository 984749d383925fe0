# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""GET /public/user/<product>_ledger/search (search.py: filters, sort_by, pages) and .../retrieve/{<product>_ledger_id}.

Ledger rows are generated when served, so that "the last N days" always ends today. Data file key
``usage``: ``{"residential": <spec>, "mobile": <spec>}``, a spec being

* ``days``: complete days of usage, ending yesterday (0: no usage rows at all, today's neither);
* ``bytes_per_day``, ``requests_per_day``: the average of those days;
* ``variation`` (default 0.25): each day differs from the average by up to this fraction, the same
  way on every run (a fixed wave, not random);
* ``today_fraction`` (default 0.4): today's row, incremented during the day, holds this fraction of a
  day (0: no row for today yet);
* ``sign`` (default 1): -1 writes usage rows with negative bytes (the docs do not say which sign the
  live API uses);
* ``gaps``: days ago (1 = yesterday) without a usage row;
* ``service_id`` (default: the customer's active service of that product);
* ``rows``: more rows, ``{"days_ago": 30, "reason": "top_up", "bytes": 10737418240, "requests": 0,
  "service_adjustment_id": 10}`` (reasons: usage, top_up, adjustment, service_purchase).

Without the key, a product with an active service (customer's ``active_<product>_service_id``) has
30 days of 100 MiB a day (1500 requests) and a partial today; a product without one has no rows.
Rows are in id order (oldest first); ``<product>_ledger_id`` is a UUID that does not change between runs.
"""

from __future__ import annotations

import datetime
import math
import uuid

from .route import RetrieveRoute
from .search import SearchRoute
from .services import resolve_items

PRODUCTS = ("residential", "mobile")
DERIVED_USAGE = {"days": 30, "bytes_per_day": 104857600, "requests_per_day": 1500}
_NAMESPACE = uuid.UUID("5b0e3c1a-7d1f-4c55-9b57-1ed9e5a0c0de")


def ledger_fields(product):
    prefix = product + "_ledger_"
    return {
        prefix + "id": "str", "customer_id": "int", "service_id": "str", "service_adjustment_id": "int",
        prefix + "reason": "str", prefix + "requests": "int", prefix + "bytes": "int", prefix + "period_date": "date",
        prefix + "creation_datetime": "datetime", prefix + "last_update_datetime": "datetime",
    }


def _usage_spec(account, product):
    usage = account.get("usage")
    if usage is not None:
        return (usage or {}).get(product)
    customer = account.get("customer") if isinstance(account.get("customer"), dict) else {}
    return dict(DERIVED_USAGE) if customer.get("active_%s_service_id" % product) else None


def ledger_rows(account, product, now):
    """The product's rows, oldest first, with "$now..." times in their datetimes (resolved by the caller)."""
    spec = _usage_spec(account, product)
    if not spec:
        return []
    customer = account.get("customer") if isinstance(account.get("customer"), dict) else {}
    service_id = spec.get("service_id", customer.get("active_%s_service_id" % product))
    days = spec.get("days", 0)
    variation = spec.get("variation", 0.25)
    sign = spec.get("sign", 1)
    gaps = set(spec.get("gaps", []))
    entries = []
    if days:
        for days_ago in range(days, -1, -1):
            if days_ago in gaps:
                continue
            # a fixed wave around the average: the same numbers on every run and every machine
            share = spec.get("today_fraction", 0.4) if days_ago == 0 else 1 + variation * math.sin(days_ago * 2.1)
            if share <= 0:
                continue
            entries.append((days_ago, "usage", sign * int(spec.get("bytes_per_day", 0) * share),
                            int(spec.get("requests_per_day", 0) * share), None))
    for extra in spec.get("rows", []):
        entries.append((extra["days_ago"], extra.get("reason", "top_up"), extra.get("bytes", 0), extra.get("requests", 0),
                        extra.get("service_adjustment_id")))
    entries.sort(key=lambda entry: (-entry[0], entry[1] != "usage"))
    prefix = product + "_ledger_"
    rows = []
    today = now.date()
    for days_ago, reason, amount, requests, adjustment in entries:
        period = today - datetime.timedelta(days=days_ago)
        name = "%s/%s/%s/%s/%s" % (customer.get("customer_id"), product, period.isoformat(), reason, len(rows))
        rows.append({
            prefix + "id": str(uuid.uuid5(_NAMESPACE, name)),
            "customer_id": customer.get("customer_id"),
            prefix + "bytes": amount,
            prefix + "requests": requests,
            prefix + "period_date": period.isoformat(),
            prefix + "reason": reason,
            "service_id": service_id,
            "service_adjustment_id": adjustment,
            # created at the first use of the day, updated through it (today: a minute ago)
            prefix + "creation_datetime": "$now-%dd-%dh" % (days_ago, now.hour) if days_ago else "$now-%dm" % (now.hour * 60 + now.minute),
            prefix + "last_update_datetime": "$now-%dd" % days_ago if days_ago else "$now-1m",
        })
    return rows


def _rows(product):
    def items(account, request):
        return resolve_items(ledger_rows(account, product, request.now), request.now, account.get("datetime_form", "space"))
    return items


ROUTES = tuple(
    SearchRoute(product + "_ledger_search", "/public/user/%s_ledger/search" % product, "%s Ledger search successful." % product.capitalize(),
                _rows(product), ledger_fields(product))
    for product in PRODUCTS
) + tuple(
    RetrieveRoute(product + "_ledger_retrieve", "/public/user/%s_ledger/retrieve" % product,
                  "%s Ledger successfully retrieved." % product.capitalize(), _rows(product), product + "_ledger_id",
                  "%s ledger entry" % product.capitalize())
    for product in PRODUCTS
)
