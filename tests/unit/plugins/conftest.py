# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Simulators shared by the plugin tests: one per test module, started and stopped around it."""

from __future__ import annotations

import pytest

from ansible_collections.byteful.proxy.tests.simulator import Simulator


@pytest.fixture(scope="module")
def sim():
    with Simulator() as simulator:
        yield simulator


@pytest.fixture(scope="module")
def tls_sim(tmp_path_factory):
    """An HTTPS simulator with a self-signed certificate, and the path of that certificate."""
    cert_file = tmp_path_factory.mktemp("tls") / "ca.pem"
    with Simulator(tls_cert_file=str(cert_file)) as simulator:
        yield simulator, str(cert_file)


@pytest.fixture(autouse=True)
def private_pace_directory(tmp_path_factory, monkeypatch):
    """Each test its own directory for the shared limiter's files (see plugins/module_utils/_limiter.py).

    Tests on fake clocks must not meet the pace other tests (or other runs on this machine) wrote.
    """
    base = tmp_path_factory.mktemp("runtime")
    base.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(base))
