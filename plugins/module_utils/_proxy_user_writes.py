# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""Proxy users as code: the user a task declares, what differs from the API's, and the writes that make it so.

The engine of the proxy_user module (which only wires options): read the user by its proxy_user_id,
compare the members the task sets (an option left out is never touched), then create, edit or delete
through BytefulClient.write, whose rules keep a lost answer from making a second user, and read the
user again. Check mode stops before the write with the change predicted.

A password is compared (the API returns the current one), sent when it differs, and never leaves
this file: not in the returned user, the diff (masked), a message or a schema error.
"""

from __future__ import annotations

import json
import re

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError, OptionError, json_type
from ansible_collections.byteful.proxy.plugins.module_utils._customer import fetch_customer
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user import (
    PROXY_USER_SCHEMA,
    PROXY_USER_SEARCH_PATH,
    read_proxy_users,
)
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user_options import (
    MEMBERS,
    OPTION_OF,
    PASSWORD,
    addresses,
    check_id,
    check_new_id,
    check_password,
    check_rules,
    declared,
)
from ansible_collections.byteful.proxy.plugins.module_utils._schema import check, optional
from ansible_collections.byteful.proxy.plugins.module_utils._size import format_bytes

CREATE_ROUTE = "/public/user/proxy_user/create"
EDIT_ROUTE = "/public/user/proxy_user/edit/{id}"
DELETE_ROUTE = "/public/user/proxy_user/delete/{id}"
MASK = "********"


# The whole ProxyUser (docs, byteful-sdk's model), leniently: only proxy_user_id is required, every other
# field may be absent or null, a present one has its type. The password is checked apart (see _checked),
# so that no schema error can quote it.
FULL_PROXY_USER_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Byteful proxy user",
    "description": "A proxy user as GET /public/user/proxy_user/search lists it (password left out). Other members are allowed.",
    "type": "object",
    "required": ["proxy_user_id"],
    "properties": dict(
        PROXY_USER_SCHEMA["properties"],
        proxy_user_id={"type": "string", "description": "The user name."},
        proxy_user_is_strict_security=optional("boolean", "Whether the user authenticates by IP address only."),
        proxy_user_enforce_https=optional("boolean", "Whether the user's HTTP proxy traffic must use HTTPS."),
        proxy_user_ip_address_authentication_limit=optional("integer", "How many IP addresses it may hold."),
        ip_address_authentications={
            "type": ["array", "null"], "items": {"type": "string"}, "description": "IP addresses that authenticate as the user."},
        restricted_service_ids={"type": ["array", "null"], "description": "Services a service_restricted user reaches."},
        restricted_proxy_ids={"type": ["array", "null"], "description": "Proxies a proxy_restricted user reaches."},
        proxy_user_residential_bytes_limit=optional("integer", "Residential bytes the user may use; null for no limit."),
        proxy_user_residential_bytes_used=optional("integer", "Residential bytes used."),
        proxy_user_mobile_bytes_limit=optional("integer", "Mobile bytes the user may use; null for no limit."),
        proxy_user_mobile_bytes_used=optional("integer", "Mobile bytes used."),
        residential_bytes_left=optional("integer", "Residential bytes left to the user."),
        mobile_bytes_left=optional("integer", "Mobile bytes left to the user."),
        proxy_user_metadata=optional("object", "Flat metadata."),
        proxy_user_creation_datetime=optional("string", "When the user was created (UTC)."),
        proxy_user_last_update_datetime=optional("string", "When the user last changed (UTC)."),
    ),
    "additionalProperties": True,
}

# What a refusal of each write is about, for the end of its sentence (the API's own words come before).
_LIMIT_WORDS = re.compile(r"proxy[ _-]?users?[ _-]?limit", re.IGNORECASE)


def _create_422(said):
    """The end of the sentence for a 422 to a create: advice on the proxy-user limit only when the API speaks of it."""
    if _LIMIT_WORDS.search(said):
        return ("the account is at its proxy-user limit (customer_proxy_user_limit): delete one with state absent, or ask "
                "Byteful to raise the limit")
    return "the API's message says which rule the user breaks; change that option of the task"


_HINTS = {
    "create": {
        400: "check the task's options: the API's message names the member it refused",
        403: "the keys may not create proxy users, or the account is at its proxy-user limit (customer_proxy_user_limit): "
             "delete one with state absent, or ask Byteful to raise the limit",
        409: "proxy_user_id, or an address in ip_address_authentications, is taken",
        422: _create_422,
    },
    "edit": {
        400: "check the task's options: the API's message names the member it refused",
        404: "the proxy user was deleted (by another run or host) while the task ran; rerun it to create it again",
        409: "an address in ip_address_authentications belongs to another proxy user",
        422: "the API's message says which rule the change breaks",
    },
    "delete": {
        404: "the proxy user the task had just read is not found by that id",
        422: "the API's message says why it keeps the proxy user",
    },
}


# -- reading ----------------------------------------------------------------------------------


def _checked(user, request_id):
    """``user`` checked against FULL_PROXY_USER_SCHEMA, its password apart, by type only (never quoted)."""
    if not isinstance(user, dict):
        check(user, FULL_PROXY_USER_SCHEMA, "a proxy user", request_id, path_prefix=("proxy_user",))
    password = user.get(PASSWORD)
    if password is not None and not isinstance(password, str):
        raise BytefulError("The Byteful API returned a proxy user that does not match the expected schema "
                           "($.proxy_user.proxy_user_password must be string or null, found a JSON %s)%s; the API may "
                           "have changed, so please report this to byteful.proxy." % (
                               json_type(password), ", request id %s" % request_id if request_id else ""),
                           # As schema_error() gives them, the value itself left out: it is a password.
                           errors=[{"path": "$.proxy_user.proxy_user_password", "expected": "string or null",
                                    "found": "a JSON %s" % json_type(password)}],
                           request_id=request_id)
    check({k: v for k, v in user.items() if k != PASSWORD}, FULL_PROXY_USER_SCHEMA, "a proxy user", request_id,
          path_prefix=("proxy_user",))
    return user


def read_user(client, user_id):
    """The proxy user named ``user_id`` as the API has it now (a live one before a deleted one), or None.

    A search by proxy_user_id: one call. The match is exact and made here again, since an API may
    ignore a filter (then every page is read).
    """
    result = client.search(PROXY_USER_SEARCH_PATH, "Reading Byteful proxy user %s" % user_id, {"proxy_user_id": user_id},
                           narrow_with="fewer proxy users")
    matches = [user for user in result.items if isinstance(user, dict) and user.get("proxy_user_id") == user_id]
    live = [user for user in matches if user.get("proxy_user_is_deleted") is not True]
    found = (live or matches or [None])[0]
    return None if found is None else _checked(found, result.request_id)


def is_live(user):
    return user is not None and user.get("proxy_user_is_deleted") is not True


def shown(user):
    """The user as the module returns it: every documented field, the password left out."""
    if user is None:
        return {}
    return dict({field: None for field in FULL_PROXY_USER_SCHEMA["properties"] if field != PASSWORD},
                **{k: v for k, v in user.items() if k != PASSWORD})


# -- comparing --------------------------------------------------------------------------------


def _comparable(member, value):
    """A member's value as compared: addresses as a set in canonical form, the rest as it is."""
    if member == "ip_address_authentications":
        try:
            return sorted(set(addresses(list(value or []))))
        except OptionError:  # not addresses: compared as sent
            return sorted(str(item) for item in value or [])
    if member == "proxy_user_metadata":
        return value or {}
    return value


def differences(current, members):
    """The members whose declared value differs from the user's (all of them for a user to create)."""
    if not is_live(current):
        return dict(members)
    return {member: value for member, value in members.items()
            if _comparable(member, current.get(member)) != _comparable(member, value)}


def _password_changes(current, password, update_password, warnings):
    """Whether the declared password is to be sent to an existing user."""
    if password is None or update_password == "on_create":
        return False
    known = current.get(PASSWORD)
    if not isinstance(known, str):
        warnings.append("The Byteful API did not return proxy user %s's password, so it cannot be compared and is sent "
                        "on every run; set update_password to on_create to send it only when the user is created."
                        % current.get("proxy_user_id"))
        return True
    return known != password


def _diff_view(user, managed, password_state):
    """One side of --diff: the user's id, state, default flag and the members the task manages; the password masked."""
    if not is_live(user):
        return {"state": "absent"} if user is None else {"state": "absent", "proxy_user_is_deleted": True}
    view = {"state": "present", "proxy_user_id": user.get("proxy_user_id"),
            "proxy_user_is_default": user.get("proxy_user_is_default")}
    view.update({member: user.get(member) for member in managed})
    for member in ("proxy_user_residential_bytes_limit", "proxy_user_mobile_bytes_limit"):
        if isinstance(view.get(member), int) and not isinstance(view[member], bool):  # bytes, and for people
            view[member] = "%d (%s)" % (view[member], format_bytes(view[member]))
    if password_state:
        view[PASSWORD] = password_state
    return view


# -- writing ----------------------------------------------------------------------------------


def ensure(client, params, check_mode=False):
    """Make the proxy user what ``params`` (the module's) declare: a dict for exit_json and warnings.

    Returns {"changed", "proxy_user", "diff"} and a list of warnings. Mistakes in the options, and
    what the API's rules (RULES) would refuse, raise OptionError before any request or write; refusals
    (the limit, the default user's rules) BytefulError before any write. A write that reported success
    is proved by reading the user back by its exact id: what the task declared, or BytefulError.
    """
    user_id = check_id(params["proxy_user_id"])
    state = params.get("state") or "present"
    members = declared(params) if state == "present" else {}
    client.learn_secret(params.get("password"))  # before the first request: an answer may quote it
    password = check_password(params.get("password")) if state == "present" else None
    warnings = []
    current = read_user(client, user_id)
    if state == "absent":
        return _ensure_absent(client, user_id, current, check_mode, warnings), warnings
    return _ensure_present(client, user_id, current, members, password, params, check_mode, warnings), warnings


def _ensure_absent(client, user_id, current, check_mode, warnings):
    before = _diff_view(current, (), None)
    if not is_live(current):
        return {"changed": False, "proxy_user": shown(current), "diff": {"before": before, "after": before}}
    if current.get("proxy_user_is_default") is True:
        raise BytefulError("Proxy user %s was not deleted: it is the account's default proxy user, which the API never "
                           "deletes; remove the task, or name another proxy_user_id." % user_id)
    after = dict(current, proxy_user_is_deleted=True)
    result = {"changed": True, "proxy_user": shown(after), "diff": {"before": before, "after": _diff_view(after, (), None)}}
    if check_mode:
        return result

    def confirm():
        return not is_live(_confirming_read(client, user_id, "deleted"))

    try:
        response = client.write("DELETE", DELETE_ROUTE, "Deleting Byteful proxy user %s" % user_id, item_id=user_id,
                                hints=_HINTS["delete"], confirm=confirm)
    except BytefulError as exc:
        if exc.details.get("status") != 404:
            raise
        return _deleted_meanwhile(client, user_id, exc, result, warnings)
    if response is None:  # the answer was lost, and the read that confirm() made found the user deleted
        return result
    now = read_user(client, user_id)
    if is_live(now):
        raise _unproved(user_id, "deleted", response, "a read afterwards still lists it as not deleted",
                        "the API did not apply the delete; rerun the task, and report it to Byteful if it persists")
    result["proxy_user"] = shown(now or after)
    return result


def _deleted_meanwhile(client, user_id, exc, result, warnings):
    """A 404 to deleting a user the search had just listed: gone meanwhile (converged), or listed under another id."""
    if is_live(read_user(client, user_id)):
        raise BytefulError("%s; yet the API still lists proxy user %s as not deleted, so the id it lists is not the one it "
                           "deletes by: report it to Byteful with the request id." % (exc.message.rstrip("."), user_id),
                           **exc.details)
    warnings.append("Proxy user %s was deleted by someone else (another run or host) while this task ran: the API "
                    "answered its delete with HTTP 404, and a read finds it deleted." % user_id)
    return dict(result, changed=False)


def _ensure_present(client, user_id, current, members, password, params, check_mode, warnings):
    update_password = params.get("update_password") or "always"
    creating = not is_live(current)
    changes = differences(current, members)
    send_password = password is not None and (creating or _password_changes(current, password, update_password, warnings))
    if not creating and current.get("proxy_user_is_default") is True and \
            changes.get("proxy_user_access_type", "all") != "all":
        raise BytefulError("Proxy user %s was not changed: it is the account's default proxy user, whose access type is "
                           "always all; leave access_type out for it, or name another proxy_user_id." % user_id)
    password_before = MASK if is_live(current) and password is not None else None
    password_after = (MASK + " (changed)" if send_password else MASK) if password is not None else None
    managed = list(members)
    after = dict(current if not creating else {"proxy_user_id": user_id}, **changes)
    after.update(proxy_user_is_deleted=False)
    if creating:
        after.setdefault("proxy_user_is_default", False)
    diff = {"before": _diff_view(current, managed, password_before),
            "after": _diff_view(after, managed, password_after)}
    if not changes and not send_password and not creating:
        return {"changed": False, "proxy_user": shown(current), "diff": diff}
    check_rules(after, None if creating else current)
    if creating:
        check_new_id(user_id)
        _check_room(client, user_id)
    result = {"changed": True, "proxy_user": shown(after), "diff": diff}
    if check_mode:
        return result
    body = dict(changes)
    if send_password:
        body[PASSWORD] = password
    if creating:
        return _create(client, user_id, body, current, members, password, result, warnings)
    if params.get("clear_acl") and changes.get("proxy_user_access_type") == "all":
        body["clear_proxy_user_acl"] = True
    response = client.write("PATCH", EDIT_ROUTE, "Changing Byteful proxy user %s" % user_id, body=body, item_id=user_id,
                            hints=_HINTS["edit"])
    written = _echoed(response, user_id, "changed") or read_user(client, user_id)
    result["proxy_user"] = shown(_proved(user_id, "changed", response, written, members, password if send_password else None))
    return result


def _check_room(client, user_id):
    """Fail before a create that the account's proxy-user limit would refuse (the cautious count, as proxy_user_info's)."""
    users = read_proxy_users(client, fetch_customer(client))
    if users["headroom"] is not None and users["headroom"] <= 0:
        raise BytefulError(
            "Proxy user %s was not created: the account has %d proxy users (the default one included) and its limit, "
            "customer_proxy_user_limit, is %d; delete one with state absent, or ask Byteful to raise the limit."
            % (user_id, users["count"], users["limit"]), reason="proxy user limit", count=users["count"],
            limit=users["limit"])


def _create(client, user_id, body, current, members, password, result, warnings):
    """Create the user (never a second one when an answer is lost), and prove it: the result, or BytefulError."""
    confirmed = {}

    def confirm():
        user = _confirming_read(client, user_id, "created")
        if is_live(user):
            confirmed["user"] = user
        return "user" in confirmed

    hints = dict(_HINTS["create"])
    if current is not None:  # a deleted user of that name: the API may keep its id taken
        hints[409] = ("proxy_user_id belongs to a deleted proxy user, and the API keeps the names of deleted users "
                      "taken; choose another proxy_user_id")
    try:
        response = client.write("POST", CREATE_ROUTE, "Creating Byteful proxy user %s" % user_id,
                                body=dict(body, proxy_user_id=user_id), hints=hints, confirm=confirm)
    except BytefulError as exc:
        if exc.details.get("status") != 409 or current is not None:
            raise
        return _created_meanwhile(client, user_id, exc, members, password, result, warnings)
    if response is None:  # the answer was lost, and a read found the user
        written = confirmed["user"]
    else:
        created = response.written.get("created")
        if not (isinstance(created, list) and len(created) == 1 and response.names("$.created[0]", created[0], user_id)):
            raise _unproved(user_id, "created", response, "its answer's 'created' names %s" % _named(created),
                            "whether and as what it was created is unknown; check the account's proxy users, and report "
                            "it to Byteful")
        written = _echoed(response, user_id, "created") or read_user(client, user_id)
    result["proxy_user"] = shown(_proved(user_id, "created", response, written, members, password,
                                         client.api_url + CREATE_ROUTE))
    return result


def _created_meanwhile(client, user_id, exc, members, password, result, warnings):
    """A 409 to this task's own create: another run or host made the user meanwhile. As declared, it converges."""
    user = read_user(client, user_id)
    if not is_live(user):
        raise BytefulError("%s; a read finds no proxy user %s, so an address in ip_address_authentications belongs to another "
                           "proxy user: remove it from the task or from that user." % (exc.message.rstrip("."), user_id),
                           **exc.details)
    wrong = [OPTION_OF[member] for member in sorted(differences(user, members))]
    known = user.get(PASSWORD)
    if password is not None and isinstance(known, str) and known != password:
        wrong.append("password")
    if wrong:
        raise BytefulError("%s; a read finds that another run or host created it meanwhile, and it differs from the task in "
                           "%s: run the task once per account (run_once: true, or one host), not on every host or in "
                           "parallel runs." % (exc.message.rstrip("."), ", ".join(wrong)), **exc.details)
    warnings.append("Proxy user %s was created by another run or host while this task ran (the API answered its create "
                    "with HTTP 409), as the task declares it; set run_once: true on the task so that one host creates it."
                    % user_id)
    return dict(result, changed=False, proxy_user=shown(user))


def _named(ids):
    if not ids:
        return "no proxy user"
    return "another id (%s)" % ", ".join(json.dumps(item)[:60] if isinstance(item, str) else "a JSON %s" % json_type(item)
                                         for item in ids[:3])


def _echoed(response, user_id, done):
    """The whole user a write answered with (an API that echoes it), or None; one with another id fails."""
    user = _whole(response)
    if user is not None and not response.names("$.data.proxy_user_id", user.get("proxy_user_id"), user_id):
        raise _unproved(user_id, done, response, "the user its answer holds has another proxy_user_id (%s)" % json.dumps(
            user.get("proxy_user_id"))[:60], "report it to Byteful; the task does not trust the answer")
    return user


def _proved(user_id, done, response, user, members, password, url=None):
    """``user`` (as read after the write, or echoed) when it is what the task declared; else the BytefulError."""
    if not is_live(user):
        raise _unproved(user_id, done, response, "a read of it by its id afterwards finds %s" % (
            "no such proxy user" if user is None else "it deleted"),
            "rerun the task (it reads before it writes), and report it to Byteful if it persists", url)
    wrong = sorted(differences(user, members))
    known = user.get(PASSWORD)
    if password is not None and isinstance(known, str) and known != password:
        wrong.append(PASSWORD)
    if wrong:
        raise _unproved(user_id, done, response, "a read of it afterwards still differs from the task in %s" % ", ".join(
            OPTION_OF.get(member, "password" if member == PASSWORD else member) for member in wrong),
            "the API did not apply all of it; rerun the task, and report it to Byteful if it persists", url)
    return user


def _unproved(user_id, done, response, found, advice, url=None):
    """The one sentence for a write that the API reported done and that the account does not show."""
    status = "the API answered HTTP %d%s" % (response.status, ", request id %s" % response.request_id
                                             if response.request_id else "") \
        if response is not None else "its answer was lost and a read found the user"
    return BytefulError("Proxy user %s was not %s as declared: %s, but %s; %s." % (
        user_id, done, status, found, advice), reason="write not applied", url=response.url if response else url,
        status=response.status if response else None, request_id=response.request_id if response else None)


def _confirming_read(client, user_id, done):
    """The read after a lost answer; a failure of its own says that the write's outcome is unknown."""
    try:
        return read_user(client, user_id)
    except BytefulError as exc:
        raise BytefulError("%s; so whether proxy user %s was %s is unknown (its answer was lost): rerun the task, which "
                           "reads before it writes." % (exc.message.rstrip("."), user_id, done), **exc.details) from None


def _whole(response):
    """The user a write answered with, when it is the whole ProxyUser (an API that echoes it); else None.

    The docs' examples answer a create with the credentials alone and an edit with no data; then the
    user is read again.
    """
    data = response.data if response is not None else None
    if not isinstance(data, dict) or any(member not in data for dummy, member in MEMBERS):
        return None
    return _checked(data, response.request_id)
