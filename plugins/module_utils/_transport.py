# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""The request loop and its retry rules: every API call of the collection goes through Transport.request().

One exchange is _exchange.send(); the final answer is read by _answer.AnswerReader; the pace shared
between processes is _limiter.SharedPace. BytefulClient (_client.py) checks the options and builds this.
"""

from __future__ import annotations

import email.utils
import math
import os
import random
import threading
import time

from ansible_collections.byteful.proxy.plugins.module_utils import _limiter
from ansible_collections.byteful.proxy.plugins.module_utils._answer import AnswerReader, after
from ansible_collections.byteful.proxy.plugins.module_utils._exchange import (
    DEADLINE_GRACE,
    DIGITS,
    http_libraries,
    send,
)
from ansible_collections.byteful.proxy.plugins.module_utils._errors import TransientError, UncertainWrite, one_line

DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 3

# Retry policy. Two budgets, because the two kinds of failure call for different patience:
# * a server error, a timeout or a connection failure costs one of `retries`; the wait before
#   the next attempt is min(BACKOFF_BASE * 2**n, BACKOFF_MAX) plus up to BACKOFF_JITTER of it;
# * a 429 is retried for as long as `rate_limit_wait` seconds (counted from the first attempt)
#   allow, after the API's Retry-After plus up to RETRY_AFTER_JITTER of it (at least of 1 s), or
#   the backoff when it sends none. Many jobs started together against one account are turned
#   away together; a count of attempts runs out while they still collide, time does not, and
#   the jitter keeps them from coming back in lockstep. A Retry-After above RETRY_AFTER_MAX, or
#   above what is left of rate_limit_wait, is not waited out: the client fails at once, since a
#   CI gate that sleeps for minutes is worse than a clear failure.
# The waits for a turn of the shared limiter (see _limiter.py) count against rate_limit_wait
# too (at least LIMITER_MIN_WAIT). worst_case_seconds() computes the bound.
BACKOFF_BASE = 1.0
BACKOFF_MAX = 8.0
BACKOFF_JITTER = 0.25
RETRY_AFTER_MAX = 20.0
RETRY_AFTER_JITTER = 0.5
DEFAULT_RATE_LIMIT_WAIT = 30.0
LIMITER_MIN_WAIT = 5.0
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))

# Every attempt says why it is sent, in this header: "1" for a first attempt, "2; after=timeout" for
# a second one sent because the first timed out (after= a status such as 429 or 503, timeout,
# broken for an answer cut short, unreachable). The API's logs and the simulator's then tell a
# retry from a request sent twice, and the fault matrix checks each retry against what was answered.
ATTEMPT_HEADER = "X-Byteful-Attempt"

# The API allows 10 requests per second per account; requests from one process are spaced
# by at least this much, so a loop of calls can never trip the limit on its own.
MIN_REQUEST_INTERVAL = 0.1

_throttle_lock = threading.Lock()
_last_request_at = [float("-inf")]


def worst_case_seconds(timeout=DEFAULT_TIMEOUT, retries=DEFAULT_RETRIES, rate_limit_wait=DEFAULT_RATE_LIMIT_WAIT):
    """The longest one request can take under the retry policy, in seconds.

    Everything spent on 429s and on waiting for a turn of the shared limiter ends within
    rate_limit_wait (at least LIMITER_MIN_WAIT) of the first attempt; after that come at most
    the last rate-limited attempt and the retries + 1 attempts a server error, a timeout or a
    connection failure may take, each run to its abandoned deadline, with the longest backoff
    (full jitter) between them. The 0.1 s spacing of requests is included.
    """
    backoffs = sum(min(BACKOFF_BASE * 2 ** n, BACKOFF_MAX) * (1 + BACKOFF_JITTER) for n in range(retries))
    attempt = timeout + DEADLINE_GRACE + MIN_REQUEST_INTERVAL
    return max(rate_limit_wait, LIMITER_MIN_WAIT) + (retries + 2) * attempt + backoffs


def retry_after_seconds(value, now=None):
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if DIGITS.match(value):
        # Beyond 15 digits the number only means "far too long"; float() would reach inf.
        return float(value) if len(value) <= 15 else 1e15
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class Transport:
    """Sends requests to ``api_url`` with ``headers`` under the retry policy above.

    ``redactor`` (_errors.Redactor) is the gate for all server text; ``warnings`` is the list the
    client shows; ``keys_hint()`` ends a 401's sentence; ``names`` maps each connection option to
    the name the user set it as; ``session`` (a requests.Session, made on the first request when
    None), ``sleep``, ``clock`` and ``wall_clock`` are injectable for tests.
    """

    def __init__(self, api_url, headers, redactor, warnings, keys_hint, names, verify, timeout, retries,
                 rate_limit_wait, session, sleep, clock, wall_clock, pace_digest):
        self.api_url = api_url
        self.verify = verify
        self.timeout = float(timeout)
        self.retries = retries
        self.rate_limit_wait = float(rate_limit_wait)
        self.warnings = warnings
        self._headers = headers
        self._redactor = redactor
        self._names = names
        self._reader = AnswerReader(redactor, warnings, keys_hint, names)
        self._session = session
        self._sleep = sleep
        self._clock = clock
        self._wall_clock = wall_clock
        self._pace = self._shared_pace(pace_digest)

    def _shared_pace(self, digest):
        """The account's pace shared with this user's other processes (see _limiter.py), or None.

        Without a private directory for it, requests are still spaced within this process,
        and a warning says that parallel runs are not coordinated.
        """
        try:
            directory = _limiter.private_directory()
        except OSError as exc:
            self.warnings.append("Requests of parallel runs against this account are not coordinated on this machine "
                                 "(%s); run fewer jobs against one account at once." % one_line(exc))
            return None
        return _limiter.SharedPace(os.path.join(directory, digest + ".pace"), clock=self._clock, sleep=self._sleep)

    def request(self, method, url, what, body=None, hints=None, resend=True, data_optional=False):
        """One API call, retried under the policy above; every method and every page comes through here.

        ``resend`` false is a write that must not be sent twice blindly (a create, a delete): a failure
        that leaves its outcome unknown (a timeout, a broken answer, a server error) is not retried but
        raised as UncertainWrite, for the caller to read what happened first (BytefulClient.write). A
        429 is retried all the same: the API refused it without acting on it. ``data_optional``: the
        answer may lack a data member (a write's).
        """
        if self._session is None:
            # Before taking a turn: importing requests costs a few hundred milliseconds of CPU
            # when many processes start at once, and a turn must be used when it is given.
            requests, dummy = http_libraries()
            self._session = requests.Session()
            # Proxies and .netrc still come from the environment; a .netrc entry must never
            # replace our own auth headers, and we send none of requests' Authorization.
            self._session.trust_env = True
        started = self._clock()
        attempt = 0
        failures = 0  # attempts lost to a server error, a timeout or a connection failure: at most `retries` retried
        throttled = 0  # 429 answers: retried while rate_limit_wait allows
        ticket = None  # this request's place in line after a 429 (see _limiter.SharedPace)
        refused = None  # the last 429 (headers, body): what to report if no further turn comes in time
        budget = self._names["rate_limit_wait"]
        cause = None  # why the next attempt is sent (see ATTEMPT_HEADER)
        while True:
            attempt += 1
            pace = self._take_turn(started, ticket)
            if pace is None and refused is not None:
                # The turn that did not come was held back by this request's own 429s: report the
                # API's refusal, not other runs.
                raise self._reader.status_error(url, what, 429, refused[1], refused[0], attempt - 1,
                                                extra="still refused after %.1f s of the %g s %s allows"
                                                % (self._clock() - started, self.rate_limit_wait, budget))
            if pace is None:
                raise self._redactor.fail(
                    "%s at %s was not sent: other runs on this machine against the same account are using its rate "
                    "limit, and no turn came within %g s; raise %s or run fewer jobs against this account at once."
                    % (what, url, max(self.rate_limit_wait, LIMITER_MIN_WAIT), budget),
                    url=url, reason="rate limit", attempts=attempt - 1)
            try:
                status, headers, answer = self._send(url, what, method, body,
                                                     attempt if cause is None else "%d; after=%s" % (attempt, cause))
            except TransientError as exc:
                failures += 1
                cause = exc.kind
                if failures > self.retries or not exc.retry or not resend:
                    error = self._redactor.fail("%s at %s %s%s; %s." % (what, url, exc.reason, after(attempt), exc.hint),
                                                url=url, reason=exc.reason, attempts=attempt)
                    raise error if resend else UncertainWrite(error.message, **error.details)
                self._sleep(self._backoff(failures))
                continue

            cause = status
            if status == 429:
                throttled += 1
                refused = (headers, answer)
                asked = retry_after_seconds(headers.get("Retry-After"), self._wall_clock())
                left = self.rate_limit_wait - (self._clock() - started)
                if asked is None:
                    wait = self._backoff(throttled)
                else:
                    # What the API asked, and as much of the jitter as rate_limit_wait still allows.
                    wait = max(asked, min(asked + random.uniform(0, max(asked, 1.0) * RETRY_AFTER_JITTER), left))
                retrying = wait <= left and (asked is None or asked <= RETRY_AFTER_MAX)
                if retrying:
                    ticket = ticket or "%x" % random.getrandbits(64)
                if self._pace is not None:
                    try:
                        # Everyone on this machine holds back for what the API asked; this process
                        # itself waits the jittered time below, then goes first.
                        self._pace.throttled(min(wait if asked is None else asked, RETRY_AFTER_MAX), pace,
                                             ticket if retrying else None, wait)
                    except OSError:
                        self._pace = None
                if asked is not None and asked > RETRY_AFTER_MAX:
                    raise self._reader.status_error(url, what, status, answer, headers, attempt,
                                                    extra="the API asked to wait %d s, more than the %d s this client "
                                                    "waits" % (math.ceil(asked), RETRY_AFTER_MAX))
                if asked is not None and asked > left:
                    raise self._reader.status_error(url, what, status, answer, headers, attempt,
                                                    extra="the API asked to wait %d s, more than the %.1f s left of the "
                                                    "%g s %s allows" % (
                                                        math.ceil(asked), max(0.0, left), self.rate_limit_wait, budget))
                if wait > left:
                    raise self._reader.status_error(url, what, status, answer, headers, attempt,
                                                    extra=None if self.rate_limit_wait == 0 else
                                                    "still refused after %.1f s of the %g s %s allows"
                                                    % (self._clock() - started, self.rate_limit_wait, budget))
                self._sleep(wait)
                continue
            if status in RETRY_STATUSES and not resend:
                error = self._reader.status_error(url, what, status, answer, headers, attempt, hints=hints)
                raise UncertainWrite(error.message, **error.details)
            if status in RETRY_STATUSES and failures < self.retries:
                failures += 1
                self._sleep(self._backoff(failures))
                continue
            return self._reader.parse(url, what, status, headers, answer, attempt, hints, data_optional=data_optional)

    def _send(self, url, what, method="GET", body=None, attempt=1):
        """One HTTP exchange (see _exchange.send), ``attempt`` its ATTEMPT_HEADER: (status, headers, body bytes)."""
        headers = dict(self._headers)
        headers[ATTEMPT_HEADER] = str(attempt)
        return send(self._session, method, url, what, headers, body, self.verify, self.timeout, self._clock,
                    self._redactor, self._names)

    @staticmethod
    def _backoff(attempt):
        delay = min(BACKOFF_BASE * 2 ** (attempt - 1), BACKOFF_MAX)
        # Jitter keeps parallel jobs against one account from retrying in lockstep.
        return delay + random.uniform(0, delay * BACKOFF_JITTER)

    def _take_turn(self, started, ticket):
        """Wait until this process may send (its own spacing, then the account's shared pace).

        Returns the pace in force, or None when no turn came within the rate-limit budget.
        """
        self._throttle()
        if self._pace is None:
            return MIN_REQUEST_INTERVAL
        try:
            pace = self._pace.acquire(started + max(self.rate_limit_wait, LIMITER_MIN_WAIT), ticket)
        except OSError as exc:
            # The state file went away or its disk is full: this process's own spacing still holds.
            self.warnings.append("Requests of parallel runs against this account are no longer coordinated on this "
                                 "machine (%s)." % one_line(exc))
            self._pace = None
            return MIN_REQUEST_INTERVAL
        return pace

    def _throttle(self):
        with _throttle_lock:
            wait = _last_request_at[0] + MIN_REQUEST_INTERVAL - self._clock()
            if wait > 0:
                self._sleep(wait)
            _last_request_at[0] = self._clock()
