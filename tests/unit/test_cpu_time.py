# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""tools/cpu_time.py, the meter of tools/test-matrix's CPU column: detached processes are counted,
reaped as soon as they end, and the command's exit status is kept."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOL = os.path.join(ROOT, "tools", "cpu_time.py")

pytestmark = [
    pytest.mark.once,  # a tool of the test matrix: nothing of ansible-core in it
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the subreaper is Linux's"),
]

# A process that detaches as the simulator's --daemon does (double fork, new session), writes its
# pid, then runs MODE: "burn" uses 0.3 s of CPU (by its own CPU clock, not the wall's), "wait"
# sleeps until it is killed.
DAEMON = r"""
import os, sys, time
if os.fork():
    sys.exit(0)
os.setsid()
if os.fork():
    sys.exit(0)
with open(sys.argv[1], "w") as handle:
    handle.write(str(os.getpid()))
if sys.argv[2] == "burn":
    while time.process_time() < 0.3:
        pass
else:
    time.sleep(600)
"""

# Kills the detached process and waits for it to be gone, as setup_byteful_simulator's sim_stop
# does; 600 checks (a minute at least) is a margin no busy machine reaches, only a zombie.
STOP = r"""
pid=$(cat "$1")
kill "$pid"
for i in $(seq 600); do
    kill -0 "$pid" 2>/dev/null || exit 0
    sleep 0.1
done
echo "process $pid still there after SIGTERM" >&2
exit 1
"""


def meter(tmp_path, *command):
    out = tmp_path / "cpu.txt"
    result = subprocess.run([sys.executable, TOOL, str(out)] + list(command), capture_output=True, text=True, timeout=300, check=False)
    total, user, system = (float(value) for value in out.read_text(encoding="utf-8").split())
    return result, total, user, system


def test_the_cpu_time_of_a_detached_process_is_counted(tmp_path):
    pid_file = tmp_path / "pid"
    # The command returns at once; the daemon burns its CPU after its parents are gone.
    result, total, user, system = meter(tmp_path, sys.executable, "-c", DAEMON, str(pid_file), "burn")
    assert result.returncode == 0, result.stderr
    assert total >= 0.3, (total, result.stderr)
    assert abs(total - (user + system)) < 0.15
    assert "still runs" not in result.stderr


def test_a_detached_process_that_ends_is_reaped_at_once_so_a_script_sees_it_gone(tmp_path):
    pid_file, daemon, stop = tmp_path / "pid", tmp_path / "daemon.py", tmp_path / "stop.sh"
    daemon.write_text(DAEMON, encoding="utf-8")
    stop.write_text(STOP, encoding="utf-8")
    script = '"%s" "%s" "%s" wait && bash "%s" "%s"' % (sys.executable, daemon, pid_file, stop, pid_file)
    result, dummy, dummy, dummy = meter(tmp_path, "bash", "-c", script)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("status", [0, 3])
def test_the_exit_status_is_the_commands(tmp_path, status):
    result, total, dummy, dummy = meter(tmp_path, "bash", "-c", "exit %d" % status)
    assert result.returncode == status
    assert total >= 0
