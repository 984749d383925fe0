# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""The preflight's forward-looking checks: days of data left, proxy-user headroom, services that
will not renew by themselves, refused service states, and credit against what is committed.

Pure functions on what the module_utils readers return (_usage.read_usage, _proxy_user.read_proxy_users,
_service.search_services, _quote.fetch_quote) and a fixed ``now``: the preflight_check action
fetches, these compare. Each returns a check as _preflight.evaluate does (name, actual, required,
passed, text) plus ``details`` for the report.
"""

from __future__ import annotations

import difflib
import math
import re

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user import live_proxy_user_ids, read_proxy_users
from ansible_collections.byteful.proxy.plugins.module_utils._quote import fetch_quote, parse_cycle, quote_body
from ansible_collections.byteful.proxy.plugins.module_utils._service import (
    SERVICE_STATUSES,
    days_until_expiry,
    renews_by_itself,
    search_services,
)
from ansible_collections.byteful.proxy.plugins.module_utils._usage import read_usage
from ansible_collections.byteful.proxy.plugins.plugin_utils._preflight import check, format_bytes, format_cents, shown

# The ledger search reads one page of 100 rows per product: 90 days fit with room to spare.
MAX_WINDOW_DAYS = 90
MAX_DAYS = 3650  # ten years: more is a typo, not a plan
MAX_COUNT = 1000 * 1000
MAX_PURCHASE_LINES = 20  # one quote call each
_NUMBER_TEXT = re.compile(r"[0-9]+(?:\.[0-9]+)?\Z")


def _plural(count, word):
    return "%s %s%s" % (count, word, "" if count == 1 else "s")


# A sentence names this many services at most; the check's actual and details list them all.
NAMED_SERVICES = 5


def _listed(parts):
    """'a, b, c' or, beyond NAMED_SERVICES, 'a, b, c, d, e and 20 more'."""
    if len(parts) <= NAMED_SERVICES:
        return ", ".join(parts)
    return "%s and %d more" % (", ".join(parts[:NAMED_SERVICES]), len(parts) - NAMED_SERVICES)


def format_days(days):
    """Days left with one decimal, rounded down: 13.96 days is '13.9 days', never '14.0 days' below 14."""
    return "%.1f days" % (math.floor(days * 10) / 10)


def format_required_days(days):
    """A threshold as the user wrote it: 14 -> '14 days', 1 -> '1 day', 2.5 -> '2.5 days'."""
    return _plural(int(days) if float(days).is_integer() else days, "day")


def _number(value, option, what, integer):
    if isinstance(value, str) and _NUMBER_TEXT.match(value.strip()):
        value = float(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)) \
            or isinstance(value, float) and not math.isfinite(value):
        raise BytefulError("%s must be %s, got %s." % (option, what, shown(value)))
    if value < 0:
        raise BytefulError("%s must not be negative, got %s." % (option, shown(value)))
    return value


def parse_days(value, option):
    """A number of days (14, 2.5, "14"), or None when unset; 0 and None leave the check off."""
    if value is None:
        return None
    days = _number(value, option, "a number of days such as 14", integer=False)
    if days > MAX_DAYS:
        raise BytefulError("%s %s is more than %d days (ten years); check the value." % (option, shown(value), MAX_DAYS))
    return days or None


def parse_count(value, option):
    """A whole number such as a count of proxy users, or None when unset; 0 and None leave the check off."""
    if value is None:
        return None
    count = _number(value, option, "a whole number such as 5", integer=True)
    if count > MAX_COUNT:
        raise BytefulError("%s %s is more than any account holds; check the value." % (option, shown(value)))
    return count or None


def parse_window(value, option):
    """The usage window: whole days, 1 to 90 (one page of ledger rows per product)."""
    days = _number(value, option, "a whole number of days from 1 to %d" % MAX_WINDOW_DAYS, integer=True)
    if not 1 <= days <= MAX_WINDOW_DAYS:
        raise BytefulError("%s must be from 1 to %d days, got %s." % (option, MAX_WINDOW_DAYS, shown(value)))
    return days


def parse_statuses(value, option):
    """Service states to refuse, each one of the API's eight; an empty list leaves the check off."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)):
        raise BytefulError("%s must be a list of service states such as [overdue, paused], got %s." % (option, shown(value)))
    statuses = []
    for status in value:
        if status not in SERVICE_STATUSES:
            close = difflib.get_close_matches(str(status), SERVICE_STATUSES, n=1)
            raise BytefulError("%s holds %s, which is not a service state%s; the states are %s." % (
                option, shown(status), " (did you mean %s?)" % close[0] if close else "", ", ".join(SERVICE_STATUSES)))
        if status not in statuses:
            statuses.append(status)
    return statuses


# The product types of a service (service_type), as the API's Service object documents them.
SERVICE_TYPES = ("datacenter", "isp", "residential", "mobile", "off_catalog")


def _names(value, option, what, example):
    """A list of names, from a list or a comma-separated string; None and "" are an empty list."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) and item.strip() for item in value):
        raise BytefulError("%s must be a list of %s such as %s, got %s." % (option, what, example, shown(value)))
    names = []
    for item in value:
        if item.strip() not in names:
            names.append(item.strip())
    return names


def parse_planned_users(value, option):
    """The ids of the proxy users a play is about to make: ids, or the dicts it passes to proxy_user (proxy_user_id or
    its alias name; those with state absent left out). A dict is never quoted: it may hold a password."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)):
        raise BytefulError("%s must be a list of proxy user ids, or of the dicts the play passes to "
                           "byteful.proxy.proxy_user, got a %s." % (option, type(value).__name__))
    ids = []
    for index, item in enumerate(value, 1):
        if isinstance(item, dict):
            if item.get("state") == "absent":
                continue
            item = item.get("proxy_user_id", item.get("name"))
        if not isinstance(item, str) or not item.strip():
            raise BytefulError("%s item %d has no proxy user id; give the id, or a dict with proxy_user_id as "
                               "byteful.proxy.proxy_user takes it." % (option, index))
        if item.strip() not in ids:
            ids.append(item.strip())
    return ids


def parse_service_types(value, option):
    """Product types the service checks are limited to (isp, residential...); an empty list limits nothing."""
    types = _names(value, option, "service types", "[residential, isp]")
    for kind in types:
        if kind not in SERVICE_TYPES:
            close = difflib.get_close_matches(kind, SERVICE_TYPES, n=1)
            raise BytefulError("%s holds %s, which is not a service type%s; the types are %s." % (
                option, shown(kind), " (did you mean %s?)" % close[0] if close else "", ", ".join(SERVICE_TYPES)))
    return types


def parse_service_ids(value, option):
    """Service ids the service checks are limited to; an empty list limits nothing."""
    return _names(value, option, "service ids", "[1955-8012-871]")


def _and(words, conjunction="and"):
    return words[0] if len(words) == 1 else "%s %s %s" % (", ".join(words[:-1]), conjunction, words[-1])


def scope_words(scope):
    """'among the residential and isp services, ' for a scope, '' for none: the start of a scoped check's clause."""
    parts = []
    if scope["types"]:
        parts.append("the %s services" % _and(scope["types"]))
    if scope["ids"]:
        parts.append("%s %s" % ("service" if len(scope["ids"]) == 1 else "services", _and(scope["ids"])))
    return "among %s, " % " and ".join(parts) if parts else ""


def in_scope(services, scope):
    """The services of the scope's types or ids (every service without a scope).

    An id the account does not have is one sentence naming the setting: a misspelt id would
    otherwise leave the checks looking at nothing.
    """
    if not scope["types"] and not scope["ids"]:
        return list(services)
    known = [service["service_id"] for service in services]
    missing = [service_id for service_id in scope["ids"] if service_id not in known]
    if missing:
        close = difflib.get_close_matches(missing[0], known, n=1)
        raise BytefulError("%s holds %s, which the account does not have among its %s%s; list the ids of services the "
                           "play depends on (byteful.proxy.service_info lists them)." % (
                               scope["ids_option"], _and([shown(service_id) for service_id in missing]),
                               _plural(len(known), "service"), " (did you mean %s?)" % close[0] if close else ""))
    return [service for service in services
            if service.get("service_type") in scope["types"] or service["service_id"] in scope["ids"]]


def parse_purchases(value, option):
    """Planned purchases: a list of {product_code, quantity, cycle}; each is one quote call."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise BytefulError("%s must be a list of purchases such as [{product_code: isp_us, quantity: 10, cycle: '1:month'}], "
                           "got %s." % (option, shown(value)))
    if len(value) > MAX_PURCHASE_LINES:
        raise BytefulError("%s has %d purchases; at most %d are priced (one API call each): combine lines of the same "
                           "product." % (option, len(value), MAX_PURCHASE_LINES))
    purchases = []
    for index, line in enumerate(value):
        where = "%s[%d]" % (option, index)
        if not isinstance(line, dict):
            raise BytefulError("%s must be a purchase such as {product_code: isp_us, quantity: 10, cycle: '1:month'}, got %s."
                               % (where, shown(line)))
        unknown = sorted(set(line) - {"product_code", "quantity", "cycle"})
        if unknown:
            raise BytefulError("%s has %s; a purchase has product_code, quantity and cycle." % (
                where, " and ".join(repr(str(key)) for key in unknown)))
        code = line.get("product_code")
        if not isinstance(code, str) or not code.strip():
            raise BytefulError("%s.product_code must be a product code such as isp_us, got %s." % (where, shown(code)))
        quantity = _number(line.get("quantity"), where + ".quantity", "a whole number of at least 1", integer=True)
        if not 1 <= quantity <= MAX_COUNT:
            raise BytefulError("%s.quantity must be from 1 to %d, got %s." % (where, MAX_COUNT, shown(line.get("quantity"))))
        cycle = line.get("cycle")
        if cycle is not None:
            parse_cycle(cycle, where + ".cycle")  # one sentence naming it, when it is not a cycle
        purchases.append({"product_code": code.strip(), "quantity": quantity, "cycle": cycle})
    return purchases


def purchase_label(purchase):
    """'10 x isp_us (1:month)', as the credit sentence names a purchase."""
    label = "%d x %s" % (purchase["quantity"], purchase["product_code"])
    return label + (" (%s)" % purchase["cycle"] if purchase["cycle"] else "")


def _check(name, actual, required, passed, text, **details):
    return check(name, actual, required, passed, text, **details)


def usage_days_check(usage, required_days, has_service=True):
    """Days of ``usage["product"]`` data left at the window's average against ``required_days``.

    ``usage`` is what _usage.read_usage returns. Nothing used in the window passes, and says so;
    data the API did not report is unknown, so the days cannot be confirmed.
    """
    product = usage["product"]
    window = "last %s" % _plural(usage["window_days"], "day")
    average = usage.get("average_daily_bytes") or 0.0
    left = usage.get("bytes_left")
    required = format_required_days(required_days)
    details = dict(product=product, window_days=usage["window_days"], average_daily_bytes=average, bytes_left=left,
                   runs_out_on=usage.get("runs_out_on"))
    name = "%s_days_left" % product
    if left is None:
        why = "" if has_service else " (the account has no active %s service)" % product
        return _check(name, None, required_days, False, "the API did not report the account's %s data%s, so the required %s "
                      "cannot be confirmed" % (product, why, required), **details)
    if left <= 0:
        return _check(name, 0.0, required_days, False, "%s data %s is used up, below the required %s" % (
            product, format_bytes(left), required), **details)
    if average <= 0:
        # No usage in the window: at that rate the data never runs out.
        return _check(name, None, required_days, True, "no %s data used in the %s: %s left lasts beyond the required %s at "
                      "that rate" % (product, window, format_bytes(left), required), **details)
    days = usage["days_left"] if usage.get("days_left") is not None else left / average
    passed = days >= required_days
    return _check(name, days, required_days, passed, "%s data %s lasts %s at %s/day (%s), %s the required %s" % (
        product, format_bytes(left), format_days(days), format_bytes(round(average)), window,
        "meets" if passed else "below", required), **details)


def proxy_user_headroom_check(proxy_users, required, missing=None, planned=0):
    """Proxy users that can still be created (_proxy_user.read_proxy_users: the default user counts): at least
    ``required`` (None: none) plus the ``missing`` ones of the ``planned`` users the play is about to make."""
    count, limit, headroom = proxy_users.get("count"), proxy_users.get("limit"), proxy_users.get("headroom")
    details = dict(count=count, count_excluding_default=proxy_users.get("count_excluding_default"), limit=limit)
    needed = (required or 0) + len(missing or ())
    because = ""
    if planned:
        details.update(planned=planned, missing=list(missing))
        because = " (%s of the %s do%s not exist yet%s)" % (
            len(missing), _plural(planned, "planned proxy user"), "es" if len(missing) == 1 else "",
            ": %s" % _listed(missing) if missing else "")
    if needed == 0:
        return _check("proxy_user_headroom", headroom, 0, True, "every one of the %s exists already, so it needs no "
                      "room" % _plural(planned, "planned proxy user"), **details)
    if limit is None or headroom is None:
        return _check("proxy_user_headroom", None, needed, False, "the API did not report the account's proxy user limit, "
                      "so the required room for %s cannot be confirmed%s" % (_plural(needed, "proxy user"), because),
                      **details)
    passed = headroom >= needed
    room = "room for %d" % headroom if headroom >= 0 else "%d over the limit" % -headroom
    return _check("proxy_user_headroom", headroom, needed, passed, "proxy users %d of %d: %s, %s the required %d%s" % (
        count, limit, room, "meets" if passed else "below", needed, because), **details)


def _active(services):
    return [service for service in services if service.get("service_status") == "active"]


def service_days_check(services, required_days, now, scope_text=""):
    """Every active service that will not renew by itself has at least ``required_days`` before it expires.

    A service renews by itself when automatic collection is on and it is not pending
    cancellation (_service.renews_by_itself). An expiry the API did not report is unknown, so
    that service cannot be confirmed. ``scope_text`` (see scope_words) starts the clause when the
    services were limited to a scope.
    """
    required = format_required_days(required_days)
    manual = [service for service in _active(services) if not renews_by_itself(service)]
    short, soonest = [], None
    for service in manual:
        days = days_until_expiry(service, now)
        reason = "pending cancellation" if service.get("service_is_pending_cancellation") else "automatic collection off"
        if days is None:
            short.append("%s has no expiry the API reported (%s)" % (service["service_id"], reason))
        else:
            soonest = days if soonest is None else min(soonest, days)
            if days < 0:
                short.append("%s expired %s ago (%s)" % (service["service_id"], format_days(-days), reason))
            elif days < required_days:
                short.append("%s expires in %s (%s)" % (service["service_id"], format_days(days), reason))
    details = dict(services=[service["service_id"] for service in manual])
    if short:
        # One clause: the shortfall first, then the services it is about.
        text = "%s that will not renew by %s %s less than the required %s: %s" % (
            "1 active service" if len(short) == 1 else "%d active services" % len(short),
            "itself" if len(short) == 1 else "themselves", "lasts" if len(short) == 1 else "last", required, _listed(short))
    elif len(manual) == 1:
        text = "the one active service that will not renew by itself meets the required %s (it expires in %s)" % (
            required, format_days(soonest))
    elif manual:
        text = "%d active services that will not renew by themselves meet the required %s (the soonest expires in %s)" % (
            len(manual), required, format_days(soonest))
    else:
        text = "every active service renews by itself, so none must last the required %s" % required
    return _check("service_days_left", soonest, required_days, not short, scope_text + text, **details)


def service_status_check(services, statuses, scope_text=""):
    """No service is in one of ``statuses`` (for example overdue, paused)."""
    found = [service for service in services if service.get("service_status") in statuses]
    listed = _and(list(statuses), "or")
    if found:
        text = "%s %s: %s" % (_plural(len(found), "service"), "is in a refused state" if len(found) == 1 else "are in refused states",
                              _listed(["%s is %s" % (service["service_id"], service["service_status"]) for service in found]))
    else:
        text = "no service is %s" % listed
    return _check("service_status", [service["service_id"] for service in found], list(statuses), not found,
                  scope_text + text, states={service["service_id"]: service["service_status"] for service in found})


def renewals_due(services, window_days, now):
    """Active services with automatic collection that expire within ``window_days`` (or are past due):
    ``(cents, service ids, ids without a price)``. These are the invoices the credit will be asked for."""
    cents, due, unpriced = 0, [], []
    for service in _active(services):
        if not renews_by_itself(service):
            continue
        days = days_until_expiry(service, now)
        if days is None or days > window_days:
            continue
        due.append(service["service_id"])
        total = service.get("service_total")
        if isinstance(total, int) and not isinstance(total, bool):
            cents += max(total, 0)
        else:
            unpriced.append(service["service_id"])
    return cents, due, unpriced


def _quoted_reason(reason):
    """', saying "isp_de is not available at the moment"': the API's words (cleaned by the client) set apart in
    quotes, so that they read as the API's, without the full stop or semicolon that would end our clause or
    pass for the next check's."""
    reason = (reason if isinstance(reason, str) else "").strip().rstrip(".").replace('"', "'").replace(";", ",")
    return ', saying "%s"' % reason if reason else ""


def credit_commitments_check(customer, reserve, now, purchases=(), renewal_window_days=None, services=()):
    """Credit against the reserve plus the priced purchases plus the renewals due in the window.

    ``purchases`` are ``(purchase, quote)`` pairs (quote: _quote.fetch_quote's answer, total in
    cents). The sentence names each part: "credit balance $12.45 does not cover $10.00 reserve +
    $35.00 for 10 x isp_us (1:month) + $20.00 of renewals due within 7 days".
    """
    parts, required, problems = [], reserve, []
    if reserve:
        parts.append("%s reserve" % format_cents(reserve))
    lines = []
    for purchase, quote in purchases:
        label = purchase_label(purchase)
        if quote.get("is_valid") is False:
            problems.append("the API would not sell %s%s" % (label, _quoted_reason(quote.get("invalid_reason"))))
        total = quote.get("total")
        if not isinstance(total, int) or isinstance(total, bool):
            problems.append("the quote for %s has no total" % label)
            total = 0
        required += total
        parts.append("%s for %s" % (format_cents(total), label))
        lines.append(dict(purchase, total=total, is_valid=quote.get("is_valid")))
    renewal_ids = []
    if renewal_window_days:
        cents, renewal_ids, unpriced = renewals_due(services, renewal_window_days, now)
        required += cents
        parts.append("%s of renewals due within %s" % (format_cents(cents), format_required_days(renewal_window_days)))
        if unpriced:
            problems.append("the API did not report the price (service_total) of %s, due within %s" % (
                ", ".join(unpriced), format_required_days(renewal_window_days)))
    balance = customer.get("credit_balance")
    commitments = " + ".join(parts) if parts else "no commitment"
    details = dict(reserve=reserve, purchases=lines, renewal_window_days=renewal_window_days, renewals=renewal_ids)
    if balance is None:
        text = "the API did not report the account's credit balance, so %s cannot be confirmed" % commitments
        passed = required <= 0 and not problems
    else:
        passed = balance >= required and not problems
        text = "credit balance %s %s %s" % (format_cents(balance), "covers" if balance >= required else "does not cover",
                                            commitments)
    if problems:
        # Part of this one check's clause, never a clause of its own: "; " separates checks.
        text += "%s %s" % (", but" if balance is not None and balance >= required else ", and", _and(problems))
    return _check("credit_balance", balance, required, passed, text, **details)


# Which settings switch a check on; each costs API calls only when it is on.
SETTINGS = ("min_residential_days", "min_mobile_days", "min_proxy_user_headroom", "planned_proxy_users",
            "min_service_days_left", "fail_on_service_status", "purchases", "renewal_window_days")


def parse_settings(args, name):
    """The forecast settings from the preflight_check options ``args``; ``name(option)`` is what the user set."""
    return {
        "min_residential_days": parse_days(args.get("min_residential_days"), name("min_residential_days")),
        "min_mobile_days": parse_days(args.get("min_mobile_days"), name("min_mobile_days")),
        "usage_window_days": parse_window(args.get("usage_window_days", 14), name("usage_window_days")),
        "min_proxy_user_headroom": parse_count(args.get("min_proxy_user_headroom"), name("min_proxy_user_headroom")),
        "planned_proxy_users": parse_planned_users(args.get("planned_proxy_users"), name("planned_proxy_users")),
        "min_service_days_left": parse_days(args.get("min_service_days_left"), name("min_service_days_left")),
        "fail_on_service_status": parse_statuses(args.get("fail_on_service_status"), name("fail_on_service_status")),
        "purchases": parse_purchases(args.get("purchases"), name("purchases")),
        "renewal_window_days": parse_days(args.get("renewal_window_days"), name("renewal_window_days")),
        "service_scope": {"types": parse_service_types(args.get("service_types"), name("service_types")),
                          "ids": parse_service_ids(args.get("service_ids"), name("service_ids")),
                          "types_option": name("service_types"), "ids_option": name("service_ids")},
    }


def any_enabled(settings):
    return any(settings[setting] for setting in SETTINGS)


def forecast(read, customer, settings, reserve, now):
    """Read what the enabled checks need and run them: ``(checks, credit check or None)``.

    ``read(part, parameters, fetch)`` returns ``fetch(client)`` through the run cache (see
    _account.AccountSession.read), so each part costs one call per run: a product's usage one
    ledger page, the services their pages, the proxy users one call, a purchase one quote.
    The credit check, when purchases or a renewal window are set, replaces the base gate's.
    """
    checks = []
    today = now.date()
    for product in ("residential", "mobile"):
        required = settings["min_%s_days" % product]
        if not required:
            continue
        left_field = "%s_bytes_left" % product
        parameters = {"product": product, "window_days": settings["usage_window_days"], "today": today.isoformat(),
                      "bytes_left": customer.get(left_field)}
        usage = read("usage", parameters, lambda client, product=product: read_usage(
            client, customer, product, settings["usage_window_days"], today=today))
        checks.append(usage_days_check(usage, required, has_service=bool(customer.get("active_%s_service_id" % product))))
    planned = settings["planned_proxy_users"]
    if settings["min_proxy_user_headroom"] or planned:
        proxy_users = read("proxy_users", {"limit": customer.get("customer_proxy_user_limit")},
                           lambda client: read_proxy_users(client, customer))
        missing = None
        if planned:  # only those that do not exist yet take room
            existing = set(read("proxy_user_ids", {}, live_proxy_user_ids))
            missing = [user for user in planned if user not in existing]
        checks.append(proxy_user_headroom_check(proxy_users, settings["min_proxy_user_headroom"], missing, len(planned)))
    services = []
    if settings["min_service_days_left"] or settings["fail_on_service_status"] or settings["renewal_window_days"]:
        # One search of every service serves all three checks: its pages once per run.
        scope = settings["service_scope"]
        services = read("services", {}, lambda client: search_services(client, narrow_with="%s or %s" % (
            scope["types_option"], scope["ids_option"])))
    if settings["min_service_days_left"] or settings["fail_on_service_status"]:
        # The play's own services, when it says which; the renewals below draw on the one credit, so they never are.
        scoped, scope_text = in_scope(services, settings["service_scope"]), scope_words(settings["service_scope"])
    if settings["min_service_days_left"]:
        checks.append(service_days_check(scoped, settings["min_service_days_left"], now, scope_text))
    if settings["fail_on_service_status"]:
        checks.append(service_status_check(scoped, settings["fail_on_service_status"], scope_text))
    credit = None
    if settings["purchases"] or settings["renewal_window_days"]:
        priced = []
        for purchase in settings["purchases"]:
            body = quote_body(purchase["quantity"], product_code=purchase["product_code"], cycle=purchase["cycle"])
            priced.append((purchase, read("quote", body, lambda client, body=body: fetch_quote(client, body))))
        credit = credit_commitments_check(customer, reserve, now, purchases=priced,
                                          renewal_window_days=settings["renewal_window_days"], services=services)
    return checks, credit
