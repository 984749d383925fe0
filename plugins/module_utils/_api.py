# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""The one place in byteful.proxy that talks HTTP to the Byteful API.

Modules run this file on the target and plugins on the controller, so it depends only on
the standard library and requests (imported on first use; the caller reports it missing).
"""

from __future__ import annotations

import email.utils
import importlib.util
import ipaddress
import json
import math
import os
import random
import re
import threading
import time
import unicodedata
import warnings
import zlib
from urllib.parse import urlencode, urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.byteful.proxy.plugins.module_utils import _limiter

# requests (and urllib3 under it) is imported on the first request, not with this file: the
# lookup answers most calls from its run cache, in a worker process forked for each host, and
# importing requests there would cost ~40 ms per host for nothing. Whether it is installed is
# checked here, cheaply, so that callers can report it with missing_required_lib().
HAS_REQUESTS = importlib.util.find_spec("requests") is not None
REQUESTS_IMPORT_ERROR = None if HAS_REQUESTS else "ModuleNotFoundError: No module named 'requests'"
_HTTP_LIBRARIES = []


def _http_libraries():
    """(requests, urllib3.exceptions), imported on first use."""
    if not _HTTP_LIBRARIES:
        import requests  # pylint: disable=import-outside-toplevel
        from urllib3 import exceptions  # pylint: disable=import-outside-toplevel

        _HTTP_LIBRARIES.append((requests, exceptions))
    return _HTTP_LIBRARIES[0]


# Kept equal to galaxy.yml's version by tests/unit/test_collection_metadata.py.
COLLECTION_VERSION = "0.2.0"
USER_AGENT = "byteful.proxy/%s (Ansible collection)" % COLLECTION_VERSION

DEFAULT_API_URL = "https://api.byteful.com/1.0"
DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 3
# Python's sockets reject timeouts beyond time_t, and an hour per attempt is never what a
# preflight gate means; the bound also keeps the worst case below finite.
MAX_TIMEOUT = 3600.0

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
MAX_RATE_LIMIT_WAIT = 3600.0
LIMITER_MIN_WAIT = 5.0
# An attempt is abandoned this long after its deadline even when the server keeps sending a
# byte now and then (the per-read timeout alone would let headers trickle in for hours); the
# grace lets the socket's own timeout report first in the ordinary cases.
DEADLINE_GRACE = 0.25
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))

# The API allows 10 requests per second per account; requests from one process are spaced
# by at least this much, so a loop of calls can never trip the limit on its own.
MIN_REQUEST_INTERVAL = 0.1

# Search answers are pages of at most MAX_PER_PAGE items (see search()); the collection never
# needs more pages than this for one question: beyond it the caller is asked to narrow the
# search, so that one task cannot spend minutes of the account's rate limit.
MAX_PER_PAGE = 100
DEFAULT_MAX_PAGES = 50

# The only POSTs the collection sends: each prices or reads, none buys or changes the account.
# post() refuses every other path before anything is sent (checkout/create spends money).
READ_ONLY_POSTS = ("/public/user/checkout/quote",)

# A Customer object is a few hundred bytes, a search page of 100 items some hundred kilobytes;
# anything far larger is no Byteful answer and is not read into memory.
MAX_BODY_BYTES = 1024 * 1024

# Compression. The client asks for Accept-Encoding: identity and reads the raw bytes
# (decode_content=False), so that urllib3 never decodes: urllib3 1.26 (which requests >= 2.28
# allows, and Debian 12 ships) and 2.0 decode a whole chunk at once, without a bound, so a
# 1.8 KB double-gzip answer became gigabytes before any size check could see it. Raising the
# minimum versions would not be enough (every urllib3 decodes stacked encodings), and refusing
# every encoded answer would break behind a proxy that compresses regardless. So an answer that
# comes compressed anyway is decoded here, layer by layer, each layer by zlib with its output
# capped at MAX_BODY_BYTES: the cap holds on compressed and on decoded bytes, with every urllib3.
# Only gzip and deflate are read; other encodings (br, zstd...) are refused with one sentence.
_DECODABLE = {"gzip": 32 + zlib.MAX_WBITS, "x-gzip": 32 + zlib.MAX_WBITS, "deflate": 32 + zlib.MAX_WBITS}
MAX_ENCODINGS = 2

# What the server says (its error code and message, request id, a Location header, the start of
# an HTML page) goes into one sentence, so it is made one plain line first: ANSI escapes, other
# control characters (C0, C1, DEL, line and paragraph separators) and bidi controls are removed,
# runs of white space become one space, and each part is cut to MAX_SERVER_TEXT characters.
MAX_SERVER_TEXT = 200
_ANSI_ESCAPE = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clear screen
                          r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # OSC: titles, hyperlinks
                          r"|(?:\x1b[P^_X]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)"  # DCS, SOS, PM, APC
                          r"|\x1b[ -/]*[0-~]?")  # any other escape
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+")

# The data object is passed through to Ansible (return values, templates, the run cache), and a
# member nested hundreds of levels deep makes those recurse until Python gives up. No Byteful
# field is nested at all; a member deeper than this is left out, with a warning.
MAX_DATA_DEPTH = 32

KEY_ENV_HINT = "check api_public_key and api_private_key (or BYTEFUL_API_PUBLIC_KEY and BYTEFUL_API_PRIVATE_KEY)"
KEY_ENV_VARS = {"api_public_key": "BYTEFUL_API_PUBLIC_KEY", "api_private_key": "BYTEFUL_API_PRIVATE_KEY"}

# What to do, by HTTP status, for the last part of an error sentence.
STATUS_HINTS = {
    400: "the API rejected the request; please report it to byteful.proxy with the request id",
    401: KEY_ENV_HINT,
    403: "the keys are valid but may not read this resource; check the account's API access in the Byteful dashboard",
    404: "check that api_url is the API root, for example %s" % DEFAULT_API_URL,
    422: "the API rejected the request; please report it to byteful.proxy with the request id",
    429: "the account's rate limit (10 requests per second) is exhausted; rerun later or run fewer jobs against this account at once",
}
SERVER_ERROR_HINT = "the Byteful API is failing; try again later"

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

_throttle_lock = threading.Lock()
_last_request_at = [float("-inf")]


class BytefulError(Exception):
    """Any failure of byteful.proxy: the message is one sentence that is safe to show.

    ``details`` carries the machine-readable parts (HTTP status, API error code and message,
    request id) for a module's ``failure`` return value.
    """

    def __init__(self, message, **details):
        super().__init__(message)
        self.message = message
        self.details = {k: v for k, v in details.items() if v is not None}


class OptionError(BytefulError, ValueError):
    """A value given by the user (a task option, a role variable) that the collection cannot use.

    Both a BytefulError (one sentence, safe to show) and a ValueError (a bad argument).
    """


class ApiResponse:
    """A successful API answer: the envelope's ``data`` object and what identifies the call.

    ``counts`` holds the envelope's integer paging members (item_count, page, per_page,
    total_count) that were present as integers.
    """

    def __init__(self, data, url, status, request_id=None, counts=None):
        self.data = data
        self.url = url
        self.status = status
        self.request_id = request_id
        self.counts = counts or {}


class SearchResult:
    """Every item of a paginated search, with what the API said about them.

    ``total_count`` is None when the API sent -1 ("too many to count") or no count at all;
    ``request_id`` is the last page's.
    """

    def __init__(self, items, total_count, pages, request_id):
        self.items = items
        self.total_count = total_count
        self.pages = pages
        self.request_id = request_id


_PAGING_MEMBERS = ("item_count", "page", "per_page", "total_count")


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


def server_text(value, limit=MAX_SERVER_TEXT):
    """Text from the server as one plain line of at most ``limit`` characters (see _ANSI_ESCAPE, _UNPRINTABLE)."""
    text = _UNPRINTABLE.sub(" ", _ANSI_ESCAPE.sub("", str(value)))
    text = " ".join(text.split())
    return text if limit is None or len(text) <= limit else text[:limit - 3].rstrip() + "..."


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


# ASCII digits only: str.isdigit() also accepts "²", which int() and float() refuse.
_DIGITS = re.compile(r"[0-9]+\Z")


def _retry_after_seconds(value, now=None):
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if _DIGITS.match(value):
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


def _short_reason(exc):
    """The innermost useful words of a requests/urllib3 exception, without the URL noise."""
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if match:
        return match.group(1).strip()
    # urllib3's "Connection broken: IncompleteRead(217 bytes read, 218 more expected)".
    match = re.search(r"IncompleteRead\((\d+) bytes read, (\d+) more expected\)", text)
    if match:
        return "after %d of %d bytes" % (int(match.group(1)), int(match.group(1)) + int(match.group(2)))
    # "certificate verify failed: self-signed certificate (_ssl.c:1006)": stop before the
    # parenthesis, which only names OpenSSL's source file.
    match = re.search(r"(certificate verify failed[^'\"()\]]*)", text)
    if match:
        return match.group(1).strip()
    match = re.search(r"\[(?:SSL|X509|PEM): [A-Z0-9_]+\] ([^'\"()\]]+)", text)
    if match:
        return match.group(1).strip()
    if "Read timed out" in text or "timed out" in text:
        return "timed out"
    return type(exc).__name__


def json_type(value):
    """The JSON name of a decoded value's type, for messages ("integer", "boolean", "array"...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):  # before int: bool is an int in Python but not in JSON
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


class BytefulClient:
    """A small Byteful API client on one requests.Session.

    Build it with :meth:`from_options` from a dict holding the CONNECTION_OPTIONS (a module's
    params or a lookup's options). ``sleep``, ``clock`` and ``session`` are injectable so tests
    can check the retry policy without waiting.
    """

    def __init__(self, api_url, public_key, private_key, validate_certs=True, ca_path=None,
                 timeout=DEFAULT_TIMEOUT, retries=DEFAULT_RETRIES, allow_insecure_http=False, session=None,
                 sleep=time.sleep, clock=time.monotonic, wall_clock=time.time, option_names=None, keys_where=None,
                 rate_limit_wait=DEFAULT_RATE_LIMIT_WAIT):
        self._private_key = private_key if isinstance(private_key, str) else ""
        # Messages about the keys use the words of the caller's users: the role says
        # byteful_api_private_key, the module api_private_key; ``keys_where`` ends "set them in ...".
        self._key_names = dict(option_names or {})
        self._keys_where = keys_where or "the task's options"
        # One-sentence warnings for the caller to show (module.warn, Display.warning): the
        # client decides what deserves one, the plugins only display them.
        self.warnings = []
        self.api_url = self._check_url(api_url, allow_insecure_http)
        missing = [option for option, value in (("api_public_key", public_key), ("api_private_key", private_key))
                   if not value]
        if missing:  # both at once: fixing one only to be told of the other is a wasted run
            raise BytefulError(self._missing_keys_message(missing))
        self._check_key(self._key_name("api_public_key"), "BYTEFUL_API_PUBLIC_KEY", public_key)
        self._check_key(self._key_name("api_private_key"), "BYTEFUL_API_PRIVATE_KEY", private_key)
        if (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout)
                or not 0 < timeout <= MAX_TIMEOUT):
            raise BytefulError("timeout must be a positive number of seconds, at most %d, got %r." % (MAX_TIMEOUT, timeout))
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise BytefulError("retries must be 0 or more, got %r." % (retries,))
        if (isinstance(rate_limit_wait, bool) or not isinstance(rate_limit_wait, (int, float))
                or not math.isfinite(rate_limit_wait) or not 0 <= rate_limit_wait <= MAX_RATE_LIMIT_WAIT):
            raise BytefulError("rate_limit_wait must be a number of seconds from 0 to %d, got %r." % (MAX_RATE_LIMIT_WAIT, rate_limit_wait))
        self.rate_limit_wait = float(rate_limit_wait)
        self.public_key = public_key
        self.timeout = float(timeout)
        self.retries = retries
        https = self.api_url.startswith("https:")
        if https and validate_certs and ca_path and not os.path.exists(ca_path):
            # requests would raise a bare OSError, outside its own exception tree.
            raise BytefulError("ca_path %r does not exist; set it to a PEM file, or a directory, of CA certificates." % ca_path)
        if https and not validate_certs:
            self.warnings.append(
                "validate_certs is false, so the TLS certificate of %s is not verified and whoever answers in its place "
                "receives the private key; set ca_path to the CA that signed it instead, or keep this to a test server."
                % urlsplit(self.api_url).hostname)
        self.verify = (ca_path or True) if validate_certs else False
        self._sleep = sleep
        self._clock = clock
        self._wall_clock = wall_clock
        self._session = session
        self._headers = {
            "X-API-Public-Key": public_key,
            "X-API-Private-Key": private_key,
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            # See _DECODABLE: an answer that comes compressed anyway is decoded here, boundedly.
            "Accept-Encoding": "identity",
        }
        self._pace = self._shared_pace()

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
        if not isinstance(api_url, str):
            raise BytefulError("api_url must be a string such as %s, got %s." % (DEFAULT_API_URL, json_type(api_url)))
        try:
            parts = urlsplit(api_url)
            # .port raises ValueError for a port that is not a number; requests would raise it later, as a traceback.
            usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
        except ValueError:
            parts, usable = None, False
        if not usable:
            raise BytefulError(self.redact(
                "api_url %r is not an absolute http(s) URL; set it to the API root, for example %s."
                % (api_url, DEFAULT_API_URL)))
        if parts.username is not None or parts.password is not None:
            # requests would send them as Basic auth: a second secret in the URL, shown in every message.
            raise BytefulError("api_url must not hold a user name or password; the keys go in api_public_key and "
                               "api_private_key, set it to the API root, for example %s." % DEFAULT_API_URL)
        if parts.query or parts.fragment:
            raise BytefulError(self.redact(
                "api_url %r must not have a query string or fragment; set it to the API root, for example %s."
                % (api_url, DEFAULT_API_URL)))
        host = parts.hostname
        if parts.scheme == "http" and not _is_loopback(host):
            if not allow_insecure_http:
                raise BytefulError(self.redact(
                    "api_url %r uses plain http to %s, which would send the private key in clear text; use https, or "
                    "set allow_insecure_http to true for a test server on a network you trust." % (api_url, host)))
            self.warnings.append("api_url uses plain http to %s because allow_insecure_http is true, so the private key "
                                 "crosses the network in clear text; use https outside a test network." % host)
        return api_url.rstrip("/")

    def _key_name(self, option):
        return self._key_names.get(option, option)

    def _missing_keys_message(self, missing):
        names = " and ".join(self._key_name(option) for option in missing)
        variables = " and ".join(KEY_ENV_VARS[option] for option in missing)
        if len(missing) == 1:
            return "%s is not set; set it in %s or in the %s environment variable." % (names, self._keys_where, variables)
        return "%s are not set; set them in %s or in the %s environment variables." % (names, self._keys_where, variables)

    def _keys_hint(self):
        if not self._key_names:
            return KEY_ENV_HINT
        return "check %s and %s" % (self._key_name("api_public_key"), self._key_name("api_private_key"))

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

    def _shared_pace(self):
        """The account's pace shared with this user's other processes (see _limiter.py), or None.

        Without a private directory for it, requests are still spaced within this process,
        and a warning says that parallel runs are not coordinated.
        """
        try:
            directory = _limiter.private_directory()
        except OSError as exc:
            self.warnings.append("Requests of parallel runs against this account are not coordinated on this machine "
                                 "(%s); run fewer jobs against one account at once." % server_text(exc))
            return None
        name = _limiter.account_digest(self.api_url, self.public_key, self._private_key) + ".pace"
        return _limiter.SharedPace(os.path.join(directory, name), clock=self._clock, sleep=self._sleep)

    def redact(self, text):
        """Remove the private key from any text that could reach the user."""
        text = str(text)
        if self._private_key and len(self._private_key) >= 4:
            text = text.replace(self._private_key, "********")
        return text

    def _server_text(self, value, limit=MAX_SERVER_TEXT):
        """What the server said, as one plain, short line without the private key.

        Redacted before and after the clean-up: a key split by escape sequences is whole again
        once they are removed.
        """
        return server_text(self.redact(server_text(self.redact(value), limit=None)), limit)

    def _redacted(self, value):
        """value with the private key removed from every string in it (details, data)."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {self._redacted(k): self._redacted(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._redacted(v) for v in value]
        return value

    def _fail(self, message, **details):
        """The BytefulError for message and details, with the private key removed from every string of both."""
        return BytefulError(self.redact(message), **{name: self._redacted(value) for name, value in details.items()})

    # -- the request -----------------------------------------------------------------

    def get(self, path, what, params=None):
        """GET ``path`` under api_url and return an :class:`ApiResponse` for its ``data`` object.

        ``what`` starts every error sentence ("Retrieving the Byteful customer"); ``params`` is
        sent as the query string (see query_string). Raises :class:`BytefulError` with a
        one-sentence message on any failure.
        """
        return self._request("GET", path, what, params=params)

    def post(self, path, what, body, hints=None):
        """POST ``body`` as JSON to ``path`` and return an :class:`ApiResponse`.

        Only the paths of READ_ONLY_POSTS are allowed; any other raises ValueError before
        anything is sent: the collection never buys or changes the account. Such a POST is
        retried like a GET, which is safe because it only prices (a quote changes nothing).
        ``hints`` replaces STATUS_HINTS for some statuses: a 422 to a quote is the user's to fix.
        """
        if path not in READ_ONLY_POSTS:
            raise ValueError("byteful.proxy only POSTs to %s, never to %s" % (", ".join(READ_ONLY_POSTS), path))
        return self._request("POST", path, what, body=json.dumps(body).encode("utf-8"), hints=hints)

    def search(self, path, what, params=None, per_page=MAX_PER_PAGE, max_pages=DEFAULT_MAX_PAGES,
               narrow_with="the task's filters"):
        """Every item of the search at ``path`` with ``params``, page by page, as a :class:`SearchResult`.

        Stops at a short or empty page, or once total_count items have come. A search with more
        than ``max_pages`` pages fails with one sentence that suggests ``narrow_with``. Every page
        goes through the same retries, pace and redaction as get().
        """
        if isinstance(per_page, bool) or not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
            raise ValueError("per_page must be an integer from 1 to %d, got %r" % (MAX_PER_PAGE, per_page))
        if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
            raise ValueError("max_pages must be a positive integer, got %r" % (max_pages,))
        params = dict(params or {})
        items = []
        total_count = None
        page = 0
        request_id = None
        while True:
            page += 1
            response = self._page(path, what, params, page, per_page)
            request_id = response.request_id or request_id
            data = response.data
            if page > max_pages:
                if data:
                    raise self._too_many_pages(what, path, max_pages, per_page, narrow_with, request_id)
                break
            items.extend(data)
            counts = response.counts
            if page == 1:
                reported = counts.get("total_count")
                total_count = reported if reported is not None and reported >= 0 else None
                if total_count is not None and total_count > max_pages * per_page:
                    # Known to be too many: fail now rather than after max_pages calls.
                    raise self._too_many_pages(what, path, max_pages, per_page, narrow_with, request_id)
            # The API may serve fewer per page than asked (it says so in per_page): a page is
            # short against what it serves, or the search would stop after the first page.
            served = counts.get("per_page")
            page_size = served if served is not None and 1 <= served < per_page else per_page
            if len(data) < page_size or (total_count is not None and len(items) >= total_count):
                break
        return SearchResult(items, total_count, page, request_id)

    def first_page(self, path, what, params=None, per_page=1):
        """Only the first page of a search, as a :class:`SearchResult`: enough to read total_count."""
        if isinstance(per_page, bool) or not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
            raise ValueError("per_page must be an integer from 1 to %d, got %r" % (MAX_PER_PAGE, per_page))
        response = self._page(path, what, params, 1, per_page)
        total_count = response.counts.get("total_count")
        return SearchResult(response.data, total_count if total_count is not None and total_count >= 0 else None, 1,
                            response.request_id)

    def _page(self, path, what, params, page, per_page):
        """One page of a search: an ApiResponse whose data is a list (checked here)."""
        response = self._request("GET", path, what, params=dict(params or {}, page=page, per_page=per_page))
        if not isinstance(response.data, list):
            raise self._fail("%s at %s returned HTTP %d with a 'data' member that is a JSON %s instead of an array of "
                             "items; check that api_url is the Byteful API root." % (
                                 what, response.url, response.status, json_type(response.data)),
                             url=response.url, status=response.status, request_id=response.request_id)
        return response

    def _too_many_pages(self, what, path, max_pages, per_page, narrow_with, request_id):
        return self._fail("%s at %s has more than %d pages of %d; narrow the search with %s; the collection stops there "
                          "so that one task cannot spend minutes of the rate limit." % (
                              what, self.api_url + path, max_pages, per_page, narrow_with),
                          url=self.api_url + path, reason="too many pages", request_id=request_id)

    def _request(self, method, path, what, params=None, body=None, hints=None):
        """One API call, retried under the policy above; every method and every page comes through here."""
        query = query_string(params)
        url = self.api_url + path + ("?" + query if query else "")
        if self._session is None:
            # Before taking a turn: importing requests costs a few hundred milliseconds of CPU
            # when many processes start at once, and a turn must be used when it is given.
            requests, dummy = _http_libraries()
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
        while True:
            attempt += 1
            pace = self._take_turn(started, ticket)
            if pace is None and refused is not None:
                # The turn that did not come was held back by this request's own 429s: report the
                # API's refusal, not other runs.
                raise self._status_error(url, what, 429, refused[1], refused[0], attempt - 1,
                                         extra="still refused after %.1f s of the %g s rate_limit_wait allows"
                                         % (self._clock() - started, self.rate_limit_wait))
            if pace is None:
                raise self._fail(
                    "%s at %s was not sent: other runs on this machine against the same account are using its rate "
                    "limit, and no turn came within %g s; raise rate_limit_wait or run fewer jobs against this account "
                    "at once." % (what, url, max(self.rate_limit_wait, LIMITER_MIN_WAIT)),
                    url=url, reason="rate limit", attempts=attempt - 1)
            try:
                status, headers, answer = self._send(url, what, method, body)
            except _TransientError as exc:
                failures += 1
                if failures > self.retries or not exc.retry:
                    raise self._fail("%s at %s %s%s; %s." % (what, url, exc.reason, _after(attempt), exc.hint),
                                     url=url, reason=exc.reason, attempts=attempt)
                self._sleep(self._backoff(failures))
                continue

            if status == 429:
                throttled += 1
                refused = (headers, answer)
                asked = _retry_after_seconds(headers.get("Retry-After"), self._wall_clock())
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
                    raise self._status_error(url, what, status, answer, headers, attempt,
                                             extra="the API asked to wait %d s, more than the %d s this client waits"
                                             % (math.ceil(asked), RETRY_AFTER_MAX))
                if asked is not None and asked > left:
                    raise self._status_error(url, what, status, answer, headers, attempt,
                                             extra="the API asked to wait %d s, more than the %.1f s left of the %g s "
                                             "rate_limit_wait allows" % (math.ceil(asked), max(0.0, left), self.rate_limit_wait))
                if wait > left:
                    raise self._status_error(url, what, status, answer, headers, attempt,
                                             extra=None if self.rate_limit_wait == 0 else
                                             "still refused after %.1f s of the %g s rate_limit_wait allows"
                                             % (self._clock() - started, self.rate_limit_wait))
                self._sleep(wait)
                continue
            if status in RETRY_STATUSES and failures < self.retries:
                failures += 1
                self._sleep(self._backoff(failures))
                continue
            return self._parse(url, what, status, headers, answer, attempt, hints)

    def _backoff(self, attempt):
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
                                 "machine (%s)." % server_text(exc))
            self._pace = None
            return MIN_REQUEST_INTERVAL
        return pace

    def _throttle(self):
        with _throttle_lock:
            wait = _last_request_at[0] + MIN_REQUEST_INTERVAL - self._clock()
            if wait > 0:
                self._sleep(wait)
            _last_request_at[0] = self._clock()

    def _send(self, url, what, method="GET", body=None):
        """One HTTP exchange: (status, headers, body bytes), bounded in time and size.

        The exchange runs in a helper thread so that it can be abandoned at its deadline:
        socket timeouts bound each read, not the whole answer, and not name resolution.
        """
        deadline = self._clock() + self.timeout
        outcome = {}

        def exchange():
            # Whatever the exchange raises is raised again in the caller's thread, below.
            try:
                outcome["result"] = self._exchange(url, what, deadline, outcome, method, body)
            except BaseException as exc:  # pylint: disable=broad-exception-caught
                outcome["error"] = exc

        worker = threading.Thread(target=exchange, name="byteful-request", daemon=True)
        worker.start()
        # Real time, not self._clock: the deadline was set an instant ago, and a test's fake
        # clock must not make the wait shorter than the worker needs to start.
        worker.join(self.timeout + DEADLINE_GRACE)
        if worker.is_alive():
            # Left to finish on its own: it closes its response when its read loop sees the deadline.
            if outcome.get("answering"):
                raise _TransientError("did not finish its answer within %g s" % self.timeout,
                                      "raise timeout or check the network path to the API")
            raise _TransientError("did not answer within %g s" % self.timeout,
                                  "raise timeout or check the network path to the API")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]

    def _exchange(self, url, what, deadline, progress, method="GET", body=None):
        requests, urllib3_exceptions = _http_libraries()
        try:
            with warnings.catch_warnings():
                if self.verify is False:
                    # validate_certs false already gave our own warning, once; urllib3 would add one per request.
                    warnings.simplefilter("ignore", urllib3_exceptions.InsecureRequestWarning)
                options = dict(timeout=(self.timeout, self.timeout), verify=self.verify, allow_redirects=False,
                               stream=True)
                if method == "POST":
                    response = self._session.post(url, data=body, headers=dict(self._headers, **{
                        "Content-Type": "application/json"}), **options)
                else:
                    response = self._session.get(url, headers=self._headers, **options)
        except requests.exceptions.SSLError as exc:
            reason = _short_reason(exc)
            if "certificate verify failed" in reason:
                raise BytefulError(self.redact(
                    "%s failed: the TLS certificate of %s could not be verified (%s); set ca_path to the CA bundle "
                    "that signed it, or validate_certs to false for a test server only." % (what, url, reason)),
                    url=url, reason="tls")
            raise BytefulError(self.redact(
                "%s failed: the TLS handshake with %s failed (%s); check that api_url is the https address of the API "
                "and that ca_path is a PEM file of CA certificates." % (what, url, reason)), url=url, reason="tls")
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            reason = _short_reason(exc)
            if reason == "timed out":
                raise _TransientError("did not answer within %g s" % self.timeout,
                                      "raise timeout or check the network path to the API")
            raise _TransientError("could not be reached (%s)" % reason,
                                  "check api_url and the network path (DNS, proxy, firewall)")
        except requests.exceptions.RequestException as exc:
            raise BytefulError(self.redact("%s at %s failed before any answer (%s); check api_url."
                                           % (what, url, _short_reason(exc))), url=url)
        progress["answering"] = True
        try:
            return response.status_code, response.headers, self._read_body(response, deadline)
        finally:
            response.close()

    def _read_body(self, response, deadline):
        requests, urllib3_exceptions = _http_libraries()
        length = (response.headers.get("Content-Length") or "").strip()
        if _DIGITS.match(length) and int(length) > MAX_BODY_BYTES:
            raise _TransientError("sent a %s-byte body, more than the %d bytes a Byteful API answer can need"
                                  % (length, MAX_BODY_BYTES), "check api_url", retry=False)
        encodings = [coding.strip().lower() for coding in (response.headers.get("Content-Encoding") or "").split(",")
                     if coding.strip().lower() not in ("", "identity")]
        unreadable = [coding for coding in encodings if coding not in _DECODABLE]
        if unreadable or len(encodings) > MAX_ENCODINGS:
            raise _TransientError("sent its answer with Content-Encoding %s although it was asked for identity, which this "
                                  "client does not decode" % server_text(", ".join(encodings), 60),
                                  "check api_url, or a proxy between this machine and the API", retry=False)
        raw = response.raw
        # read1() returns what has arrived instead of waiting to fill the buffer, so a server that
        # trickles bytes cannot stretch the response past the deadline (urllib3 >= 2).
        read = getattr(raw, "read1", None) or raw.read
        chunks = []
        size = 0
        try:
            while True:
                if self._clock() > deadline:
                    raise _TransientError("did not finish its answer within %g s" % self.timeout,
                                          "raise timeout or check the network path to the API")
                # The raw bytes, never decoded by urllib3: see _DECODABLE.
                chunk = read(65536, decode_content=False)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise _TransientError("sent more than the %d bytes a Byteful API answer can need" % MAX_BODY_BYTES,
                                          "check api_url", retry=False)
                chunks.append(chunk)
        except (requests.exceptions.RequestException, urllib3_exceptions.HTTPError, OSError) as exc:
            # raw reads raise urllib3's own errors (ReadTimeoutError, ProtocolError), not requests'.
            raise _TransientError("broke off its answer (%s)" % _short_reason(exc),
                                  "raise timeout or check the network path to the API")
        if _DIGITS.match(length) and size < int(length):
            # read1() ends quietly when the connection closes early; the cut is the network's
            # doing (worth a retry), not a body that fails to be JSON. The raw bytes are counted,
            # as Content-Length counts them, compressed or not.
            raise _TransientError("broke off its answer (after %d of %s bytes)" % (size, length),
                                  "raise timeout or check the network path to the API")
        body = b"".join(chunks)
        for coding in reversed(encodings):
            body = _inflate(body, coding)
        return body

    # -- reading the answer -------------------------------------------------------------

    def _parse(self, url, what, status, headers, body, attempt, hints=None):
        if 300 <= status < 400:
            raise self._fail(
                "%s at %s was answered with a redirect (HTTP %d to %s), which this client does not follow so that the "
                "keys are never sent to another address; set api_url to the API root, for example %s."
                % (what, url, status, self._server_text(headers.get("Location", "nowhere")), DEFAULT_API_URL),
                url=url, status=status)
        document, problem = self._decode(body)
        if not 200 <= status < 300:
            raise self._status_error(url, what, status, body, headers, attempt, document=document, hints=hints)
        if problem:
            raise self._fail("%s at %s returned HTTP %d with %s; check that api_url is the Byteful API root."
                             % (what, url, status, problem), url=url, status=status)
        if not isinstance(document, dict):
            raise self._fail("%s at %s returned HTTP %d with a JSON %s instead of an object; check that api_url is the "
                             "Byteful API root." % (what, url, status, json_type(document)),
                             url=url, status=status)
        request_id = self._request_id(document)
        if "data" not in document:
            raise self._fail("%s at %s returned HTTP %d without a 'data' member (keys: %s); check that "
                             "api_url is the Byteful API root." % (
                                 what, url, status,
                                 self._server_text(", ".join(sorted(str(k) for k in document)[:10])) or "none"),
                             url=url, status=status, request_id=request_id)
        counts = {name: document[name] for name in _PAGING_MEMBERS
                  if isinstance(document.get(name), int) and not isinstance(document.get(name), bool)}
        return ApiResponse(self._passed_through(document["data"]), url, status, request_id, counts)

    def _request_id(self, envelope):
        request_id = envelope.get("api_request_id")
        if isinstance(request_id, bool) or not isinstance(request_id, (str, int)):
            return None
        return self._server_text(request_id, 80) or None

    def _passed_through(self, data):
        """The data object as Ansible may see it: no private key in any string, no member nested too deeply.

        A member of the object (of each object of a search's array) nested deeper than
        MAX_DATA_DEPTH is left out, with a warning.
        """
        if isinstance(data, dict):
            return self._members_bounded(data, 1)
        if isinstance(data, list):
            # A search page: each item is kept, only its too-deep members are left out, so that
            # one hostile member cannot empty the page (an empty page ends a search).
            return [self._members_bounded(item, 2) if isinstance(item, dict) else self._item_bounded(item)
                    for item in data]
        return self._bounded(data, 0)  # a scalar: the schema refuses it

    def _members_bounded(self, data, depth):
        kept = {}
        for name, value in data.items():
            try:
                kept[self.redact(name)] = self._bounded(value, depth)
            except _TooDeep:
                self.warnings.append("The Byteful API's answer has a member %r nested more than %d levels deep, which "
                                     "no Byteful field is; it is left out of the result." % (
                                         self._server_text(name, 60), MAX_DATA_DEPTH))
        return kept

    def _item_bounded(self, item):
        try:
            return self._bounded(item, 1)
        except _TooDeep:
            # Not an object: the schema refuses it whatever it held, without looking inside.
            return []

    def _bounded(self, value, depth):
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, (dict, list)):
            if depth >= MAX_DATA_DEPTH:
                raise _TooDeep()
            if isinstance(value, dict):
                return {self.redact(k): self._bounded(v, depth + 1) for k, v in value.items()}
            return [self._bounded(v, depth + 1) for v in value]
        return value

    def _decode(self, body):
        """(document, None) for a JSON body, or (None, words saying what the body is)."""
        if not body:
            return None, "an empty body"
        try:
            return json.loads(body.decode("utf-8"), parse_constant=_refuse_constant), None
        except UnicodeDecodeError:
            return None, "a body that is not UTF-8 text"
        except RecursionError:
            return None, "JSON nested too deeply to be an API answer"
        except ValueError as exc:
            # The start of the page, for the sentence: decoded whole first, so that a key it
            # quotes is redacted before the cut can leave half of it.
            start = self._server_text(body.decode("utf-8", "replace"), 40)
            if start.startswith("<"):
                return None, "an HTML page instead of JSON (%r)" % start
            return None, "a body that is not valid JSON (%s)" % exc

    def _status_error(self, url, what, status, body, headers, attempt, document=None, extra=None, hints=None):
        """The BytefulError for an HTTP error status, with the API's own words when it sent any."""
        problem = None
        if document is None:
            document, problem = self._decode(body)
        envelope = document if isinstance(document, dict) else {}
        api_error = self._server_text(envelope["error"]) if isinstance(envelope.get("error"), str) else None
        api_message = self._server_text(envelope["message"]) if isinstance(envelope.get("message"), str) else None
        request_id = self._request_id(envelope)

        said = ": ".join(part for part in (api_error, api_message) if part)
        if request_id is not None:
            said = "%s; request id %s" % (said, request_id) if said else "request id %s" % request_id
        if not said and problem and body:
            said = problem
        two_factor = _two_factor_hint(envelope) if status == 403 else None
        if two_factor:
            hint = two_factor
        elif status >= 500:
            hint = SERVER_ERROR_HINT
        elif status == 401:
            hint = self._keys_hint()
        else:
            hint = (hints or {}).get(status) or STATUS_HINTS.get(status, "see the API's message")
        if extra:
            hint = "%s; %s" % (extra, hint)
        message = "%s at %s failed with HTTP %d%s%s; %s." % (
            what, url, status, " (%s)" % said if said else "", _after(attempt), hint)
        return self._fail(message, url=url, status=status, error=api_error or None, api_message=api_message or None,
                          request_id=request_id, attempts=attempt)


class _TooDeep(Exception):
    """A value nested deeper than MAX_DATA_DEPTH."""


def _inflate(body, coding):
    """One layer of gzip or deflate decoded, its output capped at MAX_BODY_BYTES (see _DECODABLE)."""
    decoder = zlib.decompressobj(_DECODABLE[coding])
    try:
        decoded = decoder.decompress(body, MAX_BODY_BYTES + 1)
    except zlib.error:
        raise _TransientError("sent a %s answer that does not decompress" % coding, "check api_url", retry=False) from None
    if len(decoded) > MAX_BODY_BYTES or decoder.unconsumed_tail:
        raise _TransientError("sent a compressed answer of more than the %d bytes a Byteful API answer can need" % MAX_BODY_BYTES,
                              "check api_url", retry=False)
    return decoded


def _after(attempt):
    return " after %d attempts" % attempt if attempt > 1 else ""


def _two_factor_hint(envelope):
    """What to do about a 403 that asks for two-factor confirmation, or None for any other 403.

    Two shapes: the simulator's older {"two_factor_required": true, "two_factor_methods": [...]}
    and the live API's two_factor_authentication_public_key, _service (e.g. "email") and _target
    (a masked address). The challenge's public key is never shown: it belongs to the
    confirmation, not to the user. Service and target are server text, so they are cut short.
    """
    live = ("two_factor_authentication_public_key", "two_factor_authentication_service",
            "two_factor_authentication_target")
    if not envelope.get("two_factor_required") and all(envelope.get(name) is None for name in live):
        return None
    methods = envelope.get("two_factor_methods")
    service = envelope.get("two_factor_authentication_service")
    if not isinstance(service, str) and isinstance(methods, list):
        service = " or ".join(m for m in methods if isinstance(m, str))
    service = _printable(service, 20)
    target = _printable(envelope.get("two_factor_authentication_target"), 40)
    through = (" through %s" % service if service else "") + (" (sent to %s)" % target if target else "")
    return ("the account requires two-factor confirmation%s, which an unattended run cannot give; complete it in "
            "the Byteful dashboard, or turn off two-factor confirmation for API access there, then rerun" % through)


def _printable(text, limit):
    """Server text fit for one line of a message (printable characters, at most ``limit``), or '' for a non-string."""
    if not isinstance(text, str):
        return ""
    text = "".join(c for c in text if c.isprintable()).strip()
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _refuse_constant(name):
    # Python's json reads NaN and Infinity, which are not JSON and compare with nothing.
    raise ValueError("%s is not a JSON value" % name)


class _TransientError(Exception):
    """A failure worth another attempt (connection refused, timeout, broken answer)."""

    def __init__(self, reason, hint, retry=True):
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
        self.retry = retry
