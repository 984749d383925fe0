# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""What a proxy line is: ``host:port[:user:password]`` (the standard format) or ``scheme://[user:password@]host:port``.

The answer reader (_answer.py) takes the password out of every line it reads, so that the redactor
knows it before any message could quote it; the proxy_list lookup (_proxy_list.py) refuses a line
that is not one of the format it asked for. Standard library only; imports nothing of the collection.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote

# The formats of GET /public/user/proxy/list_by_search (list_format; byteful-sdk's enum, the API's default
# first): standard, or a URL of that scheme.
URL_FORMATS = ("http", "https", "socks5", "socks5h")
LINE_FORMATS = ("standard",) + URL_FORMATS
FORMAT_SHAPES = dict({"standard": "host:port[:user:password]"},
                     **{scheme: "%s://[user:password@]host:port" % scheme for scheme in URL_FORMATS})
_HOST_NAME = re.compile(r"(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                        r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?\Z")
_PORT = re.compile(r"[0-9]{1,5}\Z")
_CREDENTIAL = re.compile(r"[^\s:@/]+\Z")  # a user name: no separator of either format
_PASSWORD = re.compile(r"\S+\Z")


def _host(text, bare_v6):
    """Whether ``text`` is a host name, an IPv4 address or an IPv6 one in brackets (or bare, where ``bare_v6``)."""
    bracketed = text.startswith("[") and text.endswith("]")
    try:
        address = ipaddress.ip_address(text[1:-1] if bracketed else text)
    except ValueError:
        return not bracketed and bool(_HOST_NAME.match(text)) and not text.replace(".", "").isdigit()
    return address.version == 6 if bracketed else (address.version == 4 or bare_v6)


def _port(text):
    return bool(_PORT.match(text)) and 1 <= int(text) <= 65535


def _host_port(text, bare_v6):
    host, sep, port = text.rpartition(":")
    return bool(sep) and _port(port) and _host(host, bare_v6)


def _standard(line):
    """(user, password) of a standard line, (None, None) for host:port, None for no standard line."""
    if _host_port(line, bare_v6=True):
        return None, None
    # host:port:user:password; an IPv6 host holds colons, so every place the host may end is tried.
    start = 0
    while True:
        end = line.find(":", start)
        if end < 0:
            return None
        rest = line[end + 1:].split(":", 2)
        if (len(rest) == 3 and _port(rest[0]) and _CREDENTIAL.match(rest[1]) and _PASSWORD.match(rest[2])
                and _host(line[:end], bare_v6=True)):
            return rest[1], rest[2]
        start = end + 1


def _url(line, scheme):
    """(user, password) of a URL line of ``scheme``, (None, None) without credentials, None for no such line."""
    prefix = scheme + "://"
    if not line.lower().startswith(prefix):
        return None
    rest = line[len(prefix):]
    userinfo, at, host_port = rest.rpartition("@")
    if not _host_port(host_port, bare_v6=False):
        return None
    if not at:
        return None, None
    user, colon, password = userinfo.partition(":")
    if not colon or not _CREDENTIAL.match(user) or not _PASSWORD.match(password):
        return None
    return user, password


def parse(line, list_format):
    """(user, password) of ``line`` in ``list_format`` ((None, None) for a line without credentials), or None when
    ``line`` is not a proxy line of that format."""
    if not isinstance(line, str):
        return None
    return _standard(line) if list_format == "standard" else _url(line, list_format)


def secrets(line):
    """The password of a proxy line of any format (as written, and percent-decoded), for the redactor; () if none."""
    for list_format in LINE_FORMATS:
        found = parse(line, list_format)
        if found and found[1]:
            password = found[1]
            return tuple({password, unquote(password)})
    return ()
