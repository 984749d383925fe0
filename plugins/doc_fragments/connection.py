# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Options that reach the Byteful API, shared by every module and lookup of byteful.proxy.

    DOCUMENTATION is what a module sees (it reads the environment through argument-spec
    fallbacks); PLUGINS adds the sources a lookup resolves with Ansible's precedence.
    """

    DOCUMENTATION = r"""
options:
  api_url:
    description:
      - Root of the Byteful API, without a trailing path to an endpoint.
      - If not set, the E(BYTEFUL_API_URL) environment variable is used.
      - The client never follows redirects, so the keys are never sent to another address.
      - An C(http://) URL is refused unless its host is this machine (C(localhost), C(127.0.0.1), C(::1)) or
        O(allow_insecure_http=true), since it would send the private key in clear text.
      - A user name or password in the URL is refused; the keys are options of their own.
    type: str
    default: https://api.byteful.com/1.0
  api_public_key:
    description:
      - The account's public API key, sent as the C(X-API-Public-Key) header.
      - If not set, the E(BYTEFUL_API_PUBLIC_KEY) environment variable is used.
    type: str
  api_private_key:
    description:
      - The account's private API key, sent as the C(X-API-Private-Key) header and nowhere else.
      - If not set, the E(BYTEFUL_API_PRIVATE_KEY) environment variable is used.
      - Keep it in Ansible Vault or the environment; it is never shown in output, errors or return values.
    type: str
  validate_certs:
    description:
      - Verify the API's TLS certificate.
      - Set to V(false) only for a test server; a certificate signed by a private CA is better served by O(ca_path).
      - V(false) gives a warning on every run, since whoever answers in the API's place receives the private key.
    type: bool
    default: true
  ca_path:
    description:
      - Path to a PEM file (or a directory) of CA certificates to verify the API's certificate with, instead of the
        system bundle.
    type: path
  timeout:
    description:
      - Seconds one request may take, from connecting to the last byte of the answer; above 0 and at most 3600.
      - A server that keeps sending a byte now and then is cut off all the same, a quarter of a second after the
        deadline.
      - Retries come on top; see O(retries).
    type: float
    default: 10
  retries:
    description:
      - How many times a request is retried after a server error (HTTP 500, 502, 503, 504), a timeout or a connection
        failure. Waits between attempts grow from 1 to 8 seconds with jitter.
      - A rate limit (HTTP 429) is retried within O(rate_limit_wait) instead.
      - V(0) disables these retries.
      - "With the defaults a call takes at most about 91 seconds: 30 seconds of O(rate_limit_wait), then the last
        rate-limited attempt and 4 attempts of 10 seconds with 3 waits of up to 10 seconds in all."
    type: int
    default: 3
  rate_limit_wait:
    description:
      - Seconds a request may spend, from its first attempt, on the API's rate limit (10 requests per second per
        account) before it fails, waiting out HTTP 429 answers and waiting for its turn among the other processes of
        this user on this machine that call the same account.
      - After a 429 the client waits what the API's C(Retry-After) header asks plus up to half of it at random (at
        least up to half a second), so that many jobs turned away together do not all come back together; a
        C(Retry-After) of more than 20 seconds, or more than what is left, fails at once.
      - V(0) fails on the first 429.
    type: float
    default: 30
    version_added: 0.2.0
  allow_insecure_http:
    description:
      - Allow an C(http://) O(api_url) to a host other than this machine, which sends the private key in clear text.
      - For a test server on a network you trust; every run gives a warning.
    type: bool
    default: false
notes:
  - Requests are spaced at least 0.1 seconds apart, the API's limit of 10 requests per second, across every process of
    the same user on the same machine that calls the same account, parallel C(ansible-playbook) runs included;
    they share a small state file per account in a directory only that user can enter (E(XDG_RUNTIME_DIR), else the
    system's temporary directory). It holds times, never a key. After a 429 all of them slow down.
requirements:
  - requests
  - jsonschema
"""

    PLUGINS = r"""
options:
  api_url:
    env:
      - name: BYTEFUL_API_URL
    vars:
      - name: byteful_api_url
    ini:
      - section: byteful
        key: api_url
  api_public_key:
    env:
      - name: BYTEFUL_API_PUBLIC_KEY
    vars:
      - name: byteful_api_public_key
    ini:
      - section: byteful
        key: api_public_key
  api_private_key:
    env:
      - name: BYTEFUL_API_PRIVATE_KEY
    vars:
      - name: byteful_api_private_key
  validate_certs:
    vars:
      - name: byteful_validate_certs
    ini:
      - section: byteful
        key: validate_certs
  ca_path:
    vars:
      - name: byteful_ca_path
    ini:
      - section: byteful
        key: ca_path
  timeout:
    vars:
      - name: byteful_timeout
    ini:
      - section: byteful
        key: timeout
  retries:
    vars:
      - name: byteful_retries
    ini:
      - section: byteful
        key: retries
  rate_limit_wait:
    vars:
      - name: byteful_rate_limit_wait
    ini:
      - section: byteful
        key: rate_limit_wait
  allow_insecure_http:
    vars:
      - name: byteful_allow_insecure_http
    ini:
      - section: byteful
        key: allow_insecure_http
"""

    # The run cache of the lookups (plugin_utils/_run_cache.py): one API call per thing read, per run.
    RUN_CACHE = r"""
options:
  cache:
    description:
      - Share what the lookup read with every host and task of this run that asks for the same thing.
      - V(false) asks the API on every call.
    type: bool
    default: true
    vars:
      - name: byteful_cache
  cache_ttl:
    description:
      - Seconds a cached answer (or failure) is used before the API is asked again.
      - The cache never outlives the run; it is removed with the run's temporary directory.
    type: int
    default: 300
    vars:
      - name: byteful_cache_ttl
"""
