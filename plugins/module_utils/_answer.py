# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""Reading and checking an answer's body: the JSON, the API's envelope, its data, and its error statuses.

The request loop (_transport.py) hands every final answer (status, headers, body bytes) to an
:class:`AnswerReader`, which returns an :class:`ApiResponse` or raises the one-sentence BytefulError.
"""

from __future__ import annotations

import json

from ansible_collections.byteful.proxy.plugins.module_utils._errors import json_type

DEFAULT_API_URL = "https://api.byteful.com/1.0"

KEY_ENV_HINT = "check api_public_key and api_private_key (or BYTEFUL_API_PUBLIC_KEY and BYTEFUL_API_PRIVATE_KEY)"

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

# The data object is passed through to Ansible (return values, templates, the run cache), and a
# member nested hundreds of levels deep makes those recurse until Python gives up. No Byteful
# field is nested at all; a member deeper than this is left out, with a warning.
MAX_DATA_DEPTH = 32

PAGING_MEMBERS = ("item_count", "page", "per_page", "total_count")


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


def after(attempt):
    """' after 3 attempts' for a sentence, or '' after the first."""
    return " after %d attempts" % attempt if attempt > 1 else ""


class AnswerReader:
    """Reads answers for one client: ``redactor`` (a _errors.Redactor) cleans what the server said,
    ``warnings`` collects what deserves one, ``keys_hint()`` says what to check after a 401."""

    def __init__(self, redactor, warnings, keys_hint):
        self._redactor = redactor
        self._warnings = warnings
        self._keys_hint = keys_hint

    def parse(self, url, what, status, headers, body, attempt, hints=None, data_optional=False):
        """The ApiResponse for a final answer, or the BytefulError saying what is wrong with it.

        ``data_optional``: the answer to a write, which may come without a data member (an edit's and a
        delete's do); its data is then None.
        """
        fail = self._redactor.fail
        if 300 <= status < 400:
            raise fail(
                "%s at %s was answered with a redirect (HTTP %d to %s), which this client does not follow so that the "
                "keys are never sent to another address; set api_url to the API root, for example %s."
                % (what, url, status, self._redactor.server_text(headers.get("Location", "nowhere")), DEFAULT_API_URL),
                url=url, status=status)
        document, problem = self._decode(body)
        if not 200 <= status < 300:
            raise self.status_error(url, what, status, body, headers, attempt, document=document, hints=hints)
        if problem:
            raise fail("%s at %s returned HTTP %d with %s; check that api_url is the Byteful API root."
                       % (what, url, status, problem), url=url, status=status)
        if not isinstance(document, dict):
            raise fail("%s at %s returned HTTP %d with a JSON %s instead of an object; check that api_url is the "
                       "Byteful API root." % (what, url, status, json_type(document)), url=url, status=status)
        request_id = self._request_id(document)
        if "data" not in document and not data_optional:
            raise fail("%s at %s returned HTTP %d without a 'data' member (keys: %s); check that "
                       "api_url is the Byteful API root." % (
                           what, url, status,
                           self._redactor.server_text(", ".join(sorted(str(k) for k in document)[:10])) or "none"),
                       url=url, status=status, request_id=request_id)
        counts = {name: document[name] for name in PAGING_MEMBERS
                  if isinstance(document.get(name), int) and not isinstance(document.get(name), bool)}
        return ApiResponse(self._passed_through(document.get("data")), url, status, request_id, counts)

    def status_error(self, url, what, status, body, headers, attempt, document=None, extra=None, hints=None):
        """The BytefulError for an HTTP error status, with the API's own words when it sent any."""
        problem = None
        if document is None:
            document, problem = self._decode(body)
        envelope = document if isinstance(document, dict) else {}
        text = self._redactor.server_text
        api_error = text(envelope["error"]) if isinstance(envelope.get("error"), str) else None
        api_message = text(envelope["message"]) if isinstance(envelope.get("message"), str) else None
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
            what, url, status, " (%s)" % said if said else "", after(attempt), hint)
        return self._redactor.fail(message, url=url, status=status, error=api_error or None,
                                   api_message=api_message or None, request_id=request_id, attempts=attempt)

    def _request_id(self, envelope):
        request_id = envelope.get("api_request_id")
        if isinstance(request_id, bool) or not isinstance(request_id, (str, int)):
            return None
        return self._redactor.server_text(request_id, 80) or None

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
            start = self._redactor.server_text(body.decode("utf-8", "replace"), 40)
            if start.startswith("<"):
                return None, "an HTML page instead of JSON (%r)" % start
            return None, "a body that is not valid JSON (%s)" % exc

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
                kept[self._redactor.redact(name)] = self._bounded(value, depth)
            except _TooDeep:
                self._warnings.append("The Byteful API's answer has a member %r nested more than %d levels deep, which "
                                      "no Byteful field is; it is left out of the result." % (
                                          self._redactor.server_text(name, 60), MAX_DATA_DEPTH))
        return kept

    def _item_bounded(self, item):
        try:
            return self._bounded(item, 1)
        except _TooDeep:
            # Not an object: the schema refuses it whatever it held, without looking inside.
            return []

    def _bounded(self, value, depth):
        if isinstance(value, str):
            return self._redactor.redact(value)
        if isinstance(value, (dict, list)):
            if depth >= MAX_DATA_DEPTH:
                raise _TooDeep()
            if isinstance(value, dict):
                return {self._redactor.redact(k): self._bounded(v, depth + 1) for k, v in value.items()}
            return [self._bounded(v, depth + 1) for v in value]
        return value


class _TooDeep(Exception):
    """A value nested deeper than MAX_DATA_DEPTH."""


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
