# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""customer_info end to end against the simulator, in-process."""

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.byteful.proxy.plugins.modules import customer_info
from ansible_collections.byteful.proxy.tests.simulator.byteful_simulator import DEFAULT_PRIVATE_KEY, Simulator


@pytest.fixture(scope="module")
def sim():
    with Simulator() as simulator:
        yield simulator


def run_module(capsys, **args):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            customer_info.main()
    return json.loads(capsys.readouterr().out)


def test_returns_the_validated_customer(sim, capsys):
    result = run_module(capsys, api_url=sim.base_url, api_public_key="no_mobile", api_private_key=DEFAULT_PRIVATE_KEY)
    assert result["changed"] is False and "failed" not in result
    assert result["customer"]["customer_id"] == 1955
    assert result["customer"]["mobile_bytes_left"] is None
    assert "ansible_facts" not in result


def test_check_mode_reads_too(sim, capsys):
    result = run_module(capsys, api_url=sim.base_url, api_public_key="healthy", api_private_key=DEFAULT_PRIVATE_KEY,
                        _ansible_check_mode=True)
    assert result["customer"]["credit_balance"] == 250000


def test_environment_fallbacks(sim, capsys, monkeypatch):
    monkeypatch.setenv("BYTEFUL_API_URL", sim.base_url)
    monkeypatch.setenv("BYTEFUL_API_PUBLIC_KEY", "low_credit")
    monkeypatch.setenv("BYTEFUL_API_PRIVATE_KEY", DEFAULT_PRIVATE_KEY)
    assert run_module(capsys)["customer"]["credit_balance"] == 12


def test_failure_is_one_sentence_with_structured_details_and_no_key(sim, capsys):
    wrong = "not-the-key-but-secret-all-the-same"
    result = run_module(capsys, api_url=sim.base_url, api_public_key="healthy", api_private_key=wrong)
    assert result["failed"] is True
    assert result["msg"].startswith("Retrieving the Byteful customer at %s/public/user/customer/retrieve failed with "
                                    "HTTP 401 (invalid_api_keys: Invalid API key or secret.; request id " % sim.base_url)
    assert result["failure"]["status"] == 401 and result["failure"]["error"] == "invalid_api_keys"
    assert wrong not in json.dumps(result)


def test_schema_failure_names_paths(sim, capsys):
    result = run_module(capsys, api_url=sim.base_url, api_public_key="wrong_types", api_private_key=DEFAULT_PRIVATE_KEY)
    assert "$.credit_balance must be integer, found string" in result["msg"]
    assert [e["path"] for e in result["failure"]["errors"]] == ["$.credit_balance", "$.mobile_bytes_left"]


def test_private_key_is_no_log(capsys):
    result = run_module(capsys, api_url="http://127.0.0.1:9/1.0", api_public_key="healthy",
                        api_private_key="a-very-secret-key-0001", retries=0, timeout=1)
    assert result["failed"] is True and "could not be reached" in result["msg"]
    assert "a-very-secret-key-0001" not in json.dumps(result)
