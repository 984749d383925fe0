# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Everything the handler threads share: accounts, counters, rate-limit windows, configuration, the log."""

from __future__ import annotations

import copy
import datetime
import hmac
import re
import sys
import threading
import time
from collections import deque

from .accounts import ACCOUNT_KEYS, BUILTIN_ACCOUNTS, HEALTHY_CUSTOMER, SERVED_KEYS, validate_fault_steps, validate_served
from .protocol import DEFAULT_PRIVATE_KEY, RATE_LIMIT_PER_SECOND, RATE_LIMIT_WINDOW, REDACTED, InvalidRequest, is_int, is_number


# a password in a query string or a JSON body ("proxy_user_password=...", "\"proxy_password\": \"...\"")
_PASSWORD_PARAMETER = re.compile(r"(password\"?\s*[=:]\s*\"?)[^&\"\s,;}]+", re.IGNORECASE)


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
        self._secrets = set()  # proxy-user and proxy passwords the simulator has seen or made: never logged
        self._secrets_lock = threading.Lock()
        self.accounts = {}
        self.restore_accounts()
        self._zero()

    # -- secrecy --------------------------------------------------------------------------

    def redact(self, text):
        """Text with every occurrence of the private key, and of every password kept by keep_secret, replaced."""
        if text is None:
            return text
        text = str(text)
        if self._private_key in text:
            text = text.replace(self._private_key, REDACTED)
        with self._secrets_lock:
            secrets = [secret for secret in self._secrets if secret in text]
        for secret in sorted(secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        return _PASSWORD_PARAMETER.sub(r"\1" + REDACTED, text)

    def keep_secret(self, text):
        """Remember a password (of a proxy user, of a proxy) so that no log line or stats key ever shows it."""
        if isinstance(text, str) and len(text) >= 4:
            with self._secrets_lock:
                self._secrets.add(text)

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
            self.attempts_by_account = {}
            self.by_path = {}
            self.by_method_path = {}
            self.by_route = {}
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
        """Forget test-defined accounts and restore the built-in ones.

        The built-in definitions are shared, never changed: get_account hands out copies, set_account
        replaces an account with a changed copy, and change_account copies a built-in one before its
        first write (a reset costs nothing, however many accounts there are).
        """
        with self.lock:
            self.accounts = dict(BUILTIN_ACCOUNTS)

    def touch(self):
        self.last_activity = time.monotonic()

    def count_request(self, public_key, path, method="GET", route_name=None, attempt=None):
        """Count one API request (not control requests), by account, by path, by "METHOD path" and by route name.

        A route with an id in its path counts each id's path apart, and all of them under its route name
        (route names are per method: proxy_user_edit counts the PATCHes of every proxy user's edit path).
        Returns the request's entry in attempts_by_account: the client's X-Byteful-Attempt header
        (``attempt``, why it sent the request) and, once answered, the ``answer`` it was given (a
        status, or the fault's action: hang, close, cut, truncate, trickle, trickle_headers, delay).
        """
        account = "(none)" if not public_key else self.redact(public_key)
        path = self.redact(path)
        method_path = "%s %s" % (method or "-", path)
        entry = {"attempt": None if attempt is None else self.redact(attempt)[:80], "answer": None}
        with self.lock:
            self.requests += 1
            self.by_account[account] = self.by_account.get(account, 0) + 1
            self.attempts_by_account.setdefault(account, []).append(entry)
            self.by_path[path] = self.by_path.get(path, 0) + 1
            self.by_method_path[method_path] = self.by_method_path.get(method_path, 0) + 1
            if route_name is not None:
                self.by_route[route_name] = self.by_route.get(route_name, 0) + 1
        return entry

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
                "attempts_by_account": {account: [dict(entry) for entry in entries]
                                        for account, entries in self.attempts_by_account.items()},
                "by_path": dict(self.by_path),
                "by_method_path": dict(self.by_method_path),
                "by_route": dict(self.by_route),
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
        validate_served(definition)
        with self.lock:
            created = public_key not in self.accounts
            account = self.accounts.get(public_key) or {"customer": copy.deepcopy(HEALTHY_CUSTOMER), "faults": []}
            account = copy.deepcopy(account)
            if "customer" in definition:
                account["customer"] = copy.deepcopy(definition["customer"])
            if faults is not None:
                account["faults"] = faults
            for name in SERVED_KEYS:
                if name in definition:
                    account[name] = copy.deepcopy(definition[name])
            self.accounts[public_key] = account
            self._forget_faults(public_key)
            self.windows.pop(public_key, None)
            return created

    def change_account(self, public_key, change):
        """Run change(account) on the account the simulator keeps for public_key, under the lock; its result.

        What a write route does: the change lives until the account is redefined or restored
        (PUT or DELETE /_sim/accounts/<key>, POST /_sim/reset {"accounts": true}).
        """
        with self.lock:
            account = self.accounts.get(public_key)
            if account is None:
                raise InvalidRequest("no such account")
            if account is BUILTIN_ACCOUNTS.get(public_key):
                account = self.accounts[public_key] = copy.deepcopy(account)
            return change(account)

    def delete_account(self, public_key):
        """Remove a test-defined account, or restore a built-in one; False when there was none."""
        with self.lock:
            self._forget_faults(public_key)
            self.windows.pop(public_key, None)
            if public_key in BUILTIN_ACCOUNTS:
                self.accounts[public_key] = BUILTIN_ACCOUNTS[public_key]
                return True
            return self.accounts.pop(public_key, None) is not None

    def _forget_faults(self, public_key):
        """Start the account's fault steps over (its whole-account and per-route counters)."""
        for counter in [key for key in self.fault_counts if key == public_key or (isinstance(key, tuple) and key[0] == public_key)]:
            del self.fault_counts[counter]

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

    def next_step(self, public_key, faults, route_name=None):
        """The fault step that serves this request of the account, or None for the normal response.

        When a step names a route, the account's steps are counted per route, over the steps that
        apply to the route (those naming it and those naming none).
        """
        if not faults:
            return None
        counter = public_key
        if any("route" in step for step in faults):
            faults = [step for step in faults if step.get("route", route_name) == route_name]
            counter = (public_key, route_name)
            if not faults:
                return None
        with self.lock:
            seen = self.fault_counts.get(counter, 0)
            self.fault_counts[counter] = seen + 1
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
        if "rate_limit_per_second" in changes and not (is_int(changes["rate_limit_per_second"]) and changes["rate_limit_per_second"] >= 1):
            raise InvalidRequest("rate_limit_per_second must be a positive integer")
        if "delay_scale" in changes and not (is_number(changes["delay_scale"]) and changes["delay_scale"] >= 0):
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
