# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Give each run of a case its own copy of the case's account: accounts.py CASES CA_FILE CONTROL_URL... TOOL...

Cases run at the same time (run_in_process.py, and the playbooks of matrix.yml). A fault account's
steps ("a 502 once, then success") and its request counter belong to its public key, so each run gets
"<tool>-<case id>", a copy made through the simulator's control API. A case with a "define" gets its
account from that definition instead, with "@KEY@" replaced by the private key
(BYTEFUL_SIM_PRIVATE_KEY), "@KEY_UPPER@", "@KEY_PERCENT@" and "@KEY_SPLIT@" by the key as a
server may echo it (in upper case; percent-encoded, every third character twice; split by ANSI
escapes and a zero-width space), "@REPEAT:N:TEXT@" by TEXT repeated N times and "@GZIP_BOMB:N@" by
the base64 of a double-gzip answer that unpacks to N MiB (for a step's body_base64).

A tool of endpoint_tools (the modules of the newer endpoints) gets the endpoint cases instead, each account's fault steps scoped to the tool's
route ("route": ...), so that the fault reaches that endpoint and every other route, the customer
that some of them read first included, answers normally. Such a case may define its account per tool
(define_by_tool). The playbook tools (module, lookup, role) run only the cases marked
`playbook: true`.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import ssl
import struct
import zlib
import sys
import urllib.error
import urllib.request

import yaml


def call(url, context, method="GET", body=None):
    data = json.dumps(body).encode("utf-8") if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10, context=context if url.startswith("https:") else None) as answer:
        return json.loads(answer.read().decode("utf-8"))


REPEAT = re.compile(r"@REPEAT:(\d+):([^@]*)@")
GZIP_BOMB = re.compile(r"@GZIP_BOMB:(\d+)@")


def gzip_bomb(mebibytes):
    """base64 of gzip(gzip(mebibytes MiB of zero bytes)): a few kilobytes.

    Compressing gigabytes takes a minute; a MiB of zeros compressed once and flushed to a byte
    boundary is a self-contained deflate block, so the inner layer is that block repeated.
    """
    block = b"\0" * (1024 * 1024)
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    deflated = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for dummy in range(mebibytes):
        crc = zlib.crc32(block, crc)
    inner = (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + deflated * mebibytes + packer.flush()
             + struct.pack("<II", crc, (mebibytes * len(block)) & 0xFFFFFFFF))
    return base64.b64encode(gzip.compress(inner, compresslevel=9)).decode("ascii")


def disguises(key):
    """The placeholders for the key as a server may echo it, and what each stands for."""
    percent = "".join(("%%25%02X" if index % 3 == 0 else "%%%02X") % ord(char) for index, char in enumerate(key))
    return {"@KEY_UPPER@": key.upper(), "@KEY_PERCENT@": percent,
            "@KEY_SPLIT@": key[:5] + "\x1b[31m" + key[5:17] + "\x1b[0m\u200b" + key[17:], "@KEY@": key}


def expand(value, key):
    """value with the placeholders of a definition replaced (see the module's docstring)."""
    if isinstance(value, str):
        value = GZIP_BOMB.sub(lambda match: gzip_bomb(int(match.group(1))), value)
        value = REPEAT.sub(lambda match: match.group(2) * int(match.group(1)), value)
        for placeholder, text in disguises(key).items():
            value = value.replace(placeholder, text)
        return value
    if isinstance(value, dict):
        return {name: expand(item, key) for name, item in value.items()}
    if isinstance(value, list):
        return [expand(item, key) for item in value]
    return value


def scoped(definition, route):
    """definition with each of its fault steps serving only route (no route: as it is)."""
    if not route or not definition.get("faults"):
        return definition
    return dict(definition, faults=[dict(step, route=route) for step in definition["faults"]])


PLAYBOOK_TOOLS = ("module", "lookup", "role")


def cases_of(matrix, tool):
    """(the cases TOOL runs, the endpoint_tools entry it reads or None, the endpoint tool's name)."""
    endpoint_tools = matrix.get("endpoint_tools") or {}
    endpoint = endpoint_tools.get(tool)
    cases = matrix["endpoint_cases"] if endpoint else matrix["matrix_cases"]
    if tool in PLAYBOOK_TOOLS:
        cases = [case for case in cases if case.get("playbook")]
    # A case that names its tools runs through those only; a tool marked only_named (the writes,
    # whose lost answers are read again before anything is resent) runs only the cases naming it.
    cases = [case for case in cases if tool in case.get("tools", ())] if endpoint and endpoint.get("only_named") else [
        case for case in cases if "tools" not in case or tool in case["tools"]]
    return cases, endpoint, tool


def main(argv):
    with open(argv[1], encoding="utf-8") as handle:
        matrix = yaml.safe_load(handle)
    key = os.environ["BYTEFUL_SIM_PRIVATE_KEY"]
    context = ssl.create_default_context(cafile=argv[2])
    controls = [arg for arg in argv[3:] if "://" in arg]
    tools = [arg for arg in argv[3:] if "://" not in arg]
    copied = 0
    sent = {}  # account -> its definition on each control URL (None where it does not exist)
    for control in controls:
        for account in sorted({case["account"] for case in matrix["matrix_cases"] + matrix["endpoint_cases"]}):
            try:
                sent[control, account] = call("%s/accounts/%s" % (control, account), context)
            except urllib.error.HTTPError as exc:
                if exc.code != 404:
                    raise
                sent[control, account] = None  # an account that must not exist ("nobody"): its copies do not either
    for tool in tools:
        cases, endpoint, name = cases_of(matrix, tool)
        route = (endpoint or {}).get("route")
        for case in cases:
            definition = case.get("define_by_tool", {}).get(name, case.get("define"))
            for control in controls:
                if definition is not None:
                    copy = expand(definition, key)
                elif sent[control, case["account"]] is None:
                    continue
                else:
                    copy = sent[control, case["account"]]
                    # What must never be shown is only worth checking if the account really sends it.
                    if case.get("never_shown") and case["never_shown"] not in json.dumps(copy):
                        raise SystemExit("accounts.py: %s does not send %r, which its case says is never shown"
                                         % (case["account"], case["never_shown"]))
                call("%s/accounts/%s-%s" % (control, tool, case["id"]), context, "PUT", scoped(copy, route))
                copied += 1
    print("%d account copies for %s" % (copied, ", ".join(tools)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
