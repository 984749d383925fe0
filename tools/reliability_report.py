# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Write docs/reliability.md from a run of the fault matrix and of the property-based tests.

    .venv/bin/python tools/reliability_report.py
        stage the checkout in a temporary directory, run there
          ansible-test units tests/unit/plugins/test_properties.py   (the fuzzing)
          ansible-test integration fault_matrix fault_matrix_playbooks   (the fault matrix and leak audit)
        and write docs/reliability.md from their results
    .venv/bin/python tools/reliability_report.py --collection DIR
        write it from the results a run already left in DIR/tests/output/data, for example
        DIR = .build/matrix/2.19/collections/ansible_collections/byteful/proxy after `make test`

Every figure in the document comes from those results; the tool refuses results that hold a
problem. Standard library only; run it with the venv's Python, whose bin holds ansible-test.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUTPUT = os.path.join(TOP, "docs", "reliability.md")
RERUN = ".venv/bin/python tools/reliability_report.py"
IN_PROCESS = "customer_info"  # the matrix cases' tool in fault_matrix; the endpoint cases' are endpoint_tools
TOOLS = ("module", "lookup", "role")  # the playbook tools of fault_matrix_playbooks
PARTS = ("fault_matrix", "fault_matrix_playbooks")
FUZZ_PROPERTY = "fuzz_examples"  # test_properties.py's RECORD_NAME


def run_tests():
    """Stage the checkout, run the property tests and the fault matrix; the staged collection's path."""
    python = "%d.%d" % sys.version_info[:2]
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    stage = tempfile.mkdtemp(prefix="byteful-reliability-")
    collection = subprocess.run([os.path.join(TOP, "tools", "stage-collection"), stage, sys.executable], env=env,
                                check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    for layer, targets in (("units", ["tests/unit/plugins/test_properties.py"]), ("integration", list(PARTS))):
        print("reliability_report: ansible-test %s %s in %s" % (layer, " ".join(targets), collection), file=sys.stderr)
        subprocess.run(["ansible-test", layer, "--venv", "--python", python, "--color", "no"] + targets, cwd=collection,
                       env=env, check=True)
    return collection, stage


def load(collection):
    """Both parts of the fault matrix as one (their runs, audits and times together), and the fuzzing's examples."""
    data = os.path.join(collection, "tests", "output", "data")
    parts = []
    for part in PARTS:
        path = os.path.join(data, part + ".json")
        if not os.path.isfile(path):
            raise SystemExit("reliability_report: no %s; run the %s integration target first" % (path, part))
        with open(path, encoding="utf-8") as handle:
            parts.append(json.load(handle))
    matrix = dict(parts[0])
    matrix["runs"] = [run for part in parts for run in part["runs"]]
    matrix["problems"] = [problem for part in parts for problem in part["problems"]]
    matrix["seconds_by_part"] = {name: part["seconds"] for name, part in zip(PARTS, parts)}
    matrix["seconds"] = sum(matrix["seconds_by_part"].values())
    matrix["tools"] = [tool for part in parts for tool in part["tools"]]
    matrix["endpoint_tools"] = dict(parts[0]["endpoint_tools"])
    matrix["audit"] = {name: sum(part["audit"][name] for part in parts) for name in ("files", "bytes", "cache_entries", "pace_files")}
    matrix["audit"]["found"] = [found for part in parts for found in part["audit"]["found"]]
    fuzz = fuzz_examples(os.path.join(collection, "tests", "output", "junit"))
    if matrix["problems"] or matrix["audit"]["found"]:
        raise SystemExit("reliability_report: the run had problems, no report written:\n  " + "\n  ".join(matrix["problems"]))
    if not fuzz:
        raise SystemExit("reliability_report: no property %s in the JUnit reports of %s; run tests/unit/plugins/test_properties.py "
                         "first" % (FUZZ_PROPERTY, os.path.join(collection, "tests", "output", "junit")))
    return matrix, fuzz


def fuzz_examples(junit_dir):
    """What each property test ran (the JUnit property its test recorded), sorted by property."""
    found = {}
    for path in sorted(glob.glob(os.path.join(junit_dir, "*.xml"))):
        for prop in xml.etree.ElementTree.parse(path).iter("property"):
            if prop.get("name") == FUZZ_PROPERTY:
                entry = json.loads(prop.get("value"))
                found[entry["property"]] = entry
    return [found[name] for name in sorted(found)]


def shown(text):
    """A message as the reader needs it: no random port, no random request id, no Markdown breakage."""
    text = re.sub(r"(https?://127\.0\.0\.1):\d+", r"\1:PORT", text)
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "…", text)  # request ids
    return text.replace("|", "\\|").replace("*", "\\*")


def seconds(value):
    return "%.1f" % float(value)


def render(matrix, fuzz, how):
    cases = matrix["cases"]
    runs = {(run["id"], run["tool"]): run for run in matrix["runs"]}
    policy = matrix["policy"]
    settings = matrix["settings"]
    faults = [case for case in cases if not case["fault"].startswith("none")]
    fail_all = [case for case in cases if case.get("expect", "failed") == "failed"]
    role_only = [case for case in cases if case.get("expect") == "ok" and case.get("role_expect") == "failed"]
    pass_all = [case for case in cases if case not in fail_all and case not in role_only]
    total_examples = sum(entry["examples"] for entry in fuzz)
    main_runs = [run for run in matrix["runs"] if run["tool"] in TOOLS or run["tool"] == IN_PROCESS]
    played = [case for case in cases if case.get("playbook")]
    endpoint_tools = matrix.get("endpoint_tools") or {}
    endpoint_cases = matrix.get("endpoint_cases") or []
    endpoint_runs = [run for run in matrix["runs"] if run not in main_runs]
    slowest = max(matrix["runs"], key=lambda run: float(run["elapsed"]))
    audit = matrix["audit"]

    out = []
    add = out.append
    add("# Reliability and security figures")
    add("")
    add("Generated by `tools/reliability_report.py` from the run of %s (ansible-core %s, Python %s); do not edit by hand."
        % (matrix["generated"], matrix["ansible_core"], matrix["python"]))
    add("")
    add("## Rerun")
    add("")
    add("```sh")
    add(RERUN)
    add("```")
    add("")
    add("It copies the checkout to a temporary directory, runs the property-based tests "
        "(`ansible-test units tests/unit/plugins/test_properties.py`) and the fault matrix "
        "(`ansible-test integration fault_matrix fault_matrix_playbooks`, "
        "[tests/integration/targets/fault_matrix](../tests/integration/targets/fault_matrix)) "
        "there, and rewrites this file from their results. %s After `make test`, "
        "`%s --collection .build/matrix/2.19/collections/ansible_collections/byteful/proxy` rewrites it from that run instead. "
        "Both tests also run in `make test`." % (how, RERUN))
    add("")
    add("## Summary")
    add("")
    add("- **%d cases** (faults, and accounts shaped like the live API's answers) and one healthy baseline, each through "
        "the `customer_info` module in process (its `main()` with the task's options, no `ansible-playbook`); the %d "
        "where the tool's own handling is what is tested (key and option names, what it prints, its options reaching the "
        "client, the role's decision) also through `ansible-playbook` at `-vvvv`: the `customer_info` module, the "
        "`customer` lookup and the `preflight` role. **%d runs**, every one as expected."
        % (len(faults), len(played), len(main_runs)))
    if endpoint_tools:
        add("- **%d endpoint cases** (every error class again, and a baseline) on the route of each newer endpoint alone, "
            "through %s in process: **%d runs**, every one as expected." % (
                len(endpoint_cases) - 1, ", ".join("`%s`" % tool for tool in endpoint_tools), len(endpoint_runs)))
    parts = matrix["seconds_by_part"]
    add("- %d runs in all: %d s in process (many cases at once, each in a process of its own), %d s through "
        "`ansible-playbook` (the tools at once)." % (len(matrix["runs"]), parts["fault_matrix"], parts["fault_matrix_playbooks"]))
    add("- %d cases must fail, and failed through every tool that ran them, never passed, with one sentence and no "
        "traceback, and (in process) with the `failure` dict and without the data. %d must succeed (the baseline, "
        "transient faults within the retry budget, a trusted or deliberately unverified certificate, accounts shaped like "
        "the live API's answers), and did. %d (%s) must pass the module and the lookup and fail the role, and did."
        % (len(fail_all), len(pass_all), len(role_only), "; ".join(case["fault"] for case in role_only)))
    add("- The cases ran at the same time, each with its own copy of its simulator account, so the times below include "
        "their competition for the machine's CPUs.")
    add("- The slowest run took %s s (%s through the %s), with the matrix's timeout of %g s and %d retry; "
        "the policy allows at most %s s with those settings." % (
            seconds(slowest["elapsed"]), slowest["id"], slowest["tool"], settings["timeout"], settings["retries"],
            seconds(policy["worst_case_matrix"])))
    add("- **Leak audit**: the output of every playbook run at `-vvvv`, every in-process result and failure, the records, "
        "the simulators' logs, %d files of the lookup's cache and %d files of the shared rate limiter: %d files, %.1f MB, "
        "searched for the private key; found **%d** times." % (
            audit["cache_entries"], audit.get("pace_files", 0), audit["files"], audit["bytes"] / 1e6, len(audit["found"])))
    # collect.py counts a shown one as a problem, and load() refuses a run with any problem.
    hidden = [case for case in cases + (matrix.get("endpoint_cases") or []) if case.get("never_shown")]
    if hidden:
        add("- **Never shown**: the output of every run of %s was also searched for the part of the API's answer that "
            "must not be shown (the two-factor challenge's key); found **0** times." % " and ".join(
                case["id"] for case in hidden))
    add("- **Fuzzing**: %d properties, **%d examples** in all (hypothesis, derandomized, a fixed number of examples per property)."
        % (len(fuzz), total_examples))
    add("")
    render_refusals(add, matrix)
    add("## Time bound with the default settings")
    add("")
    add("From the retry policy in `plugins/module_utils/_transport.py`: every attempt is cut %g s after its `timeout`, requests "
        "are spaced by %g s (across all of the user's processes on the machine that call the account), and a server error, "
        "a timeout or a connection failure is retried `retries` times after a backoff (%g s doubling up to %g s, plus up "
        "to %d%% jitter). A 429 is retried while `rate_limit_wait` lasts (counted from the first attempt), after the API's "
        "`Retry-After` plus up to %d%% of it at random (a `Retry-After` above %g s, or above what is left, fails at once), "
        "and the waits for a turn of the shared limiter count against it too (at least %g s)."
        % (policy["deadline_grace"], policy["min_request_interval"], policy["backoff_base"], policy["backoff_max"],
           round(policy["backoff_jitter"] * 100), round(policy["retry_after_jitter"] * 100), policy["retry_after_max"],
           policy["limiter_min_wait"]))
    add("")
    add("    worst case = max(rate_limit_wait, %g) + (retries + 2) × (timeout + %g + %g) + the backoffs (%g, %g, %g... s with full jitter)" % (
        policy["limiter_min_wait"], policy["deadline_grace"], policy["min_request_interval"],
        *(min(policy["backoff_base"] * 2 ** n, policy["backoff_max"]) * (1 + policy["backoff_jitter"]) for n in range(3))))
    add("")
    add("| | timeout | retries | rate_limit_wait | worst case |")
    add("|---|---|---|---|---|")
    add("| defaults | %g s | %d | %g s | **%s s** |" % (
        policy["timeout"], policy["retries"], policy["rate_limit_wait"], seconds(policy["worst_case_defaults"])))
    add("| the matrix below | %g s | %d | %g s | %s s |" % (
        settings["timeout"], settings["retries"], settings["rate_limit_wait"], seconds(policy["worst_case_matrix"])))
    add("")
    add("A server that keeps sending a byte now and then (headers or body) is cut off at the deadline all the same: "
        "the socket timeout bounds each read, the client bounds the whole attempt.")
    add("")
    add("## The matrix")
    add("")
    add("Timeout %g s and %d retry (a case may set its own), against the [Byteful simulator](../tests/simulator/). "
        "Times are wall-clock seconds: in process, the module's `main()`; through `ansible-playbook`, the task, Ansible's "
        "overhead included (– where a case runs in process only). Requests are those the simulator counted (0 where no "
        "HTTP request reached it). The lookup and the role show the same sentence inside Ansible's own framing "
        "(`The lookup plugin 'byteful.proxy.customer' failed: ...`)." % (settings["timeout"], settings["retries"]))
    add("")
    add("| Fault | What the user sees (the module's message) | In process (s) | Module (s) | Lookup (s) | Role (s) | Requests | Retried |")
    add("|---|---|---|---|---|---|---|---|")
    for case in cases:
        module = runs[(case["id"], IN_PROCESS)]
        lookup, role = (runs.get((case["id"], tool), {}) for tool in TOOLS[1:])
        played_runs = [runs[(case["id"], tool)] for tool in TOOLS if (case["id"], tool) in runs]
        if module["outcome"] == "ok":
            seen = "succeeds (customer %s)" % module["customer_id"]
            if case.get("warning"):
                seen += ", with the warning: %s" % case["warning"]
        else:
            seen = module["sentence"]
        if role and role["outcome"] != module["outcome"]:
            seen += "; the role fails: %s" % role["sentence"]
        attempts = max(run["attempts"] for run in [module] + played_runs)
        retried = "yes, %d attempts" % attempts if attempts > 1 else "no"
        add("| %s | %s | %s | %s | %d | %s |" % (
            shown(case["fault"]), shown(seen), seconds(module["elapsed"]),
            " | ".join(seconds(runs[(case["id"], tool)]["elapsed"]) if (case["id"], tool) in runs else "–" for tool in TOOLS),
            module["requests"], retried))
    add("")
    if endpoint_tools:
        render_endpoints(add, matrix, endpoint_tools, endpoint_cases, runs)
    add("## Beyond the matrix")
    add("")
    add("Some hostile cases need a measurement or many processes, and are unit tests instead:")
    add("")
    add("- [test_hostile_answers.py](../tests/unit/plugins/module_utils/test_hostile_answers.py): a double-gzip bomb "
        "(256 MiB unpacked) and a plain 100 MB body without `Content-Length`, each fetched by a process of its own whose "
        "peak memory (`VmHWM`) must stay under 100 MB; checked with urllib3 1.26, 2.0 and the current 2.x, see "
        "`_DECODABLE` in `plugins/module_utils/_exchange.py`.")
    add("- [test_hostile_endpoints.py](../tests/unit/plugins/module_utils/test_hostile_endpoints.py): every class of a "
        "hostile server on each endpoint (Customer, services, both ledgers, proxy users, quote) through the client and its "
        "readers: the key in twelve disguises, escapes and 20,000 characters, duplicate members, floats and huge numbers, "
        "negative prices, datetimes beyond UTC, repeating or lying pages, ledger rows from the future.")
    add("- [test_limiter.py](../tests/unit/plugins/module_utils/test_limiter.py): 8 processes taking turns never exceed "
        "10 per second between them, and 30 processes started together against a simulator that admits 3 requests per "
        "second all succeed with default options, none sending more than 2 requests. "
        "`tools/bench.py` measures the same with real `ansible-playbook` runs ([performance.md](performance.md)).")
    add("")
    add("## Property-based tests")
    add("")
    add("[tests/unit/plugins/test_properties.py](../tests/unit/plugins/test_properties.py) feeds arbitrary JSON, "
        "near-miss Customer objects (missing, mistyped, negative, huge and boolean fields), arbitrary HTTP answers and "
        "arbitrary role inputs to the code; each property holds for every example or the test fails.")
    add("")
    add("| Property | Examples |")
    add("|---|---|")
    for entry in fuzz:
        add("| %s | %d |" % (shown(entry["doc"]), entry["examples"]))
    add("| **all** | **%d** |" % total_examples)
    add("")
    return "\n".join(out)


# What the client and the gate refuse, why, and the cases of the matrix that show it (by id).
REFUSALS = (
    ("An answer that is not the API's: no JSON, not an object, no `data`, an HTML page, a redirect (never followed: it "
     "would take the keys elsewhere), a body above 1 MiB before or after decompression.",
     "the gate cannot decide on it, and a redirect or a bomb are attacks",
     ("html_page", "json_list", "no_data", "redirect", "huge_body", "gzip_bomb")),
    ("A float where an integer belongs (`1.0`, `1e308`), an integer beyond 64 bits, a member given twice.",
     "`{\"total\": 9999999, \"total\": 100}` would read as $1.00, and JSON Schema's integer takes 1.0",
     ("float_for_integer", "integer_beyond_64_bits", "duplicate_member")),
    ("A negative price or total (services, quotes), a datetime whose UTC time leaves the years 1 to 9999.",
     "a negative quote would cover any purchase; credit and byte counters may be negative (owed, overdrawn) and are "
     "below every threshold instead",
     ("negative_price", "datetime_beyond_utc")),
    ("A search that repeats an item, or whose `total_count` the items contradict; ledger rows from the future.",
     "an overdue service on a page never read, or usage counted twice, would let the gate pass",
     ("page_repeats_items", "proxy_users_total_count_0_beside_a_user", "ledger_row_from_the_future")),
    ("The private key, however the server echoes it (in another case, percent-encoded, split by escapes), and the "
     "server's escapes, bidi controls and 20,000-character lines.",
     "they would reach the terminal, the report and the run cache",
     ("echo_key_everywhere", "key_disguised_in_error", "key_disguised_in_data", "hostile_terminal_text",
      "terminal_text_in_data")),
)


def render_refusals(add, matrix):
    """What the client refuses and why, each with the cases that show it (every one of them passed)."""
    ids = {case["id"] for case in matrix["cases"] + (matrix.get("endpoint_cases") or [])}
    add("## What is refused, and why")
    add("")
    add("Unknown is never zero and garbage is never a pass: each of the first four fails the task with one sentence that "
        "names the field path, before any decision is made on it; the last is removed from every string before a message, "
        "a return value, the report or the run cache sees it (the key becomes `********`). The cases in the tables below "
        "show each one.")
    add("")
    for what, why, cases in REFUSALS:
        add("- %s Why: %s. Cases: %s." % (what, why, ", ".join("`%s`" % case for case in cases if case in ids)))
    add("")


def render_endpoints(add, matrix, endpoint_tools, endpoint_cases, runs):
    """The section on the newer endpoints: each endpoint case through each endpoint tool that runs it."""
    settings = matrix["settings"]
    add("## The newer endpoints")
    add("")
    add("The same error classes on the route of each newer endpoint alone, and the hostile data and the lost answers of "
        "the writes: the simulator's fault steps carry the route (`%s`), so what a tool reads first (the customer, the "
        "proxy user) answers normally and the fault reaches the endpoint. Timeout %g s and %d retry. The message shown "
        "is the first tool's that ran the case; the others name their own endpoint. Requests are the tool's own after "
        "what it reads first; – where a tool does not run the case (the writes run the cases that name them). Faults "
        "of the connection itself (refused, TLS, plain http, odd keys) come before any route and are in the matrix "
        "above. In process; each module's own integration target runs it through `ansible-playbook`."
        % ("`, `".join(tool["route"] for tool in endpoint_tools.values()), settings["timeout"], settings["retries"]))
    add("")
    add("| Fault | What the user sees | %s | Requests | Retried |" % " | ".join("%s (s)" % tool for tool in endpoint_tools))
    add("|---|---|%s---|---|" % ("---|" * len(endpoint_tools)))
    for case in endpoint_cases:
        tool_runs = [runs.get((case["id"], tool)) for tool in endpoint_tools]
        ran = [run for run in tool_runs if run]
        if not ran:
            continue
        shown_run = ran[0]
        seen = "succeeds" if shown_run["outcome"] == "ok" else shown_run["sentence"]
        attempts = max(run["attempts"] for run in ran)
        retried = "yes, %d attempts" % attempts if attempts > 1 else "no"
        add("| %s | %s (`%s`) | %s | %d | %s |" % (
            shown(case["fault"]), shown(seen), shown_run["tool"],
            " | ".join(seconds(run["elapsed"]) if run else "–" for run in tool_runs), shown_run["requests"], retried))
    add("")


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--collection", help="a staged collection whose tests/output/data holds a run's results")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help="where to write (default: docs/reliability.md)")
    args = parser.parse_args()
    stage = None
    if args.collection:
        collection, how = args.collection, ""
    else:
        started = time.monotonic()
        collection, stage = run_tests()
        how = "This run took %d s, staging and ansible-test's set-up included." % (time.monotonic() - started)
    try:
        matrix, fuzz = load(collection)
        text = render(matrix, fuzz, how)
    finally:
        if stage:
            shutil.rmtree(stage, ignore_errors=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(text)
    print("reliability_report: wrote %s" % args.output, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
