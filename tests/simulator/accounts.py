# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The built-in accounts and fault accounts, read from the JSON files under data/.

data/accounts/<public key>.json is an account:
    {"description": "one line: what it simulates",
     "customer": {...}}                                  the whole Customer object, or
     "based_on": "<account>", "changes": {...}, "omit": [...]}   another account's, changed
   optionally "residential_summary" / "mobile_summary" (else derived from the customer),
   "shape": "malformed" for an account that breaks the documented types on purpose, and what the
   search and quote routes serve (each documented in its module under resources/; absent: derived
   from the customer; not inherited through based_on):
     "services"        resources/services.py      (a list, or {"generate": {...}})
     "usage"           resources/ledgers.py       ({"residential": {...}, "mobile": {...}} generator specs)
     "proxy_users"     resources/proxy_users.py   (a list, or {"active": N, "deleted": M})
     "proxy_user_writes" resources/proxy_user_writes.py ({"limit_status", "echo", "reuse_deleted_ids"})
     "proxies"         resources/proxies.py       (a list of Proxy objects; absent: derived from the services)
     "search"          resources/search.py        ({"uncounted", "ignore_sort", "ignore_filters", "strict_per_page"})
     "datetime_form"   resources/clock.py         ("space" (default), "iso" or "mixed")
   Prices for the quote are in data/prices.json (resources/quote.py).

data/faults/<public key>.json is a fault account:
    {"description": "...", "steps": [<fault step>, ...], "then": "<account>"}
   Its steps answer its requests in order (see FAULT_STEP_KEYS); once the counted ones are used
   up it answers as the account named by "then". A step may give "body_file" (a file under
   data/pages/) instead of "body", and a body may hold {"$customer": "<account>"}. A step with
   "route": "<route name>" serves only that route's requests: when any step of an account names a
   route, its steps are counted per route (each route runs through the steps that apply to it), and
   a route no step applies to answers normally.

Adding a shape is adding a file; the public key is the file name.
"""

from __future__ import annotations

import base64
import copy
import json
import os

from .protocol import InvalidRequest, is_int, is_number
from .resources import ROUTES_BY_NAME
from .resources.clock import DATETIME_FORMS
from .resources.proxy_user_writes import validate_write_settings
from .resources.search import QUIRKS

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
# what an account serves besides its customer and faults (data file keys and PUT /_sim/accounts/<key> keys)
SERVED_KEYS = ("residential_summary", "mobile_summary", "services", "usage", "proxy_users", "proxy_user_writes", "proxies", "search",
               "datetime_form")
ACCOUNT_KEYS = ("customer", "faults") + SERVED_KEYS
ACCOUNT_FILE_KEYS = ("description", "customer", "based_on", "changes", "omit", "shape") + SERVED_KEYS
FAULT_FILE_KEYS = ("description", "steps", "then")
SHAPES = ("live", "malformed")

FAULT_ACTIONS = ("respond", "hang", "truncate", "cut", "trickle", "trickle_headers", "close")

# key -> description, for validating the steps given to PUT /_sim/accounts/<key> and in data/faults/
FAULT_STEP_KEYS = {
    "status": "HTTP status (100-599); absent: the normal response",
    "times": "how many requests this step serves (>= 1); absent or null: all of them",
    "headers": "extra response headers (object of strings)",
    "body": "response body: a string is sent as is, anything else as JSON; absent: the error envelope",
    "content_type": "Content-Type of the body",
    "error": "error of the envelope (default: from the status, e.g. \"Forbidden\")",
    "message": "message of the envelope (default: from the status)",
    "extra": "more fields for the envelope (object)",
    "delay": "seconds to wait before answering",
    "action": "respond (default), hang, truncate (a shorter, complete body), cut (the connection closes within the body "
              "its Content-Length announced), trickle (the body byte by byte), trickle_headers (the status line and headers "
              "byte by byte, then the body) or close",
    "interval": "seconds between bytes for trickle and trickle_headers (default 0.5)",
    "retry_after_date": "send Retry-After as an HTTP-date this many seconds ahead",
    "echo_key": "true: quote the private key the client sent in the error message",
    "truncate_at": "bytes sent by truncate and cut (default: half the body)",
    "pad_bytes": "add a padding field of this many bytes to a JSON object body",
    "route": "the name of the only route this step serves (%s)" % ", ".join(ROUTES_BY_NAME),
    "commit": "true: the route does its work first (a create or an edit takes effect), then the step answers as it says "
              "(an error status, a hang, a cut connection): the client cannot tell whether its write happened",
    "body_base64": "response body as base64, sent as raw bytes (a compressed body with its Content-Encoding header, "
                   "for instance); replaces body",
}


def validate_served(definition):
    """Check the served keys of an account definition that have a fixed form; raise InvalidRequest."""
    if definition.get("datetime_form", "space") not in DATETIME_FORMS:
        raise InvalidRequest("datetime_form must be one of %s" % ", ".join(DATETIME_FORMS))
    search = definition.get("search", {})
    if not isinstance(search, dict) or set(search) - set(QUIRKS):
        raise InvalidRequest("search must be an object of %s" % ", ".join(QUIRKS))
    for name, value in search.items():
        if not (isinstance(value, bool) or (isinstance(value, list) and all(route in ROUTES_BY_NAME for route in value))):
            raise InvalidRequest("search.%s must be true, false or a list of route names" % name)
    if "proxy_user_writes" in definition:
        validate_write_settings(definition["proxy_user_writes"])
    if not isinstance(definition.get("proxies", []), list):
        raise InvalidRequest("proxies must be a list of Proxy objects")


def validate_fault_steps(faults):
    """Check and normalise a list of fault steps; raise InvalidRequest when one is wrong."""
    if not isinstance(faults, list):
        raise InvalidRequest("faults must be a list of objects")
    steps = []
    for index, step in enumerate(faults):
        where = "faults[%d]" % index
        if not isinstance(step, dict):
            raise InvalidRequest("%s must be an object" % where)
        unknown = sorted(set(step) - set(FAULT_STEP_KEYS))
        if unknown:
            raise InvalidRequest("%s has unknown keys: %s (known: %s)" % (where, ", ".join(unknown), ", ".join(sorted(FAULT_STEP_KEYS))))
        status = step.get("status")
        if status is not None and not (is_int(status) and 100 <= status <= 599):
            raise InvalidRequest("%s.status must be an integer from 100 to 599" % where)
        times = step.get("times")
        if times is not None and not (is_int(times) and times >= 1):
            raise InvalidRequest("%s.times must be a positive integer or null" % where)
        headers = step.get("headers", {})
        if not isinstance(headers, dict) or not all(isinstance(name, str) for name in headers):
            raise InvalidRequest("%s.headers must be an object" % where)
        for name in ("delay", "interval", "retry_after_date"):
            value = step.get(name, 0)
            if not is_number(value) or value < 0:
                raise InvalidRequest("%s.%s must be a number >= 0" % (where, name))
        for name in ("echo_key", "commit"):
            if not isinstance(step.get(name, False), bool):
                raise InvalidRequest("%s.%s must be a boolean" % (where, name))
        for name in ("truncate_at", "pad_bytes"):
            value = step.get(name, 0)
            if not is_int(value) or value < 0:
                raise InvalidRequest("%s.%s must be an integer >= 0" % (where, name))
        for name in ("content_type", "error", "message"):
            if name in step and not isinstance(step[name], str):
                raise InvalidRequest("%s.%s must be a string" % (where, name))
        if "body_base64" in step:
            try:
                base64.b64decode(step["body_base64"], validate=True)
            except (TypeError, ValueError):
                raise InvalidRequest("%s.body_base64 must be a base64 string" % where) from None
        if "route" in step and step["route"] not in ROUTES_BY_NAME:
            raise InvalidRequest("%s.route must be one of %s" % (where, ", ".join(ROUTES_BY_NAME)))
        if "extra" in step and not isinstance(step["extra"], dict):
            raise InvalidRequest("%s.extra must be an object" % where)
        if step.get("action", "respond") not in FAULT_ACTIONS:
            raise InvalidRequest("%s.action must be one of %s" % (where, ", ".join(FAULT_ACTIONS)))
        normalised = copy.deepcopy(step)
        normalised["headers"] = {name: str(value) for name, value in headers.items()}
        steps.append(normalised)
    return steps


class Catalogue:
    """The data files, read and checked: descriptions, customers and fault steps by public key."""

    def __init__(self, data_dir=DATA_DIR):
        self.data_dir = data_dir
        self._raw_accounts = self._read_dir("accounts", ACCOUNT_FILE_KEYS)
        self._raw_faults = self._read_dir("faults", FAULT_FILE_KEYS)
        clash = sorted(set(self._raw_accounts) & set(self._raw_faults))
        if clash:
            raise InvalidRequest("%s: both an account and a fault" % ", ".join(clash))
        self.customers = {}
        self.served = {}
        self.shapes = {}
        for name in sorted(self._raw_accounts):
            self._resolve(name, ())
        self.faults = {}
        self.then = {}
        for name, raw in sorted(self._raw_faults.items()):
            where = "faults/%s.json" % name
            if raw.get("then", "healthy") not in self.customers:
                raise InvalidRequest("%s: then names no account: %r" % (where, raw.get("then")))
            self.then[name] = raw.get("then", "healthy")
            try:
                self.faults[name] = validate_fault_steps([self._load_step(step, where) for step in raw.get("steps", [])])
            except InvalidRequest as exc:
                raise InvalidRequest("%s: %s" % (where, exc)) from None
            if not self.faults[name]:
                raise InvalidRequest("%s: steps must not be empty" % where)
        self.descriptions = {name: raw["description"] for name, raw in list(self._raw_accounts.items()) + list(self._raw_faults.items())}

    def _read_dir(self, kind, allowed):
        folder = os.path.join(self.data_dir, kind)
        entries = {}
        for file_name in sorted(os.listdir(folder)):
            if not file_name.endswith(".json"):
                continue
            where = "%s/%s" % (kind, file_name)
            with open(os.path.join(folder, file_name), encoding="utf-8") as handle:
                try:
                    raw = json.load(handle)
                except ValueError as exc:
                    raise InvalidRequest("%s is not valid JSON: %s" % (where, exc)) from None
            if not isinstance(raw, dict):
                raise InvalidRequest("%s must hold a JSON object" % where)
            unknown = sorted(set(raw) - set(allowed))
            if unknown:
                raise InvalidRequest("%s has unknown keys: %s (known: %s)" % (where, ", ".join(unknown), ", ".join(allowed)))
            description = raw.get("description")
            if not isinstance(description, str) or not description.strip() or "\n" in description:
                raise InvalidRequest("%s needs a one-line description" % where)
            entries[file_name[:-len(".json")]] = raw
        return entries

    def _resolve(self, name, seen):
        """The customer of an account, following based_on."""
        if name in self.customers:
            return self.customers[name]
        where = "accounts/%s.json" % name
        if name in seen:
            raise InvalidRequest("%s: based_on loops through %s" % (where, " -> ".join(seen + (name,))))
        raw = self._raw_accounts.get(name)
        if raw is None:
            raise InvalidRequest("%s names no account: %r" % ("accounts/%s.json" % seen[-1] if seen else "a file", name))
        if ("customer" in raw) == ("based_on" in raw):
            raise InvalidRequest("%s needs either customer or based_on" % where)
        if "customer" in raw:
            customer = copy.deepcopy(raw["customer"])
        else:
            customer = copy.deepcopy(self._resolve(raw["based_on"], seen + (name,)))
            for field in raw.get("omit", []):
                if field not in customer:
                    raise InvalidRequest("%s omits %s, which %s does not have" % (where, field, raw["based_on"]))
                del customer[field]
            customer.update(copy.deepcopy(raw.get("changes", {})))
        if raw.get("shape", "live") not in SHAPES:
            raise InvalidRequest("%s: shape must be one of %s" % (where, ", ".join(SHAPES)))
        self.customers[name] = customer
        self.shapes[name] = raw.get("shape", "live")
        try:
            validate_served(raw)
        except InvalidRequest as exc:
            raise InvalidRequest("%s: %s" % (where, exc)) from None
        self.served[name] = {key: copy.deepcopy(raw[key]) for key in SERVED_KEYS if key in raw}
        return customer

    def _load_step(self, step, where):
        step = dict(step)
        if "body_file" in step:
            with open(os.path.join(self.data_dir, "pages", step.pop("body_file")), encoding="utf-8") as handle:
                step["body"] = handle.read()
        if "body" in step:
            step["body"] = self._substitute(step["body"], where)
        return step

    def _substitute(self, value, where):
        """A body with each {"$customer": NAME} replaced by that account's customer."""
        if isinstance(value, dict):
            if set(value) == {"$customer"}:
                if value["$customer"] not in self.customers:
                    raise InvalidRequest("%s: $customer names no account: %r" % (where, value["$customer"]))
                return copy.deepcopy(self.customers[value["$customer"]])
            return {key: self._substitute(item, where) for key, item in value.items()}
        if isinstance(value, list):
            return [self._substitute(item, where) for item in value]
        return value

    @property
    def account_names(self):
        return sorted(self.customers)

    @property
    def fault_names(self):
        return sorted(self.faults)

    def builtin_accounts(self):
        """Public key -> account definition as the server holds it ({"customer", "faults"} and SERVED_KEYS)."""
        accounts = {}
        for name, customer in self.customers.items():
            accounts[name] = dict({"customer": copy.deepcopy(customer), "faults": []}, **copy.deepcopy(self.served[name]))
        for name, steps in self.faults.items():
            then = self.then[name]
            accounts[name] = dict({"customer": copy.deepcopy(self.customers[then]), "faults": copy.deepcopy(steps)},
                                  **copy.deepcopy(self.served[then]))
        return accounts

    def describe(self):
        """[(public key, "account" or "fault", description)], accounts first."""
        rows = [(name, "account", self.descriptions[name]) for name in self.account_names]
        rows += [(name, "fault", self.descriptions[name]) for name in self.fault_names]
        return rows


CATALOGUE = Catalogue()
BUILTIN_ACCOUNTS = CATALOGUE.builtin_accounts()
HEALTHY_CUSTOMER = CATALOGUE.customers["healthy"]
