# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""The Service object: its search, its schema (published as docs/service.schema.json) and its reading."""

from __future__ import annotations

import datetime
import re

from ansible_collections.byteful.proxy.plugins.module_utils._api import OptionError
from ansible_collections.byteful.proxy.plugins.module_utils._schema import (
    amount,
    api_datetime,
    array_of,
    check,
    identifier,
    json_path,
    optional,
    parse_datetime,
    schema_error,
    utc_now,
    with_documented_fields,
)

SERVICE_SEARCH_PATH = "/public/user/service/search"

# The eight statuses of the Byteful Service object page (the Ping reference lacks paused).
SERVICE_STATUSES = ("awaiting_fulfillment", "awaiting_manual_fulfillment", "awaiting_additional_fulfillment", "active",
                    "paused", "overdue", "canceled", "complete")

SERVICE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://github.com/byteful/ansible-collection-proxy/blob/main/docs/service.schema.json",
    "title": "Byteful Service",
    "description": (
        "An item of the data array of GET /public/user/service/search. Only service_id is required; every other "
        "documented field may be absent or null, since the live API omits fields that are not set; a field that is "
        "present has its documented type. Datetimes are UTC strings such as 2026-01-31 12:00:00 or "
        "2026-01-31T12:00:00Z. Money is in cents; a price is never negative. Ids and states are at most 100 "
        "characters. service_status is not restricted to the eight documented values, so that a new status does not "
        "break a play. Other members are allowed."
    ),
    "type": "object",
    "required": ["service_id"],
    "properties": {
        "service_id": identifier("Service id, for example API-1234-5678.", required=True),
        "service_name": optional("string", "Name given to the service."),
        "service_status": identifier("One of %s." % ", ".join(SERVICE_STATUSES)),
        "service_type": identifier("datacenter, isp, residential, mobile or off_catalog."),
        "service_protocol": optional("string", "ipv4, ipv6 or dual."),
        "service_quantity": optional("integer", "Number of proxies.", minimum=0),
        "service_total": amount("Price per cycle in cents."),
        "service_cycle": optional("string", "Billing cycle as <count>:<interval>, for example 1:month."),
        "service_expiry_datetime": optional("string", "End of the current billing period (UTC)."),
        "service_is_automatic_collection": optional(
            "boolean", "Whether the renewal is charged automatically (the closest thing to auto-renew)."),
        "service_is_pending_cancellation": optional("boolean", "Whether the service cancels at the end of its period."),
        "service_subscription_id": optional("string", "Subscription id."),
        "service_subscription_is_paused": optional("boolean", "Whether the subscription is paused."),
        "open_invoice_id": optional("string", "Invoice waiting for payment, if any."),
        "service_earliest_cancellation_datetime": optional("string", "Earliest time the service can be canceled."),
        "service_dispatch_datetime": optional("string", "When the service was delivered."),
        "service_creation_datetime": optional("string", "When the service was created."),
        "service_last_update_datetime": optional("string", "When the service last changed."),
        "service_metadata": optional("object", "Metadata set on the service."),
        "country_id": optional("string", "Country code."),
        "payment_method_id": optional("string", "Payment method."),
        "service_promotional_code": optional("string", "Promotional code used."),
        "service_image": optional("string", "Image of the service."),
        "subscription_schedule_id": optional("string", "Subscription schedule."),
        "service_fulfillment_filter": optional("object", "Provisioning criteria."),
    },
    "additionalProperties": True,
}

# A search answer's items, each a Service: paths come out as $.services[3].service_total.
_SERVICES_SCHEMA = array_of(SERVICE_SCHEMA)

_DURATION = re.compile(r"\s*([0-9]+)\s*([smhdw]?)\s*\Z")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
# Far beyond any billing period; it keeps now + duration within what a datetime can hold.
MAX_DURATION = 3650 * 86400


def parse_duration(value, option="expiring_within"):
    """A duration (3600, "3600", "90m", "36h", "7d", "2w") in seconds; OptionError in one sentence otherwise."""
    seconds = None
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value if value >= 0 else None
    elif isinstance(value, str):
        match = _DURATION.match(value.lower())
        if match:
            seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds is None:
        raise OptionError("%s %r is not a duration such as 7d, 36h or 3600; use a whole number followed by s, m, h, d "
                          "or w, or a number of seconds." % (option, value))
    if seconds > MAX_DURATION:
        raise OptionError("%s %r is more than ten years; use a duration of at most 3650d." % (option, value))
    return seconds


def search_services(client, statuses=None, expiring_within=None, now=None, narrow_with="status or expiring_within"):
    """Every service of the account (the given statuses only, expiring within a duration only), soonest expiry first.

    ``narrow_with`` names, in the caller's words, what narrows a search beyond the page cap.

    The filters are sent to the API and applied here again, since an API may ignore a filter.
    Each service is validated against SERVICE_SCHEMA; absent documented fields come back as null.
    """
    statuses = list(statuses or [])
    unknown = [status for status in statuses if status not in SERVICE_STATUSES]
    if unknown:
        raise OptionError("status %s is not a service status; use any of %s." % (
            ", ".join(repr(s) for s in unknown), ", ".join(SERVICE_STATUSES)))
    now = now or utc_now()
    params = {"sort_by": "service_expiry_datetime_asc"}
    if len(statuses) == 1:
        params["service_status"] = statuses[0]
    cutoff = None
    if expiring_within is not None:
        cutoff = now + datetime.timedelta(seconds=parse_duration(expiring_within))
        params["max_service_expiry_datetime"] = api_datetime(cutoff)
    result = client.search(SERVICE_SEARCH_PATH, "Searching the Byteful services", params,
                           narrow_with=narrow_with)
    check(result.items, _SERVICES_SCHEMA, "a list of services", result.request_id, path_prefix=("services",))
    expiries = _expiries(result.items, result.request_id)
    chosen = []
    for index, service in enumerate(result.items):
        if statuses and service.get("service_status") not in statuses:
            continue
        if cutoff is not None and (expiries[index] is None or expiries[index] > cutoff):
            continue
        chosen.append((expiries[index], index, service))
    # Unknown expiry last; the API's order otherwise.
    chosen.sort(key=lambda entry: (entry[0] is None, entry[0] or now, entry[1]))
    return [with_documented_fields(service, SERVICE_SCHEMA) for dummy, dummy, service in chosen]


def _expiries(services, request_id):
    """Each service's expiry as an aware datetime (None when unknown); the schema error naming each unreadable one."""
    expiries, errors = [], []
    for index, service in enumerate(services):
        try:
            expiries.append(parse_datetime(service.get("service_expiry_datetime")))
        except ValueError as exc:
            expiries.append(None)
            path = json_path(("services", index, "service_expiry_datetime"))
            errors.append({"path": path, "expected": "a datetime", "found": service.get("service_expiry_datetime"),
                           "text": "%s: %s" % (path, exc)})
    if errors:
        raise schema_error("a list of services", errors, request_id)
    return expiries


def renews_by_itself(service):
    """True when the service is charged automatically at renewal and is not set to cancel."""
    return service.get("service_is_automatic_collection") is True and service.get("service_is_pending_cancellation") is not True


def days_until_expiry(service, now):
    """Days (a float, negative once past) from ``now`` to the service's expiry; None when unknown."""
    expiry = parse_datetime(service.get("service_expiry_datetime"))
    if expiry is None:
        return None
    return (expiry - now).total_seconds() / 86400.0
