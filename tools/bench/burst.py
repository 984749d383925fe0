# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""P processes read the customer through the collection's client at the same instant, default options.

    python burst.py P     (PYTHONPATH: a collections path holding byteful.proxy; BYTEFUL_API_* set)

Prints one JSON line per process: {"ok": bool, "seconds": float, "msg": the error's sentence or null}.
tools/bench.py runs it; the simulator counts the requests and the 429 answers.
"""

import json
import multiprocessing
import os
import sys
import time

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulClient, BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._customer import fetch_customer


def one(start_at, queue):
    client = BytefulClient.from_options(dict(api_url=os.environ["BYTEFUL_API_URL"], api_public_key=os.environ["BYTEFUL_API_PUBLIC_KEY"],
                                             api_private_key=os.environ["BYTEFUL_API_PRIVATE_KEY"]))
    time.sleep(max(0.0, start_at - time.time()))
    began = time.monotonic()
    try:
        fetch_customer(client)
        msg = None
    except BytefulError as exc:
        msg = exc.message
    queue.put(dict(ok=msg is None, seconds=time.monotonic() - began, msg=msg))


def main(count):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start_at = time.time() + 0.5 + count * 0.01  # every process started and waiting before the instant
    workers = [context.Process(target=one, args=(start_at, queue)) for dummy in range(count)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for dummy in workers]
    for worker in workers:
        worker.join()
    for result in results:
        print(json.dumps(result))


if __name__ == "__main__":
    main(int(sys.argv[1]))
