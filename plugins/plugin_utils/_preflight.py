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

import math
import re

from ansible.module_utils.parsing.convert_bool import boolean

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

# Money as people write it: "$10", "$10.50", "$1,000", "10.00 USD", "USD 10", "US$10", "1000 cents".
# A mark ($, US$ or USD, before or after) makes the number dollars; "cents" after it keeps it
# cents; digits alone stay cents (backward compatible).
_MONEY = re.compile(r"""
    (?P<minus>-)?\s*
    (?P<before>US\$|\$|USD(?![A-Z]))?\s*
    (?P<minus2>-)?\s*
    (?P<units>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)
    (?:\.(?P<fraction>[0-9]+))?
    \s*(?P<after>\$|USD|CENTS?)?
    \Z""", re.IGNORECASE | re.VERBOSE)
# Another currency: a three-letter code before or after a number, or a currency sign that is not $.
_OTHER_CURRENCY = re.compile(r"\A\s*(?:[A-Z]{3}\s*[0-9.,]|.*[0-9.]\s*[A-Z]{3}\s*\Z|.*[\u00a3-\u00a5\u20a0-\u20cf])",
                             re.IGNORECASE)
CENTS_EXAMPLES = "'$10', '$10.50', '10.00 USD' or 1000 (a bare number is cents)"

# A bare number below these is almost surely a unit slip: 10 meant as $10 reads as $0.10, 5 meant
# as 5 GB reads as 5 bytes. No reserve is less than a dollar and no data need less than a MiB;
# 0 and 1 ("none", "any at all") are what people write on purpose, so they never warn.
SLIP_CENTS = 100
SLIP_BYTES = 1024 ** 2


def shown(value):
    """repr() of a user's input, shortened: a message quotes it, it does not reproduce a 5000-digit typo."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_bytes(value, option, warnings=None):
    """A byte threshold from an integer or a size (see parse_size); ``option`` names it as the user set it.

    ``warnings``, a list, receives a warning when a bare number is almost surely a unit slip (see SLIP_BYTES).
    """
    if isinstance(value, bool):
        raise BytefulError("%s must be a number of bytes or a size such as '5 GB', got %s." % (option, shown(value)))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip():
        number = parse_size(value)
        if number is None:
            raise BytefulError("%s %s is not a size; use a number of bytes or a size such as %s." % (
                option, shown(value), SIZE_EXAMPLES))
    else:
        raise BytefulError("%s must be a number of bytes or a size such as '5 GB', got %s." % (option, shown(value)))
    if number < 0:
        raise BytefulError("%s must not be negative, got %s." % (option, shown(value)))
    if number > MAX_BYTES:
        raise BytefulError("%s %s is more than any account can hold (%s); check the unit." % (
            option, shown(value), format_bytes(MAX_BYTES)))
    if warnings is not None and _bare_number(value) is not None and 1 < number < SLIP_BYTES:
        warnings.append("%s is %s, which is only %s, as a bare number is bytes; write a unit if you meant more, such as "
                        "'%d GB'." % (option, shown(value), format_bytes(number), number))
    return number


def parse_bool(value, option):
    """A strict boolean: true, false and Ansible's other spellings (yes, no, on, off, 1, 0...); one sentence otherwise.

    Ansible's bool filter reads any word it does not know as false, so a switch set to "ture" or
    "yes please" would turn off what it was meant to turn on.
    """
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise BytefulError("%s must be true or false, got %s." % (option, shown(value))) from None


def _bare_number(value):
    """The whole number a bare threshold holds (an int, an integral float, a string of digits), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _CENTS_TEXT.match(value.strip()):
        digits = value.strip()
        # More digits than any threshold has means too much; int() also refuses over 4300 of them.
        return int(digits) if len(digits.lstrip("-")) <= 20 else (-1 if digits.startswith("-") else 10 ** 21)
    return None


def _money_cents(text, option):
    """Cents from money written with a unit ("$10.50", "10 USD", "1000 cents"), or None when it is not money."""
    match = _MONEY.match(text.strip())
    if not match:
        if _OTHER_CURRENCY.match(text):
            raise BytefulError("%s %s is not in US dollars, the currency of the account's credit; write it in dollars "
                               "such as '$10' or '10.00 USD', or in cents such as 1000." % (option, shown(text)))
        return None
    before, after = (match.group("before") or "").upper(), (match.group("after") or "").upper()
    units, fraction = match.group("units").replace(",", ""), match.group("fraction") or ""
    if match.group("minus") or match.group("minus2"):
        raise BytefulError("%s must not be negative, got %s." % (option, shown(text)))
    if after.startswith("CENT"):
        if before or fraction or "," in match.group("units"):
            return None
        return _bounded_int(units)
    if not before and not after:
        # A decimal point or thousands separator without a currency: dollars or cents? Ask.
        raise BytefulError("%s %s has no currency, and a bare number is cents; write '$%s' for dollars, or whole cents "
                           "such as %s." % (option, shown(text), match.group("units") + ("." + fraction if fraction else ""),
                                            _cents_for(units, fraction)))
    if fraction.rstrip("0")[2:]:
        raise BytefulError("%s %s is not a whole number of cents; give at most two decimals, such as '$10.05'." % (
            option, shown(text)))
    return _bounded_int(units) * 100 + int((fraction + "00")[:2])


def _bounded_int(digits):
    return int(digits) if len(digits) <= 20 else 10 ** 21


def _cents_for(units, fraction):
    """'1050' for 10 and 50: the cents a bare decimal would be in dollars, as a hint."""
    if len(units) > 20:
        return "1000"
    return "%d" % (int(units) * 100 + int((fraction + "00")[:2]))


def parse_cents(value, option, warnings=None):
    """A credit threshold in cents: a bare whole number (cents, as ever) or money with its unit ("$10.50", "10 USD").

    ``warnings``, a list, receives a warning when a bare number is almost surely a unit slip (see SLIP_CENTS).
    """
    bare = _bare_number(value)
    if bare is not None:
        cents = bare
    elif isinstance(value, str) and value.strip():
        cents = _money_cents(value, option)
        if cents is None:
            raise BytefulError("%s %s is not an amount of money; write one such as %s." % (option, shown(value), CENTS_EXAMPLES))
    elif isinstance(value, float) and math.isfinite(value):
        raise BytefulError("%s %s is not a whole number of cents; write dollars with their sign, such as '$%.2f', or whole "
                           "cents, such as %d." % (option, shown(value), value, round(value * 100)))
    else:
        raise BytefulError("%s must be an amount such as %s, got %s." % (option, CENTS_EXAMPLES, shown(value)))
    if cents < 0:
        raise BytefulError("%s must not be negative, got %s." % (option, shown(value)))
    if cents > MAX_CENTS:
        raise BytefulError("%s %s is more than any account can hold (%s)%s." % (
            option, shown(value), format_cents(MAX_CENTS), "; a bare number is cents, not dollars" if bare is not None else ""))
    if warnings is not None and bare is not None and 1 < cents < SLIP_CENTS:
        warnings.append("%s is %s, which is only %s, as a bare number is cents; write '$%d' if you meant dollars "
                        "(or %d in cents)." % (option, shown(value), format_cents(cents), cents, cents * 100))
    return cents


def format_cents(cents):
    """$1,234.56 (or -$5.00), computed on integers so that any balance can be written."""
    dollars, rest = divmod(abs(int(cents)), 100)
    return "%s$%s.%02d" % ("-" if cents < 0 else "", "{:,}".format(dollars), rest)


def check(name, actual, required, passed, text, requested=True, **details):
    """One check as every part of the preflight returns it (the report and the registered result show the same).

    ``text`` is one clause in human units; ``requested`` is false for a base check whose threshold
    was left at 0, which is listed for its value and fails only on a negative one.
    """
    return {"name": name, "actual": actual, "required": required, "passed": passed, "requested": requested,
            "text": text, "details": details}


def _check(name, label, actual, required, formatter, no_service=None):
    """One threshold check; ``actual`` is None when the API did not report the value.

    ``no_service`` names the service ("mobile") of a byte counter whose account has no active one,
    which is the usual reason the API leaves that counter out. A threshold of 0 is no request:
    the check then shows the value, and fails only when it is below 0 (money owed, an overdrawn
    counter), which is below every threshold.
    """
    requested = required > 0
    why = " (the account has no active %s service)" % no_service if no_service else ""
    if actual is None:
        # Unknown is not zero: it passes a threshold of 0 only, and the text says it is unknown.
        passed = not requested
        text = ("%s is unknown%s, as the API did not report it, and no minimum is set" % (label, why) if passed
                else "the API did not report the account's %s%s, so the required %s cannot be confirmed" % (
                    label, why, formatter(required)))
    else:
        passed = actual >= required
        if requested or not passed:
            text = "%s %s %s the required %s" % (label, formatter(actual), "meets" if passed else "is below",
                                                 formatter(required))
        else:
            text = "%s %s, no minimum set" % (label, formatter(actual))
    return check(name, actual, required, passed, text, requested)


def _service_check(name, label, service_id, paused):
    present = isinstance(service_id, str) and service_id != ""
    if not present:
        state = "is missing but required"
    elif paused is True:
        state = "%s is paused" % service_id
    else:
        state = "is %s" % service_id
    return check(name, service_id, "an active service", present and paused is not True, "%s %s" % (label, state))


def evaluate(customer, min_credit_balance=0, min_residential_bytes=0, min_mobile_bytes=0,
             require_residential_service=False, require_mobile_service=False):
    """Compare a validated Customer object with the thresholds.

    Returns ``{"passed", "checks", "msg", "summary"}``: one check per threshold (name, actual,
    required, passed, requested, text, details), a one-sentence ``msg`` listing every failing check
    (or the requested checks, all passed), and ``summary`` lines for display.

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
    """``{"passed", "checks", "msg", "summary"}`` for ``checks`` (evaluate's and the forecast checks alike).

    The sentence names every failing check, or every requested one when all pass; a check nobody
    requested is in the summary, marked "-", not in the sentence.
    """
    failing = [item["text"] for item in checks if not item["passed"]]
    account = "Byteful account %s" % customer.get("customer_id")
    if failing:
        message = "Preflight failed for %s: %s." % (account, "; ".join(failing))
    else:
        requested = [item["text"] for item in checks if item["requested"]]
        message = "Preflight passed for %s: %s." % (
            account, "; ".join(requested) if requested else "the account was read, and no check was requested")
    summary = ["%s %s" % ("FAIL" if not item["passed"] else "ok  " if item["requested"] else "-   ", item["text"])
               for item in checks]
    return {"passed": not failing, "checks": checks, "msg": message, "summary": summary}
