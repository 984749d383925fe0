# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every secret a run knows (not only the private key) is kept out of every message: the redactor learns each one.

A password a task sets is taught by the caller; a password or proxy line the API returns is learnt by the
answer reader as it reads it, before a later answer (an error on the next page) can quote it.
"""

from __future__ import annotations

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils import _api, _proxy_line
from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_list import fetch_proxy_lines
from ansible_collections.byteful.proxy.tests.unit.plugins.hostile import key_forms, never_whole
from ansible_collections.byteful.proxy.tests.unit.plugins.module_utils.fake_api import PRIVATE, envelope, make_client

PASSWORD = "Proxy0User0Password-1955"


@pytest.mark.parametrize("form", key_forms(PASSWORD), ids=list(key_forms(PASSWORD)))
def test_a_learnt_secret_is_removed_in_every_form_the_key_is(form):
    gate = _api.Redactor(PRIVATE)
    text = "a %s b" % key_forms(PASSWORD)[form]
    assert gate.text(text) != "a ******** b"  # not known yet
    gate.learn(PASSWORD)
    assert gate.text(text) == "a ******** b"
    said = gate.text(text)  # as the answer reader passes what the server said
    error = gate.fail("edit refused: %s" % said, api_message=said, errors=[{"found": said}])
    never_whole(error.message, error.details, key=PASSWORD)


def test_the_data_keeps_learnt_secrets_but_never_the_key():
    gate = _api.Redactor(PRIVATE)
    gate.learn(PASSWORD, None, 42, "abc", "   ")  # not text, or too short to look for: ignored
    line = "198.18.0.1:8080:u:%s" % PASSWORD
    assert gate.data(line)[0] == line  # a proxy list is made of them
    assert gate.data("%s %s" % (line, PRIVATE))[0] == line + " ********"
    assert gate.text("abc and %s" % line) == "abc and 198.18.0.1:8080:u:********"


def test_a_secret_inside_a_longer_one_leaves_nothing_of_either():
    gate = _api.Redactor(PRIVATE)
    gate.learn("Pass", "Pass-and-more")
    assert gate.text("x Pass-and-more y Pass") == "x ******** y ********"


def test_thousands_of_learnt_secrets_are_each_found():
    # A proxy list with proxy_specific credentials teaches one password per proxy: 50 pages of 100.
    gate = _api.Redactor(PRIVATE)
    passwords = ["Pw%05dX%s" % (n, "abcdefgh"[n % 8]) for n in range(5000)]
    gate.learn(*passwords)
    for password in (passwords[0], passwords[2500], passwords[-1]):
        assert gate.text("line 198.18.0.1:8080:u:%s refused" % password.upper()) == "line 198.18.0.1:8080:u:******** refused"
    assert gate.text("Pw00001 is no password") == "Pw00001 is no password"


def line_pages(lines, then):
    """A proxy list of ``lines`` served in pages of 100; the page after the first answered by ``then`` (status, document)."""
    def handler(call):
        page = int(call.query.get("page", 1))
        if page == 1:
            return 200, envelope(lines[:100], total_count=len(lines))
        return then
    return handler


def test_an_error_on_a_later_page_never_quotes_a_line_of_an_earlier_one():
    lines = ["198.18.0.%d:8080:scraper_eu_01:Line0Pass%03d" % (n % 250 + 1, n) for n in range(150)]
    echoed = "Proxy %s is no longer available" % lines[7].replace(":", "%3A")
    refusal = (400, {"error": "Bad Request", "message": echoed, "details": lines[7].upper()})
    client, dummy, dummy = make_client(line_pages(lines, refusal), retries=0)
    with pytest.raises(BytefulError) as info:
        fetch_proxy_lines(client, {})
    assert "HTTP 400" in info.value.message and "********" in info.value.message
    never_whole(info.value.message, info.value.details, key="Line0Pass007")
    redone = client.redacted_error(BytefulError("made before: %s" % lines[3]))  # the last gate, for messages made elsewhere
    assert redone.message == "made before: 198.18.0.4:8080:scraper_eu_01:********"


@pytest.mark.parametrize("member", _api.SECRET_MEMBERS)
def test_every_secret_member_of_an_answer_is_learnt(member):
    secret = "%s:8080:u:Member0Secret" % "198.18.0.1" if member.endswith("_formatted") else "Member0Secret"

    def handler(call):
        if call.path.endswith("/search"):
            return 200, envelope([{"proxy_id": 1, "nested": {member: secret}}])
        return 500, {"error": "Internal Server Error", "message": "failed for Member0Secret"}
    client, dummy, dummy = make_client(handler, retries=0)
    client.first_page("/public/user/proxy/search", "Searching")
    with pytest.raises(BytefulError) as info:
        client.get("/public/user/customer/retrieve", "Retrieving")
    assert "Member0Secret" not in info.value.message and "failed for ********" in info.value.message


@pytest.mark.parametrize("line, list_format, credentials", [
    ("198.18.0.1:8080:scraper_eu_01:pw:with:colons", "standard", ("scraper_eu_01", "pw:with:colons")),
    ("198.18.0.1:8080", "standard", (None, None)),
    ("2001:db8::1:8080:u:pass", "standard", ("u", "pass")),
    ("proxy-1.example.com:3128:u:p", "standard", ("u", "p")),
    ("http://u:p%40ss@198.18.0.1:8080", "http", ("u", "p%40ss")),
    ("socks5h://u:p@ss@[2001:db8::1]:1080", "socks5h", ("u", "p@ss")),
    ("https://198.18.0.1:8443", "https", (None, None)),
])
def test_a_proxy_line_of_each_format(line, list_format, credentials):
    assert _proxy_line.parse(line, list_format) == credentials


@pytest.mark.parametrize("line, list_format", [
    ("<html><body>Bad gateway</body></html>", "standard"), ("null", "standard"), ("undefined", "http"),
    ("198.18.0.1", "standard"), ("198.18.0.1:0", "standard"), ("198.18.0.1:65536:u:p", "standard"),
    ("1.2.3:80", "standard"), ("198.18.0.1:8080:u", "standard"), ("http://u:p@198.18.0.1:8080", "socks5"),
    ("http://2001:db8::1:8080", "http"), ("http://u@198.18.0.1:8080", "http"), ("http://:p@198.18.0.1:8080", "http"),
    ("198.18.0.1:8080:u:p", "http"), ("http://u:p@198.18.0.1:8080", "standard"),
])
def test_what_is_no_proxy_line_of_the_format(line, list_format):
    assert _proxy_line.parse(line, list_format) is None
