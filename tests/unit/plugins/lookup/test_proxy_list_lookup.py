# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The proxy_list lookup against the simulator: lines, options, one call per query per run, and the credentials."""

from __future__ import annotations

import os

import pytest

from ansible.errors import AnsibleLookupError
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader
from ansible.template import Templar

from ansible_collections.byteful.proxy.plugins.plugin_utils._run_cache import CACHE_DIR_NAME
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY

DEFAULT_PASSWORD = "simpw000000"  # the healthy account's default proxy user's, as the simulator makes it


@pytest.fixture
def lookup(tmp_path, monkeypatch):
    monkeypatch.setattr("ansible.constants.DEFAULT_LOCAL_TMP", str(tmp_path))
    loader = DataLoader()
    return lookup_loader.get("byteful.proxy.proxy_list", loader=loader, templar=Templar(loader=loader))


def variables(sim, public_key="healthy", **extra):
    return dict(byteful_api_url=sim.base_url, byteful_api_public_key=public_key,
                byteful_api_private_key=DEFAULT_PRIVATE_KEY, **extra)


def cached_text(tmp_path):
    directory = os.path.join(str(tmp_path), CACHE_DIR_NAME)
    text = ""
    for name in os.listdir(directory):
        with open(os.path.join(directory, name), encoding="utf-8", errors="replace") as handle:
            text += handle.read()
    return text


def test_lines_in_each_format(sim, lookup):
    standard = lookup.run([], variables(sim))
    assert len(standard) > 100  # more than one page
    assert standard[0] == "198.18.0.1:8080:default_1955:%s" % DEFAULT_PASSWORD
    assert lookup.run([], variables(sim), format="socks5h", type="isp", country_id="us", status="in_use")[0] == \
        "socks5h://default_1955:%s@198.18.0.1:1080" % DEFAULT_PASSWORD
    assert lookup.run([], variables(sim), authentication="ip_address", service_id="1955-8012-873")[0] == "198.18.0.1:8080"
    assert lookup.run([], variables(sim), protocol="socks5", proxy_user_id="pu_1955_001")[0] == "198.18.0.1:1080:pu_1955_001:simpw000001"


def test_one_call_per_query_per_run_and_the_cache_holds_no_credential(sim, lookup, tmp_path):
    sim.reset()
    for dummy in range(5):
        lines = lookup.run([], variables(sim), type="isp", status="in_use")
    assert sim.stats()["by_route"] == {"proxy_list_by_search": 1}
    lookup.run([], variables(sim), type="isp", status="in_use", format="http")
    assert sim.stats()["by_route"] == {"proxy_list_by_search": 2}
    text = cached_text(tmp_path)
    assert text and DEFAULT_PASSWORD not in text and lines[0] not in text and "198.18.0.1" not in text
    assert DEFAULT_PRIVATE_KEY not in text


def test_cache_false_asks_every_time_and_writes_nothing(sim, lookup, tmp_path):
    sim.reset()
    for dummy in range(2):
        lookup.run([], variables(sim), service_id="1955-8012-873", cache=False)
    assert sim.stats()["by_route"] == {"proxy_list_by_search": 2}
    assert not os.path.exists(os.path.join(str(tmp_path), CACHE_DIR_NAME))


def test_an_altered_cache_entry_is_refused(sim, lookup, tmp_path):
    lookup.run([], variables(sim), service_id="1955-8012-873")
    directory = os.path.join(str(tmp_path), CACHE_DIR_NAME)
    (entry,) = [name for name in os.listdir(directory) if name.endswith(".json")]
    with open(os.path.join(directory, entry), encoding="utf-8") as handle:
        text = handle.read()
    with open(os.path.join(directory, entry), "w", encoding="utf-8") as handle:
        handle.write(text.replace('"value": "gAAAAA', '"value": "gAAAAB'))
    with pytest.raises(AnsibleLookupError, match=r"An entry of the run cache \(byteful-proxy-cache\) could not be opened"):
        lookup.run([], variables(sim), service_id="1955-8012-873")


def test_an_unknown_proxy_user_fails_with_the_api_s_words(sim, lookup):
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run([], variables(sim), proxy_user_id="nobody_here_01")
    message = str(info.value)
    assert message.startswith("Listing the Byteful proxies of proxy user nobody_here_01 at %s/public/user/proxy/list_by_search "
                              "failed with HTTP 404 (Not Found: Proxy User 'nobody_here_01' not found.; request id " % sim.base_url)
    assert message.endswith("); check proxy_user_id: the account has no such proxy user, so create it first with "
                            "byteful.proxy.proxy_user (a run in check mode does not create it), or check that api_url is "
                            "the API root.")
    assert len(message.splitlines()) == 1


def test_a_404_without_a_proxy_user_is_about_api_url(sim, lookup):
    sim.set_account("lists_404", faults=[{"route": "proxy_list_by_search", "status": 404}])
    with pytest.raises(AnsibleLookupError, match="failed with HTTP 404 .*; check that byteful_api_url is the API root, for example"):
        lookup.run([], variables(sim, "lists_404"), cache=False)


NOT_STANDARD = "not a standard line (host:port[:user:password])"


@pytest.mark.parametrize("line, what", [
    ({"password": "LeakedPass0001"}, "a JSON object"), ("198.18.0.1:8080:u:LeakedPass0001\n198.18.0.2:8080:u:p", "text with"),
    ("", "empty"), (None, "a JSON null"), ("<html><body>502_Bad_Gateway</body></html>", NOT_STANDARD), ("null", NOT_STANDARD),
    ("undefined", NOT_STANDARD), ("198.18.0.9:8080:u", NOT_STANDARD), ("http://u:LeakedPass0001@198.18.0.9:8080", NOT_STANDARD),
])
def test_a_line_that_is_not_one_of_the_format_asked_for_is_refused_without_its_content(sim, lookup, line, what):
    page = {"data": ["198.18.0.9:8080:u:GoodPass0001", line], "item_count": 2, "page": 1, "per_page": 100, "total_count": 2,
            "message": "Proxy list successfully generated."}
    sim.set_account("odd_lines", faults=[{"route": "proxy_list_by_search", "status": 200, "body": page}])
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run([], variables(sim, "odd_lines"), cache=False)
    message = str(info.value)
    assert message.startswith("The Byteful API returned a proxy list whose line 2 is %s" % what)
    assert "(its content is not shown: lines hold credentials)" in message
    assert "LeakedPass0001" not in message and "GoodPass0001" not in message


def test_terms_are_refused(sim, lookup):
    with pytest.raises(AnsibleLookupError, match="takes no terms, but got 1; choose the list with its options"):
        lookup.run(["pu_1955_001"], variables(sim))


def test_a_format_typo_names_the_choices(sim, lookup):
    sim.reset()
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run([], variables(sim), format="htp")
    assert str(info.value) == "format must be one of standard, http, https, socks5, socks5h, got 'htp' (did you mean 'http'?)."
    with pytest.raises(AnsibleLookupError, match="^authentication must be one of username_and_password, ip_address, "
                                                 "proxy_specific, got 'password'"):
        lookup.run([], variables(sim), authentication="password")
    assert sim.stats()["requests"] == 0


def test_an_error_on_a_later_page_quotes_no_line_and_the_cache_holds_none(sim, lookup, tmp_path):
    line = "198.18.0.1:8080:default_1955:%s" % DEFAULT_PASSWORD
    # The healthy account's list is longer than a page: its first page is read twice (is there more?), as it is.
    sim.set_account("healthy", faults=[
        {"route": "proxy_list_by_search", "times": 2},
        {"route": "proxy_list_by_search", "status": 400, "message": "Proxy %s is not available (%s)" % (line, line.upper())}])
    try:
        for dummy in range(2):  # the second from the run cache
            with pytest.raises(AnsibleLookupError) as info:
                lookup.run([], variables(sim))
            message = str(info.value)
            assert "failed with HTTP 400 (Bad Request: Proxy 198.18.0.1:8080:default_1955:******** is not available " \
                   "(198.18.0.1:8080:DEFAULT_1955:********); request id" in message
            assert DEFAULT_PASSWORD not in message.lower()
    finally:
        sim.reset(accounts=True)
    text = cached_text(tmp_path)
    assert "HTTP 400" in text and DEFAULT_PASSWORD not in text.lower()


@pytest.mark.parametrize("keywords, words", [
    ({"proxy_user": "scraper_eu_01"}, "option proxy_user (did you mean proxy_user_id?)"),
    ({"formt": "http"}, "option formt (did you mean format?)"),
    ({"typ": "isp", "zzzzzzzzzzzzzzzzzzzz": 1},
     "option typ (did you mean type?) or zzzzzzzzzzzzzzzzzzzz; a misspelt option would be ignored, so fix the names"),
])
def test_a_misspelt_option_is_refused_before_any_call(sim, lookup, keywords, words):
    sim.reset()
    with pytest.raises(AnsibleLookupError) as info:
        lookup.run([], variables(sim), **keywords)
    assert str(info.value).startswith("The byteful.proxy.proxy_list lookup has no ")
    assert words in str(info.value)
    assert str(info.value).endswith("(ansible-doc -t lookup byteful.proxy.proxy_list lists the options).")
    assert sim.stats()["requests"] == 0
