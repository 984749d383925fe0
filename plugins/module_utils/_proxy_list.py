# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""Proxy lists: the account's proxies as formatted lines (GET /public/user/proxy/list_by_search), for templates.

The lines hold credentials. Nothing here ever puts one into a message: a line that is not a proxy line
of the format asked for (_proxy_line.py) is refused by its position and what it is, never by its content.
"""

from __future__ import annotations

import difflib

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError, OptionError, json_type
from ansible_collections.byteful.proxy.plugins.module_utils._proxy import FILTERS, search_params
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_line import FORMAT_SHAPES, LINE_FORMATS
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_line import parse as parse_line

PROXY_LIST_PATH = "/public/user/proxy/list_by_search"

# The list's options (byteful-sdk's enums), option -> (API parameter, values; the first is the API's default).
LIST_OPTIONS = (
    ("format", "list_format", LINE_FORMATS),
    ("protocol", "list_protocol", ("http", "socks5")),
    ("version", "list_version", ("ipv4", "ipv6")),
    ("authentication", "list_authentication", ("username_and_password", "ip_address", "proxy_specific")),
)
# Proxy filters the list takes (those of the proxy search but protocol, which version stands for here).
LIST_FILTERS = tuple(option for option, dummy, dummy in FILTERS if option != "protocol")
# A proxy line is host:port:user:password or a URL; anything far longer is no proxy line.
MAX_LINE = 1000
PAGE = 100


def list_params(options):
    """The API's query for the options set (option -> value): list_* members, proxy_user_id and the filters."""
    params = {}
    for option, parameter, allowed in LIST_OPTIONS:
        value = options.get(option)
        if value is None:
            continue
        if value not in allowed:
            close = difflib.get_close_matches(str(value), allowed, n=1)
            raise OptionError("%s must be one of %s, got %r%s." % (
                option, ", ".join(allowed), value, " (did you mean %r?)" % close[0] if close else ""))
        params[parameter] = value
    if options.get("proxy_user_id") is not None:
        params["proxy_user_id"] = options["proxy_user_id"]
    params.update(search_params({option: options.get(option) for option in LIST_FILTERS}))
    return params


def _check_lines(lines, request_id, list_format):
    """Every item one proxy line of ``list_format`` (see _proxy_line); the error says which item and what it is, never
    what it holds."""
    for index, line in enumerate(lines):
        # No white space anywhere: a proxy line or URL has none, and the client's cleaning turns a
        # line break the server sent inside an item into a space.
        if isinstance(line, str) and line and len(line) <= MAX_LINE and line.isprintable() and not any(
                character.isspace() for character in line):
            if parse_line(line, list_format) is not None:
                continue
            what = "not a %s line (%s)" % (list_format, FORMAT_SHAPES[list_format])
        elif not isinstance(line, str):
            what = "a JSON %s" % json_type(line)
        elif not line:
            what = "empty"
        elif len(line) > MAX_LINE:
            what = "%d characters long" % len(line)
        else:
            what = "text with white space, a line break or a control character"
        raise BytefulError("The Byteful API returned a proxy list whose line %d is %s instead of one proxy line (its "
                           "content is not shown: lines hold credentials)%s; the API may have changed, so please report "
                           "this to byteful.proxy." % (index + 1, what, ", request id %s" % request_id if request_id else ""),
                           request_id=request_id)


def fetch_proxy_lines(client, params):
    """The lines of the proxy list for ``params`` (from list_params), every page of them, checked.

    Whether the live route pages is not documented: a first page of up to 100 lines with fewer
    than 100 (or more: an API that does not page) is the whole list, in one call; a full page
    is followed by the others.
    """
    what = "Listing the Byteful proxies as lines"
    try:
        first = client.first_page(PROXY_LIST_PATH, what, params, per_page=PAGE)
        lines = first.items
        request_id = first.request_id
        if len(lines) == PAGE and first.total_count != PAGE:
            every = client.search(PROXY_LIST_PATH, what, params, per_page=PAGE,
                                  narrow_with="proxy_user_id, service_id, type, country_id or status")
            lines, request_id = every.items, every.request_id
    except BytefulError as exc:
        raise _unknown_user(exc, params) from None
    _check_lines(lines, request_id, params.get("list_format") or LINE_FORMATS[0])
    return list(lines)


def _unknown_user(error, params):
    """A 404 for a list of a proxy user's lines names the user (the usual cause), not api_url; other errors as they are."""
    details = error.details
    if details.get("status") != 404 or not params.get("proxy_user_id"):
        return error
    said = ": ".join(part for part in (details.get("error"), details.get("api_message")) if part)
    if details.get("request_id"):
        said = "%s; request id %s" % (said, details["request_id"]) if said else "request id %s" % details["request_id"]
    return BytefulError(
        "Listing the Byteful proxies of proxy user %s at %s failed with HTTP 404%s; check proxy_user_id: the account has no "
        "such proxy user, so create it first with byteful.proxy.proxy_user (a run in check mode does not create it), or "
        "check that api_url is the API root." % (
            params["proxy_user_id"], details.get("url", "").split("?", 1)[0], " (%s)" % said if said else ""), **details)
