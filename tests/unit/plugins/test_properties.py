# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Property-based tests: arbitrary JSON, headers and thresholds against the schema, the client and the comparison.

Each property states what must hold for every input: the code either accepts the input and
the result is right, or raises BytefulError with one clear sentence; it never crashes, and it
never passes an account whose counters are below the thresholds. The runs are derandomized
with a fixed number of examples, so CI sees the same inputs every time; each property records
how many examples it ran as the property fuzz_examples of its test in the JUnit report
(tests/output/junit/ under ansible-test), which docs/reliability.md reads: nothing is written
into the tree.
"""

from __future__ import annotations

import functools
import json
import math
import re
import string

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.byteful.proxy.plugins.module_utils import _api, _transport
from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulClient, BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._customer import CUSTOMER_SCHEMA, validate_customer
from ansible_collections.byteful.proxy.plugins.plugin_utils._preflight import (
    MAX_BYTES,
    MAX_CENTS,
    evaluate,
    parse_bytes,
    parse_cents,
)

# Fuzzing finds the same on every ansible-core line, and docs/reliability.md reads its examples from the first.
pytestmark = pytest.mark.once

PRIVATE = "sk_fuzz_0123456789-SECRET"
# The JUnit property that carries a property's count of examples (tools/reliability_report.py reads it).
RECORD_NAME = "fuzz_examples"

# Fixed and derandomized: the same examples on every run. No example database, so that
# nothing is written into the tree, and no deadline, since CI machines are shared.
FUZZ = settings(max_examples=300, derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

EXAMPLES = {}


def counted(function):
    """Count the examples a property really ran (hypothesis may stop early when it runs out)."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        EXAMPLES[function.__name__] = EXAMPLES.get(function.__name__, 0) + 1
        return function(*args, **kwargs)
    return wrapper


def run_and_record(prop, record_property):
    """Run a property and, once it has passed, record how many examples it ran (pytest's record_property)."""
    prop()
    name = prop.hypothesis.inner_test.__name__
    assert EXAMPLES.get(name, 0) > 0, "the property ran no example"
    record_property(RECORD_NAME, json.dumps({"property": name, "examples": EXAMPLES[name],
                                             "doc": prop.__doc__.strip().splitlines()[0]}))


def assert_one_sentence(message):
    assert isinstance(message, str) and message
    assert "\n" not in message and "Traceback" not in message, message
    assert message.endswith("."), message
    assert PRIVATE not in message


# -- strategies ---------------------------------------------------------------------------

INTEGER_FIELDS = ("customer_id", "credit_balance", "customer_proxy_user_limit", "proxy_count")
STRING_FIELDS = ("customer_email_address", "customer_first_name", "customer_last_name")
COUNTERS = ("residential_bytes_left", "mobile_bytes_left")
SERVICE_IDS = ("active_residential_service_id", "active_mobile_service_id")
PAUSED_FLAGS = ("active_residential_service_subscription_is_paused", "active_mobile_service_is_paused")
REQUIRED = tuple(CUSTOMER_SCHEMA["required"])

scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-2 ** 70, max_value=2 ** 70)
           | st.floats() | st.text(max_size=12))
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
# Values a numeric field may be sent as, right and wrong: JSON true is not an integer here.
numbers = (st.integers(min_value=-10, max_value=10) | st.integers(min_value=0, max_value=2 ** 64)
           | st.integers(min_value=-2 ** 64, max_value=2 ** 300) | st.booleans() | st.none()
           | st.floats() | st.text(string.digits + "-. GBKiM", max_size=8) | st.lists(st.integers(), max_size=2))
texts = st.text(max_size=10) | st.none() | st.integers() | st.booleans()


@st.composite
def near_customers(draw):
    """Customer objects with some fields dropped, mistyped or out of range, and unknown extras."""
    customer = {}
    for field in INTEGER_FIELDS + COUNTERS:
        customer[field] = draw(numbers)
    for field in STRING_FIELDS + SERVICE_IDS:
        customer[field] = draw(texts)
    for field in PAUSED_FLAGS:
        customer[field] = draw(st.booleans() | texts)
    for field in draw(st.sets(st.sampled_from(sorted(customer)), max_size=6)):
        del customer[field]
    customer.update(draw(st.dictionaries(st.text(max_size=6), json_values, max_size=2)))
    return customer


@st.composite
def valid_customers(draw):
    """Customer objects the schema must accept, from customer_id alone to huge and negative values."""
    # JSON integers have no size limit: beyond 10**308 they no longer fit in a float. Negative
    # numbers are valid: credit owed, an overdrawn counter.
    huge = st.integers(min_value=10 ** 300, max_value=10 ** 400)
    any_integers = st.integers(min_value=-2 ** 70, max_value=2 ** 80) | huge | huge.map(lambda n: -n)
    customer = {"customer_id": draw(any_integers)}
    for fields, values in ((INTEGER_FIELDS[1:] + COUNTERS, any_integers), (STRING_FIELDS + SERVICE_IDS, st.text(max_size=12)),
                           (PAUSED_FLAGS, st.booleans())):
        for field in fields:
            if draw(st.booleans()):  # absent, or present with a value or null
                customer[field] = draw(values | st.none())
    return customer


def is_integer(value):
    # JSON Schema's integer: a number with no fraction (5.0 is one); never a boolean.
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value) and value.is_integer())


def schema_accepts(document):
    """The Customer schema, written out by hand as the oracle the validator must agree with."""
    if not isinstance(document, dict) or any(field not in document for field in REQUIRED):
        return False
    if not is_integer(document["customer_id"]):
        return False
    kinds = ([(field, is_integer) for field in INTEGER_FIELDS[1:] + COUNTERS]
             + [(field, lambda value: isinstance(value, str)) for field in STRING_FIELDS + SERVICE_IDS]
             + [(field, lambda value: isinstance(value, bool)) for field in PAUSED_FLAGS])
    # Every other documented field may be absent or null; present, it has its type.
    return all(document.get(field) is None or is_kind(document[field]) for field, is_kind in kinds)


# -- the schema -----------------------------------------------------------------------------


@FUZZ
@given(document=json_values | near_customers() | valid_customers())
@counted
def schema_agrees_with_the_oracle(document):
    """Schema validation: any JSON value is accepted exactly when it is a Customer object, else one clear error."""
    try:
        customer = validate_customer(document, request_id="req_fuzz")
    except BytefulError as exc:
        assert not schema_accepts(document), "rejected a valid customer: %s" % exc.message
        assert_one_sentence(exc.message)
        assert exc.message.startswith("The Byteful API returned a Customer object that does not match the expected schema (")
        assert exc.details["errors"] and all(error["path"].startswith("$") for error in exc.details["errors"])
        return
    assert schema_accepts(document), "accepted an invalid customer: %r" % (document,)
    assert all(field in customer for field in CUSTOMER_SCHEMA["properties"])


def test_schema_agrees_with_the_oracle(record_property):
    run_and_record(schema_agrees_with_the_oracle, record_property)


# -- the comparison -------------------------------------------------------------------------

# Within the bounds the parsers allow (larger ones are refused, see the next property), and
# often small, so that thresholds and balances meet and the comparison's edges are tried.
cents = st.integers(min_value=0, max_value=20) | st.integers(min_value=0, max_value=MAX_CENTS)
sizes = st.integers(min_value=0, max_value=20) | st.integers(min_value=0, max_value=MAX_BYTES)


@FUZZ
@given(document=near_customers() | valid_customers(), min_credit=cents, min_residential=sizes,
       min_mobile=sizes, residential=st.booleans(), mobile=st.booleans())
@counted
def comparison_never_passes_a_shortfall(document, min_credit, min_residential, min_mobile, residential, mobile):
    """Preflight comparison: passes exactly when every reported value meets its threshold, whatever the API sent."""
    try:
        # What the preflight_check action does with the role's inputs.
        outcome = evaluate(validate_customer(document), min_credit_balance=min_credit,
                           min_residential_bytes=min_residential, min_mobile_bytes=min_mobile,
                           require_residential_service=residential, require_mobile_service=mobile)
    except BytefulError as exc:
        assert not schema_accepts(document)
        assert_one_sentence(exc.message)
        return

    def meets(field, threshold):  # a value the API did not report meets a threshold of 0 only
        value = document.get(field)
        return threshold == 0 if value is None else value >= threshold

    def active(service, paused):
        return bool(document.get(service)) and document.get(paused) is not True

    enough = (meets("credit_balance", min_credit)
              and meets("residential_bytes_left", min_residential)
              and meets("mobile_bytes_left", min_mobile)
              and (not residential or active(SERVICE_IDS[0], PAUSED_FLAGS[0]))
              and (not mobile or active(SERVICE_IDS[1], PAUSED_FLAGS[1])))
    assert outcome["passed"] is enough, outcome["msg"]
    assert_one_sentence(outcome["msg"])
    assert outcome["msg"].startswith("Preflight %s for Byteful account " % ("passed" if enough else "failed"))
    assert len(outcome["summary"]) == len(outcome["checks"])


def test_comparison_never_passes_a_shortfall(record_property):
    run_and_record(comparison_never_passes_a_shortfall, record_property)


thresholds_as_given = (st.integers() | st.floats() | st.booleans() | st.none() | st.text(max_size=12)
                       | st.text(string.digits + " .-kKMGTPEiBbs", max_size=10)
                       | st.builds("{0} {1}".format, st.integers(min_value=-5, max_value=2 ** 60),
                                   st.sampled_from(["B", "KB", "MB", "GB", "TB", "PB", "EB", "GiB", "MiB", "GiBs", "gb"]))
                       | st.lists(st.integers(), max_size=2)
                       # Unicode digits that str.isdigit() accepts and int() may not, and other near misses.
                       | st.sampled_from(["\u00b2", "\u0661\u0662", "5 GiBs", "1e400 GB", "-0", " 12 ", "nan", "inf", "0x10",
                                          "9" * 30, "9" * 400, "-" + "9" * 5000, "9" * 400 + " GB", "5 \u00b2B", "1.5 GB",
                                          ".5 KB", "5..5 MB"]))


@FUZZ
@given(value=thresholds_as_given)
@counted
def thresholds_parse_or_explain(value):
    """Threshold parsing: any role input is a byte or cent count within bounds, or one clear error naming the option."""
    for parse, option, bound in ((parse_bytes, "min_residential_bytes", MAX_BYTES), (parse_cents, "min_credit_balance", MAX_CENTS)):
        try:
            number = parse(value, option)
        except BytefulError as exc:
            assert_one_sentence(exc.message)
            assert exc.message.startswith(option)
            continue
        assert isinstance(number, int) and not isinstance(number, bool)
        assert 0 <= number <= bound


def test_thresholds_parse_or_explain(record_property):
    run_and_record(thresholds_parse_or_explain, record_property)


@FUZZ
@given(number=st.integers(min_value=0, max_value=2 ** 20), unit=st.sampled_from(["B", "KB", "MB", "GB", "KiB", "MiB", "GiB", "TiB"]))
@counted
def human_sizes_are_1024_based(number, unit):
    """Threshold parsing: 'N unit' means N times the 1024-based unit, or is refused as more than any account holds."""
    size = number * 1024 ** "BKMGT".index(unit[0])
    try:
        assert parse_bytes("%d %s" % (number, unit), "min_mobile_bytes") == size
    except BytefulError as exc:
        assert size > MAX_BYTES and "more than any account can hold" in exc.message


def test_human_sizes_are_1024_based(record_property):
    run_and_record(human_sizes_are_1024_based, record_property)


# -- the client -----------------------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


class FakeRaw:
    def __init__(self, body):
        self.body = body

    def read1(self, amt, decode_content=True):  # pylint: disable=unused-argument
        chunk, self.body = self.body[:amt], self.body[amt:]
        return chunk


class FakeResponse:
    def __init__(self, status, headers, body):
        self.status_code = status
        self.headers = requests.structures.CaseInsensitiveDict(headers)
        self.raw = FakeRaw(body)

    def close(self):
        pass


class FakeSession:
    def __init__(self, answers):
        self.answers = list(answers)

    def get(self, url, **kwargs):  # pylint: disable=unused-argument
        # The last answer again and again: a 429 is retried for as long as rate_limit_wait allows.
        return FakeResponse(*(self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]))


bodies = (st.binary(max_size=64)
          | json_values.map(lambda value: json.dumps(value).encode("utf-8"))
          | st.builds(lambda data, extra: json.dumps(dict(extra, data=data)).encode("utf-8"),
                      near_customers() | json_values, st.dictionaries(st.sampled_from(["error", "message", "api_request_id"]),
                                                                      json_values, max_size=3))
          | st.sampled_from([b"NaN", b'{"data": Infinity}', b"[" * 5000 + b"]" * 5000, b"1e400"]))
header_values = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=30) | st.sampled_from(
    ["1", "0", "120", "9" * 40, "\u00b2", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT"])
answers = st.tuples(st.integers(min_value=100, max_value=599),
                    st.dictionaries(st.sampled_from(["Retry-After", "Content-Length", "Location"]), header_values, max_size=3),
                    bodies)


def retried(answer):
    """Whether the client tries again after this answer: a status worth a retry, or a body cut short of its Content-Length."""
    status, headers, body = answer
    length = headers.get("Content-Length", "").strip()
    return status in _api.RETRY_STATUSES or bool(re.match(r"[0-9]+\Z", length) and int(length) > len(body))


@settings(FUZZ, max_examples=200)
@given(first=answers, second=answers)
@counted
def client_answers_or_explains(first, second):
    """HTTP client: any status, headers and body give the API's data object or one clear error, never a crash."""
    clock = FakeClock()
    client = BytefulClient("https://api.example.test/1.0", "pk_fuzz", PRIVATE, retries=1, session=FakeSession([first, second]),
                           sleep=clock.sleep, clock=clock.monotonic, wall_clock=lambda: 1_700_000_000.0, rate_limit_wait=5)
    _transport._last_request_at[0] = float("-inf")  # pylint: disable=protected-access
    # Each example on its own: no shared pace left by the one before.
    client._pace = None  # pylint: disable=protected-access
    try:
        response = client.get("/public/user/customer/retrieve", "Retrieving the Byteful customer")
    except BytefulError as exc:
        assert_one_sentence(exc.message)
        assert exc.message.startswith("Retrieving the Byteful customer ")
        assert PRIVATE not in json.dumps(exc.details, default=str)
        return
    used = second if retried(first) else first
    assert 200 <= response.status < 300 and response.status == used[0]
    assert response.data == through_the_gate(json.loads(used[2].decode("utf-8"))["data"])


def through_the_gate(value):
    """What the client's one gate makes of a decoded value: each string and member name cleaned, redacted, cut."""
    gate = _api.Redactor(PRIVATE)
    if isinstance(value, str):
        return gate.data(value)[0]
    if isinstance(value, dict):
        return {gate.data(name, _api.MAX_NAME_TEXT)[0]: through_the_gate(member) for name, member in value.items()}
    if isinstance(value, list):
        return [through_the_gate(item) for item in value]
    return value


def test_client_answers_or_explains(record_property):
    run_and_record(client_answers_or_explains, record_property)


@FUZZ
@given(value=header_values | st.text(max_size=40) | st.none())
@counted
def retry_after_is_a_wait_or_nothing(value):
    """Retry-After parsing: any header value is a wait of 0 s or more, or ignored."""
    seconds = _transport.retry_after_seconds(value, now=1_700_000_000.0)
    assert seconds is None or (isinstance(seconds, float) and 0 <= seconds < math.inf)


def test_retry_after_is_a_wait_or_nothing(record_property):
    run_and_record(retry_after_is_a_wait_or_nothing, record_property)


@pytest.mark.parametrize("document", [
    {"data": None}, [], "x", 7, None, {"customer_id": True}, {"credit_balance": 10 ** 400},
])
def test_explicit_examples_stay_explained(document):
    # Shapes seen in the fault matrix, kept as plain examples so a failure names them directly.
    with pytest.raises(BytefulError) as info:
        validate_customer(document)
    assert_one_sentence(info.value.message)
