# -*- coding: utf-8 -*-
"""Run a command and write the CPU seconds (user+sys) of everything it ran to a file.

    python3 tools/cpu_time.py FILE command [args...]

The count covers every process the command started, daemons included: this process makes itself
the subreaper of its descendants (Linux), so that one which detaches (the simulator's --daemon
double fork) comes back to it when its parent exits, is reaped here and adds its time to
RUSAGE_CHILDREN. FILE gets "<user+sys> <user> <sys>" in seconds; the exit status is the command's.
tools/test-matrix uses it for its table of stages.
"""

import ctypes
import os
import resource
import sys
import time

PR_SET_CHILD_SUBREAPER = 36
# A descendant still running this long after the command ended is not waited for (its time is
# then missing from the count, which says so).
GRACE_SECONDS = 15


def become_subreaper():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def run(command):
    """Start the command and reap every process that ends meanwhile, the command's own last.

    An orphan that ended must be reaped at once: unreaped, it stays a zombie that `kill -0` still
    finds, and a script waiting for its simulator to stop would wait in vain."""
    pid = os.posix_spawnp(command[0], command, os.environ)
    while True:
        ended, status = os.waitpid(-1, 0)
        if ended == pid:
            return os.waitstatus_to_exitcode(status)


def reap_orphans():
    """Wait for the descendants that still run once the command ended; True when none is left."""
    deadline = time.monotonic() + GRACE_SECONDS
    while True:
        try:
            pid = os.waitpid(-1, os.WNOHANG)[0]
        except ChildProcessError:
            return True
        if pid == 0:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    out, command = argv[1], argv[2:]
    become_subreaper()
    try:
        status = run(command)
    except OSError as error:
        sys.stderr.write("cpu-time: cannot run %s: %s\n" % (command[0], error))
        status = 127
    if not reap_orphans():
        sys.stderr.write("cpu-time: a process %s started still runs; its CPU time is not counted\n" % command[0])
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("%.1f %.1f %.1f\n" % (usage.ru_utime + usage.ru_stime, usage.ru_utime, usage.ru_stime))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
