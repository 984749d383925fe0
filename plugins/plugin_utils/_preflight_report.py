# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""The preflight's JSON report for CI, written on the controller.

It holds the account id, the time and every check (actual, required, passed, requested, its
text): never the Customer object, so neither a key nor the account holder's e-mail, name or
address. Each check has the keys of the registered result's checks, ``text`` included, and
``requested`` false for a base check whose threshold was left at 0.
"""

from __future__ import annotations

import json
import os
import tempfile

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError

REPORT_FORMAT = 1
CHECK_KEYS = ("name", "actual", "required", "passed", "requested", "text", "details")


def build_report(customer_id, now, outcome=None, error=None):
    """The report as a dict: from an evaluated ``outcome``, or from the one-sentence ``error`` the run ended in."""
    report = {"format": REPORT_FORMAT, "generator": "byteful.proxy.preflight", "account": customer_id,
              "time": now.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if error is not None:
        report.update(passed=False, msg=error, error=error, checks=[])
        return report
    # Each check as the registered result holds it, key for key.
    report.update(passed=outcome["passed"], msg=outcome["msg"], checks=[
        {key: check[key] for key in CHECK_KEYS} for check in outcome["checks"]])
    return report


def write_report(path, report, option):
    """Write ``report`` to ``path`` as JSON, mode 0600 from the start (``option`` names the setting in errors).

    The file is created 0600 beside the target by mkstemp and renamed over it, so it is never
    readable by others, not even for a moment, whatever file was there before; a reader sees
    the old report or the new one, never half of one.
    """
    path = os.path.abspath(os.path.expanduser(path))
    directory = os.path.dirname(path)
    if os.path.isdir(path):
        raise BytefulError("%s %s is a directory; give the path of the report file, for example %s." % (
            option, path, os.path.join(path, "byteful-preflight.json")))
    try:
        fd, temp = tempfile.mkstemp(dir=directory, prefix=".byteful-preflight-", suffix=".json")
    except OSError as exc:
        raise BytefulError("Cannot write the preflight report %s (%s): %s; create the directory or fix its permissions." % (
            path, option, exc.strerror or exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.replace(temp, path)
    except BaseException as exc:
        os.unlink(temp)
        if isinstance(exc, OSError):
            raise BytefulError("Cannot write the preflight report %s (%s): %s." % (path, option, exc.strerror or exc)) from None
        raise
    return path
