# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""docs/simulator.md, made from the data files (a unit test checks that the page in the repo matches)."""

from __future__ import annotations

from .accounts import CATALOGUE
from .protocol import DEFAULT_PRIVATE_KEY, PRIVATE_KEY_ENV

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
        "only). It serves the customer and the residential and mobile summaries for the accounts below, with the",
        "live API's shapes, errors and rate limit (10 requests per second per key). Nothing in it is real or billed.",
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
        "(`PUT /_sim/accounts/<public key>` with `{\"customer\": {...}, \"faults\": [...]}`).",
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
