# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every case of cases.yml through the collection's modules, without ansible-playbook.

    run_in_process.py CASES OUTPUT_DIR REFUSED_PORT TOOL...

TOOL is customer_info (every case of matrix_cases) or a tool of endpoint_tools (every case of
endpoint_cases, through that tool's module). Each case calls the module's main() with the options a
task would give it, in a process of its own forked from this one, so that no case sees another's
warnings, request spacing or connections; many run at once, since a case mostly waits out a timeout
or a backoff. What ansible-playbook adds (AnsiballZ, the lookup, the role, the -vvvv output) is
tested by the playbook part of the matrix (matrix.yml), on the cases marked `playbook: true`.

Writes, per tool, OUTPUT_DIR/results-TOOL.json (the records collect.py judges, as matrix.yml
writes them) and OUTPUT_DIR/returned-TOOL.json (each run's whole result: return values, warnings,
the failure dict), which the leak audit searches too.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import multiprocessing
import os
import sys
import time

import yaml

from accounts import cases_of
from ansible.module_utils.testing import patch_module_args

MODULES = "ansible_collections.byteful.proxy.plugins.modules."
# Cases at once: each is a process that mostly sleeps; more only adds contention for the two CPUs.
WORKERS = 12


def servers(refused_port):
    url = os.environ["BYTEFUL_SIM_URL"]
    return {
        "sim": url,
        "tls": os.environ["BYTEFUL_SIM_TLS_URL"],
        "refused": "http://127.0.0.1:%s/1.0" % refused_port,
        "remote_http": "http://192.0.2.10/1.0",
        "https_to_http": "https:" + url[len("http:"):],
    }


def task_options(matrix, case, tool, urls):
    """The module's options for one case, as case_module.yml / case_endpoint.yml give them."""
    options = {"timeout": matrix["matrix_timeout"], "retries": matrix["matrix_retries"],
               "rate_limit_wait": matrix["matrix_rate_limit_wait"]}
    options.update(case.get("options") or {})
    if options.get("ca_path") == "@TLS_CA@":
        options["ca_path"] = os.environ["BYTEFUL_SIM_TLS_CA"]
    key = os.environ["BYTEFUL_SIM_PRIVATE_KEY"]
    options.update(
        api_url=urls[case.get("server", "sim")],
        api_public_key="%s-%s" % (tool, case["id"]),  # this case's own copy of its account (accounts.py)
        api_private_key=case.get("key_prefix", "") + key + case.get("key_suffix", ""),
    )
    return options


def run_case(job):
    """One case in this (forked) process: (record, the module's whole result)."""
    tool, module_name, returns, case, options = job
    module = importlib.import_module(MODULES + module_name)
    output = io.StringIO()
    started = time.monotonic()
    with patch_module_args(options), contextlib.redirect_stdout(output):
        try:
            module.main()
        except SystemExit:
            pass
    elapsed = time.monotonic() - started
    try:
        result = json.loads(output.getvalue())
    except ValueError:
        result = {"failed": True, "msg": "the module printed no JSON: %r" % output.getvalue()[:200]}
    failed = bool(result.get("failed"))
    record = {"id": case["id"], "tool": tool, "elapsed": round(elapsed, 3), "outcome": "failed" if failed else "ok",
              "message": result.get("msg", "") if failed else ""}
    if failed:
        # What a failed task hands to failed_when and rescue: the structured failure, never the data.
        record["failure"] = result.get("failure")
        record["returned_anyway"] = returns in result
    if returns == "customer":
        record["customer_id"] = None if failed else result["customer"]["customer_id"]
    else:
        record["returned"] = None if failed else returns in result
        # The scalar members of what it returned, for the cases that expect some (returns_by_tool).
        returned = result.get(returns) if not failed else None
        if isinstance(returned, dict):
            record["values"] = {name: value for name, value in returned.items() if isinstance(value, (int, float, str, bool))}
    return record, result


def main(argv):
    cases_path, output_dir, refused_port, tools = argv[1], argv[2], argv[3], argv[4:]
    with open(cases_path, encoding="utf-8") as handle:
        matrix = yaml.safe_load(handle)
    urls = servers(refused_port)
    jobs = []
    for tool in tools:
        cases, endpoint, dummy = cases_of(matrix, tool)
        if endpoint is None:
            module_name, returns, args = "customer_info", "customer", {}
        else:
            module_name, returns, args = endpoint["module"], endpoint["returns"], endpoint["args"]
        importlib.import_module(MODULES + module_name)  # once here, not in every forked process
        for case in cases:
            jobs.append((tool, module_name, returns, case, dict(args, **dict(case.get("args") or {}, **task_options(
                matrix, case, tool, urls)))))
    # The slowest first (those that must wait longest), so that the last to finish is not a long one started last.
    jobs.sort(key=lambda job: -job[3].get("min", 0))
    with multiprocessing.get_context("fork").Pool(WORKERS, maxtasksperchild=1) as pool:
        outcomes = pool.map(run_case, jobs, chunksize=1)
    for tool in tools:
        mine = [(record, result) for record, result in outcomes if record["tool"] == tool]
        for name, content in (("results", [record for record, dummy in mine]),
                              ("returned", {record["id"]: result for record, result in mine})):
            with open(os.path.join(output_dir, "%s-%s.json" % (name, tool)), "w", encoding="utf-8") as handle:
                json.dump(content, handle, indent=1, sort_keys=True)
                handle.write("\n")
    print("%d cases through %s, in process" % (len(outcomes), ", ".join(tools)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
