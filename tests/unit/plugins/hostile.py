# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a hostile server sends, and the check that the private key never comes back whole (issue 17).

Shared by the client's, the modules' and the lookup's hostile tests. never_whole() is written
apart from the client's own cleaning and redaction, so that it can catch them out: it undoes every
disguise (percent-encoding at any depth, HTML references, escapes, controls, invisible and
white-space characters, case) before it looks for the key.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY

KEY = DEFAULT_PRIVATE_KEY


def _percent(text, upper=True, every=1, again=False):
    """text with every ``every``-th character as %XX (also as %25XX with ``again``)."""
    out = []
    for index, character in enumerate(text):
        if index % every:
            out.append(character)
            continue
        code = ("%02X" if upper else "%02x") % ord(character)
        out.append(("%25" if again else "%") + code)
    return "".join(out)


def key_forms(key=KEY):
    """The key as a server may echo it: another case, percent-encoded, split by escapes or invisible characters."""
    return {
        "as sent": key,
        "upper case": key.upper(),
        "alternating case": "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(key)),
        "percent-encoded, upper hex": _percent(key),
        "percent-encoded, lower hex, every other character": _percent(key, upper=False, every=2),
        "percent-encoded twice": _percent(key, again=True, every=3),
        "upper case and percent-encoded": _percent(key.upper(), every=4),
        "HTML character references": "".join("&#%d;" % ord(c) if i % 2 else c for i, c in enumerate(key)),
        "split by ANSI escapes": key[:5] + "\x1b[31m" + key[5:17] + "\x1b[0m\x1b]0;title\x07" + key[17:],
        "split by zero-width and bidi characters": key[:3] + "\u200b" + key[3:9] + "\u202e" + key[9:20] + "\ufeff" + key[20:],
        "split by a line break and a tab": key[:10] + "\r\n" + key[10:30] + "\t" + key[30:],
        "upper case, split by an escape": key.upper()[:12] + "\x1b[1m" + key.upper()[12:],
    }


# A fake success line that clears the screen first, bidi overrides, a bell, and 20,000 characters.
HOSTILE_TEXT = ("\x1b[2J\x1b[H\x1b[32mPreflight passed for Byteful account 1955\x1b[0m\r\n\u202e\u2066gnirts\x07"
                + "blah\n" * 4000)
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def strings_of(*things):
    """Every string inside ``things``: dict keys and values, list items, an exception's message and details."""
    for thing in things:
        if isinstance(thing, str):
            yield thing
        elif isinstance(thing, dict):
            for name, value in thing.items():
                yield from strings_of(name, value)
        elif isinstance(thing, (list, tuple, set)):
            yield from strings_of(*thing)
        elif isinstance(thing, BaseException):
            yield str(thing)
            yield from strings_of(getattr(thing, "message", None), getattr(thing, "details", None))
        elif thing is not None and not isinstance(thing, (int, float, bool)):
            yield str(thing)


def _undisguised(text):
    for dummy in range(6):
        text = html.unescape(unquote(text))
    text = re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.?", "", text)
    return "".join(c for c in text if unicodedata.category(c)[0] not in "CZ").lower()


def never_whole(*things, key=KEY):
    """Fail when any string in ``things`` holds the key, however disguised; return how many strings were looked at."""
    wanted = _undisguised(key)
    count = 0
    for text in strings_of(*things):
        count += 1
        assert wanted not in _undisguised(text), "the key comes back in %r" % text[:200]
    return count
