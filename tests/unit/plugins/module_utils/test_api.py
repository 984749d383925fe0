# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTTP client: statuses, retries and backoff (on a fake clock), messages, and the key's secrecy."""

from __future__ import annotations

import email.utils
import gzip
import json
import math
import threading
import time
import warnings

import pytest
import requests
from urllib3.exceptions import InsecureRequestWarning
from urllib3.exceptions import ProtocolError as Urllib3ProtocolError

from ansible_collections.byteful.proxy.plugins.module_utils import _api, _transport
from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulClient, BytefulError
from ansible_collections.byteful.proxy.tests.simulator.protocol import ATTEMPT_HEADER as SIMULATOR_ATTEMPT_HEADER
from ansible_collections.byteful.proxy.tests.unit.plugins.hostile import key_forms, never_whole
from ansible_collections.byteful.proxy.tests.unit.plugins.module_utils.fake_api import FakeClock

PUBLIC = "pk_live_public"
PRIVATE = "sk_live_0123456789abcdef-SECRET"
URL = "https://api.example.test/1.0"
CUSTOMER_URL = URL + "/public/user/customer/retrieve"
OK_BODY = {"data": {"customer_id": 1955}, "message": "Customer successfully retrieved."}


class FakeRaw:
    def __init__(self, chunks, clock, per_read=0.0, error=None):
        self.chunks = list(chunks)
        self.clock = clock
        self.per_read = per_read
        self.error = error

    def read1(self, amt, decode_content=True):  # pylint: disable=unused-argument
        self.decode_content = decode_content
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
    _transport._last_request_at[0] = float("-inf")


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


def test_tls_options_map_to_verify(clock, tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    assert make_client(clock, [], ca_path=str(bundle))[0].verify == str(bundle)
    assert make_client(clock, [], ca_path=str(tmp_path))[0].verify == str(tmp_path)  # a c_rehash directory
    assert make_client(clock, [], validate_certs=False, ca_path=str(bundle))[0].verify is False


def test_missing_ca_path_is_named_before_any_request(clock):
    with pytest.raises(BytefulError) as info:
        make_client(clock, [], ca_path="/nonexistent/ca.pem")
    assert info.value.message == ("ca_path '/nonexistent/ca.pem' does not exist; set it to a PEM file, or a directory, "
                                  "of CA certificates.")


class InsecureSession(FakeSession):
    """Warns as urllib3 does on each request made with verify=False."""

    def get(self, url, **kwargs):
        if kwargs["verify"] is False:
            warnings.warn("Unverified HTTPS request is being made", InsecureRequestWarning)
        return super().get(url, **kwargs)


def test_validate_certs_false_warns_once_and_silences_urllib3(clock, recwarn):
    session = InsecureSession(clock, [(200, OK_BODY), (200, OK_BODY)])
    client = BytefulClient(URL, PUBLIC, PRIVATE, validate_certs=False, session=session, sleep=clock.sleep, clock=clock.monotonic)
    assert client.warnings == [
        "validate_certs is false, so the TLS certificate of api.example.test is not verified and whoever answers in its "
        "place receives the private key; set ca_path to the CA that signed it instead, or keep this to a test server."]
    client.get("/x", "Retrieving")
    assert not [w for w in recwarn if issubclass(w.category, InsecureRequestWarning)]
    # The filter is lifted again after the request.
    with pytest.warns(InsecureRequestWarning):
        session.get(URL, verify=False)
    assert make_client(clock, [])[0].warnings == []
    # Plain http to this machine has no certificate to skip.
    assert make_client(clock, [], api_url="http://127.0.0.1:8080/1.0", validate_certs=False)[0].warnings == []


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/1.0", "http://localhost/1.0", "http://[::1]:9/1.0", "http://127.8.9.10/1.0",
    "http://[::ffff:127.0.0.1]/1.0", "HTTP://LOCALHOST/1.0",
])
def test_plain_http_to_this_machine_is_allowed(clock, url):
    client = make_client(clock, [], api_url=url)[0]
    assert client.warnings == []


@pytest.mark.parametrize("url, host", [
    ("http://api.byteful.com/1.0", "api.byteful.com"), ("http://10.0.0.5:8080/1.0", "10.0.0.5"),
    ("http://localhost.example.com/1.0", "localhost.example.com"), ("http://[2001:db8::1]/1.0", "2001:db8::1"),
])
def test_plain_http_elsewhere_is_refused_unless_allowed(clock, url, host):
    with pytest.raises(BytefulError) as info:
        make_client(clock, [], api_url=url)
    assert info.value.message == (
        "api_url %r uses plain http to %s, which would send the private key in clear text; use https, or set "
        "allow_insecure_http to true for a test server on a network you trust." % (url, host))
    client, session = make_client(clock, [(200, OK_BODY)], api_url=url, allow_insecure_http=True)
    assert client.warnings == ["api_url uses plain http to %s because allow_insecure_http is true, so the private key "
                               "crosses the network in clear text; use https outside a test network." % host]
    client.get("/x", "Retrieving")
    assert session.calls[0][0] == url + "/x"


def test_url_with_credentials_is_refused_without_showing_them(clock):
    with pytest.raises(BytefulError) as info:
        make_client(clock, [], api_url="https://user:hunter2@api.byteful.com/1.0")
    assert "hunter2" not in info.value.message
    assert info.value.message.startswith("api_url must not hold a user name or password")


def test_url_holding_the_key_is_redacted_in_the_error(clock):
    with pytest.raises(BytefulError) as info:
        make_client(clock, [], api_url="https://api.byteful.com/1.0?key=" + PRIVATE)
    assert PRIVATE not in info.value.message and "key=********" in info.value.message


@pytest.mark.parametrize("url", ["https://api.byteful.com:notaport/1.0", "https://[::1/1.0", "https://:443/1.0",
                                 "https://api.byteful.com:0/1.0", "//api.byteful.com/1.0", "api.byteful.com", ""])
def test_unusable_urls_are_one_sentence(clock, url):
    with pytest.raises(BytefulError) as info:
        make_client(clock, [], api_url=url)
    assert "is not an absolute http(s) URL; set it to the API root" in info.value.message


def test_non_string_url(clock):
    with pytest.raises(BytefulError, match=r"^api_url must be a string such as https://api.byteful.com/1.0, got integer\.$"):
        make_client(clock, [], api_url=443)


def test_key_travels_only_in_its_header_on_every_attempt(clock):
    client, session = make_client(clock, [(503, b""), (429, b"", {"Retry-After": "1"}), (200, OK_BODY)])
    client.get("/public/user/customer/retrieve", "Retrieving")
    assert len(session.calls) == 3
    for url, kwargs in session.calls:
        assert PRIVATE not in url and "?" not in url
        assert kwargs["allow_redirects"] is False
        headers = dict(kwargs["headers"])
        assert headers.pop("X-API-Private-Key") == PRIVATE
        assert PRIVATE not in json.dumps(headers) and PRIVATE not in json.dumps(kwargs, default=repr).replace(
            json.dumps(PRIVATE), "")


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
        "Retrieving the Byteful customer at %s failed with HTTP 401 (invalid_api_keys: Invalid API key or secret; "
        "request id req_42); check api_public_key and api_private_key (or BYTEFUL_API_PUBLIC_KEY and "
        "BYTEFUL_API_PRIVATE_KEY)." % CUSTOMER_URL)
    assert error.details == {"url": CUSTOMER_URL, "status": 401, "error": "invalid_api_keys",
                             "api_message": "Invalid API key or secret.", "request_id": "req_42", "attempts": 1}


KEY_WORDS = dict(option_names={"api_public_key": "byteful_api_public_key", "api_private_key": "BYTEFUL_API_PRIVATE_KEY"},
                 keys_where="the play's variables")


def test_key_messages_use_the_callers_names(clock):
    with pytest.raises(BytefulError) as info:
        make_client(clock, [], public_key="", private_key=None, **KEY_WORDS)
    assert info.value.message == (
        "byteful_api_public_key and BYTEFUL_API_PRIVATE_KEY are not set; set them in the play's variables or in the "
        "BYTEFUL_API_PUBLIC_KEY and BYTEFUL_API_PRIVATE_KEY environment variables.")
    with pytest.raises(BytefulError) as info:
        make_client(clock, [], private_key="key with a space", **KEY_WORDS)
    assert info.value.message.startswith("BYTEFUL_API_PRIVATE_KEY contains whitespace")
    client, dummy = make_client(clock, [(401, {"error": "invalid_api_keys"})], **KEY_WORDS)
    assert fail_with(client).message.endswith(
        "failed with HTTP 401 (invalid_api_keys); check byteful_api_public_key and BYTEFUL_API_PRIVATE_KEY.")


@pytest.mark.parametrize("error, message, said", [
    ("Unprocessable Entity", "No product matches 'isp_usa'.", "(Unprocessable Entity: No product matches 'isp_usa'; request id r)"),
    ("Bad.", "Cut short" + "x" * 300, "(Bad: Cut short%s...; request id r)" % ("x" * 188)),
    ("Bad", ".", "(Bad; request id r)"),
])
def test_the_apis_full_stop_never_doubles_ours(clock, error, message, said):
    client, dummy = make_client(clock, [(422, {"error": error, "message": message, "api_request_id": "r"})])
    failure = fail_with(client)
    assert said in failure.message and ".;" not in failure.message.replace("...;", "")
    assert failure.details["api_message"] == _api.Redactor(PRIVATE).text(message)  # the API's words as they came


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


TWO_FACTOR_HINT = ("which an unattended run cannot give; complete it in the Byteful dashboard, or turn off two-factor "
                   "confirmation for API access there, then rerun.")


def test_403_two_factor_older_shape(clock):
    body = {"error": "forbidden", "message": "Two-factor required.", "two_factor_required": True,
            "two_factor_methods": ["totp"], "api_request_id": "r"}
    client, session = make_client(clock, [(403, body)])
    assert fail_with(client).message == (
        "Retrieving the Byteful customer at %s failed with HTTP 403 (forbidden: Two-factor required; request id r); the account requires "
        "two-factor confirmation through totp, %s" % (CUSTOMER_URL, TWO_FACTOR_HINT))
    assert len(session.calls) == 1


LIVE_TWO_FACTOR = {"error": "Forbidden", "message": "Two-factor authentication is required.", "api_request_id": "r",
                   "two_factor_authentication_public_key": "2fa_pk_7c1d9e0b5a", "two_factor_authentication_service": "email",
                   "two_factor_authentication_target": "s***@apple.com"}


def test_403_two_factor_live_shape_names_service_and_target_never_the_challenge_key(clock):
    client, session = make_client(clock, [(403, LIVE_TWO_FACTOR)])
    error = fail_with(client)
    assert error.message == (
        "Retrieving the Byteful customer at %s failed with HTTP 403 (Forbidden: Two-factor authentication is required; request id r); the "
        "account requires two-factor confirmation through email (sent to s***@apple.com), %s" % (CUSTOMER_URL, TWO_FACTOR_HINT))
    assert "2fa_pk_7c1d9e0b5a" not in repr(error.message) + repr(error.details)
    assert len(session.calls) == 1


@pytest.mark.parametrize("body, through", [
    # Any one of the live members is enough to recognise the challenge.
    ({"two_factor_authentication_public_key": "2fa_pk_x"}, ""),
    ({"two_factor_authentication_service": "sms"}, " through sms"),
    # Server text: escapes removed, controls made spaces, long values cut, non-strings ignored.
    ({"two_factor_authentication_service": "e\nmail\x1b[31m", "two_factor_authentication_target": "x" * 200},
     " through e mail (sent to %s...)" % ("x" * 37)),
    ({"two_factor_authentication_service": ["email"], "two_factor_authentication_target": 5, "two_factor_required": True}, ""),
    ({"two_factor_required": True, "two_factor_methods": [1, None]}, ""),
])
def test_403_two_factor_service_and_target_are_shown_short_or_left_out(clock, body, through):
    client, dummy = make_client(clock, [(403, dict(body, error="Forbidden"))])
    message = fail_with(client).message
    assert "; the account requires two-factor confirmation%s, which an unattended run" % through in message
    assert "\n" not in message and "\x1b" not in message and "2fa_pk_x" not in message


@pytest.mark.parametrize("status, body", [
    (403, {"error": "Forbidden", "two_factor_required": False, "two_factor_authentication_public_key": None}),
    (401, LIVE_TWO_FACTOR),
])
def test_other_answers_are_not_two_factor(clock, status, body):
    client, dummy = make_client(clock, [(status, body)])
    assert "two-factor" not in fail_with(client).message


def test_429_honours_retry_after_then_succeeds(clock):
    client, session = make_client(clock, [(429, {"error": "rate_limit_exceeded"}, {"Retry-After": "3"}), (200, OK_BODY)])
    assert client.get("/public/user/customer/retrieve", "Retrieving").data == {"customer_id": 1955}
    assert len(clock.sleeps) == 1 and 3.0 <= clock.sleeps[0] <= 3.0 * (1 + _api.RETRY_AFTER_JITTER)
    assert len(session.calls) == 2


def test_429_waits_are_jittered_on_top_of_retry_after(clock):
    # Parallel jobs turned away together must not all come back exactly Retry-After later.
    waits = []
    for dummy in range(40):
        client, dummy_session = make_client(clock, [(429, b"", {"Retry-After": "1"}), (200, OK_BODY)])
        before = len(clock.sleeps)
        client.get("/x", "Retrieving")
        waits.extend(w for w in clock.sleeps[before:] if w >= 1.0)
    assert len(waits) == 40 and all(1.0 <= w <= 1.5 for w in waits)
    assert max(waits) - min(waits) > 0.2 and len(set(waits)) == 40


def test_429_is_retried_within_a_time_budget_not_a_count(clock):
    # Ten 429s are more than retries (3) allows, but they fit in rate_limit_wait.
    client, session = make_client(clock, [(429, b"", {"Retry-After": "1"})] * 10 + [(200, OK_BODY)], rate_limit_wait=30)
    assert client.get("/x", "Retrieving").data == {"customer_id": 1955}
    assert len(session.calls) == 11


def test_429_fails_when_the_time_budget_is_spent(clock):
    client, session = make_client(clock, [(429, {"error": "rate_limit_exceeded"})] * 20, rate_limit_wait=7)
    started = clock.now
    error = fail_with(client)
    # Backoffs of 1-1.25, 2-2.5, then 4-5 s would end past 7 s.
    assert len(session.calls) == 3 and clock.now - started <= 7
    assert error.details["attempts"] == 3
    assert "failed with HTTP 429 (rate_limit_exceeded) after 3 attempts; still refused after" in error.message
    assert "of the 7 s rate_limit_wait allows; the account's rate limit" in error.message


def test_429_with_retry_after_fails_when_what_it_asks_is_more_than_what_is_left(clock):
    client, session = make_client(clock, [(429, {"error": "rate_limit_exceeded"}, {"Retry-After": "2"})] * 20,
                                  rate_limit_wait=7)
    started = clock.now
    error = fail_with(client)
    assert 3 <= len(session.calls) <= 4 and clock.now - started <= 7
    assert ("failed with HTTP 429 (rate_limit_exceeded) after %d attempts; the API asked to wait 2 s, more than the"
            % len(session.calls) in error.message)
    assert "s left of the 7 s rate_limit_wait allows; the account's rate limit" in error.message


def test_rate_limit_wait_zero_fails_on_the_first_429(clock):
    client, session = make_client(clock, [(429, b"", {"Retry-After": "1"}), (200, OK_BODY)], rate_limit_wait=0)
    error = fail_with(client)
    assert len(session.calls) == 1 and "the API asked to wait 1 s, more than the 0.0 s left of the 0 s rate_limit_wait allows" in error.message


def test_a_retry_after_beyond_what_is_left_of_the_budget_fails_at_once(clock):
    client, session = make_client(clock, [(429, b"", {"Retry-After": "15"})], rate_limit_wait=10)
    assert "asked to wait 15 s, more than the 10.0 s left of the 10 s rate_limit_wait allows" in fail_with(client).message
    assert len(session.calls) == 1


def test_429_retry_after_as_http_date(clock):
    when = email.utils.formatdate(1_700_000_000.0 + 5, usegmt=True)
    client, dummy = make_client(clock, [(429, b"", {"Retry-After": when}), (200, OK_BODY)])
    client.get("/x", "Retrieving")
    assert len(clock.sleeps) == 1 and 5.0 <= clock.sleeps[0] <= 7.5


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
    assert "failed with HTTP 503 (unavailable: Down) after 4 attempts; the Byteful API is failing" in error.message
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


def test_each_attempt_says_why_it_was_sent(clock):
    # The API's logs and the fault matrix (collect.py) tell a retry from a request sent twice by this header.
    refused = requests.exceptions.ConnectionError("[Errno 111] Connection refused")
    answers = [(503, b""), (429, {"error": "Too Many Requests"}, {"Retry-After": "1"}),
               requests.exceptions.ReadTimeout("Read timed out."), refused, (200, OK_BODY)]
    client, session = make_client(clock, answers, retries=3)
    client.get("/public/user/customer/retrieve", "Retrieving the Byteful customer")
    assert [kwargs["headers"][_transport.ATTEMPT_HEADER] for dummy, kwargs in session.calls] == [
        "1", "2; after=503", "3; after=429", "4; after=timeout", "5; after=unreachable"]
    # Each call starts again at 1.
    session.answers.append((200, OK_BODY))
    client.get("/public/user/customer/retrieve", "Retrieving the Byteful customer")
    assert session.calls[-1][1]["headers"][_transport.ATTEMPT_HEADER] == "1"


def test_the_simulator_records_the_attempt_header_the_client_sends():
    assert SIMULATOR_ATTEMPT_HEADER == _transport.ATTEMPT_HEADER


def test_tls_failure_is_not_retried_and_points_at_ca_path(clock):
    error = requests.exceptions.SSLError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed "
                                         "certificate (_ssl.c:1006)")
    client, session = make_client(clock, [error])
    message = fail_with(client).message
    assert len(session.calls) == 1
    assert message == ("Retrieving the Byteful customer failed: the TLS certificate of %s could not be verified "
                       "(certificate verify failed: self-signed certificate); set ca_path to the CA bundle that signed "
                       "it, or validate_certs to false for a test server only." % CUSTOMER_URL)


def test_tls_handshake_failure_is_told_apart_from_an_untrusted_certificate(clock):
    error = requests.exceptions.SSLError("HTTPSConnectionPool(host='127.0.0.1', port=8080): Max retries exceeded "
                                         "(Caused by SSLError(SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version "
                                         "number (_ssl.c:1006)')))")
    client, session = make_client(clock, [error])
    message = fail_with(client).message
    assert len(session.calls) == 1
    assert "failed: the TLS handshake with %s failed (wrong version number); check that api_url" % CUSTOMER_URL in message


def test_slow_trickle_is_bounded_by_the_total_timeout(clock):
    body = json.dumps(OK_BODY).encode()
    client, dummy = make_client(clock, [(200, body, None, {"per_read": 0.5, "chunk": 1})] * 2, timeout=3, retries=1)
    error = fail_with(client)
    assert "did not finish its answer within 3 s after 2 attempts" in error.message
    # Two attempts of 3 s each plus one backoff wait: bounded, whatever the body length.
    assert clock.now - 1000.0 < 2 * 3 + 1.25 + 1


class BlockingSession:
    """A server that never finishes its headers: get() blocks, in real time, until released."""

    def __init__(self):
        self.release = threading.Event()
        self.calls = 0

    def get(self, url, **kwargs):  # pylint: disable=unused-argument
        self.calls += 1
        self.release.wait(30)
        raise requests.exceptions.ConnectionError("released")


def test_headers_trickling_past_the_deadline_are_abandoned():
    # The socket timeout bounds each read, not the whole answer: a server sending a header byte
    # now and then would keep get() busy for hours. Each attempt is cut at its deadline.
    session = BlockingSession()
    slept = []
    client = BytefulClient(URL, PUBLIC, PRIVATE, timeout=0.2, retries=1, session=session, sleep=slept.append)
    started = time.monotonic()
    try:
        with pytest.raises(BytefulError) as info:
            client.get("/public/user/customer/retrieve", "Retrieving the Byteful customer")
    finally:
        session.release.set()
    elapsed = time.monotonic() - started
    assert session.calls == 2
    assert info.value.message == ("Retrieving the Byteful customer at %s did not answer within 0.2 s after 2 attempts; "
                                  "raise timeout or check the network path to the API." % CUSTOMER_URL)
    # Each blocked get() would hold its attempt for 30 s: returning well before one of them proves
    # both were abandoned at their deadline, however busy the machine.
    assert elapsed < 20


class SlowRaw:
    """A body that arrives one byte per `interval` of real time."""

    def __init__(self, interval):
        self.interval = interval

    def read1(self, amt, decode_content=True):  # pylint: disable=unused-argument
        time.sleep(self.interval)
        return b" "


class TricklingSession:
    def __init__(self, interval):
        self.interval = interval

    def get(self, url, **kwargs):  # pylint: disable=unused-argument
        response = FakeResponse(200, b"")
        response.raw = SlowRaw(self.interval)
        return response


def test_body_trickling_in_real_time_is_cut_at_the_deadline():
    client = BytefulClient(URL, PUBLIC, PRIVATE, timeout=0.3, retries=0, session=TricklingSession(0.05))
    started = time.monotonic()
    with pytest.raises(BytefulError, match="did not finish its answer within 0.3 s; raise timeout"):
        client.get("/x", "Retrieving")
    # The body never ends: returning at all is the deadline's doing (a generous bound for a busy machine).
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("value", ["\u00b2", "12abc", "-5", "soon"])
def test_unreadable_retry_after_falls_back_to_backoff(clock, value):
    client, dummy = make_client(clock, [(429, b"", {"Retry-After": value}), (200, OK_BODY)])
    client.get("/x", "Retrieving")
    assert 1.0 <= clock.sleeps[0] <= 1.25


@pytest.mark.parametrize("value, shown", [("9" * 40, "1000000000000000 s"), ("21", "21 s")])
def test_retry_after_beyond_the_cap_is_reported_whatever_its_size(clock, value, shown):
    client, session = make_client(clock, [(429, b"", {"Retry-After": value})])
    assert "the API asked to wait %s, more than the 20 s this client waits" % shown in fail_with(client).message
    assert len(session.calls) == 1


def test_retry_after_http_date_beyond_the_cap_fails_at_once(clock):
    when = email.utils.formatdate(1_700_000_000.0 + 600, usegmt=True)
    client, session = make_client(clock, [(429, b"", {"Retry-After": when})])
    assert "asked to wait 600 s" in fail_with(client).message
    assert len(session.calls) == 1 and clock.sleeps == []


@pytest.mark.parametrize("length", ["\u00b2", "abc", "-1", " 12 "])
def test_odd_content_length_does_not_crash(clock, length):
    client, dummy = make_client(clock, [(200, OK_BODY, {"Content-Length": length})])
    assert client.get("/x", "Retrieving").data == {"customer_id": 1955}


@pytest.mark.parametrize("body, words", [
    (b'{"data": {"credit_balance": NaN}}', "a body that is not valid JSON (NaN is not a JSON value"),
    (b'{"data": Infinity}', "a body that is not valid JSON (Infinity is not a JSON value"),
    (b"[" * 100000 + b"]" * 100000, "JSON nested too deeply to be an API answer"),
])
def test_bodies_python_reads_but_json_does_not_allow(clock, body, words):
    client, dummy = make_client(clock, [(200, body)])
    assert words in fail_with(client).message


@pytest.mark.parametrize("status", [100, 199])
def test_informational_status_is_no_success(clock, status):
    client, dummy = make_client(clock, [(status, OK_BODY)])
    assert "failed with HTTP %d" % status in fail_with(client).message


def test_api_request_id_must_be_text_or_number(clock):
    client, dummy = make_client(clock, [(401, {"error": "e", "message": "m", "api_request_id": True})])
    assert "request id" not in fail_with(client).message


def test_body_shorter_than_announced_is_a_broken_answer_and_retried(clock):
    body = json.dumps(OK_BODY).encode()
    client, session = make_client(clock, [(200, body[:20], {"Content-Length": str(len(body))})] * 2, retries=1)
    message = fail_with(client).message
    assert "broke off its answer (after 20 of %d bytes) after 2 attempts; raise timeout" % len(body) in message
    assert len(session.calls) == 2
    # The raw bytes are read (see _exchange._DECODABLE), so Content-Length counts what was read, compressed or not.
    packed = gzip.compress(body)
    client, dummy = make_client(clock, [(200, packed, {"Content-Length": str(len(packed)), "Content-Encoding": "gzip"})])
    assert client.get("/x", "Retrieving").data == {"customer_id": 1955}


def test_connection_broken_mid_body_says_how_far_it_got(clock):
    broken = (200, b'{"data": ', None, {"error": Urllib3ProtocolError(
        "('Connection broken: IncompleteRead(217 bytes read, 218 more expected)', IncompleteRead(217 bytes read, 218 more "
        "expected))")})
    client, dummy = make_client(clock, [broken] * 2, retries=1)
    assert "broke off its answer (after 217 of 435 bytes) after 2 attempts" in fail_with(client).message


def test_untrusted_ca_file_is_named_as_such(clock):
    error = requests.exceptions.SSLError("HTTPSConnectionPool(host='127.0.0.1', port=1): Max retries exceeded with url: "
                                         "/1.0 (Caused by SSLError(SSLError(136, '[X509: NO_CERTIFICATE_OR_CRL_FOUND] no "
                                         "certificate or crl found (_ssl.c:4154)')))")
    client, dummy = make_client(clock, [error])
    assert "the TLS handshake with %s failed (no certificate or crl found); check" % CUSTOMER_URL in fail_with(client).message


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
    assert "(invalid_api_keys: Key ******** is not valid; request id r1)" in error.message
    assert error.details["api_message"] == "Key ******** is not valid."


def test_exception_text_holding_the_key_is_redacted(clock):
    client, dummy = make_client(clock, [requests.exceptions.InvalidHeader("bad header value %r" % PRIVATE)])
    assert "failed before any answer" in fail_with(client).message


@pytest.mark.parametrize("kwargs, words", [
    (dict(public_key=""), "api_public_key is not set; set it in the task's options or in the BYTEFUL_API_PUBLIC_KEY "
                          "environment variable."),
    (dict(private_key=None), "api_private_key is not set; set it in the task's options or in the BYTEFUL_API_PRIVATE_KEY"),
    (dict(public_key=None, private_key=""), "api_public_key and api_private_key are not set; set them in the task's "
                                            "options or in the BYTEFUL_API_PUBLIC_KEY and BYTEFUL_API_PRIVATE_KEY "
                                            "environment variables."),
    (dict(private_key=PRIVATE + "\n"), "api_private_key contains whitespace or control characters"),
    (dict(api_url="api.byteful.com/1.0"), "is not an absolute http(s) URL"),
    (dict(api_url="ftp://api.byteful.com/1.0"), "is not an absolute http(s) URL"),
    (dict(api_url="https://api.byteful.com/1.0?key=x"), "must not have a query string"),
    (dict(timeout=0), "timeout must be a positive number"),
    (dict(timeout=-1.5), "timeout must be a positive number"),
    (dict(timeout=math.inf), "timeout must be a positive number of seconds, at most 3600, got inf."),
    (dict(timeout=math.nan), "timeout must be a positive number of seconds, at most 3600, got nan."),
    (dict(timeout=10 ** 12), "at most 3600"),
    (dict(timeout="10"), "timeout must be a positive number"),
    (dict(timeout=True), "timeout must be a positive number"),
    (dict(retries=-1), "retries must be 0 or more"),
    (dict(retries=1.5), "retries must be 0 or more, got 1.5."),
    (dict(retries=True), "retries must be 0 or more, got True."),
    (dict(public_key=1955), "api_public_key must be a string."),
    (dict(private_key=["x", "y"]), "api_private_key must be a string."),
    (dict(private_key="   "), "api_private_key contains whitespace"),
])
def test_bad_options_fail_before_any_request(clock, kwargs, words):
    with pytest.raises(BytefulError) as info:
        make_client(clock, [], **kwargs)
    assert words in info.value.message
    assert PRIVATE not in info.value.message


@pytest.mark.parametrize("options, words", [
    ({"timeout": 0}, "timeout must be a positive number of seconds, at most 3600, got 0."),
    ({"retries": -2}, "retries must be 0 or more, got -2."),
    ({"api_url": ""}, None),  # an empty api_url is the default, as when the option is unset
])
def test_from_options_takes_the_default_only_for_unset_options(options, words):
    options = dict({"api_public_key": PUBLIC, "api_private_key": PRIVATE}, **options)
    if words is None:
        assert BytefulClient.from_options(options).api_url == _api.DEFAULT_API_URL
        return
    with pytest.raises(BytefulError) as info:
        BytefulClient.from_options(options)
    assert info.value.message == words


def test_from_options_keeps_zero_retries_and_the_insecure_switch():
    client = BytefulClient.from_options({"api_public_key": PUBLIC, "api_private_key": PRIVATE, "retries": 0,
                                         "api_url": "http://192.0.2.1/1.0", "allow_insecure_http": True})
    assert client.retries == 0 and client.warnings


def test_worst_case_follows_the_policy():
    # 30 s of rate-limit waits, then the last rate-limited attempt and four attempts of 10 s cut
    # 0.25 s after their deadline, spaced by the throttle, and three backoffs with full jitter.
    assert _api.worst_case_seconds() == pytest.approx(30 + 5 * (10 + 0.25 + 0.1) + 1.25 * (1 + 2 + 4))
    assert _api.worst_case_seconds(timeout=1, retries=0, rate_limit_wait=0) == pytest.approx(5 + 2 * 1.35)


def test_requests_are_spaced_to_respect_the_rate_limit(clock):
    client, dummy = make_client(clock, [(200, OK_BODY)] * 3)
    for dummy_i in range(3):
        client.get("/x", "Retrieving")
    assert clock.sleeps == [pytest.approx(0.1), pytest.approx(0.1)]


@pytest.mark.parametrize("value, expected", [
    ("7", 7.0), (" 0 ", 0.0), ("", None), (None, None), ("soon", None), ("-3", None),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("\u00b2", None), ("\u0661", None), ("9" * 40, 1e15),
    ("Tue, 14 Nov 2023 22:13:30 GMT", 10.0), ("Tue, 14 Nov 2023 22:13:30", None),
])
def test_retry_after_parsing(value, expected):
    assert _transport.retry_after_seconds(value, now=1_700_000_000.0) == expected


def test_the_raw_bytes_are_read_and_never_decoded_by_urllib3(clock):
    # urllib3 1.26 and 2.0 decode a whole chunk without a bound (a 1.8 KB double-gzip answer
    # became gigabytes); the client reads raw bytes and decodes them itself, boundedly.
    packed = gzip.compress(gzip.compress(json.dumps(OK_BODY).encode()))
    client, session = make_client(clock, [(200, packed, {"Content-Encoding": "gzip, gzip"})])
    responses = []
    get = session.get
    session.get = lambda url, **kwargs: responses.append(get(url, **kwargs)) or responses[-1]
    assert client.get("/x", "Retrieving").data == {"customer_id": 1955}
    assert responses[0].raw.decode_content is False
    assert session.calls[0][1]["headers"]["Accept-Encoding"] == "identity"


# -- every message names the option as the user set it (issue 17) --------------------------

ROLE_NAMES = {option: "byteful_" + option for option in _api.CONNECTION_OPTIONS}


def role_client(clock, answers, **kwargs):
    return make_client(clock, answers, option_names=ROLE_NAMES, **kwargs)


@pytest.mark.parametrize("kwargs, words", [
    (dict(timeout=0), "byteful_timeout must be a positive number of seconds"),
    (dict(retries=-1), "byteful_retries must be 0 or more"),
    (dict(rate_limit_wait=-1), "byteful_rate_limit_wait must be a number of seconds from 0 to 3600"),
    (dict(ca_path="/nonexistent/ca.pem"), "byteful_ca_path '/nonexistent/ca.pem' does not exist"),
    (dict(api_url="http://api.byteful.com/1.0"), "use https, or set byteful_allow_insecure_http to true for a test server"),
    (dict(api_url="https://u:p@api.byteful.com/1.0"), "byteful_api_url must not hold a user name or password; the keys go "
                                                      "in byteful_api_public_key and byteful_api_private_key"),
    (dict(api_url="ftp://x"), "byteful_api_url 'ftp://x' is not an absolute http(s) URL"),
    (dict(api_url=5), "byteful_api_url must be a string"),
])
def test_option_mistakes_name_what_the_user_set(clock, kwargs, words):
    with pytest.raises(BytefulError) as info:
        role_client(clock, [], **kwargs)
    assert words in info.value.message


def test_warnings_name_what_the_user_set(clock):
    client, dummy = role_client(clock, [], validate_certs=False)
    assert client.warnings[0].startswith("byteful_validate_certs is false") and "set byteful_ca_path to" in client.warnings[0]
    client, dummy = role_client(clock, [], api_url="http://192.0.2.1/1.0", allow_insecure_http=True)
    assert client.warnings == ["byteful_api_url uses plain http to 192.0.2.1 because byteful_allow_insecure_http is true, "
                               "so the private key crosses the network in clear text; use https outside a test network."]


@pytest.mark.parametrize("answers, kwargs, words", [
    ([requests.exceptions.ReadTimeout("Read timed out.")], {}, "did not answer within 10 s; raise byteful_timeout or check"),
    ([requests.exceptions.ConnectionError("[Errno 111] Connection refused")], {}, "check byteful_api_url and the network"),
    ([requests.exceptions.SSLError("certificate verify failed: self-signed certificate")], {},
     "set byteful_ca_path to the CA bundle that signed it, or byteful_validate_certs to false"),
    ([requests.exceptions.SSLError("[SSL: WRONG_VERSION_NUMBER] wrong version number")], {},
     "check that byteful_api_url is the https address of the API and that byteful_ca_path is a PEM file"),
    ([(404, {"error": "Not Found"})], {}, "check that byteful_api_url is the API root"),
    ([(301, b"", {"Location": "https://x.example/"})], {}, "set byteful_api_url to the API root"),
    ([(200, b"<html>")], {}, "check that byteful_api_url is the Byteful API root."),
    ([(200, OK_BODY, {"Content-Length": str(10 ** 9)})], {}, "; check byteful_api_url."),
    ([(429, b"", {"Retry-After": "5"})], {"rate_limit_wait": 2}, "of the 2 s byteful_rate_limit_wait allows"),
    ([(401, {"error": "Unauthorized"})], {}, "check byteful_api_public_key and byteful_api_private_key."),
])
def test_failures_name_what_the_user_set(clock, answers, kwargs, words):
    client, dummy = role_client(clock, answers, retries=0, **kwargs)
    message = fail_with(client).message
    assert words in message
    assert not any(" %s " % option in " %s " % message.replace(";", " ").replace(",", " ")
                   for option in _api.CONNECTION_OPTIONS), message


# -- the one gate: cleaned, then redacted, then cut ----------------------------------------

@pytest.mark.parametrize("form", key_forms(PRIVATE), ids=list(key_forms(PRIVATE)))
def test_the_gate_removes_the_key_in_every_disguise(form):
    gate = _api.Redactor(PRIVATE)
    text = "a %s b" % key_forms(PRIVATE)[form]
    never_whole(gate.text(text), gate.data(text)[0], key=PRIVATE)
    assert gate.text(text) == "a ******** b"


def test_the_gate_leaves_other_text_alone_and_cuts_after_redacting():
    gate = _api.Redactor(PRIVATE)
    assert gate.data("Ünïcode  text, 50% off, &amp; more")[0] == "Ünïcode  text, 50% off, &amp; more"
    assert gate.data("a\r\n\tb\x1b[31mc\u200bd")[0] == "a bcd"
    # The key straddles the 1,024th character: redacted first, so the cut leaves none of it.
    text, was_cut = gate.data("x" * 1020 + PRIVATE)
    assert was_cut and text == "x" * 1020 + "*..." and PRIVATE[:4] not in text
    assert _api.Redactor("abc").redact("abc") == "abc"  # too short to be a key: nothing to find
