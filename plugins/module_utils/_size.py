# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""Sizes as people write them ("5 GB", "512mib") and as the collection prints them ("5.0 GiB").

Here, not in plugin_utils, so that a module (proxy_user's byte limits) reads sizes exactly as the
gate does (plugin_utils/_preflight.py, which re-exports these). Standard library only.
"""

from __future__ import annotations

import re
from fractions import Fraction

# Sizes beyond this are typing mistakes ("5 EB" for "5 GB"), not real needs: a clear error beats a
# check that can never pass. A PiB of proxy data is far beyond any account.
MAX_BYTES = 1024 ** 5

_BYTE_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")

# A size: a number, then an optional unit, in any case: K, M, G, T, P or E, with or without "i",
# with or without "B" ("5G", "5 gb", "5 GiB", "512mib"), or "B" or "bytes" alone. Every unit is
# 1024-based: bits mean nothing for a data allowance, and "GB" and "GiB" both mean 1024**3, as
# in ansible.builtin.human_to_bytes. ASCII digits only: "²" is not a number here.
_SIZE = re.compile(r"([+-]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(?:([KMGTPE])(?:I?B?)|B|BYTES?)?\Z", re.IGNORECASE)
_PREFIXES = "KMGTPE"
SIZE_EXAMPLES = "'5 GB', '5 GiB', '512mb' or '10G' (any case, 1024-based)"


def parse_size(text):
    """Bytes from a size such as "5 GB", "5 gib", "512MiB", "10G" or "100" (1024-based), or None.

    A fraction is rounded down to whole bytes ("1.5 KB" is 1536, "0.5 B" is 0).
    """
    match = _SIZE.match(text.strip())
    if not match:
        return None
    sign, digits, prefix = match.groups()
    scale = 1024 ** (_PREFIXES.index(prefix.upper()) + 1) if prefix else 1
    # Fraction, not float: exact for "1.1 GB", and no overflow for a 400-digit typo. Beyond 30
    # digits the number only means "too much" (and int() refuses over 4300 of them).
    number = int(Fraction(digits) * scale) if len(digits) <= 30 else MAX_BYTES + 1
    return -number if sign == "-" else number


def format_bytes(number):
    """1024-based, one decimal: 1048576 -> '1.0 MiB', -1048576 -> '-1.0 MiB'; below 1 KiB in plain bytes.

    Integer arithmetic throughout: the API may send counters beyond what a float can hold,
    and a message must never fail to be written.
    """
    number = int(number)
    if number < 0:  # an overdrawn counter
        return "-" + format_bytes(-number)
    if number < 1024:
        return "%d B" % number
    unit = 0
    while number >= 1024 ** (unit + 1) and unit < len(_BYTE_UNITS) - 1:
        unit += 1
    scale = 1024 ** unit
    tenths = (number * 10 + scale // 2) // scale  # rounded half up to one decimal
    return "%d.%d %s" % (tenths // 10, tenths % 10, _BYTE_UNITS[unit])
