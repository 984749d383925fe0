# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The sandbox: --help, --list-accounts, the --banner of `make simulator`, and docs/simulator.md."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest

from ansible_collections.byteful.proxy.tests import simulator as simulator_package
from ansible_collections.byteful.proxy.tests.simulator import CATALOGUE, DEFAULT_PRIVATE_KEY
from ansible_collections.byteful.proxy.tests.simulator.docs import accounts_page

pytestmark = pytest.mark.once  # no ansible-core code in the simulator: see tests/unit/conftest.py

PACKAGE_DIR = os.path.dirname(simulator_package.__file__)
COLLECTION_DIR = os.path.dirname(os.path.dirname(PACKAGE_DIR))
COLLECTIONS_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(COLLECTION_DIR)))


def run(*args, **kwargs):
    return subprocess.run([sys.executable, PACKAGE_DIR] + list(args), capture_output=True, text=True, timeout=30, check=False, **kwargs)


def test_help_gives_the_test_private_key():
    result = run("--help")
    assert result.returncode == 0
    assert DEFAULT_PRIVATE_KEY in result.stdout and "not a secret" in result.stdout
    assert "--list-accounts" in result.stdout and "--banner" in result.stdout


def test_list_accounts_prints_every_account_and_fault_with_its_description():
    result = run("--list-accounts")
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    for name, _kind, description in CATALOGUE.describe():
        assert any(line.split() and line.split()[0] == name and line.endswith(description) for line in lines), name
    assert lines.index("Faults (public key: what it answers; then as named in its file):") == len(CATALOGUE.account_names) + 1


def test_the_module_form_runs_too():
    # From an installed collection: cd to the collections root, python3 -m ansible_collections.byteful.proxy.tests.simulator
    result = subprocess.run([sys.executable, "-m", "ansible_collections.byteful.proxy.tests.simulator", "--list-accounts"],
                            capture_output=True, text=True, timeout=30, check=False, cwd=COLLECTIONS_ROOT,
                            env=dict(os.environ, PYTHONPATH=COLLECTIONS_ROOT))
    assert result.returncode == 0, result.stderr
    assert "fault_403_2fa_live" in result.stdout


def read_banner(env):
    """Start `--banner` in the foreground; its stdout up to the Control API line, then stop it with SIGINT (Ctrl-C)."""
    with subprocess.Popen([sys.executable, PACKAGE_DIR, "--banner"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=env) as process:
        lines = []
        try:
            for line in process.stdout:
                lines.append(line.rstrip("\n"))
                if line.startswith("Control API"):
                    break
            url = lines[0]
            with urllib.request.urlopen(url[:-len("/1.0")] + "/_sim/health", timeout=5) as response:
                assert json.load(response)["status"] == "ok"
        finally:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    return lines, out, err


def test_banner_gives_url_keys_exports_and_accounts():
    env = dict(os.environ)
    env.pop("BYTEFUL_SIM_PRIVATE_KEY", None)
    lines, _out, _err = read_banner(env)
    url = lines[0]
    assert url.startswith("http://127.0.0.1:") and url.endswith("/1.0")
    text = "\n".join(lines)
    assert "  Base URL:     %s" % url in lines
    assert "Private key:  %s" % DEFAULT_PRIVATE_KEY in text
    assert "  export BYTEFUL_API_URL=%s" % url in lines
    assert "  export BYTEFUL_API_PUBLIC_KEY=healthy" in lines
    assert "  export BYTEFUL_API_PRIVATE_KEY=%s" % DEFAULT_PRIVATE_KEY in lines
    for name, _kind, description in CATALOGUE.describe():
        assert description in text and name in text


def test_banner_never_prints_a_key_of_the_users_own():
    secret = "sk-banner-SECRET-42"
    lines, out, err = read_banner(dict(os.environ, BYTEFUL_SIM_PRIVATE_KEY=secret))
    text = "\n".join(lines)
    assert secret not in text + out + err
    assert '  export BYTEFUL_API_PRIVATE_KEY="$BYTEFUL_SIM_PRIVATE_KEY"' in lines
    assert DEFAULT_PRIVATE_KEY not in text


def test_banner_and_daemon_do_not_mix():
    result = run("--banner", "--daemon")
    assert result.returncode == 2 and "--banner is for the foreground" in result.stderr


def test_docs_page_matches_the_data_files():
    with open(os.path.join(COLLECTION_DIR, "docs", "simulator.md"), encoding="utf-8") as handle:
        page = handle.read()
    assert page == accounts_page(), "docs/simulator.md is stale: run python3 tests/simulator --list-accounts --markdown > docs/simulator.md"
    for name in CATALOGUE.account_names + CATALOGUE.fault_names:
        assert "| `%s` |" % name in page


def test_a_port_in_use_is_said_in_words():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        for extra in ((), ("--daemon",)):
            result = run("--port", str(port), *extra)
            assert result.returncode == 1
            assert "port %d on 127.0.0.1 is already in use; pick another with --port" % port in result.stderr
