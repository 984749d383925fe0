# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Judge the fault matrix's runs against cases.yml and write OUTPUT_DIR/NAME.json.

    collect.py CASES OUTPUT_DIR NAME SECONDS TOOL=OUTPUT...

Reads, for each tool, the records run_in_process.py or matrix.yml wrote (results-TOOL.json), the
simulators' request counters for each run's copy of its account (stats.json, stats-tls.json; see
accounts.py) and what the run printed (the module's whole result in process, the -vvvv output of
ansible-playbook). Every run must end
as its case expects (failed, never passed, for a fault), with a message that is one sentence
and matches the case, after at least the case's `min` seconds, after exactly the requests the
case allows, each sent for a reason the answer before it explains (the client's X-Byteful-Attempt
header, as the simulator recorded it: see attempt_problems). No run has an upper time bound: how
long a run takes on a busy machine says nothing about the code (speed is tools/bench.py's).
A tool of endpoint_tools is judged against the endpoint cases, and its requests are
those to the endpoint: the tool's `before` requests (the customer it reads first) are not
counted. It also searches every file under OUTPUT_DIR for the private key, every password the cases set and every
password the simulator's accounts hold (any case, percent-encoded). All problems are
listed, then the exit status is 1 if there was any.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import sys
from urllib.parse import unquote_to_bytes

import yaml

import ansible
from accounts import cases_of
from ansible_collections.byteful.proxy.plugins.module_utils import _api
from ansible_collections.byteful.proxy.tests.simulator.accounts import CATALOGUE
from ansible_collections.byteful.proxy.tests.simulator.resources import held_secrets

# The lookup's failure reaches the task result inside Ansible's own framing.
LOOKUP_FRAME = re.compile(r"The lookup plugin 'byteful\.proxy\.customer' failed: (.*)$")
ATTEMPTS = re.compile(r" after (\d+) attempts[;,]")
# What a message must never hold: what a terminal would act on (C0, C1, DEL, bidi controls).
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def load_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def sentence_of(message):
    """The collection's own sentence in a task's failure message."""
    match = LOOKUP_FRAME.search(message)
    return match.group(1) if match else message


def by_tool(case, key, name, default=None):
    """A case's ``key``, or its ``<key>_by_tool`` entry for the endpoint tool ``name``."""
    return case.get(key + "_by_tool", {}).get(name, case.get(key, default))


def expected_outcome(case, tool, name):
    if tool == "role" and "role_expect" in case:
        return case["role_expect"], case.get("role_message")
    return by_tool(case, "expect", name, "failed"), by_tool(case, "message", name)


def failure_problems(failure, requests):
    """What is wrong with a module's ``failure`` dict after ``requests`` requests reached the API.

    It says what went wrong in parts: the HTTP status, the network's reason or the schema's errors,
    with the URL wherever a status or a reason came from a request.
    """
    if not isinstance(failure, dict):
        return ["failed without a failure dict"]
    problems = []
    if requests and not any(part in failure for part in ("status", "reason", "errors")):
        problems.append("the failure dict has no status, reason or errors: %r" % failure)
    if ("status" in failure or (requests and "reason" in failure)) and not failure.get("url"):
        problems.append("the failure dict names no url: %r" % failure)
    if "status" in failure and (isinstance(failure["status"], bool) or not isinstance(failure["status"], int)):
        problems.append("the failure dict's status is not an integer: %r" % failure["status"])
    return problems


def attempt_problems(attempts):
    """What is wrong with why a run's requests were sent, from the simulator's record of them.

    ``attempts``: the account's requests in order, each {"attempt": the client's X-Byteful-Attempt
    header, "answer": the status or the fault's action the simulator answered it with}. Every
    request says why it was sent; a retry after a status follows that status, and a retry after a
    timeout, a broken or an unreachable answer follows a fault that did not answer whole (a retry
    after an answer given whole and at once is the machine's load, not the case's fault).
    """
    problems = []
    for number, entry in enumerate(attempts):
        header = entry.get("attempt")
        if header is None:
            problems.append("request %d does not say why it was sent (no X-Byteful-Attempt header)" % (number + 1))
            continue
        if ";" not in header:
            continue
        cause = header.split("after=", 1)[-1].strip()
        before = attempts[number - 1]["answer"] if number else None
        explained = str(before) == cause if cause.isdigit() else (before is None or isinstance(before, str))
        if not explained:
            problems.append("request %d was sent after %s (its X-Byteful-Attempt), but request %d was answered %s" % (
                number + 1, cause, number, before))
    return problems


def judge(case, tool, name, record, requests, log_text, sent_for=()):
    """The problems of one run, as sentences (``name``: the endpoint tool that ``tool`` runs, or ``tool``;
    ``sent_for``: the X-Byteful-Attempt header of each of its requests)."""
    problems = []
    expect, pattern = expected_outcome(case, tool, name)
    message = record["message"]
    sentence = sentence_of(message)
    if record["outcome"] != expect:
        problems.append("ended %s, expected %s (%s)" % (record["outcome"], expect, message or "no message"))
    if expect == "failed":
        if "\n" in message or "Traceback" in message or not sentence.endswith("."):
            problems.append("the message is not one sentence: %r" % message)
        if CONTROL.search(message):
            problems.append("the message holds control or bidi characters: %r" % message)
        if pattern and not re.search(pattern, sentence):
            problems.append("the message %r does not match %r" % (sentence, pattern))
        if record.get("returned_anyway"):
            problems.append("failed, yet returned its data")
        if "failure" in record:  # in process: the module's structured failure, for failed_when and rescue
            problems.extend(failure_problems(record["failure"], requests))
    elif "returned" in record:  # an endpoint tool: its documented return key
        if str(record["returned"]) != "True":
            problems.append("succeeded without its documented return value")
    elif str(record["customer_id"]) != str(case.get("customer_id", 1955)):
        problems.append("returned customer id %r, expected %s" % (record["customer_id"], case.get("customer_id", 1955)))
    elapsed = float(record["elapsed"])
    if "limit" in case:
        problems.append("has a time limit, which nothing checks any more: remove it (speed is tools/bench.py's)")
    if elapsed < case.get("min", 0):
        problems.append("took %.2f s, less than the %s s it must wait" % (elapsed, case["min"]))
    allowed = by_tool(case, "requests", name)
    allowed = allowed if isinstance(allowed, list) else [allowed]
    if requests not in allowed:
        problems.append("made %d API requests, expected %s (sent for: %s)" % (
            requests, " or ".join(str(count) for count in allowed), " | ".join(str(header) for header in sent_for) or "none"))
    if case.get("warning") and " ".join(case["warning"].split()) not in log_text and not re.search(case["warning"], log_text):
        problems.append("the warning %r is not in the output" % case["warning"])
    warning = case.get("warning_by_tool", {}).get(name)
    if warning and not re.search(warning, log_text):
        problems.append("the warning %r is not in the output" % warning)
    for member, value in case.get("returns_by_tool", {}).get(name, {}).items():
        if (record.get("values") or {}).get(member) != value:
            problems.append("returned %s %r, expected %r" % (member, (record.get("values") or {}).get(member), value))
    if case.get("never_shown") and (case["never_shown"] in log_text or case["never_shown"] in message):
        problems.append("the output shows %r, which must never be shown" % case["never_shown"])
    return problems


def warning_text(warning):
    """A module's warning as the user reads it: ansible-core 2.19 returns each as a structured summary."""
    return warning if isinstance(warning, str) else warning.get("event", {}).get("msg", json.dumps(warning))


def files_under(directory):
    """(path, bytes) of every file under directory (links left out)."""
    for root, dummy, names in os.walk(directory):
        for name in names:
            path = os.path.join(root, name)
            if not os.path.islink(path) and os.path.isfile(path):
                with open(path, "rb") as handle:
                    yield path, handle.read()


def audit(directory, secret):
    """Every file under directory searched for secret, as sent and as a server may echo it: (files, bytes, paths that hold it).

    Besides the key itself: in upper and in lower case, and percent-encoded (upper or lower hex), the
    forms the client must never let through whole once it has cleaned a server's text.
    """
    files = size = 0
    found = []
    forms = (secret, secret.upper(), secret.lower(), "".join("%%%02X" % ord(char) for char in secret),
             "".join("%%%02x" % ord(char) for char in secret))
    needles = {form.encode("utf-8") for form in forms}
    for path, data in files_under(directory):
        files += 1
        size += len(data)
        if any(needle in data for needle in needles):
            found.append(os.path.relpath(path, directory))
    return files, size, found


def passwords_set(data):
    """Every password the cases set, wherever in cases.yml: the values of password and of the API's secret members."""
    if isinstance(data, dict):
        for name, value in data.items():
            if name in ("password",) + _api.SECRET_MEMBERS and isinstance(value, str) and len(value) >= 4:
                yield value
            else:
                yield from passwords_set(value)
    elif isinstance(data, list):
        for item in data:
            yield from passwords_set(item)


_WORD = re.compile(rb"[A-Za-z0-9]+")


def audit_passwords(directory, passwords):
    """(password, path) for each of ``passwords`` found under directory, in any case, or percent-encoded: each file read
    once (thousands of passwords). A password of letters and digits is looked for as a word of the text, any other
    as a part of it."""
    words = {password.lower(): password for password in passwords if password.isalnum() and password.isascii()}
    others = {password.lower().encode("utf-8"): password for password in passwords if password.lower() not in words}
    found = []
    for path, data in files_under(directory):
        texts = (data.lower(), unquote_to_bytes(data).lower())
        seen = {word.decode() for text in texts for word in _WORD.findall(text)} & set(words)
        seen = {words[word] for word in seen} | {password for form, password in others.items()
                                                 if any(form in text for text in texts)}
        found.extend((password, os.path.relpath(path, directory)) for password in sorted(seen))
    return found


def described(cases):
    """The cases as the report shows them: without the accounts they define and the text they must never show, which
    hold on purpose the secrets (passwords, messages quoting them) that the leak audit then searches for in everything,
    this report included; ``never_shown`` only says that the case has such a text."""
    return [{name: (True if name == "never_shown" else value) for name, value in case.items()
             if not name.startswith("define")} for case in cases]


def main(argv):
    cases_path, output_dir, report, seconds = argv[1], argv[2], argv[3], int(argv[4])
    logs = dict(arg.split("=", 1) for arg in argv[5:])
    with open(cases_path, encoding="utf-8") as handle:
        matrix = yaml.safe_load(handle)
    tools = list(logs)
    problems = []
    rows = []
    counted = {
        "sim": load_json(os.path.join(output_dir, "stats.json")),
        "tls": load_json(os.path.join(output_dir, "stats-tls.json")),
    }
    expected_runs = 0
    for tool in tools:
        cases, endpoint, name = cases_of(matrix, tool)
        before = (endpoint or {}).get("before", 0)
        expected_runs += len(cases)
        records = {record["id"]: record for record in load_json(os.path.join(output_dir, "results-%s.json" % tool))}
        with open(logs[tool], encoding="utf-8", errors="replace") as handle:
            log_text = " ".join(handle.read().split())  # warnings are wrapped to the terminal's width
        # In process, each case's own result: its warnings as the user reads them, then the whole of it.
        returned = json.loads(log_text) if logs[tool].endswith(".json") else None
        for case in cases:
            record = records.get(case["id"])
            if record is None:
                problems.append("%s through the %s: no record" % (case["id"], tool))
                continue
            server = case.get("server", "sim")
            account = "%s-%s" % (tool, case["id"])
            stats = counted.get(server, {})
            requests = max(stats.get("by_account", {}).get(account, 0) - before, 0)
            attempts = stats.get("attempts_by_account", {}).get(account, [])
            if returned is not None:
                result = returned.get(case["id"], {})
                log_text = " ".join([warning_text(warning) for warning in result.get("warnings", [])] + [json.dumps(result)])
            sent_for = [entry.get("attempt") for entry in attempts]
            for problem in judge(case, tool, name, record, requests, log_text, sent_for) + attempt_problems(attempts):
                problems.append("%s through the %s: %s" % (case["id"], tool, problem))
            said = ATTEMPTS.search(record["message"])
            rows.append(dict(record, requests=requests, sentence=sentence_of(record["message"]),
                             attempts=int(said.group(1)) if said else max(requests, 1),
                             sent_for=sent_for))
    if len(rows) != expected_runs:
        problems.append("%d runs recorded, expected %d" % (len(rows), expected_runs))

    secret = os.environ["BYTEFUL_SIM_PRIVATE_KEY"]
    files, size, holding = audit(output_dir, secret)
    problems.extend("the private key appears in %s" % path for path in holding)
    # Every password the cases set (a tool's, an account's proxy users' and proxies') and every one the simulator's
    # accounts hold are secrets too.
    passwords = sorted(set(passwords_set(matrix)) | set(held_secrets(CATALOGUE.builtin_accounts())))
    problems.extend("a password (%s...) appears in %s" % (password[:3], path)
                    for password, path in audit_passwords(output_dir, passwords))
    cache_entries = sum(len([n for n in os.listdir(os.path.join(output_dir, "cache-%s" % tool)) if n.endswith(".json")])
                        for tool in tools if os.path.isdir(os.path.join(output_dir, "cache-%s" % tool)))
    if "lookup" in tools and cache_entries == 0:
        problems.append("no cache file was kept for the audit: the audit of the cache would prove nothing")
    pace_files = [name for dummy, dummy_dirs, names in os.walk(os.path.join(output_dir, "runtime"))
                  for name in names if name.endswith(".pace")]
    if not pace_files:
        problems.append("no file of the shared limiter was found for the audit: the audit of them would prove nothing")

    result = {
        "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ansible_core": ansible.__version__,
        "python": platform.python_version(),
        "seconds": seconds,
        "settings": {"timeout": matrix["matrix_timeout"], "retries": matrix["matrix_retries"],
                     "rate_limit_wait": matrix["matrix_rate_limit_wait"]},
        "policy": {
            "timeout": _api.DEFAULT_TIMEOUT, "retries": _api.DEFAULT_RETRIES, "backoff_base": _api.BACKOFF_BASE,
            "backoff_max": _api.BACKOFF_MAX, "backoff_jitter": _api.BACKOFF_JITTER, "retry_after_max": _api.RETRY_AFTER_MAX,
            "deadline_grace": _api.DEADLINE_GRACE, "min_request_interval": _api.MIN_REQUEST_INTERVAL,
            "retry_after_jitter": _api.RETRY_AFTER_JITTER, "rate_limit_wait": _api.DEFAULT_RATE_LIMIT_WAIT,
            "limiter_min_wait": _api.LIMITER_MIN_WAIT,
            "worst_case_defaults": _api.worst_case_seconds(),
            "worst_case_matrix": _api.worst_case_seconds(matrix["matrix_timeout"], matrix["matrix_retries"],
                                                         matrix["matrix_rate_limit_wait"]),
        },
        "tools": [tool for tool in tools if cases_of(matrix, tool)[1] is None],
        "cases": described(matrix["matrix_cases"]),
        "endpoint_tools": {tool: cases_of(matrix, tool)[1] for tool in tools if cases_of(matrix, tool)[1] is not None},
        "endpoint_cases": described(matrix.get("endpoint_cases", [])),
        "runs": rows,
        "audit": {"files": files, "bytes": size, "cache_entries": cache_entries, "pace_files": len(pace_files), "found": holding},
        "problems": problems,
    }
    with open(os.path.join(output_dir, report + ".json"), "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1, sort_keys=True)
        handle.write("\n")

    for row in rows:
        print("%-32s %-7s %-7s %6.2f s  %d request(s)" % (row["id"], row["tool"], row["outcome"], float(row["elapsed"]), row["requests"]))
    print("%d runs of %d tools in %d s; leak audit: %d files, %d bytes, %d cache entries, key found in %d"
          % (len(rows), len(tools), seconds, files, size, cache_entries, len(holding)))
    for problem in problems:
        print("FAIL: %s" % problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
