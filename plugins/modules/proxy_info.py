#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: proxy_info
short_description: List the Byteful account's proxies
version_added: 0.2.0
description:
  - Lists the account's proxies (C(GET /public/user/proxy/search)), every page of them, each validated against the
    collection's lenient Proxy schema (published as C(docs/proxy.schema.json)).
  - The filters are sent to the API and applied again to what comes back, since an API may ignore a filter; what the
    module returns matches the filters whatever the API did.
  - Credentials are left out of every proxy (C(proxy_password), C(default_proxy_user_password) and the
    C(http_formatted) and C(socks5_formatted) lines that hold them), and any of those passwords found in another field
    is masked as C(********). For proxy lines with credentials, for a template, use the
    P(byteful.proxy.proxy_list#lookup) lookup.
  - The module only reads; it never changes the account. Run it once, on the controller, with
    C(delegate_to) V(localhost) and C(run_once) V(true).
  - At most 50 pages of 100 proxies are read (5000 proxies); an account with more fails with one sentence that
    says how to narrow the search, so that one task cannot spend minutes of the account's rate limit.
options:
  service_id:
    description:
      - Only the proxies of this service, for example V(API-1234-5678) (see M(byteful.proxy.service_info)).
    type: str
  type:
    description:
      - Only proxies of this type (C(proxy_type)), V(datacenter), V(isp), V(residential) or V(mobile).
      - Another value is sent as it is, with a warning (a typo would otherwise return no proxy without a word).
    type: str
  country_id:
    description:
      - Only proxies in this country, by its code, for example V(us) or V(gb); compared in any case.
    type: str
  status:
    description:
      - Only proxies in this status (C(proxy_status)), V(available), V(in_use), V(reserved), V(waiting) or
        V(pending_deletion).
      - Another value is sent as it is, with a warning.
    type: str
  protocol:
    description:
      - Only proxies of this protocol (C(proxy_protocol)), V(ipv4), V(ipv6) or V(dual).
      - Another value is sent as it is, with a warning.
    type: str
extends_documentation_fragment:
  - byteful.proxy.connection
  - byteful.proxy.attributes
  - byteful.proxy.attributes.info_module
  - byteful.proxy.attributes.actiongroup_byteful
notes:
  - The live API sends values the documentation does not show (other statuses and types, coordinates as text, an
    upper-case country); the schema accepts them, and the module returns them as they came.
seealso:
  - module: byteful.proxy.service_info
  - module: byteful.proxy.proxy_user
  - plugin: byteful.proxy.proxy_list
    plugin_type: lookup
  - name: The Proxy schema
    description: The JSON schema every proxy is validated against.
    link: https://github.com/byteful/ansible-collection-proxy/blob/main/docs/proxy.schema.json
author:
  - byteful.proxy maintainers (@byteful)
"""

EXAMPLES = r"""
- name: The US ISP proxies in use
  byteful.proxy.proxy_info:
    type: isp
    country_id: us
    status: in_use
  delegate_to: localhost
  run_once: true
  register: byteful_proxies

- name: Their addresses
  ansible.builtin.debug:
    msg: "{{ byteful_proxies.proxies | map(attribute='proxy_ip_address') | select | list }}"
  run_once: true

- name: Stop unless a service delivered all the proxies it was bought for
  ansible.builtin.assert:
    that: byteful_proxies.proxies | selectattr('service_id', 'equalto', 'API-1234-5678') | list | length >= 20
    fail_msg: Service API-1234-5678 has fewer than its 20 proxies; see the Byteful dashboard.
  run_once: true
"""

RETURN = r"""
proxies:
  description:
    - The proxies that pass the filters, in the API's order, without their credentials.
    - Every documented field below is there; V(null) when the API left it out or sent V(null). Fields the API sends
      beyond these are returned as they came.
  returned: success
  type: list
  elements: dict
  contains:
    proxy_id:
      description: The proxy's id, a UUID.
      type: str
      returned: always
      sample: 3f2b8c1e-6a4d-4e7f-9b0a-1c2d3e4f5a01
    service_id:
      description: The service it belongs to.
      type: str
      returned: always
      sample: API-1234-5678
    proxy_status:
      description: V(available), V(in_use), V(reserved), V(waiting), V(pending_deletion), or another status.
      type: str
      returned: always
      sample: in_use
    proxy_type:
      description: V(datacenter), V(isp), V(residential) or V(mobile).
      type: str
      returned: always
      sample: isp
    proxy_protocol:
      description: V(ipv4), V(ipv6) or V(dual).
      type: str
      returned: always
      sample: ipv4
    proxy_ip_address:
      description: IPv4 address; V(null) for an IPv6-only proxy.
      type: str
      returned: always
      sample: 198.51.100.10
    proxy_ip_address_v6:
      description: IPv6 address; V(null) for an IPv4-only proxy.
      type: str
      returned: always
      sample: null
    proxy_http_port:
      description: HTTP port.
      type: int
      returned: always
      sample: 8080
    proxy_socks5_port:
      description: SOCKS5 port.
      type: int
      returned: always
      sample: 1080
    proxy_username:
      description: The proxy's own user name (its password is left out).
      type: str
      returned: always
      sample: px3f2b8c1e6a
    default_proxy_user_username:
      description: The account's default proxy user (its password is left out).
      type: str
      returned: always
      sample: default_1955
    proxy_user_ids:
      description: The proxy users that reach this proxy.
      type: list
      elements: str
      returned: always
      sample: ["default_1955", "scraper_eu_01"]
    country_id:
      description: Country code, as the API sent it.
      type: str
      returned: always
      sample: us
    city_name:
      description: City.
      type: str
      returned: always
      sample: Dallas
    asn_name:
      description: The network's autonomous system.
      type: str
      returned: always
      sample: AT&T Enterprises, LLC
    proxy_last_update_datetime:
      description: When the proxy last changed (UTC), as the API sent it.
      type: str
      returned: always
      sample: "2026-03-01 10:00:00"
failure:
  description:
    - What went wrong, for tasks that handle the failure themselves (C(failed_when), C(ignore_errors), C(rescue)).
    - The task's C(msg) says the same as one sentence.
  returned: failure
  type: dict
  contains:
    status:
      description: HTTP status of the API's answer, when there was one.
      type: int
      returned: when the API answered
      sample: 401
    error:
      description: The API's error code.
      type: str
      returned: when the API sent one
      sample: Unauthorized
    api_message:
      description: The API's own message.
      type: str
      returned: when the API sent one
      sample: Invalid API key or secret.
    request_id:
      description: The API's request id; quote it to Byteful support.
      type: str
      returned: when the API sent one
      sample: 0b6f8d7e-3c2a-4f1e-9b8d-7a6c5e4f3d2b
    url:
      description: The URL that was requested.
      type: str
      returned: when a request was made
      sample: https://api.byteful.com/1.0/public/user/proxy/search?page=1&per_page=100
    reason:
      description:
        - What went wrong when there was no usable HTTP answer, as the words that follow the URL in C(msg).
      type: str
      returned: when the API could not be reached, did not answer in time or broke off its answer
      sample: could not be reached (Connection refused)
    attempts:
      description: How many requests were made, retries included.
      type: int
      returned: when a request was made
      sample: 4
    errors:
      description: For an answer that does not match the schema, one entry per failing field.
      type: list
      elements: dict
      returned: when the answer does not match the schema
      sample: [{"path": "$.proxies[3].proxy_http_port", "expected": "integer or null", "found": "string \"8080\""}]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.byteful.proxy.plugins.module_utils._api import CONNECTION_ARGUMENT_SPEC
from ansible_collections.byteful.proxy.plugins.module_utils._proxy import FILTERS, search_proxies, unknown_value_warnings
from ansible_collections.byteful.proxy.plugins.module_utils._read_only_module import run_read_only

ARGUMENT_SPEC = dict(CONNECTION_ARGUMENT_SPEC, **{option: dict(type="str") for option, dummy, dummy in FILTERS})


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    filters = {option: module.params[option] for option, dummy, dummy in FILTERS}
    for warning in unknown_value_warnings(filters):
        module.warn(warning)
    run_read_only(module, lambda client: {"proxies": search_proxies(client, filters)})


if __name__ == "__main__":
    main()
