# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""Checking API objects against their JSON schemas, and reading the API's datetimes.

Every resource file (_customer.py, _service.py, ...) holds its own schema and calls check();
the sentence a failure gives names every failing field path with what was expected and found.
An "integer" is an integer here: JSON Schema lets 1.0 (and 1e308) pass as one, Python reads them
as floats, and a float where a count or an amount belongs is a type error naming its path.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import re

from ansible_collections.byteful.proxy.plugins.module_utils._errors import BytefulError, json_type

# jsonschema is imported when the first object is validated, not with this file: the lookup
# answers most calls from its run cache, in a worker process forked for each host, and would
# pay ~30 ms per host to import it for nothing. Its presence is checked here, cheaply, so that
# callers can report it with missing_required_lib().
HAS_JSONSCHEMA = importlib.util.find_spec("jsonschema") is not None
JSONSCHEMA_IMPORT_ERROR = None if HAS_JSONSCHEMA else "ModuleNotFoundError: No module named 'jsonschema'"

# A page of 100 items can fail on hundreds of fields; the sentence names this many and counts the rest.
MAX_ERRORS_SHOWN = 10

_validators = {}  # id(schema) -> validator, built once per process: building costs more than validating


# An identifier or a state (service_id, service_status, proxy_user_id...) goes into the gate's
# sentences; no Byteful one is longer than a few dozen characters, so a longer one is refused.
MAX_IDENTIFIER = 100


def optional(kind, description, **constraints):
    """A documented field that the live API may omit or send as null (``minimum=0``, ``maxLength=...``)."""
    return dict({"type": [kind, "null"], "description": description}, **constraints)


def amount(description):
    """Money that is a price or a total, in integer cents: never negative."""
    return optional("integer", description, minimum=0)


def identifier(description, required=False):
    """A string that names something (an id, a state): at most MAX_IDENTIFIER characters."""
    if required:
        return {"type": "string", "description": description, "maxLength": MAX_IDENTIFIER}
    return optional("string", description, maxLength=MAX_IDENTIFIER)


def array_of(schema):
    """The schema of a search page's items, each a ``schema``.

    The item schema goes in without its $schema and $id: jsonschema validates a subschema that
    names its own dialect with that dialect's standard validator, whose "integer" takes 1.0.
    """
    return {"type": "array", "items": {k: v for k, v in schema.items() if k not in ("$schema", "$id")}}


def _is_integer(checker, instance):  # pylint: disable=unused-argument
    return isinstance(instance, int) and not isinstance(instance, bool)


def _get_validator(schema):
    validator = _validators.get(id(schema))
    if validator is None:
        import jsonschema  # pylint: disable=import-outside-toplevel

        base = jsonschema.Draft202012Validator
        base.check_schema(schema)
        cls = jsonschema.validators.extend(base, type_checker=base.TYPE_CHECKER.redefine("integer", _is_integer))
        # The schema is kept with its validator so that its id cannot be reused by another object.
        validator = _validators[id(schema)] = (cls(schema), schema)
    return validator[0]


def json_path(path):
    """("services", 3, "service_id") as $.services[3].service_id."""
    out = "$"
    for part in path:
        out += "[%d]" % part if isinstance(part, int) else ".%s" % part
    return out


def shown(value):
    """A value as a short piece of JSON for a message."""
    try:
        text = json.dumps(value, sort_keys=True, default=str)
    except (RecursionError, ValueError):
        # Nested too deeply to print: the type alone still tells what is wrong.
        text = "(a deeply nested %s)" % json_type(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _describe(error, path_prefix):
    """One validation error as a dict: path, expected, found, and a short sentence part."""
    path = list(path_prefix) + list(error.absolute_path)
    if error.validator == "required":
        # jsonschema reports a missing member at its parent; name the member itself.
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        path.append(missing)
        expected, found = "a required field", "nothing"
        text = "%s is missing" % json_path(path)
    elif error.validator == "type":
        wanted = error.validator_value
        expected = " or ".join(wanted) if isinstance(wanted, list) else wanted
        found = "null" if error.instance is None else "%s %s" % (json_type(error.instance), shown(error.instance))
        text = "%s must be %s, found %s" % (json_path(path), expected, found)
    elif error.validator == "minimum":
        expected, found = "%s or more" % error.validator_value, shown(error.instance)
        text = "%s must be %s, found %s" % (json_path(path), expected, found)
    elif error.validator == "maxLength":
        expected = "at most %d characters" % error.validator_value
        found = "%d characters" % len(error.instance)
        text = "%s must be %s, found %s" % (json_path(path), expected, found)
    else:
        expected, found = error.validator, shown(error.instance)
        text = "%s: %s" % (json_path(path), error.message)
    order = [(0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in path]
    return {"path": json_path(path), "expected": expected, "found": found, "text": text, "order": order}


def errors_of(instance, schema, path_prefix=()):
    """Every schema violation of ``instance`` as dicts (path, expected, found, text), in document order ([2] before [10])."""
    errors = sorted((_describe(e, path_prefix) for e in _get_validator(schema).iter_errors(instance)),
                    key=lambda e: e["order"])
    return [{k: v for k, v in e.items() if k != "order"} for e in errors]


def schema_error(what_object, errors, request_id=None):
    """The one-sentence BytefulError for ``errors`` (dicts as errors_of() gives) found in ``what_object``."""
    texts = [e["text"] for e in errors[:MAX_ERRORS_SHOWN]]
    if len(errors) > MAX_ERRORS_SHOWN:
        texts.append("and %d more" % (len(errors) - MAX_ERRORS_SHOWN))
    return BytefulError(
        "The Byteful API returned %s that does not match the expected schema (%s)%s; the API may have changed, so "
        "please report this to byteful.proxy." % (
            what_object, "; ".join(texts), ", request id %s" % request_id if request_id else ""),
        errors=[{k: v for k, v in e.items() if k != "text"} for e in errors],
        request_id=request_id,
    )


def check(instance, schema, what_object, request_id=None, path_prefix=()):
    """Return ``instance`` if it matches ``schema``; otherwise raise the BytefulError naming every failing path.

    ``what_object`` names it in the sentence ("a Customer object"); ``path_prefix`` starts
    every path (("services",) gives $.services[3].service_id for an array of services).
    """
    errors = errors_of(instance, schema, path_prefix)
    if errors:
        raise schema_error(what_object, errors, request_id)
    return instance


def with_documented_fields(instance, schema):
    """``instance`` with every documented field it lacks present as null, so every caller sees them all."""
    return dict({field: None for field in schema["properties"]}, **instance)


# API datetimes are UTC (the zone is not documented; the examples carry none or Z):
# "2023-04-01 12:00:00", "2023-12-31T23:59:59", "2023-11-07T05:31:56Z", with an optional
# fraction and an optional +HH:MM offset. ASCII digits only: \d would take full-width digits too.
_DATETIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[ T]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?"
                       r"(Z|z|[+-][0-9]{2}:?[0-9]{2})?\Z")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
DATETIME_EXAMPLE = "2026-01-31 12:00:00"


def parse_datetime(value):
    """An API datetime as an aware UTC datetime; None for None; ValueError for anything else."""
    if value is None:
        return None
    match = _DATETIME.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError("%s is not a datetime such as %s" % (shown(value), DATETIME_EXAMPLE))
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    offset = datetime.timedelta(0)
    if zone and zone not in ("Z", "z"):
        digits = zone[1:].replace(":", "")
        offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if zone[0] == "-":
            offset = -offset
    microsecond = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        moment = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), microsecond,
                                   tzinfo=datetime.timezone(offset))
    except ValueError:  # 2026-02-30, hour 25, an offset of a day or more
        raise ValueError("%s is not a datetime such as %s" % (shown(value), DATETIME_EXAMPLE)) from None
    try:
        return moment.astimezone(datetime.timezone.utc)
    except OverflowError:  # 9999-12-31 23:00:00-05:00 is in the year 10000 in UTC
        raise ValueError("%s is a datetime whose UTC time is outside the years 1 to 9999" % shown(value)) from None


def parse_date(value):
    """An API date ("2023-10-01", or a datetime whose UTC date is taken) as a datetime.date; ValueError otherwise."""
    match = _DATE.match(value) if isinstance(value, str) else None
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
        raise ValueError("%s is not a date such as 2026-01-31" % shown(value))
    try:
        return parse_datetime(value).date()
    except (ValueError, AttributeError):
        raise ValueError("%s is not a date such as 2026-01-31" % shown(value)) from None


def api_datetime(moment):
    """An aware datetime as the API writes them, in UTC: YYYY-MM-DD HH:MM:SS."""
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)
