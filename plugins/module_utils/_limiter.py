# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""One request pace per Byteful account, shared by every process of this user on this machine.

AWX, AAP and CI farms start many ansible-playbook runs at once against one account. Each run
is its own process tree, so a limit kept in memory cannot stop 30 of them from sending 30
requests in the same instant. They share a small state file instead, one per account, in a
directory only this user can enter: under an exclusive lock each process takes the next free
slot, so that the processes of one machine never send more than 10 requests per second between
them. A 429 from the API slows everyone down: the pace halves (down to one request every 2 s)
and nobody sends until the API's Retry-After has passed; every quiet spell without a 429 doubles
the pace again, up to 10 per second.

The file holds times and the pace, never a key: its name is an HMAC of the API URL and the
public key keyed by the private key, as for the lookup's run cache.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import random
import stat
import tempfile

# The API's limit, 10 requests per second per account.
MIN_INTERVAL = 0.1
# The slowest pace after repeated 429s: one request every 2 s.
MAX_INTERVAL = 2.0
# Every this long without a 429, the pace doubles again (up to 1 / MIN_INTERVAL per second).
QUIET_PERIOD = 10.0
# A state time this far ahead of now is not one this code wrote (another boot's monotonic
# clock): it is ignored rather than waited out.
STALE_AHEAD = 120.0
# A waiting process looks again at least this often, so that a faster pace is seen soon.
POLL_MAX = 0.5
# How long after its announced time a refused request keeps its place at the head of the line.
RETRY_GRACE = 2.0


def account_digest(api_url, public_key, private_key):
    """A name for an account's files: tells accounts apart, reveals no key."""
    message = ("%s\n%s" % (api_url, public_key)).encode("utf-8")
    return hmac.new(private_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def private_directory():
    """This user's directory for the pace files, made 0700; OSError when none is private.

    Not the run's temporary directory (that one is per ansible-playbook run, and the point is to
    coordinate runs): XDG_RUNTIME_DIR when the session has a usable one, else the system's
    temporary directory, in a subdirectory named after the user id.
    """
    problem = None
    for base in (os.environ.get("XDG_RUNTIME_DIR"), tempfile.gettempdir()):
        if not base:
            continue
        path = os.path.join(base, "byteful-proxy-%d" % os.geteuid())
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        except OSError as exc:  # an XDG_RUNTIME_DIR inherited from another user, a read-only disk
            problem = exc
            continue
        # lstat: a symlink planted by another user in a shared /tmp must not be followed.
        info = os.lstat(path)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
            problem = OSError("%s is not a directory that only this user can enter" % path)
            continue
        return path
    raise problem or OSError("no directory for the shared rate limiter")


class SharedPace:
    """The pace file of one account.

    ``clock`` must be a clock that all processes of the machine share (time.monotonic on Linux
    and macOS is); ``sleep`` waits. Both are injectable for tests.
    """

    def __init__(self, path, clock, sleep):
        self.path = path
        self._clock = clock
        self._sleep = sleep
        self.last_turn = None  # when this process last got a turn, on the shared clock

    def _update(self, change):
        """Run change(state, now) under the file's lock, write the state back, return what change returned."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "r+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
            try:
                state = json.loads(handle.read() or "{}")
            except ValueError:
                state = {}
            now = self._clock()
            if not isinstance(state, dict) or not all(
                    isinstance(state.get(name), (int, float)) and state.get(name) <= now + STALE_AHEAD
                    for name in ("next", "paused_until", "interval", "steady_since")):
                state = {"next": now, "paused_until": now, "interval": MIN_INTERVAL, "steady_since": now}
            state["interval"] = min(max(state["interval"], MIN_INTERVAL), MAX_INTERVAL)
            tickets = state.get("retrying")
            state["retrying"] = {name: until for name, until in tickets.items()
                                 if isinstance(until, (int, float)) and now < until <= now + STALE_AHEAD} \
                if isinstance(tickets, dict) else {}
            result = change(state, now)
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(state))
            return result

    def acquire(self, latest, ticket=None):
        """Wait for this process's turn and return the pace in force, or None if the turn would come after ``latest``.

        ``ticket`` names a request the API refused with a 429 (see throttled): it goes before
        the requests that have not been refused yet, so that no request is refused twice while
        newcomers get through.
        """
        def take(state, now):
            if now - state["steady_since"] >= QUIET_PERIOD:
                state["interval"] = max(MIN_INTERVAL, state["interval"] / 2)
                state["steady_since"] = now
            start = max(state["next"], state["paused_until"])
            if start > now:
                return start - now, None
            if state["retrying"] and ticket not in state["retrying"]:
                return POLL_MAX, None
            state["retrying"].pop(ticket, None)
            state["next"] = now + state["interval"]
            self.last_turn = now
            return 0.0, state["interval"]

        while True:
            wait, interval = self._update(take)
            if interval is not None:
                return interval
            if self._clock() + wait > latest:
                return None
            # A little randomness, so that the waiting processes do not all knock at the same instant.
            self._sleep(min(wait, POLL_MAX) + random.uniform(0, 0.02))

    def throttled(self, pause, interval_sent, ticket, retry_in):
        """The API answered 429 to a request sent at pace ``interval_sent``: slow everyone down for ``pause`` seconds.

        Unless ``ticket`` is None, the request will be sent again in ``retry_in`` seconds under
        ``ticket``; until then (and a little more), requests that have not been refused wait for it.
        """
        def slow(state, now):
            if ticket is not None:
                state["retrying"][ticket] = now + retry_in + RETRY_GRACE
            # Doubled from the pace the request was sent at: several 429s to requests sent at
            # one pace halve it once, not once each.
            state["interval"] = max(state["interval"], min(interval_sent * 2, MAX_INTERVAL))
            state["paused_until"] = max(state["paused_until"], now + pause)
            state["steady_since"] = now
        self._update(slow)
