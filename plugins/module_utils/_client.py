# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""BytefulClient: the connection options, checked before any request, and the calls the resource files make.

The request loop is _transport.Transport, paging _paging.py, reading an answer _answer.py, errors
and redaction _errors.py. Callers import all of it from _api.py.
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
import re
import time
import unicodedata
from urllib.parse import quote, urlencode, urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.byteful.proxy.plugins.module_utils import _limiter, _paging
from ansible_collections.byteful.proxy.plugins.module_utils._answer import DEFAULT_API_URL
from ansible_collections.byteful.proxy.plugins.module_utils._errors import BytefulError, Redactor, UncertainWrite, json_type
from ansible_collections.byteful.proxy.plugins.module_utils._transport import (
    DEFAULT_RATE_LIMIT_WAIT,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    Transport,
)

# Kept equal to galaxy.yml's version by tests/unit/test_collection_metadata.py.
COLLECTION_VERSION = "0.2.0"
USER_AGENT = "byteful.proxy/%s (Ansible collection)" % COLLECTION_VERSION

# Python's sockets reject timeouts beyond time_t, and an hour per attempt is never what a
# preflight gate means; the bound also keeps the worst case below finite.
MAX_TIMEOUT = 3600.0
MAX_RATE_LIMIT_WAIT = 3600.0

# The only POSTs the collection sends: each prices or reads, none buys or changes the account.
# post() refuses every other path before anything is sent (checkout/create spends money).
READ_ONLY_POSTS = ("/public/user/checkout/quote",)

# The only writes: a proxy user created, edited or (softly) deleted, as (method, route); {id} is one
# path segment. write() refuses every other method and path before anything is sent, so nothing that
# buys (checkout/create) or changes anything else can go out through it.
WRITES = (("POST", "/public/user/proxy_user/create"), ("PATCH", "/public/user/proxy_user/edit/{id}"),
          ("DELETE", "/public/user/proxy_user/delete/{id}"))
# What may be sent again when its answer was lost (a timeout, a broken answer, a server error): an
# edit sets members to the values in its body, so two leave the user as one does. A second create
# would make a second user (or meet a 409), and a second delete a 404 for the user the first one
# deleted, so a lost create or delete is sent again only after a read found it had not taken effect.
RESENDABLE_WRITES = ("PATCH",)
# An id in a write's path is one segment, sent URL-encoded: nothing that could climb out of it.
_PATH_ID = re.compile(r"[^/\\?#%\s\x00-\x1f\x7f]{1,200}\Z")

KEY_ENV_VARS = {"api_public_key": "BYTEFUL_API_PUBLIC_KEY", "api_private_key": "BYTEFUL_API_PRIVATE_KEY"}
KEY_ENV_HINT = "check api_public_key and api_private_key (or BYTEFUL_API_PUBLIC_KEY and BYTEFUL_API_PRIVATE_KEY)"

# Options shared by every module of the collection. Lookups declare the same options in the
# doc fragment plugins/doc_fragments/connection.py; tests keep the two in step.
CONNECTION_ARGUMENT_SPEC = dict(
    api_url=dict(type="str", default=DEFAULT_API_URL, fallback=(env_fallback, ["BYTEFUL_API_URL"])),
    api_public_key=dict(type="str", no_log=False, fallback=(env_fallback, ["BYTEFUL_API_PUBLIC_KEY"])),
    api_private_key=dict(type="str", no_log=True, fallback=(env_fallback, ["BYTEFUL_API_PRIVATE_KEY"])),
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
    timeout=dict(type="float", default=DEFAULT_TIMEOUT),
    retries=dict(type="int", default=DEFAULT_RETRIES),
    rate_limit_wait=dict(type="float", default=DEFAULT_RATE_LIMIT_WAIT),
    allow_insecure_http=dict(type="bool", default=False),
)
CONNECTION_OPTIONS = tuple(CONNECTION_ARGUMENT_SPEC)


def query_string(params):
    """params as a URL query: None values dropped, booleans as true/false (as the API's own clients send them).

    Values must be strings, integers or booleans; anything else is a programming error (ValueError).
    """
    pairs = []
    for name, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, int):
            value = str(value)
        elif not isinstance(value, str):
            raise ValueError("query parameter %s must be a string, an integer or a boolean, got %s"
                             % (name, type(value).__name__))
        pairs.append((name, value))
    return urlencode(pairs)


# Names for the characters a key picks up on its way from a dashboard or a file.
_KEY_CHARACTER_KINDS = {
    "\ufeff": "a byte-order mark",
    "\u200b": "a zero-width space",
    "\u200c": "a zero-width non-joiner",
    "\u200d": "a zero-width joiner",
    "\u2060": "a word joiner",
    "\u00a0": "a non-breaking space",
    "\u202f": "a narrow non-breaking space",
    "\u2007": "a figure space",
    "\u2018": "a smart quote", "\u2019": "a smart quote", "\u201a": "a smart quote", "\u201b": "a smart quote",
    "\u201c": "a smart quote", "\u201d": "a smart quote", "\u201e": "a smart quote", "\u201f": "a smart quote",
    "\u2013": "a typographic dash", "\u2014": "a typographic dash", "\u2212": "a minus sign",
}
_KEY_CATEGORY_KINDS = {
    "L": "a non-ASCII letter",
    "N": "a non-ASCII digit",
    "M": "a combining accent",
    "Z": "a non-ASCII space",
    "C": "an invisible formatting or control character",
}


def _non_ascii_character(value):
    """(kind, 1-based position) of the first non-ASCII character of value, or None. Never the character itself."""
    for position, character in enumerate(value, 1):
        if ord(character) > 127:
            kind = _KEY_CHARACTER_KINDS.get(character) or _KEY_CATEGORY_KINDS.get(
                unicodedata.category(character)[0], "a non-ASCII punctuation mark or symbol")
            return kind, position
    return None


def _is_loopback(host):
    """True for a host that can only be this machine, where plain http exposes nothing."""
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1 is loopback too
    return address.is_loopback or bool(mapped and mapped.is_loopback)


class BytefulClient(Transport):
    """A small Byteful API client on one requests.Session.

    Build it with :meth:`from_options` from a dict holding the CONNECTION_OPTIONS (a module's
    params or a lookup's options). ``sleep``, ``clock`` and ``session`` are injectable so tests
    can check the retry policy without waiting.

    Every message that names an option uses the words of the caller's users: ``option_names``
    maps a connection option to the name the user set it as (the role's byteful_timeout, an
    environment variable, an ansible.cfg entry); an option it leaves out is named as itself.
    ``keys_where`` ends the sentence about unset keys ("set them in ...").
    """

    def __init__(self, api_url, public_key, private_key, validate_certs=True, ca_path=None,
                 timeout=DEFAULT_TIMEOUT, retries=DEFAULT_RETRIES, allow_insecure_http=False, session=None,
                 sleep=time.sleep, clock=time.monotonic, wall_clock=time.time, option_names=None, keys_where=None,
                 rate_limit_wait=DEFAULT_RATE_LIMIT_WAIT):
        self._redactor = Redactor(private_key)
        self._names_given = bool(option_names)
        self._names = dict({option: option for option in CONNECTION_OPTIONS}, **(option_names or {}))
        self._keys_where = keys_where or "the task's options"
        name = self._names
        # One-sentence warnings for the caller to show (module.warn, Display.warning): the
        # client decides what deserves one, the plugins only display them.
        warnings = []
        self.warnings = warnings
        api_url = self._check_url(api_url, allow_insecure_http)
        missing = [option for option, value in (("api_public_key", public_key), ("api_private_key", private_key))
                   if not value]
        if missing:  # both at once: fixing one only to be told of the other is a wasted run
            raise BytefulError(self._missing_keys_message(missing))
        self._check_key(name["api_public_key"], "BYTEFUL_API_PUBLIC_KEY", public_key)
        self._check_key(name["api_private_key"], "BYTEFUL_API_PRIVATE_KEY", private_key)
        if (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout)
                or not 0 < timeout <= MAX_TIMEOUT):
            raise BytefulError("%s must be a positive number of seconds, at most %d, got %r." % (
                name["timeout"], MAX_TIMEOUT, timeout))
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise BytefulError("%s must be 0 or more, got %r." % (name["retries"], retries))
        if (isinstance(rate_limit_wait, bool) or not isinstance(rate_limit_wait, (int, float))
                or not math.isfinite(rate_limit_wait) or not 0 <= rate_limit_wait <= MAX_RATE_LIMIT_WAIT):
            raise BytefulError("%s must be a number of seconds from 0 to %d, got %r." % (
                name["rate_limit_wait"], MAX_RATE_LIMIT_WAIT, rate_limit_wait))
        self.public_key = public_key
        https = api_url.startswith("https:")
        if https and validate_certs and ca_path and not os.path.exists(ca_path):
            # requests would raise a bare OSError, outside its own exception tree.
            raise BytefulError("%s %r does not exist; set it to a PEM file, or a directory, of CA certificates." % (
                name["ca_path"], ca_path))
        if https and not validate_certs:
            warnings.append(
                "%s is false, so the TLS certificate of %s is not verified and whoever answers in its place receives the "
                "private key; set %s to the CA that signed it instead, or keep this to a test server."
                % (name["validate_certs"], urlsplit(api_url).hostname, name["ca_path"]))
        headers = {
            "X-API-Public-Key": public_key,
            "X-API-Private-Key": private_key,
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            # See _exchange._DECODABLE: an answer that comes compressed anyway is decoded there, boundedly.
            "Accept-Encoding": "identity",
        }
        super().__init__(api_url, headers, self._redactor, warnings, self._keys_hint, self._names,
                         verify=(ca_path or True) if validate_certs else False, timeout=timeout, retries=retries,
                         rate_limit_wait=rate_limit_wait, session=session, sleep=sleep, clock=clock, wall_clock=wall_clock,
                         pace_digest=_limiter.account_digest(api_url, public_key, private_key))

    @classmethod
    def from_options(cls, options, **kwargs):
        def option(name, default):
            # Only an unset option takes the default: timeout 0 is an error, not "the default".
            value = options.get(name)
            return default if value is None else value

        return cls(
            api_url=options.get("api_url") or DEFAULT_API_URL,
            public_key=options.get("api_public_key"),
            private_key=options.get("api_private_key"),
            validate_certs=option("validate_certs", True),
            ca_path=options.get("ca_path"),
            timeout=option("timeout", DEFAULT_TIMEOUT),
            retries=option("retries", DEFAULT_RETRIES),
            allow_insecure_http=option("allow_insecure_http", False),
            rate_limit_wait=option("rate_limit_wait", DEFAULT_RATE_LIMIT_WAIT),
            **kwargs
        )

    def __repr__(self):
        # Never show the headers: they hold the private key.
        return "BytefulClient(api_url=%r, public_key=%r)" % (self.api_url, self.public_key)

    # -- checks before any request -------------------------------------------------------

    def _check_url(self, api_url, allow_insecure_http):
        name = self._names
        if not isinstance(api_url, str):
            raise BytefulError("%s must be a string such as %s, got %s." % (
                name["api_url"], DEFAULT_API_URL, json_type(api_url)))
        try:
            parts = urlsplit(api_url)
            # .port raises ValueError for a port that is not a number; requests would raise it later, as a traceback.
            usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
        except ValueError:
            parts, usable = None, False
        if not usable:
            raise self.fail("%s %r is not an absolute http(s) URL; set it to the API root, for example %s."
                            % (name["api_url"], api_url, DEFAULT_API_URL))
        if parts.username is not None or parts.password is not None:
            # requests would send them as Basic auth: a second secret in the URL, shown in every message.
            raise BytefulError("%s must not hold a user name or password; the keys go in %s and %s, set it to the API "
                               "root, for example %s." % (name["api_url"], name["api_public_key"],
                                                          name["api_private_key"], DEFAULT_API_URL))
        if parts.query or parts.fragment:
            raise self.fail("%s %r must not have a query string or fragment; set it to the API root, for example %s."
                            % (name["api_url"], api_url, DEFAULT_API_URL))
        host = parts.hostname
        if parts.scheme == "http" and not _is_loopback(host):
            if not allow_insecure_http:
                raise self.fail(
                    "%s %r uses plain http to %s, which would send the private key in clear text; use https, or set %s "
                    "to true for a test server on a network you trust." % (
                        name["api_url"], api_url, host, name["allow_insecure_http"]))
            self.warnings.append("%s uses plain http to %s because %s is true, so the private key crosses the network in "
                                 "clear text; use https outside a test network." % (
                                     name["api_url"], host, name["allow_insecure_http"]))
        return api_url.rstrip("/")

    def option_name(self, option):
        """The name the user set a connection option as (see option_names), for a message."""
        return self._names[option]

    def _missing_keys_message(self, missing):
        names = " and ".join(self._names[option] for option in missing)
        variables = " and ".join(KEY_ENV_VARS[option] for option in missing)
        if len(missing) == 1:
            return "%s is not set; set it in %s or in the %s environment variable." % (names, self._keys_where, variables)
        return "%s are not set; set them in %s or in the %s environment variables." % (names, self._keys_where, variables)

    def _keys_hint(self):
        if not self._names_given:
            return KEY_ENV_HINT
        return "check %s and %s" % (self._names["api_public_key"], self._names["api_private_key"])

    @staticmethod
    def _check_key(option, env, value):
        if not value:
            raise BytefulError("%s is not set; pass it to the task or set the %s environment variable." % (option, env))
        if not isinstance(value, str):
            raise BytefulError("%s must be a string." % option)
        found = _non_ascii_character(value)
        if found:
            # HTTP headers are ASCII; requests would die with a UnicodeEncodeError quoting the
            # character. The sentence names the kind and the place, never the key's characters.
            extra = sum(1 for ch in value if ord(ch) > 127) - 1
            raise BytefulError("%s contains %s at character %d of %d%s; API keys are plain ASCII, so copy the key again "
                               "from the Byteful dashboard or remove that character from where it is stored."
                               % (option, found[0], found[1], len(value),
                                  " and %d more non-ASCII character%s" % (extra, "" if extra == 1 else "s") if extra else ""))
        if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
            # Checked here because requests would otherwise quote the header value, key and all,
            # in its error message.
            raise BytefulError("%s contains whitespace or control characters (a stray newline from a file?); "
                               "remove them." % option)

    def redact(self, text):
        """Remove every secret the client knows, in any form it may take, from any text that could reach the user."""
        return self._redactor.redact(text)

    def fail(self, message, **details):
        """The BytefulError for a sentence and its details, with every secret the client knows removed from both."""
        return self._redactor.fail(message, **details)

    def text(self, value):
        """What the server said (a string of the data) for a sentence: one plain line without any secret, cut to
        MAX_SERVER_TEXT characters (see Redactor.text)."""
        return self._redactor.text(value)

    def learn_secret(self, *secrets):
        """Keep each of ``secrets`` (a password a task sets...) out of every message from now on (see Redactor.learn).

        What the API returns is learnt as it is read (_errors.SECRET_MEMBERS, proxy lines)."""
        self._redactor.learn(*secrets)

    def redacted_error(self, error):
        """``error`` (a BytefulError made anywhere) with every secret known by now removed: the last gate before a
        message leaves the collection (a module's exit, a lookup's error, the run cache)."""
        return self._redactor.fail(error.message, **error.details)

    def redacted(self, value):
        """``value`` (a module's result) with every secret known by now removed from each of its strings."""
        return self._redactor.redacted(value)

    # -- the calls -------------------------------------------------------------------------

    def get(self, path, what, params=None):
        """GET ``path`` under api_url and return an :class:`ApiResponse` for its ``data`` object.

        ``what`` starts every error sentence ("Retrieving the Byteful customer"); ``params`` is
        sent as the query string (see query_string). Raises :class:`BytefulError` with a
        one-sentence message on any failure.
        """
        return self.request("GET", self._url(path, params), what)

    def post(self, path, what, body, hints=None):
        """POST ``body`` as JSON to ``path`` and return an :class:`ApiResponse`.

        Only the paths of READ_ONLY_POSTS are allowed; any other raises ValueError before
        anything is sent: the collection never buys or changes the account. Such a POST is
        retried like a GET, which is safe because it only prices (a quote changes nothing).
        ``hints`` replaces STATUS_HINTS for some statuses: a 422 to a quote is the user's to fix.
        """
        if path not in READ_ONLY_POSTS:
            raise ValueError("byteful.proxy only POSTs to %s, never to %s" % (", ".join(READ_ONLY_POSTS), path))
        return self.request("POST", self._url(path), what, body=json.dumps(body).encode("utf-8"), hints=hints)

    def write(self, method, route, what, body=None, item_id=None, hints=None, confirm=None):
        """Send one of the WRITES (``route`` with ``{id}`` filled from ``item_id``) and return its ApiResponse.

        Anything not in WRITES raises ValueError before anything is sent. An edit is retried like a read
        (RESENDABLE_WRITES). A create or a delete whose answer is lost is never sent again blindly:
        ``confirm()`` reads the account and returns a true value when the write took effect after all;
        then write() returns None (the caller has what it read), else it is sent again, up to
        ``retries`` more times, with the backoff between attempts. ``hints`` as for post().
        """
        if (method, route) not in WRITES:
            raise ValueError("byteful.proxy only writes %s, never %s %s" % (
                ", ".join("%s %s" % write for write in WRITES), method, route))
        path = route
        if "{id}" in route:
            if not isinstance(item_id, str) or not _PATH_ID.match(item_id) or item_id in (".", ".."):
                raise ValueError("%s needs an id that is one path segment, got %r" % (route, item_id))
            path = route.replace("{id}", quote(item_id, safe=""))
        url = self._url(path)
        data = None if body is None else json.dumps(body).encode("utf-8")
        if method in RESENDABLE_WRITES:
            return self.request(method, url, what, body=data, hints=hints, data_optional=True)
        lost = 0
        while True:
            try:
                return self.request(method, url, what, body=data, hints=hints, resend=False, data_optional=True)
            except UncertainWrite as exc:
                lost += 1
                if confirm():
                    return None
                if lost > self.retries:
                    details = dict(exc.details, attempts=lost)
                    raise self._redactor.fail("%s; nothing was changed: a read after %s found no trace of it." % (
                        exc.message.rstrip("."), "each of the %d attempts" % lost if lost > 1 else "it"), **details)
                self._sleep(self._backoff(lost))

    def search(self, path, what, params=None, per_page=_paging.MAX_PER_PAGE, max_pages=_paging.DEFAULT_MAX_PAGES,
               narrow_with="the task's filters"):
        """Every item of the search at ``path`` with ``params``, page by page, as a SearchResult (see _paging.search)."""
        return _paging.search(self, path, what, params, per_page, max_pages, narrow_with)

    def first_page(self, path, what, params=None, per_page=1):
        """Only the first page of a search, as a SearchResult: enough to read total_count (see _paging.first_page)."""
        return _paging.first_page(self, path, what, params, per_page)

    def _url(self, path, params=None):
        query = query_string(params)
        return self.api_url + path + ("?" + query if query else "")
