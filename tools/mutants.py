# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The mutation check: does a realistic one-line bug make a fast test fail?

    .venv/bin/python tools/mutants.py             every mutant of tools/mutants.yml (`make mutants`, ~10 minutes)
    .venv/bin/python tools/mutants.py ID...       some of them

Each mutant replaces one snippet of one file (it must occur exactly once, or the mutant is stale
and the run fails) in a copy of the checkout, then runs the unit tests there, stopping at the first
failure: the mutant is killed, and the failing test is named, or it survives. A mutant's `tests`
run first (the likely place to catch it), then all the others. The unit tests run as
`ansible-test units` runs them (its pytest plugins), in a venv of their own (.venvs/mutants, made on
first use: ansible-core of the oldest supported line, requirements.txt, pytest, xdist, hypothesis).
Not part of `make test`: its figure is in CONTRIBUTING.md. Exit status 1 when a mutant survives.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MUTANTS = os.path.join(TOP, "tools", "mutants.yml")
VENV = os.path.join(TOP, ".venvs", "mutants")
WORK = os.path.join(TOP, ".build", "mutants")
COPY = os.path.join(WORK, "ansible_collections", "byteful", "proxy")
TEST_DEPS = ["pytest", "pytest-xdist", "hypothesis"]
# Module tests share Ansible's global warning state, as ansible-test runs them: a run of their own.
RUNS = (["tests/unit", "--ignore=tests/unit/plugins/modules"], ["tests/unit/plugins/modules"])


def venv_python():
    """The mutants' venv, made or remade while requirements.txt or the line changes."""
    with open(os.path.join(TOP, "meta", "runtime.yml"), encoding="utf-8") as handle:
        line = re.search(r'requires_ansible:\s*["\']?>=\s*([0-9]+\.[0-9]+)', handle.read()).group(1)
    with open(os.path.join(TOP, "requirements.txt"), encoding="utf-8") as handle:
        stamp = "%s\n%s\n%s" % (line, " ".join(TEST_DEPS), handle.read())
    python = os.path.join(VENV, "bin", "python")
    stamp_file = os.path.join(VENV, ".stamp")
    if not os.path.exists(stamp_file) or open(stamp_file, encoding="utf-8").read() != stamp:
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "ansible-core==%s.*" % line,
                        "-r", os.path.join(TOP, "requirements.txt")] + TEST_DEPS, check=True)
        with open(stamp_file, "w", encoding="utf-8") as handle:
            handle.write(stamp)
    return python


def copy_checkout():
    """The checkout's tracked and new files under WORK/ansible_collections/byteful/proxy, the shape the tests import from."""
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(COPY)
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=TOP, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = os.path.join(TOP, name)
        if os.path.isfile(source):
            os.makedirs(os.path.dirname(os.path.join(COPY, name)), exist_ok=True)
            shutil.copy2(source, os.path.join(COPY, name))


def run_tests(python, first=()):
    """(passed, the first failing test or the last words) of the unit tests in the copy.

    ``first``: test files to run before the rest, where the mutant is most likely to be caught (a
    mutant that survives them meets every other test all the same).
    """
    env = dict(os.environ, PYTHONPATH=WORK, ANSIBLE_COLLECTIONS_PATH=WORK, ANSIBLE_CONTROLLER_MIN_PYTHON_VERSION="3.11",
               XDG_RUNTIME_DIR=os.path.join(WORK, "runtime"))
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    for paths in ([list(first)] if first else []) + list(RUNS):
        result = subprocess.run([python, "-m", "pytest", "-x", "-q", "-n", "2", "-p", "no:cacheprovider",
                                 "-p", "ansible_test._util.target.pytest.plugins.ansible_pytest_collections",
                                 "-p", "ansible_test._util.target.pytest.plugins.ansible_forked"] + paths,
                                cwd=COPY, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", result.stdout, re.MULTILINE)
            return False, failed[0] if failed else (result.stdout + result.stderr).strip().splitlines()[-1]
    return True, ""


def main(argv):
    with open(MUTANTS, encoding="utf-8") as handle:
        mutants = yaml.safe_load(handle)["mutants"]
    chosen = [m for m in mutants if not argv[1:] or m["id"] in argv[1:]]
    python = venv_python()
    copy_checkout()
    started = time.monotonic()
    passed, why = run_tests(python)
    if not passed:
        raise SystemExit("mutants: the unit tests fail without any mutant (%s); fix that first" % why)
    rows, survivors, stale = [], [], []
    for mutant in chosen:
        path = os.path.join(COPY, mutant["file"])
        with open(path, encoding="utf-8") as handle:
            original = handle.read()
        if original.count(mutant["find"]) != 1:
            stale.append(mutant["id"])
            rows.append((mutant, "STALE", "its snippet occurs %d times in %s" % (original.count(mutant["find"]), mutant["file"])))
            continue
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(original.replace(mutant["find"], mutant["replace"]))
        try:
            passed, killer = run_tests(python, mutant.get("tests", ()))
        finally:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(original)
        if passed:
            survivors.append(mutant["id"])
        rows.append((mutant, "SURVIVED" if passed else "killed", killer))
        print("%-40s %-8s %s" % (mutant["id"], rows[-1][1], killer), flush=True)
    killed = len(chosen) - len(survivors) - len(stale)
    print()
    print("| mutant | the bug | result | first test to fail |")
    print("|---|---|---|---|")
    for mutant, result, killer in rows:
        print("| %s | %s | %s | %s |" % (mutant["id"], mutant["bug"], result, killer))
    print()
    print("mutants: %d of %d killed by the unit tests, %d survived, %d stale, in %d s"
          % (killed, len(chosen), len(survivors), len(stale), time.monotonic() - started))
    with open(os.path.join(WORK, "results.json"), "w", encoding="utf-8") as handle:
        json.dump([{"id": m["id"], "result": r, "test": k} for m, r, k in rows], handle, indent=1)
    return 1 if survivors or stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
