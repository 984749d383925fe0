# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Contract test: a client nobody here wrote, byteful-sdk, against every simulator account, route, fault and error.

byteful-sdk (community client, pinned in tests/unit/requirements.txt, Python >= 3.13 only) models
the live API from its author's observations. For each account under data/accounts/ its
customer_retrieve must parse what the simulator sends without losing anything (malformed accounts:
must not); its service, ledger, proxy-user, proxy and product searches, their retrieves, the
catalog, the proxy lists and the quote must read every item as sent; its proxy-user create, edit and
delete must read the answers of the simulator's writes and see their effect; for each fault under
data/faults/ and each error the simulator makes on its own, it must raise its own error class for that
status, or, for a transport fault, the requests error a client sees. If the simulator drifts from
what that client expects, this fails. On Python 3.13 a missing byteful-sdk is a failure, not a skip.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import sys

import pytest
import requests

from ansible_collections.byteful.proxy.tests.simulator import CATALOGUE, DEFAULT_ERRORS, Simulator

try:
    import byteful
    from byteful.models import Customer, MobileLedger, Product, Proxy, ProxyUser, ResidentialLedger, Service
except ImportError:  # below Python 3.13 (skipped); on 3.13 test_byteful_sdk_is_installed fails
    byteful = None

pytestmark = pytest.mark.skipif(sys.version_info < (3, 13), reason="byteful-sdk needs Python 3.13: the 2.21 line of the matrix runs this")

DATETIME_FIELDS = {"customer_creation_datetime", "customer_last_login_datetime", "customer_last_update_datetime",
                   "customer_general_terms_agreement_datetime"}
# How long a fault's client waits for an answer: long enough for a loaded machine, short enough for fault_hang.
TIMEOUT = 3.0


def test_byteful_sdk_is_installed():
    assert byteful is not None, "byteful-sdk is not installed: tests/unit/requirements.txt installs it on Python >= 3.13"
    assert len(dataclasses.fields(Customer)) == 41


@pytest.fixture(name="sim", scope="module")
def sim_fixture():
    if byteful is None:
        pytest.fail("byteful-sdk is not installed")
    # delay_scale 0: fault_slow and the trickles answer at once; the contract is about shapes, not time.
    with Simulator(rate_limit=False, delay_scale=0.0) as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def fresh(request):
    if "sim" in request.fixturenames:
        request.getfixturevalue("sim").reset(accounts=True)


def client(sim, public_key, private_key=None, seen=None):
    """The community client; with a list `seen`, each response's JSON body is appended to it as sent."""
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment between the client and 127.0.0.1
    session.max_redirects = 0  # fault_redirect points at another host, unreachable here
    if seen is not None:
        session.hooks["response"].append(lambda response, *args, **kwargs: seen.append(response.json()))
    return byteful.BytefulClient(public_key, private_key or sim.private_key, base_url=sim.base_url, timeout=TIMEOUT,
                                 session=session, rate_limiter=None)


def lossless_errors(parsed, raw):
    """The fields the community client did not read back exactly as sent (type included)."""
    errors = []
    for field in dataclasses.fields(Customer):
        value, sent = getattr(parsed, field.name), raw.get(field.name)
        if sent is None:
            expected = [] if field.name == "active_service_types" else None
        elif field.name in DATETIME_FIELDS:
            expected = datetime.datetime.strptime(sent, "%Y-%m-%d %H:%M:%S")
        else:
            expected = sent
        if value != expected or type(value) is not type(expected):
            errors.append("%s: sent %r, parsed %r" % (field.name, sent, value))
    return errors


@pytest.mark.parametrize("name", CATALOGUE.account_names)
def test_the_community_client_parses_every_account(sim, name):
    raw = CATALOGUE.customers[name]
    with client(sim, name) as sdk:
        if CATALOGUE.shapes[name] == "malformed":
            try:
                parsed = sdk.customer_retrieve()
            except (TypeError, ValueError):
                return  # the client cannot read it at all: malformed indeed
            assert lossless_errors(parsed, raw), "%s is marked malformed, yet the community client reads it as sent" % name
            return
        parsed = sdk.customer_retrieve()
        assert lossless_errors(parsed, raw) == []
        for kind in ("residential", "mobile"):
            summary = getattr(sdk, kind + "_summary")()
            assert summary.data[kind + "_bytes_left"] == (raw.get(kind + "_bytes_left") or 0)
            assert summary.message == "%s summary successfully retrieved." % kind.capitalize()


def sent_value(model_field, sent):
    """What the community client should make of a value the simulator sent for one of its model's fields."""
    if sent is None:
        return {"list": [], "dict": {}}.get(_container(model_field))
    if model_field.name.endswith("_datetime"):
        parsed = datetime.datetime.fromisoformat(sent.replace("T", " ").replace("Z", "+00:00"))
        return parsed
    if str(model_field.type).startswith("float"):
        return float(sent)  # the live API sends some coordinates as text (proxies_odd): the client makes numbers of them
    return sent


def _container(model_field):
    text = str(model_field.type)
    return "list" if text.startswith("list") else "dict" if text.startswith("dict") else None


def item_errors(model, parsed, raw):
    """The model's fields the community client did not read back as sent (an enum counts as its value)."""
    errors = []
    fields = dataclasses.fields(model)
    for model_field in fields:
        if model_field.name == "extra":  # Product keeps what it does not model: all of it
            known = {other.name for other in fields}
            expected = {key: value for key, value in raw.items() if key not in known}
            if parsed.extra != expected:
                errors.append("extra: sent %r, kept %r" % (expected, parsed.extra))
            continue
        value, expected = getattr(parsed, model_field.name), sent_value(model_field, raw.get(model_field.name))
        value = getattr(value, "value", value)
        if value != expected or type(value) is not type(expected):
            errors.append("%s: sent %r, parsed %r" % (model_field.name, raw.get(model_field.name), value))
    return errors


# (search, model, retrieve method or None, id field)
SEARCHES = (("service_search", Service, "service_retrieve", "service_id"),
            ("residential_ledger_search", ResidentialLedger, "residential_ledger_retrieve", "residential_ledger_id"),
            ("mobile_ledger_search", MobileLedger, "mobile_ledger_retrieve", "mobile_ledger_id"),
            ("proxy_user_search", ProxyUser, "proxy_user_retrieve", "proxy_user_id"),
            ("proxy_search", Proxy, "proxy_retrieve", "proxy_id"),
            ("product_search", Product, None, "product_id")) if byteful else ()


@pytest.mark.parametrize("name", [name for name in CATALOGUE.account_names if CATALOGUE.shapes[name] == "live"])
def test_the_community_client_reads_every_search_item_its_retrieve_the_catalog_the_lists_and_the_quote(sim, name):
    seen = []
    with client(sim, name, seen=seen) as sdk:
        for method, model, retrieve, id_field in SEARCHES:
            page = getattr(sdk, method)(per_page=100)
            raw = seen[-1]
            envelope = (raw["page"], raw["per_page"], raw["total_count"], raw["item_count"])
            assert (page.page, page.per_page, page.total_count, page.item_count) == envelope
            assert len(page.data) == len(raw["data"]) == raw["item_count"]
            for parsed, sent in zip(page.data, raw["data"]):
                assert item_errors(model, parsed, sent) == [], method
            for sent in raw["data"][:1] if retrieve else ():
                parsed = getattr(sdk, retrieve)(sent[id_field])
                assert getattr(parsed, id_field) == sent[id_field] and item_errors(model, parsed, seen[-1]["data"]) == [], retrieve
        catalog = sdk.checkout_catalog()
        assert catalog.data == seen[-1]["data"] and catalog.message == "Checkout catalog successfully retrieved."
        lines = sdk.proxy_list_by_search(list_format="http", per_page=5)
        assert lines.data == seen[-1]["data"] and lines.extra["total_count"] == seen[-1]["total_count"]
        if lines.data:
            first = sdk.proxy_search(per_page=1).data[0]
            by_id = sdk.proxy_list_by_id([first.proxy_id], list_format="http")
            assert by_id.data == seen[-1]["data"] == lines.data[:1]
        quote = sdk.checkout_quote(product_code="isp_us", quantity=10, cycle_interval="month", cycle_interval_count=1)
        assert quote.data == seen[-1]["data"] and quote.message == "Quote generated successfully."
        assert quote.data["total"] == 3500


def test_the_community_client_creates_edits_and_deletes_a_proxy_user(sim):
    seen = []
    with client(sim, "healthy", seen=seen) as sdk:
        created = sdk.proxy_user_create(proxy_user_id="sdk_user_01", proxy_user_password="SdkPass123456", proxy_user_access_type="all",
                                        proxy_user_is_strict_security=True, proxy_user_enforce_https=True, ip_address_authentications=["192.0.2.44"],
                                        proxy_user_metadata={"team": "sdk"}, proxy_user_residential_bytes_limit=1073741824,
                                        proxy_user_mobile_bytes_limit=0)
        assert (created.created, created.message) == (["sdk_user_01"], "Proxy User successfully created.")
        assert (created.data.proxy_user_id, created.data.proxy_user_password) == ("sdk_user_01", "SdkPass123456")
        fetched = sdk.proxy_user_retrieve("sdk_user_01")
        assert item_errors(ProxyUser, fetched, seen[-1]["data"]) == []
        assert (fetched.ip_address_authentications, fetched.proxy_user_metadata) == (["192.0.2.44"], {"team": "sdk"})
        assert fetched.proxy_user_is_strict_security is True
        edited = sdk.proxy_user_edit("sdk_user_01", proxy_user_password="SdkPass654321", proxy_user_metadata={"team": "edited"}, clear_proxy_user_acl=True)
        assert (edited.edited, edited.message, edited.proxy_user_acl_deleted, edited.extra) == (["sdk_user_01"], "Proxy User successfully edited.", [], {})
        assert sdk.proxy_user_retrieve("sdk_user_01").proxy_user_password == "SdkPass654321"
        deleted = sdk.proxy_user_delete("sdk_user_01")
        assert (deleted.deleted, deleted.message, deleted.extra) == (["sdk_user_01"], "Proxy User successfully deleted.", {})
        gone = sdk.proxy_user_search(proxy_user_is_deleted=True)  # requests sends True as "True"
        assert [user.proxy_user_id for user in gone] == ["sdk_user_01"] and gone[0].proxy_user_is_deleted is True
        generated = sdk.proxy_user_create()
        assert generated.created == [generated.data.proxy_user_id] and generated.data.proxy_user_password
        assert sdk.proxy_user_retrieve(generated.data.proxy_user_id).proxy_user_password == generated.data.proxy_user_password


def test_the_community_client_reads_the_echoed_objects(sim):
    seen = []
    with client(sim, "proxy_user_echo", seen=seen) as sdk:
        created = sdk.proxy_user_create(proxy_user_id="sdk_echo_01", proxy_user_metadata={"a": 1})
        assert item_errors(ProxyUser, created.data, seen[-1]["data"]) == [] and created.data.proxy_user_is_deleted is False
        edited = sdk.proxy_user_edit("sdk_echo_01", proxy_user_enforce_https=True)
        assert set(edited.extra) == {"data"} and edited.extra["data"]["proxy_user_enforce_https"] is True  # what it does not model, it keeps
        assert item_errors(ProxyUser, ProxyUser.from_api(edited.extra["data"]), seen[-1]["data"]) == []


@pytest.mark.parametrize("account, call_name, args, kwargs, status", [
    ("proxy_users_at_limit", "proxy_user_create", (), {}, 422),
    ("proxy_users_at_limit_403", "proxy_user_create", (), {}, 403),
    ("healthy", "proxy_user_create", (), {"proxy_user_id": "pu_1955_001"}, 409),
    ("healthy", "proxy_user_create", (), {"proxy_user_password": "short"}, 400),
    ("healthy", "proxy_user_edit", ("nobody_here_1",), {"proxy_user_enforce_https": True}, 404),
    ("healthy", "proxy_user_edit", ("default_1955",), {"proxy_user_access_type": "service_restricted"}, 422),
    ("healthy", "proxy_user_delete", ("default_1955",), {}, 422),
    ("healthy", "proxy_retrieve", ("no-such-proxy",), {}, 404),
    ("healthy", "proxy_list_by_search", (), {"list_format": "json"}, 400),
])
def test_the_write_and_lookup_refusals_are_its_error_classes(sim, account, call_name, args, kwargs, status):
    with client(sim, account) as sdk, pytest.raises(byteful.BytefulAPIError) as caught:
        getattr(sdk, call_name)(*args, **kwargs)
    assert type(caught.value).__name__ == STATUS_CLASSES[status]  # 403 without two-factor members: a plain ForbiddenError
    assert caught.value.status_code == status and caught.value.error == DEFAULT_ERRORS[status][0]
    assert caught.value.message and caught.value.api_request_id


def test_the_community_clients_pool_walk_asks_500_a_page_and_gets_every_proxy(sim):
    seen = []
    with client(sim, "healthy", seen=seen) as sdk:
        pool = sdk.proxies(per_page=500)  # its default; the simulator serves 100 a page and says so
        assert len(pool) == 355 and {page["per_page"] for page in seen} == {100} and len(seen) == 4
        first = pool.filter(proxy_status="in_use", country_id="us")[0]
        line = sdk.proxy_list_by_id([first.proxy_id], list_format="http").data[0]
        assert first.http_url() == line  # its own URL from the proxy's default credentials is the API's line


def test_the_community_clients_filters_and_paging_reach_the_simulator(sim):
    with client(sim, "proxy_users_full") as sdk:
        assert sdk.proxy_user_search(proxy_user_is_deleted=False, per_page=1).total_count == 24  # requests sends False as "False"
        assert sdk.proxy_user_search(proxy_user_is_default=True).data[0].proxy_user_is_default is True
    with client(sim, "many_services") as sdk:
        pages = [sdk.service_search(page=page, per_page=100) for page in (1, 2, 3)]
        assert [len(page) for page in pages] == [100, 100, 50] and [page.has_more for page in pages] == [True, True, False]
        active = sdk.service_search(service_status="active", sort_by="service_expiry_datetime_desc", per_page=5)
        assert {service.service_status.value for service in active} == {"active"}
        expiries = [service.service_expiry_datetime.replace(tzinfo=None) for service in active]
        assert expiries == sorted(expiries, reverse=True)


STATUS_CLASSES = {400: "BadRequestError", 401: "UnauthorizedError", 403: "ForbiddenError", 404: "NotFoundError",
                  405: "MethodNotAllowedError", 409: "ConflictError", 422: "UnprocessableError", 429: "RateLimitedError",
                  500: "InternalServerError"}


def expected_outcome(step):
    """What the community client must do with a fault step: ("parses", None), ("raises", class), ("empty", None)."""
    status, action, body = step.get("status"), step.get("action", "respond"), step.get("body")
    if action == "hang":
        return "raises", requests.Timeout
    if action in ("cut", "close"):
        return "raises", requests.RequestException
    if action == "truncate":
        return "raises", byteful.BytefulError  # "non-JSON response"
    if status is None:
        return "parses", None
    if 300 <= status < 400:
        return "raises", requests.TooManyRedirects
    if isinstance(body, str):
        return ("raises", byteful.BytefulError) if body else ("empty", None)
    if "body" in step:
        if isinstance(body, list):
            return "raises", byteful.BytefulError  # "expected JSON object"
        return "empty", None  # an object without a customer in data: the client's tolerant empty Customer
    if status == 403 and "two_factor_authentication_public_key" in step.get("extra", {}):
        return "raises", byteful.TwoFactorAuthenticationRequired
    return "raises", getattr(byteful, STATUS_CLASSES.get(status, "BytefulAPIError"))


@pytest.mark.parametrize("name", CATALOGUE.fault_names)
def test_the_community_client_reacts_to_every_fault_with_its_own_error(sim, name):
    steps = CATALOGUE.faults[name]
    then = CATALOGUE.customers[CATALOGUE.then[name]]
    with client(sim, name) as sdk:
        for step in steps:
            for _request in range(step.get("times") or 1):
                outcome, error_class = expected_outcome(step)
                if outcome == "raises":
                    with pytest.raises(error_class) as caught:
                        sdk.customer_retrieve()
                    if issubclass(error_class, byteful.BytefulAPIError):
                        check_api_error(caught.value, step)
                elif outcome == "empty":
                    assert sdk.customer_retrieve() == Customer()
                else:
                    assert lossless_errors(sdk.customer_retrieve(), then) == []
        if all(step.get("times") for step in steps):  # the steps are used up: it answers as its base account
            assert lossless_errors(sdk.customer_retrieve(), then) == []


def check_api_error(error, step):
    """The client's error carries the status, the title-case error word, the message and the request id."""
    status = step["status"]
    # Dispatch by status: exactly the class for it, not merely a BytefulAPIError.
    if status in STATUS_CLASSES and not (status == 403 and "two_factor_authentication_public_key" in step.get("extra", {})):
        assert type(error).__name__ == STATUS_CLASSES[status]
    assert error.status_code == status
    assert error.error == step.get("error", DEFAULT_ERRORS[status][0])
    assert error.message and re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", error.api_request_id)


def test_the_live_two_factor_403_reaches_the_clients_attributes(sim):
    with client(sim, "fault_403_2fa_live") as sdk, pytest.raises(byteful.TwoFactorAuthenticationRequired) as caught:
        sdk.customer_retrieve()
    extra = CATALOGUE.faults["fault_403_2fa_live"][0]["extra"]
    assert caught.value.two_factor_authentication_service == "email"
    assert caught.value.two_factor_authentication_target == extra["two_factor_authentication_target"]
    assert caught.value.two_factor_authentication_public_key == extra["two_factor_authentication_public_key"]


def test_the_older_two_factor_shape_is_a_plain_forbidden_to_that_client(sim):
    with client(sim, "fault_403_2fa") as sdk, pytest.raises(byteful.ForbiddenError) as caught:
        sdk.customer_retrieve()
    assert not isinstance(caught.value, byteful.TwoFactorAuthenticationRequired)


@pytest.mark.parametrize("public_key, private_key", [
    ("healthy", "not-the-key"),
    ("no-such-account", None),
])
def test_invalid_keys_are_its_unauthorized_error(sim, public_key, private_key):
    with client(sim, public_key, private_key) as sdk, pytest.raises(byteful.UnauthorizedError) as caught:
        sdk.customer_retrieve()
    assert caught.value.error == "Unauthorized" and caught.value.api_request_id


def test_an_unknown_path_is_its_not_found_error(sim):
    with client(sim, "healthy") as sdk, pytest.raises(byteful.NotFoundError) as caught:
        sdk.log_search()  # a route the simulator does not serve
    assert caught.value.error == "Not Found"


def test_the_rate_limit_is_its_rate_limited_error(sim):
    sim.set_config(rate_limit=True, rate_limit_per_second=1)
    try:
        with client(sim, "healthy") as sdk:
            sdk.customer_retrieve()
            with pytest.raises(byteful.RateLimitedError) as caught:
                sdk.customer_retrieve()
    finally:
        sim.set_config(rate_limit=False, rate_limit_per_second=10)
    assert caught.value.error == "Too Many Requests"
