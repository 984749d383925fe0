# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The run cache: one fetch for many forked processes, expiry, cached failures, no key on disk."""

from __future__ import annotations

import multiprocessing
import os
import stat
import time

import pytest

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError
from ansible_collections.byteful.proxy.plugins.plugin_utils._run_cache import RunCache, entry_name, part_entry_name

PRIVATE = "sk_live_cache_test_SECRET"
CUSTOMER = {"customer_id": 1955, "credit_balance": 1245}


def _slow_fetch_counting(counter_path):
    def fetch():
        with open(counter_path, "a", encoding="utf-8") as handle:
            handle.write("x")
        time.sleep(0.3)  # long enough for every other process to be waiting on the lock
        return CUSTOMER
    return fetch


def _worker(directory, counter_path, results):
    value = RunCache(directory, 60).get_or_fetch("account", _slow_fetch_counting(counter_path))
    results.put(value)


def test_forked_processes_share_one_fetch(tmp_path):
    counter = tmp_path / "fetches"
    results = multiprocessing.get_context("fork").Queue()
    workers = [multiprocessing.get_context("fork").Process(target=_worker, args=(str(tmp_path), str(counter), results))
               for dummy in range(12)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert [results.get(timeout=5) for dummy in workers] == [CUSTOMER] * 12
    assert counter.read_text() == "x", "exactly one process asked the API"


def test_entries_expire(tmp_path):
    now = [1000.0]
    cache = RunCache(str(tmp_path), ttl=10, clock=lambda: now[0])
    calls = []

    def fetch():
        calls.append(1)
        return dict(CUSTOMER, call=len(calls))

    assert cache.get_or_fetch("a", fetch)["call"] == 1
    now[0] += 9.9
    assert cache.get_or_fetch("a", fetch)["call"] == 1
    now[0] += 0.2
    assert cache.get_or_fetch("a", fetch)["call"] == 2
    now[0] -= 500  # a clock that went backwards never makes an entry look fresh forever
    assert cache.get_or_fetch("a", fetch)["call"] == 3


def test_failures_are_cached_as_the_same_sentence(tmp_path):
    cache = RunCache(str(tmp_path), ttl=60)
    calls = []

    def failing():
        calls.append(1)
        raise BytefulError("Retrieving the Byteful customer failed with HTTP 401; check the keys.", status=401)

    for dummy in range(3):
        with pytest.raises(BytefulError) as info:
            cache.get_or_fetch("a", failing)
        assert info.value.message == "Retrieving the Byteful customer failed with HTTP 401; check the keys."
        assert info.value.details == {"status": 401}
    assert len(calls) == 1


def test_files_are_private_and_hold_no_key(tmp_path):
    name = entry_name("https://api.byteful.com/1.0", "pk_public", PRIVATE)
    RunCache(str(tmp_path), ttl=60).get_or_fetch(name, lambda: CUSTOMER)
    directory = tmp_path / "byteful-proxy-cache"
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    for path in directory.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert PRIVATE not in path.name and PRIVATE.encode() not in path.read_bytes()


def test_entry_names_tell_accounts_and_keys_apart():
    base = entry_name("https://a/1.0", "pk", PRIVATE)
    assert base == entry_name("https://a/1.0", "pk", PRIVATE)
    assert len({base, entry_name("https://b/1.0", "pk", PRIVATE), entry_name("https://a/1.0", "pk2", PRIVATE),
                entry_name("https://a/1.0", "pk", PRIVATE + "x")}) == 4


def test_a_corrupt_entry_is_fetched_again(tmp_path):
    cache = RunCache(str(tmp_path), ttl=60)
    cache.get_or_fetch("a", lambda: CUSTOMER)
    with open(os.path.join(cache.directory, "a.json"), "w", encoding="utf-8") as handle:
        handle.write("{not json")
    assert cache.get_or_fetch("a", lambda: {"fresh": True}) == {"fresh": True}


def test_part_entries_are_one_per_account_part_and_parameters():
    account = entry_name("https://a/1.0", "pk", PRIVATE)
    usage = part_entry_name(account, "usage", {"product": "residential", "window_days": 14})
    assert usage == part_entry_name(account, "usage", {"window_days": 14, "product": "residential"})  # key order
    others = {usage, part_entry_name(account, "usage", {"product": "mobile", "window_days": 14}),
              part_entry_name(account, "usage", {"product": "residential", "window_days": 30}),
              part_entry_name(account, "services", {}), part_entry_name(entry_name("https://b/1.0", "pk", PRIVATE), "services", {}),
              account}
    assert len(others) == 6
    assert usage.startswith(account + "-usage-") and PRIVATE not in usage
