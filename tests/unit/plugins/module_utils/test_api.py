# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTTP client: statuses, retries and backoff (on a fake clock), messages, and the key's secrecy."""

from __future__ import annotations

import email.utils
import json

import pytest
import requests

from ansible_collections.byteful.proxy.plugins.module_utils import _api
from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulClient, BytefulError

PUBLIC = "pk_live_public"
PRIVATE = "sk_live_0123456789abcdef-SECRET"
URL = "https://api.example.test/1.0"
CUSTOMER_URL = URL + "/public/user/customer/retrieve"
OK_BODY = {"data": {"customer_id": 1955}, "message": "Customer successfully retrieved."}


class FakeClock:
    """time.monotonic/time.sleep stand-ins: time passes only when someone sleeps or reads slowly."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class FakeRaw:
    def __init__(self, chunks, clock, per_read=0.0, error=None):
        self.chunks = list(chunks)
        self.clock = clock
        self.per_read = per_read
        self.error = error

    def read1(self, amt, decode_content=True):  # pylint: disable=unused-argument
        self.clock.now += self.per_read
        if self.chunks:
            return self.chunks.pop(0)
        if self.error:
            raise self.error
        return b""


class FakeResponse:
    def __init__(self, status, body=b"", headers=None, clock=None, per_read=0.0, chunk=None, error=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        self.status_code = status
        self.headers = requests.structures.CaseInsensitiveDict(headers or {})
        chunks = [body[i:i + chunk] for i in range(0, len(body), chunk)] if chunk else [body]
        self.raw = FakeRaw(chunks, clock, per_read, error)
        self.closed = False

    def close(self):
        self.closed = True


class FakeSession:
    """Answers each get() with the next item: a FakeResponse spec tuple or an exception."""

    def __init__(self, clock, answers):
        self.clock = clock
        self.answers = list(answers)
        self.calls = []

    def get(self, url, **kwargs):
        self.calls.append((url, kwargs))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body, headers, extra = (tuple(answer) + (None, None, None))[:4]
        return FakeResponse(status, body if body is not None else b"", headers, self.clock, **(extra or {}))


@pytest.fixture(autouse=True)
def no_throttle_memory():
    # The throttle remembers the last request per process; every test starts fresh.
    _api._last_request_at[0] = float("-inf")


@pytest.fixture
def clock():
    return FakeClock()


def make_client(clock, answers, **kwargs):
    session = FakeSession(clock, answers)
    options = dict(api_url=URL, public_key=PUBLIC, private_key=PRIVATE)
    options.update(kwargs)
    client = BytefulClient(session=session, sleep=clock.sleep, clock=clock.monotonic,
                           wall_clock=lambda: 1_700_000_000.0, **options)
    return client, session


def fail_with(client):
    with pytest.raises(BytefulError) as info:
        client.get("/public/user/customer/retrieve", "Retrieving the Byteful customer")
    assert PRIVATE not in info.value.message
    assert PRIVATE not in repr(info.value.details)
    assert "\n" not in info.value.message
    return info.value


def test_success_sends_keys_only_in_headers(clock):
    client, session = make_client(clock, [(200, OK_BODY)])
    response = client.get("/public/user/customer/retrieve", "Retrieving the Byteful customer")
    assert response.data == {"customer_id": 1955}
    (url, kwargs), = session.calls
    assert url == CUSTOMER_URL and PRIVATE not in url
    assert kwargs["headers"]["X-API-Public-Key"] == PUBLIC
    assert kwargs["headers"]["X-API-Private-Key"] == PRIVATE
    assert kwargs["headers"]["User-Agent"] == "byteful.proxy/%s (Ansible collection)" % _api.COLLECTION_VERSION
    assert PRIVATE not in kwargs["headers"]["User-Agent"]
    assert kwargs["timeout"] == (10.0, 10.0)
    assert kwargs["verify"] is True
    assert kwargs["allow_redirects"] is False
    assert clock.sleeps == []


def test_tls_options_map_to_verify(clock):
    assert make_client(clock, [], ca_path="/etc/ca.pem")[0].verify == "/etc/ca.pem"
    assert make_client(clock, [], validate_certs=False, ca_path="/etc/ca.pem")[0].verify is False


def test_from_options_uses_defaults():
    client = BytefulClient.from_options({"api_public_key": PUBLIC, "api_private_key": PRIVATE})
    assert client.api_url == _api.DEFAULT_API_URL
    assert client.timeout == _api.DEFAULT_TIMEOUT and client.retries == _api.DEFAULT_RETRIES
    assert PRIVATE not in repr(client)


def test_401_names_status_api_words_and_what_to_do(clock):
    body = {"error": "invalid_api_keys", "message": "Invalid API key or secret.", "api_request_id": "req_42"}
    client, session = make_client(clock, [(401, body)])
    error = fail_with(client)
    assert len(session.calls) == 1, "a 401 is not retried"
    assert error.message == (
        "Retrieving the Byteful customer at %s failed with HTTP 401 (invalid_api_keys: Invalid API key or secret.; "
        "request id req_42); check api_public_key and api_private_key (or BYTEFUL_API_PUBLIC_KEY and "
        "BYTEFUL_API_PRIVATE_KEY)." % CUSTOMER_URL)
    assert error.details == {"url": CUSTOMER_URL, "status": 401, "error": "invalid_api_keys",
                             "api_message": "Invalid API key or secret.", "request_id": "req_42", "attempts": 1}


@pytest.mark.parametrize("status, hint", [
    (400, "report it to byteful.proxy"),
    (403, "may not read this resource"),
    (404, "check that api_url is the API root"),
    (422, "report it to byteful.proxy"),
])
def test_client_errors_are_not_retried_and_say_what_to_do(clock, status, hint):
    client, session = make_client(clock, [(status, {"error": "e", "message": "m", "api_request_id": "r"})])
    error = fail_with(client)
    assert "HTTP %d (e: m; request id r)" % status in error.message and hint in error.message
    assert len(session.calls) == 1


def test_403_two_factor_variant(clock):
    body = {"error": "forbidden", "message": "Two-factor required.", "two_factor_required": True}
    client, dummy = make_client(clock, [(403, body)])
    assert "two-factor confirmation" in fail_with(client).message


def test_429_honours_retry_after_then_succeeds(clock):
    client, session = make_client(clock, [(429, {"error": "rate_limit_exceeded"}, {"Retry-After": "3"}), (200, OK_BODY)])
    assert client.get("/public/user/customer/retrieve", "Retrieving").data == {"customer_id": 1955}
    assert clock.sleeps == [3.0]
    assert len(session.calls) == 2


def test_429_retry_after_as_http_date(clock):
    when = email.utils.formatdate(1_700_000_000.0 + 5, usegmt=True)
    client, dummy = make_client(clock, [(429, b"", {"Retry-After": when}), (200, OK_BODY)])
    client.get("/x", "Retrieving")
    assert clock.sleeps == [5.0]


def test_429_retry_after_above_cap_fails_at_once(clock):
    client, session = make_client(clock, [(429, {"error": "rate_limit_exceeded", "message": "Slow down."},
                                           {"Retry-After": "120"})])
    error = fail_with(client)
    assert len(session.calls) == 1 and clock.sleeps == []
    assert "asked to wait 120 s, more than the 20 s this client waits" in error.message
    assert error.details["status"] == 429


def test_429_without_retry_after_backs_off(clock):
    client, dummy = make_client(clock, [(429, b""), (429, b""), (200, OK_BODY)])
    client.get("/x", "Retrieving")
    assert 1.0 <= clock.sleeps[0] <= 1.25 and 2.0 <= clock.sleeps[1] <= 2.5


def test_5xx_exhausts_retries_with_bounded_exponential_backoff(clock):
    client, session = make_client(clock, [(503, {"error": "unavailable", "message": "Down."})] * 4)
    error = fail_with(client)
    assert len(session.calls) == 4
    assert len(clock.sleeps) == 3
    assert all(base <= slept <= base * 1.25 for slept, base in zip(clock.sleeps, (1, 2, 4)))
    assert "failed with HTTP 503 (unavailable: Down.) after 4 attempts; the Byteful API is failing" in error.message
    assert error.details["attempts"] == 4


def test_backoff_is_capped(clock):
    client, dummy = make_client(clock, [(502, b"")] * 7, retries=6)
    fail_with(client)
    assert max(clock.sleeps) <= _api.BACKOFF_MAX * 1.25
    assert min(clock.sleeps[4:]) >= _api.BACKOFF_MAX


def test_transient_5xx_then_success(clock):
    client, dummy = make_client(clock, [(504, b""), (504, b""), (200, OK_BODY)])
    assert client.get("/x", "Retrieving").status == 200


def test_retries_zero_means_one_attempt(clock):
    client, session = make_client(clock, [(503, b"")], retries=0)
    error = fail_with(client)
    assert len(session.calls) == 1 and "after" not in error.message


def test_connection_refused_is_retried_then_reported(clock):
    refused = requests.exceptions.ConnectionError(
        "HTTPSConnectionPool(host='api.example.test', port=443): Max retries exceeded with url: /1.0/x "
        "(Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object>: Failed to establish a new "
        "connection: [Errno 111] Connection refused'))")
    client, session = make_client(clock, [refused] * 4)
    error = fail_with(client)
    assert len(session.calls) == 4
    assert error.message == ("Retrieving the Byteful customer at %s could not be reached (Connection refused) after 4 "
                             "attempts; check api_url and the network path (DNS, proxy, firewall)." % CUSTOMER_URL)


def test_timeout_is_reported_with_the_limit(clock):
    client, dummy = make_client(clock, [requests.exceptions.ReadTimeout("Read timed out. (read timeout=2.5)")] * 2,
                                timeout=2.5, retries=1)
    assert "did not answer within 2.5 s after 2 attempts; raise timeout" in fail_with(client).message


def test_tls_failure_is_not_retried_and_points_at_ca_path(clock):
    error = requests.exceptions.SSLError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed "
                                         "certificate (_ssl.c:1006)")
    client, session = make_client(clock, [error])
    message = fail_with(client).message
    assert len(session.calls) == 1
    assert "could not be verified (certificate verify failed: self-signed certificate" in message
    assert "set ca_path" in message


def test_slow_trickle_is_bounded_by_the_total_timeout(clock):
    body = json.dumps(OK_BODY).encode()
    client, dummy = make_client(clock, [(200, body, None, {"per_read": 0.5, "chunk": 1})] * 2, timeout=3, retries=1)
    error = fail_with(client)
    assert "did not finish its answer within 3 s after 2 attempts" in error.message
    # Two attempts of 3 s each plus one backoff wait: bounded, whatever the body length.
    assert clock.now - 1000.0 < 2 * 3 + 1.25 + 1


def test_huge_body_is_refused_without_reading_it(clock):
    client, session = make_client(clock, [(200, b"{}", {"Content-Length": str(50 * 1024 * 1024)})])
    assert "more than the 1048576 bytes" in fail_with(client).message
    assert len(session.calls) == 1


def test_huge_streamed_body_is_cut_off(clock):
    body = b"[" + b"0," * (_api.MAX_BODY_BYTES // 2 + 10) + b"0]"
    client, dummy = make_client(clock, [(200, body, None, {"chunk": 65536})])
    assert "sent more than the 1048576 bytes" in fail_with(client).message


def test_broken_connection_mid_body_is_retried(clock):
    broken = (200, b'{"data": ', None, {"error": requests.exceptions.ChunkedEncodingError("Connection broken")})
    client, session = make_client(clock, [broken, (200, OK_BODY)])
    assert client.get("/x", "Retrieving").data == {"customer_id": 1955}
    assert len(session.calls) == 2


@pytest.mark.parametrize("body, words", [
    (b"<!DOCTYPE html><html><body>Bad gateway</body></html>", "an HTML page instead of JSON"),
    (b'{"data": {"customer_id": 19', "a body that is not valid JSON"),
    (b"", "an empty body"),
    (b"\xff\xfe\x00", "a body that is not UTF-8 text"),
])
def test_non_json_success_bodies(clock, body, words):
    client, dummy = make_client(clock, [(200, body)])
    message = fail_with(client).message
    assert "returned HTTP 200 with " + words in message and "check that api_url" in message


def test_json_that_is_not_an_object(clock):
    client, dummy = make_client(clock, [(200, [1, 2])])
    assert "returned HTTP 200 with a JSON array instead of an object" in fail_with(client).message


def test_missing_data_member(clock):
    client, dummy = make_client(clock, [(200, {"message": "ok"})])
    assert "without a 'data' member (keys: message)" in fail_with(client).message


def test_html_error_page_with_status(clock):
    client, dummy = make_client(clock, [(502, b"<html>Bad Gateway</html>")], retries=0)
    message = fail_with(client).message
    assert "failed with HTTP 502 (an HTML page instead of JSON" in message


def test_redirect_is_not_followed(clock):
    client, session = make_client(clock, [(301, b"", {"Location": "https://evil.example/collect"})])
    message = fail_with(client).message
    assert "redirect (HTTP 301 to https://evil.example/collect)" in message
    assert len(session.calls) == 1


def test_api_echoing_the_key_is_redacted(clock):
    body = {"error": "invalid_api_keys", "message": "Key %s is not valid." % PRIVATE, "api_request_id": "r1"}
    client, dummy = make_client(clock, [(401, body)])
    error = fail_with(client)
    assert "Key ******** is not valid." in error.message
    assert error.details["api_message"] == "Key ******** is not valid."


def test_exception_text_holding_the_key_is_redacted(clock):
    client, dummy = make_client(clock, [requests.exceptions.InvalidHeader("bad header value %r" % PRIVATE)])
    assert "failed before any answer" in fail_with(client).message


@pytest.mark.parametrize("kwargs, words", [
    (dict(public_key=""), "api_public_key is not set; pass it to the task or set the BYTEFUL_API_PUBLIC_KEY"),
    (dict(private_key=None), "api_private_key is not set; pass it to the task or set the BYTEFUL_API_PRIVATE_KEY"),
    (dict(private_key=PRIVATE + "\n"), "api_private_key contains whitespace or control characters"),
    (dict(api_url="api.byteful.com/1.0"), "is not an absolute http(s) URL"),
    (dict(api_url="ftp://api.byteful.com/1.0"), "is not an absolute http(s) URL"),
    (dict(api_url="https://api.byteful.com/1.0?key=x"), "must not have a query string"),
    (dict(timeout=0), "timeout must be a positive number"),
    (dict(retries=-1), "retries must be 0 or more"),
])
def test_bad_options_fail_before_any_request(clock, kwargs, words):
    with pytest.raises(BytefulError) as info:
        make_client(clock, [], **kwargs)
    assert words in info.value.message
    assert PRIVATE not in info.value.message


def test_requests_are_spaced_to_respect_the_rate_limit(clock):
    client, dummy = make_client(clock, [(200, OK_BODY)] * 3)
    for dummy_i in range(3):
        client.get("/x", "Retrieving")
    assert clock.sleeps == [pytest.approx(0.1), pytest.approx(0.1)]


@pytest.mark.parametrize("value, expected", [
    ("7", 7.0), (" 0 ", 0.0), ("", None), (None, None), ("soon", None), ("-3", None),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
])
def test_retry_after_parsing(value, expected):
    assert _api._retry_after_seconds(value, now=1_700_000_000.0) == expected
