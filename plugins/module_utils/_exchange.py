# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""One HTTP exchange with the API: the request sent, the answer's raw bytes read, bounded in time and size.

The request loop (_transport.py) calls :func:`send` once per attempt. A failure worth another
attempt is a TransientError; one that is not (TLS, a request that cannot be sent) a BytefulError.
"""

from __future__ import annotations

import importlib.util
import re
import threading
import warnings
import zlib

from ansible_collections.byteful.proxy.plugins.module_utils._errors import TransientError

# requests (and urllib3 under it) is imported on the first request, not with this file: the
# lookup answers most calls from its run cache, in a worker process forked for each host, and
# importing requests there would cost ~40 ms per host for nothing. Whether it is installed is
# checked here, cheaply, so that callers can report it with missing_required_lib().
HAS_REQUESTS = importlib.util.find_spec("requests") is not None
REQUESTS_IMPORT_ERROR = None if HAS_REQUESTS else "ModuleNotFoundError: No module named 'requests'"
_HTTP_LIBRARIES = []


def http_libraries():
    """(requests, urllib3.exceptions), imported on first use."""
    if not _HTTP_LIBRARIES:
        import requests  # pylint: disable=import-outside-toplevel
        from urllib3 import exceptions  # pylint: disable=import-outside-toplevel

        _HTTP_LIBRARIES.append((requests, exceptions))
    return _HTTP_LIBRARIES[0]


# An attempt is abandoned this long after its deadline even when the server keeps sending a
# byte now and then (the per-read timeout alone would let headers trickle in for hours); the
# grace lets the socket's own timeout report first in the ordinary cases.
DEADLINE_GRACE = 0.25

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

# ASCII digits only: str.isdigit() also accepts "²", which int() and float() refuse.
DIGITS = re.compile(r"[0-9]+\Z")

# What to do, for the end of a sentence; %(timeout)s... are the names the user set the options as.
SLOW_HINT = "raise %(timeout)s or check the network path to the API"
UNREACHABLE_HINT = "check %(api_url)s and the network path (DNS, proxy, firewall)"
NOT_AN_ANSWER_HINT = "check %(api_url)s"


def send(session, method, url, what, headers, body, verify, timeout, clock, redactor, names):
    """One HTTP exchange: (status, headers, body bytes), bounded in time and size.

    The exchange runs in a helper thread so that it can be abandoned at its deadline:
    socket timeouts bound each read, not the whole answer, and not name resolution.
    ``redactor`` (_errors.Redactor) passes what the server or the network said; ``names`` maps
    each connection option to the name the user set it as.
    """
    deadline = clock() + timeout
    outcome = {}

    def exchange():
        # Whatever the exchange raises is raised again in the caller's thread, below.
        try:
            outcome["result"] = _exchange(session, method, url, what, headers, body, verify, timeout, deadline, clock,
                                          redactor, names, outcome)
        except BaseException as exc:  # pylint: disable=broad-exception-caught
            outcome["error"] = exc

    worker = threading.Thread(target=exchange, name="byteful-request", daemon=True)
    worker.start()
    # Real time, not the clock given: the deadline was set an instant ago, and a test's fake
    # clock must not make the wait shorter than the worker needs to start.
    worker.join(timeout + DEADLINE_GRACE)
    if worker.is_alive():
        # Left to finish on its own: it closes its response when its read loop sees the deadline.
        if outcome.get("answering"):
            raise TransientError("did not finish its answer within %g s" % timeout, SLOW_HINT % names, kind="timeout")
        raise TransientError("did not answer within %g s" % timeout, SLOW_HINT % names, kind="timeout")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _exchange(session, method, url, what, headers, body, verify, timeout, deadline, clock, redactor, names, progress):
    requests, urllib3_exceptions = http_libraries()
    try:
        with warnings.catch_warnings():
            if verify is False:
                # validate_certs false already gave the client's own warning, once; urllib3 would add one per request.
                warnings.simplefilter("ignore", urllib3_exceptions.InsecureRequestWarning)
            options = dict(timeout=(timeout, timeout), verify=verify, allow_redirects=False, stream=True)
            # session.get, .post, .patch or .delete: a body is always JSON.
            if body is not None:
                response = getattr(session, method.lower())(
                    url, data=body, headers=dict(headers, **{"Content-Type": "application/json"}), **options)
            else:
                response = getattr(session, method.lower())(url, headers=headers, **options)
    except requests.exceptions.SSLError as exc:
        # The reason may quote the server's certificate: it passes the redactor like any server text.
        reason = redactor.text(_short_reason(exc))
        if "certificate verify failed" in reason:
            raise redactor.fail(
                "%s failed: the TLS certificate of %s could not be verified (%s); set %s to the CA bundle that signed "
                "it, or %s to false for a test server only." % (what, url, reason, names["ca_path"],
                                                                names["validate_certs"]), url=url, reason="tls")
        raise redactor.fail(
            "%s failed: the TLS handshake with %s failed (%s); check that %s is the https address of the API and that "
            "%s is a PEM file of CA certificates." % (what, url, reason, names["api_url"], names["ca_path"]),
            url=url, reason="tls")
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
        reason = redactor.text(_short_reason(exc))
        if reason == "timed out":
            raise TransientError("did not answer within %g s" % timeout, SLOW_HINT % names, kind="timeout")
        raise TransientError("could not be reached (%s)" % reason, UNREACHABLE_HINT % names, kind="unreachable")
    except requests.exceptions.RequestException as exc:
        raise redactor.fail("%s at %s failed before any answer (%s); check %s."
                            % (what, url, redactor.text(_short_reason(exc)), names["api_url"]), url=url)
    progress["answering"] = True
    try:
        if 300 <= response.status_code < 400:
            # Refused whatever it holds (_answer.py), and not read: requests has already drained the body of a
            # redirect it does not follow, so reading it again would find it "broken off" and retry it.
            return response.status_code, response.headers, b""
        return response.status_code, response.headers, _read_body(response, deadline, timeout, clock, redactor, names)
    finally:
        response.close()


def _read_body(response, deadline, timeout, clock, redactor, names):
    requests, urllib3_exceptions = http_libraries()
    length = (response.headers.get("Content-Length") or "").strip()
    if DIGITS.match(length) and int(length) > MAX_BODY_BYTES:
        raise TransientError("sent a %s-byte body, more than the %d bytes a Byteful API answer can need"
                             % (length, MAX_BODY_BYTES), NOT_AN_ANSWER_HINT % names, retry=False)
    encodings = [coding.strip().lower() for coding in (response.headers.get("Content-Encoding") or "").split(",")
                 if coding.strip().lower() not in ("", "identity")]
    unreadable = [coding for coding in encodings if coding not in _DECODABLE]
    if unreadable or len(encodings) > MAX_ENCODINGS:
        raise TransientError("sent its answer with Content-Encoding %s although it was asked for identity, which this "
                             "client does not decode" % redactor.text(", ".join(encodings), 60),
                             "check %s, or a proxy between this machine and the API" % names["api_url"], retry=False)
    raw = response.raw
    # read1() returns what has arrived instead of waiting to fill the buffer, so a server that
    # trickles bytes cannot stretch the response past the deadline (urllib3 >= 2).
    read = getattr(raw, "read1", None) or raw.read
    chunks = []
    size = 0
    try:
        while True:
            if clock() > deadline:
                raise TransientError("did not finish its answer within %g s" % timeout, SLOW_HINT % names, kind="timeout")
            # The raw bytes, never decoded by urllib3: see _DECODABLE.
            chunk = read(65536, decode_content=False)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise TransientError("sent more than the %d bytes a Byteful API answer can need" % MAX_BODY_BYTES,
                                     NOT_AN_ANSWER_HINT % names, retry=False)
            chunks.append(chunk)
    except (requests.exceptions.RequestException, urllib3_exceptions.HTTPError, OSError) as exc:
        # raw reads raise urllib3's own errors (ReadTimeoutError, ProtocolError), not requests'.
        raise TransientError("broke off its answer (%s)" % redactor.text(_short_reason(exc)), SLOW_HINT % names)
    if DIGITS.match(length) and size < int(length):
        # read1() ends quietly when the connection closes early; the cut is the network's
        # doing (worth a retry), not a body that fails to be JSON. The raw bytes are counted,
        # as Content-Length counts them, compressed or not.
        raise TransientError("broke off its answer (after %d of %s bytes)" % (size, length), SLOW_HINT % names)
    body = b"".join(chunks)
    for coding in reversed(encodings):
        body = inflate(body, coding, names)
    return body


def inflate(body, coding, names=None):
    """One layer of gzip or deflate decoded, its output capped at MAX_BODY_BYTES (see _DECODABLE)."""
    hint_names = names or {"api_url": "api_url"}
    decoder = zlib.decompressobj(_DECODABLE[coding])
    try:
        decoded = decoder.decompress(body, MAX_BODY_BYTES + 1)
    except zlib.error:
        raise TransientError("sent a %s answer that does not decompress" % coding, NOT_AN_ANSWER_HINT % hint_names,
                             retry=False) from None
    if len(decoded) > MAX_BODY_BYTES or decoder.unconsumed_tail:
        raise TransientError("sent a compressed answer of more than the %d bytes a Byteful API answer can need" % MAX_BODY_BYTES,
                             NOT_AN_ANSWER_HINT % hint_names, retry=False)
    return decoded


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
