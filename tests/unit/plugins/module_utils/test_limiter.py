# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The pace shared by the processes of one machine against one account (issue 10, item 6).

Fake clocks where the rule is about time (the spacing, the pause after a 429); real processes
(forked) and real time where what is tested is that separate processes agree, asserting properties
that a busy machine cannot change (every turn spaced, every 429 retried, no retry for another
reason), never a duration. The figures of speed come from tools/bench.py.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import stat
import time

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils import _limiter
from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulClient, BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._customer import CUSTOMER_PATH
from ansible_collections.byteful.proxy.tests.simulator import DEFAULT_PRIVATE_KEY
from ansible_collections.byteful.proxy.tests.unit.plugins.module_utils.fake_api import make_client

FORK = multiprocessing.get_context("fork")


class FakeTime:
    def __init__(self):
        self.now = 500.0

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_the_directory_is_private_and_the_file_holds_no_key(tmp_path):
    directory = _limiter.private_directory()
    assert stat.S_IMODE(os.lstat(directory).st_mode) == 0o700
    client = BytefulClient("http://127.0.0.1:9/1.0", "healthy", DEFAULT_PRIVATE_KEY)
    assert client._pace is not None  # pylint: disable=protected-access
    client._pace.acquire(float("inf"))  # pylint: disable=protected-access
    (name,) = os.listdir(directory)
    with open(os.path.join(directory, name), encoding="utf-8") as handle:
        text = handle.read()
    assert DEFAULT_PRIVATE_KEY not in name + text and "healthy" not in name + text
    assert stat.S_IMODE(os.stat(os.path.join(directory, name)).st_mode) == 0o600


def open_to_all(base):
    path = base / ("byteful-proxy-%d" % os.geteuid())
    path.mkdir(exist_ok=True)
    path.chmod(0o777)
    return path


def test_a_directory_others_can_enter_is_not_used(monkeypatch, tmp_path):
    (tmp_path / "runtime").mkdir()
    (tmp_path / "temp").mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setattr(_limiter.tempfile, "gettempdir", lambda: str(tmp_path / "temp"))
    open_to_all(tmp_path / "runtime")
    # The next place is used instead...
    client = BytefulClient("http://127.0.0.1:9/1.0", "healthy", DEFAULT_PRIVATE_KEY)
    assert client._pace.path.startswith(str(tmp_path / "temp"))  # pylint: disable=protected-access
    # ...and when none is private, the client says so and spaces its own requests only.
    open_to_all(tmp_path / "temp")
    client = BytefulClient("http://127.0.0.1:9/1.0", "healthy", DEFAULT_PRIVATE_KEY)
    assert client._pace is None  # pylint: disable=protected-access
    assert client.warnings and "is not a directory that only this user can enter" in client.warnings[0]
    assert DEFAULT_PRIVATE_KEY not in client.warnings[0]


def test_a_429_slows_everyone_down_and_quiet_time_speeds_up_again(tmp_path):
    fake = FakeTime()
    pace = _limiter.SharedPace(str(tmp_path / "p"), clock=fake.clock, sleep=fake.sleep)
    assert pace.acquire(fake.now + 60) == 0.1
    pace.throttled(1.0, 0.1, "t1", 1.0)
    started = fake.now
    assert pace.acquire(fake.now + 60) == 0.2  # after the pause, at half the pace
    assert fake.now - started >= 1.0
    pace.throttled(1.0, 0.1, "t2", 1.0)  # a second 429 to a request sent at the old pace does not halve it again
    assert pace.acquire(fake.now + 60) == 0.2
    fake.now += _limiter.QUIET_PERIOD + 1
    assert pace.acquire(fake.now + 60) == 0.1


def test_after_a_429_every_process_takes_its_turns_at_the_slower_spacing(tmp_path):
    # What is observed is when the turns are given, not only the interval acquire() returns.
    fake = FakeTime()
    path = str(tmp_path / "p")
    first, second = (_limiter.SharedPace(path, clock=fake.clock, sleep=fake.sleep) for dummy in range(2))
    first.acquire(fake.now + 60)
    refused_at = fake.now
    first.throttled(1.0, _limiter.MIN_INTERVAL, None, 1.0)
    stamps = []
    for pace in (first, second, first, second, second):
        assert pace.acquire(fake.now + 60) == 2 * _limiter.MIN_INTERVAL
        stamps.append(pace.last_turn)
    assert stamps[0] >= refused_at + 1.0  # nobody before the Retry-After has passed
    assert min(later - earlier for earlier, later in zip(stamps, stamps[1:])) >= 2 * _limiter.MIN_INTERVAL - 1e-9


def test_no_turn_in_time_is_none(tmp_path):
    fake = FakeTime()
    pace = _limiter.SharedPace(str(tmp_path / "p"), clock=fake.clock, sleep=fake.sleep)
    pace.throttled(10.0, 0.1, "t", 10.0)
    assert pace.acquire(fake.now + 2) is None


def take_turns(path, count, queue):
    pace = _limiter.SharedPace(path, clock=time.monotonic, sleep=time.sleep)
    stamps = []
    for dummy in range(count):
        pace.acquire(time.monotonic() + 60)
        stamps.append(pace.last_turn)
    queue.put(stamps)


@pytest.mark.once
def test_processes_on_one_machine_never_exceed_10_per_second_between_them(tmp_path):
    path = str(tmp_path / "shared.pace")
    queue = FORK.Queue()
    workers = [FORK.Process(target=take_turns, args=(path, 5, queue)) for dummy in range(8)]
    for worker in workers:
        worker.start()
    stamps = sorted(stamp for dummy in workers for stamp in queue.get(timeout=60))
    for worker in workers:
        worker.join()
    assert len(stamps) == 40
    gaps = [later - earlier for earlier, later in zip(stamps, stamps[1:])]
    assert min(gaps) >= 0.1 - 1e-6
    # So any second holds at most 10 turns.
    assert all(stamps[i + 10] - stamps[i] >= 1.0 - 1e-6 for i in range(len(stamps) - 10))


def one_run(url, queue):
    client = BytefulClient(url, "burst", DEFAULT_PRIVATE_KEY)  # default options
    sent = [0]
    send = client._send  # pylint: disable=protected-access

    def counting(*args):
        sent[0] += 1
        return send(*args)

    client._send = counting  # pylint: disable=protected-access
    try:
        client.get(CUSTOMER_PATH, "Retrieving the Byteful customer")
        outcome = "ok"
    except BytefulError as exc:
        outcome = exc.message
    queue.put(json.dumps({"outcome": outcome, "requests": sent[0]}))


@pytest.fixture
def three_per_second(sim):
    sim.set_config(rate_limit_per_second=3)
    sim.set_account("burst")
    yield sim
    sim.set_config(rate_limit_per_second=10)


@pytest.mark.once
def test_30_runs_started_together_against_3_per_second_all_pass(three_per_second):
    sim = three_per_second
    queue = FORK.Queue()
    workers = [FORK.Process(target=one_run, args=(sim.base_url, queue)) for dummy in range(30)]
    for worker in workers:
        worker.start()
    runs = [json.loads(queue.get(timeout=120)) for dummy in workers]
    for worker in workers:
        worker.join()
    # No 429 left unretried: every run ends with the customer, within its rate_limit_wait.
    failed = [run["outcome"] for run in runs if run["outcome"] != "ok"]
    assert not failed, failed[0]
    # Each request says why it was sent (X-Byteful-Attempt): 30 first attempts, and every retry
    # follows a 429 (a slow machine may need more of them, never a retry for another reason).
    sent = sim.stats()["attempts_by_account"]["burst"]
    assert sum(1 for entry in sent if entry["attempt"] == "1") == 30
    retries = [entry["attempt"] for entry in sent if entry["attempt"] != "1"]
    assert all(attempt.endswith("; after=429") for attempt in retries), retries
    assert len(retries) == sum(1 for entry in sent if entry["answer"] == 429)
    # The rate held over the run: the shared pace keeps the refusals to one a run on average,
    # where 30 processes that did not share it would be refused again and again.
    assert len(retries) <= 30, sorted(run["requests"] for run in runs)
    assert sum(run["requests"] for run in runs) == len(sent)


@pytest.mark.parametrize("seed", range(5))
def test_a_request_held_back_by_its_own_429s_reports_the_429(sim, seed):
    # Always refused with Retry-After 1, on a fake clock (the API answers at once, and only the
    # client's waits advance time): the 429s slow the shared pace down until the last turn falls
    # after the budget. The reason to report is the API's refusal, not "other runs".
    random.seed(seed)
    fake = FakeTime()
    fake.now = time.monotonic() + 10000  # after every real turn taken so far in this process
    client = BytefulClient(sim.base_url, "fault_429", DEFAULT_PRIVATE_KEY, clock=fake.clock, sleep=fake.sleep)
    with pytest.raises(BytefulError) as info:
        client.get(CUSTOMER_PATH, "Retrieving the Byteful customer")
    message = info.value.message
    assert "failed with HTTP 429 (Too Many Requests: " in message, message
    assert "rate_limit_wait allows" in message and "was not sent" not in message, message


def test_a_429_to_one_client_slows_down_every_process_of_the_account():
    # The client itself must tell the account's shared pace about a 429: a process that only
    # waited on its own would leave the others of the machine knocking at full speed.
    answers = [(429, {"error": "Too Many Requests"}, {"Retry-After": "2"}), (200, {"data": {"customer_id": 1955}})]
    client, session, clock = make_client(lambda call: answers.pop(0))
    refused_at = clock.now
    client.get(CUSTOMER_PATH, "Retrieving the Byteful customer")
    assert len(session.calls) == 2
    with open(client._pace.path, encoding="utf-8") as handle:  # pylint: disable=protected-access
        state = json.load(handle)
    assert state["interval"] == 2 * _limiter.MIN_INTERVAL  # halved for everyone
    assert state["paused_until"] >= refused_at + 2  # and nobody sent before the Retry-After had passed
    # Another process of the account meets the slower pace too.
    other = _limiter.SharedPace(client._pace.path, clock=clock.monotonic, sleep=clock.sleep)  # pylint: disable=protected-access
    assert other.acquire(clock.now + 60) == 2 * _limiter.MIN_INTERVAL
