# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTTP side: the request handler, the server (HTTP or HTTPS) and Simulator, the server in a thread for tests."""

from __future__ import annotations

import base64
import datetime
import email.utils
import ipaddress
import os
import socket
import socketserver
import ssl
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, urlsplit

from .control import handle_control
from .protocol import (API_PREFIX, ATTEMPT_HEADER, CONTROL_PREFIX, DEFAULT_HOST, DEFAULT_PRIVATE_KEY, MAX_REQUEST_BODY, RATE_LIMIT_PER_SECOND, InvalidRequest,
                       default_error, error_envelope, json_bytes, new_request_id)
from .resources import ROUTES_BY_NAME, find_route
from .resources.route import ApiRequest, RouteError
from .state import SimulatorState


class _Response:
    """What to send: status, headers (in order, last one of a name wins), body."""

    def __init__(self, status, body=b"", content_type="application/json", headers=None):
        self.status = status
        self.body = body
        self.headers = {"content-type": ("Content-Type", content_type)}
        for name, value in (headers or {}).items():
            self.set_header(name, value)

    def set_header(self, name, value):
        self.headers[name.lower()] = (name, str(value))


class SimulatorHandler(BaseHTTPRequestHandler):
    """One request: an API call or a control call."""

    protocol_version = "HTTP/1.1"
    server_version = "BytefulSimulator/1.0"
    sys_version = ""
    request_id = None
    public_key = None
    logged_path = None
    counted = None  # this request's entry of the state's attempts_by_account (what it was sent for, what it got)

    # every method goes through _dispatch, which answers 405 where it does not apply
    def do_GET(self):  # pylint: disable=invalid-name
        self._dispatch()

    do_POST = do_GET
    do_PUT = do_GET
    do_DELETE = do_GET
    do_PATCH = do_GET
    do_OPTIONS = do_GET
    do_HEAD = do_GET

    @property
    def state(self):
        return self.server.state

    # -- BaseHTTPRequestHandler hooks -----------------------------------------------------

    def log_request(self, code="-", size="-"):
        """Requests are logged by _finish, with the fields we want."""

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        try:
            text = format % args
        except (TypeError, ValueError):
            text = str(format)
        self.state.log("server: %s" % text)

    def send_error(self, code, message=None, explain=None):
        """Errors raised by the request parser (bad request line, unsupported method...) as JSON envelopes."""
        self.request_id = self.request_id or new_request_id()
        self.close_connection = True
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # answer with a status line all the same
        error, default_message = default_error(code)
        body = json_bytes(error_envelope(error, message or default_message, self.request_id))
        self._send(_Response(code, body))

    # -- sending --------------------------------------------------------------------------

    def _send(self, response, body=None, declared_length=None):
        """Send status, headers and body (or `body` if given; `declared_length` overrides Content-Length)."""
        payload = response.body if body is None else body
        self.send_response(response.status)
        for name, value in response.headers.values():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload) if declared_length is None else declared_length))
        self.send_header("X-Request-Id", self.request_id)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        self._count(response.status)
        # Logged before the body goes out, as the count is: a client that has its answer may stop the
        # simulator at once, and a line written after that would be lost.
        self._finish(response.status)
        if self.command != "HEAD" and payload:
            self._write(payload)

    def _write(self, data):
        try:
            self.wfile.write(data)
            self.wfile.flush()
            return True
        except OSError:
            return False

    def _count(self, status):
        """Count the status of an API response (before the client can read it, so that stats agree with what it saw)."""
        if self.logged_path is not None and not self.logged_path.startswith(CONTROL_PREFIX):
            self.state.count_status(status)
        self._answered(status)

    def _answered(self, answer):
        """What this request was given (the first word counts: a fault's action before the status it sends)."""
        if self.counted is not None and self.counted["answer"] is None:
            self.counted["answer"] = answer

    def _finish(self, status):
        self.state.log("%s %s public_key=%s status=%s request_id=%s%s" % (
            self.command or "-", self.logged_path or "-", self.public_key or "-", status, self.request_id,
            "" if self.counted is None or self.counted["attempt"] is None else " attempt=%s" % self.counted["attempt"]))

    def send_error_envelope(self, status, error=None, message=None, headers=None, extra=None):
        status_error, status_message = default_error(status)
        body = error_envelope(error or status_error, message or status_message, self.request_id, extra)
        self._send(_Response(status, json_bytes(body), headers=headers))

    def send_json(self, status, value):
        self._send(_Response(status, json_bytes(value)))

    # -- reading --------------------------------------------------------------------------

    def _read_body(self):
        """The request body (bytes); raises InvalidRequest on a body we will not read."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            total = 0
            while True:
                size_line = self.rfile.readline(1024)
                try:
                    size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                except ValueError as exc:
                    raise InvalidRequest("bad chunk size") from exc
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > MAX_REQUEST_BODY:
                    raise InvalidRequest("the request body is too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            length = int(length)
        except ValueError as exc:
            raise InvalidRequest("bad Content-Length") from exc
        if length < 0 or length > MAX_REQUEST_BODY:
            raise InvalidRequest("bad Content-Length")
        return self.rfile.read(length)

    # -- dispatch -------------------------------------------------------------------------

    def _dispatch(self):
        self.request_id = new_request_id()
        self.close_connection = True
        self.state.touch()
        parts = urlsplit(self.path)
        path = parts.path
        self.logged_path = path
        self.public_key = self.state.redact(self.headers.get("X-API-Public-Key"))
        try:
            raw_body = self._read_body()
        except InvalidRequest as exc:
            if not path.startswith(CONTROL_PREFIX):
                self.counted = self.state.count_request(self.headers.get("X-API-Public-Key"), path, self.command,
                                                        attempt=self.headers.get(ATTEMPT_HEADER))
            self.send_error_envelope(400, message=str(exc))
            return
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            self._control(path[len(CONTROL_PREFIX):], raw_body)
        else:
            self._api(path, parts.query, raw_body)

    def _api(self, path, query, raw_body):
        state = self.state
        public_key = self.headers.get("X-API-Public-Key")
        route, path_id = find_route(path)
        # counted by method too, so that a test can prove that nothing but GETs and quotes were sent
        self.counted = state.count_request(public_key, path, self.command, route.name if route else None,
                                           attempt=self.headers.get(ATTEMPT_HEADER))
        if route is None:
            self.send_error_envelope(404)
            return
        if self.command != route.method:
            self.send_error_envelope(405, headers={"Allow": route.method})
            return
        account = state.get_account(public_key) if public_key else None
        if account is None or not state.check_private_key(self.headers.get("X-API-Private-Key")):
            self.send_error_envelope(401)
            return
        if not state.admit(public_key):
            self.send_error_envelope(429, message="Rate limit exceeded: at most %d requests per second." % state.rate_limit_per_second,
                                     headers={"Retry-After": "1"})
            return
        request = ApiRequest(query, raw_body, path_id=path_id, keep_secret=state.keep_secret,
                             change_account=lambda change: state.change_account(public_key, change))
        step = state.next_step(public_key, account.get("faults"), route.name)
        try:
            if step is None:
                self._send(self._normal(route, account, request))
            else:
                self._fault(step, route, account, request)
        except RouteError as exc:
            self.send_error_envelope(exc.status, message=exc.message)

    def _normal(self, route, account, request):
        return _Response(route.status, json_bytes(route.envelope(account, request)))

    def _fault(self, step, route, account, request):
        state = self.state
        # "commit": the route does its work first (a create takes effect), whatever the step then answers
        committed = self._commit(route, account, request) if step.get("commit") else None
        action = step.get("action", "respond")
        if action != "respond":
            self._answered(action)
        elif step.get("delay"):
            self._answered("delay")
        if action == "hang":
            self.state.log("%s %s public_key=%s status=hang request_id=%s" % (self.command, self.logged_path, self.public_key, self.request_id))
            state.stop_event.wait()
            self.close_connection = True
            return
        if step.get("delay") and state.wait(step["delay"]):
            self.close_connection = True
            return
        if action == "close":
            self.close_connection = True
            self.state.log("%s %s public_key=%s status=closed request_id=%s" % (self.command, self.logged_path, self.public_key, self.request_id))
            return
        response = self._fault_response(step, route, account, request, committed)
        if action in ("truncate", "cut"):
            cut = step.get("truncate_at", len(response.body) // 2)
            self._send(response, body=response.body[:cut], declared_length=len(response.body) if action == "cut" else None)
        elif action in ("trickle", "trickle_headers"):
            self._trickle(response, step.get("interval", 0.5), headers_too=action == "trickle_headers")
        else:
            self._send(response)

    @staticmethod
    def _commit(route, account, request):
        """The route's answer, or the RouteError it raised (kept to be sent, or not, as the step says)."""
        try:
            return route.envelope(account, request)
        except RouteError as exc:
            return exc

    def _fault_response(self, step, route, account, request, committed=None):
        status = step.get("status")
        if status is None:
            value = route.envelope(account, request) if committed is None else committed
            if isinstance(value, RouteError):
                raise value
            response = _Response(route.status)
        elif "body" in step:
            value = step["body"]
            response = _Response(status)
        else:
            status_error, status_message = default_error(status)
            message = step.get("message", status_message)
            if step.get("echo_key"):
                # Deliberately unredacted: the body goes to the client, never to the log.
                message = "%s The key sent was %s." % (message, self.headers.get("X-API-Private-Key"))
            value = error_envelope(step.get("error", status_error), message, self.request_id, step.get("extra"))
            response = _Response(status)
        if step.get("pad_bytes") and isinstance(value, dict):
            value = dict(value)
            value["padding"] = "x" * step["pad_bytes"]
        if isinstance(value, str):
            response.body = value.encode("utf-8")
            response.set_header("Content-Type", step.get("content_type", "text/plain; charset=utf-8"))
        else:
            response.body = json_bytes(value)
            response.set_header("Content-Type", step.get("content_type", "application/json"))
        if "body_base64" in step:
            response.body = base64.b64decode(step["body_base64"])
            response.set_header("Content-Type", step.get("content_type", "application/json"))
        for name, header_value in step.get("headers", {}).items():
            response.set_header(name, header_value)
        if "retry_after_date" in step:
            response.set_header("Retry-After", email.utils.formatdate(time.time() + step["retry_after_date"], usegmt=True))
        return response

    def _trickle(self, response, interval, headers_too=False):
        """One byte per interval (until the server stops): the body, or the status line and headers too."""
        lines = ["%s %d %s" % (self.protocol_version, response.status, self.responses.get(response.status, ("",))[0])]
        lines.extend("%s: %s" % pair for pair in response.headers.values())
        lines.extend(["Content-Length: %d" % len(response.body), "X-Request-Id: %s" % self.request_id, "Connection: close"])
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.close_connection = True
        self._count(response.status)
        if headers_too:
            slow, quick = head + response.body, b""
        else:
            slow, quick = response.body, head
        if quick and not self._write(quick):
            return
        for index in range(len(slow)):
            if index and self.state.wait(interval):
                return
            if not self._write(slow[index:index + 1]):
                return
        self._finish(response.status)

    # -- control API (control.py) -----------------------------------------------------------

    def _control(self, sub, raw_body):
        handle_control(self, sub, raw_body)


def write_file(path, text):
    """Write text to path atomically."""
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def make_tls_context(host, cert_file):
    """A server SSLContext with a new self-signed certificate for host; the certificate is written to cert_file.

    The certificate is its own CA (a client trusts it through ca_path) and names host, localhost,
    127.0.0.1 and ::1. The private key never touches the disk for longer than loading it takes.
    """
    # Imported here: only TLS mode needs it, and ansible-core depends on it anyway.
    from cryptography import x509  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives.asymmetric import ec  # pylint: disable=import-outside-toplevel
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # pylint: disable=import-outside-toplevel

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Byteful simulator (self-signed, for tests)")])
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.IPAddress(ipaddress.ip_address("::1"))]
    try:
        address = x509.IPAddress(ipaddress.ip_address(host))
        if address not in names:
            names.append(address)
    except ValueError:
        if host != "localhost":
            names.append(x509.DNSName(host))
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    certificate_pem = certificate.public_bytes(serialization.Encoding.PEM)
    write_file(cert_file, certificate_pem.decode("ascii"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    fd, key_file = tempfile.mkstemp(prefix="byteful-sim-key-", suffix=".pem")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        context.load_cert_chain(cert_file, key_file)
    finally:
        os.remove(key_file)
    return context


class SimulatorServer(ThreadingHTTPServer):
    """The HTTP server; `state` holds everything the handlers share. With tls_cert_file, it speaks HTTPS."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host, port, state, tls_cert_file=None):
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.state = state
        self._stop_lock = threading.Lock()
        self._serving = False
        self.tls_context = make_tls_context(host, tls_cert_file) if tls_cert_file else None
        super().__init__((host, port), SimulatorHandler)

    def finish_request(self, request, client_address):
        """Handle one connection; in TLS mode the handshake happens here, in the connection's own thread."""
        if self.tls_context is None:
            super().finish_request(request, client_address)
            return
        try:
            request.settimeout(10)  # a client that never finishes its handshake does not hold the thread forever
            tls_request = self.tls_context.wrap_socket(request, server_side=True)
            tls_request.settimeout(None)
        except (ssl.SSLError, OSError) as exc:
            # A client refusing the self-signed certificate ends here: that is the point of the test.
            self.state.log("server: TLS handshake with %s failed: %s" % (client_address[0], exc))
            return
        try:
            super().finish_request(tls_request, client_address)
        finally:
            tls_request.close()

    def server_bind(self):
        # HTTPServer.server_bind resolves the host name, which can be slow; nothing here needs it
        socketserver.TCPServer.server_bind(self)
        self.server_name = self.server_address[0]
        self.server_port = self.server_address[1]

    @property
    def port(self):
        return self.server_address[1]

    @property
    def root_url(self):
        host = self.server_address[0]
        if ":" in host:
            host = "[%s]" % host
        return "%s://%s:%d" % ("https" if self.tls_context else "http", host, self.port)

    @property
    def base_url(self):
        return self.root_url + API_PREFIX

    def serve(self):
        """serve_forever, remembering that it runs (so that stop never waits for a loop that never started)."""
        with self._stop_lock:
            if self.state.stop_event.is_set():
                return
            self._serving = True
        try:
            self.serve_forever(poll_interval=0.2)
        finally:
            self._serving = False

    def stop(self):
        """Stop serving (from any thread but the serving one); hanging requests are released."""
        self.state.stop_event.set()
        with self._stop_lock:
            serving = self._serving
        if serving:
            self.shutdown()

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        self.state.log("server: error while handling a request from %s: %s: %s" % (client_address[0], type(exc).__name__, exc))


def idle_watchdog(server, idle_timeout):
    """Stop the server after idle_timeout seconds without a request."""
    state = server.state
    check = min(1.0, max(0.05, idle_timeout / 4.0))
    while not state.stop_event.wait(check):
        if time.monotonic() - state.last_activity >= idle_timeout:
            state.log("server: idle for %.1f s, stopping" % idle_timeout)
            server.stop()
            return


class Simulator:
    """The simulator in a background thread, for tests.

    with Simulator() as sim:
        url = sim.base_url + "/public/user/customer/retrieve"
        headers = sim.headers("healthy")
        ...
        sim.stats(); sim.reset(); sim.set_account("mine", customer={...}, faults=[...])
    """

    def __init__(self, host=DEFAULT_HOST, port=0, private_key=DEFAULT_PRIVATE_KEY, rate_limit=True,
                 rate_limit_per_second=RATE_LIMIT_PER_SECOND, delay_scale=1.0, log_file=None, verbose=False, idle_timeout=0,
                 tls_cert_file=None):
        self.host = host
        self.requested_port = port
        self.private_key = private_key
        self.idle_timeout = idle_timeout
        # With a path, the simulator serves HTTPS and writes its self-signed certificate there.
        self.tls_cert_file = tls_cert_file
        self.state = SimulatorState(private_key=private_key, rate_limit=rate_limit, rate_limit_per_second=rate_limit_per_second,
                                    delay_scale=delay_scale, log_file=log_file, verbose=verbose)
        self.server = None
        self._threads = []

    def start(self):
        if self.server is not None:
            raise RuntimeError("the simulator is already started")
        self.server = SimulatorServer(self.host, self.requested_port, self.state, tls_cert_file=self.tls_cert_file)
        serving = threading.Thread(target=self.server.serve, name="byteful-simulator", daemon=True)
        serving.start()
        self._threads.append(serving)
        if self.idle_timeout:
            watchdog = threading.Thread(target=idle_watchdog, args=(self.server, self.idle_timeout), name="byteful-simulator-idle", daemon=True)
            watchdog.start()
            self._threads.append(watchdog)
        return self

    def stop(self):
        if self.server is None:
            return
        self.server.stop()
        for thread in self._threads:
            thread.join(timeout=5)
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def port(self):
        return self.server.port

    @property
    def root_url(self):
        """http://HOST:PORT, or https:// in TLS mode (the control API is under root_url + '/_sim')."""
        return self.server.root_url

    @property
    def base_url(self):
        """http(s)://HOST:PORT/1.0, the API base URL."""
        return self.server.base_url

    @property
    def control_url(self):
        return self.server.root_url + CONTROL_PREFIX

    def url(self, route="customer", item_id=None):
        """The URL of an API route by name (docs/simulator.md lists them); item_id fills a path's {id}."""
        found = ROUTES_BY_NAME[route]
        if found.prefix is None:
            return self.server.root_url + found.path
        if item_id is None:
            raise ValueError("the route %s needs an item_id" % route)
        return self.server.root_url + found.prefix + quote(str(item_id), safe="")

    def headers(self, public_key, private_key=None):
        """The two authentication headers for an account."""
        return {"X-API-Public-Key": public_key, "X-API-Private-Key": self.private_key if private_key is None else private_key}

    def stats(self):
        return self.state.stats()

    def reset(self, accounts=False):
        self.state.reset(accounts=accounts)

    def set_account(self, name, customer=None, faults=None, residential_summary=None, mobile_summary=None, **served):
        """Define or replace an account; True when it is new.

        Arguments left as None keep their value (for a new account: the healthy customer, no faults,
        summaries, services, usage and proxy users derived from the customer). served: services,
        usage, proxy_users, proxy_user_writes, proxies, search, datetime_form (accounts.py). A customer of JSON null is made with
        PUT /_sim/accounts/<name> {"customer": null}, or served by the fault_null_data account.
        """
        definition = {key: value for key, value in served.items() if value is not None}
        for key, value in (("customer", customer), ("faults", faults), ("residential_summary", residential_summary), ("mobile_summary", mobile_summary)):
            if value is not None:
                definition[key] = value
        return self.state.set_account(name, definition)

    def delete_account(self, name):
        return self.state.delete_account(name)

    def set_config(self, **changes):
        return self.state.set_config(changes)

    def wait(self, timeout=None):
        """Wait until the server stops (e.g. after POST /_sim/shutdown); True when it did."""
        return self.state.stop_event.wait(timeout)
