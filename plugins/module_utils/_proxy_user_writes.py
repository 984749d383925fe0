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

import ipaddress

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError, OptionError, json_type
from ansible_collections.byteful.proxy.plugins.module_utils._customer import fetch_customer
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user import (
    PROXY_USER_SCHEMA,
    PROXY_USER_SEARCH_PATH,
    read_proxy_users,
)
from ansible_collections.byteful.proxy.plugins.module_utils._schema import check, optional
from ansible_collections.byteful.proxy.plugins.module_utils._size import MAX_BYTES, SIZE_EXAMPLES, format_bytes, parse_size

CREATE_ROUTE = "/public/user/proxy_user/create"
EDIT_ROUTE = "/public/user/proxy_user/edit/{id}"
DELETE_ROUTE = "/public/user/proxy_user/delete/{id}"

ACCESS_TYPES = ("all", "service_restricted", "proxy_restricted")
UPDATE_PASSWORD = ("always", "on_create")
PASSWORD = "proxy_user_password"
MASK = "********"
# What the docs allow: a user name of 10 to 32 characters on create; metadata a flat object of at most 30 keys.
ID_LENGTH = (10, 32)
MAX_METADATA_KEYS = 30
# A bare number below this is almost surely a unit slip: 5 meant as 5 GB would cap the user at 5 bytes.
SLIP_BYTES = 1024 ** 2
UNLIMITED = ("unlimited", "none")

# The members a task can declare, by option: (option, API member).
MEMBERS = (
    ("access_type", "proxy_user_access_type"),
    ("strict_security", "proxy_user_is_strict_security"),
    ("enforce_https", "proxy_user_enforce_https"),
    ("ip_address_authentications", "ip_address_authentications"),
    ("residential_bytes_limit", "proxy_user_residential_bytes_limit"),
    ("mobile_bytes_limit", "proxy_user_mobile_bytes_limit"),
    ("metadata", "proxy_user_metadata"),
)
OPTION_OF = {member: option for option, member in MEMBERS}

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
_HINTS = {
    "create": {
        400: "check the task's options: the API's message names the member it refused",
        403: "the keys may not create proxy users, or the account is at its proxy-user limit (customer_proxy_user_limit): "
             "delete one with state absent, or ask Byteful to raise the limit",
        409: "proxy_user_id, or an address in ip_address_authentications, is taken by another proxy user",
        422: "the API's message says which rule the user breaks; at the proxy-user limit (customer_proxy_user_limit), "
             "delete one with state absent, or ask Byteful to raise the limit",
    },
    "edit": {
        400: "check the task's options: the API's message names the member it refused",
        404: "the proxy user was deleted while the task ran; rerun it",
        409: "an address in ip_address_authentications belongs to another proxy user",
        422: "the API's message says which rule the change breaks",
    },
    "delete": {
        404: "the proxy user was deleted while the task ran; rerun it",
        422: "the API's message says why it keeps the proxy user",
    },
}


# -- the task's options -----------------------------------------------------------------------


def parse_limit(value, option):
    """A byte limit: a number of bytes, a size ("10 GB"), or "unlimited" (None); OptionError otherwise."""
    if isinstance(value, str) and value.strip().lower() in UNLIMITED:
        return None
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip():
        number = parse_size(value)
    if number is None:
        raise OptionError("%s %r is not a size; use a number of bytes, a size such as %s, or unlimited." % (
            option, value, SIZE_EXAMPLES))
    if number < 0:
        raise OptionError("%s must not be negative, got %r." % (option, value))
    if number > MAX_BYTES:
        raise OptionError("%s %r is more than any account can hold (%s); check the unit." % (
            option, value, format_bytes(MAX_BYTES)))
    bare = isinstance(value, int) or not any(ch.isalpha() for ch in value)
    if bare and isinstance(value, str) and not value.strip().lstrip("+").isdigit():
        # "0.5" is no number of bytes: half of what unit?
        raise OptionError("%s %r has no unit and is not a whole number of bytes; write the unit, such as '%s GB'." % (
            option, value, value.strip()))
    if bare and 1 < number < SLIP_BYTES:
        # A provisioning task that caps a user at 5 bytes is a typo that silently breaks the user.
        raise OptionError("%s %r is only %s, as a bare number is bytes; write the unit, such as '%d GB', or at least %d "
                          "bytes." % (option, value, format_bytes(number), number, SLIP_BYTES))
    return number


def _addresses(values):
    if not isinstance(values, list):
        raise OptionError("ip_address_authentications must be a list of IP addresses, got %s." % type(values).__name__)
    addresses = []
    for value in values:
        try:
            network = ipaddress.ip_network(value.strip(), strict=True) if isinstance(value, str) else None
        except ValueError:
            network = None
        if network is None:
            raise OptionError("ip_address_authentications: %r is not an IP address (such as 203.0.113.7 or 2001:db8::7) "
                              "or network (203.0.113.0/24)." % (value,))
        text = str(network.network_address) if network.prefixlen == network.max_prefixlen else str(network)
        if text in addresses:
            raise OptionError("ip_address_authentications lists %s twice." % text)
        addresses.append(text)
    return addresses


def _metadata(value):
    if not isinstance(value, dict):
        raise OptionError("metadata must be a dictionary, got %s." % type(value).__name__)
    if len(value) > MAX_METADATA_KEYS:
        raise OptionError("metadata has %d keys; the API allows at most %d." % (len(value), MAX_METADATA_KEYS))
    nested = sorted(str(key) for key, item in value.items() if item is None or isinstance(item, (dict, list)))
    if nested:
        raise OptionError("metadata is flat: the values of %s must be text, numbers or booleans." % ", ".join(nested))
    return dict(value)


def check_id(user_id):
    """proxy_user_id as given, or OptionError: one path segment (it goes into the edit's and delete's URL)."""
    if not isinstance(user_id, str) or not user_id.strip():
        raise OptionError("proxy_user_id must be the proxy user's name, got %r." % (user_id,))
    if any(ch in user_id for ch in "/\\?#%") or any(ch.isspace() or not ch.isprintable() for ch in user_id):
        raise OptionError("proxy_user_id %r holds white space, a control character or one of / \\ ? # %%, which no "
                          "proxy user name has." % (user_id,))
    return user_id


def declared(params):
    """The API members the task sets, from the module's params (an option left out is None: not managed)."""
    members = {}
    for option, member in MEMBERS:
        value = params.get(option)
        if value is None:
            continue
        if option == "access_type" and value not in ACCESS_TYPES:
            raise OptionError("access_type must be one of %s, got %r." % (", ".join(ACCESS_TYPES), value))
        if option in ("residential_bytes_limit", "mobile_bytes_limit"):
            value = parse_limit(value, option)
        elif option == "ip_address_authentications":
            value = _addresses(value)
        elif option == "metadata":
            value = _metadata(value)
        members[member] = value
    return members


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
            return sorted(set(_addresses(list(value or []))))
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

    Returns {"changed", "proxy_user", "diff"} and a list of warnings. Mistakes in the options raise
    OptionError before any request; refusals (the limit, the default user's rules) BytefulError before
    any write.
    """
    user_id = check_id(params["proxy_user_id"])
    state = params.get("state") or "present"
    members = declared(params) if state == "present" else {}
    password = params.get("password")
    client.learn_secret(password)  # before the first request: an answer may quote it
    warnings = []
    current = read_user(client, user_id)
    if state == "absent":
        return _ensure_absent(client, user_id, current, check_mode), warnings
    return _ensure_present(client, user_id, current, members, password, params, check_mode, warnings), warnings


def _ensure_absent(client, user_id, current, check_mode):
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

    client.write("DELETE", DELETE_ROUTE, "Deleting Byteful proxy user %s" % user_id, item_id=user_id,
                 hints=_HINTS["delete"], confirm=confirm)
    return result


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
    if creating:
        if not ID_LENGTH[0] <= len(user_id) <= ID_LENGTH[1]:
            raise OptionError("Proxy user %s was not created: proxy_user_id must be %d to %d characters for a new proxy "
                              "user (the API's rule), got %d." % (user_id, ID_LENGTH[0], ID_LENGTH[1], len(user_id)))
        _check_room(client, user_id)
    result = {"changed": True, "proxy_user": shown(after), "diff": diff}
    if check_mode:
        return result
    body = dict(changes)
    if send_password:
        body[PASSWORD] = password
    if creating:
        written = _create(client, user_id, body, current)
    else:
        if params.get("clear_acl") and changes.get("proxy_user_access_type") == "all":
            body["clear_proxy_user_acl"] = True
        response = client.write("PATCH", EDIT_ROUTE, "Changing Byteful proxy user %s" % user_id, body=body, item_id=user_id,
                                hints=_HINTS["edit"])
        written = _whole(response)
    result["proxy_user"] = shown(written or read_user(client, user_id) or after)
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


def _create(client, user_id, body, current):
    """Create the user: the write, or what a read found when its answer was lost (never a second user)."""
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
    response = client.write("POST", CREATE_ROUTE, "Creating Byteful proxy user %s" % user_id,
                            body=dict(body, proxy_user_id=user_id), hints=hints, confirm=confirm)
    return confirmed.get("user") if response is None else _whole(response)


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
