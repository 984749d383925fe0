# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The preflight's JSON report: content, mode 0600 from creation, errors in one sentence."""

from __future__ import annotations

import datetime
import json
import os
import stat

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError
from ansible_collections.byteful.proxy.plugins.plugin_utils._preflight import evaluate
from ansible_collections.byteful.proxy.plugins.plugin_utils._preflight_report import build_report, write_report

NOW = datetime.datetime(2026, 11, 25, 12, 0, 0, tzinfo=datetime.timezone.utc)
CUSTOMER = {"customer_id": 1955, "customer_email_address": "steve.jobs@apple.com", "customer_first_name": "Steve",
            "credit_balance": 12, "residential_bytes_left": 1024 ** 3}


def test_the_report_holds_every_check_and_nothing_of_the_customer(tmp_path):
    outcome = evaluate(CUSTOMER, min_credit_balance=1000)
    path = write_report(str(tmp_path / "report.json"), build_report(1955, NOW, outcome), "report_path")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    report = json.loads(text)
    assert report["account"] == 1955 and report["time"] == "2026-11-25T12:00:00Z" and report["passed"] is False
    assert report["msg"] == outcome["msg"]
    # Each check with the keys of the registered result's checks: one name, text, for its words.
    assert report["checks"][0] == {"name": "credit_balance", "actual": 12, "required": 1000, "passed": False,
                                   "requested": True, "text": "credit balance $0.12 is below the required $10.00",
                                   "details": {}}
    assert [set(check) for check in report["checks"]] == [set(check) for check in outcome["checks"]]
    assert report["checks"][2] == {"name": "mobile_bytes_left", "actual": None, "required": 0, "passed": True,
                                   "requested": False, "details": {},
                                   "text": "mobile data is unknown (the account has no active mobile service), as the API did "
                                           "not report it, and no minimum is set"}
    assert len(report["checks"]) == len(outcome["checks"])
    assert "apple.com" not in text and "Steve" not in text


def test_the_report_is_created_0600_and_replaces_a_wider_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old")
    target.chmod(0o644)
    old_umask = os.umask(0)  # the most permissive umask: the mode must not come from it
    try:
        write_report(str(target), build_report(1955, NOW, error="Something failed."), "report_path")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    report = json.loads(target.read_text())
    assert report["passed"] is False and report["error"] == "Something failed." and report["checks"] == []
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left behind


def test_an_unwritable_report_is_one_sentence(tmp_path):
    with pytest.raises(BytefulError, match=r"^Cannot write the preflight report .*/missing/report\.json "
                                           r"\(byteful_preflight_report_path\): No such file or directory; create the "
                                           r"directory or fix its permissions\.$"):
        write_report(str(tmp_path / "missing" / "report.json"), build_report(1, NOW, error="x"),
                     "byteful_preflight_report_path")
    with pytest.raises(BytefulError, match=r"is a directory; give the path of the report file"):
        write_report(str(tmp_path), build_report(1, NOW, error="x"), "report_path")
