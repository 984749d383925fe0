# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every part of the simulator agrees on: the key, the prefixes, the error envelope."""

from __future__ import annotations

import json
import uuid

# Not a secret: the key of a local test server, printed by --help and the sandbox banner.
DEFAULT_PRIVATE_KEY = "sim-private-key-not-a-real-secret-0123456789"
PRIVATE_KEY_ENV = "BYTEFUL_SIM_PRIVATE_KEY"
DEFAULT_HOST = "127.0.0.1"
API_PREFIX = "/1.0"
CONTROL_PREFIX = "/_sim"
RATE_LIMIT_PER_SECOND = 10
# The header in which the collection's client says why it sent a request ("1", "2; after=503"):
# recorded per account in the stats' attempts_by_account and in the log. The client's own name
# for it is _transport.ATTEMPT_HEADER; a unit test keeps the two equal.
ATTEMPT_HEADER = "X-Byteful-Attempt"
RATE_LIMIT_WINDOW = 1.0
MAX_REQUEST_BODY = 16 * 1024 * 1024
REDACTED = "<redacted>"

# status -> (error, message) when nothing more specific is given. The live API's `error` member is
# the status's title-case reason ("Unauthorized", "Not Found"), not a snake_case code.
DEFAULT_ERRORS = {
    400: ("Bad Request", "The request was malformed."),
    401: ("Unauthorized", "Invalid API key or secret."),
    403: ("Forbidden", "You do not have permission to perform this action."),
    404: ("Not Found", "The requested resource was not found."),
    405: ("Method Not Allowed", "Method not allowed."),
    409: ("Conflict", "The request conflicts with the current state of the resource."),
    411: ("Length Required", "A Content-Length header is required."),
    413: ("Payload Too Large", "The request body is too large."),
    414: ("URI Too Long", "The request URI is too long."),
    422: ("Unprocessable Entity", "The request could not be processed."),
    429: ("Too Many Requests", "Rate limit exceeded: too many requests."),
    431: ("Request Header Fields Too Large", "The request headers are too large."),
    500: ("Internal Server Error", "An internal server error occurred."),
    501: ("Not Implemented", "Not implemented."),
    502: ("Bad Gateway", "Bad gateway."),
    503: ("Service Unavailable", "The service is temporarily unavailable."),
    504: ("Gateway Timeout", "Gateway timeout."),
}
UNKNOWN_ERROR = ("Error", "The request could not be handled.")


class InvalidRequest(ValueError):
    """A control request (or a data file) that cannot be honoured (answered with 400)."""


def default_error(status):
    """(error, message) for a status."""
    return DEFAULT_ERRORS.get(status, UNKNOWN_ERROR)


def new_request_id():
    """A unique request id in the live form, a UUID (byteful-api-more.md section 7; the community client's own
    tests expect hexadecimal digits and dashes): the X-Request-Id header and the error envelope's api_request_id."""
    return str(uuid.uuid4())


def error_envelope(error, message, request_id, extra=None):
    """The documented error body."""
    body = {"error": error, "message": message, "api_request_id": request_id}
    if extra:
        body.update(extra)
    return body


def json_bytes(value):
    return json.dumps(value, separators=(", ", ": ")).encode("utf-8")


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)
