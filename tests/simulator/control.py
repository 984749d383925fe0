# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The control API under /_sim/ (no authentication, not counted as API requests).

GET /_sim/stats, POST /_sim/reset, GET|PUT|DELETE /_sim/accounts/<public_key>, GET /_sim/accounts,
GET|PUT /_sim/config, GET /_sim/health, POST /_sim/shutdown.
"""

from __future__ import annotations

import json
import threading
from urllib.parse import unquote

from .protocol import InvalidRequest

ROUTES = {
    "/stats": ("GET",),
    "/reset": ("POST",),
    "/shutdown": ("POST",),
    "/health": ("GET",),
    "/accounts": ("GET",),
    "/config": ("GET", "PUT"),
}


def handle_control(handler, sub, raw_body):
    """Answer one control request; sub is the path after /_sim."""
    state = handler.state
    method = handler.command
    account_key = None
    if sub.startswith("/accounts/"):
        account_key = unquote(sub[len("/accounts/"):])
        allowed = ("GET", "PUT", "DELETE")
    else:
        allowed = ROUTES.get(sub)
    if allowed is None or (account_key is not None and not account_key):
        handler.send_error_envelope(404)
        return
    if method not in allowed:
        handler.send_error_envelope(405, headers={"Allow": ", ".join(allowed)})
        return
    try:
        body = json.loads(raw_body.decode("utf-8")) if raw_body.strip() else {}
    except ValueError:
        handler.send_error_envelope(400, message="the body is not valid JSON")
        return
    try:
        if account_key is not None:
            _account(handler, method, account_key, body)
        elif sub == "/stats":
            handler.send_json(200, state.stats())
        elif sub == "/reset":
            if not isinstance(body, dict):
                raise InvalidRequest("the body must be a JSON object")
            state.reset(accounts=bool(body.get("accounts")))
            handler.send_json(200, {"reset": True, "accounts_restored": bool(body.get("accounts"))})
        elif sub == "/health":
            handler.send_json(200, {"status": "ok", "base_url": handler.server.base_url})
        elif sub == "/accounts":
            handler.send_json(200, {"accounts": state.account_names()})
        elif sub == "/config":
            handler.send_json(200, state.config() if method == "GET" else state.set_config(body))
        else:  # /shutdown
            handler.send_json(200, {"shutdown": True})
            threading.Thread(target=handler.server.stop, name="byteful-simulator-stop", daemon=True).start()
    except InvalidRequest as exc:
        handler.send_error_envelope(400, message=str(exc))


def _account(handler, method, account_key, body):
    state = handler.state
    if method == "GET":
        account = state.get_account(account_key)
        if account is None:
            handler.send_error_envelope(404, message="No such account.")
        else:
            handler.send_json(200, account)
    elif method == "PUT":
        created = state.set_account(account_key, body)
        handler.send_json(201 if created else 200, {"account": state.redact(account_key), "created": created})
    elif state.delete_account(account_key):
        handler.send_json(200, {"account": state.redact(account_key), "deleted": True})
    else:
        handler.send_error_envelope(404, message="No such account.")
