# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The simulator the route tests share: one per test module, without a rate limit; `sim` restores its
accounts (and the proxy users written to them) and zeroes its counters before each test. A module
that needs another simulator (test_server.py, test_accounts.py) defines its own fixtures of these names."""

from __future__ import annotations

import pytest

from ansible_collections.byteful.proxy.tests.simulator import Simulator


@pytest.fixture(name="server", scope="module")
def server_fixture():
    with Simulator(rate_limit=False) as simulator:
        yield simulator


@pytest.fixture(name="sim")
def sim_fixture(server):
    server.reset(accounts=True)
    return server
