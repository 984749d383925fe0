# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The command line: foreground or --daemon, the sandbox banner and --list-accounts."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import threading

from .accounts import CATALOGUE
from .docs import accounts_page
from .resources import held_secrets
from .protocol import API_PREFIX, DEFAULT_HOST, DEFAULT_PRIVATE_KEY, PRIVATE_KEY_ENV, RATE_LIMIT_PER_SECOND
from .server import SimulatorServer, idle_watchdog, write_file
from .state import SimulatorState


USAGE_EPILOG = """\
keys: the public key (X-API-Public-Key) names the simulated account, for example healthy;
the private key (X-API-Private-Key) is the same for every account: --private-key, else
$%(env)s, else the built-in test key %(key)s
(not a secret: it only opens this local simulator).

--banner prints, after the URL line, what to paste to point byteful.proxy at the simulator;
--list-accounts prints every account and fault with what it simulates.
Control API (no keys): ROOT/_sim/stats, /_sim/reset, /_sim/accounts[/NAME], /_sim/config,
/_sim/health, /_sim/shutdown.
""" % {"env": PRIVATE_KEY_ENV, "key": DEFAULT_PRIVATE_KEY}


def _parser():
    parser = argparse.ArgumentParser(
        prog="byteful_simulator",
        description="Local Byteful API simulator. Prints its base URL (http(s)://HOST:PORT/1.0) on one line once it listens.",
        epilog=USAGE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default: %(default)s)")
    parser.add_argument("--private-key", default=None,
                        help="the private key clients must send (default: $%s, else the built-in test key %s)" % (
                            PRIVATE_KEY_ENV, DEFAULT_PRIVATE_KEY))
    parser.add_argument("--url-file", help="also write the base URL to this file")
    parser.add_argument("--pid-file", help="write the server's process id to this file")
    parser.add_argument("--log-file", help="append one line per request to this file")
    parser.add_argument("--idle-timeout", type=float, default=0.0, help="stop after this many seconds without a request (0: never)")
    parser.add_argument("--daemon", action="store_true", help="detach; the command returns once the server listens")
    parser.add_argument("--banner", action="store_true",
                        help="in the foreground, also print the keys, the accounts and the shell exports to use (the sandbox)")
    parser.add_argument("--list-accounts", action="store_true", help="print every account and fault with what it simulates, and exit")
    parser.add_argument("--markdown", action="store_true", help="with --list-accounts: print docs/simulator.md instead")
    parser.add_argument("--list-secrets", action="store_true",
                        help="print every password the built-in accounts hold (proxy users, proxies), one a line, for leak "
                             "audits, and exit")
    parser.add_argument("--no-rate-limit", action="store_true", help="do not limit requests to %d per second per key" % RATE_LIMIT_PER_SECOND)
    parser.add_argument("--rate-limit-per-second", type=int, default=RATE_LIMIT_PER_SECOND, help="the rate limit (default: %(default)s)")
    parser.add_argument("--delay-scale", type=float, default=1.0, help="multiply every fault delay by this (default: %(default)s)")
    parser.add_argument("--tls-cert-file", help="serve HTTPS with a self-signed certificate made at start, and write that "
                                                "certificate (PEM, its own CA) to this file for clients to trust")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    return parser


def account_list(catalogue=CATALOGUE, indent=""):
    """The accounts, then the faults, one per line: name, padded, and its description."""
    rows = catalogue.describe()
    width = max(len(name) for name, _kind, _description in rows)
    lines = [indent + "Accounts (public key: what it simulates):"]
    kind_seen = "account"
    for name, kind, description in rows:
        if kind != kind_seen:
            lines.append(indent + "Faults (public key: what it answers; then as named in its file):")
            kind_seen = kind
        lines.append("%s  %-*s  %s" % (indent, width, name, description))
    return "\n".join(lines) + "\n"


def banner(base_url, private_key_source):
    """What a user needs to point byteful.proxy at this simulator. private_key_source: default, env or option."""
    if private_key_source == "default":
        key_line = "%s  (the built-in test key; not a secret)" % DEFAULT_PRIVATE_KEY
        key_export = DEFAULT_PRIVATE_KEY
    elif private_key_source == "env":
        key_line = "the value of $%s (not shown)" % PRIVATE_KEY_ENV
        key_export = '"$%s"' % PRIVATE_KEY_ENV
    else:
        key_line = "the one given with --private-key (not shown)"
        key_export = "<the key given with --private-key>"
    lines = [
        "",
        "Byteful simulator: a local stand-in for the Byteful API. Test data only; nothing here is real or billed.",
        "  Base URL:     %s" % base_url,
        "  Public keys:  the account names below (each selects one simulated account), for example healthy",
        "  Private key:  %s" % key_line,
        "",
        "Paste into the shell where you run ansible-playbook:",
        "  export BYTEFUL_API_URL=%s" % base_url,
        "  export BYTEFUL_API_PUBLIC_KEY=healthy",
        "  export BYTEFUL_API_PRIVATE_KEY=%s" % key_export,
        "",
    ]
    return "\n".join(lines) + "\n" + account_list(indent="") + (
        "\nControl API (no keys): %s/_sim/stats, /_sim/reset, /_sim/accounts. Stop with Ctrl-C.\n" % base_url[:-len(API_PREFIX)])


def _remove_pid_file(path):
    try:
        with open(path, encoding="utf-8") as handle:
            mine = handle.read().strip() == str(os.getpid())
        if mine:
            os.remove(path)
    except OSError:
        pass


def _private_key_source(args):
    """Where the private key comes from: option, env or default."""
    if args.private_key:
        return "option"
    return "env" if os.environ.get(PRIVATE_KEY_ENV) else "default"


def _start_error(exc, args):
    """Why the server could not start, in words a user can act on."""
    if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
        return "port %d on %s is already in use; pick another with --port, or --port 0 for any free one" % (args.port, args.host)
    return str(exc)


def _make_server(args):
    private_key = args.private_key or os.environ.get(PRIVATE_KEY_ENV) or DEFAULT_PRIVATE_KEY
    state = SimulatorState(private_key=private_key, rate_limit=not args.no_rate_limit, rate_limit_per_second=args.rate_limit_per_second,
                           delay_scale=args.delay_scale, log_file=args.log_file, verbose=args.verbose and not args.daemon)
    return SimulatorServer(args.host, args.port, state, tls_cert_file=args.tls_cert_file)


def _announce(server, args):
    """Write the pid file and url file (stdout is the caller's business)."""
    if args.pid_file:
        write_file(args.pid_file, "%d\n" % os.getpid())
    if args.url_file:
        write_file(args.url_file, server.base_url + "\n")


def _serve_until_stopped(server, args):
    """Serve in a thread; the main thread waits for a signal, /_sim/shutdown or the idle timeout."""
    state = server.state

    def _on_signal(signum, _frame):
        state.log("server: signal %d, stopping" % signum)
        state.stop_event.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    serving = threading.Thread(target=server.serve, name="byteful-simulator", daemon=True)
    serving.start()
    if args.idle_timeout > 0:
        threading.Thread(target=idle_watchdog, args=(server, args.idle_timeout), name="byteful-simulator-idle", daemon=True).start()
    state.log("server: listening on %s" % server.base_url)
    try:
        while not state.stop_event.wait(0.5):
            pass
    finally:
        server.stop()
        serving.join(timeout=5)
        server.server_close()
        if args.pid_file:
            _remove_pid_file(args.pid_file)
        state.log("server: stopped")
    return 0


def _absolute_paths(args):
    for name in ("url_file", "pid_file", "log_file", "tls_cert_file"):
        value = getattr(args, name)
        if value:
            setattr(args, name, os.path.abspath(value))


def _run_daemon(args):
    """Double-fork; the parent prints the URL and exits 0 once the detached server listens."""
    _absolute_paths(args)
    read_fd, write_fd = os.pipe()
    first = os.fork()
    if first:
        os.close(write_fd)
        chunks = []
        while True:
            chunk = os.read(read_fd, 4096)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(read_fd)
        os.waitpid(first, 0)
        report = b"".join(chunks).decode("utf-8", "replace").strip()
        if report.startswith("OK "):
            sys.stdout.write(report[3:] + "\n")
            sys.stdout.flush()
            return 0
        sys.stderr.write("byteful_simulator: the server did not start: %s\n" % (report[4:] if report.startswith("ERR ") else "no report"))
        return 1
    # first child: new session, then fork again so that the server is no session leader
    os.close(read_fd)
    os.setsid()
    if os.fork():
        os._exit(0)  # pylint: disable=protected-access
    status = 1
    try:
        os.chdir("/")
        try:
            server = _make_server(args)
        except (OSError, ValueError, ImportError) as exc:
            os.write(write_fd, ("ERR %s" % _start_error(exc, args)).encode("utf-8", "replace"))
            return 1
        try:
            _announce(server, args)
        except OSError as exc:
            server.server_close()
            os.write(write_fd, ("ERR %s" % exc).encode("utf-8", "replace"))
            return 1
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.close(devnull)
        os.write(write_fd, ("OK %s\n" % server.base_url).encode("utf-8"))
        os.close(write_fd)
        write_fd = None
        status = _serve_until_stopped(server, args)
    finally:
        if write_fd is not None:
            os.close(write_fd)
        os._exit(status)  # pylint: disable=protected-access
    return status


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    if args.list_secrets:
        sys.stdout.write("".join(secret + "\n" for secret in held_secrets(CATALOGUE.builtin_accounts())))
        return 0
    if args.list_accounts:
        sys.stdout.write(accounts_page() if args.markdown else account_list())
        return 0
    if args.banner and args.daemon:
        parser.error("--banner is for the foreground; a --daemon prints only its URL")
    if args.daemon:
        return _run_daemon(args)
    try:
        server = _make_server(args)
        _announce(server, args)
    except (OSError, ValueError, ImportError) as exc:
        sys.stderr.write("byteful_simulator: cannot start: %s\n" % _start_error(exc, args))
        return 1
    sys.stdout.write(server.base_url + "\n")
    if args.banner:
        sys.stdout.write(banner(server.base_url, _private_key_source(args)))
    sys.stdout.flush()
    return _serve_until_stopped(server, args)
