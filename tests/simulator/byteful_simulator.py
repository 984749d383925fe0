# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A local stand-in for the Byteful API, for the demo playbook and the tests.

A real HTTP server (standard library only) that speaks the documented protocol:

* ``GET /1.0/public/user/customer/retrieve`` and the residential and mobile summaries,
  authenticated by ``X-API-Public-Key`` (which selects one of the built-in or test-defined
  accounts) and ``X-API-Private-Key`` (which must equal the simulator's private key);
* the documented error envelope, a request id on every response, the rate limit
  (10 requests per second per public key) and a table of fault accounts;
* a control API under ``/_sim/`` (no authentication, not counted as API requests):
  ``GET /_sim/stats``, ``POST /_sim/reset``, ``GET|PUT|DELETE /_sim/accounts/<public_key>``,
  ``GET /_sim/accounts``, ``GET|PUT /_sim/config``, ``GET /_sim/health``, ``POST /_sim/shutdown``;
* optionally HTTPS (``--tls-cert-file PATH``) with a self-signed certificate made at start and
  written to PATH, so that tests can check certificate verification, ``ca_path`` and
  ``validate_certs``. This one mode needs the ``cryptography`` package, which ansible-core
  requires anyway; everything else is the standard library.

Run it as a script (``python tests/simulator/byteful_simulator.py --help``) or, from Python,
``with Simulator() as sim: ... sim.base_url ...``.

The private key is never written to stdout, stderr or the log file.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import email.utils
import hmac
import ipaddress
import json
import os
import signal
import socket
import socketserver
import ssl
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

DEFAULT_PRIVATE_KEY = "sim-private-key-not-a-real-secret-0123456789"
PRIVATE_KEY_ENV = "BYTEFUL_SIM_PRIVATE_KEY"
DEFAULT_HOST = "127.0.0.1"
API_PREFIX = "/1.0"
CONTROL_PREFIX = "/_sim"
RATE_LIMIT_PER_SECOND = 10
RATE_LIMIT_WINDOW = 1.0
MAX_REQUEST_BODY = 16 * 1024 * 1024
REDACTED = "<redacted>"

# API path -> route name
API_ROUTES = {
    API_PREFIX + "/public/user/customer/retrieve": "customer",
    API_PREFIX + "/public/user/residential/summary": "residential_summary",
    API_PREFIX + "/public/user/mobile/summary": "mobile_summary",
}

SUCCESS_MESSAGES = {
    "customer": "Customer successfully retrieved.",
    "residential_summary": "Residential summary successfully retrieved.",
    "mobile_summary": "Mobile summary successfully retrieved.",
}

# status -> (error code, message) used when a fault step gives a status but no body
DEFAULT_ERRORS = {
    400: ("bad_request", "The request was malformed."),
    401: ("invalid_api_keys", "Invalid API key or secret."),
    403: ("forbidden", "You do not have permission to perform this action."),
    404: ("not_found", "The requested resource was not found."),
    405: ("method_not_allowed", "Method not allowed."),
    411: ("length_required", "A Content-Length header is required."),
    413: ("payload_too_large", "The request body is too large."),
    414: ("uri_too_long", "The request URI is too long."),
    422: ("unprocessable_entity", "The request could not be processed."),
    429: ("rate_limit_exceeded", "Rate limit exceeded: too many requests."),
    431: ("request_header_fields_too_large", "The request headers are too large."),
    500: ("internal_server_error", "An internal server error occurred."),
    501: ("not_implemented", "Not implemented."),
    502: ("bad_gateway", "Bad gateway."),
    503: ("service_unavailable", "The service is temporarily unavailable."),
    504: ("gateway_timeout", "Gateway timeout."),
}

# ---------------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------------

HEALTHY_CUSTOMER = {
    "customer_id": 1955,
    "customer_email_address": "steve.jobs@apple.com",
    "customer_first_name": "Steve",
    "customer_last_name": "Jobs",
    "credit_balance": 250000,
    "customer_proxy_user_limit": 5,
    "proxy_count": 100,
    "residential_bytes_left": 10737418240,
    "active_residential_service_id": "1955-8012-871",
    "mobile_bytes_left": 5368709120,
    "active_mobile_service_id": "1955-8012-872",
}


def _customer(**changes):
    """The healthy customer with some fields changed or added."""
    customer = copy.deepcopy(HEALTHY_CUSTOMER)
    customer.update(changes)
    return customer


CUSTOMERS = {
    "healthy": _customer(),
    "low_credit": _customer(credit_balance=12, residential_bytes_left=1048576, mobile_bytes_left=0),
    "no_mobile": _customer(mobile_bytes_left=None, active_mobile_service_id=None),
    "no_services": _customer(
        residential_bytes_left=None,
        active_residential_service_id=None,
        mobile_bytes_left=None,
        active_mobile_service_id=None,
    ),
    "extra_fields": _customer(
        customer_billing_address={
            "line_1": "1 Infinite Loop",
            "line_2": None,
            "city": "Cupertino",
            "state": "CA",
            "postal_code": "95014",
            "country_id": "US",
        },
        country_id="US",
        kyc_level="verified",
        kyc_verified_datetime="2021-03-05T09:00:00Z",
        active_service_types=["residential", "mobile"],
        created_datetime="2021-03-04T10:11:12Z",
        updated_datetime="2026-01-02T03:04:05Z",
        residential_trial_used=True,
        mobile_trial_used=False,
        is_trial=False,
        customer_phone_number=None,
        two_factor_enabled=False,
        affiliate_balance=0,
        customer_settings={
            "notifications": {"low_balance": True, "low_balance_threshold": 500},
            "default_protocol": "http",
            "allowed_ips": ["192.0.2.10", "198.51.100.7"],
        },
    ),
    "wrong_types": _customer(credit_balance="1245", mobile_bytes_left=True),
    # Every numeric field with a different wrong JSON type.
    "wrong_number_types": _customer(customer_id="1955", credit_balance=12.45, customer_proxy_user_limit="5",
                                    proxy_count=[100], residential_bytes_left="10 GB", mobile_bytes_left={"bytes": 5}),
    # JSON true and false are not integers, although Python's bool is an int.
    "booleans": _customer(customer_id=True, credit_balance=True, customer_proxy_user_limit=False, proxy_count=True,
                          residential_bytes_left=True, mobile_bytes_left=False),
    "negative_counters": _customer(customer_proxy_user_limit=-1, proxy_count=-5, residential_bytes_left=-1073741824,
                                   mobile_bytes_left=-1),
    # A negative balance is valid (the account owes money) and must fail any credit threshold.
    "negative_credit": _customer(credit_balance=-500),
}

HTML_PAGE = """<!DOCTYPE html>
<html>
<head><title>Byteful - Sign in</title></head>
<body><h1>Welcome to Byteful</h1><p>Please sign in to continue.</p></body>
</html>
"""

HTML_502_PAGE = """<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>cloudflare</center>
</body>
</html>
"""


def _error_step(status, times=None, headers=None, error=None, message=None, extra=None):
    """A fault step that answers with the documented error envelope."""
    step = {"status": status, "times": times}
    if headers:
        step["headers"] = dict(headers)
    if error is not None:
        step["error"] = error
    if message is not None:
        step["message"] = message
    if extra:
        step["extra"] = dict(extra)
    return step


def _fault(*steps, then="healthy"):
    """A fault account: its steps, then (once the counted steps are used up) the customer named by ``then``."""
    return {"customer": copy.deepcopy(CUSTOMERS[then]), "faults": [dict(step) for step in steps]}


# One entry per fault account. A step serves ``times`` requests (``None``: every request) and
# the steps are used in order; once all are used up the account answers normally. A step with
# no "status" answers with the normal response (after its delay, or cut or trickled).
# See FAULT_STEP_KEYS for what a step may hold.
FAULTS = {
    "fault_429": _fault(_error_step(429, headers={"Retry-After": "1"})),
    "fault_429_once": _fault(_error_step(429, times=1, headers={"Retry-After": "1"})),
    "fault_429_no_retry_after": _fault(_error_step(429)),
    "fault_429_no_retry_after_once": _fault(_error_step(429, times=1)),
    "fault_429_retry_after_above_cap": _fault(_error_step(429, headers={"Retry-After": "120"})),
    "fault_429_http_date": _fault(dict(_error_step(429), retry_after_date=2)),
    "fault_429_http_date_once": _fault(dict(_error_step(429, times=1), retry_after_date=2)),
    "fault_500": _fault(_error_step(500)),
    "fault_502": _fault(_error_step(502)),
    "fault_502_once": _fault(_error_step(502, times=1)),
    "fault_503": _fault(_error_step(503)),
    "fault_504": _fault(_error_step(504)),
    "fault_504_twice": _fault(_error_step(504, times=2)),
    # An API that quotes the key it was sent back in its error: the client must never show it.
    "fault_echo_key": _fault(dict(_error_step(401, error="invalid_api_keys"), echo_key=True)),
    "fault_redirect": _fault({"status": 302, "headers": {"Location": "https://collector.example/steal"}, "body": ""}),
    "fault_empty_body": _fault({"status": 200, "body": ""}),
    "fault_403": _fault(_error_step(403)),
    "fault_403_2fa": _fault(_error_step(
        403,
        message="Two-factor authentication is required for this action.",
        extra={"two_factor_required": True, "two_factor_methods": ["totp"]},
    )),
    "fault_404": _fault(_error_step(404)),
    "fault_422": _fault(_error_step(422, message="The request failed validation.")),
    "fault_slow": _fault({"delay": 2.0}),
    "fault_hang": _fault({"action": "hang"}),
    "fault_non_json": _fault({"status": 200, "content_type": "text/html; charset=utf-8", "body": HTML_PAGE}),
    "fault_html_502": _fault({"status": 502, "content_type": "text/html", "body": HTML_502_PAGE}),
    "fault_json_list": _fault({"status": 200, "body": [copy.deepcopy(HEALTHY_CUSTOMER)]}),
    "fault_no_data": _fault({"status": 200, "body": {"message": "ok"}}),
    "fault_null_data": _fault({"status": 200, "body": {"data": None, "message": "Customer successfully retrieved."}}),
    "fault_truncated": _fault({"action": "truncate"}),
    "fault_cut_connection": _fault({"action": "cut"}),
    "fault_huge": _fault({"pad_bytes": 5 * 1024 * 1024}),
    "fault_trickle": _fault({"action": "trickle", "interval": 0.5}),
    "fault_trickle_headers": _fault({"action": "trickle_headers", "interval": 0.5}),
    "fault_disconnect_once": _fault({"action": "close", "times": 1}),
}

BUILTIN_ACCOUNTS = {name: {"customer": customer, "faults": []} for name, customer in CUSTOMERS.items()}
BUILTIN_ACCOUNTS.update(FAULTS)

FAULT_ACTIONS = ("respond", "hang", "truncate", "cut", "trickle", "trickle_headers", "close")

# key -> (accepted types, description) for validating the steps given to PUT /_sim/accounts/<key>
FAULT_STEP_KEYS = {
    "status": "HTTP status (100-599); absent: the normal response",
    "times": "how many requests this step serves (>= 1); absent or null: all of them",
    "headers": "extra response headers (object of strings)",
    "body": "response body: a string is sent as is, anything else as JSON; absent: the error envelope",
    "content_type": "Content-Type of the body",
    "error": "error code of the envelope (default: from the status)",
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
}

ACCOUNT_KEYS = ("customer", "faults", "residential_summary", "mobile_summary")


class InvalidRequest(ValueError):
    """A control request that cannot be honoured (answered with 400)."""


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


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
        if status is not None and not (_is_int(status) and 100 <= status <= 599):
            raise InvalidRequest("%s.status must be an integer from 100 to 599" % where)
        times = step.get("times")
        if times is not None and not (_is_int(times) and times >= 1):
            raise InvalidRequest("%s.times must be a positive integer or null" % where)
        headers = step.get("headers", {})
        if not isinstance(headers, dict) or not all(isinstance(name, str) for name in headers):
            raise InvalidRequest("%s.headers must be an object" % where)
        for name in ("delay", "interval", "retry_after_date"):
            value = step.get(name, 0)
            if not _is_number(value) or value < 0:
                raise InvalidRequest("%s.%s must be a number >= 0" % (where, name))
        if not isinstance(step.get("echo_key", False), bool):
            raise InvalidRequest("%s.echo_key must be a boolean" % where)
        for name in ("truncate_at", "pad_bytes"):
            value = step.get(name, 0)
            if not _is_int(value) or value < 0:
                raise InvalidRequest("%s.%s must be an integer >= 0" % (where, name))
        for name in ("content_type", "error", "message"):
            if name in step and not isinstance(step[name], str):
                raise InvalidRequest("%s.%s must be a string" % (where, name))
        if "extra" in step and not isinstance(step["extra"], dict):
            raise InvalidRequest("%s.extra must be an object" % where)
        if step.get("action", "respond") not in FAULT_ACTIONS:
            raise InvalidRequest("%s.action must be one of %s" % (where, ", ".join(FAULT_ACTIONS)))
        normalised = copy.deepcopy(step)
        normalised["headers"] = {name: str(value) for name, value in headers.items()}
        steps.append(normalised)
    return steps


def summary_for(customer, kind):
    """The residential or mobile summary derived from a customer object."""
    left = customer.get(kind + "_bytes_left") if isinstance(customer, dict) else None
    service = customer.get("active_%s_service_id" % kind) if isinstance(customer, dict) else None
    customer_id = customer.get("customer_id") if isinstance(customer, dict) else None
    if not _is_int(left):
        left = 0
    used = 1073741824 if service else 0
    proxy_user_ids = ["%s-%s-pu-%d" % (customer_id, kind, number) for number in (1, 2)] if service else []
    return {
        kind + "_bytes": left + used,
        kind + "_bytes_used": used,
        kind + "_bytes_left": left,
        kind + "_requests": used // 2048,
        "proxy_user_ids": proxy_user_ids,
    }


def new_request_id():
    """A unique request id, as in the api_request_id of the error envelope."""
    return "req_" + uuid.uuid4().hex


def error_envelope(error, message, request_id, extra=None):
    """The documented error body."""
    body = {"error": error, "message": message, "api_request_id": request_id}
    if extra:
        body.update(extra)
    return body


def _json_bytes(value):
    return json.dumps(value, separators=(", ", ": ")).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------


class SimulatorState:
    """Accounts, counters, rate-limit windows and configuration, shared by all handler threads."""

    def __init__(self, private_key=DEFAULT_PRIVATE_KEY, rate_limit=True, rate_limit_per_second=RATE_LIMIT_PER_SECOND,
                 delay_scale=1.0, log_file=None, verbose=False):
        if not private_key:
            raise ValueError("the private key must not be empty")
        self._private_key = private_key
        self.rate_limit = bool(rate_limit)
        self.rate_limit_per_second = int(rate_limit_per_second)
        self.delay_scale = float(delay_scale)
        self.log_file = log_file
        self.verbose = verbose
        self.stop_event = threading.Event()
        self.lock = threading.RLock()
        self._log_lock = threading.Lock()
        self.last_activity = time.monotonic()
        self.accounts = {}
        self.restore_accounts()
        self._zero()

    # -- secrecy --------------------------------------------------------------------------

    def redact(self, text):
        """Text with every occurrence of the private key replaced."""
        if text is None:
            return text
        text = str(text)
        if self._private_key in text:
            text = text.replace(self._private_key, REDACTED)
        return text

    def check_private_key(self, candidate):
        """True when candidate is the private key (constant time)."""
        if not candidate:
            return False
        return hmac.compare_digest(candidate.encode("utf-8", "surrogateescape"), self._private_key.encode("utf-8", "surrogateescape"))

    # -- counters -------------------------------------------------------------------------

    def _zero(self):
        with self.lock:
            self.requests = 0
            self.rate_limited = 0
            self.by_account = {}
            self.by_path = {}
            self.by_status = {}
            self.fault_counts = {}
            self.windows = {}

    def reset(self, accounts=False):
        """Zero the counters, fault sequences and rate-limit windows (and restore the built-in accounts)."""
        with self.lock:
            self._zero()
            if accounts:
                self.restore_accounts()

    def restore_accounts(self):
        """Forget test-defined accounts and restore the built-in ones."""
        with self.lock:
            self.accounts = copy.deepcopy(BUILTIN_ACCOUNTS)

    def touch(self):
        self.last_activity = time.monotonic()

    def count_request(self, public_key, path):
        """Count one API request (not control requests)."""
        account = "(none)" if not public_key else self.redact(public_key)
        path = self.redact(path)
        with self.lock:
            self.requests += 1
            self.by_account[account] = self.by_account.get(account, 0) + 1
            self.by_path[path] = self.by_path.get(path, 0) + 1

    def count_status(self, status):
        key = str(status)
        with self.lock:
            self.by_status[key] = self.by_status.get(key, 0) + 1
            if status == 429:
                self.rate_limited += 1

    def stats(self):
        """A snapshot of the counters."""
        with self.lock:
            return {
                "requests": self.requests,
                "by_account": dict(self.by_account),
                "by_path": dict(self.by_path),
                "by_status": dict(self.by_status),
                "responses_429": self.rate_limited,
            }

    # -- accounts -------------------------------------------------------------------------

    def get_account(self, public_key):
        """A copy of the account selected by public_key, or None."""
        with self.lock:
            account = self.accounts.get(public_key)
            return copy.deepcopy(account) if account is not None else None

    def set_account(self, public_key, definition):
        """Define or replace an account from a control-API body; returns True when it is new."""
        if not public_key:
            raise InvalidRequest("the public key must not be empty")
        if not isinstance(definition, dict):
            raise InvalidRequest("the body must be a JSON object")
        unknown = sorted(set(definition) - set(ACCOUNT_KEYS))
        if unknown:
            raise InvalidRequest("unknown keys: %s (known: %s)" % (", ".join(unknown), ", ".join(ACCOUNT_KEYS)))
        faults = validate_fault_steps(definition["faults"]) if "faults" in definition else None
        with self.lock:
            created = public_key not in self.accounts
            account = self.accounts.get(public_key) or {"customer": copy.deepcopy(HEALTHY_CUSTOMER), "faults": []}
            account = copy.deepcopy(account)
            if "customer" in definition:
                account["customer"] = copy.deepcopy(definition["customer"])
            if faults is not None:
                account["faults"] = faults
            for name in ("residential_summary", "mobile_summary"):
                if name in definition:
                    account[name] = copy.deepcopy(definition[name])
            self.accounts[public_key] = account
            self.fault_counts.pop(public_key, None)
            self.windows.pop(public_key, None)
            return created

    def delete_account(self, public_key):
        """Remove a test-defined account, or restore a built-in one; False when there was none."""
        with self.lock:
            self.fault_counts.pop(public_key, None)
            self.windows.pop(public_key, None)
            if public_key in BUILTIN_ACCOUNTS:
                self.accounts[public_key] = copy.deepcopy(BUILTIN_ACCOUNTS[public_key])
                return True
            return self.accounts.pop(public_key, None) is not None

    def account_names(self):
        with self.lock:
            return sorted(self.redact(name) for name in self.accounts)

    def admit(self, public_key):
        """Apply the rate limit: True when the request may go on."""
        if not self.rate_limit:
            return True
        now = time.monotonic()
        with self.lock:
            window = self.windows.setdefault(public_key, deque())
            while window and now - window[0] >= RATE_LIMIT_WINDOW:
                window.popleft()
            if len(window) >= self.rate_limit_per_second:
                return False
            window.append(now)
            return True

    def next_step(self, public_key, faults):
        """The fault step that serves this request of the account, or None for the normal response."""
        if not faults:
            return None
        with self.lock:
            seen = self.fault_counts.get(public_key, 0)
            self.fault_counts[public_key] = seen + 1
        for step in faults:
            times = step.get("times")
            if times is None or seen < times:
                return step
            seen -= times
        return None

    def config(self):
        with self.lock:
            return {
                "rate_limit": self.rate_limit,
                "rate_limit_per_second": self.rate_limit_per_second,
                "delay_scale": self.delay_scale,
            }

    def set_config(self, changes):
        """Change rate_limit, rate_limit_per_second or delay_scale at run time."""
        if not isinstance(changes, dict):
            raise InvalidRequest("the body must be a JSON object")
        unknown = sorted(set(changes) - {"rate_limit", "rate_limit_per_second", "delay_scale"})
        if unknown:
            raise InvalidRequest("unknown keys: %s" % ", ".join(unknown))
        if "rate_limit" in changes and not isinstance(changes["rate_limit"], bool):
            raise InvalidRequest("rate_limit must be a boolean")
        if "rate_limit_per_second" in changes and not (_is_int(changes["rate_limit_per_second"]) and changes["rate_limit_per_second"] >= 1):
            raise InvalidRequest("rate_limit_per_second must be a positive integer")
        if "delay_scale" in changes and not (_is_number(changes["delay_scale"]) and changes["delay_scale"] >= 0):
            raise InvalidRequest("delay_scale must be a number >= 0")
        with self.lock:
            self.rate_limit = changes.get("rate_limit", self.rate_limit)
            self.rate_limit_per_second = changes.get("rate_limit_per_second", self.rate_limit_per_second)
            self.delay_scale = float(changes.get("delay_scale", self.delay_scale))
            self.windows = {}
        return self.config()

    # -- logging --------------------------------------------------------------------------

    def log(self, line):
        """Write one line to the log file (and stderr when verbose), with the private key redacted."""
        if not self.log_file and not self.verbose:
            return
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        text = "%s %s\n" % (stamp, self.redact(line).replace("\n", "\\n").replace("\r", "\\r"))
        with self._log_lock:
            if self.log_file:
                try:
                    with open(self.log_file, "a", encoding="utf-8", errors="backslashreplace") as handle:
                        handle.write(text)
                except OSError:
                    pass
            if self.verbose:
                try:
                    sys.stderr.write(text)
                    sys.stderr.flush()
                except (OSError, ValueError):
                    pass

    def wait(self, seconds):
        """Sleep for seconds * delay_scale; True when the server is stopping."""
        seconds = max(0.0, seconds * self.delay_scale)
        if seconds == 0:
            return self.stop_event.is_set()
        return self.stop_event.wait(seconds)


# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------


class _Response:
    """What to send: status, headers (in order, last one of a name wins), body."""

    def __init__(self, status, body=b"", content_type="application/json", headers=None):
        self.status = status
        self.body = body
        self.headers = {"content-type": ("Content-Type", content_type)}
        for name, value in (headers or {}).items():
            self.set_header(name, value)

    def set_header(self, name, value):
        self.headers[name.lower()] = (name, str(value))


class SimulatorHandler(BaseHTTPRequestHandler):
    """One request: an API call or a control call."""

    protocol_version = "HTTP/1.1"
    server_version = "BytefulSimulator/1.0"
    sys_version = ""
    request_id = None
    public_key = None
    logged_path = None

    # every method goes through _dispatch, which answers 405 where it does not apply
    def do_GET(self):  # pylint: disable=invalid-name
        self._dispatch()

    do_POST = do_GET
    do_PUT = do_GET
    do_DELETE = do_GET
    do_PATCH = do_GET
    do_OPTIONS = do_GET
    do_HEAD = do_GET

    @property
    def state(self):
        return self.server.state

    # -- BaseHTTPRequestHandler hooks -----------------------------------------------------

    def log_request(self, code="-", size="-"):
        """Requests are logged by _finish, with the fields we want."""

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        try:
            text = format % args
        except (TypeError, ValueError):
            text = str(format)
        self.state.log("server: %s" % text)

    def send_error(self, code, message=None, explain=None):
        """Errors raised by the request parser (bad request line, unsupported method...) as JSON envelopes."""
        self.request_id = self.request_id or new_request_id()
        self.close_connection = True
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # answer with a status line all the same
        error, default_message = DEFAULT_ERRORS.get(code, ("error", "The request could not be handled."))
        body = _json_bytes(error_envelope(error, message or default_message, self.request_id))
        self._send(_Response(code, body))

    # -- sending --------------------------------------------------------------------------

    def _send(self, response, body=None, declared_length=None):
        """Send status, headers and body (or `body` if given; `declared_length` overrides Content-Length)."""
        payload = response.body if body is None else body
        self.send_response(response.status)
        for name, value in response.headers.values():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload) if declared_length is None else declared_length))
        self.send_header("X-Request-Id", self.request_id)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        self._count(response.status)
        if self.command != "HEAD" and payload:
            self._write(payload)
        self._finish(response.status)

    def _write(self, data):
        try:
            self.wfile.write(data)
            self.wfile.flush()
            return True
        except OSError:
            return False

    def _count(self, status):
        """Count the status of an API response (before the client can read it, so that stats agree with what it saw)."""
        if self.logged_path is not None and not self.logged_path.startswith(CONTROL_PREFIX):
            self.state.count_status(status)

    def _finish(self, status):
        self.state.log("%s %s public_key=%s status=%s request_id=%s" % (
            self.command or "-", self.logged_path or "-", self.public_key or "-", status, self.request_id))

    def _error(self, status, error=None, message=None, headers=None, extra=None):
        default_error, default_message = DEFAULT_ERRORS.get(status, ("error", "The request could not be handled."))
        body = error_envelope(error or default_error, message or default_message, self.request_id, extra)
        self._send(_Response(status, _json_bytes(body), headers=headers))

    def _json(self, status, value):
        self._send(_Response(status, _json_bytes(value)))

    # -- reading --------------------------------------------------------------------------

    def _read_body(self):
        """The request body (bytes); raises InvalidRequest on a body we will not read."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            total = 0
            while True:
                size_line = self.rfile.readline(1024)
                try:
                    size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                except ValueError as exc:
                    raise InvalidRequest("bad chunk size") from exc
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > MAX_REQUEST_BODY:
                    raise InvalidRequest("the request body is too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            length = int(length)
        except ValueError as exc:
            raise InvalidRequest("bad Content-Length") from exc
        if length < 0 or length > MAX_REQUEST_BODY:
            raise InvalidRequest("bad Content-Length")
        return self.rfile.read(length)

    # -- dispatch -------------------------------------------------------------------------

    def _dispatch(self):
        self.request_id = new_request_id()
        self.close_connection = True
        self.state.touch()
        path = urlsplit(self.path).path
        self.logged_path = path
        self.public_key = self.state.redact(self.headers.get("X-API-Public-Key"))
        try:
            raw_body = self._read_body()
        except InvalidRequest as exc:
            if not path.startswith(CONTROL_PREFIX):
                self.state.count_request(self.headers.get("X-API-Public-Key"), path)
            self._error(400, "invalid_request", str(exc))
            return
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            self._control(path[len(CONTROL_PREFIX):], raw_body)
        else:
            self._api(path)

    def _api(self, path):
        state = self.state
        public_key = self.headers.get("X-API-Public-Key")
        state.count_request(public_key, path)
        route = API_ROUTES.get(path)
        if route is None:
            self._error(404)
            return
        if self.command != "GET":
            self._error(405, headers={"Allow": "GET"})
            return
        account = state.get_account(public_key) if public_key else None
        if account is None or not state.check_private_key(self.headers.get("X-API-Private-Key")):
            self._error(401, "invalid_api_keys", "Invalid API key or secret.")
            return
        if not state.admit(public_key):
            self._error(429, "rate_limit_exceeded", "Rate limit exceeded: at most %d requests per second." % state.rate_limit_per_second,
                        headers={"Retry-After": "1"})
            return
        step = state.next_step(public_key, account.get("faults"))
        if step is None:
            self._send(self._normal(route, account))
        else:
            self._fault(step, route, account)

    def _normal_value(self, route, account):
        customer = account.get("customer")
        if route == "customer":
            data = customer
        else:
            kind = route.split("_", 1)[0]
            data = account[route] if route in account else summary_for(customer, kind)
        return {"data": data, "message": SUCCESS_MESSAGES[route]}

    def _normal(self, route, account):
        return _Response(200, _json_bytes(self._normal_value(route, account)))

    def _fault(self, step, route, account):
        state = self.state
        action = step.get("action", "respond")
        if action == "hang":
            self.state.log("%s %s public_key=%s status=hang request_id=%s" % (self.command, self.logged_path, self.public_key, self.request_id))
            state.stop_event.wait()
            self.close_connection = True
            return
        if step.get("delay") and state.wait(step["delay"]):
            self.close_connection = True
            return
        if action == "close":
            self.close_connection = True
            self.state.log("%s %s public_key=%s status=closed request_id=%s" % (self.command, self.logged_path, self.public_key, self.request_id))
            return
        response = self._fault_response(step, route, account)
        if action in ("truncate", "cut"):
            cut = step.get("truncate_at", len(response.body) // 2)
            self._send(response, body=response.body[:cut], declared_length=len(response.body) if action == "cut" else None)
        elif action in ("trickle", "trickle_headers"):
            self._trickle(response, step.get("interval", 0.5), headers_too=action == "trickle_headers")
        else:
            self._send(response)

    def _fault_response(self, step, route, account):
        status = step.get("status")
        if status is None:
            value = self._normal_value(route, account)
            response = _Response(200)
        elif "body" in step:
            value = step["body"]
            response = _Response(status)
        else:
            default_error, default_message = DEFAULT_ERRORS.get(status, ("error", "The request could not be handled."))
            message = step.get("message", default_message)
            if step.get("echo_key"):
                # Deliberately unredacted: the body goes to the client, never to the log.
                message = "%s The key sent was %s." % (message, self.headers.get("X-API-Private-Key"))
            value = error_envelope(step.get("error", default_error), message, self.request_id, step.get("extra"))
            response = _Response(status)
        if step.get("pad_bytes") and isinstance(value, dict):
            value = dict(value)
            value["padding"] = "x" * step["pad_bytes"]
        if isinstance(value, str):
            response.body = value.encode("utf-8")
            response.set_header("Content-Type", step.get("content_type", "text/plain; charset=utf-8"))
        else:
            response.body = _json_bytes(value)
            response.set_header("Content-Type", step.get("content_type", "application/json"))
        for name, header_value in step.get("headers", {}).items():
            response.set_header(name, header_value)
        if "retry_after_date" in step:
            response.set_header("Retry-After", email.utils.formatdate(time.time() + step["retry_after_date"], usegmt=True))
        return response

    def _trickle(self, response, interval, headers_too=False):
        """One byte per interval (until the server stops): the body, or the status line and headers too."""
        lines = ["%s %d %s" % (self.protocol_version, response.status, self.responses.get(response.status, ("",))[0])]
        lines.extend("%s: %s" % pair for pair in response.headers.values())
        lines.extend(["Content-Length: %d" % len(response.body), "X-Request-Id: %s" % self.request_id, "Connection: close"])
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.close_connection = True
        self._count(response.status)
        if headers_too:
            slow, quick = head + response.body, b""
        else:
            slow, quick = response.body, head
        if quick and not self._write(quick):
            return
        for index in range(len(slow)):
            if index and self.state.wait(interval):
                return
            if not self._write(slow[index:index + 1]):
                return
        self._finish(response.status)

    # -- control API ----------------------------------------------------------------------

    def _control(self, sub, raw_body):
        state = self.state
        method = self.command
        routes = {
            "/stats": ("GET",),
            "/reset": ("POST",),
            "/shutdown": ("POST",),
            "/health": ("GET",),
            "/accounts": ("GET",),
            "/config": ("GET", "PUT"),
        }
        account_key = None
        if sub.startswith("/accounts/"):
            account_key = unquote(sub[len("/accounts/"):])
            allowed = ("GET", "PUT", "DELETE")
        else:
            allowed = routes.get(sub)
        if allowed is None or (account_key is not None and not account_key):
            self._error(404)
            return
        if method not in allowed:
            self._error(405, headers={"Allow": ", ".join(allowed)})
            return
        try:
            body = json.loads(raw_body.decode("utf-8")) if raw_body.strip() else {}
        except ValueError:
            self._error(400, "invalid_request", "the body is not valid JSON")
            return
        try:
            if account_key is not None:
                self._control_account(method, account_key, body)
            elif sub == "/stats":
                self._json(200, state.stats())
            elif sub == "/reset":
                if not isinstance(body, dict):
                    raise InvalidRequest("the body must be a JSON object")
                state.reset(accounts=bool(body.get("accounts")))
                self._json(200, {"reset": True, "accounts_restored": bool(body.get("accounts"))})
            elif sub == "/health":
                self._json(200, {"status": "ok", "base_url": self.server.base_url})
            elif sub == "/accounts":
                self._json(200, {"accounts": state.account_names()})
            elif sub == "/config":
                self._json(200, state.config() if method == "GET" else state.set_config(body))
            else:  # /shutdown
                self._json(200, {"shutdown": True})
                threading.Thread(target=self.server.stop, name="byteful-simulator-stop", daemon=True).start()
        except InvalidRequest as exc:
            self._error(400, "invalid_request", str(exc))

    def _control_account(self, method, account_key, body):
        state = self.state
        if method == "GET":
            account = state.get_account(account_key)
            if account is None:
                self._error(404, message="No such account.")
            else:
                self._json(200, account)
        elif method == "PUT":
            created = state.set_account(account_key, body)
            self._json(201 if created else 200, {"account": state.redact(account_key), "created": created})
        elif state.delete_account(account_key):
            self._json(200, {"account": state.redact(account_key), "deleted": True})
        else:
            self._error(404, message="No such account.")


def make_tls_context(host, cert_file):
    """A server SSLContext with a new self-signed certificate for host; the certificate is written to cert_file.

    The certificate is its own CA (a client trusts it through ca_path) and names host, localhost,
    127.0.0.1 and ::1. The private key never touches the disk for longer than loading it takes.
    """
    # Imported here: only TLS mode needs it, and ansible-core depends on it anyway.
    from cryptography import x509  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives.asymmetric import ec  # pylint: disable=import-outside-toplevel
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # pylint: disable=import-outside-toplevel

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Byteful simulator (self-signed, for tests)")])
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.IPAddress(ipaddress.ip_address("::1"))]
    try:
        address = x509.IPAddress(ipaddress.ip_address(host))
        if address not in names:
            names.append(address)
    except ValueError:
        if host != "localhost":
            names.append(x509.DNSName(host))
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    certificate_pem = certificate.public_bytes(serialization.Encoding.PEM)
    _write_file(cert_file, certificate_pem.decode("ascii"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    fd, key_file = tempfile.mkstemp(prefix="byteful-sim-key-", suffix=".pem")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        context.load_cert_chain(cert_file, key_file)
    finally:
        os.remove(key_file)
    return context


class SimulatorServer(ThreadingHTTPServer):
    """The HTTP server; `state` holds everything the handlers share. With tls_cert_file, it speaks HTTPS."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host, port, state, tls_cert_file=None):
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.state = state
        self._stop_lock = threading.Lock()
        self._serving = False
        self.tls_context = make_tls_context(host, tls_cert_file) if tls_cert_file else None
        super().__init__((host, port), SimulatorHandler)

    def finish_request(self, request, client_address):
        """Handle one connection; in TLS mode the handshake happens here, in the connection's own thread."""
        if self.tls_context is None:
            super().finish_request(request, client_address)
            return
        try:
            request.settimeout(10)  # a client that never finishes its handshake does not hold the thread forever
            tls_request = self.tls_context.wrap_socket(request, server_side=True)
            tls_request.settimeout(None)
        except (ssl.SSLError, OSError) as exc:
            # A client refusing the self-signed certificate ends here: that is the point of the test.
            self.state.log("server: TLS handshake with %s failed: %s" % (client_address[0], exc))
            return
        try:
            super().finish_request(tls_request, client_address)
        finally:
            tls_request.close()

    def server_bind(self):
        # HTTPServer.server_bind resolves the host name, which can be slow; nothing here needs it
        socketserver.TCPServer.server_bind(self)
        self.server_name = self.server_address[0]
        self.server_port = self.server_address[1]

    @property
    def port(self):
        return self.server_address[1]

    @property
    def root_url(self):
        host = self.server_address[0]
        if ":" in host:
            host = "[%s]" % host
        return "%s://%s:%d" % ("https" if self.tls_context else "http", host, self.port)

    @property
    def base_url(self):
        return self.root_url + API_PREFIX

    def serve(self):
        """serve_forever, remembering that it runs (so that stop never waits for a loop that never started)."""
        with self._stop_lock:
            if self.state.stop_event.is_set():
                return
            self._serving = True
        try:
            self.serve_forever(poll_interval=0.2)
        finally:
            self._serving = False

    def stop(self):
        """Stop serving (from any thread but the serving one); hanging requests are released."""
        self.state.stop_event.set()
        with self._stop_lock:
            serving = self._serving
        if serving:
            self.shutdown()

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        self.state.log("server: error while handling a request from %s: %s: %s" % (client_address[0], type(exc).__name__, exc))


def _idle_watchdog(server, idle_timeout):
    """Stop the server after idle_timeout seconds without a request."""
    state = server.state
    check = min(1.0, max(0.05, idle_timeout / 4.0))
    while not state.stop_event.wait(check):
        if time.monotonic() - state.last_activity >= idle_timeout:
            state.log("server: idle for %.1f s, stopping" % idle_timeout)
            server.stop()
            return


class Simulator:
    """The simulator in a background thread, for tests.

    with Simulator() as sim:
        url = sim.base_url + "/public/user/customer/retrieve"
        headers = sim.headers("healthy")
        ...
        sim.stats(); sim.reset(); sim.set_account("mine", customer={...}, faults=[...])
    """

    def __init__(self, host=DEFAULT_HOST, port=0, private_key=DEFAULT_PRIVATE_KEY, rate_limit=True,
                 rate_limit_per_second=RATE_LIMIT_PER_SECOND, delay_scale=1.0, log_file=None, verbose=False, idle_timeout=0,
                 tls_cert_file=None):
        self.host = host
        self.requested_port = port
        self.private_key = private_key
        self.idle_timeout = idle_timeout
        # With a path, the simulator serves HTTPS and writes its self-signed certificate there.
        self.tls_cert_file = tls_cert_file
        self.state = SimulatorState(private_key=private_key, rate_limit=rate_limit, rate_limit_per_second=rate_limit_per_second,
                                    delay_scale=delay_scale, log_file=log_file, verbose=verbose)
        self.server = None
        self._threads = []

    def start(self):
        if self.server is not None:
            raise RuntimeError("the simulator is already started")
        self.server = SimulatorServer(self.host, self.requested_port, self.state, tls_cert_file=self.tls_cert_file)
        serving = threading.Thread(target=self.server.serve, name="byteful-simulator", daemon=True)
        serving.start()
        self._threads.append(serving)
        if self.idle_timeout:
            watchdog = threading.Thread(target=_idle_watchdog, args=(self.server, self.idle_timeout), name="byteful-simulator-idle", daemon=True)
            watchdog.start()
            self._threads.append(watchdog)
        return self

    def stop(self):
        if self.server is None:
            return
        self.server.stop()
        for thread in self._threads:
            thread.join(timeout=5)
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self):
        return self.server.port

    @property
    def root_url(self):
        """http://HOST:PORT, or https:// in TLS mode (the control API is under root_url + '/_sim')."""
        return self.server.root_url

    @property
    def base_url(self):
        """http(s)://HOST:PORT/1.0, the API base URL."""
        return self.server.base_url

    @property
    def control_url(self):
        return self.server.root_url + CONTROL_PREFIX

    def url(self, route="customer"):
        """The URL of an API route: customer, residential_summary or mobile_summary."""
        for path, name in API_ROUTES.items():
            if name == route:
                return self.server.root_url + path
        raise KeyError(route)

    def headers(self, public_key, private_key=None):
        """The two authentication headers for an account."""
        return {"X-API-Public-Key": public_key, "X-API-Private-Key": self.private_key if private_key is None else private_key}

    def stats(self):
        return self.state.stats()

    def reset(self, accounts=False):
        self.state.reset(accounts=accounts)

    def set_account(self, name, customer=None, faults=None, residential_summary=None, mobile_summary=None):
        """Define or replace an account; True when it is new.

        Arguments left as None keep their value (for a new account: the healthy customer, no faults,
        summaries derived from the customer). A customer of JSON null is made with
        PUT /_sim/accounts/<name> {"customer": null}, or served by the fault_null_data account.
        """
        definition = {}
        for key, value in (("customer", customer), ("faults", faults), ("residential_summary", residential_summary), ("mobile_summary", mobile_summary)):
            if value is not None:
                definition[key] = value
        return self.state.set_account(name, definition)

    def delete_account(self, name):
        return self.state.delete_account(name)

    def set_config(self, **changes):
        return self.state.set_config(changes)

    def wait(self, timeout=None):
        """Wait until the server stops (e.g. after POST /_sim/shutdown); True when it did."""
        return self.state.stop_event.wait(timeout)


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def _parser():
    parser = argparse.ArgumentParser(
        description="Local Byteful API simulator. Prints its base URL (http(s)://HOST:PORT/1.0) on one line once it listens.")
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default: %(default)s)")
    parser.add_argument("--private-key", default=None,
                        help="the private key clients must send (default: $%s, else the built-in test key)" % PRIVATE_KEY_ENV)
    parser.add_argument("--url-file", help="also write the base URL to this file")
    parser.add_argument("--pid-file", help="write the server's process id to this file")
    parser.add_argument("--log-file", help="append one line per request to this file")
    parser.add_argument("--idle-timeout", type=float, default=0.0, help="stop after this many seconds without a request (0: never)")
    parser.add_argument("--daemon", action="store_true", help="detach; the command returns once the server listens")
    parser.add_argument("--no-rate-limit", action="store_true", help="do not limit requests to %d per second per key" % RATE_LIMIT_PER_SECOND)
    parser.add_argument("--rate-limit-per-second", type=int, default=RATE_LIMIT_PER_SECOND, help="the rate limit (default: %(default)s)")
    parser.add_argument("--delay-scale", type=float, default=1.0, help="multiply every fault delay by this (default: %(default)s)")
    parser.add_argument("--tls-cert-file", help="serve HTTPS with a self-signed certificate made at start, and write that "
                                                "certificate (PEM, its own CA) to this file for clients to trust")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    return parser


def _write_file(path, text):
    """Write text to path atomically."""
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def _remove_pid_file(path):
    try:
        with open(path, encoding="utf-8") as handle:
            mine = handle.read().strip() == str(os.getpid())
        if mine:
            os.remove(path)
    except OSError:
        pass


def _make_server(args):
    private_key = args.private_key or os.environ.get(PRIVATE_KEY_ENV) or DEFAULT_PRIVATE_KEY
    state = SimulatorState(private_key=private_key, rate_limit=not args.no_rate_limit, rate_limit_per_second=args.rate_limit_per_second,
                           delay_scale=args.delay_scale, log_file=args.log_file, verbose=args.verbose and not args.daemon)
    return SimulatorServer(args.host, args.port, state, tls_cert_file=args.tls_cert_file)


def _announce(server, args):
    """Write the pid file and url file (stdout is the caller's business)."""
    if args.pid_file:
        _write_file(args.pid_file, "%d\n" % os.getpid())
    if args.url_file:
        _write_file(args.url_file, server.base_url + "\n")


def _serve_until_stopped(server, args):
    """Serve in a thread; the main thread waits for a signal, /_sim/shutdown or the idle timeout."""
    state = server.state

    def _on_signal(signum, _frame):
        state.log("server: signal %d, stopping" % signum)
        state.stop_event.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    serving = threading.Thread(target=server.serve, name="byteful-simulator", daemon=True)
    serving.start()
    if args.idle_timeout > 0:
        threading.Thread(target=_idle_watchdog, args=(server, args.idle_timeout), name="byteful-simulator-idle", daemon=True).start()
    state.log("server: listening on %s" % server.base_url)
    try:
        while not state.stop_event.wait(0.5):
            pass
    finally:
        server.stop()
        serving.join(timeout=5)
        server.server_close()
        if args.pid_file:
            _remove_pid_file(args.pid_file)
        state.log("server: stopped")
    return 0


def _absolute_paths(args):
    for name in ("url_file", "pid_file", "log_file", "tls_cert_file"):
        value = getattr(args, name)
        if value:
            setattr(args, name, os.path.abspath(value))


def _run_daemon(args):
    """Double-fork; the parent prints the URL and exits 0 once the detached server listens."""
    _absolute_paths(args)
    read_fd, write_fd = os.pipe()
    first = os.fork()
    if first:
        os.close(write_fd)
        chunks = []
        while True:
            chunk = os.read(read_fd, 4096)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(read_fd)
        os.waitpid(first, 0)
        report = b"".join(chunks).decode("utf-8", "replace").strip()
        if report.startswith("OK "):
            sys.stdout.write(report[3:] + "\n")
            sys.stdout.flush()
            return 0
        sys.stderr.write("byteful_simulator: the server did not start: %s\n" % (report[4:] if report.startswith("ERR ") else "no report"))
        return 1
    # first child: new session, then fork again so that the server is no session leader
    os.close(read_fd)
    os.setsid()
    if os.fork():
        os._exit(0)  # pylint: disable=protected-access
    status = 1
    try:
        os.chdir("/")
        try:
            server = _make_server(args)
        except (OSError, ValueError, ImportError) as exc:
            os.write(write_fd, ("ERR %s" % exc).encode("utf-8", "replace"))
            return 1
        try:
            _announce(server, args)
        except OSError as exc:
            server.server_close()
            os.write(write_fd, ("ERR %s" % exc).encode("utf-8", "replace"))
            return 1
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.close(devnull)
        os.write(write_fd, ("OK %s\n" % server.base_url).encode("utf-8"))
        os.close(write_fd)
        write_fd = None
        status = _serve_until_stopped(server, args)
    finally:
        if write_fd is not None:
            os.close(write_fd)
        os._exit(status)  # pylint: disable=protected-access
    return status


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.daemon:
        return _run_daemon(args)
    try:
        server = _make_server(args)
        _announce(server, args)
    except (OSError, ValueError, ImportError) as exc:
        sys.stderr.write("byteful_simulator: cannot start: %s\n" % exc)
        return 1
    sys.stdout.write(server.base_url + "\n")
    sys.stdout.flush()
    return _serve_until_stopped(server, args)


if __name__ == "__main__":
    sys.exit(main())
