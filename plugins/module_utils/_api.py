# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""The one place in byteful.proxy that talks HTTP to the Byteful API: what the rest of the collection imports.

Modules run the client on the target and plugins on the controller, so it depends only on the
standard library and requests (imported on first use; the caller reports it missing). It is
split by concern, each file readable alone, imported in this order (none imports a later one):

* _errors.py: BytefulError, OptionError and the Redactor: the one gate every server string passes
  (cleaned, then redacted, then cut);
* _exchange.py: one HTTP exchange, bounded in time and size (compression included);
* _answer.py: reading and checking an answer's body (JSON, envelope, error statuses, data);
* _transport.py: the request loop and its retry rules (backoff, Retry-After, the shared pace);
* _paging.py: every page of a search;
* _client.py: BytefulClient, the connection options and their checks.
"""

from __future__ import annotations

from ansible_collections.byteful.proxy.plugins.module_utils._answer import (
    DEFAULT_API_URL,
    MAX_DATA_DEPTH,
    ApiResponse,
)
from ansible_collections.byteful.proxy.plugins.module_utils._client import (
    COLLECTION_VERSION,
    CONNECTION_ARGUMENT_SPEC,
    CONNECTION_OPTIONS,
    MAX_RATE_LIMIT_WAIT,
    MAX_TIMEOUT,
    READ_ONLY_POSTS,
    RESENDABLE_WRITES,
    USER_AGENT,
    WRITES,
    BytefulClient,
    query_string,
)
from ansible_collections.byteful.proxy.plugins.module_utils._errors import (
    MAX_DATA_TEXT,
    MAX_NAME_TEXT,
    MAX_SERVER_TEXT,
    SECRET_MEMBERS,
    BytefulError,
    OptionError,
    Redactor,
    UncertainWrite,
    json_type,
)
from ansible_collections.byteful.proxy.plugins.module_utils._exchange import (
    DEADLINE_GRACE,
    HAS_REQUESTS,
    MAX_BODY_BYTES,
    REQUESTS_IMPORT_ERROR,
)
from ansible_collections.byteful.proxy.plugins.module_utils._paging import DEFAULT_MAX_PAGES, MAX_PER_PAGE, SearchResult
from ansible_collections.byteful.proxy.plugins.module_utils._transport import (
    BACKOFF_BASE,
    BACKOFF_JITTER,
    BACKOFF_MAX,
    DEFAULT_RATE_LIMIT_WAIT,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    LIMITER_MIN_WAIT,
    MIN_REQUEST_INTERVAL,
    RETRY_AFTER_JITTER,
    RETRY_AFTER_MAX,
    RETRY_STATUSES,
    worst_case_seconds,
)

__all__ = [
    "ApiResponse", "BytefulClient", "BytefulError", "OptionError", "SearchResult", "UncertainWrite", "WRITES",
    "RESENDABLE_WRITES",
    "CONNECTION_ARGUMENT_SPEC", "CONNECTION_OPTIONS", "HAS_REQUESTS", "REQUESTS_IMPORT_ERROR",
    "COLLECTION_VERSION", "SECRET_MEMBERS", "USER_AGENT", "DEFAULT_API_URL", "READ_ONLY_POSTS", "json_type", "query_string", "Redactor",
    "MAX_SERVER_TEXT", "MAX_DATA_TEXT", "MAX_NAME_TEXT", "MAX_DATA_DEPTH", "MAX_BODY_BYTES", "MAX_PER_PAGE", "DEFAULT_MAX_PAGES", "MAX_TIMEOUT",
    "MAX_RATE_LIMIT_WAIT", "DEFAULT_TIMEOUT", "DEFAULT_RETRIES", "DEFAULT_RATE_LIMIT_WAIT", "BACKOFF_BASE",
    "BACKOFF_MAX", "BACKOFF_JITTER", "RETRY_AFTER_MAX", "RETRY_AFTER_JITTER", "RETRY_STATUSES", "LIMITER_MIN_WAIT",
    "MIN_REQUEST_INTERVAL", "DEADLINE_GRACE", "worst_case_seconds",
]
