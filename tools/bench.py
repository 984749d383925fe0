# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark the gate against the hand-written play it replaces, and write docs/performance.md.

    .venv/bin/python tools/bench.py                     # everything in tools/bench/scenarios.yml (make bench)
    .venv/bin/python tools/bench.py --only every_check  # some parts again: every_check, base, parallel, burst
    .venv/bin/python tools/bench.py --quick             # 5 hosts, one run each, written under .build/bench

What runs is data: tools/bench/scenarios.yml and the playbooks beside it. The collection is built and
installed into .build/bench/collections as a user installs it, the Byteful simulator (tests/simulator)
listens on a free local port, and every run is a real ansible-playbook command. A run records its wall
time, the API calls the simulator counted, the largest resident set among its processes, and the
machine's load average before and after. Results are kept per part in .build/bench/results.json, so
that --only reruns a part and the document keeps the others; each table says which command made it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
import urllib.request

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(TOP, "tools", "bench")
WORK = os.path.join(TOP, ".build", "bench")
BIN = os.path.dirname(os.path.abspath(sys.executable))
COMMAND = ".venv/bin/python tools/bench.py"


def say(text):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), text), flush=True)


def load():
    return round(os.getloadavg()[0], 2)


def git(*args):
    done = subprocess.run(["git", "-C", TOP] + list(args), capture_output=True, text=True, check=False)
    return done.stdout.strip()


class Simulator:
    """tests/simulator as a daemon on a free port of 127.0.0.1, and its control API."""

    def __init__(self, private_key):
        self.private_key = private_key
        self.pid_file = os.path.join(WORK, "simulator.pid")
        self.url = self.root = None

    def start(self):
        done = subprocess.run([sys.executable, os.path.join(TOP, "tests", "simulator"), "--daemon", "--idle-timeout", "900",
                               "--pid-file", self.pid_file, "--log-file", os.path.join(WORK, "simulator.log")],
                              env=dict(os.environ, BYTEFUL_SIM_PRIVATE_KEY=self.private_key), capture_output=True, text=True, check=True)
        self.url = done.stdout.strip()
        self.root = self.url.rsplit("/", 1)[0] + "/_sim"

    def control(self, method, path, body=None):
        request = urllib.request.Request(self.root + path, method=method, headers={"Content-Type": "application/json"},
                                         data=None if body is None else json.dumps(body).encode())
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=10) as response:
            return json.loads(response.read() or b"null")

    def limit(self, per_second):
        self.control("PUT", "/config", {"rate_limit": True, "rate_limit_per_second": per_second})
        self.control("POST", "/reset")

    def stop(self):
        try:
            with open(self.pid_file, encoding="utf-8") as handle:
                os.kill(int(handle.read()), 15)
        except (OSError, ValueError):
            pass


class Bench:

    def __init__(self, spec, quick):
        self.spec = spec
        self.sizes = spec["quick"]["sizes"] if quick else spec["sizes"]
        self.runs = {n: spec["quick"]["runs"] if quick else spec["runs"][n] for n in self.sizes}
        self.quick = quick
        self.sim = Simulator("bench-" + secrets.token_hex(16))

    def env(self, account, **extra):
        env = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "BYTEFUL_"))}
        env.update(PATH=BIN + os.pathsep + env.get("PATH", ""), ANSIBLE_CONFIG=os.path.join(WORK, "ansible.cfg"),
                   ANSIBLE_COLLECTIONS_PATH=os.path.join(WORK, "collections"), ANSIBLE_LOCAL_TEMP=os.path.join(WORK, "tmp"),
                   ANSIBLE_NOCOLOR="1", BYTEFUL_API_URL=self.sim.url or "", BYTEFUL_API_PUBLIC_KEY=account,
                   BYTEFUL_API_PRIVATE_KEY=self.sim.private_key, NO_PROXY="127.0.0.1", no_proxy="127.0.0.1", **extra)
        return env

    def prepare(self):
        for name in ("logs", "out"):
            os.makedirs(os.path.join(WORK, name), exist_ok=True)
        with open(os.path.join(WORK, "ansible.cfg"), "w", encoding="utf-8") as handle:
            handle.write("[defaults]\nforks = %d\nretry_files_enabled = false\n" % self.spec["forks"])
        for n in set(self.sizes) | {10}:
            with open(self.inventory(n), "w", encoding="utf-8") as handle:
                handle.write("[fleet]\nhost[%s:%d]\n\n[fleet:vars]\nansible_connection=local\nansible_python_interpreter=%s\n"
                             % ("1".zfill(len(str(n))), n, sys.executable))
        say("building the collection and installing it into .build/bench/collections")
        with open(os.path.join(TOP, "galaxy.yml"), encoding="utf-8") as handle:
            tarball = os.path.join(WORK, "byteful-proxy-%s.tar.gz" % yaml.safe_load(handle)["version"])
        for cmd in (["ansible-galaxy", "collection", "build", "--force", "--output-path", WORK, TOP],
                    ["ansible-galaxy", "collection", "install", "--force", "-p", os.path.join(WORK, "collections"), tarball]):
            subprocess.run(cmd, env=self.env("healthy"), capture_output=True, check=True)

    @staticmethod
    def inventory(n):
        return os.path.join(WORK, "hosts-%d.ini" % n)

    def playbook_cmd(self, playbook, n, vars_file):
        return ["ansible-playbook", "-i", self.inventory(n), "-e", "@" + os.path.join(HERE, vars_file),
                "-e", "bench_out=" + os.path.join(WORK, "out"), playbook]

    def run(self, cmd, account, tag):
        """One ansible-playbook run with fresh simulator counters: wall time, exit code, API calls, peak RSS, load."""
        self.sim.control("POST", "/reset")
        before = load()
        start = time.perf_counter()
        with open(os.path.join(WORK, "logs", tag + ".log"), "wb") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=self.env(account), cwd=WORK)
            dummy, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        stats = self.sim.control("GET", "/stats")
        return dict(wall=wall, rc=os.waitstatus_to_exitcode(status), calls=stats["requests"], r429=stats["responses_429"],
                    rss_mib=usage.ru_maxrss / 1024.0, load_before=before, load_after=load(), log=tag + ".log")

    def comparison(self, comp):
        self.sim.control("PUT", "/config", {"rate_limit": True, "rate_limit_per_second": 10})
        playbooks = {s["id"]: os.path.join(HERE, s["playbook"]) for s in comp["scenarios"]}
        results = {s["id"]: {n: [] for n in self.sizes} for s in comp["scenarios"]}
        for scenario, playbook in playbooks.items():  # untimed: byte-compiles and warms the caches
            self.run(self.playbook_cmd(playbook, 10, comp["vars"]), comp["account"], "%s-warmup-%s" % (comp["id"], scenario))
        for rep in range(max(self.runs.values())):
            for n in self.sizes:
                for scenario, playbook in playbooks.items():
                    if rep < self.runs[n]:
                        run = self.run(self.playbook_cmd(playbook, n, comp["vars"]), comp["account"],
                                       "%s-%s-N%d-%d" % (comp["id"], scenario, n, rep + 1))
                        results[scenario][n].append(run)
                        say("%s N=%d %-12s %6.2f s, %d API calls, exit %d, load %.2f -> %.2f" % (
                            comp["id"], n, scenario, run["wall"], run["calls"], run["rc"], run["load_before"], run["load_after"]))
        return results

    def parallel(self, spec):
        rows = []
        cmd = self.playbook_cmd("byteful.proxy.preflight", 10, spec["vars"])
        for case in spec["cases"][:1] if self.quick else spec["cases"]:
            self.sim.limit(case["limit"])
            before, start = load(), time.perf_counter()
            logs = [open(os.path.join(WORK, "logs", "parallel-%d-%d.log" % (case["runs"], i)), "wb") for i in range(case["runs"])]
            procs = [subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=self.env(spec["account"]),
                                      cwd=WORK) for log in logs]
            codes = [proc.wait() for proc in procs]
            for log in logs:
                log.close()
            stats = self.sim.control("GET", "/stats")
            rows.append(dict(case, failed=sum(1 for code in codes if code), calls=stats["requests"], r429=stats["responses_429"],
                             slowest=time.perf_counter() - start, load_before=before, load_after=load()))
            say("parallel: %(runs)d runs at %(limit)d/s: %(failed)d failed, %(calls)d calls, %(r429)d answered 429, %(slowest).1f s" % rows[-1])
        self.sim.limit(10)
        return rows

    def burst(self, spec):
        rows = []
        for count in spec["processes"][:1] if self.quick else spec["processes"]:
            self.sim.limit(10)
            before = load()
            done = subprocess.run([sys.executable, os.path.join(HERE, "burst.py"), str(count)], capture_output=True, text=True, check=True,
                                  env=self.env(spec["account"], PYTHONPATH=os.path.join(WORK, "collections")))
            outcomes = [json.loads(line) for line in done.stdout.splitlines()]
            stats = self.sim.control("GET", "/stats")
            rows.append(dict(processes=count, failed=sum(1 for o in outcomes if not o["ok"]), calls=stats["requests"],
                             r429=stats["responses_429"], slowest=max(o["seconds"] for o in outcomes),
                             errors=sorted({o["msg"] for o in outcomes if o["msg"]}), load_before=before, load_after=load()))
            say("burst: %(processes)d processes: %(failed)d failed, %(calls)d requests, %(r429)d answered 429, slowest %(slowest).1f s" % rows[-1])
        return rows


def machine():
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "?")
    with open("/proc/meminfo", encoding="utf-8") as handle:
        memory = next(int(line.split()[1]) for line in handle if line.startswith("MemTotal"))
    from ansible.release import __version__ as ansible_core  # pylint: disable=import-outside-toplevel
    return "%s, %d cores, %d GiB of memory; Linux %s; Python %s; ansible-core %s" % (
        cpu, os.cpu_count(), round(memory / 1048576.0), platform.release(), platform.python_version(), ansible_core)


def secs(runs):
    walls = [run["wall"] for run in runs]
    return statistics.median(walls), min(walls), max(walls)


def render(spec, results):
    out = ["# Performance: the gate against the hand-written play it replaces", "",
           "<!-- Written by tools/bench.py from its last runs (.build/bench/results.json): rerun it rather than edit this file. -->", "",
           "Every figure below comes from `%s` (`make bench`), which runs what "
           "[tools/bench/scenarios.yml](../tools/bench/scenarios.yml) lists: real `ansible-playbook` runs (`gather_facts: false`, "
           "forks %d) of the playbooks beside it, on N local-connection hosts, against the Byteful simulator, whose request counter "
           "gives the API calls. Wall time is the median of the runs (fastest-slowest beside it); *peak RSS* is the largest resident "
           "set among a run's processes (the controller, as a rule); *load* is the 1-minute load average before the first and after "
           "the last run of a row. The machine's cores are shared: the load before a part's first run says how busy it was; later "
           "figures include the benchmark's own processes (forks %d on %d cores, and the parallel runs and bursts), and the load "
           "average takes minutes to fall after a heavy run. The collection is built and installed with `ansible-galaxy` first, as "
           "a user installs it." % (COMMAND, spec["forks"], spec["forks"], os.cpu_count()), ""]
    for comp in spec["comparisons"]:
        part = results.get(comp["id"])
        if not part:
            continue
        labels = {s["id"]: s["label"] for s in comp["scenarios"]}
        out += ["## %s" % comp["title"], "", "*Made by `%s` at %s on %s, from %s; load %.2f before the part, %.2f after.* "
                "Thresholds: [tools/bench/%s](../tools/bench/%s); the simulated account `%s` passes them." % (
                    part["command"], part["measured_at"], part["machine"], part["commit"], part["load_before"], part["load_after"],
                    comp["vars"], comp["vars"], comp["account"]), "",
                "| N | scenario | wall time (s) | fastest-slowest (s) | runs | API calls per run | x %s | peak RSS (MiB) | load |" % (
                    comp["baseline"].replace("_", "-")),
                "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
        rows = part["scenarios"]
        for n in part["sizes"]:
            base = secs(rows[comp["baseline"]][str(n)])[0]
            for scenario in labels:
                runs = rows[scenario][str(n)]
                median, fastest, slowest = secs(runs)
                calls = sorted({run["calls"] for run in runs})
                out.append("| %d | %s | %.2f | %.2f-%.2f | %d | %s | %.2f | %.0f | %.2f-%.2f |" % (
                    n, labels[scenario], median, fastest, slowest, len(runs), "/".join(map(str, calls)), median / base,
                    statistics.median(run["rss_mib"] for run in runs), runs[0]["load_before"], runs[-1]["load_after"]))
        target = comp["target"]
        if str(target["n"]) in rows[target["scenario"]]:
            mine, theirs = (secs(rows[target[key]][str(target["n"])])[0] for key in ("scenario", "at_most"))
            out += ["", "**Target**: %s at most %s at N = %d: %.2f s against %.2f s, **%s**." % (
                target["scenario"], target["at_most"].replace("_", "-"), target["n"], mine, theirs, "met" if mine <= theirs else "missed")]
        largest = str(max(part["sizes"]))
        if "role" in rows and "playbook" in rows and secs(rows["role"][largest])[0] > secs(rows["playbook"][largest])[0]:
            role, playbook = secs(rows["role"][largest])[0], secs(rows["playbook"][largest])[0]
            out += ["", "At N = %s the role in the fleet's play takes %.2f s and the playbook form %.2f s: %.1f ms more per host, "
                    "ansible-core's validation of the role's arguments on every host of the play that runs it (the playbook form "
                    "runs the role, and so the validation, on localhost alone)." % (largest, role, playbook, (role - playbook) / int(largest) * 1000)]
        out.append("")
    if results.get("parallel"):
        part = results["parallel"]
        out += ["## Rate limits: parallel runs", "", "*Made by `%s` at %s, from %s; load %.2f before, %.2f after.* K runs of "
                "`ansible-playbook byteful.proxy.preflight -e @tools/bench/%s` started at once against one account, with default "
                "options and the simulator's limit lowered as shown (30 runs against 3 requests per second stand for 100 against the "
                "API's 10). The runs of one machine take turns through a per-account lock file, and a 429 slows all of them down." % (
                    part["command"], part["measured_at"], part["commit"], part["load_before"], part["load_after"],
                    spec["parallel"]["vars"]), "",
                "| runs (K) | limit (requests/s) | failed | API calls | answered 429 | calls / limit (s) | slowest run (s) |",
                "|---:|---:|---:|---:|---:|---:|---:|"]
        out += ["| %d | %d | %d | %d | %d | %.1f | %.1f |" % (
            row["runs"], row["limit"], row["failed"], row["calls"], row["r429"], row["calls"] / float(row["limit"]), row["slowest"])
            for row in part["rows"]]
        out.append("")
    if results.get("burst"):
        part = results["burst"]
        out += ["## Rate limits: a burst through the client", "", "*Made by `%s` at %s, from %s; load %.2f before, %.2f after.* P "
                "processes read the customer through the collection's client at the same instant ([tools/bench/burst.py]"
                "(../tools/bench/burst.py)), default options (`retries` 3, `rate_limit_wait` 30 s), the API's limit of 10 requests "
                "per second on. They share one pace, so the burst costs time (about P / 10 seconds), not failures." % (
                    part["command"], part["measured_at"], part["commit"], part["load_before"], part["load_after"]), "",
                "| processes | failed | requests | answered 429 | slowest (s) |", "|---:|---:|---:|---:|---:|"]
        out += ["| %d | %d | %d | %d | %.1f |" % (row["processes"], row["failed"], row["calls"], row["r429"], row["slowest"])
                for row in part["rows"]]
        out += [""] + ["Failure: %s" % error for row in part["rows"] for error in row["errors"]]
    out += ["## Caveats", "", "- Local-connection hosts all run on the controller: a per-host task costs a worker process here, and "
            "more against real hosts over SSH; the run-once scenarios would not change.",
            "- The simulator answers in a few milliseconds; the real API's latency adds the same to every scenario per call it makes.",
            "- Compare ratios, and look at the load column: a row measured while the machine was busy is slower for reasons of its own.",
            ""]
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--only", action="append", help="run only this part (repeatable): a comparison id, parallel or burst")
    parser.add_argument("--quick", action="store_true", help="a smoke test: sizes and runs from scenarios.yml's quick, output under .build")
    args = parser.parse_args(argv)
    with open(os.path.join(HERE, "scenarios.yml"), encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    parts = [comp["id"] for comp in spec["comparisons"]] + ["parallel", "burst"]
    wanted = args.only or parts
    if set(wanted) - set(parts):
        parser.error("--only takes %s" % ", ".join(parts))
    store = os.path.join(WORK, "results-quick.json" if args.quick else "results.json")
    output = os.path.join(WORK, "performance.md") if args.quick else os.path.join(TOP, "docs", "performance.md")
    results = {}
    if os.path.exists(store):
        with open(store, encoding="utf-8") as handle:
            results = json.load(handle)
    bench = Bench(spec, args.quick)
    bench.prepare()
    command = " ".join([COMMAND] + (["--quick"] if args.quick else []) + ["--only %s" % part for part in args.only or []])
    commit = "commit %s%s" % (git("rev-parse", "--short", "HEAD"), " with uncommitted changes" if git("status", "--porcelain") else "")
    try:
        bench.sim.start()
        for part in wanted:
            before = load()
            if part in ("parallel", "burst"):
                data = dict(rows=getattr(bench, part)(spec[part]))
            else:
                comp = next(comp for comp in spec["comparisons"] if comp["id"] == part)
                data = dict(scenarios=bench.comparison(comp), sizes=bench.sizes)
            results[part] = dict(data, command=command, commit=commit, machine=machine(), load_before=before, load_after=load(),
                                 measured_at=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
            with open(store, "w", encoding="utf-8") as handle:
                json.dump(results, handle, indent=1)
    finally:
        bench.sim.stop()
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(render(spec, json.loads(json.dumps(results))))
    say("wrote %s" % os.path.relpath(output, TOP))
    failed = ["%s %s N=%s: %s" % (part, scenario, n, run["log"]) for part in wanted if "scenarios" in results[part]
              for scenario, sizes in results[part]["scenarios"].items() for n, runs in sizes.items() for run in runs if run["rc"]]
    failed += ["%s: %d failed" % (part, row["failed"]) for part in wanted for row in results[part].get("rows", []) if row["failed"]]
    if failed:
        print("tools/bench.py: these runs failed (logs under .build/bench/logs): %s" % "; ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
