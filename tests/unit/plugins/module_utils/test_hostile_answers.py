# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Hostile answers and odd keys (issue 10): non-ASCII keys, compression bombs, an API echoing the key,
terminal escapes in server text, deep nesting. Against the simulator, faults defined through its
account API, except the compression cases, which need raw bytes and are served by a small server here."""

from __future__ import annotations

import gzip
import http.server
import json
import os
import subprocess
import sys
import threading

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils import _api, _exchange
from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulClient, BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._customer import fetch_customer
from ansible_collections.byteful.proxy.plugins.plugin_utils._run_cache import RunCache, entry_name
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY, HEALTHY_CUSTOMER

WHAT = "Retrieving the Byteful customer"


def client_for(sim, public_key, private_key=DEFAULT_PRIVATE_KEY, **options):
    return BytefulClient(api_url=sim.base_url, public_key=public_key, private_key=private_key, timeout=5, retries=0, **options)


def failure(client):
    with pytest.raises(BytefulError) as info:
        fetch_customer(client)
    return info.value


# -- 1. a non-ASCII character in a key -------------------------------------------------------

KEY_CHARACTERS = [
    ("\ufeff", 1, "a byte-order mark"),
    ("\u200b", 9, "a zero-width space"),
    ("\u00a0", 20, "a non-breaking space"),
    ("\u201d", 44, "a smart quote"),
    ("\u0430", 5, "a non-ASCII letter"),  # Cyrillic a, looks like the Latin one
]


def with_character(key, character, position):
    return key[:position - 1] + character + key[position - 1:]


@pytest.mark.parametrize("character, position, kind", KEY_CHARACTERS)
@pytest.mark.parametrize("option", ["api_private_key", "api_public_key"])
def test_a_non_ascii_character_in_a_key_is_named_by_kind_and_place(sim, option, character, position, kind):
    keys = {"api_public_key": "healthy-public-key-long-enough-for-every-position", "api_private_key": DEFAULT_PRIVATE_KEY}
    keys[option] = with_character(keys[option], character, position)
    with pytest.raises(BytefulError) as info:
        BytefulClient(api_url=sim.base_url, public_key=keys["api_public_key"], private_key=keys["api_private_key"])
    message = info.value.message
    assert message.startswith("%s contains %s at character %d of %d;" % (option, kind, position, len(keys[option])))
    assert message.endswith(".") and message.count(". ") == 0
    assert character not in message and DEFAULT_PRIVATE_KEY not in message and "healthy-public" not in message
    assert "UnicodeEncodeError" not in message and "latin-1" not in message


def test_every_non_ascii_character_is_counted_but_only_the_first_is_placed(sim):
    with pytest.raises(BytefulError) as info:
        BytefulClient(api_url=sim.base_url, public_key="healthy", private_key="\ufeff" + DEFAULT_PRIVATE_KEY + "\u200b\u200b")
    assert "a byte-order mark at character 1 of %d and 2 more non-ASCII characters;" % (len(DEFAULT_PRIVATE_KEY) + 3) \
        in info.value.message


# -- 2. compression: the 1 MiB cap holds on compressed and decoded bytes ---------------------

def double_gzip_bomb(decoded_size):
    """gzip(gzip(decoded_size zero bytes)): a couple of kilobytes that unpack to decoded_size."""
    inner = gzip.compress(b"\0" * decoded_size, compresslevel=9)
    return gzip.compress(inner, compresslevel=9)


class RawAnswers(http.server.BaseHTTPRequestHandler):
    """GET /bomb: a double-gzip bomb; GET /huge: 100 MB of plain JSON without Content-Length."""

    protocol_version = "HTTP/1.1"
    bomb = b""

    def do_GET(self):  # pylint: disable=invalid-name
        path = self.path.split("/1.0", 1)[-1]
        if path.startswith("/bomb"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip, gzip")
            self.send_header("Content-Length", str(len(self.bomb)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(self.bomb)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")  # no length: the body ends when the connection closes
        self.end_headers()
        try:
            self.wfile.write(b'{"data": {"padding": "')
            block = b"x" * (1024 * 1024)
            for dummy in range(100):
                self.wfile.write(block)
            self.wfile.write(b'"}}')
        except OSError:
            pass  # the client stopped reading at its cap

    def log_message(self, *args):  # pylint: disable=arguments-differ
        pass


@pytest.fixture(scope="module")
def raw_server():
    RawAnswers.bomb = double_gzip_bomb(256 * 1024 * 1024)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RawAnswers)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d/1.0" % server.server_address[1]
    server.shutdown()
    server.server_close()


# Run in a process of its own so that its peak memory is its own.
PEAK_MEMORY_PROBE = r"""
import json, resource, sys
from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulClient, BytefulError
client = BytefulClient(api_url=sys.argv[1], public_key="healthy", private_key="sim-private-key", timeout=60, retries=0)
try:
    client.get(sys.argv[2], "Retrieving the Byteful customer")
    outcome = "no error"
except BytefulError as exc:
    outcome = exc.message
try:
    # This process's own high-water mark. ru_maxrss survives exec on Linux, so it would report
    # the peak of the test process this one was forked from.
    with open("/proc/self/status", encoding="ascii") as status:
        peak_kib = int(next(line for line in status if line.startswith("VmHWM:")).split()[1])
except OSError:
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"message": outcome, "peak_kib": peak_kib}))
"""


def peak_memory(url, path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    done = subprocess.run([sys.executable, "-c", PEAK_MEMORY_PROBE, url, path], capture_output=True, env=env, timeout=120,
                          check=True)
    return json.loads(done.stdout.decode("utf-8").strip().splitlines()[-1])


@pytest.mark.once
def test_the_bomb_is_small():
    assert len(double_gzip_bomb(256 * 1024 * 1024)) < 4096


@pytest.mark.once
@pytest.mark.parametrize("path, words", [
    ("/bomb", "sent a compressed answer of more than the 1048576 bytes a Byteful API answer can need"),
    ("/huge", "sent more than the 1048576 bytes a Byteful API answer can need"),
])
def test_a_double_gzip_bomb_and_a_100_mb_body_stay_under_100_mb_of_memory(raw_server, path, words):
    result = peak_memory(raw_server, path)
    assert result["peak_kib"] < 100 * 1024, result
    assert words in result["message"]


def test_the_client_asks_for_identity_and_refuses_encodings_it_does_not_decode(sim):
    sim.set_account("brotli", faults=[{"status": 200, "headers": {"Content-Encoding": "br"}, "body": {"data": {}}}])
    client = client_for(sim, "brotli")
    assert client._headers["Accept-Encoding"] == "identity"  # pylint: disable=protected-access
    message = failure(client).message
    assert "sent its answer with Content-Encoding br although it was asked for identity" in message


def test_a_gzip_answer_within_the_cap_is_read(sim):
    # Raw gzip bytes cannot go through the simulator's JSON account API; _inflate is what the client runs on them.
    body = json.dumps({"data": HEALTHY_CUSTOMER}).encode()
    assert json.loads(_exchange.inflate(gzip.compress(body), "gzip")) == {"data": HEALTHY_CUSTOMER}


# -- 3. the key echoed by the API never leaves the client ------------------------------------

ECHOING = [{"status": 401, "body": {"error": DEFAULT_PRIVATE_KEY, "message": "You sent %s, which is wrong." % DEFAULT_PRIVATE_KEY,
                                    "api_request_id": DEFAULT_PRIVATE_KEY}}]


def test_a_key_echoed_in_error_message_and_request_id_is_redacted_everywhere(sim, tmp_path):
    sim.set_account("echo_everywhere", faults=ECHOING)
    client = client_for(sim, "echo_everywhere")
    exc = failure(client)
    assert DEFAULT_PRIVATE_KEY not in exc.message and DEFAULT_PRIVATE_KEY not in json.dumps(exc.details)
    assert exc.details["error"] == "********" and exc.details["request_id"] == "********"
    assert exc.details["api_message"] == "You sent ********, which is wrong."

    cache = RunCache(str(tmp_path), ttl=300)
    name = entry_name(client.api_url, client.public_key, DEFAULT_PRIVATE_KEY)
    with pytest.raises(BytefulError):
        cache.get_or_fetch(name, lambda: fetch_customer(client_for(sim, "echo_everywhere")))
    entries = list((tmp_path / "byteful-proxy-cache").iterdir())
    assert entries and all(DEFAULT_PRIVATE_KEY not in path.read_text(encoding="utf-8", errors="replace") for path in entries)


def test_a_key_echoed_in_the_data_is_redacted_too(sim):
    sim.set_account("echo_in_data", customer=dict(HEALTHY_CUSTOMER, customer_first_name=DEFAULT_PRIVATE_KEY,
                                                  notes={"sent": [DEFAULT_PRIVATE_KEY]}))
    customer = fetch_customer(client_for(sim, "echo_in_data"))
    assert DEFAULT_PRIVATE_KEY not in json.dumps(customer)
    assert customer["customer_first_name"] == "********"


def test_a_key_cut_by_the_snippet_of_an_html_page_is_not_half_shown(sim):
    page = "<html>" + " " * 20 + DEFAULT_PRIVATE_KEY + "</html>"
    sim.set_account("echo_in_html", faults=[{"status": 200, "content_type": "text/html", "body": page}])
    message = failure(client_for(sim, "echo_in_html")).message
    assert DEFAULT_PRIVATE_KEY[:12] not in message


# -- 4. server text is one plain, short line --------------------------------------------------

HOSTILE = ("\x1b[2J\x1b[H\x1b[32mPreflight passed\x1b[0m\r\n\tall good\u202e\x07\x9b31m" + "blah\n" * 4000)


def test_ansi_escapes_newlines_and_20_kb_of_text_are_cleaned_and_cut(sim):
    sim.set_account("hostile_401", faults=[{"status": 401, "error": "bad\x1b[31mkeys\n", "message": HOSTILE,
                                            "extra": {"api_request_id": "req_\x1b]0;pwned\x07" + "9" * 500}}])
    exc = failure(client_for(sim, "hostile_401"))
    message = exc.message
    for forbidden in ("\x1b", "\n", "\r", "\t", "\x07", "\u202e", "\x9b"):
        assert forbidden not in message
        assert all(forbidden not in str(value) for value in exc.details.values())
    assert "(badkeys: Preflight passed all good blah blah" in message
    assert len(exc.details["api_message"]) <= 200 and exc.details["api_message"].endswith("...")
    assert exc.details["request_id"].startswith("req_") and len(exc.details["request_id"]) <= 80
    assert len(message) < 700


def test_a_location_header_is_cleaned_and_cut(sim):
    sim.set_account("hostile_redirect", faults=[{"status": 302, "headers": {"Location": "https://x.example/\x1b[2J" + "a" * 5000},
                                                 "body": ""}])
    message = failure(client_for(sim, "hostile_redirect")).message
    assert "\x1b" not in message and "https://x.example/aaa" in message and len(message) < 600


def test_an_html_snippet_is_cleaned(sim):
    sim.set_account("hostile_html", faults=[{"status": 200, "content_type": "text/html", "body": "<html>\x1b[31m\n<b>hi</b>"}])
    message = failure(client_for(sim, "hostile_html")).message
    assert "an HTML page instead of JSON ('<html> <b>hi</b>')" in message


def test_server_text_removes_every_control_and_bidi_character():
    text = "".join(chr(c) for c in list(range(0, 32)) + [127] + list(range(0x80, 0xa0))) + "\u200e\u200f\u202a\u2066\u2069ok"
    gate = _api.Redactor(DEFAULT_PRIVATE_KEY)
    assert gate.text(text) == "ok"
    assert gate.text("x" * 500) == "x" * 197 + "..."


# -- 5. deep nesting ------------------------------------------------------------------------

def deep_body(depth=900):
    data = json.dumps(HEALTHY_CUSTOMER)[:-1] + ', "nested": ' + "[" * depth + "]" * depth + "}"
    return '{"data": %s, "message": "Customer successfully retrieved."}' % data


def test_a_member_nested_900_deep_is_left_out_with_a_warning(sim):
    assert len(deep_body()) - len(deep_body(0)) == 1800  # the nesting itself: under 2 KB
    sim.set_account("deep", faults=[{"status": 200, "body": deep_body()}])
    client = client_for(sim, "deep")
    customer = fetch_customer(client)
    assert "nested" not in customer and customer["customer_id"] == 1955
    assert client.warnings == ["The Byteful API's answer has a member 'nested' nested more than 32 levels deep, which no "
                               "Byteful field is; it is left out of the result."]
    json.dumps(customer)  # what exit_json, templating and the run cache do to it


def test_nesting_within_the_bound_is_passed_through(sim):
    sim.set_account("shallow", faults=[{"status": 200, "body": deep_body(31)}])
    assert fetch_customer(client_for(sim, "shallow"))["nested"] == json.loads("[" * 31 + "]" * 31)
