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
        "data-file keys `services`, `usage`, `proxy_users`, `search`, `datetime_form`).",
        "",
        "## Routes",
        "",
        "Every route needs the two key headers, honours the rate limit and the faults, and is counted in",
        "`GET /_sim/stats` (`by_path`, and `by_method_path` as `\"GET /1.0/...\"`). Any other method or path is",
        "answered 405 or 404 and counted all the same, so a test can prove that nothing but reads and quotes",
        "were sent (`POST /1.0/public/user/checkout/create`, the purchase, is a 404 here).",
        "",
        "| method | path (under the base URL) | route name | serves |",
        "|---|---|---|---|",
    ]
    for route in ROUTES_BY_NAME.values():
        lines.append("| %s | `%s` | `%s` | %s |" % (route.method, route.path[len(API_PREFIX):], route.name, _cell(route.message)))
    lines += [
        "",
        "The search routes take `page`, `per_page` (at most 100), `sort_by=<field>[_asc|_desc]` and filters",
        "`<field>=`, `min_<field>=`, `max_<field>=`, `not_<field>=`, `like_<field>=` (`%` wildcard); unknown",
        "parameters are ignored. Their envelope holds `data`, `item_count`, `page`, `per_page`, `total_count`",
        "and `message`. Services, ledger rows and proxy users come from the account's data file (or follow",
        "from its customer); times in them are relative and resolved when served (`$now+5d`), in UTC. The",
        "quote prices `tests/simulator/data/prices.json`: total = quantity x unit price x cycle count (a year",
        "costs 10 months), less a promotional code's percentage, paid from the account's credit. An unknown",
        "product is a 422; a cycle, stock or promotional code the product does not allow is `is_valid: false`",
        "with an `invalid_reason`. The rules and data-file keys are in the docstrings of",
        "`tests/simulator/resources/` (search.py, services.py, ledgers.py, proxy_users.py, quote.py, clock.py)",
        "and `tests/simulator/accounts.py`.",
        "",
        "A fault step may carry `\"route\": \"<route name>\"`: it then hits only that route, and the others",
        "answer normally.",
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
