# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""POST /public/user/proxy_user/create, PATCH .../edit/{proxy_user_id}, DELETE .../delete/{proxy_user_id}.

The only routes that change an account. A change lives for the simulator's run (until the account is
redefined, or restored by ``POST /_sim/reset {"accounts": true}``): created users appear in searches
and retrieves and count against the customer's ``customer_proxy_user_limit``; a delete is soft
(``proxy_user_is_deleted`` true in later searches) and frees the user's place under the limit.

Body members (byteful-sdk's ``proxy_user_create``/``proxy_user_edit``; the API reference pages), checked
against the collection's table of the API's rules (plugins/module_utils/_proxy_user_rules.py, which
the proxy_user module checks before sending; the figures below are its):
``proxy_user_id`` (create only; 10 to 32 letters, digits or underscores; generated when absent or
null), ``proxy_user_password`` (10 to 32 letters and digits; generated on create when absent or
null), ``proxy_user_access_type`` (all, service_restricted, proxy_restricted; default all),
``proxy_user_is_strict_security`` and ``proxy_user_enforce_https`` (booleans), ``ip_address_authentications``
(IP addresses or networks, at most the user's ``proxy_user_ip_address_authentication_limit``, 5), ``proxy_user_metadata``
(a flat object: at most 30 keys, values text, number or boolean of at most 300 characters, 32 KB in
all; an edit replaces it whole), ``proxy_user_residential_bytes_limit`` and ``proxy_user_mobile_bytes_limit``
(integers >= 0, or null for none), and on edit ``clear_proxy_user_acl`` (boolean). Other members are
ignored. Answers, in the order they are checked:

* 400 Bad Request: a body that is not a JSON object; a member of the wrong type or form (the message
  names it, and never quotes a password); an edit whose ``proxy_user_id`` differs from the path's
  (ids are usernames: they cannot be renamed);
* 404 Not Found: edit or delete of an id the account does not have, or of a deleted user;
* the limit: a create when the account's undeleted users (the default one included) number
  ``customer_proxy_user_limit`` or more is answered with the account's ``limit_status`` (below,
  default 422 Unprocessable Entity: the docs name no status; 422 is their class for business rules);
* 409 Conflict: a create with the id of an existing user (of a deleted one too, unless the account
  sets ``reuse_deleted_ids``), an IP address authentication another undeleted user already has;
* 422 Unprocessable Entity: deleting the default user, or changing its access type from "all" (the
  docs: the default user always has access type "all"); more IP addresses than the user's limit;
  strict security without an IP address; a bytes limit below what the user already used; changing a
  restricted user with ACL entries (``restricted_service_ids``/``restricted_proxy_ids``) to "all"
  without ``clear_proxy_user_acl``.
* Success: create 201 ``{"created": [id], "data": {"proxy_user_id", "proxy_user_password"}, "message"}``
  (the docs' example: data holds the credentials only); edit 200 ``{"edited": [id], "message",
  "proxy_user_acl_deleted": [...]}``; delete 200 ``{"deleted": [id], "message"}``.

Data file key ``proxy_user_writes`` (each member optional): ``limit_status`` (the status of the limit
error: 400, 403, 409, 422 or 429), ``echo`` (true: the create's and the edit's ``data`` is the whole
ProxyUser as it now is; whether the live API echoes the edited object is not documented),
``reuse_deleted_ids`` (true: a deleted user's id may be created again, replacing the deleted user).
"""

from __future__ import annotations

import importlib.util
import ipaddress
import json
import os
import random
import re
import string
import uuid

from ..protocol import InvalidRequest, is_int
from . import clock
from .proxy_users import writable_proxy_users
from .route import PATH_ID, BodyRoute, RouteError

WRITE_SETTINGS = {"limit_status": 422, "echo": False, "reuse_deleted_ids": False}
LIMIT_STATUSES = (400, 403, 409, 422, 429)
ACCESS_TYPES = ("all", "service_restricted", "proxy_restricted")


def _load_rules():
    """The collection's table of the API's proxy-user rules (plugins/module_utils/_proxy_user_rules.py), by its path."""
    path = os.path.join(os.path.dirname(__file__), "..", "..", "..", "plugins", "module_utils", "_proxy_user_rules.py")
    spec = importlib.util.spec_from_file_location("byteful_proxy_user_rules", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The rules the modules check before sending, enforced here from the same table (never a rule of the simulator's own).
RULES_MODULE = _load_rules()
RULES = RULES_MODULE.RULES
IP_AUTHENTICATION_LIMIT = RULES["ip_address_authentications"]["max_items"]
_METADATA = RULES["proxy_user_metadata"]
_USER_ID = re.compile(RULES_MODULE.pattern("proxy_user_id"))
_PASSWORD = re.compile(RULES_MODULE.pattern("proxy_user_password"))
_ACL_NAMESPACE = uuid.UUID("0c7d3f5e-2b1a-4e8f-9d6c-5a4b3c2d1e0f")
_RANDOM = random.SystemRandom()
BOOLEAN_MEMBERS = ("proxy_user_is_strict_security", "proxy_user_enforce_https")
LIMIT_MEMBERS = ("proxy_user_residential_bytes_limit", "proxy_user_mobile_bytes_limit")


def validate_write_settings(value):
    """Check a ``proxy_user_writes`` object (data file or PUT /_sim/accounts); raise InvalidRequest."""
    if not isinstance(value, dict):
        raise InvalidRequest("proxy_user_writes must be an object")
    unknown = sorted(set(value) - set(WRITE_SETTINGS))
    if unknown:
        raise InvalidRequest("proxy_user_writes has unknown keys: %s (known: %s)" % (", ".join(unknown), ", ".join(WRITE_SETTINGS)))
    if value.get("limit_status", 422) not in LIMIT_STATUSES:
        raise InvalidRequest("proxy_user_writes.limit_status must be one of %s" % ", ".join(str(status) for status in LIMIT_STATUSES))
    for name in ("echo", "reuse_deleted_ids"):
        if not isinstance(value.get(name, False), bool):
            raise InvalidRequest("proxy_user_writes.%s must be a boolean" % name)


def write_settings(account):
    return dict(WRITE_SETTINGS, **(account.get("proxy_user_writes") or {}))


# -- the body ------------------------------------------------------------------------------------


def _random_text(alphabet, length):
    return "".join(_RANDOM.choice(alphabet) for _index in range(length))


def _check_members(body, creating):
    """The members a create or edit sets, checked for type and form (400 otherwise)."""
    changes = {}
    if body.get("proxy_user_password") is not None:
        password = body["proxy_user_password"]
        if not isinstance(password, str) or not _PASSWORD.fullmatch(password):
            raise RouteError(400, "proxy_user_password must be %s." % RULES_MODULE.sentence("proxy_user_password"))
        changes["proxy_user_password"] = password
    if "proxy_user_access_type" in body:
        if body["proxy_user_access_type"] not in ACCESS_TYPES:
            raise RouteError(400, "proxy_user_access_type must be one of %s." % ", ".join(ACCESS_TYPES))
        changes["proxy_user_access_type"] = body["proxy_user_access_type"]
    for name in BOOLEAN_MEMBERS:
        if name in body:
            if not isinstance(body[name], bool):
                raise RouteError(400, "%s must be a boolean." % name)
            changes[name] = body[name]
    if "ip_address_authentications" in body:
        changes["ip_address_authentications"] = _ip_addresses(body["ip_address_authentications"])
    if "proxy_user_metadata" in body:
        changes["proxy_user_metadata"] = _metadata(body["proxy_user_metadata"])
    for name in LIMIT_MEMBERS:
        if name in body:
            value = body[name]
            if value is not None and not (is_int(value) and value >= 0):
                raise RouteError(400, "%s must be an integer of at least 0, or null." % name)
            changes[name] = value
    if not creating and "clear_proxy_user_acl" in body and not isinstance(body["clear_proxy_user_acl"], bool):
        raise RouteError(400, "clear_proxy_user_acl must be a boolean.")
    return changes


def _ip_addresses(value):
    if not isinstance(value, list):
        raise RouteError(400, "ip_address_authentications must be a list of IP addresses.")
    addresses = []
    for item in value:
        try:
            address = _address(item) if isinstance(item, str) else None
        except ValueError:
            address = None
        if address is None:
            raise RouteError(400, "ip_address_authentications: %s is not an IP address." % json.dumps(item)[:60])
        if address in addresses:
            raise RouteError(400, "ip_address_authentications: %s is listed twice." % address)
        addresses.append(address)
    return addresses


def _address(text):
    """An address, or a network where the rules allow them, in canonical form (a /32 or /128 as its address)."""
    if not RULES["ip_address_authentications"]["networks"]:
        return str(ipaddress.ip_address(text))
    network = ipaddress.ip_network(text, strict=True)
    return str(network.network_address) if network.prefixlen == network.max_prefixlen else str(network)


def _metadata(value):
    if not isinstance(value, dict):
        raise RouteError(400, "proxy_user_metadata must be an object.")
    if len(value) > _METADATA["max_keys"]:
        raise RouteError(400, "proxy_user_metadata may have at most %d keys." % _METADATA["max_keys"])
    for key, item in value.items():
        if isinstance(item, (dict, list)) or item is None:
            raise RouteError(400, "proxy_user_metadata.%s must be text, a number or a boolean (metadata is flat)." % key[:60])
        if len(str(item)) > _METADATA["max_value_length"]:
            raise RouteError(400, "proxy_user_metadata.%s is longer than %d characters." % (key[:60], _METADATA["max_value_length"]))
    if len(json.dumps(value)) > _METADATA["max_json_bytes"]:
        raise RouteError(400, "proxy_user_metadata is larger than %d bytes." % _METADATA["max_json_bytes"])
    return value


# -- the rules -----------------------------------------------------------------------------------


def _find(users, user_id):
    for index, user in enumerate(users):
        if isinstance(user, dict) and user.get("proxy_user_id") == user_id:
            return index, user
    return None, None


def _live(users):
    return [user for user in users if isinstance(user, dict) and not user.get("proxy_user_is_deleted")]


def _check_rules(user, users):
    """The business rules over a user as it would be after the write (422 or 409)."""
    addresses = user.get("ip_address_authentications") or []
    limit = user.get("proxy_user_ip_address_authentication_limit")
    limit = limit if is_int(limit) else IP_AUTHENTICATION_LIMIT
    if len(addresses) > limit:
        raise RouteError(422, "A proxy user may have at most %d IP address authentications." % limit)
    if user.get("proxy_user_is_strict_security") and not addresses:
        raise RouteError(422, "Strict security needs at least one IP address authentication.")
    for kind in ("residential", "mobile"):
        wanted, used = user.get("proxy_user_%s_bytes_limit" % kind), user.get("proxy_user_%s_bytes_used" % kind)
        if is_int(wanted) and is_int(used) and wanted < used:
            raise RouteError(422, "proxy_user_%s_bytes_limit must be at least the %d bytes already used." % (kind, used))
    for other in _live(users):
        if other.get("proxy_user_id") == user.get("proxy_user_id"):
            continue
        taken = set(addresses) & set(other.get("ip_address_authentications") or [])
        if taken:
            raise RouteError(409, "IP address %s is already used by another proxy user." % sorted(taken)[0])


def _now(account, request):
    form = account.get("datetime_form", "space")
    return clock.format_datetime(request.now, "iso" if form == "iso" else "space")


def _served(user, account, request):
    return clock.resolve(user, request.now, account.get("datetime_form", "space"))


# -- the routes ----------------------------------------------------------------------------------


def create(account, request):  # pylint: disable=unused-argument
    body = request.json_body(empty={})
    changes = _check_members(body, creating=True)
    user_id = body.get("proxy_user_id")
    if user_id is not None and (not isinstance(user_id, str) or not _USER_ID.fullmatch(user_id)):
        raise RouteError(400, "proxy_user_id must be %s." % RULES_MODULE.sentence("proxy_user_id"))
    request.keep_secret(changes.get("proxy_user_password"))

    def write(live):
        settings = write_settings(live)
        users = writable_proxy_users(live)
        customer = live.get("customer") if isinstance(live.get("customer"), dict) else {}
        limit = customer.get("customer_proxy_user_limit")
        if is_int(limit) and len(_live(users)) >= limit:
            raise RouteError(settings["limit_status"], "Proxy user limit reached: this account may have %d proxy users and has %d. "
                             "Delete one, or ask Byteful to raise the limit." % (limit, len(_live(users))))
        new_id = user_id
        while new_id is None or (user_id is None and _find(users, new_id)[1] is not None):
            new_id = _random_text(string.ascii_lowercase + string.digits, 12)
        index, existing = _find(users, new_id)
        if existing is not None:
            if not (existing.get("proxy_user_is_deleted") and settings["reuse_deleted_ids"]):
                raise RouteError(409, "proxy_user_id '%s' is already taken%s." % (new_id, " by a deleted proxy user" if existing.get(
                    "proxy_user_is_deleted") else ""))
            del users[index]
        now = _now(live, request)
        user = {
            "proxy_user_id": new_id,
            "proxy_user_password": changes.get("proxy_user_password") or _random_text(string.ascii_letters + string.digits, 16),
            "proxy_user_access_type": "all",
            "proxy_user_is_default": False,
            "proxy_user_is_deleted": False,
            "proxy_user_is_strict_security": False,
            "proxy_user_enforce_https": False,
            "proxy_user_ip_address_authentication_limit": IP_AUTHENTICATION_LIMIT,
            "ip_address_authentications": [],
            "proxy_user_residential_bytes_limit": None,
            "proxy_user_residential_bytes_used": 0,
            "proxy_user_mobile_bytes_limit": None,
            "proxy_user_mobile_bytes_used": 0,
            "proxy_user_metadata": {},
            "customer_id": customer.get("customer_id"),
            "proxy_user_creation_datetime": now,
            "proxy_user_last_update_datetime": now,
        }
        user.update(changes)
        _check_rules(user, users)
        users.append(user)
        request.keep_secret(user["proxy_user_password"])
        data = _served(user, live, request) if settings["echo"] else {key: user[key] for key in ("proxy_user_id", "proxy_user_password")}
        return {"created": [new_id], "data": data, "message": "Proxy User successfully created."}

    return request.change_account(write)


def edit(account, request):  # pylint: disable=unused-argument
    body = request.json_body()
    changes = _check_members(body, creating=False)
    user_id = request.path_id
    if "proxy_user_id" in body and body["proxy_user_id"] != user_id:
        raise RouteError(400, "proxy_user_id cannot be edited: it is the proxy user's username. Create a new proxy user instead.")
    request.keep_secret(changes.get("proxy_user_password"))

    def write(live):
        users = writable_proxy_users(live)
        index, user = _find(users, user_id)
        if user is None or user.get("proxy_user_is_deleted"):
            raise RouteError(404, "Proxy User '%s' not found." % user_id)
        new = dict(user, **changes)
        if user.get("proxy_user_is_default") and new.get("proxy_user_access_type") != "all":
            raise RouteError(422, "The default proxy user always has access type 'all'.")
        acl = [("service", item) for item in user.get("restricted_service_ids") or []] + \
              [("proxy", item) for item in user.get("restricted_proxy_ids") or []]
        cleared = []
        to_all = new.get("proxy_user_access_type") == "all" and user.get("proxy_user_access_type") != "all"
        if acl and to_all and not body.get("clear_proxy_user_acl"):
            raise RouteError(422, "Proxy User '%s' has ACL entries: set clear_proxy_user_acl to change its access type to 'all'." % user_id)
        if acl and body.get("clear_proxy_user_acl"):
            cleared = [str(uuid.uuid5(_ACL_NAMESPACE, "%s/%s/%s" % (user_id, kind, item))) for kind, item in acl]
            for name in ("restricted_service_ids", "restricted_proxy_ids"):
                if name in new:
                    new[name] = []
        _check_rules(new, users)
        new["proxy_user_last_update_datetime"] = _now(live, request)
        users[index] = new
        answer = {"edited": [user_id], "message": "Proxy User successfully edited.", "proxy_user_acl_deleted": cleared}
        if write_settings(live)["echo"]:
            answer["data"] = _served(new, live, request)
        return answer

    return request.change_account(write)


def delete(account, request):  # pylint: disable=unused-argument
    user_id = request.path_id

    def write(live):
        users = writable_proxy_users(live)
        _index, user = _find(users, user_id)
        if user is None or user.get("proxy_user_is_deleted"):
            raise RouteError(404, "Proxy User '%s' not found." % user_id)
        if user.get("proxy_user_is_default"):
            raise RouteError(422, "The default proxy user cannot be deleted.")
        user["proxy_user_is_deleted"] = True
        user["proxy_user_last_update_datetime"] = _now(live, request)
        return {"deleted": [user_id], "message": "Proxy User successfully deleted."}

    return request.change_account(write)


ROUTES = (
    BodyRoute("proxy_user_create", "/public/user/proxy_user/create", "Proxy User successfully created.", create, method="POST", status=201),
    BodyRoute("proxy_user_edit", "/public/user/proxy_user/edit/" + PATH_ID, "Proxy User successfully edited.", edit, method="PATCH"),
    BodyRoute("proxy_user_delete", "/public/user/proxy_user/delete/" + PATH_ID, "Proxy User successfully deleted.", delete, method="DELETE"),
)
