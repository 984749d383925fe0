# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""GET /public/user/residential/summary and /public/user/mobile/summary.

An account's data file may give a summary; otherwise it is derived from the customer's counters.
"""

from __future__ import annotations

from ..protocol import is_int
from .route import Route

USED_BYTES = 1073741824  # what a derived summary says an active service has used


def summary_for(customer, kind):
    """The residential or mobile summary derived from a customer object."""
    customer = customer if isinstance(customer, dict) else {}
    left = customer.get(kind + "_bytes_left")
    service = customer.get("active_%s_service_id" % kind)
    customer_id = customer.get("customer_id")
    if not is_int(left):
        left = 0
    used = USED_BYTES if service else 0
    proxy_user_ids = ["%s-%s-pu-%d" % (customer_id, kind, number) for number in (1, 2)] if service else []
    return {
        kind + "_bytes": left + used,
        kind + "_bytes_used": used,
        kind + "_bytes_left": left,
        kind + "_requests": used // 2048,
        "proxy_user_ids": proxy_user_ids,
    }


def _summary(kind):
    def data(account, request=None):  # pylint: disable=unused-argument
        route = kind + "_summary"
        return account[route] if route in account else summary_for(account.get("customer"), kind)
    return data


ROUTES = (
    Route("residential_summary", "/public/user/residential/summary", "Residential summary successfully retrieved.", _summary("residential")),
    Route("mobile_summary", "/public/user/mobile/summary", "Mobile summary successfully retrieved.", _summary("mobile")),
)
