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
import math

from ansible_collections.byteful.proxy.plugins.module_utils._errors import (
    MAX_DATA_TEXT,
    MAX_NAME_TEXT,
    SECRET_MEMBERS,
    clean,
    cut,
    json_type,
)
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_line import secrets as line_secrets

DEFAULT_API_URL = "https://api.byteful.com/1.0"

# What to do, by HTTP status, for the last part of an error sentence; %(api_url)s is the name
# the user set api_url as (see BytefulClient's option_names).
STATUS_HINTS = {
    400: "the API rejected the request; please report it to byteful.proxy with the request id",
    403: "the keys are valid but may not read this resource; check the account's API access in the Byteful dashboard",
    404: "check that %(api_url)s is the API root, for example " + DEFAULT_API_URL,
    422: "the API rejected the request; please report it to byteful.proxy with the request id",
    429: "the account's rate limit (10 requests per second) is exhausted; rerun later or run fewer jobs against this account at once",
}
SERVER_ERROR_HINT = "the Byteful API is failing; try again later"
NOT_THE_API_HINT = "check that %(api_url)s is the Byteful API root"

# The data object is passed through to Ansible (return values, templates, the run cache), and a
# member nested hundreds of levels deep makes those recurse until Python gives up. No Byteful
# field is nested at all; a member deeper than this is left out, with a warning.
MAX_DATA_DEPTH = 32
# No Byteful integer needs more than 64 bits (bytes, cents, ids); beyond them a number is no
# field's value, and float arithmetic on it (days left, dollars) would overflow.
INTEGER_RANGE = (-2 ** 63, 2 ** 63 - 1)
_MAX_DIGITS = 40  # read as an integer at all (Python refuses more than 4,300 digits, with a traceback's words)

PAGING_MEMBERS = ("item_count", "page", "per_page", "total_count")
# What a write's answer says it did, beside its data: {"created": [id]}, {"edited": [id]}, {"deleted": [id]}.
WRITE_MEMBERS = ("created", "edited", "deleted")


class ApiResponse:
    """A successful API answer: the envelope's ``data`` object and what identifies the call.

    ``counts`` holds the envelope's integer paging members (item_count, page, per_page,
    total_count) that were present as integers; ``written`` a write's WRITE_MEMBERS, cleaned like
    the data; ``altered`` the paths ($.data[3].proxy_user_id, $.created[0]) of the strings that
    cleaning or redaction changed: such a value is not the server's, so it identifies nothing
    (see :meth:`names`).
    """

    def __init__(self, data, url, status, request_id=None, counts=None, written=None, altered=()):
        self.data = data
        self.url = url
        self.status = status
        self.request_id = request_id
        self.counts = counts or {}
        self.written = written or {}
        self.altered = frozenset(altered)

    def names(self, path, value, expected):
        """Whether ``value``, read at ``path``, is exactly the id ``expected`` as the server sent it (not once cleaned)."""
        return isinstance(value, str) and value == expected and path not in self.altered


def after(attempt):
    """' after 3 attempts' for a sentence, or '' after the first."""
    return " after %d attempts" % attempt if attempt > 1 else ""


class _Notes:
    """What passing the data through noticed: the paths of strings cut, and of strings cleaning changed."""

    def __init__(self):
        self.long = []
        self.altered = set()


class _Refused(Exception):
    """What makes an answer unusable, as words for the sentence ("a JSON object that has the member 'total' twice")."""


class AnswerReader:
    """Reads answers for one client: ``redactor`` (a _errors.Redactor) is the gate every server string
    passes, ``warnings`` collects what deserves one, ``keys_hint()`` says what to check after a 401,
    ``names`` maps each connection option to the name the user set it as."""

    def __init__(self, redactor, warnings, keys_hint, names):
        self._redactor = redactor
        self._warnings = warnings
        self._keys_hint = keys_hint
        self._names = names

    def parse(self, url, what, status, headers, body, attempt, hints=None, data_optional=False):
        """The ApiResponse for a final answer, or the BytefulError saying what is wrong with it.

        ``data_optional``: the answer to a write, which may come without a data member (an edit's and a
        delete's do); its data is then None.
        """
        fail = self._redactor.fail
        not_the_api = NOT_THE_API_HINT % self._names
        if 300 <= status < 400:
            raise fail(
                "%s at %s was answered with a redirect (HTTP %d to %s), which this client does not follow so that the "
                "keys are never sent to another address; set %s to the API root, for example %s."
                % (what, url, status, self._redactor.text(headers.get("Location", "nowhere")), self._names["api_url"],
                   DEFAULT_API_URL), url=url, status=status)
        document, problem = self._decode(body)
        if not 200 <= status < 300:
            raise self.status_error(url, what, status, body, headers, attempt, document=document, problem=problem,
                                    hints=hints)
        if problem:
            raise fail("%s at %s returned HTTP %d with %s; %s." % (what, url, status, problem, not_the_api),
                       url=url, status=status)
        if not isinstance(document, dict):
            raise fail("%s at %s returned HTTP %d with a JSON %s instead of an object; %s."
                       % (what, url, status, json_type(document), not_the_api), url=url, status=status)
        request_id = self._request_id(document)
        if "data" not in document and not data_optional:
            raise fail("%s at %s returned HTTP %d without a 'data' member (keys: %s); %s." % (
                what, url, status, self._redactor.text(", ".join(sorted(str(k) for k in document)[:10])) or "none",
                not_the_api), url=url, status=status, request_id=request_id)
        counts = {name: document[name] for name in PAGING_MEMBERS
                  if isinstance(document.get(name), int) and not isinstance(document.get(name), bool)}
        notes = _Notes()
        try:
            data = self._passed_through(document.get("data"), notes)
            written = {name: self._item_bounded(document[name], "$." + name, notes)
                       for name in WRITE_MEMBERS if name in document}
        except _Refused as exc:
            raise fail("%s at %s returned HTTP %d with %s%s; %s." % (
                what, url, status, exc, ", request id %s" % request_id if request_id else "", not_the_api),
                url=url, status=status, request_id=request_id) from None
        return ApiResponse(data, url, status, request_id, counts, written, notes.altered)

    def status_error(self, url, what, status, body, headers, attempt, document=None, problem=None, extra=None,
                     hints=None):
        """The BytefulError for an HTTP error status, with the API's own words when it sent any."""
        if document is None and problem is None:
            document, problem = self._decode(body)
        envelope = document if isinstance(document, dict) else {}
        text = self._redactor.text
        api_error = text(envelope["error"]) if isinstance(envelope.get("error"), str) else None
        api_message = text(envelope["message"]) if isinstance(envelope.get("message"), str) else None
        request_id = self._request_id(envelope)

        said = ": ".join(_without_full_stop(part) for part in (api_error, api_message) if part and part != ".")
        if request_id is not None:
            said = "%s; request id %s" % (said, request_id) if said else "request id %s" % request_id
        if not said and problem and body:
            said = problem
        two_factor = self._two_factor_hint(envelope) if status == 403 else None
        if two_factor:
            hint = two_factor
        elif status >= 500:
            hint = SERVER_ERROR_HINT
        elif status == 401:
            hint = self._keys_hint()
        else:
            hint = (hints or {}).get(status) or STATUS_HINTS.get(status, "see the API's message") % self._names
            if callable(hint):  # a hint that depends on what the API said (its error and message, cleaned)
                hint = hint(" ".join(part for part in (api_error, api_message) if part))
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
        return self._redactor.text(request_id, 80) or None

    def _decode(self, body):
        """(document, None) for a JSON body, or (None, words saying what the body is)."""
        if not body:
            return None, "an empty body"
        try:
            return json.loads(body.decode("utf-8"), parse_constant=_refuse_constant, parse_int=_integer,
                              object_pairs_hook=self._object), None
        except UnicodeDecodeError:
            return None, "a body that is not UTF-8 text"
        except RecursionError:
            return None, "JSON nested too deeply to be an API answer"
        except _Refused as exc:
            return None, str(exc)
        except ValueError as exc:
            # The start of the page, for the sentence: decoded whole first, so that a key it
            # quotes is redacted before the cut can leave half of it.
            start = self._redactor.text(body.decode("utf-8", "replace"), 40)
            if start.startswith("<"):
                return None, "an HTML page instead of JSON (%r)" % start
            return None, "a body that is not valid JSON (%s)" % exc

    def _object(self, pairs):
        """A JSON object as a dict; a member given twice makes the answer unusable (which value holds?)."""
        members = {}
        for name, value in pairs:
            if name in members:
                raise _Refused("a JSON object that has the member %r twice" % self._redactor.text(name, 60))
            members[name] = value
        return members

    # -- the data: the one gate every value of an answer passes ----------------------------

    def _passed_through(self, data, notes):
        """The data as Ansible may see it, each string and member name through the redactor (see _errors.py).

        Numbers beyond what a Byteful field holds (an integer beyond 64 bits, a number that is not
        finite) and members that read the same once cleaned make the whole answer unusable
        (_Refused). A string longer than MAX_DATA_TEXT is cut, a member nested deeper than
        MAX_DATA_DEPTH left out, each with one warning. Paths name the place in the answer
        ($.data[3].service_name); ``notes`` collects them, and those of the strings cleaning changed.
        """
        self._learn_secrets(data, 0)
        if isinstance(data, dict):
            kept = self._members_bounded(data, 1, "$.data", notes)
        elif isinstance(data, list):
            # A search page: each item is kept, only its too-deep members are left out, so that
            # one hostile member cannot empty the page (an empty page ends a search).
            kept = [self._members_bounded(item, 2, "$.data[%d]" % index, notes) if isinstance(item, dict)
                    else self._item_bounded(item, "$.data[%d]" % index, notes) for index, item in enumerate(data)]
        else:
            kept = self._bounded(data, 0, "$.data", notes)  # a scalar: the schema refuses it
        long_strings = notes.long
        if long_strings:
            self._warnings.append("The Byteful API's answer has %s longer than %d characters (at %s%s), which no Byteful "
                                  "field needs; %s cut to that length, ending in '...'." % (
                                      "a string" if len(long_strings) == 1 else "%d strings" % len(long_strings), MAX_DATA_TEXT,
                                      cut(long_strings[0], 120), "" if len(long_strings) == 1 else " and more",
                                      "it is" if len(long_strings) == 1 else "each is"))
        return kept

    def _learn_secrets(self, data, depth):
        """Teach the redactor every secret of the data (SECRET_MEMBERS, and the password of each proxy line: the
        only string items of a search page are the proxy list's), as sent and as cleaned, before anything quotes it."""
        if isinstance(data, list) and depth == 0:
            for item in data:
                if isinstance(item, str):
                    self._learn_line(item)
        if depth >= MAX_DATA_DEPTH:
            return
        members = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
        for name, value in members:
            if name in SECRET_MEMBERS and isinstance(value, str):
                self._redactor.learn(value, clean(value))
                self._learn_line(value)  # the *_formatted members are lines
            else:
                self._learn_secrets(value, depth + 1)

    def _learn_line(self, line):
        for secret in line_secrets(line) + line_secrets(clean(line)):
            self._redactor.learn(secret, clean(secret))

    def _members_bounded(self, data, depth, path, notes):
        kept = {}
        for name, value in data.items():
            shown = self._name(name, kept, path)
            try:
                kept[shown] = self._bounded(value, depth, _member_path(path, shown), notes)
            except _TooDeep:
                self._warnings.append("The Byteful API's answer has a member %r nested more than %d levels deep, which "
                                      "no Byteful field is; it is left out of the result." % (
                                          self._redactor.text(shown, 60), MAX_DATA_DEPTH))
        return kept

    def _item_bounded(self, item, path, notes):
        try:
            return self._bounded(item, 1, path, notes)
        except _TooDeep:
            # Not an object: the schema refuses it whatever it held, without looking inside.
            return []

    def _bounded(self, value, depth, path, notes):
        if isinstance(value, str):
            text, was_cut = self._redactor.data(value)
            if was_cut:
                notes.long.append(path)
            if text != value:
                notes.altered.add(path)
            return text
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            if not INTEGER_RANGE[0] <= value <= INTEGER_RANGE[1]:
                raise _Refused("the integer %s at %s, beyond the 64 bits any Byteful field holds" % (
                    _digits(value), cut(path, 120)))
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise _Refused("a number at %s too large to be represented" % cut(path, 120))
            return value
        if depth >= MAX_DATA_DEPTH:
            raise _TooDeep()
        if isinstance(value, dict):
            kept = {}
            for name, member in value.items():
                shown = self._name(name, kept, path)
                kept[shown] = self._bounded(member, depth + 1, _member_path(path, shown), notes)
            return kept
        return [self._bounded(v, depth + 1, "%s[%d]" % (path, index), notes) for index, v in enumerate(value)]

    def _name(self, name, kept, path):
        """A member name through the redactor; two names that read the same once cleaned make the answer unusable."""
        shown = self._redactor.data(name, MAX_NAME_TEXT)[0]
        if shown in kept:
            raise _Refused("a JSON object at %s that has the member %r twice once invisible characters are removed"
                           % (cut(path, 120), self._redactor.text(shown, 60)))
        return shown

    def _two_factor_hint(self, envelope):
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
        target = envelope.get("two_factor_authentication_target")
        service = self._redactor.text(service, 20) if isinstance(service, str) else ""
        target = self._redactor.text(target, 40) if isinstance(target, str) else ""
        through = (" through %s" % service if service else "") + (" (sent to %s)" % target if target else "")
        return ("the account requires two-factor confirmation%s, which an unattended run cannot give; complete it in "
                "the Byteful dashboard, or turn off two-factor confirmation for API access there, then rerun" % through)


class _TooDeep(Exception):
    """A value nested deeper than MAX_DATA_DEPTH."""


def _without_full_stop(words):
    """The API's words without their own full stop, which would end our sentence too early ('...' stays: a cut)."""
    return words[:-1] if words.endswith(".") and not words.endswith("...") else words


def _member_path(path, name):
    return "%s.%s" % (path, name) if name.isidentifier() else "%s[%s]" % (path, json.dumps(name))


def _digits(value):
    text = str(value)
    return text if len(text) <= 24 else "%s...(%d digits)" % (text[:12], len(text.lstrip("-")))


def _integer(text):
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise _Refused("an integer of %d digits, more than any Byteful field holds" % len(text.lstrip("-")))
    return int(text)


def _refuse_constant(name):
    # Python's json reads NaN and Infinity, which are not JSON and compare with nothing.
    raise ValueError("%s is not a JSON value" % name)
