# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Relative times in data files, resolved when a request is served.

A string value "$now", "$now+5d", "$now-36h", "$now+90m" or "$now-2d+3h" is a datetime that many days (d),
hours (h) or minutes (m) from the moment of the request, written in the account's datetime form:
"space" (default, `YYYY-MM-DD HH:MM:SS`, as most live examples), "iso" (`YYYY-MM-DDTHH:MM:SSZ`) or
"mixed" (the two alternating item by item, as the live API is seen to vary). "$today", "$today-3d"
is a date, `YYYY-MM-DD`. All times are UTC. Anything else is served as written.
"""

from __future__ import annotations

import datetime
import re

DATETIME_FORMS = ("space", "iso", "mixed")
_RELATIVE = re.compile(r"^\$(now|today)((?:[+-]\d+[dhm])*)$")
_OFFSET = re.compile(r"([+-])(\d+)([dhm])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
SPACE_FORMAT = "%Y-%m-%d %H:%M:%S"
ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def format_datetime(moment, form="space"):
    return moment.strftime(ISO_FORMAT if form == "iso" else SPACE_FORMAT)


def is_relative(value):
    return isinstance(value, str) and _RELATIVE.match(value) is not None


def resolve(value, now, form="space"):
    """value with every relative time in it (nested in objects and lists too) made absolute."""
    if isinstance(value, dict):
        return {key: resolve(item, now, form) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, now, form) for item in value]
    if not isinstance(value, str):
        return value
    match = _RELATIVE.match(value)
    if match is None:
        return value
    moment = now
    for sign, amount, unit in _OFFSET.findall(match.group(2)):
        delta = datetime.timedelta(**{_UNITS[unit]: int(amount)})
        moment = moment + delta if sign == "+" else moment - delta
    if match.group(1) == "today":
        return moment.strftime("%Y-%m-%d")
    return format_datetime(moment, form)


def parse(text):
    """A datetime (aware, UTC) from a query value or an item field: either live form, or a date; None if neither."""
    if not isinstance(text, str):
        return None
    text = text.strip().replace("T", " ")
    if text.endswith("Z"):
        text = text[:-1]
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            continue
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc)
