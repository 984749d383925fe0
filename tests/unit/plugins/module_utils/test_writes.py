# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""BytefulClient.write: what may be written, and what may be sent again when an answer is lost (fake clock)."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError, RESENDABLE_WRITES, WRITES

from .fake_api import make_client

CREATE = "/public/user/proxy_user/create"
EDIT = "/public/user/proxy_user/edit/{id}"
DELETE = "/public/user/proxy_user/delete/{id}"
CREATED = (201, {"created": ["scraper_eu_01"], "data": {"proxy_user_id": "scraper_eu_01"}, "message": "Created."})


def answers(*steps):
    """A handler giving each step in turn (a (status, document) pair, or an exception to raise), the last one again."""
    steps = list(steps)

    def handler(call):  # pylint: disable=unused-argument
        step = steps.pop(0) if len(steps) > 1 else steps[0]
        if isinstance(step, Exception):
            raise step
        return step
    return handler


def sent(session, method):
    return [call for call in session.calls if call.method == method]


def test_only_the_proxy_user_writes_are_allowed():
    assert WRITES == (("POST", CREATE), ("PATCH", EDIT), ("DELETE", DELETE))
    assert RESENDABLE_WRITES == ("PATCH",)


@pytest.mark.parametrize("method, route", [
    ("POST", "/public/user/checkout/create"),      # buys
    ("POST", "/public/user/checkout/quote"),       # post()'s, not a write
    ("PATCH", "/public/user/service/edit/{id}"),
    ("DELETE", "/public/user/service/cancel/{id}"),
    ("GET", CREATE),
    ("PUT", EDIT),
    ("POST", CREATE + "/"),
])
def test_anything_else_is_refused_before_sending(method, route):
    client, session, dummy = make_client(answers(CREATED))
    with pytest.raises(ValueError, match="byteful.proxy only writes"):
        client.write(method, route, "Writing", body={}, item_id="scraper_eu_01")
    assert session.calls == []


def test_post_still_refuses_the_create_routes():
    client, session, dummy = make_client(answers(CREATED))
    for path in ("/public/user/checkout/create", CREATE):
        with pytest.raises(ValueError, match="only POSTs to /public/user/checkout/quote"):
            client.post(path, "Buying", {"quantity": 1})
    assert session.calls == []


@pytest.mark.parametrize("item_id", [None, "", ".", "..", "a/b", "../../checkout/create", "a?b", "a#b", "a%2Fb", "a b",
                                     "a\nb", "x" * 201])
def test_an_id_is_one_path_segment(item_id):
    client, session, dummy = make_client(answers((200, {"edited": ["x"]})))
    with pytest.raises(ValueError, match="one path segment"):
        client.write("PATCH", EDIT, "Changing", body={}, item_id=item_id)
    assert session.calls == []


def test_an_id_is_sent_url_encoded():
    client, session, dummy = make_client(answers((200, {"deleted": ["x"]})))
    client.write("DELETE", DELETE, "Deleting", item_id="user:é+1")
    assert session.calls[0].url.endswith("/public/user/proxy_user/delete/user%3A%C3%A9%2B1")


def test_answers_without_data_are_read():
    client, dummy, dummy = make_client(answers((200, {"edited": ["scraper_eu_01"], "message": "Edited."})))
    response = client.write("PATCH", EDIT, "Changing", body={"proxy_user_metadata": {}}, item_id="scraper_eu_01")
    assert response.data is None and response.status == 200


def test_an_edit_is_sent_again_after_a_server_error():
    # Setting members to values twice leaves the user as once: no read needed.
    client, session, clock = make_client(answers((502, {}), (200, {"edited": ["x"]})))
    client.write("PATCH", EDIT, "Changing", body={"proxy_user_enforce_https": True}, item_id="x",
                 confirm=lambda: pytest.fail("an edit is not confirmed by a read"))
    assert len(sent(session, "PATCH")) == 2 and session.calls[0].body == session.calls[1].body
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize("lost", [(504, {"error": "Gateway Timeout"}), (500, {}),
                                  requests.exceptions.ReadTimeout("Read timed out."),
                                  requests.exceptions.ConnectionError("Connection aborted. RemoteDisconnected")])
def test_a_lost_create_that_took_effect_is_not_sent_again(lost):
    client, session, clock = make_client(answers(lost, CREATED))
    reads = []
    assert client.write("POST", CREATE, "Creating", body={"proxy_user_id": "x"},
                        confirm=lambda: reads.append(1) or True) is None
    assert len(sent(session, "POST")) == 1 and reads == [1]
    assert clock.sleeps == []


def test_a_lost_create_that_did_not_take_effect_is_sent_again():
    client, session, clock = make_client(answers(requests.exceptions.ReadTimeout("Read timed out."), CREATED))
    response = client.write("POST", CREATE, "Creating", body={"proxy_user_id": "x"}, confirm=lambda: False)
    assert response.status == 201 and len(sent(session, "POST")) == 2
    assert len(clock.sleeps) == 1  # the backoff between the two


def test_a_create_lost_every_time_fails_saying_nothing_changed():
    client, session, dummy = make_client(answers((504, {"error": "Gateway Timeout", "message": "Upstream timed out.",
                                                        "api_request_id": "0b6f8d7e-3c2a-4f1e-9b8d-7a6c5e4f3d2b"})),
                                         retries=2)
    reads = []
    with pytest.raises(BytefulError) as info:
        client.write("POST", CREATE, "Creating proxy user x", body={"proxy_user_id": "x"},
                     confirm=lambda: reads.append(1) and False)
    assert len(sent(session, "POST")) == 3 and len(reads) == 3
    message = info.value.message
    assert message.startswith("Creating proxy user x at https://api.example.test/1.0/public/user/proxy_user/create failed "
                              "with HTTP 504 (Gateway Timeout: Upstream timed out; request id "
                              "0b6f8d7e-3c2a-4f1e-9b8d-7a6c5e4f3d2b)")
    assert message.endswith("; nothing was changed: a read after each of the 3 attempts found no trace of it.")
    assert info.value.details["status"] == 504 and info.value.details["attempts"] == 3


def test_a_lost_delete_is_confirmed_by_a_read():
    client, session, dummy = make_client(answers((500, {}), (404, {"error": "Not Found"})))
    assert client.write("DELETE", DELETE, "Deleting", item_id="x", confirm=lambda: True) is None
    assert len(sent(session, "DELETE")) == 1  # a second DELETE would have met the 404


def test_a_refusal_is_neither_retried_nor_confirmed():
    client, session, dummy = make_client(answers((409, {"error": "Conflict", "message": "proxy_user_id 'x' is already taken."})))
    with pytest.raises(BytefulError, match=r"failed with HTTP 409 \(Conflict: proxy_user_id 'x' is already taken\)"):
        client.write("POST", CREATE, "Creating", body={"proxy_user_id": "x"},
                     confirm=lambda: pytest.fail("a refusal is not confirmed"))
    assert len(session.calls) == 1


def test_a_rate_limited_create_is_retried_without_a_read():
    # The API did not act on a 429: sending it again cannot make a second user.
    client, session, dummy = make_client(answers((429, {"error": "Too Many Requests"}, {"Retry-After": "1"}), CREATED))
    response = client.write("POST", CREATE, "Creating", body={"proxy_user_id": "x"},
                            confirm=lambda: pytest.fail("a 429 is not confirmed"))
    assert response.status == 201 and len(sent(session, "POST")) == 2
