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
    once no attempt is left.
    """

    def __init__(self, reason, hint, retry=True):
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
        self.retry = retry


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


def server_text(value, limit=MAX_SERVER_TEXT):
    """Text from the server as one plain line of at most ``limit`` characters (see _ANSI_ESCAPE, _UNPRINTABLE)."""
    text = _UNPRINTABLE.sub(" ", _ANSI_ESCAPE.sub("", str(value)))
    text = " ".join(text.split())
    return text if limit is None or len(text) <= limit else text[:limit - 3].rstrip() + "..."


class Redactor:
    """Removes one private key from whatever could reach the user: text, server text, details, data."""

    def __init__(self, private_key):
        self._private_key = private_key if isinstance(private_key, str) else ""

    def redact(self, text):
        """Remove the private key from any text that could reach the user."""
        text = str(text)
        if self._private_key and len(self._private_key) >= 4:
            text = text.replace(self._private_key, "********")
        return text

    def server_text(self, value, limit=MAX_SERVER_TEXT):
        """What the server said, as one plain, short line without the private key.

        Redacted before and after the clean-up: a key split by escape sequences is whole again
        once they are removed.
        """
        return server_text(self.redact(server_text(self.redact(value), limit=None)), limit)

    def redacted(self, value):
        """value with the private key removed from every string in it (details, data)."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {self.redacted(k): self.redacted(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.redacted(v) for v in value]
        return value

    def fail(self, message, **details):
        """The BytefulError for message and details, with the private key removed from every string of both."""
        return BytefulError(self.redact(message), **{name: self.redacted(value) for name, value in details.items()})
