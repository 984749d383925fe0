#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: customer_info
short_description: Retrieve the Byteful account's Customer object
version_added: 0.1.0
description:
  - Fetches the authenticated account's Customer object from the Byteful API (C(GET /public/user/customer/retrieve))
    and validates it against the collection's JSON schema before returning it.
  - Use it to check credit and remaining residential or mobile data before provisioning proxies;
    the P(byteful.proxy.preflight#role) role does those checks for you.
  - "The module only reads; it never changes the account. Run it once, on the controller, with
    C(delegate_to: localhost) and C(run_once: true)."
extends_documentation_fragment:
  - byteful.proxy.connection
  - byteful.proxy.attributes
  - byteful.proxy.attributes.info_module
  - byteful.proxy.attributes.actiongroup_byteful
seealso:
  - plugin: byteful.proxy.customer
    plugin_type: lookup
  # Not a ref: ansible-doc turns a ref into a docs.ansible.com search, and seealso has no role type.
  - name: The byteful.proxy.preflight role
    description: Fail a play when credit or remaining data are below thresholds (C(ansible-doc -t role byteful.proxy.preflight)).
    link: https://github.com/byteful/ansible-collection-proxy/blob/main/roles/preflight/README.md
author:
  - byteful.proxy maintainers (@byteful)
"""

EXAMPLES = r"""
- name: Read the Byteful account once, on the controller
  byteful.proxy.customer_info:
    api_public_key: "{{ vault_byteful_public_key }}"
    api_private_key: "{{ vault_byteful_private_key }}"   # from an Ansible Vault encrypted vars file
  delegate_to: localhost
  run_once: true
  register: byteful

- name: Show the credit in dollars (the API may leave it out, then it is null)
  ansible.builtin.debug:
    msg: "Credit: {{ '$%.2f' | format(byteful.customer.credit_balance / 100) if byteful.customer.credit_balance is not none else 'not reported' }}"
  run_once: true

- name: Keys from BYTEFUL_API_PUBLIC_KEY and BYTEFUL_API_PRIVATE_KEY in the environment
  byteful.proxy.customer_info:
  delegate_to: localhost
  run_once: true
  register: byteful

- name: Set the keys once for every byteful.proxy module in a play
  module_defaults:
    group/byteful.proxy.byteful:
      api_public_key: "{{ vault_byteful_public_key }}"
      api_private_key: "{{ vault_byteful_private_key }}"
  block:
    - name: Read the account
      byteful.proxy.customer_info:
      delegate_to: localhost
      run_once: true
      register: byteful

- name: A private CA in front of the API
  byteful.proxy.customer_info:
    api_url: https://byteful-gateway.example.internal/1.0
    ca_path: /etc/pki/tls/certs/internal-ca.pem
    timeout: 5
  delegate_to: localhost
  run_once: true
  register: byteful
"""

RETURN = r"""
customer:
  description:
    - The account's Customer object, validated against the collection's schema (C(docs/customer.schema.json)).
    - Only C(customer_id) is required. The live API leaves out fields that are not set and sends
      V(null) for others, so every other documented field may be V(null); a field the API left out is
      returned as V(null) too, so that every documented field is always there. A field that is present has
      its documented type, or the task fails naming it.
    - Fields the API sends beyond the documented ones are returned as they came.
  returned: success
  type: dict
  contains:
    customer_id:
      description: Account id; quote it in support requests. Never V(null).
      type: int
      returned: success
      sample: 1955
    customer_email_address:
      description: Primary e-mail address of the account; V(null) when the API did not report it.
      type: str
      returned: success
      sample: steve.jobs@apple.com
    customer_first_name:
      description: Account holder's first name; V(null) when not set (a fresh API-only account has none).
      type: str
      returned: success
      sample: Steve
    customer_last_name:
      description: Account holder's last name; V(null) when not set.
      type: str
      returned: success
      sample: Jobs
    credit_balance:
      description:
        - Prepaid credit in cents (V(1245) is $12.45). Services bought through the API are paid from it.
        - Negative when the account owes money; V(null) when the API did not report it.
      type: int
      returned: success
      sample: 1245
    customer_proxy_user_limit:
      description: How many proxy users the account may create; V(null) when the API did not report it.
      type: int
      returned: success
      sample: 5
    proxy_count:
      description: Number of proxies on the account; V(null) when the API did not report it.
      type: int
      returned: success
      sample: 100
    residential_bytes_left:
      description:
        - Residential data left, in bytes; below zero when the service is overdrawn.
        - V(null) when the API did not report it, usually because the account has no residential service.
      type: int
      returned: success
      sample: 10737418240
    active_residential_service_id:
      description: Id of the active residential service; V(null) when there is none.
      type: str
      returned: success
      sample: 1955-8012-871
    active_residential_service_subscription_is_paused:
      description: V(true) when the active residential service is paused; V(null) when the API did not say.
      type: bool
      returned: success
      sample: false
    mobile_bytes_left:
      description:
        - Mobile data left, in bytes; below zero when the service is overdrawn.
        - V(null) when the API did not report it, usually because the account has no mobile service.
      type: int
      returned: success
      sample: 5368709120
    active_mobile_service_id:
      description: Id of the active mobile service; V(null) when there is none.
      type: str
      returned: success
      sample: 1955-8013-112
    active_mobile_service_is_paused:
      description: V(true) when the active mobile service is paused; V(null) when the API did not say.
      type: bool
      returned: success
      sample: false
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
      sample: req_3f9a1c2b
    url:
      description: The URL that was requested.
      type: str
      returned: when a request was made
      sample: https://api.byteful.com/1.0/public/user/customer/retrieve
    reason:
      description:
        - What went wrong when there was no usable HTTP answer, as the words that follow the URL in C(msg);
          C(could not be reached) with the network's reason (a refused connection, a name that does not resolve, a
          certificate that does not verify), C(did not answer within 10 s), C(broke off its answer), or an answer too
          large for a Customer object.
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
      sample: [{"path": "$.credit_balance", "expected": "integer or null", "found": "string \"1245\""}]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.byteful.proxy.plugins.module_utils._api import CONNECTION_ARGUMENT_SPEC
from ansible_collections.byteful.proxy.plugins.module_utils._customer import fetch_customer
from ansible_collections.byteful.proxy.plugins.module_utils._read_only_module import run_read_only


def main():
    module = AnsibleModule(argument_spec=CONNECTION_ARGUMENT_SPEC, supports_check_mode=True)
    run_read_only(module, lambda client: {"customer": fetch_customer(client)})


if __name__ == "__main__":
    main()
