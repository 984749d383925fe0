# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Byteful simulator's server: protocol, faults, control API, secrecy and command line (accounts: test_accounts.py)."""

from __future__ import annotations

import base64
import email.utils
import gzip
import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from ansible_collections.byteful.proxy.tests import simulator as simulator_package
from ansible_collections.byteful.proxy.tests.simulator import CATALOGUE, DEFAULT_PRIVATE_KEY, Simulator, SimulatorState
from ansible_collections.byteful.proxy.tests.simulator import state as state_module
from ansible_collections.byteful.proxy.tests.simulator.protocol import ATTEMPT_HEADER

pytestmark = pytest.mark.once  # no ansible-core code in the simulator: see tests/unit/conftest.py

DOCUMENTED_FIELDS = {
    "customer_id", "customer_email_address", "customer_first_name", "customer_last_name", "credit_balance",
    "customer_proxy_user_limit", "proxy_count", "residential_bytes_left", "active_residential_service_id",
    "mobile_bytes_left", "active_mobile_service_id",
}
CUSTOMER_PATH = "/public/user/customer/retrieve"
# a request id as the live API sends it: a (version 4) UUID
UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
# `python3 tests/simulator` runs the package directory, as the integration helpers and the demo do.
SCRIPT = os.path.dirname(simulator_package.__file__)


class Reply:
    """What came back: status, headers, raw body."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))


def call(url, headers=None, method="GET", body=None, timeout=5, context=None):
    data = None
    headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return Reply(exc.code, exc.headers, exc.read())


@pytest.fixture(name="server", scope="module")
def server_fixture():
    with Simulator() as simulator:
        yield simulator


@pytest.fixture(name="sim")
def sim_fixture(server):
    """The module's simulator, with counters, accounts and configuration reset."""
    server.reset(accounts=True)
    server.set_config(rate_limit=True, delay_scale=1.0)
    return server


def get(sim, account, path=CUSTOMER_PATH, private_key=None, **kwargs):
    return call(sim.base_url + path, sim.headers(account, private_key), **kwargs)


def control(sim, method, path, body=None):
    return call(sim.control_url + path, method=method, body=body)


# -- protocol ---------------------------------------------------------------------------------


def test_success_envelope(sim):
    assert sim.base_url.startswith("http://127.0.0.1:") and sim.base_url.endswith("/1.0")
    reply = get(sim, "healthy")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.headers["X-Request-Id"]
    body = reply.json()
    assert body["message"] == "Customer successfully retrieved."
    assert body["data"] == CATALOGUE.customers["healthy"]
    assert DOCUMENTED_FIELDS < set(body["data"])
    assert body["data"]["customer_id"] == 1955
    assert body["data"]["customer_email_address"] == "steve.jobs@apple.com"
    assert body["data"]["credit_balance"] == 250000


def test_request_ids_are_unique_uuids_and_match_the_envelope(sim):
    ids = {get(sim, "healthy").headers["X-Request-Id"] for _attempt in range(3)}
    assert len(ids) == 3 and all(re.fullmatch(UUID4, request_id) for request_id in ids)
    reply = get(sim, "nobody")
    assert reply.json()["api_request_id"] == reply.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-fA-F\-]+", reply.json()["api_request_id"])  # what the community client's own tests ask of it


@pytest.mark.parametrize("headers", [
    {},
    {"X-API-Private-Key": DEFAULT_PRIVATE_KEY},
    {"X-API-Public-Key": "healthy"},
    {"X-API-Public-Key": "healthy", "X-API-Private-Key": "wrong"},
    {"X-API-Public-Key": "no-such-account", "X-API-Private-Key": DEFAULT_PRIVATE_KEY},
])
def test_invalid_keys(sim, headers):
    reply = call(sim.base_url + CUSTOMER_PATH, headers)
    assert reply.status == 401
    body = reply.json()
    assert body["error"] == "Unauthorized"
    assert body["message"] == "Invalid API key or secret."
    assert body["api_request_id"] == reply.headers["X-Request-Id"]


def test_unknown_path_and_wrong_method(sim):
    reply = get(sim, "healthy", path="/public/user/nothing")
    assert reply.status == 404 and reply.json()["error"] == "Not Found"
    assert call(sim.root_url + "/2.0" + CUSTOMER_PATH, sim.headers("healthy")).status == 404
    reply = get(sim, "healthy", method="POST", body={})
    assert reply.status == 405 and reply.json()["error"] == "Method Not Allowed"
    assert reply.headers["Allow"] == "GET"
    reply = get(sim, "healthy", method="HEAD")
    assert reply.status == 405 and reply.body == b""


def test_malformed_request_line_gets_an_envelope(sim):
    with socket.create_connection(("127.0.0.1", sim.port), timeout=5) as sock:
        sock.sendall(b"GARBAGE\r\n\r\n")
        chunks = []
        while True:  # the server closes the connection after the answer
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
        raw = b"".join(chunks)
    head, _separator, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert json.loads(body)["error"] == "Bad Request"


def test_summaries(sim):
    reply = get(sim, "healthy", path="/public/user/residential/summary")
    assert reply.status == 200
    data = reply.json()["data"]
    assert data["residential_bytes_left"] == 10737418240
    assert data["residential_bytes"] == data["residential_bytes_used"] + data["residential_bytes_left"]
    assert isinstance(data["proxy_user_ids"], list) and data["proxy_user_ids"]
    data = get(sim, "no_mobile", path="/public/user/mobile/summary").json()["data"]
    assert data == {"mobile_bytes": 0, "mobile_bytes_used": 0, "mobile_bytes_left": 0, "mobile_requests": 0, "proxy_user_ids": []}


# -- accounts ---------------------------------------------------------------------------------


def test_builtin_customers(sim):
    def data(account):
        return get(sim, account).json()["data"]

    for account in ("healthy", "low_credit", "no_mobile", "no_services", "extra_fields", "wrong_types"):
        assert DOCUMENTED_FIELDS <= set(data(account)), account
    low = data("low_credit")
    assert (low["credit_balance"], low["residential_bytes_left"], low["mobile_bytes_left"]) == (12, 1048576, 0)
    assert low["active_mobile_service_id"]
    no_mobile = data("no_mobile")
    assert no_mobile["mobile_bytes_left"] is None and no_mobile["active_mobile_service_id"] is None
    assert no_mobile["residential_bytes_left"] == 10737418240
    none = data("no_services")
    assert [none[key] for key in ("residential_bytes_left", "active_residential_service_id", "mobile_bytes_left", "active_mobile_service_id")] == [None] * 4
    extra = data("extra_fields")
    assert {"customer_settings", "affiliate_balance", "kyc_verified_datetime"} <= set(extra)
    assert set(CATALOGUE.customers["live_full"]) < set(extra)
    assert isinstance(extra["active_service_types"], list)
    wrong = data("wrong_types")
    assert wrong["credit_balance"] == "1245" and wrong["mobile_bytes_left"] is True
    numeric = ("customer_id", "credit_balance", "customer_proxy_user_limit", "proxy_count", "residential_bytes_left",
               "mobile_bytes_left")
    mistyped = data("wrong_number_types")
    assert [type(mistyped[key]).__name__ for key in numeric] == ["str", "float", "str", "list", "str", "dict"]
    assert all(isinstance(data("booleans")[key], bool) for key in numeric)
    negative = data("negative_counters")
    assert all(negative[key] < 0 for key in ("customer_proxy_user_limit", "proxy_count", "residential_bytes_left", "mobile_bytes_left"))
    assert data("negative_credit")["credit_balance"] == -500


def test_set_account_from_python(sim):
    assert sim.set_account("custom", customer={"customer_id": "x", "anything": [1, 2]}) is True
    assert get(sim, "custom").json()["data"] == {"customer_id": "x", "anything": [1, 2]}
    assert sim.set_account("custom", faults=[{"status": 500, "times": 1}]) is False
    assert get(sim, "custom").status == 500
    assert get(sim, "custom").json()["data"] == {"customer_id": "x", "anything": [1, 2]}


def test_set_account_over_http(sim):
    reply = control(sim, "PUT", "/accounts/mine", {
        "customer": {"customer_id": 7, "credit_balance": None},
        "faults": [{"status": 429, "headers": {"Retry-After": "1"}, "times": 2}, {"status": 418, "body": "teapot", "times": 1}],
    })
    assert reply.status == 201 and reply.json() == {"account": "mine", "created": True}
    assert [get(sim, "mine").status for _attempt in range(3)] == [429, 429, 418]
    reply = get(sim, "mine")
    assert reply.status == 200 and reply.json()["data"] == {"customer_id": 7, "credit_balance": None}
    assert control(sim, "GET", "/accounts/mine").json()["customer"] == {"customer_id": 7, "credit_balance": None}
    assert "mine" in control(sim, "GET", "/accounts").json()["accounts"]
    assert control(sim, "PUT", "/accounts/mine", {"faults": [{"stauts": 500}]}).status == 400
    assert control(sim, "PUT", "/accounts/mine", {"costumer": {}}).status == 400
    assert control(sim, "PUT", "/accounts/mine", {"faults": [{"action": "explode"}]}).status == 400
    assert control(sim, "PUT", "/accounts/mine", {"faults": [{"retry_after_date": -1}]}).status == 400
    assert control(sim, "PUT", "/accounts/mine", {"faults": [{"echo_key": "yes"}]}).status == 400
    assert control(sim, "DELETE", "/accounts/mine").status == 200
    assert get(sim, "mine").status == 401


# -- faults -----------------------------------------------------------------------------------


def test_fault_429(sim):
    for _attempt in range(2):
        reply = get(sim, "fault_429")
        assert reply.status == 429
        assert reply.headers["Retry-After"] == "1"
        assert reply.json()["error"] == "Too Many Requests"


def test_once_then_ok_and_reset(sim):
    first = get(sim, "fault_429_once")
    assert first.status == 429 and first.headers["Retry-After"] == "1"
    assert get(sim, "fault_429_once").status == 200
    reply = get(sim, "fault_429_no_retry_after_once")
    assert reply.status == 429 and reply.headers.get("Retry-After") is None
    assert [get(sim, "fault_504_twice").status for _attempt in range(3)] == [504, 504, 200]
    assert [get(sim, "fault_502_once").status for _attempt in range(2)] == [502, 200]
    assert control(sim, "POST", "/reset").status == 200
    assert get(sim, "fault_429_once").status == 429


def test_429_variants(sim):
    for _attempt in range(2):
        reply = get(sim, "fault_429_no_retry_after")
        assert reply.status == 429 and reply.headers.get("Retry-After") is None
        assert get(sim, "fault_429_retry_after_above_cap").headers["Retry-After"] == "120"
    before = time.time()
    reply = get(sim, "fault_429_http_date")
    when = email.utils.parsedate_to_datetime(reply.headers["Retry-After"]).timestamp()
    assert reply.status == 429 and before <= when <= time.time() + 2.5
    assert get(sim, "fault_429_http_date").status == 429
    assert [get(sim, "fault_429_http_date_once").status for _attempt in range(2)] == [429, 200]


def test_redirect_and_empty_body(sim):
    connection = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)  # urllib would follow the redirect
    try:
        connection.request("GET", "/1.0" + CUSTOMER_PATH, headers=sim.headers("fault_redirect"))
        response = connection.getresponse()
        assert response.status == 302 and response.headers["Location"] == "https://collector.example/steal"
        assert response.read() == b""
    finally:
        connection.close()
    reply = get(sim, "fault_empty_body")
    assert reply.status == 200 and reply.body == b""


def test_echo_key_quotes_the_key_to_the_client_only(tmp_path):
    secret = "sk-echo-SECRET-%d" % os.getpid()
    log_file = tmp_path / "sim.log"
    with Simulator(private_key=secret, log_file=str(log_file)) as simulator:
        reply = get(simulator, "fault_echo_key")
    assert reply.status == 401 and secret in reply.json()["message"]
    assert "fault_echo_key status=401" in log_file.read_text(encoding="utf-8")
    assert secret not in log_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("account, status, error", [
    ("fault_500", 500, "Internal Server Error"),
    ("fault_502", 502, "Bad Gateway"),
    ("fault_503", 503, "Service Unavailable"),
    ("fault_504", 504, "Gateway Timeout"),
    ("fault_403", 403, "Forbidden"),
    ("fault_404", 404, "Not Found"),
    ("fault_422", 422, "Unprocessable Entity"),
    ("fault_echo_key", 401, "Unauthorized"),
])
def test_error_faults(sim, account, status, error):
    for _attempt in range(2):
        reply = get(sim, account)
        assert reply.status == status
        assert reply.json()["error"] == error


def test_fault_403_2fa(sim):
    body = get(sim, "fault_403_2fa").json()
    assert body["two_factor_required"] is True and body["two_factor_methods"] == ["totp"]
    assert body["error"] == "Forbidden" and body["api_request_id"]


def test_bodies_that_are_not_a_customer(sim):
    reply = get(sim, "fault_non_json")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/html")
    with pytest.raises(ValueError):
        reply.json()
    reply = get(sim, "fault_html_502")
    assert reply.status == 502 and reply.headers["Content-Type"].startswith("text/html") and b"<html>" in reply.body
    assert isinstance(get(sim, "fault_json_list").json(), list)
    assert get(sim, "fault_no_data").json() == {"message": "ok"}
    assert get(sim, "fault_null_data").json()["data"] is None


def test_truncated(sim):
    reply = get(sim, "fault_truncated")
    assert reply.status == 200
    assert int(reply.headers["Content-Length"]) == len(reply.body) > 10
    with pytest.raises(ValueError):
        reply.json()


def test_cut_connection_announces_more_than_it_sends(sim):
    connection = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    try:
        connection.request("GET", "/1.0" + CUSTOMER_PATH, headers=sim.headers("fault_cut_connection"))
        response = connection.getresponse()
        announced = int(response.headers["Content-Length"])
        with pytest.raises(http.client.IncompleteRead) as caught:
            response.read()
        assert 10 < len(caught.value.partial) < announced
    finally:
        connection.close()


def test_huge(sim):
    reply = get(sim, "fault_huge")
    assert len(reply.body) > 5 * 1024 * 1024
    assert reply.json()["data"]["customer_id"] == 1955


def test_body_base64_is_sent_as_raw_bytes(sim):
    packed = gzip.compress(b'{"data": {}}')
    sim.set_account("raw_bytes", faults=[{"status": 200, "headers": {"Content-Encoding": "gzip"},
                                          "body_base64": base64.b64encode(packed).decode("ascii")}])
    reply = get(sim, "raw_bytes")
    assert reply.body == packed and reply.headers["Content-Encoding"] == "gzip"
    with pytest.raises(Exception, match="body_base64 must be a base64 string"):
        sim.set_account("raw_bytes", faults=[{"status": 200, "body_base64": "not base64!"}])


def test_delay_and_delay_scale(sim):
    sim.set_account("slowish", faults=[{"delay": 0.3}])
    started = time.monotonic()
    assert get(sim, "slowish").status == 200
    assert time.monotonic() - started >= 0.3
    # fault_slow waits 2 s; scaled by 0.05, at least 0.1 s. The scale's upper side is not timed (a
    # busy machine would make any bound fail): what the scaled state waits is recorded instead.
    sim.set_config(delay_scale=0.05)
    started = time.monotonic()
    assert get(sim, "fault_slow").status == 200
    assert time.monotonic() - started >= 0.1
    waits = []

    class Event:
        def wait(self, seconds):
            waits.append(seconds)
            return False

    state = SimulatorState(delay_scale=0.05)
    state.stop_event = Event()
    assert state.wait(2.0) is False and waits == [pytest.approx(0.1)]


def test_hang_does_not_answer(sim):
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        get(sim, "fault_hang", timeout=0.5)


def test_trickle_starts_then_drips(sim):
    connection = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=3)
    try:
        connection.request("GET", "/1.0" + CUSTOMER_PATH, headers=sim.headers("fault_trickle"))
        response = connection.getresponse()
        assert response.status == 200
        assert int(response.headers["Content-Length"]) > 100
        assert response.read(1) == b"{"
    finally:
        connection.close()


def test_trickle_headers_drips_the_status_line(sim):
    with socket.create_connection(("127.0.0.1", sim.port), timeout=5) as sock:
        request = "GET /1.0%s HTTP/1.1\r\nHost: x\r\nX-API-Public-Key: fault_trickle_headers\r\nX-API-Private-Key: %s\r\n\r\n" % (
            CUSTOMER_PATH, DEFAULT_PRIVATE_KEY)
        sock.sendall(request.encode("ascii"))
        time.sleep(1.2)
        received = sock.recv(65536)  # what has come so far (waits for the first byte on a slow machine)
    # One byte at once, then one per 0.5 s: after a second or so, not even the status line (15 bytes,
    # 7 s of dripping) has arrived. No exact count: a busy machine delays the server or this test.
    assert b"HTTP/1.1 200 OK".startswith(received) and 1 <= len(received) < len(b"HTTP/1.1 200 OK")


def test_disconnect_once(sim):
    with pytest.raises((http.client.HTTPException, urllib.error.URLError, ConnectionError)):
        get(sim, "fault_disconnect_once")
    assert get(sim, "fault_disconnect_once").status == 200


# -- stats and rate limit ---------------------------------------------------------------------


def test_stats_record_why_each_request_was_sent_and_what_it_was_given(sim):
    control(sim, "POST", "/reset")
    headers = dict(sim.headers("fault_502_once"), **{ATTEMPT_HEADER: "1"})
    assert call(sim.base_url + CUSTOMER_PATH, headers).status == 502
    headers[ATTEMPT_HEADER] = "2; after=502"
    assert call(sim.base_url + CUSTOMER_PATH, headers).status == 200
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        get(sim, "fault_hang", timeout=0.3)
    attempts = sim.stats()["attempts_by_account"]
    assert attempts["fault_502_once"] == [{"attempt": "1", "answer": 502}, {"attempt": "2; after=502", "answer": 200}]
    assert attempts["fault_hang"] == [{"attempt": None, "answer": "hang"}]


def test_stats_count_api_requests_only(sim):
    for _attempt in range(3):
        get(sim, "healthy")
    get(sim, "low_credit", path="/public/user/mobile/summary")
    call(sim.base_url + CUSTOMER_PATH)
    control(sim, "GET", "/accounts")
    control(sim, "GET", "/health")
    stats = control(sim, "GET", "/stats").json()
    assert stats["requests"] == 5
    assert stats["by_account"] == {"healthy": 3, "low_credit": 1, "(none)": 1}
    assert stats["by_path"] == {"/1.0" + CUSTOMER_PATH: 4, "/1.0/public/user/mobile/summary": 1}
    assert stats["by_status"] == {"200": 4, "401": 1}
    assert sim.stats() == stats
    control(sim, "POST", "/reset")
    assert sim.stats()["requests"] == 0


def test_rate_limit(sim):
    statuses = []
    while 429 not in statuses and len(statuses) < 40:  # 11 quick requests, unless the machine is very slow
        reply = get(sim, "healthy")
        statuses.append(reply.status)
    assert statuses.count(200) >= 10 and statuses[-1] == 429
    assert reply.headers["Retry-After"] == "1"
    assert reply.json()["error"] == "Too Many Requests"
    assert get(sim, "low_credit").status == 200  # per public key
    time.sleep(1.05)
    assert get(sim, "healthy").status == 200


class FakeTime:
    """Stands in for the time module: the clock moves only when told."""

    def __init__(self):
        self.now = 100.0

    def monotonic(self):
        return self.now


def test_rate_limit_window_is_sliding(monkeypatch):
    clock = FakeTime()
    monkeypatch.setattr(state_module, "time", clock)
    state = SimulatorState()
    assert all(state.admit("healthy") for _attempt in range(10))
    assert not state.admit("healthy")
    assert state.admit("low_credit")
    clock.now += 0.5
    assert not state.admit("healthy")
    clock.now += 0.5  # the first ten are now one second old
    assert all(state.admit("healthy") for _attempt in range(10))
    assert not state.admit("healthy")
    state.set_config({"rate_limit": False})
    assert all(state.admit("healthy") for _attempt in range(100))


def test_rate_limit_can_be_switched_off(sim):
    assert control(sim, "PUT", "/config", {"rate_limit": False}).json()["rate_limit"] is False
    assert {get(sim, "healthy").status for _attempt in range(15)} == {200}


def test_control_errors(sim):
    assert control(sim, "GET", "/nothing").status == 404
    assert control(sim, "GET", "/reset").status == 405
    assert control(sim, "GET", "/accounts/nobody").status == 404
    reply = call(sim.control_url + "/accounts/x", method="PUT", headers={"Content-Type": "application/json"})
    assert reply.status == 201
    request = urllib.request.Request(sim.control_url + "/config", data=b"{not json", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)  # pylint: disable=consider-using-with
    assert caught.value.code == 400
    caught.value.close()


# -- secrecy ----------------------------------------------------------------------------------


def test_private_key_never_logged(tmp_path, capsys):
    secret = "sk-test-SECRET-%d" % os.getpid()
    log_file = tmp_path / "sim.log"
    with Simulator(private_key=secret, log_file=str(log_file), verbose=True) as simulator:
        assert get(simulator, "healthy").status == 200
        assert get(simulator, "healthy", private_key="wrong").status == 401
        assert call(simulator.base_url + CUSTOMER_PATH, {"X-API-Public-Key": secret, "X-API-Private-Key": secret}).status == 401
        assert call(simulator.base_url + "/" + secret, simulator.headers("healthy")).status == 404
        assert control(simulator, "PUT", "/accounts/" + urllib.parse.quote(secret), {}).status == 201
        assert control(simulator, "GET", "/stats").status == 200
        assert secret not in json.dumps(simulator.stats())
    text = log_file.read_text(encoding="utf-8")
    assert re.search("GET /1.0" + CUSTOMER_PATH + " public_key=healthy status=200 request_id=" + UUID4 + "\n", text)
    assert len(text.splitlines()) >= 6
    assert secret not in text
    captured = capsys.readouterr()
    assert "status=401" in captured.err
    assert secret not in captured.err and secret not in captured.out


def test_passwords_and_proxy_credentials_never_logged(tmp_path, capsys):
    log_file = tmp_path / "sim.log"
    first, second = "FirstPass%08d" % os.getpid(), "SecondPass%08d" % os.getpid()
    with Simulator(log_file=str(log_file), verbose=True, rate_limit=False) as simulator:
        api = simulator.base_url + "/public/user"
        body = {"proxy_user_id": "logged_user", "proxy_user_password": first}
        assert call(api + "/proxy_user/create", simulator.headers("healthy"), "POST", body).status == 201
        assert call(api + "/proxy_user/search?proxy_user_password=" + first, simulator.headers("healthy")).status == 200
        refused = "RefusedPass%08d" % os.getpid()  # never stored: the account is at its limit
        body = {"proxy_user_password": refused}
        assert call(api + "/proxy_user/create", simulator.headers("proxy_users_at_limit"), "POST", body).status == 422
        assert call(api + "/proxy_user/edit/logged_user", simulator.headers("healthy"), "PATCH", {"proxy_user_password": second}).status == 200
        default = call(api + "/proxy_user/retrieve/default_1955", simulator.headers("healthy")).json()["data"]["proxy_user_password"]
        proxy = call(api + "/proxy/search?per_page=1", simulator.headers("healthy")).json()["data"][0]
        listed = call(api + "/proxy/list_by_search?per_page=3&list_authentication=proxy_specific", simulator.headers("healthy")).json()["data"]
        secrets = [first, second, refused, default, proxy["proxy_password"], listed[-1].rsplit(":", 1)[1]]
        for secret in secrets:  # in a path, as a public key: where a confused client could put one
            assert call(api + "/proxy_user/retrieve/" + secret, simulator.headers("healthy")).status == 404
            assert call(api + "/proxy/search", simulator.headers(secret)).status == 401
        assert call(api + "/proxy_user/retrieve/x?proxy_user_password=NeverSeen123", simulator.headers("healthy")).status == 404
        stats = json.dumps(simulator.stats())
    text = log_file.read_text(encoding="utf-8")
    captured = capsys.readouterr()
    assert "PATCH /1.0/public/user/proxy_user/edit/logged_user public_key=healthy status=200" in text
    assert "GET /1.0/public/user/proxy_user/retrieve/<redacted> public_key=healthy status=404" in text
    for secret in secrets:
        assert secret not in text and secret not in captured.err and secret not in stats, secret
    assert "<redacted>" in stats


def test_the_log_hides_passwords_in_query_strings_and_bodies():
    state = SimulatorState()
    assert state.redact("GET /x?proxy_user_password=abc123&page=2") == "GET /x?proxy_user_password=<redacted>&page=2"
    assert state.redact('{"proxy_user_password": "abc123", "a": 1}') == '{"proxy_user_password": "<redacted>", "a": 1}'
    assert state.redact("default_proxy_user_password:xyz") == "default_proxy_user_password:<redacted>"
    state.keep_secret("Sh0rt")
    state.keep_secret("abc")  # too short to be a password: kept out, or every "abc" would go
    assert state.redact("user Sh0rt abc") == "user <redacted> abc"


# -- TLS ----------------------------------------------------------------------------------------


def test_tls_mode_serves_https_with_a_self_signed_certificate(tmp_path):
    cert_file = tmp_path / "ca.pem"
    with Simulator(tls_cert_file=str(cert_file)) as simulator:
        assert simulator.base_url.startswith("https://127.0.0.1:")
        assert cert_file.read_text(encoding="ascii").startswith("-----BEGIN CERTIFICATE-----")
        with pytest.raises(urllib.error.URLError) as caught:
            call(simulator.base_url + CUSTOMER_PATH, simulator.headers("healthy"), context=ssl.create_default_context())
        assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
        trusted = ssl.create_default_context(cafile=str(cert_file))
        reply = call(simulator.base_url + CUSTOMER_PATH, simulator.headers("healthy"), context=trusted)
        assert reply.status == 200 and reply.json()["data"]["customer_id"] == 1955
        # The name in the certificate is checked too: localhost is in it.
        localhost = simulator.base_url.replace("127.0.0.1", "localhost")
        assert call(localhost + CUSTOMER_PATH, simulator.headers("healthy"), context=trusted).status == 200
        assert call(simulator.control_url + "/stats", context=trusted).json()["requests"] == 2
    assert not list(tmp_path.glob("byteful-sim-key-*")), "the key file is removed once loaded"


def test_tls_mode_survives_a_client_that_refuses_the_certificate(tmp_path):
    with Simulator(tls_cert_file=str(tmp_path / "ca.pem")) as simulator:
        for _attempt in range(3):
            with pytest.raises(urllib.error.URLError):
                call(simulator.base_url + CUSTOMER_PATH, simulator.headers("healthy"), context=ssl.create_default_context())
        insecure = ssl.create_default_context()
        insecure.check_hostname = False
        insecure.verify_mode = ssl.CERT_NONE
        assert call(simulator.base_url + CUSTOMER_PATH, simulator.headers("healthy"), context=insecure).status == 200


def test_idle_timeout_stops_the_server():
    with Simulator(idle_timeout=0.3) as simulator:
        assert simulator.wait(30)  # returns as soon as it stops: the bound is only a margin for a busy machine


# -- command line -----------------------------------------------------------------------------


def _gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        with open("/proc/%d/stat" % pid, encoding="utf-8") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "Z"  # a zombie nobody reaped yet
    except OSError:
        return True


def test_cli_daemon(tmp_path):
    pid_file, url_file, log_file = tmp_path / "sim.pid", tmp_path / "sim.url", tmp_path / "sim.log"
    result = subprocess.run(
        [sys.executable, SCRIPT, "--daemon", "--idle-timeout", "60", "--pid-file", str(pid_file), "--url-file", str(url_file),
         "--log-file", str(log_file), "--verbose"],
        capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("http://127.0.0.1:") and lines[0].endswith("/1.0")
    url = lines[0]
    assert url_file.read_text(encoding="utf-8").strip() == url
    pid = int(pid_file.read_text(encoding="utf-8"))
    try:
        headers = {"X-API-Public-Key": "healthy", "X-API-Private-Key": DEFAULT_PRIVATE_KEY}
        assert call(url + CUSTOMER_PATH, headers).json()["data"]["customer_id"] == 1955
        root = url[:-len("/1.0")]
        assert call(root + "/_sim/shutdown", method="POST").status == 200
        deadline = time.monotonic() + 10
        while not _gone(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _gone(pid)
        assert not pid_file.exists()
    finally:
        if not _gone(pid):
            os.kill(pid, signal.SIGTERM)
    assert DEFAULT_PRIVATE_KEY not in log_file.read_text(encoding="utf-8")


def test_cli_daemon_tls(tmp_path):
    pid_file, cert_file = tmp_path / "sim.pid", tmp_path / "ca.pem"
    result = subprocess.run([sys.executable, SCRIPT, "--daemon", "--idle-timeout", "60", "--pid-file", str(pid_file),
                             "--tls-cert-file", str(cert_file)], capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    url = result.stdout.strip()
    pid = int(pid_file.read_text(encoding="utf-8"))
    try:
        assert url.startswith("https://127.0.0.1:") and url.endswith("/1.0")
        trusted = ssl.create_default_context(cafile=str(cert_file))
        headers = {"X-API-Public-Key": "healthy", "X-API-Private-Key": DEFAULT_PRIVATE_KEY}
        assert call(url + CUSTOMER_PATH, headers, context=trusted).json()["data"]["customer_id"] == 1955
    finally:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(pid)


def test_cli_foreground_env_key_and_sigterm(tmp_path):
    secret = "sk-env-SECRET-0123"
    env = dict(os.environ, BYTEFUL_SIM_PRIVATE_KEY=secret)
    with subprocess.Popen([sys.executable, SCRIPT, "--verbose", "--no-rate-limit", "--pid-file", str(tmp_path / "pid")],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as process:
        try:
            url = process.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:") and url.endswith("/1.0")
            headers = {"X-API-Public-Key": "healthy", "X-API-Private-Key": secret}
            assert {call(url + CUSTOMER_PATH, headers).status for _attempt in range(12)} == {200}
            assert call(url + CUSTOMER_PATH, dict(headers, **{"X-API-Private-Key": DEFAULT_PRIVATE_KEY})).status == 401
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=10)
    assert process.returncode == 0
    assert out == ""
    assert "status=200" in err
    assert secret not in err
