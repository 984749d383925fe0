# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""A cache of API answers shared by every worker process of one ansible-playbook run.

Ansible renders each host's task (templates and lookups included) in a worker process forked
from the controller for that one task and host, so nothing in memory is shared between hosts.
What the workers do share is the controller's per-run temporary directory
(``DEFAULT_LOCAL_TMP``: made 0700 by the controller before it forks, removed when the run
ends). Entries live there as files, one per (API URL, account) for the Customer object and one
per (API URL, account, what, parameters) for what the preflight reads beyond it (a product's
usage, the services, a quote), written under an exclusive
lock: the first worker fetches while the others wait on the lock and then read its answer.
So a template rendered for 500 hosts costs one API call, and parallel runs do not share
entries.

An entry holds the validated answer (the Customer object, a usage summary...) or the one-sentence error the fetch ended in
(so 500 hosts fail fast with the same message instead of retrying 500 times), and the time it
was written. It never holds a key: its file name is an HMAC of the URL and public key keyed
by the private key, which tells accounts apart without revealing the key.

An answer that holds credentials (proxy lines with passwords) is sealed before it is written
(seal()): encrypted and authenticated (Fernet, from the cryptography package ansible-core
requires) with a key derived from the private key, so the file shows nothing usable to whoever
reads it, and nothing the private key could not fetch from the API anyway.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import json
import os
import tempfile
import time

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._limiter import account_digest

CACHE_DIR_NAME = "byteful-proxy-cache"


def entry_name(api_url, public_key, private_key):
    """File name of an account's entry: tells accounts apart, reveals no key (the shared limiter's name too)."""
    return account_digest(api_url, public_key, private_key)


def part_entry_name(account, part, parameters):
    """File name of one more thing read for an account (``part``: "usage", "services", "quote"...)
    with its ``parameters`` (JSON-able): one entry per account, part and parameters."""
    digest = hashlib.sha256(json.dumps(parameters, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:24]
    return "%s-%s-%s" % (account, part, digest)


def sealing_key(private_key, purpose):
    """The key that seals ``purpose``'s entries (bytes for Fernet), derived from the private key."""
    digest = hmac.new(private_key.encode("utf-8"), b"byteful.proxy run cache, sealed: " + purpose.encode("utf-8"),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest)


def seal(key, value):
    """``value`` (JSON-able) encrypted and authenticated under ``key`` (see sealing_key), as text."""
    from cryptography.fernet import Fernet  # pylint: disable=import-outside-toplevel

    return Fernet(key).encrypt(json.dumps(value).encode("utf-8")).decode("ascii")


def unseal(key, token):
    """What seal() sealed; BytefulError when ``token`` was not sealed under ``key`` or was altered."""
    from cryptography.fernet import Fernet, InvalidToken  # pylint: disable=import-outside-toplevel

    try:
        return json.loads(Fernet(key).decrypt(token.encode("ascii")).decode("utf-8"))
    except (InvalidToken, AttributeError, UnicodeError, ValueError):
        raise BytefulError("An entry of the run cache (%s) could not be opened: it was altered, or written for other "
                           "keys; set cache to false, or rerun the play." % CACHE_DIR_NAME) from None


class RunCache:
    """File entries under ``directory`` that expire ``ttl`` seconds after they are written."""

    def __init__(self, directory, ttl, clock=time.time):
        self.directory = os.path.join(directory, CACHE_DIR_NAME)
        self.ttl = ttl
        self._clock = clock

    def get_or_fetch(self, name, fetch):
        """Return the cached value for ``name``, or run ``fetch()`` once for all processes and cache it.

        A BytefulError from ``fetch`` is cached and raised again, as the same sentence, to every
        process that asks within the lifetime.
        """
        os.makedirs(self.directory, mode=0o700, exist_ok=True)
        path = os.path.join(self.directory, name + ".json")
        with open(path + ".lock", "a", encoding="utf-8") as lock:
            os.chmod(lock.name, 0o600)
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
            entry = self._read(path)
            if entry is None:
                try:
                    entry = {"value": fetch()}
                except BytefulError as exc:
                    entry = {"error": exc.message, "details": exc.details}
                entry["written"] = self._clock()
                self._write(path, entry)
        if "error" in entry:
            raise BytefulError(entry["error"], **entry.get("details", {}))
        return entry["value"]

    def _read(self, path):
        try:
            with open(path, encoding="utf-8") as handle:
                entry = json.load(handle)
        except (OSError, ValueError):
            return None
        written = entry.get("written") if isinstance(entry, dict) else None
        if not isinstance(written, (int, float)) or not 0 <= self._clock() - written < self.ttl:
            return None
        return entry

    def _write(self, path, entry):
        # Written beside and renamed into place, so that no reader ever sees half an entry.
        fd, temp = tempfile.mkstemp(dir=self.directory, prefix=".entry-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle)
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
