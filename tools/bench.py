# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark byteful.proxy against hand-written uri + assert, and write docs/performance.md.

    .venv/bin/python tools/bench.py            # the full benchmark (under 10 minutes on 2 cores)
    .venv/bin/python tools/bench.py --quick    # 5 hosts, one run of each: for development
    .venv/bin/python tools/bench.py --ref HEAD # measure a git revision instead of the checkout as it is
    .venv/bin/python tools/bench.py --only rate-limits  # only the rate-limit section's runs, spliced into the file
    .venv/bin/python tools/bench.py --only forecast     # only the forecast section's runs, spliced into the file

It builds and installs the collection into .build/bench, starts the Byteful simulator
(tests/simulator/, run as `python3 tests/simulator`) on a free local port, and runs real ansible-playbook
commands against local-connection inventories of N hosts with forks 10:

* the byteful.proxy.preflight role;
* the careful baseline: ansible.builtin.uri once (run_once) and ansible.builtin.assert once;
* the naive baseline: uri and assert on every host;
* the byteful.proxy.customer lookup in a set_fact on every host, and in a template on every host;
* diagnostics: the role imported with rolespec_validate: false, and set_fact of a constant
  (the control for the lookup in set_fact);
* the role with every forecast check on against the same checks hand-written with uri + assert,
  each run once (its own section, also measured alone with --only forecast).

For each it records the wall time, the API calls the simulator counted and the peak RSS of
the controller; then it splits one customer_info call into its parts, and looks at the rate
limit with parallel runs and bursts. The full benchmark does one run of everything first and
repeats runs only while its time budget (--budget) allows. Standard library only; run it with
the venv's Python, whose bin directory holds ansible-playbook.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import io
import json
import math
import os
import platform
import re
import secrets
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import time
import urllib.parse
import urllib.request

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(TOP, ".build", "bench")
COLLECTIONS = os.path.join(WORK, "collections")
SIMULATOR = os.path.join(TOP, "tests", "simulator")
BIN = os.path.dirname(os.path.abspath(sys.executable))
DEFAULT_OUTPUT = os.path.join(TOP, "docs", "performance.md")
COMMAND = ".venv/bin/python tools/bench.py"
RESULTS = os.path.join(WORK, "results.json")  # the raw measurements of the last run, for --report-only
RATE_LIMIT_RESULTS = os.path.join(WORK, "results-rate-limits.json")  # those of the last --only rate-limits run
FORECAST_RESULTS = os.path.join(WORK, "results-forecast.json")  # those of the last --only forecast run

FORKS = 10
PUBLIC_KEY = "healthy"  # the simulator's account with enough of everything
CUSTOMER_PATH = "/public/user/customer/retrieve"
MIN_CREDIT = 1000  # cents
MIN_RESIDENTIAL = "5 GB"

FULL_SIZES = (10, 100, 500)
QUICK_SIZES = (5,)
# Runs per scenario and size. The per-host scenarios (naive, template) cost a Python module
# process per host, so at 500 hosts one run of them takes about as long as the rest together.
FULL_REPS = {10: (5, 3), 100: (5, 2), 500: (3, 1)}  # N: (light scenarios, heavy scenarios)
THROTTLED_HOSTS = 20  # per-host calls against a lowered limit, to see what a faster controller meets
THROTTLED_LIMIT = 2  # requests per second: below what this 2-core machine sends with forks 10
# Parallel ansible-playbook runs of the role against one account: (runs, the API's limit in
# requests per second). 30 runs against 3 per second stand for 100 runs against the real 10.
PARALLEL_RUNS = ((5, 10), (30, 3))
QUICK_PARALLEL_RUNS = ((3, 10),)
BURST_SIZES = (20, 50, 100)
# The forecast comparison: an account that passes every check (credit and data today, a few days
# of data left at its recent rate, no refused service state), and runs per size of each side.
FORECAST_ACCOUNT = "runs_out_soon"
FORECAST_REPS = {10: 3, 100: 3, 500: 2}
FORECAST_HEADING = "## Forecast checks: the role against hand-written `uri` + `assert`"
DEFAULT_BUDGET = 540.0  # seconds for everything; repeated runs are skipped rather than exceed it
HARD_MARGIN = 45.0  # a per-host scenario's only run at the largest N is left out rather than end past budget + this

THRESHOLD_VARS = """\
        byteful_preflight_min_credit_balance: %d
        byteful_preflight_min_residential_bytes: %s
        byteful_preflight_require_residential_service: true""" % (MIN_CREDIT, MIN_RESIDENTIAL)

URI_TASK = """\
    - name: Read the Byteful account{once}
      ansible.builtin.uri:
        url: "{{{{ lookup('ansible.builtin.env', 'BYTEFUL_API_URL') }}}}%s"
        headers:
          X-API-Public-Key: "{{{{ lookup('ansible.builtin.env', 'BYTEFUL_API_PUBLIC_KEY') }}}}"
          X-API-Private-Key: "{{{{ lookup('ansible.builtin.env', 'BYTEFUL_API_PRIVATE_KEY') }}}}"
      register: byteful_api{extra}

    - name: Compare the account with the thresholds{once}
      ansible.builtin.assert:
        that:
          - byteful_api.json.data.credit_balance >= %d
          - (byteful_api.json.data.residential_bytes_left or 0) >= ('%s' | ansible.builtin.human_to_bytes)
          - byteful_api.json.data.active_residential_service_id is truthy
        quiet: true{extra_assert}
""" % (CUSTOMER_PATH, MIN_CREDIT, MIN_RESIDENTIAL)

PLAY_HEAD = """\
---
- name: "%s"
  hosts: bench
  gather_facts: false
"""

PLAYBOOKS = {
    "role": PLAY_HEAD % "The preflight role" + """\
  roles:
    - role: byteful.proxy.preflight
      vars:
%s
""" % THRESHOLD_VARS,
    "careful": PLAY_HEAD % "Careful baseline: uri once on the controller, assert once" + "  tasks:\n" + URI_TASK.format(
        once=" once", extra="\n      delegate_to: localhost\n      run_once: true", extra_assert="\n      run_once: true"),
    "naive": PLAY_HEAD % "Naive baseline: uri and assert on every host" + "  tasks:\n" + URI_TASK.format(
        once="", extra="", extra_assert=""),
    "lookup_set_fact": PLAY_HEAD % "The lookup in set_fact on every host" + """\
  tasks:
    - name: Keep the credit as a fact on every host
      ansible.builtin.set_fact:
        byteful_credit: "{{ lookup('byteful.proxy.customer', 'credit_balance') }}"
""",
    "lookup_template": PLAY_HEAD % "The lookup in a template on every host" + """\
  tasks:
    - name: Render a file per host from the account
      ansible.builtin.template:
        src: "{{ bench_templates }}/budget.j2"
        dest: "{{ bench_out }}/{{ inventory_hostname }}.conf"
        mode: "0644"
""",
    "set_fact_constant": PLAY_HEAD % "set_fact of a constant on every host" + """\
  tasks:
    - name: Keep a constant as a fact on every host
      ansible.builtin.set_fact:
        byteful_credit: 250000
""",
    "customer_info": PLAY_HEAD % "customer_info on every host" + """\
  tasks:
    - name: Read the Byteful account on every host, through the collection's client
      byteful.proxy.customer_info:
      register: byteful
""",
    "role_novalidate": PLAY_HEAD % "The preflight role without its per-host argument validation" + """\
  tasks:
    - name: Import the role without validating its arguments on every host
      ansible.builtin.import_role:
        name: byteful.proxy.preflight
        rolespec_validate: false
      vars:
%s
""" % THRESHOLD_VARS,
}

# Every check of issue 13 on; the thresholds are the same on both sides.
FORECAST_VARS = """\
        byteful_preflight_min_credit_balance: %d
        byteful_preflight_min_residential_bytes: %s
        byteful_preflight_require_residential_service: true
        byteful_preflight_min_residential_days: 4
        byteful_preflight_min_mobile_days: 2
        byteful_preflight_min_proxy_user_headroom: 1
        byteful_preflight_min_service_days_left: 7
        byteful_preflight_fail_on_service_status: [overdue, paused]
        byteful_preflight_purchases: [{product_code: isp_us, quantity: 10, cycle: "1:month"}]
        byteful_preflight_renewal_window_days: 7
        byteful_preflight_report_path: '{{ bench_out }}/byteful-preflight.json'""" % (MIN_CREDIT, MIN_RESIDENTIAL)

PLAYBOOKS["forecast_role"] = PLAY_HEAD % "The preflight role with every forecast check on" + """\
  roles:
    - role: byteful.proxy.preflight
      vars:
%s
""" % FORECAST_VARS

# The same checks written by hand: each endpoint read once with uri (run_once, on the controller),
# one assert. Less careful than the role on purpose, as such playbooks are: one page of services,
# no retry on 429, expiry compared as text.
PLAYBOOKS["forecast_careful"] = PLAY_HEAD % "Hand-written forecast checks: uri once per endpoint, assert once" + """\
  vars:
    api: "{{ lookup('ansible.builtin.env', 'BYTEFUL_API_URL') }}/public/user"
    api_headers:
      X-API-Public-Key: "{{ lookup('ansible.builtin.env', 'BYTEFUL_API_PUBLIC_KEY') }}"
      X-API-Private-Key: "{{ lookup('ansible.builtin.env', 'BYTEFUL_API_PRIVATE_KEY') }}"
    epoch: "{{ now(utc=true).timestamp() | int }}"
    today: "{{ '%%Y-%%m-%%d' | strftime(epoch, utc=true) }}"
    first_day: "{{ '%%Y-%%m-%%d' | strftime(epoch | int - 14 * 86400, utc=true) }}"
  tasks:
    - name: Read the account, usage, proxy users and services once
      ansible.builtin.uri:
        url: "{{ api }}/{{ item }}"
        headers: "{{ api_headers }}"
      loop:
        - customer/retrieve
        - "residential_ledger/search?residential_ledger_reason=usage&min_residential_ledger_period_date={{ first_day }}\\
          &max_residential_ledger_period_date={{ today }}&per_page=100"
        - "mobile_ledger/search?mobile_ledger_reason=usage&min_mobile_ledger_period_date={{ first_day }}\\
          &max_mobile_ledger_period_date={{ today }}&per_page=100"
        - proxy_user/search?proxy_user_is_deleted=false&per_page=1
        - service/search?per_page=100
      register: byteful_reads
      delegate_to: localhost
      run_once: true

    - name: Price the purchase once
      ansible.builtin.uri:
        url: "{{ api }}/checkout/quote"
        method: POST
        headers: "{{ api_headers }}"
        body_format: json
        body: {product_code: isp_us, quantity: 10, cycle_interval: month, cycle_interval_count: 1}
      register: byteful_quote
      delegate_to: localhost
      run_once: true

    - name: Compare everything once
      ansible.builtin.assert:
        that:
          - customer.credit_balance >= %d + byteful_quote.json.data.total + renewals
          - customer.residential_bytes_left >= ('%s' | ansible.builtin.human_to_bytes)
          - customer.active_residential_service_id is truthy
          - residential_used == 0 or customer.residential_bytes_left / (residential_used / 14) >= 4
          - mobile_used == 0 or customer.mobile_bytes_left / (mobile_used / 14) >= 2
          - customer.customer_proxy_user_limit - byteful_reads.results[3].json.total_count >= 1
          - active | rejectattr('service_is_automatic_collection') | selectattr('service_expiry_datetime', 'lt', week_ahead) | list == []
          - active | selectattr('service_is_pending_cancellation') | selectattr('service_expiry_datetime', 'lt', week_ahead) | list == []
          - services | selectattr('service_status', 'in', ['overdue', 'paused']) | list == []
        quiet: true
      run_once: true
      vars:
        customer: "{{ byteful_reads.results[0].json.data }}"
        residential_used: "{{ byteful_reads.results[1].json.data | rejectattr('residential_ledger_period_date', 'equalto', today)
          | map(attribute='residential_ledger_bytes') | map('abs') | sum }}"
        mobile_used: "{{ byteful_reads.results[2].json.data | rejectattr('mobile_ledger_period_date', 'equalto', today)
          | map(attribute='mobile_ledger_bytes') | map('abs') | sum }}"
        services: "{{ byteful_reads.results[4].json.data }}"
        active: "{{ services | selectattr('service_status', 'equalto', 'active') | list }}"
        week_ahead: "{{ '%%Y-%%m-%%d %%H:%%M:%%S' | strftime(epoch | int + 7 * 86400, utc=true) }}"
        renewals: "{{ active | selectattr('service_is_automatic_collection') | rejectattr('service_is_pending_cancellation')
          | selectattr('service_expiry_datetime', 'le', week_ahead) | map(attribute='service_total') | sum }}"
""" % (MIN_CREDIT, MIN_RESIDENTIAL)

BUDGET_TEMPLATE = """\
account={{ lookup('byteful.proxy.customer', 'customer_id') }}
residential_bytes_per_host={{ (lookup('byteful.proxy.customer', 'residential_bytes_left') / groups['bench'] | length) | int }}
"""

# (key, label, heavy): heavy scenarios run a module process on every host. The careful
# baseline comes first, so that each round of runs starts from the reference.
SCENARIOS = (
    ("careful", "uri once + assert once (careful baseline)", False),
    ("role", "**preflight role**", False),
    ("naive", "uri + assert on every host (naive baseline)", True),
    ("lookup_set_fact", "lookup in set_fact, every host", False),
    ("lookup_template", "lookup in template, every host", True),
    ("role_novalidate", "role, rolespec_validate: false (diagnostic)", False),
    ("set_fact_constant", "set_fact of a constant, every host (control)", False),
)
LABELS = {key: label for key, label, heavy in SCENARIOS}
HEAVY = {key for key, label, heavy in SCENARIOS if heavy}
# Which repeated runs come first when the budget cannot pay for all of them: the comparison the
# targets are about, then the diagnostics, then the per-host scenarios (one run of them at
# N = 500 costs minutes, and their ratio to the baseline is large enough not to need a median).
EXTRA_RUN_TIERS = (("careful", "role"), ("role_novalidate", "set_fact_constant", "lookup_set_fact"), ("naive", "lookup_template"))

# One customer_info call, part by part, in a fresh interpreter. argv[1] is the module's
# AnsiballZ payload (a zip of Ansible's and the collection's module_utils), imported exactly as
# the module imports it; argv[2] says which HTTP call goes first.
PROBE = r'''
import json
import os
import sys
import time

clock = time.perf_counter
marks = {}
sys.path.insert(0, sys.argv[1])
t = clock()
import ansible.module_utils.basic
marks["import_basic"] = clock() - t
t = clock()
import requests
marks["import_requests"] = clock() - t
t = clock()
import jsonschema
marks["import_jsonschema"] = clock() - t
t = clock()
from ansible_collections.byteful.proxy.plugins.module_utils import _api, _customer
marks["import_module_utils"] = clock() - t

url = os.environ["BYTEFUL_API_URL"]
public_key = os.environ["BYTEFUL_API_PUBLIC_KEY"]
private_key = os.environ["BYTEFUL_API_PRIVATE_KEY"]
client = _api.BytefulClient.from_options(dict(api_url=url, api_public_key=public_key, api_private_key=private_key))
answer = []


def through_client():
    t = clock()
    answer.append(client.get(_customer.CUSTOMER_PATH, "Retrieving the Byteful customer"))
    marks["http_client"] = clock() - t


def bare():
    t = clock()
    response = requests.get(url + _customer.CUSTOMER_PATH, timeout=10, headers={
        "X-API-Public-Key": public_key, "X-API-Private-Key": private_key})
    response.raise_for_status()
    response.json()["data"]
    marks["http_bare"] = clock() - t


for call in (through_client, bare) if sys.argv[2] == "client-first" else (bare, through_client):
    call()
t = clock()
_customer.validate_customer(answer[0].data, answer[0].request_id)
marks["validate_first"] = clock() - t
t = clock()
_customer.validate_customer(answer[0].data, answer[0].request_id)
marks["validate_again"] = clock() - t
print(json.dumps(marks))
'''

# P processes ask for the customer at the same instant through the collection's client, with
# its default options (argv[1]: P). Prints one JSON line per process: how it ended, how many
# requests it sent, how long it took.
BURST = r'''
import json
import multiprocessing
import os
import sys
import time

from ansible_collections.byteful.proxy.plugins.module_utils import _api, _customer


def one(start_at, queue):
    client = _api.BytefulClient.from_options(dict(
        api_url=os.environ["BYTEFUL_API_URL"], api_public_key=os.environ["BYTEFUL_API_PUBLIC_KEY"],
        api_private_key=os.environ["BYTEFUL_API_PRIVATE_KEY"]))
    sent = [0]
    send = client._send

    def counting(*args):
        sent[0] += 1
        return send(*args)

    client._send = counting
    time.sleep(max(0.0, start_at - time.time()))
    began = time.monotonic()
    try:
        client.get(_customer.CUSTOMER_PATH, "Retrieving the Byteful customer")
        outcome = dict(ok=True)
    except _api.BytefulError as exc:
        outcome = dict(ok=False, msg=exc.message)
    outcome.update(attempts=sent[0], seconds=time.monotonic() - began)
    queue.put(outcome)


count = int(sys.argv[1])
context = multiprocessing.get_context("fork")
queue = context.Queue()
start_at = time.time() + 0.5 + count * 0.01
workers = [context.Process(target=one, args=(start_at, queue)) for dummy in range(count)]
for worker in workers:
    worker.start()
results = [queue.get(timeout=120) for dummy in workers]
for worker in workers:
    worker.join()
for result in results:
    print(json.dumps(result))
'''


class BenchError(Exception):
    """A step of the benchmark failed; the message says which and where its log is."""


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

class Clock:
    """Elapsed time since the benchmark started, for progress lines and the budget."""

    def __init__(self):
        self.start = time.monotonic()

    def elapsed(self):
        return time.monotonic() - self.start

    def say(self, text):
        print("[%5.0fs] %s" % (self.elapsed(), text), flush=True)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def median(values):
    return statistics.median(values) if values else float("nan")


def peak_rss_kib(pid):
    """VmHWM, the peak resident set so far, of a live process in KiB (0 when it cannot be read)."""
    try:
        with open("/proc/%d/status" % pid, encoding="utf-8") as handle:
            match = re.search(r"^VmHWM:\s+(\d+) kB", handle.read(), re.MULTILINE)
    except OSError:
        return 0
    return int(match.group(1)) if match else 0


def run_measured(cmd, log_path, env, cwd=WORK):
    """Run cmd to completion with its output in log_path: (wall seconds, exit code, peak RSS KiB, tree peak RSS KiB).

    The first peak is the process's own (for ansible-playbook: the controller), read from /proc
    every 50 ms while it runs; the second comes from wait4(): the largest resident set of the
    process or of any descendant it waited for (one of the controller's forked workers, say).
    """
    start = time.perf_counter()
    own = 0
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            own = max(own, peak_rss_kib(proc.pid))
            time.sleep(0.05)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, proc.returncode, own, usage.ru_maxrss


def time_command(cmd, env, cwd=WORK):
    """(wall seconds, stdout) of a short command; raises BenchError when it fails."""
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, env=env, cwd=cwd, check=False, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    if done.returncode:
        raise BenchError("%s failed (exit %d): %s" % (" ".join(cmd[:3]), done.returncode,
                                                      done.stderr.decode("utf-8", "replace")[-2000:]))
    return wall, done.stdout.decode("utf-8", "replace")


def recap(log_path):
    """{host: {ok, changed, failed, ...}} from the PLAY RECAP of a playbook log."""
    hosts = {}
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            match = re.match(r"^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$", line)
            if match:
                hosts[match.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", match.group(2))}
    return hosts


def task_hosts(log_path):
    """[(task name, number of host results)] in the order the tasks ran, from a playbook log."""
    tasks = []
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            header = re.match(r"^TASK \[(.*)\] \**$", line.rstrip())
            if header:
                tasks.append([header.group(1), 0])
            elif tasks and re.match(r"^(ok|changed|skipping|failed|fatal): \[", line):
                tasks[-1][1] += 1
    return [tuple(task) for task in tasks]


# ---------------------------------------------------------------------------------------------
# The simulator
# ---------------------------------------------------------------------------------------------

class Simulator:
    """The Byteful simulator as a daemon on a free port of 127.0.0.1, with its control API."""

    def __init__(self, private_key):
        self.script = SIMULATOR
        self.private_key = private_key
        self.pid_file = os.path.join(WORK, "simulator.pid")
        self.log_file = os.path.join(WORK, "logs", "simulator.log")
        self.base_url = None
        self.root = None
        # The control API is local: never through a proxy from the environment.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def start(self):
        env = dict(os.environ, BYTEFUL_SIM_PRIVATE_KEY=self.private_key)
        done = subprocess.run([sys.executable, self.script, "--daemon", "--idle-timeout", "900", "--pid-file", self.pid_file,
                               "--log-file", self.log_file], capture_output=True, env=env, check=False, stdin=subprocess.DEVNULL)
        if done.returncode:
            raise BenchError("the simulator did not start: %s" % done.stderr.decode("utf-8", "replace").strip())
        self.base_url = done.stdout.decode("utf-8").strip()
        parts = urllib.parse.urlsplit(self.base_url)
        self.root = "%s://%s" % (parts.scheme, parts.netloc)

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.root + "/_sim" + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with self._opener.open(request, timeout=10) as response:
            return json.loads(response.read().decode("utf-8") or "null")

    def reset(self):
        self.control("POST", "/reset")

    def stats(self):
        return self.control("GET", "/stats")

    def rate_limit(self, enabled):
        self.control("PUT", "/config", {"rate_limit": bool(enabled)})

    def stop(self):
        try:
            with open(self.pid_file, encoding="utf-8") as handle:
                pid = int(handle.read().strip())
        except (OSError, ValueError):
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        for dummy in range(50):
            time.sleep(0.1)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
        os.kill(pid, signal.SIGKILL)


# ---------------------------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------------------------

class Bench:

    def __init__(self, args):
        self.args = args
        self.clock = Clock()
        self.sizes = QUICK_SIZES if args.quick else FULL_SIZES
        self.private_key = "bench-" + secrets.token_hex(16)
        self.sim = Simulator(self.private_key)
        self.runs = {}  # (scenario, n) -> [run dicts]
        self.skipped = {}  # (scenario, n) -> number of planned runs skipped for the budget
        self.not_run = {}  # (scenario, n) -> projected seconds of a first run left out for the hard limit
        self.first_wall = {}
        self.sections = {}
        self.load_before = os.getloadavg()
        self.load_after = None
        self.source = None
        self.simulator = SIMULATOR

    # -- set-up -------------------------------------------------------------------------

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "BYTEFUL_"))}
        env.update(
            PATH=BIN + os.pathsep + env.get("PATH", ""),
            ANSIBLE_CONFIG=os.path.join(WORK, "ansible.cfg"),
            ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
            ANSIBLE_LOCAL_TEMP=os.path.join(WORK, "tmp", "local"),
            ANSIBLE_REMOTE_TEMP=os.path.join(WORK, "tmp", "remote"),
            ANSIBLE_NOCOLOR="1",
            BYTEFUL_API_URL=self.sim.base_url or "",
            BYTEFUL_API_PUBLIC_KEY=PUBLIC_KEY,
            BYTEFUL_API_PRIVATE_KEY=self.private_key,
            NO_PROXY="127.0.0.1,localhost",
            no_proxy="127.0.0.1,localhost",
        )
        env.update(extra)
        return env

    def prepare(self):
        for name in ("ansible-playbook", "ansible-galaxy", "ansible"):
            if not os.access(os.path.join(BIN, name), os.X_OK):
                raise BenchError("%s is not next to %s: run this script with the venv's Python (%s)" % (name, sys.executable, COMMAND))
        for name in ("collections", "dist", "logs", "tmp", "playbooks", "out", "breakdown"):
            shutil.rmtree(os.path.join(WORK, name), ignore_errors=True)
        os.makedirs(os.path.join(WORK, "logs"))
        write(os.path.join(WORK, "ansible.cfg"), "[defaults]\nforks = %d\nretry_files_enabled = false\n" % FORKS)
        for name, text in PLAYBOOKS.items():
            write(os.path.join(WORK, "playbooks", name + ".yml"), text)
        write(os.path.join(WORK, "playbooks", "templates", "budget.j2"), BUDGET_TEMPLATE)
        sizes = set(self.sizes) | {10, THROTTLED_HOSTS}
        for n in sizes:
            write(self.inventory(n), "[bench]\nhost[%s:%s]\n\n[bench:vars]\nansible_connection=local\nansible_python_interpreter=%s\n"
                  % ("1".zfill(len(str(n))), n, sys.executable))
        source = self.source_tree()
        self.clock.say("building %s and installing it into %s" % (self.source, os.path.relpath(COLLECTIONS, TOP)))
        env = self.env()
        dist = os.path.join(WORK, "dist")
        time_command([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--force", "--output-path", dist, source], env)
        tarballs = [os.path.join(dist, name) for name in os.listdir(dist) if name.endswith(".tar.gz")]
        time_command([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--force", "-p", COLLECTIONS] + tarballs, env)

    def source_tree(self):
        """The directory to build the collection from: the checkout, or a git revision exported with --ref."""
        head = subprocess.run(["git", "-C", TOP, "rev-parse", "--short", self.args.ref or "HEAD"], capture_output=True, check=False)
        commit = head.stdout.decode("utf-8").strip() if head.returncode == 0 else None
        if not self.args.ref:
            dirty = subprocess.run(["git", "-C", TOP, "status", "--porcelain", "--untracked-files=no"], capture_output=True, check=False)
            changes = " with uncommitted changes" if dirty.returncode == 0 and dirty.stdout.strip() else ""
            self.source = "the checkout (commit %s%s)" % (commit, changes) if commit else "the checkout"
            return TOP
        if not commit:
            raise BenchError("--ref %s is not a git revision of %s" % (self.args.ref, TOP))
        source = os.path.join(WORK, "src")
        shutil.rmtree(source, ignore_errors=True)
        os.makedirs(source)
        archive = subprocess.run(["git", "-C", TOP, "archive", "--format=tar", commit], capture_output=True, check=False)
        if archive.returncode:
            raise BenchError("git archive %s failed: %s" % (commit, archive.stderr.decode("utf-8", "replace")))
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(source, filter="data")
        self.source = "commit %s (`--ref %s`)" % (commit, self.args.ref)
        self.simulator = os.path.join(source, "tests", "simulator")
        return source

    @staticmethod
    def inventory(n):
        return os.path.join(WORK, "inventory-%d.ini" % n)

    # -- one playbook run ---------------------------------------------------------------

    def playbook(self, scenario, n, tag, rate_limit=True, env=None):
        """Run one scenario on n hosts with fresh simulator counters; returns a run dict."""
        self.sim.rate_limit(rate_limit)
        self.sim.reset()
        out = os.path.join(WORK, "out", tag)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        log = os.path.join(WORK, "logs", tag + ".log")
        cmd = [os.path.join(BIN, "ansible-playbook"), "-i", self.inventory(n), "-f", str(FORKS),
               "-e", "bench_out=%s" % out, "-e", "bench_templates=%s" % os.path.join(WORK, "playbooks", "templates"),
               os.path.join(WORK, "playbooks", scenario + ".yml")]
        wall, rc, rss, tree_rss = run_measured(cmd, log, env or self.env())
        stats = self.sim.stats()
        hosts = recap(log)
        return dict(wall=wall, rc=rc, rss_kib=rss, tree_rss_kib=tree_rss, calls=stats["requests"], r429=stats["responses_429"], log=log,
                    failed_hosts=sum(1 for counts in hosts.values() if counts.get("failed") or counts.get("unreachable")))

    def timed_run(self, scenario, n, rep, planned):
        run = self.playbook(scenario, n, "N%d-%s-%d" % (n, scenario, rep))
        self.runs.setdefault((scenario, n), []).append(run)
        self.first_wall.setdefault((scenario, n), run["wall"])
        note = "" if run["rc"] == 0 else "  EXIT %d, see %s" % (run["rc"], os.path.relpath(run["log"], TOP))
        self.clock.say("N=%-3d %-16s run %d/%d: %6.2f s, %d API call%s%s" % (
            n, scenario, rep, planned, run["wall"], run["calls"], "" if run["calls"] == 1 else "s", note))

    def reps(self, scenario, n):
        if self.args.quick:
            return 1
        light, heavy = FULL_REPS.get(n, (3, 1))
        return heavy if scenario in HEAVY else light

    def matrix_first_pass(self):
        """One run of every scenario at every size, but the per-host scenarios at the largest size (see heavy_at_largest)."""
        for n in self.sizes:
            for scenario, dummy, heavy in SCENARIOS:
                if not (heavy and n == max(self.sizes)):
                    self.timed_run(scenario, n, 1, self.reps(scenario, n))

    def projection(self, scenario, n):
        """Seconds one run should take: its first run's time, or a linear projection from a smaller size."""
        if (scenario, n) in self.first_wall:
            return self.first_wall[(scenario, n)]
        smaller = [m for m in self.sizes if m < n and (scenario, m) in self.first_wall]
        if not smaller:
            return 0.0
        return self.first_wall[(scenario, max(smaller))] * n / max(smaller)

    def pending_heavy(self):
        """Projected seconds of the per-host scenarios' runs at the largest size that have not run yet."""
        n = max(self.sizes)
        return sum(self.projection(s, n) for s in HEAVY if (s, n) not in self.first_wall and (s, n) not in self.not_run)

    def heavy_at_largest(self):
        """The per-host scenarios at the largest size, each unless it would end the benchmark past budget + HARD_MARGIN."""
        n = max(self.sizes)
        for scenario, dummy, heavy in SCENARIOS:
            if not heavy:
                continue
            projected = self.projection(scenario, n)
            limit = self.args.budget + HARD_MARGIN
            if self.clock.elapsed() + projected + 5 > limit:
                self.not_run[(scenario, n)] = projected
                self.clock.say("N=%-3d %-16s not run: about %.0f s more would end the benchmark past %.0f s" % (
                    n, scenario, projected, limit))
                continue
            self.timed_run(scenario, n, 1, self.reps(scenario, n))

    def matrix_more_runs(self, tiers):
        """Runs 2.. of every scenario while the budget allows, tier by tier (EXTRA_RUN_TIERS), round by round in a tier."""
        most = max(self.reps(s, n) for s, dummy, dummy_heavy in SCENARIOS for n in self.sizes)
        for tier in tiers:
            for rep in range(2, most + 1):
                for n in self.sizes:
                    for scenario in tier:
                        if rep <= self.reps(scenario, n):
                            self.maybe_run(scenario, n, rep)

    def maybe_run(self, scenario, n, rep):
        """Run 'rep' of a scenario unless its first run's time says it would overrun the budget."""
        planned = self.reps(scenario, n)
        if (scenario, n) not in self.first_wall:
            return
        if self.clock.elapsed() + self.first_wall[(scenario, n)] + self.pending_heavy() + 10 > self.args.budget:
            self.skipped[(scenario, n)] = self.skipped.get((scenario, n), 0) + 1
            self.clock.say("N=%-3d %-16s run %d/%d: skipped, it would overrun the %.0f s budget" % (
                n, scenario, rep, planned, self.args.budget))
            return
        self.timed_run(scenario, n, rep, planned)

    def warm_up(self):
        """One untimed run of the role and of the careful baseline: byte-compiles and fills caches."""
        self.clock.say("warming up (not measured)")
        for scenario in ("role", "careful"):
            run = self.playbook(scenario, 10, "warmup-%s" % scenario)
            if run["rc"]:
                raise BenchError("the warm-up run of %s failed; see %s" % (scenario, run["log"]))

    # -- one customer_info call, part by part -------------------------------------------

    def breakdown(self):
        reps = 3 if self.args.quick else 7
        self.clock.say("one customer_info call, part by part (%d rounds)" % reps)
        self.sim.rate_limit(False)
        where = os.path.join(WORK, "breakdown")
        keep = os.path.join(where, "keep")
        os.makedirs(keep)
        env = self.env(ANSIBLE_KEEP_REMOTE_FILES="1", ANSIBLE_REMOTE_TEMP=keep)
        time_command([os.path.join(BIN, "ansible"), "all", "-i", "localhost,", "-c", "local",
                      "-e", "ansible_python_interpreter=%s" % sys.executable, "-m", "byteful.proxy.customer_info"], env)
        found = [os.path.join(d, f) for d, dummy, files in os.walk(keep) for f in files if f == "AnsiballZ_customer_info.py"]
        if not found:
            raise BenchError("ANSIBLE_KEEP_REMOTE_FILES left no AnsiballZ_customer_info.py under %s" % keep)
        module = os.path.join(where, "AnsiballZ_customer_info.py")
        shutil.copy(found[0], module)
        with open(module, encoding="utf-8") as handle:
            zip_data = re.search(r"^zip_data='([A-Za-z0-9+/=]+)'", handle.read(), re.MULTILINE)
        if not zip_data:
            raise BenchError("no zip_data in %s: the AnsiballZ format changed" % module)
        payload = os.path.join(where, "payload.zip")
        with open(payload, "wb") as handle:
            handle.write(base64.b64decode(zip_data.group(1)))
        probe = os.path.join(where, "probe.py")
        write(probe, PROBE)

        env = self.env()
        parts = {}
        whole, start = [], []
        for rep in range(reps):
            start.append(time_command([sys.executable, "-c", "pass"], env)[0])
            wall, out = time_command([sys.executable, module], env)
            if '"customer"' not in out:
                raise BenchError("the customer_info module printed no customer: %s" % out[-500:])
            whole.append(wall)
            marks = json.loads(time_command([sys.executable, probe, payload, "client-first" if rep % 2 else "bare-first"], env)[1])
            for key, value in marks.items():
                parts.setdefault(key, []).append(value)
        self.sim.rate_limit(True)
        self.sections["breakdown"] = dict(start=start, whole=whole, parts=parts, reps=reps)

    # -- rate limits ----------------------------------------------------------------------

    def parallel_runs(self):
        """K ansible-playbook runs of the role started at once against one account, default options."""
        n = self.sizes[0] if self.args.quick else 10
        cmd = [os.path.join(BIN, "ansible-playbook"), "-i", self.inventory(n), "-f", str(FORKS),
               os.path.join(WORK, "playbooks", "role.yml")]
        env = self.env()
        rows = []
        try:
            for k, limit in (QUICK_PARALLEL_RUNS if self.args.quick else PARALLEL_RUNS):
                self.clock.say("%d parallel ansible-playbook runs of the role, %d hosts each, API limit %d per second" % (k, n, limit))
                self.sim.rate_limit(True)
                self.sim.control("PUT", "/config", {"rate_limit_per_second": limit})
                self.sim.reset()
                procs = []
                start = time.perf_counter()
                for index in range(k):
                    log = open(os.path.join(WORK, "logs", "parallel-%d-%d.log" % (k, index)), "wb")
                    procs.append((subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                                   cwd=WORK), log))
                codes, walls = [], []
                for proc, log in procs:
                    codes.append(proc.wait())
                    walls.append(time.perf_counter() - start)  # an upper bound: runs are waited for in order
                    log.close()
                wall = time.perf_counter() - start
                stats = self.sim.stats()
                row = dict(k=k, n=n, limit=limit, wall=wall, codes=codes, calls=stats["requests"], r429=stats["responses_429"],
                           failed=sum(1 for code in codes if code), slowest=max(walls))
                rows.append(row)
                self.clock.say("  %d runs: %d failed, %d API calls, %d answered 429, %.1f s for the lot" % (
                    k, row["failed"], row["calls"], row["r429"], wall))
        finally:
            self.sim.control("PUT", "/config", {"rate_limit_per_second": 10})
        self.sections["parallel"] = rows

    def throttled(self):
        """Per-host calls against a limit this machine can exceed: what a faster controller meets at 10 per second."""
        n = self.sizes[0] if self.args.quick else THROTTLED_HOSTS
        results = []
        self.sim.control("PUT", "/config", {"rate_limit_per_second": THROTTLED_LIMIT})
        try:
            for scenario in ("naive", "customer_info"):
                self.clock.say("%s on %d hosts against a limit of %d requests per second" % (scenario, n, THROTTLED_LIMIT))
                run = self.playbook(scenario, n, "throttled-%s" % scenario, rate_limit=True)
                results.append(dict(run, scenario=scenario, n=n))
                self.clock.say("  %.1f s, %d API calls, %d answered 429, %d of %d hosts failed" % (
                    run["wall"], run["calls"], run["r429"], run["failed_hosts"], n))
        finally:
            self.sim.control("PUT", "/config", {"rate_limit_per_second": 10})
        self.sections["throttled"] = results

    def burst(self):
        script = os.path.join(WORK, "breakdown", "burst.py")
        write(script, BURST)
        env = self.env(PYTHONPATH=COLLECTIONS)
        results = []
        for count in ((12,) if self.args.quick else BURST_SIZES):
            self.clock.say("a burst of %d processes calling the API at once through the collection's client" % count)
            self.sim.rate_limit(True)
            self.sim.reset()
            wall, out = time_command([sys.executable, script, str(count)], env)
            outcomes = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
            stats = self.sim.stats()
            failures = [o for o in outcomes if not o["ok"]]
            result = dict(count=count, wall=wall, ok=len(outcomes) - len(failures), failed=len(failures), calls=stats["requests"],
                          r429=stats["responses_429"], attempts=max(o["attempts"] for o in outcomes),
                          slowest=max(o["seconds"] for o in outcomes),
                          message=failures[0].get("msg") if failures else None)
            results.append(result)
            self.clock.say("  %d succeeded, %d failed, %d requests, %d answered 429, slowest %.1f s" % (
                result["ok"], result["failed"], result["calls"], result["r429"], result["slowest"]))
        self.sections["burst"] = results

    # -- the forecast checks --------------------------------------------------------------

    def forecast_reps(self, n):
        return 1 if self.args.quick else FORECAST_REPS.get(n, 2)

    def forecast(self, within_budget=False):
        """The role with every forecast check on against the same checks by hand, each run once, at every size.

        Runs alternate between the two sides, round by round, so that a change in the machine's
        load spreads over both. ``within_budget``: repeats (not first runs) are skipped when the
        full benchmark's budget cannot pay for them.
        """
        env = self.env(BYTEFUL_API_PUBLIC_KEY=FORECAST_ACCOUNT)
        rows = {n: {"n": n, "role": [], "careful": []} for n in self.sizes}
        for rep in range(1, max(self.forecast_reps(n) for n in self.sizes) + 1):
            for n in self.sizes:
                if rep > self.forecast_reps(n):
                    continue
                for side in ("careful", "role"):
                    runs = rows[n][side]
                    if within_budget and runs and self.clock.elapsed() + runs[0]["wall"] + self.pending_heavy() + 10 > self.args.budget:
                        self.clock.say("N=%-3d forecast %-7s run %d: skipped, it would overrun the %.0f s budget" % (
                            n, side, rep, self.args.budget))
                        continue
                    run = self.playbook("forecast_" + side, n, "forecast-N%d-%s-%d" % (n, side, rep), env=env)
                    runs.append({key: run[key] for key in ("wall", "rc", "calls", "r429", "failed_hosts")})
                    self.clock.say("N=%-3d forecast %-7s run %d/%d: %6.2f s, %d API calls%s" % (
                        n, side, rep, self.forecast_reps(n), run["wall"], run["calls"],
                        "" if run["rc"] == 0 else "  EXIT %d, see %s" % (run["rc"], os.path.relpath(run["log"], TOP))))
        self.sections["forecast"] = [rows[n] for n in self.sizes]

    def run_forecast_only(self):
        """The forecast comparison alone, its section replaced (or added) in the existing Markdown."""
        self.clock.say("byteful.proxy forecast checks only; work directory %s" % os.path.relpath(WORK, TOP))
        uptime_before = uptime()
        self.prepare()
        self.sim.script = self.simulator
        try:
            self.sim.start()
            self.clock.say("the Byteful simulator listens at %s" % self.sim.base_url)
            self.forecast()
        finally:
            self.sim.stop()
        self.load_after = os.getloadavg()
        only = dict(command=self.args.command, measured_at=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                    load_before=self.load_before[0], load_after=self.load_after[0], uptime_before=uptime_before, uptime_after=uptime(),
                    source=self.source, machine=machine())
        results = dict(sizes=list(self.sizes), runs={}, skipped={}, not_run={}, sections=self.sections, only_run=only,
                       quick=self.args.quick)
        write(FORECAST_RESULTS, json.dumps(results, indent=1, sort_keys=True) + "\n")
        splice_forecast(results, self.args.output)
        self.clock.say("replaced the forecast section of %s (uptime before: %s; after: %s)" % (
            os.path.relpath(self.args.output, TOP), uptime_before, only["uptime_after"]))
        failed = [run for row in self.sections["forecast"] for side in ("role", "careful") for run in row[side] if run["rc"]]
        return 1 if failed else 0

    # -- one part only -----------------------------------------------------------------

    def run_rate_limits_only(self):
        """The parallel runs, the throttled per-host plays and the burst alone, their paragraphs replaced in the existing Markdown."""
        self.clock.say("byteful.proxy rate limits only (parallel runs, throttled plays, burst); work directory %s" % os.path.relpath(WORK, TOP))
        uptime_before = uptime()
        self.prepare()
        self.sim.script = self.simulator
        try:
            self.sim.start()
            self.clock.say("the Byteful simulator listens at %s" % self.sim.base_url)
            self.parallel_runs()
            self.throttled()
            self.burst()
        finally:
            self.sim.stop()
        self.load_after = os.getloadavg()
        only = dict(command=self.args.command, measured_at=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                    load_before=self.load_before[0], load_after=self.load_after[0], uptime_before=uptime_before, uptime_after=uptime(),
                    source=self.source, machine=machine())
        results = dict(sizes=list(self.sizes), runs={}, skipped={}, not_run={}, sections=self.sections, only_run=only)
        write(RATE_LIMIT_RESULTS, json.dumps(results, indent=1, sort_keys=True) + "\n")
        splice_rate_limits(results, self.args.output)
        self.clock.say("replaced the rate-limit paragraphs of %s (uptime before: %s; after: %s)" % (
            os.path.relpath(self.args.output, TOP), uptime_before, only["uptime_after"]))
        failed = [r for r in self.sections.get("parallel", []) if r["failed"]] + [r for r in self.sections.get("burst", []) if r["failed"]]
        return 1 if failed else 0

    # -- the whole ----------------------------------------------------------------------

    def results(self):
        """Everything the report needs, as JSON-friendly data (saved as .build/bench/results.json)."""
        def by_key(mapping):
            return {"%s|%d" % key: value for key, value in mapping.items()}
        return dict(sizes=list(self.sizes), runs=by_key(self.runs), skipped=by_key(self.skipped), not_run=by_key(self.not_run),
                    sections=self.sections, budget=self.args.budget, quick=self.args.quick, command=self.args.command,
                    elapsed=self.clock.elapsed(), load_before=list(self.load_before), load_after=list(self.load_after),
                    source=self.source, machine=machine(),
                    measured_at=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))

    def run(self):
        self.clock.say("benchmark of byteful.proxy%s; work directory %s" % (" (quick)" if self.args.quick else "", os.path.relpath(WORK, TOP)))
        self.prepare()
        self.sim.script = self.simulator
        try:
            self.sim.start()
            self.clock.say("the Byteful simulator listens at %s" % self.sim.base_url)
            self.warm_up()
            self.matrix_first_pass()
            self.breakdown()
            self.parallel_runs()
            self.throttled()
            self.burst()
            self.forecast(within_budget=True)
            # Repeats of the comparison the targets are about, keeping time for the per-host scenarios'
            # runs at the largest size; then those; then whatever repeats the budget still allows.
            self.matrix_more_runs(EXTRA_RUN_TIERS[:1])
            self.heavy_at_largest()
            self.matrix_more_runs(EXTRA_RUN_TIERS[1:])
        finally:
            self.sim.stop()
        self.load_after = os.getloadavg()
        results = self.results()
        write(RESULTS, json.dumps(results, indent=1, sort_keys=True) + "\n")
        write(self.args.output, Report(results).render())
        self.clock.say("wrote %s" % os.path.relpath(self.args.output, TOP))
        # Only the naive baseline may fail (a 429 fails uri); any other failure makes the numbers meaningless.
        failed = sorted({"%s at N=%d" % key for key, runs in self.runs.items() for run in runs if run["rc"] and key[0] != "naive"} |
                        {"forecast %s at N=%d" % (side, row["n"]) for row in self.sections.get("forecast", [])
                         for side in ("role", "careful") for run in row[side] if run["rc"]})
        if failed:
            print("tools/bench.py: runs failed (%s): see the logs under %s" % (", ".join(failed), os.path.relpath(os.path.join(WORK, "logs"), TOP)),
                  file=sys.stderr)
            return 1
        return 0


# ---------------------------------------------------------------------------------------------
# docs/performance.md
# ---------------------------------------------------------------------------------------------

def splice_rate_limits(results, output):
    """Replace the rate-limit paragraphs of an existing performance.md with those of a --only rate-limits run."""
    report = Report(results)
    try:
        with open(output, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise BenchError("cannot read %s to replace its rate-limit paragraphs (%s): run the full benchmark first" % (output, exc))
    for start, part in (("**Parallel runs.**", report.parallel_part()), ("**A controller faster than the limit.**", report.throttled_part()),
                        ("**The client in a 429 burst.**", report.burst_part())):
        pattern = re.compile(re.escape(start) + r".*?(?=\*\*The naive baseline|\*\*A controller faster|\*\*The client in a 429 burst|## Caveats)",
                             re.S)
        if not pattern.search(text):
            raise BenchError("%s has no paragraph starting %s to replace" % (output, start))
        text = pattern.sub(lambda dummy, part=part: "\n".join(part) + "\n", text, count=1)
    write(output, text)


def splice_forecast(results, output):
    """Replace (or add, before the rate limits) the forecast section of an existing performance.md with a --only forecast run's."""
    part = "\n".join(Report(results).forecast_part()) + "\n"
    try:
        with open(output, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise BenchError("cannot read %s to replace its forecast section (%s): run the full benchmark first" % (output, exc))
    pattern = re.compile(re.escape(FORECAST_HEADING) + r".*?(?=^## )", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda dummy: part, text, count=1)
    elif "\n## Rate limits at scale" in text:
        text = text.replace("\n## Rate limits at scale", "\n" + part + "## Rate limits at scale", 1)
    else:
        raise BenchError("%s has neither a forecast section nor a '## Rate limits at scale' heading to put one before" % output)
    write(output, text)


def uptime():
    done = subprocess.run(["uptime"], capture_output=True, check=False)
    return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else "(uptime failed)"


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        from ansible.release import __version__ as ansible_version
    except ImportError:
        ansible_version = "unknown"
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kib = int(re.search(r"MemTotal:\s+(\d+)", handle.read()).group(1))
        memory = ", %.0f GiB of memory" % (kib / 1024 / 1024)
    except (OSError, AttributeError):
        pass
    return "%s, %d cores%s; %s %s; Python %s; ansible-core %s" % (
        cpu, os.cpu_count() or 0, memory, platform.system(), platform.release(), platform.python_version(), ansible_version)


def call_counts(runs):
    """The API calls of a scenario's runs: '6', or '6-7' when they differed."""
    counts = sorted({run["calls"] for run in runs})
    return str(counts[0]) if len(counts) == 1 else "%d-%d" % (counts[0], counts[-1])


def short_task(name):
    """A role task's name without the role prefix and the argument spec's description."""
    return name.split(" : ", 1)[-1].split(" - ", 1)[0]


def secs(value):
    return "%.2f" % value


def ms(value):
    return "%.0f" % (value * 1000)


class Report:
    """The Markdown of docs/performance.md from a finished Bench's results (see Bench.results)."""

    def __init__(self, results):
        def by_key(mapping):
            return {(key.rsplit("|", 1)[0], int(key.rsplit("|", 1)[1])): value for key, value in mapping.items()}
        data = dict(results, runs=by_key(results["runs"]), skipped=by_key(results["skipped"]), not_run=by_key(results["not_run"]))
        self.b = argparse.Namespace(**data)
        self.lines = []

    def add(self, *lines):
        self.lines.extend(lines)

    def wall(self, scenario, n):
        return median([r["wall"] for r in self.b.runs.get((scenario, n), [])])

    def render(self):
        b = self.b
        self.add("# Performance: byteful.proxy against hand-written `uri` + `assert`", "",
                 "<!-- Written by tools/bench.py: rerun it rather than edit this file. -->", "",
                 "Measured %s on %s." % (b.measured_at, b.machine),
                 "The whole benchmark took %.0f s (budget %.0f s); load average %.2f before, %.2f after." % (
                     b.elapsed, b.budget, b.load_before[0], b.load_after[0]),
                 "The collection was built from %s." % b.source,
                 "", "Rerun it from a clone with one command (it writes nothing outside `.build/bench` but this file); `make build`",
                 "or any other target that needs `.venv` creates the venv first:", "",
                 "```sh", b.command, "```", "")
        if b.quick:
            self.add("**This is a `--quick` run (5 hosts, one run each): for development only, not for publishing.**", "")
        self.add(*self.method())
        self.add(*self.tables())
        self.add(*self.targets())
        self.add(*self.role_tasks())
        self.add(*self.breakdown())
        self.add(*self.memory())
        self.add(*self.forecast_part())
        self.add(*self.rate_limits())
        self.add(*self.caveats())
        return "\n".join(self.lines).rstrip() + "\n"

    def method(self):
        return [
            "## What runs", "",
            "Every scenario is a real `ansible-playbook` run (`gather_facts: false`, forks %d) against a local-connection" % FORKS,
            "inventory of N hosts (`ansible_connection=local`, `ansible_python_interpreter` the venv's Python), with the",
            "collection built and installed by `ansible-galaxy` into `.build/bench/collections`, and the Byteful simulator",
            "(`tests/simulator/`) on a free port of 127.0.0.1 as the API; its request counter gives the",
            "API calls. The thresholds are the same everywhere: credit at least $%.2f, residential data at least %s," % (
                MIN_CREDIT / 100.0, MIN_RESIDENTIAL),
            "an active residential service (the simulated account passes all three).", "",
            "| scenario | what it is |", "|---|---|",
            "| careful baseline | `ansible.builtin.uri` to the customer endpoint with `run_once: true` and `delegate_to: localhost`, "
            "then `ansible.builtin.assert` with `run_once: true` |",
            "| preflight role | `roles: [byteful.proxy.preflight]` with the thresholds as role vars |",
            "| naive baseline | the same `uri` and `assert` on every host (no `run_once`) |",
            "| lookup in set_fact | `set_fact: byteful_credit: \"{{ lookup('byteful.proxy.customer', 'credit_balance') }}\"` on every host |",
            "| lookup in template | `ansible.builtin.template` on every host, of a file with two `byteful.proxy.customer` lookups |",
            "| role, rolespec_validate: false | diagnostic: the role through `import_role` without Ansible's per-host argument validation |",
            "| set_fact of a constant | control for the lookup in set_fact: the same task with a constant instead of the lookup |",
            "",
            "Wall time is the median of the runs, with the fastest and slowest shown, and the number of runs. Everything",
            "runs once first (after an uncounted warm-up run of the role and the careful baseline); then the role and the",
            "careful baseline are repeated, then the per-host scenarios (naive, template) run their one run at N = %d," % max(
                self.b.sizes),
            "which costs minutes on 2 cores, then the other scenarios are repeated. Repeats the time budget (%.0f s) cannot" % (
                self.b.budget),
            "pay for are counted as skipped; a per-host run at N = %d that would end the benchmark past %.0f s is left" % (
                max(self.b.sizes), self.b.budget + HARD_MARGIN),
            "out, and its row says so. Repeats go round by round, so that a change in the machine's load spreads over the",
            "scenarios.", "",
            "**The rate limit.** The simulator enforces the API's 10 requests per second per account, and it is on for",
            "every run, the naive baseline's included: that is how the real API behaves. `uri` does not retry a 429, so a",
            "naive run that reaches the limit fails hosts, which then skip their `assert` (a failed run can only look",
            "faster, never slower); the tables show the 429 answers and failed hosts of each scenario.", ""]

    def tables(self):
        b = self.b
        out = ["## Results", ""]
        for n in b.sizes:
            careful = self.wall("careful", n)
            out += ["### N = %d hosts" % n, "",
                    "| scenario | wall time, median (s) | min-max (s) | runs | API calls per run | answered 429 (hosts failed) "
                    "| x careful baseline | controller peak RSS (MiB) |",
                    "|---|---:|---:|---:|---:|---:|---:|---:|"]
            for scenario, label, dummy in SCENARIOS:
                runs = b.runs.get((scenario, n), [])
                if not runs:
                    if (scenario, n) in b.not_run:
                        out.append("| %s | not run | about %.0f s projected | 0 | | | | |" % (label, b.not_run[(scenario, n)]))
                    continue
                walls = [r["wall"] for r in runs]
                calls = sorted({r["calls"] for r in runs})
                failed = [r for r in runs if r["rc"]]
                runs_text = str(len(runs))
                if b.skipped.get((scenario, n)):
                    runs_text += " (%d skipped)" % b.skipped[(scenario, n)]
                calls_text = str(calls[0]) if len(calls) == 1 else "%d-%d" % (calls[0], calls[-1])
                if failed:
                    calls_text += " (%d run%s failed)" % (len(failed), "" if len(failed) == 1 else "s")
                throttled = max(r["r429"] for r in runs)
                hosts_failed = max(r["failed_hosts"] for r in runs)
                out.append("| %s | %s | %s-%s | %s | %s | %s | %s | %.0f |" % (
                    label, secs(median(walls)), secs(min(walls)), secs(max(walls)), runs_text, calls_text,
                    "%d (%d)" % (throttled, hosts_failed) if throttled or hosts_failed else "0",
                    "%.2f" % (median(walls) / careful), median([r["rss_kib"] for r in runs]) / 1024.0))
            out.append("")
        return out

    def targets(self):
        b = self.b
        out = ["## Targets", "", "| target | measured | |", "|---|---|---|"]
        # 1 API call per run for the role and the lookup at every N.
        for scenario in ("role", "lookup_set_fact", "lookup_template"):
            counts = {n: sorted({r["calls"] for r in b.runs.get((scenario, n), [])}) for n in b.sizes}
            met = all(c == [1] for c in counts.values() if c)
            out.append("| 1 API call per run: %s, every N | %s | %s |" % (
                LABELS[scenario].strip("*"),
                "; ".join("N=%d: %s" % (n, "/".join(str(x) for x in c) or "not run") for n, c in counts.items()),
                "not measured" if not any(counts.values()) else
                ("met" if met else "**missed**") + ("" if all(counts.values()) else " (where measured)")))
        larger = [n for n in b.sizes if n >= 100] or [max(b.sizes)]
        for n in larger:
            role, careful, naive = self.wall("role", n), self.wall("careful", n), self.wall("naive", n)
            diff = role - careful
            if role <= careful:
                verdict = "met (%.2f s, %.0f%% faster)" % (-diff, -100.0 * diff / careful)
            else:
                verdict = "**missed** by %.2f s (%.0f%%)%s" % (diff, 100.0 * diff / careful, self.why_role_slower(n))
            out.append("| role wall time <= careful baseline, N=%d | role %s s, careful %s s | %s |" % (n, secs(role), secs(careful), verdict))
            factor = naive / role
            if math.isnan(naive):
                out.append("| role several times faster than the naive baseline, N=%d | naive not run (time limit) | not measured |" % n)
                continue
            out.append("| role several times faster than the naive baseline, N=%d | naive %s s / role %s s = %.1fx | %s |" % (
                n, secs(naive), secs(role), factor, "met" if factor >= 3 else "**missed** (under 3x)"))
        share = self.overhead()
        if share is not None:
            out.append("| customer_info: imports + validation < 30%% of one call | %.1f%% (%s of %s ms) | %s |" % (
                100 * share[0], ms(share[1]), ms(share[2]),
                "met" if share[0] < 0.30 else "**missed** by %.1f percentage points: see the breakdown below" % (100 * share[0] - 30)))
        n = max(b.sizes)
        role_rss = median([r["rss_kib"] for r in b.runs.get(("role", n), [])]) / 1024.0
        careful_rss = median([r["rss_kib"] for r in b.runs.get(("careful", n), [])]) / 1024.0
        out.append("| memory: peak RSS of the controller, role vs careful baseline, N=%d | %.0f MiB vs %.0f MiB | noted (%+.0f MiB) |" % (
            n, role_rss, careful_rss, role_rss - careful_rss))
        out.append("")
        return out

    def why_role_slower(self, n):
        novalidate = self.wall("role_novalidate", n)
        per_host = [name for name, count in self.role_task_counts(n) if count >= n > 1]
        words = ""
        if per_host:
            words += ": %s ran on all %d hosts" % (", ".join("`%s`" % short_task(name) for name in per_host), n)
        if not math.isnan(novalidate):
            words += "; without it (rolespec_validate: false) the role takes %s s, %.2fx the careful baseline" % (
                secs(novalidate), novalidate / self.wall("careful", n))
        return words

    def role_task_counts(self, n):
        runs = self.b.runs.get(("role", n), [])
        return task_hosts(runs[0]["log"]) if runs else []

    def role_tasks(self):
        b = self.b
        n = max(b.sizes)
        counts = self.role_task_counts(n)
        if not counts:
            return []
        out = ["## Where the time goes", "",
               "The tasks of one role run at N = %d, and the number of hosts each ran for (from the run's output):" % n, "",
               "| task | hosts |", "|---|---:|"]
        out += ["| %s | %d |" % (short_task(name).replace("|", "\\|"), count) for name, count in counts]
        out.append("")
        per_host = [short_task(name) for name, count in counts if count >= n > 1]
        role, novalidate = self.wall("role", n), self.wall("role_novalidate", n)
        if per_host:
            out += ["**The role.** %s runs for every host. Ansible inserts this task itself, for the role's" % (
                " and ".join("`%s`" % name for name in per_host)),
                "`meta/argument_specs.yml`, and without `run_once`: every host costs a worker process although the",
                "arguments are the same for all hosts."]
            if not math.isnan(novalidate):
                out.append("Without it (`import_role` with `rolespec_validate: false`) the role takes %s s instead of %s s at N = %d%s." % (
                    secs(novalidate), secs(role), n, ", %.1f ms of wall time per host" % (1000.0 * (role - novalidate) / n)
                    if role > novalidate else ": no difference this run could measure"))
            out.append("")
        lookup, constant = self.wall("lookup_set_fact", n), self.wall("set_fact_constant", n)
        section = b.sections.get("breakdown")
        if not math.isnan(lookup) and not math.isnan(constant):
            out += ["**The lookup on every host.** `set_fact` with the lookup takes %s s at N = %d against %s s for the same" % (
                secs(lookup), n, secs(constant)),
                "task with a constant: the lookup costs %.1f ms of wall time per host although only the first host calls the API." % (
                    1000.0 * (lookup - constant) / n),
                "Ansible renders each host's task in a worker process forked for that host and task, and loads the lookup",
                "plugin there, afresh, with the collection's module_utils (compiled from source by Ansible's collection",
                "loader), then reads the run cache under its lock. `requests` and `jsonschema` are imported only by the",
                "worker that calls the API: a cached answer does not pay for them. (The template scenario's time goes",
                "mostly to Ansible's own per-host work for a template: a `stat` and a `copy` module process per host.)"]
            if section:
                p = {k: median(v) for k, v in section["parts"].items()}
                out += ["In a fresh interpreter, importing requests and jsonschema takes %s ms (requests %s, jsonschema %s), which" % (
                    ms(p["import_requests"] + p["import_jsonschema"]), ms(p["import_requests"]), ms(p["import_jsonschema"])),
                    "every host paid before they were made lazy; the collection's module_utils take %s ms." % ms(p["import_module_utils"])]
            out.append("")
        return out

    def overhead(self):
        section = self.b.sections.get("breakdown")
        if not section:
            return None
        p = {k: median(v) for k, v in section["parts"].items()}
        whole = median(section["whole"])
        over = p["import_requests"] + p["import_jsonschema"] + p["import_module_utils"] + p["validate_first"]
        return over / whole, over, whole

    def breakdown(self):
        section = self.b.sections.get("breakdown")
        if not section:
            return []
        p = {k: median(v) for k, v in section["parts"].items()}
        start = median(section["start"])
        whole = median(section["whole"])
        rows = [
            ("interpreter start (`python -c pass`)", start),
            ("import `ansible.module_utils.basic` (every module pays it)", p["import_basic"]),
            ("import `requests`", p["import_requests"]),
            ("import `jsonschema`", p["import_jsonschema"]),
            ("import the collection's `_api` and `_customer` (with requests and jsonschema already loaded)", p["import_module_utils"]),
            ("HTTP round trip through `BytefulClient.get` (new session and connection)", p["http_client"]),
            ("validation, first call in the process (builds the validator: `check_schema` + compile)", p["validate_first"]),
        ]
        rest = whole - sum(value for dummy, value in rows)
        rows.append(("the rest: AnsiballZ unpacking, argument parsing, JSON output, interpreter exit", rest))
        share = self.overhead()
        out = ["## One `customer_info` call, part by part", "",
               "The module as Ansible runs it: the AnsiballZ file Ansible wrote for `ansible -m byteful.proxy.customer_info`",
               "(kept with `ANSIBLE_KEEP_REMOTE_FILES`), started %d times with the venv's Python, is the whole. The parts come" % section["reps"],
               "from a probe run as many times in fresh interpreters, which imports the same modules from the same AnsiballZ",
               "payload zip (so the collection's code is compiled from source, as in a real run) and times each step.",
               "Medians in milliseconds:", "",
               "| part | ms | share of the whole |", "|---|---:|---:|"]
        out += ["| %s | %s | %.0f%% |" % (name, ms(value), 100 * value / whole) for name, value in rows]
        out += ["| **whole `customer_info` call** (min-max %s-%s ms) | **%s** | 100%% |" % (
            ms(min(section["whole"])), ms(max(section["whole"])), ms(whole)),
            "| validation again in the same process (validator already built) | %.1f | |" % (p["validate_again"] * 1000),
            "| a bare `requests.get` of the same URL in the same process | %s | |" % ms(p["http_bare"]),
            ""]
        beyond = p["import_jsonschema"] + p["import_module_utils"] + p["validate_first"]
        out += ["Imports of requests, jsonschema and the collection's module_utils plus the first validation: **%s ms, %.1f%%**" % (
            ms(share[1]), 100 * share[0]) + " of the call (target: under 30%). Beyond what a script with a bare `requests.get`",
            "would also load (requests), the collection adds %s ms (%.0f%%). The client's round trip is %s ms against %s ms" % (
                ms(beyond), 100 * beyond / whole, ms(p["http_client"]), ms(p["http_bare"])),
            "for the bare `requests.get`: its checks (no redirects, bounded body and time) cost next to nothing.", ""]
        if share[0] >= 0.30:
            biggest = sorted((("import `jsonschema`", p["import_jsonschema"]), ("import `requests`", p["import_requests"]),
                              ("the first validation", p["validate_first"]), ("the collection's module_utils", p["import_module_utils"])),
                             key=lambda item: -item[1])
            out += ["**Missed** by %.1f percentage points. The largest parts are %s. The call itself is small (the HTTP round trip to the" % (
                100 * share[0] - 30, ", ".join("%s (%s ms)" % (name, ms(value)) for name, value in biggest[:3])),
                "local simulator takes a few milliseconds), so fixed per-process costs dominate; against the real API over the",
                "internet the round trip takes tens to hundreds of milliseconds and the share falls. Within the collection, the first",
                "validation's `check_schema` (checking the constant schema against the 2020-12 meta-schema, in every process)",
                "could move to the unit tests, and jsonschema's import could be avoided for this fixed, flat schema.", ""]
        return out

    def memory(self):
        b = self.b
        n = max(b.sizes)
        out = ["## Memory", "",
               "Peak resident set (RSS) at N = %d, medians: of the `ansible-playbook` controller process itself (its VmHWM," % n,
               "read from /proc while it runs), and of the largest process of the whole run (`wait4()`'s `ru_maxrss`, which",
               "includes the workers the controller forks, one per host and task):", "",
               "| scenario | controller (MiB) | largest process of the run (MiB) |", "|---|---:|---:|"]
        for scenario, label, dummy in SCENARIOS:
            runs = b.runs.get((scenario, n), [])
            if runs:
                own = median([r["rss_kib"] for r in runs]) / 1024.0
                out.append("| %s | %.0f | %.0f |" % (label, own, median([r["tree_rss_kib"] for r in runs]) / 1024.0))
        out.append("")
        role, novalidate, careful = (median([r["rss_kib"] for r in b.runs.get((key, n), [])]) / 1024.0
                                     for key in ("role", "role_novalidate", "careful"))
        if role - careful > 3 and not math.isnan(novalidate):
            out.append("The role's controller peaks %.0f MiB above the careful baseline's at N = %d." % (role - careful, n))
            if role - novalidate > 3:
                out += ["Of that, %.0f MiB go with the per-host argument validation (the role imported with `rolespec_validate: false`" % (
                    role - novalidate),
                    "peaks at %.0f MiB): one more task result per host through the controller, each carrying the task's" % novalidate,
                    "arguments, which hold the role's whole argument spec."]
            out += ["%.0f MiB are there at every N: Ansible loads each task's action plugin in the controller process, and" % (
                novalidate - careful),
                "`byteful.proxy.preflight_check` imports `jsonschema` when it validates the customer again (it sends no",
                "request, so `requests` stays unloaded).", ""]
        return out

    def forecast_part(self):
        rows = self.b.sections.get("forecast")
        if not rows:
            return []
        out = [FORECAST_HEADING, "",
               "Issue 13's checks, every one on: credit against a $%.2f reserve plus a quoted purchase (10 x `isp_us`, 1 month)" % (
                   MIN_CREDIT / 100.0),
               "plus the renewals due within 7 days, residential data left (at least %s and 4 days at the last 14 days' average)," % (
                   MIN_RESIDENTIAL),
               "mobile data for 2 days, room for 1 more proxy user, 7 days left on services that will not renew by themselves,",
               "no service overdue or paused, an active residential service, and a JSON report. The role",
               "(`byteful.proxy.preflight` with the variables set) runs against the same checks written by hand: `ansible.builtin.uri`",
               "once per endpoint (`run_once`, `delegate_to: localhost`) and one `ansible.builtin.assert` with the arithmetic in",
               "Jinja (which reads one page of services, does not retry a 429 and compares expiry dates as text). Both run against",
               "the simulated account `%s`, which passes every check, on N local-connection hosts with forks %d." % (FORECAST_ACCOUNT, FORKS),
               ""]
        out += self.measured_apart()
        if getattr(self.b, "quick", False):
            out += ["**This is a `--quick` run (5 hosts, one run each): for development only, not for publishing.**", ""]
        out += ["| N | role (s) | hand-written (s) | role / hand-written | API calls per run: role | hand-written | runs |",
                "|---:|---:|---:|---:|---:|---:|---:|"]
        for row in rows:
            role, careful = row["role"], row["careful"]
            if not role or not careful:
                continue
            role_wall, careful_wall = median([r["wall"] for r in role]), median([r["wall"] for r in careful])
            failed = sum(1 for r in role + careful if r["rc"])
            out.append("| %d | %s (%s-%s) | %s (%s-%s) | %.2f | %s | %s | %d + %d%s |" % (
                row["n"], secs(role_wall), secs(min(r["wall"] for r in role)), secs(max(r["wall"] for r in role)),
                secs(careful_wall), secs(min(r["wall"] for r in careful)), secs(max(r["wall"] for r in careful)),
                role_wall / careful_wall, call_counts(role), call_counts(careful), len(role), len(careful),
                ", %d failed" % failed if failed else ""))
        out += ["", "Wall time is the median of the runs (fastest-slowest in brackets). Neither side's API calls grow with N: both",
                "read each endpoint once per run. The role's per-host cost is Ansible's argument validation of the role on every",
                "host (see the role's README, *Large inventories*); what it adds over the hand-written play is the validation of",
                "every answer against its schema, paging, retries and the report.", ""]
        return out

    def rate_limits(self):
        b = self.b
        out = ["## Rate limits at scale", ""]
        out += self.parallel_part()
        naive = [(n, b.runs[("naive", n)]) for n in b.sizes if b.runs.get(("naive", n))]
        if naive:
            out += ["**The naive baseline against the limit.** It ran with the limit on, like every scenario (see the tables):", ""]
            for n, runs in naive:
                worst = max(runs, key=lambda r: (r["r429"], r["failed_hosts"]))
                out.append("- N = %d: %d API calls in %.1f s (%.1f per second on average), %d answered 429, %d host%s failed." % (
                    n, worst["calls"], worst["wall"], worst["calls"] / worst["wall"], worst["r429"], worst["failed_hosts"],
                    "" if worst["failed_hosts"] == 1 else "s"))
            out.append("")
            if any(r["r429"] for n, runs in naive for r in runs):
                out += ["`uri` treats a 429 as a failure and does not retry it, so every throttled host fails its preflight: the",
                        "naive pattern does not just cost time, it breaks as the inventory grows.", ""]
            else:
                out += ["This machine cannot start `uri` modules fast enough to reach 10 requests per second (each is a Python",
                        "process of a few hundred milliseconds of CPU, on 2 cores), so the limit was not reached here. A controller",
                        "with more cores would reach it with forks 10 or more, and `uri` does not retry a 429: those hosts would",
                        "fail their preflight.", ""]
        out += self.throttled_part()
        out += self.burst_part()
        return out

    def measured_apart(self):
        """The line saying when a part measured with --only was measured, if it was."""
        only = getattr(self.b, "only_run", None)
        if not only:
            return []
        return ["*Measured on its own with `%s` at %s, with a load average of %.2f before and %.2f after (`uptime`: the"
                % (only["command"], only["measured_at"], only["load_before"], only["load_after"]),
                "machine's 2 cores are shared); the rest of this file comes from the full run above.*", ""]

    def parallel_part(self):
        rows = self.b.sections.get("parallel")
        if not rows:
            return []
        if isinstance(rows, dict):  # the one-row format of earlier runs
            rows = [dict(rows, limit=10, failed=sum(1 for c in rows["codes"] if c), slowest=rows["wall"])]
        out = ["**Parallel runs.** K `ansible-playbook` runs of the role, %d hosts each, started at once against one" % rows[0]["n"],
               "account with default options, as on AWX or a CI farm:", ""]
        out += self.measured_apart()
        out += ["| runs (K) | API limit (requests/s) | succeeded | failed | API calls | answered 429 | calls / limit (s) | slowest run (s) |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in rows:
            out.append("| %d | %d | %d | %d | %d | %d | %.1f | %.1f |" % (
                r["k"], r["limit"], r["k"] - r["failed"], r["failed"], r["calls"], r["r429"], r["calls"] / r["limit"], r["slowest"]))
        out += ["", "Each run makes one call (its cache lives in its own temporary directory). The runs of one machine take",
                "turns through a per-account file in a directory private to the user (it holds no key), at most 10 requests",
                "per second between them; a 429 pauses all of them for the `Retry-After`, halves their pace, and lets the",
                "refused requests go first when the pause ends, so that a run is refused at most once in the common case.",
                "30 runs against an API that admits 3 requests per second stand for 100 runs against the real 10.",
                "*calls / limit* is the least time the API's limit allows for all the calls; the rest of the slowest run's",
                "time is not the API's: K `ansible-playbook` processes started at once share the machine's cores (see the",
                "load average above).", ""]
        return out

    def throttled_part(self):
        throttled = self.b.sections.get("throttled")
        if not throttled:
            return []
        n = throttled[0]["n"]
        out = ["**A controller faster than the limit.** To see what a controller that sends more than 10 requests per",
               "second meets, the simulator's limit was lowered to %d requests per second, below this machine's pace," % THROTTLED_LIMIT,
               "and two per-host plays ran on %d hosts:" % n, ""]
        out += self.measured_apart()
        out += ["| play | wall time (s) | API calls | answered 429 | hosts failed |", "|---|---:|---:|---:|---:|"]
        names = {"naive": "`uri` + `assert` on every host (naive baseline)",
                 "customer_info": "`byteful.proxy.customer_info` on every host (the collection's client: retries 429)"}
        for r in throttled:
            out.append("| %s | %.1f | %d | %d | %d of %d |" % (names[r["scenario"]], r["wall"], r["calls"], r["r429"], r["failed_hosts"], n))
        client = [r for r in throttled if r["scenario"] == "customer_info"]
        out += ["", "`uri` fails a host on its first 429; the collection's client waits the `Retry-After` plus jitter and tries",
                "again for up to `rate_limit_wait` (30 s), and the module processes of one controller share one pace that a",
                "429 slows down, so %s The run-once role needs neither: it makes one call per run." % (
                    "the same burst costs time instead of failed hosts." if client and not client[0]["failed_hosts"]
                    else "fewer hosts fail, but at this pace some still run out of time."), ""]
        return out

    def burst_part(self):
        bursts = self.b.sections.get("burst")
        if not bursts:
            return []
        out = ["**The client in a 429 burst.** P processes call the API through the collection's `BytefulClient` at the",
               "same instant with its default options (`retries` 3, `rate_limit_wait` 30 s), rate limit of 10 requests per",
               "second on:", ""]
        out += self.measured_apart()
        out += ["| processes | succeeded | failed | requests | answered 429 | most requests by one process | slowest (s) |",
                "|---:|---:|---:|---:|---:|---:|---:|"]
        for r in bursts:
            out.append("| %d | %d | %d | %d | %d | %d | %.1f |" % (
                r["count"], r["ok"], r["failed"], r["calls"], r["r429"], r["attempts"], r["slowest"]))
        out.append("")
        failed = [r for r in bursts if r["failed"]]
        out += ["The processes share the machine's pace of 10 requests per second, so the API is asked at the pace it",
                "admits and the burst costs time (about P / 10 seconds) instead of failures; a 429 is retried for up to",
                "`rate_limit_wait` seconds after the `Retry-After` plus up to half of it at random."]
        if failed:
            out += ["Some failed, each with one sentence, here:", "", "> %s" % failed[0]["message"], ""]
        else:
            out.append("")
        return out

    def caveats(self):
        return ["## Caveats", "",
                "- Local-connection hosts all run on the controller, so the per-host scenarios measure the controller's cost of",
                "  a task per host (a worker process, and a Python module process for `uri` and `template`) rather than a",
                "  network; against real hosts over SSH they would be slower still, and the run-once scenarios would not change.",
                "- The simulator answers in a few milliseconds; the real API's latency adds the same amount to every",
                "  scenario that calls it once, and N times (divided by forks) to the naive baseline.",
                "- Timings depend on what else the machine does: compare the ratios, and rerun on an idle machine before",
                "  publishing numbers.", ""]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="5 hosts and one run of each, for development (~1 minute)")
    parser.add_argument("--output", help="the Markdown file to write (default: docs/performance.md; .build/bench/performance-quick.md with --quick)")
    parser.add_argument("--ref", help="benchmark this git revision (exported with git archive) instead of the checkout as it is")
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET,
                        help="seconds the whole benchmark may take; repeated runs are skipped to stay within it (default: %(default)s)")
    argv = sys.argv[1:] if argv is None else argv
    parser.add_argument("--only", choices=["rate-limits", "forecast"],
                        help="measure one part only (rate-limits: the parallel runs, the throttled per-host plays and the burst; "
                             "forecast: the role with every forecast check on against the same checks by hand) and replace its "
                             "paragraphs in the existing Markdown, saying when it was measured")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: write the Markdown again from the last run's %s" % os.path.relpath(RESULTS, TOP))
    args = parser.parse_args(argv)
    args.command = shlex.join([COMMAND.split()[0], COMMAND.split()[1]] + argv)
    explicit_output = args.output
    if not args.output:
        args.output = os.path.join(WORK, "performance-quick.md") if args.quick else DEFAULT_OUTPUT
    args.output = os.path.abspath(args.output)
    if args.report_only and args.only == "rate-limits":
        try:
            with open(RATE_LIMIT_RESULTS, encoding="utf-8") as handle:
                results = json.load(handle)
            splice_rate_limits(results, args.output if explicit_output else DEFAULT_OUTPUT)
        except (OSError, ValueError, BenchError) as exc:
            print("tools/bench.py: %s" % exc, file=sys.stderr)
            return 1
        print("replaced the rate-limit paragraphs from %s" % os.path.relpath(RATE_LIMIT_RESULTS, TOP))
        return 0
    if args.report_only and args.only == "forecast":
        try:
            with open(FORECAST_RESULTS, encoding="utf-8") as handle:
                results = json.load(handle)
            splice_forecast(results, args.output if explicit_output else DEFAULT_OUTPUT)
        except (OSError, ValueError, BenchError) as exc:
            print("tools/bench.py: %s" % exc, file=sys.stderr)
            return 1
        print("replaced the forecast section from %s" % os.path.relpath(FORECAST_RESULTS, TOP))
        return 0
    if args.report_only:
        try:
            with open(RESULTS, encoding="utf-8") as handle:
                results = json.load(handle)
        except (OSError, ValueError) as exc:
            print("tools/bench.py: cannot read %s (%s): run the benchmark first" % (RESULTS, exc), file=sys.stderr)
            return 1
        if not explicit_output:
            args.output = os.path.join(WORK, "performance-quick.md") if results["quick"] else DEFAULT_OUTPUT
        write(args.output, Report(results).render())
        print("wrote %s" % os.path.relpath(args.output, TOP))
        return 0
    try:
        if args.only == "rate-limits":
            if not explicit_output:
                args.output = DEFAULT_OUTPUT
            return Bench(args).run_rate_limits_only()
        if args.only == "forecast":
            if not explicit_output:
                if args.quick:
                    raise BenchError("--only forecast --quick measures 5 hosts only: give --output (a copy of docs/performance.md), "
                                     "so that docs/performance.md keeps figures measured at N = 10, 100 and 500")
                args.output = DEFAULT_OUTPUT
            return Bench(args).run_forecast_only()
        return Bench(args).run()
    except BenchError as exc:
        print("tools/bench.py: %s" % exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tools/bench.py: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
