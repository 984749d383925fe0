# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""GET /public/user/service/search (search.py: filters, sort_by, pages) and GET /public/user/service/retrieve/{service_id}.

Data file key ``services``, either
* a list of Service objects as the live API sends them (fields omitted when unset, some null, extra
  fields kept), with relative times such as ``"$now+5d"`` (clock.py); or
* ``{"generate": {"count": 250, "id_format": "2500-%04d", "expiry_step_hours": 7,
  "statuses": ["active", ...], "template": {...}}}``: count services made from the template, the n-th
  (from 1) with service_id id_format % n, service_name "<template's name> #n", status statuses[n % len]
  and service_expiry_datetime now + n * expiry_step_hours hours.
Without the key, the services follow from the customer: its active residential and mobile services
(subscription paused as the customer says) and, when proxy_count > 0, one ISP service of that many
proxies; all active, automatically collected, expiring in 20 to 25 days.
"""

from __future__ import annotations

import copy

from . import clock
from ..protocol import is_int
from .route import RetrieveRoute
from .search import SearchRoute

SERVICE_FIELDS = {
    "service_id": "str", "service_name": "str", "service_status": "str", "service_type": "str", "service_protocol": "str",
    "service_quantity": "int", "service_total": "int", "service_cycle": "str", "service_image": "str",
    "service_promotional_code": "str", "service_is_automatic_collection": "bool", "service_is_pending_cancellation": "bool",
    "service_subscription_id": "str", "service_subscription_is_paused": "bool", "subscription_schedule_id": "str",
    "service_creation_datetime": "datetime", "service_dispatch_datetime": "datetime", "service_expiry_datetime": "datetime",
    "service_earliest_cancellation_datetime": "datetime", "service_last_update_datetime": "datetime", "country_id": "str",
    "payment_method_id": "str", "open_invoice_id": "str", "service_price_id": "str", "product_id": "str",
}

# (kind, cents per month per unit, days to expiry) of the services derived from a customer
_DERIVED = (("residential", 4500, 20), ("mobile", 6000, 17))


def _derived_service(service_id, kind, total, expiry_days, quantity=1, paused=False):
    return {
        "service_id": service_id,
        "service_name": "%s%s" % (kind.capitalize() if kind != "isp" else "ISP", " Proxies" if kind == "isp" else " Data"),
        "service_status": "active",
        "service_type": kind,
        "service_protocol": "ipv4",
        "service_quantity": quantity,
        "service_total": total,
        "service_cycle": "1:month",
        "service_is_automatic_collection": True,
        "service_is_pending_cancellation": False,
        "service_subscription_id": "sub_sim_%s" % service_id.replace("-", ""),
        "service_subscription_is_paused": bool(paused),
        "service_creation_datetime": "$now-200d",
        "service_dispatch_datetime": "$now-200d",
        "service_expiry_datetime": "$now+%dd" % expiry_days,
        "service_last_update_datetime": "$now-%dd" % (30 - expiry_days),
        "service_metadata": {},
        "open_invoice_id": None,
    }


def derived_services(customer):
    customer = customer if isinstance(customer, dict) else {}
    services = []
    for kind, total, days in _DERIVED:
        service_id = customer.get("active_%s_service_id" % kind)
        if isinstance(service_id, str) and service_id:
            paused = customer.get("active_residential_service_subscription_is_paused" if kind == "residential" else "active_mobile_service_is_paused")
            services.append(_derived_service(service_id, kind, total, days, paused=paused is True))
    proxies = customer.get("proxy_count")
    if is_int(proxies) and proxies > 0:
        services.append(_derived_service("%s-isp-1" % customer.get("customer_id"), "isp", proxies * 350, 25, quantity=proxies))
    return services


def generated_services(spec):
    template = spec.get("template", {})
    statuses = spec.get("statuses") or ["active"]
    services = []
    for number in range(1, spec["count"] + 1):
        service = copy.deepcopy(template)
        service["service_id"] = spec.get("id_format", "sim-%04d") % number
        service["service_name"] = "%s #%d" % (template.get("service_name", "Service"), number)
        service["service_status"] = statuses[number % len(statuses)]
        service["service_expiry_datetime"] = "$now+%dh" % (number * spec.get("expiry_step_hours", 24))
        services.append(service)
    return services


def account_services(account, request):
    """The account's services in id order, relative times resolved."""
    spec = account.get("services")
    if spec is None:
        services = derived_services(account.get("customer"))
    elif isinstance(spec, dict):
        services = generated_services(spec["generate"])
    else:
        services = spec
    return resolve_items(services, request.now, account.get("datetime_form", "space"))


def resolve_items(items, now, form):
    """Items with relative times resolved; the "mixed" form alternates the two live forms item by item."""
    if form == "mixed":
        return [clock.resolve(item, now, "iso" if index % 2 else "space") for index, item in enumerate(items)]
    return [clock.resolve(item, now, form) for item in items]


ROUTES = (
    SearchRoute("service_search", "/public/user/service/search", "Service search successful.", account_services, SERVICE_FIELDS),
    RetrieveRoute("service_retrieve", "/public/user/service/retrieve", "Service successfully retrieved.", account_services, "service_id", "Service"),
)
