# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""Errors and redaction: what a failure of byteful.proxy is, and how server text is made safe to show.

Every other file of the client raises these errors and passes what the server said through a
:class:`Redactor` before it reaches a message. Standard library only; imports nothing of the collection.
"""

from __future__ import annotations

import re


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


class UncertainWrite(BytefulError):
    """A write whose outcome is unknown: it may have reached the API and taken effect (a timeout, a broken
    answer, a server error), so a read must tell before it is sent again (see BytefulClient.write)."""


class TransientError(Exception):
    """A failure worth another attempt (connection refused, timeout, broken answer), or not (``retry``).

    ``reason`` and ``hint`` become the middle and the end of the sentence the request loop gives
    once no attempt is left; ``kind`` (timeout, broken, unreachable) is what the next attempt's
    X-Byteful-Attempt header says it follows.
    """

    def __init__(self, reason, hint, retry=True, kind="broken"):
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
        self.retry = retry
        self.kind = kind


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


# Every string the server sends (its error code and message, request id, a Location header, the
# start of an HTML page, and every string and member name of the data) passes through one
# Redactor before anything else sees it: first cleaned, then redacted, then cut, in that order.
# * Cleaned: escape sequences (ANSI CSI, OSC, DCS...) are removed, and so are invisible
#   formatting characters (zero-width, bidi controls, byte-order mark, soft hyphen, tags) that
#   would hide or reorder text; every other control character (C0, DEL, C1, line and paragraph
#   separators; a run of them) becomes one space. A key split by any of them is found all the same.
# * Redacted: the private key and every other secret the run knows (see Redactor.learn), in any
#   case, percent-encoded (any mix of %XX escapes, upper or lower hex, encoded again as %25XX), or
#   as HTML character references, with white space anywhere inside it, becomes ********.
# * Cut: a part of a sentence to MAX_SERVER_TEXT characters (made one line first), a string of
#   the data to MAX_DATA_TEXT, a member name to MAX_NAME_TEXT. Cutting after redacting never
#   leaves a piece of the key: there is none left to cut.
MAX_SERVER_TEXT = 200
# A data string: the longest Byteful field is a URL or a line of a proxy list (scheme, user name
# of up to 32 characters, password, IPv6 host, port: well under 300); metadata values are free
# text. 1,024 holds every one of them with room to spare; a longer string is cut, with a warning.
MAX_DATA_TEXT = 1024
MAX_NAME_TEXT = 100
REDACTED = "********"
_ESCAPE = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clear screen
                     r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # OSC: titles, hyperlinks
                     r"|(?:\x1b[P^_X]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)"  # DCS, SOS, PM, APC
                     r"|\x1b[ -/]*[0-~]?")  # any other escape
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb"
                        "\U000e0000-\U000e007f]+")  # the last: tag characters, invisible text
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def clean(text):
    """``text`` without escape sequences and invisible formatting characters; each run of other controls one space."""
    return _CONTROL.sub(" ", _INVISIBLE.sub("", _ESCAPE.sub("", text)))


def cut(text, limit):
    """``text`` cut to at most ``limit`` characters, the cut marked with '...'."""
    return text if limit is None or len(text) <= limit else text[:limit - 3].rstrip() + "..."


def one_line(text, limit=MAX_SERVER_TEXT):
    """Text that holds no secret (an exception's words) as one plain line of at most ``limit`` characters."""
    return cut(" ".join(clean(str(text)).split()), limit)


def _character_pattern(character):
    """Every way a character of the key may be written: itself in either case, %XX (also %25XX...), &#NN;, &#xXX;."""
    forms = {character, character.lower(), character.upper()}
    codes = sorted({ord(form) for form in forms if len(form) == 1 and ord(form) < 128})
    alternatives = [re.escape(form) for form in sorted(forms) if len(form) == 1]
    for code in codes:
        alternatives.append("%%(?:25)*%02x" % code)
        alternatives.append("&#0*%d;" % code)
        alternatives.append("&#x0*%x;" % code)
    return "(?:%s)" % "|".join(alternatives)


# A secret shorter than this is not looked for: it would mask ordinary words of every message.
MIN_SECRET = 4
# Members of an answer whose string is a secret, whatever the resource: the answer reader teaches each
# one to the client's Redactor as it reads it (the lines of a proxy list too: see _proxy_line.secrets).
SECRET_MEMBERS = ("proxy_password", "default_proxy_user_password", "http_formatted", "socks5_formatted",
                  "proxy_user_password")


def _secret_pattern(secret):
    # White space is allowed between the characters: cleaning turns a control inside a secret into a space.
    return r"\s*".join(_character_pattern(c) for c in secret)


# One character of a text as a secret may be written in it: %XX (also %25XX...), &#NN;, &#xXX;, white space
# (skipped), or itself. The learnt secrets are looked for in the text read this way, in lower case: one pass
# over the text and a find per secret, where a pattern per secret (as for the key) would take seconds to
# compile for the hundreds of passwords a proxy list holds.
_WRITTEN = re.compile(r"%(?:25)*([0-9a-fA-F]{2})|&#0*([0-9]{1,7});|&#[xX]0*([0-9a-fA-F]{1,6});|(\s)|.", re.DOTALL)


def _read_as_written(text):
    """(the characters ``text`` stands for, in lower case, without white space; the span of text each comes from)."""
    characters, spans = [], []
    for match in _WRITTEN.finditer(text):
        percent, decimal, hexadecimal, space = match.groups()
        if space:
            continue
        code = int(percent, 16) if percent else int(decimal) if decimal else int(hexadecimal, 16) if hexadecimal else None
        character = match.group(0) if code is None or code > 0x10FFFF else chr(code)
        lower = character.lower()
        characters.append(lower if len(lower) == 1 else character)
        spans.append(match.span())
    return "".join(characters), spans


class Redactor:
    """The one gate for text from the server: :meth:`text` for a sentence, :meth:`data` for the data.

    Cleans, then removes every secret it knows (in every form above), then cuts; :meth:`fail`
    makes the BytefulError of a sentence with the secrets removed from it and its details once more.
    It knows the private key from the start, and :meth:`learn` teaches it each other secret as soon
    as the run knows it: a password a task sets, one the API returns, the credentials of a proxy line.
    A message never shows a secret; the data keeps them (a proxy list is made of them), without the key.
    """

    def __init__(self, private_key):
        key = private_key if isinstance(private_key, str) and len(private_key) >= MIN_SECRET else ""
        self._key_pattern = re.compile(_secret_pattern(key), re.IGNORECASE) if key else None
        self._secrets = {}  # the learnt ones, as _read_as_written reads them, by their first MIN_SECRET characters

    def learn(self, *secrets):
        """Remove each of ``secrets`` (strings; others and short ones are ignored) from every message from now on."""
        for secret in secrets:
            if isinstance(secret, str):
                written = _read_as_written(secret)[0]
                if len(written) >= MIN_SECRET and written not in self._secrets.get(written[:MIN_SECRET], ()):
                    self._secrets.setdefault(written[:MIN_SECRET], []).append(written)

    def redact(self, text):
        """``text`` (made a str) with every secret removed, in any of the forms it may take."""
        text = str(text)
        if self._key_pattern is not None:
            text = self._key_pattern.sub(REDACTED, text)
        if not self._secrets:
            return text
        written, spans = _read_as_written(text)
        found = []  # (start, end) in text of each secret found: one look-up per character, however many secrets
        for index in range(len(written) - MIN_SECRET + 1):
            for secret in self._secrets.get(written[index:index + MIN_SECRET], ()):
                if written.startswith(secret, index):
                    found.append((spans[index][0], spans[index + len(secret) - 1][1]))
        if not found:
            return text
        kept, last = [], 0
        for start, end in sorted(found):  # overlapping finds (a secret inside another) become one
            if start < last:
                kept[-1] = (kept[-1][0], max(kept[-1][1], end))
            else:
                kept.append((start, end))
            last = kept[-1][1]
        parts, position = [], 0
        for start, end in kept:
            parts.extend((text[position:start], REDACTED))
            position = end
        return "".join(parts) + text[position:]

    def text(self, value, limit=MAX_SERVER_TEXT):
        """What the server said, for a sentence: one plain line without the key, of at most ``limit`` characters."""
        return cut(" ".join(self.redact(clean(str(value))).split()), limit)

    def data(self, value, limit=MAX_DATA_TEXT):
        """A string of the data: cleaned, without the private key (other secrets are data), cut to ``limit``;
        (text, whether it was cut)."""
        text = clean(value)
        text = self._key_pattern.sub(REDACTED, text) if self._key_pattern is not None else text
        return cut(text, limit), len(text) > limit

    def redacted(self, value):
        """``value`` with every secret removed from every string in it (details)."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {self.redacted(k): self.redacted(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.redacted(v) for v in value]
        return value

    def fail(self, message, **details):
        """The BytefulError for message and details, with every secret removed from every string of both."""
        return BytefulError(self.redact(message), **{name: self.redacted(value) for name, value in details.items()})
