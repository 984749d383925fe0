# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""The preflight comparison: a validated Customer object against thresholds.

Pure functions, no I/O: the preflight_check action plugin wires options to them and the unit
and property-based tests call them directly.
"""

from __future__ import annotations

import re

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._size import (
    MAX_BYTES,
    SIZE_EXAMPLES,
    format_bytes,
    parse_size,
)

# Thresholds beyond MAX_BYTES are typing mistakes ("5 EB" for "5 GB"), not real needs: a clear
# error beats a check that can never pass. Sizes are read and written by module_utils/_size.py.
MAX_CENTS = 100 * 1000 * 1000 * 1000  # $1,000,000,000.00

# ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
_CENTS_TEXT = re.compile(r"-?[0-9]+\Z")


def _shown(value):
    """repr() of a user's input, shortened: a message quotes it, it does not reproduce a 5000-digit typo."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_bytes(value, option):
    """A byte threshold from an integer or a size (see parse_size); ``option`` names it as the user set it."""
    if isinstance(value, bool):
        raise BytefulError("%s must be a number of bytes or a size such as '5 GB', got %s." % (option, _shown(value)))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip():
        number = parse_size(value)
        if number is None:
            raise BytefulError("%s %s is not a size; use a number of bytes or a size such as %s." % (
                option, _shown(value), SIZE_EXAMPLES))
    else:
        raise BytefulError("%s must be a number of bytes or a size such as '5 GB', got %s." % (option, _shown(value)))
    if number < 0:
        raise BytefulError("%s must not be negative, got %s." % (option, _shown(value)))
    if number > MAX_BYTES:
        raise BytefulError("%s %s is more than any account can hold (%s); check the unit." % (
            option, _shown(value), format_bytes(MAX_BYTES)))
    return number


def parse_cents(value, option):
    """A credit threshold in cents, from an integer or a string of digits."""
    if isinstance(value, str) and _CENTS_TEXT.match(value.strip()):
        digits = value.strip()
        # More digits than MAX_CENTS has means too much; int() also refuses over 4300 of them.
        value = int(digits) if len(digits.lstrip("-")) <= 20 else (-1 if digits.startswith("-") else MAX_CENTS + 1)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BytefulError("%s must be a whole number of cents (1000 is $10.00), got %s." % (option, _shown(value)))
    if value < 0:
        raise BytefulError("%s must not be negative, got %s." % (option, _shown(value)))
    if value > MAX_CENTS:
        raise BytefulError("%s %s cents is more than any account can hold (%s); it is in cents, not dollars." % (
            option, _shown(value), format_cents(MAX_CENTS)))
    return value


def format_cents(cents):
    """$1,234.56 (or -$5.00), computed on integers so that any balance can be written."""
    dollars, rest = divmod(abs(int(cents)), 100)
    return "%s$%s.%02d" % ("-" if cents < 0 else "", "{:,}".format(dollars), rest)


def _check(name, label, actual, required, formatter, no_service=None):
    """One threshold check; ``actual`` is None when the API did not report the value.

    ``no_service`` names the service ("mobile") of a byte counter whose account has no active one,
    which is the usual reason the API leaves that counter out.
    """
    if actual is None:
        # Unknown is not zero: it passes a threshold of 0 only, and the text says it is unknown.
        passed = required <= 0
        why = " (the account has no active %s service)" % no_service if no_service else ""
        text = ("%s is unknown%s, as the API did not report it, and none is required" % (label, why) if passed
                else "the API did not report the account's %s%s, so the required %s cannot be confirmed" % (
                    label, why, formatter(required)))
    else:
        passed = actual >= required
        text = "%s %s %s the required %s" % (label, formatter(actual), "meets" if passed else "is below",
                                             formatter(required))
    return {"name": name, "actual": actual, "required": required, "passed": passed, "text": text, "details": {}}


def _service_check(name, label, service_id, paused):
    present = isinstance(service_id, str) and service_id != ""
    if not present:
        state = "is missing but required"
    elif paused is True:
        state = "%s is paused" % service_id
    else:
        state = "is %s" % service_id
    return {"name": name, "actual": service_id, "required": "an active service", "passed": present and paused is not True,
            "text": "%s %s" % (label, state), "details": {}}


def evaluate(customer, min_credit_balance=0, min_residential_bytes=0, min_mobile_bytes=0,
             require_residential_service=False, require_mobile_service=False):
    """Compare a validated Customer object with the thresholds.

    Returns ``{"passed", "checks", "msg", "summary"}``: one check per threshold (name, actual,
    required, passed, text), a one-sentence ``msg`` listing every failing check (or saying all
    passed), and ``summary`` lines for display.

    A value the API did not report (absent or null: the live API omits what is not set) is
    unknown, never zero: a threshold above 0 on it fails and says the API did not report it; a
    threshold of 0 passes and says it is unknown. Negative values (credit owed, an overdrawn
    counter) are below every threshold. A paused service is not an active one; a service whose
    paused flag is absent or null is not paused.
    """
    min_credit = parse_cents(min_credit_balance, "min_credit_balance")
    min_residential = parse_bytes(min_residential_bytes, "min_residential_bytes")
    min_mobile = parse_bytes(min_mobile_bytes, "min_mobile_bytes")

    residential_id = customer.get("active_residential_service_id")
    mobile_id = customer.get("active_mobile_service_id")
    checks = [
        _check("credit_balance", "credit balance", customer.get("credit_balance"), min_credit, format_cents),
        _check("residential_bytes_left", "residential data", customer.get("residential_bytes_left"), min_residential,
               format_bytes, None if residential_id else "residential"),
        _check("mobile_bytes_left", "mobile data", customer.get("mobile_bytes_left"), min_mobile, format_bytes,
               None if mobile_id else "mobile"),
    ]
    if require_residential_service:
        checks.append(_service_check("active_residential_service_id", "active residential service", residential_id,
                                     customer.get("active_residential_service_subscription_is_paused")))
    if require_mobile_service:
        checks.append(_service_check("active_mobile_service_id", "active mobile service", mobile_id,
                                     customer.get("active_mobile_service_is_paused")))

    return summarise(customer, checks)


def summarise(customer, checks):
    """``{"passed", "checks", "msg", "summary"}`` for ``checks`` (evaluate's and the forecast checks alike)."""
    failing = [check["text"] for check in checks if not check["passed"]]
    account = "Byteful account %s" % customer.get("customer_id")
    if failing:
        message = "Preflight failed for %s: %s." % (account, "; ".join(failing))
    else:
        message = "Preflight passed for %s: %s." % (account, "; ".join(check["text"] for check in checks))
    summary = ["%s %s" % ("ok  " if check["passed"] else "FAIL", check["text"]) for check in checks]
    return {"passed": not failing, "checks": checks, "msg": message, "summary": summary}
