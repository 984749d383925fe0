# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A local stand-in for the Byteful API, for the demo playbook, the tests and users' own playbooks.

A real HTTP server (standard library only) that speaks the documented protocol:

* ``GET /1.0/public/user/customer/retrieve``, the residential and mobile summaries, the service,
  residential ledger, mobile ledger, proxy user, proxy and product searches (filters, sort_by, pages)
  and the retrieve of each item they list, proxy lists, the catalog, ``POST .../checkout/quote`` and
  the proxy-user writes (create, edit, soft delete; the only routes that change an account, for the
  simulator's run), one module per resource under resources/ and nothing that buys, authenticated by
  ``X-API-Public-Key`` (which selects one of the built-in or test-defined accounts) and
  ``X-API-Private-Key`` (which must equal the simulator's private key);
* the live error envelope (``{"error": "Unauthorized", "message": ..., "api_request_id": ...}``),
  a request id (a UUID, as the live API's) on every response, the rate limit (10 requests per second per public key);
* accounts and fault accounts as data files, one per public key, under data/ (accounts.py says
  what a file holds); the accounts are shaped like the live API's Customer object;
* a control API under ``/_sim/`` (control.py; no authentication, not counted as API requests);
  its stats count API requests by account, path, "METHOD path", route name and status;
* optionally HTTPS (``--tls-cert-file PATH``) with a self-signed certificate made at start and
  written to PATH. This one mode needs the ``cryptography`` package, which ansible-core requires
  anyway; everything else is the standard library.

Run it as ``python3 tests/simulator --help`` (this directory; ``--banner`` for the sandbox,
``--list-accounts`` for the accounts) or, from Python, ``with Simulator() as sim: ... sim.base_url ...``.

The private key is never written to stdout, stderr or the log file (unless it is the built-in
test key, which --help and --banner print: it is not a secret), nor is any proxy-user password or
proxy credential the simulator serves or receives.
"""

from __future__ import annotations

from .accounts import BUILTIN_ACCOUNTS, CATALOGUE, HEALTHY_CUSTOMER, Catalogue
from .cli import main
from .protocol import DEFAULT_ERRORS, DEFAULT_PRIVATE_KEY, PRIVATE_KEY_ENV
from .server import Simulator, SimulatorServer
from .state import SimulatorState

__all__ = ["BUILTIN_ACCOUNTS", "CATALOGUE", "Catalogue", "DEFAULT_ERRORS", "DEFAULT_PRIVATE_KEY", "HEALTHY_CUSTOMER", "PRIVATE_KEY_ENV",
           "Simulator", "SimulatorServer", "SimulatorState", "main"]
