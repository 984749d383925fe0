# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: proxy_list
short_description: The Byteful account's proxies as formatted lines with credentials, for templates
version_added: 0.2.0
description:
  - Returns the account's proxies as lines, such as V(198.18.0.1:8080:scraper_eu_01:password) or
    V(http://scraper_eu_01:password@198.18.0.1:8080), from C(GET /public/user/proxy/list_by_search), every page of
    them, in the API's order.
  - The lines hold credentials. They never appear in the lookup's errors, and within one C(ansible-playbook) run every
    host and task asking for the same list (the same account and options) share one API call, through the run cache,
    whose entry holds them encrypted (see the notes).
  - The values come from the API and are never templated again, so a line holding C({{ }}) stays text.
extends_documentation_fragment:
  - byteful.proxy.connection
  - byteful.proxy.connection.plugins
  - byteful.proxy.connection.run_cache
options:
  _terms:
    description: No terms; the list is chosen by the options below.
    required: false
  format:
    description:
      - V(standard) is C(host:port:user:password) (C(host:port) without credentials); V(http), V(https), V(socks5)
        and V(socks5h) are URLs, C(scheme://user:password@host:port).
      - Another value fails with one sentence that lists these, before any request.
    type: str
    default: standard
  protocol:
    description:
      - The port of a V(standard) line, V(http) or V(socks5) (C(list_protocol)). The URL formats take their scheme's.
    type: str
    default: http
  version:
    description:
      - V(ipv4) or V(ipv6) addresses (C(list_version)); proxies without one are left out.
    type: str
    default: ipv4
  authentication:
    description:
      - Whose credentials the lines hold (C(list_authentication)), V(username_and_password) those of O(proxy_user_id)
        (the account's default proxy user without it), V(proxy_specific) each proxy's own, V(ip_address) none
        (for users authenticated by IP address).
    type: str
    default: username_and_password
  proxy_user_id:
    description:
      - The proxy user whose credentials the lines hold; only the proxies that user reaches are listed.
      - Create it first with M(byteful.proxy.proxy_user).
    type: str
  service_id:
    description: Only the proxies of this service.
    type: str
  type:
    description: Only proxies of this type, V(datacenter), V(isp), V(residential) or V(mobile).
    type: str
  country_id:
    description: Only proxies in this country, for example V(us).
    type: str
  status:
    description: Only proxies in this status, for example V(in_use).
    type: str
notes:
  - "Where the credentials go: the lines are the lookup's return value, so they are wherever your play puts them.
    A template renders them into the file it writes; C(--diff) on that task would print them, so give it
    C(diff: false) (or C(no_log: true), which also hides the task's result). C(ansible.builtin.debug) would print them;
    C(set_fact) would keep them in the host's facts (and in a fact cache). The lookup itself prints nothing, at any
    verbosity."
  - "The run cache: an entry is a file in the run's private temporary directory (mode 0700, removed when the run ends).
    A list's entry holds the lines encrypted and authenticated (Fernet, from the C(cryptography) package that
    ansible-core requires) under a key derived from the private key, so the file shows nothing usable to whoever
    reads it, and nothing the private key could not fetch from the API anyway. Its name is a digest, never the
    options or a key. C(cache: false) writes nothing."
  - Errors name the option, the HTTP status, the API's message and request id; a line that is not one proxy line is
    named by its number and JSON type, never by its content.
  - The options come from the lookup's keyword arguments, the C(byteful_*) variables, the C([byteful]) section of
    C(ansible.cfg) and the E(BYTEFUL_API_*) environment variables, as for the P(byteful.proxy.customer#lookup) lookup.
  - Use C(query) (or C(wantlist=true)) for a list; C(lookup) joins the lines with commas.
seealso:
  - module: byteful.proxy.proxy_user
  - module: byteful.proxy.proxy_info
  - name: From gate to running proxies
    description: Gate the account, create proxy users, render proxy lists, in one run.
    link: https://github.com/byteful/ansible-collection-proxy/blob/main/docs/docsite/rst/from_gate_to_running_proxies.rst
author:
  - byteful.proxy maintainers (@byteful)
"""

EXAMPLES = r"""
- name: A proxy list per host, with the credentials of its proxy user
  ansible.builtin.template:
    src: proxies.txt.j2     # {% for line in query('byteful.proxy.proxy_list', proxy_user_id='scraper_eu_01') %}{{ line }}
                            # {% endfor %}
    dest: /etc/scraper/proxies.txt
    mode: "0600"
  diff: false               # the file holds passwords: keep them out of --diff

- name: SOCKS5 URLs of the US ISP proxies, for one host's environment
  ansible.builtin.copy:
    content: "{{ query('byteful.proxy.proxy_list', format='socks5h', proxy_user_id='scraper_us_01', type='isp', country_id='us') | join('\n') }}\n"
    dest: /etc/scraper/socks.txt
    mode: "0600"
  no_log: true

- name: Lines without credentials, for proxy users authenticated by IP address
  ansible.builtin.set_fact:
    office_proxies: "{{ query('byteful.proxy.proxy_list', authentication='ip_address', status='in_use') }}"
"""

RETURN = r"""
_raw:
  description:
    - The lines, one per proxy, in the API's order; empty when no proxy matches.
  type: list
  elements: str
"""

from ansible.errors import AnsibleLookupError
from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.byteful.proxy.plugins.module_utils._api import CONNECTION_OPTIONS, HAS_REQUESTS, BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_list import (
    LIST_FILTERS,
    LIST_OPTIONS,
    fetch_proxy_lines,
    list_params,
)
from ansible_collections.byteful.proxy.plugins.module_utils._schema import HAS_JSONSCHEMA
from ansible_collections.byteful.proxy.plugins.plugin_utils._account import (
    AccountSession,
    option_names,
    set_plugin_options,
    variable_names,
)

display = Display()

# Every option named as the user set it: a keyword of this lookup, else its variable (see the customer lookup).
KEYWORD_NAMES = {option: "the lookup's %s keyword" % option
                 for option in CONNECTION_OPTIONS + ("cache", "cache_ttl", "proxy_user_id")
                 + tuple(option for option, dummy, dummy in LIST_OPTIONS) + tuple(LIST_FILTERS)}
KEYS_WHERE = "the play's variables, the lookup's keywords (api_public_key=..., api_private_key=...)"


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        try:
            set_plugin_options(self, self._templar, variables or {}, kwargs, KEYWORD_NAMES)
        except BytefulError as exc:
            raise AnsibleLookupError(exc.message) from None
        for library, present in (("requests", HAS_REQUESTS), ("jsonschema", HAS_JSONSCHEMA)):
            if not present:
                raise AnsibleLookupError(missing_required_lib(library))
        if terms:
            raise AnsibleLookupError("The byteful.proxy.proxy_list lookup takes no terms, but got %d; choose the list "
                                     "with its options, for example query('byteful.proxy.proxy_list', "
                                     "proxy_user_id='scraper_eu_01')." % len(terms))
        names = [option for option, dummy, dummy in LIST_OPTIONS] + ["proxy_user_id"] + list(LIST_FILTERS)
        try:
            params = list_params({name: self.get_option(name) for name in names})
            session = AccountSession(self, option_names(self, KEYWORD_NAMES, variable_names(self)), KEYS_WHERE, display.warning)
            return session.read_sealed("proxy_list", params, lambda client: fetch_proxy_lines(client, params))
        except BytefulError as exc:
            # from None: the chained exception would only repeat the sentence as a traceback.
            raise AnsibleLookupError(exc.message) from None
