# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""docs/simulator.md, made from the data files (a unit test checks that the page in the repo matches)."""

from __future__ import annotations

from .accounts import CATALOGUE
from .protocol import API_PREFIX, DEFAULT_PRIVATE_KEY, PRIVATE_KEY_ENV
from .resources import ROUTES_BY_NAME

REGENERATE = "python3 tests/simulator --list-accounts --markdown > docs/simulator.md"


def _cell(text):
    return text.replace("|", "\\|")


def accounts_page(catalogue=CATALOGUE):
    """The whole page, Markdown."""
    lines = [
        "# The Byteful simulator: a sandbox for your playbooks",
        "",
        "<!-- Generated from tests/simulator/data/ by `%s`; do not edit by hand. -->" % REGENERATE,
        "",
        "The collection ships a local stand-in for the Byteful API (`tests/simulator/`, Python standard library",
        "only). It serves the routes below for the accounts below, with the live API's shapes, errors and rate",
        "limit (10 requests per second per key). Nothing in it is real or billed: it has no route that buys.",
        "",
        "Start it in the foreground; it prints its base URL, the keys and the shell exports to paste:",
        "",
        "```sh",
        "make simulator                       # from a clone of the repository",
        "python3 ~/.ansible/collections/ansible_collections/byteful/proxy/tests/simulator --banner",
        "                                     # from an installed collection (see `ansible-galaxy collection list byteful.proxy`)",
        "```",
        "",
        "- **Base URL**: printed on the first line, `http://127.0.0.1:PORT/1.0` (`--port` fixes the port).",
        "- **Public key** (`BYTEFUL_API_PUBLIC_KEY`): the name of an account or fault below; it selects what the",
        "  simulator answers.",
        "- **Private key** (`BYTEFUL_API_PRIVATE_KEY`): `%s`, the built-in test key, the same for" % DEFAULT_PRIVATE_KEY,
        "  every account. It is not a secret. `--private-key` or `$%s` sets another one." % PRIVATE_KEY_ENV,
        "",
        "`--list-accounts` prints the same list; `--help` lists every option. The control API under `/_sim/` (no",
        "keys) resets counters (`POST /_sim/reset`), shows them (`GET /_sim/stats`) and defines accounts of your own",
        "(`PUT /_sim/accounts/<public key>` with `{\"customer\": {...}, \"faults\": [...]}` and, if you like, the",
        "data-file keys `services`, `usage`, `proxy_users`, `proxy_user_writes`, `proxies`, `search`, `datetime_form`).",
        "",
        "## Routes",
        "",
        "Every route needs the two key headers, honours the rate limit and the faults, and is counted in",
        "`GET /_sim/stats` (`by_path`; `by_method_path` as `\"GET /1.0/...\"`; `by_route` by route name, whatever",
        "the id in the path). Any other method or path is answered 405 or 404 and counted all the same, so a test",
        "can prove what was sent: nothing but reads, quotes and the proxy-user writes (`POST",
        "/1.0/public/user/checkout/create`, the purchase, is a 404 here). `{id}` is one path segment, URL-encoded;",
        "an id the account does not have is a 404 with the live error envelope. Request ids are UUIDs, as the",
        "live API's, in the `X-Request-Id` header and the error envelope's `api_request_id`. The stats'",
        "`attempts_by_account` lists each account's requests in order: why the client sent each (its",
        "`X-Byteful-Attempt` header: `1`, or `2; after=503` for a retry) and what it was answered (a status, or the",
        "fault's action: `hang`, `close`, `cut`, `truncate`, `trickle`, `trickle_headers`, `delay`).",
        "",
        "| method | path (under the base URL) | route name | serves |",
        "|---|---|---|---|",
    ]
    for route in ROUTES_BY_NAME.values():
        path = route.path[len(API_PREFIX):]
        lines.append("| %s | `%s` | `%s` | %s |" % (route.method, path, route.name, _cell(route.message)))
    lines += [
        "",
        "**Searches** take `page` and `per_page`, `sort_by=<field>[_asc|_desc]` and filters `<field>=`,",
        "`min_<field>=`, `max_<field>=`, `not_<field>=`, `like_<field>=` (`%` wildcard); unknown parameters are",
        "ignored. Their envelope holds `data`, `item_count`, `page`, `per_page`, `total_count` and `message`.",
        "`per_page` defaults to 100; above 100 it is served as 100 (the envelope says so), as the docs' maximum",
        "and byteful-sdk's pool walk (`per_page=500`, run against the live API without an error) suggest;",
        "`per_page` or `page` below 1 or not an integer (`0`, `abc`) is 400 Bad Request. An account's",
        "`search.strict_per_page` answers above 100 with 400 instead. Services, ledger rows and proxy users",
        "come from the account's data file (or follow from its customer); times in them are relative and",
        "resolved when served (`$now+5d`), in UTC.",
        "",
        "**Proxy users are writable**, and the changes live for the simulator's run (until the account is",
        "redefined, or restored by `DELETE /_sim/accounts/<key>` or `POST /_sim/reset {\"accounts\": true}`).",
        "A create answers 201 `{\"created\": [id], \"data\": {proxy_user_id, proxy_user_password}}` (both",
        "generated when not given); an edit 200 `{\"edited\": [id], \"proxy_user_acl_deleted\": [...]}`; a",
        "delete 200 `{\"deleted\": [id]}`, and is soft: `proxy_user_is_deleted` true in later searches and",
        "retrieves. Created users count against `customer_proxy_user_limit`, deleted ones do not; the default",
        "user counts. Refusals: 400 for a malformed member (the message names it and never quotes a",
        "password; ids are 10 to 32 letters, digits or underscores, passwords 10 to 32 letters and digits,",
        "and an edit cannot rename), 404 for an unknown or deleted user, 409 Conflict for a taken id or IP",
        "address, 422 for the business rules (the default user cannot be deleted nor leave access type",
        "`all`; strict security needs an IP address; at most 5 IP addresses; a bytes limit not below what was",
        "used; `clear_proxy_user_acl` to make a restricted user with ACL entries `all`), and at the limit the",
        "account's `limit_status`. What the docs leave open is set per account by the data-file key",
        "`proxy_user_writes`: `limit_status` (400, 403, 409, 422 or 429; default 422), `echo` (true: create",
        "and edit answer the whole ProxyUser in `data`) and `reuse_deleted_ids` (true: a deleted user's id",
        "may be created again; by default it stays taken). The accounts `proxy_users_at_limit` (422),",
        "`proxy_users_at_limit_403`, `proxy_user_echo` and `proxy_users_reuse_ids` give each reading;",
        "every other account answers as the docs' examples.",
        "",
        "**Proxies** follow from the account's ISP and datacenter services (`service_quantity` each, their",
        "status from the service's: `in_use`, `reserved`, `waiting`, `pending_deletion`), unless the data",
        "file lists them (`proxies`, as `proxies_odd` does). They carry proxy-specific credentials, the",
        "default proxy user's and the ids of the proxy users who reach them, as those users now are. The",
        "proxy search takes byteful-sdk's filters (`service_id`, `proxy_type`, `country_id`, `proxy_status`,",
        "`proxy_protocol`, `proxy_user_id`, ...). `list_by_search` answers lines (`list_format` standard",
        "`host:port:user:password`, or http, https, socks5, socks5h URLs; `list_protocol`, `list_version`,",
        "`list_authentication` username_and_password, proxy_specific or ip_address; `proxy_user_id`; every",
        "proxy filter) in pages of 100 with the search envelope; `list_by_id` the lines of `proxy_ids`.",
        "",
        "**Prices** come from `tests/simulator/data/prices.json`, one list for three routes. The quote:",
        "total = quantity x unit price x cycle count (a year costs 10 months), less a promotional code's",
        "percentage, paid from the account's credit; an unknown product is a 422; a cycle, stock or",
        "promotional code the product does not allow is `is_valid: false` with an `invalid_reason`. The",
        "catalog is keyed by product code (the quote's `product_code`), without prices, nulls as the docs",
        "show them for the global products. The product search has opaque `prod_...` ids and one price per",
        "cycle option, whose `price_id` and `price_per_unit_amount` are the quote's `item_price_id` and",
        "`item_per_unit_amount` for that cycle.",
        "",
        "**Secrets**: the private key, every proxy-user password and every proxy credential the simulator",
        "serves or receives never appear in its log, on stderr or in its stats (a path or header holding one",
        "is logged with `<redacted>`).",
        "",
        "The rules and data-file keys are in the docstrings of `tests/simulator/resources/` (search.py,",
        "services.py, ledgers.py, proxy_users.py, proxy_user_writes.py, proxies.py, proxy_lists.py, quote.py,",
        "catalog.py, clock.py) and `tests/simulator/accounts.py`.",
        "",
        "A fault step may carry `\"route\": \"<route name>\"`: it then hits only that route, and the others",
        "answer normally. With `\"commit\": true` the route does its work first (a create or an edit takes",
        "effect) and the step then answers as it says (an error status, a hang, a closed connection): the",
        "client cannot tell whether its write happened.",
        "",
        "## Accounts",
        "",
        "Each is one file under `tests/simulator/data/accounts/`, named after its public key.",
        "",
        "| public key | what it simulates |",
        "|---|---|",
    ]
    for name in catalogue.account_names:
        lines.append("| `%s` | %s |" % (name, _cell(catalogue.descriptions[name])))
    lines += [
        "",
        "## Faults",
        "",
        "Each is one file under `tests/simulator/data/faults/`: its steps, and the account it answers as once",
        "they are used up (\"every request\": the steps never run out).",
        "",
        "| public key | what it answers | afterwards |",
        "|---|---|---|",
    ]
    for name in catalogue.fault_names:
        finite = all(step.get("times") for step in catalogue.faults[name])
        then = "as `%s`" % catalogue.then[name] if finite else "every request"
        lines.append("| `%s` | %s | %s |" % (name, _cell(catalogue.descriptions[name]), then))
    return "\n".join(lines) + "\n"
