#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: proxy_user_info
short_description: How many proxy users the Byteful account has, and how many more fit under its limit
version_added: 0.2.0
description:
  - Counts the account's proxy users (C(GET /public/user/proxy_user/search)) and compares the count with the
    account's limit, C(customer_proxy_user_limit) of the Customer object (C(GET /public/user/customer/retrieve)).
  - Deleted proxy users are not counted. The count comes from the search's C(total_count), so it normally costs one
    search request of one item. When the API answers that there are too many to count (C(total_count) V(-1)), gives a
    count its own page contradicts (V(0) beside a listed user), or its first item contradicts the request (a deleted
    user, or not the default user although the default is asked to come first, so the API ignored the filter or the
    sort), every page of 100 is read and counted instead.
  - The module only reads; it never changes the account. Run it once, on the controller, with
    C(delegate_to) V(localhost) and C(run_once) V(true).
extends_documentation_fragment:
  - byteful.proxy.connection
  - byteful.proxy.attributes
  - byteful.proxy.attributes.info_module
  - byteful.proxy.attributes.actiongroup_byteful
notes:
  - The API's documentation does not say whether the account's default proxy user (created with the account) counts
    against C(customer_proxy_user_limit). The module takes the cautious reading, that it does, for
    RV(proxy_users.headroom); RV(proxy_users.count_excluding_default) gives the other reading (then the headroom is
    one more).
  - Deleted proxy users are taken not to count against the limit (not documented either); the API keeps them and
    they can be searched with C(proxy_user_is_deleted=true).
  - An API that ignored both the filter on deleted users and the sort, and whose first user happens to be the default
    one, cannot be told apart from one that honours them in one request; its count may then include deleted users.
seealso:
  - module: byteful.proxy.customer_info
  - name: Forecasting and capacity
    description: Proxy-user headroom, days of data left, renewals in the next week and the price of a purchase.
    link: https://github.com/byteful/ansible-collection-proxy/blob/main/docs/docsite/rst/forecasting_and_capacity.rst
author:
  - byteful.proxy maintainers (@byteful)
"""

EXAMPLES = r"""
- name: Count the proxy users
  byteful.proxy.proxy_user_info:
  delegate_to: localhost
  run_once: true
  register: byteful_proxy_users

- name: Make sure there is room for one proxy user per new host before creating them
  ansible.builtin.assert:
    that:
      - byteful_proxy_users.proxy_users.headroom is none or byteful_proxy_users.proxy_users.headroom >= groups['scrapers'] | length
    fail_msg: >-
      {{ byteful_proxy_users.proxy_users.count }} of {{ byteful_proxy_users.proxy_users.limit }} proxy users are in use;
      {{ groups['scrapers'] | length }} more do not fit. Delete some or ask Byteful for a higher limit.
  run_once: true
"""

RETURN = r"""
proxy_users:
  description: The proxy users counted against the account's limit.
  returned: success
  type: dict
  contains:
    count:
      description: Proxy users that are not deleted, the default proxy user included.
      type: int
      returned: always
      sample: 3
    count_excluding_default:
      description: RV(proxy_users.count) without the default proxy user (one less when the account has one).
      type: int
      returned: always
      sample: 2
    limit:
      description: The account's C(customer_proxy_user_limit); V(null) when the API did not report it.
      type: int
      returned: always
      sample: 5
    headroom:
      description:
        - How many more proxy users fit, RV(proxy_users.limit) minus RV(proxy_users.count) (the cautious reading, in
          which the default proxy user counts against the limit; see the notes).
        - Zero or below when the account is at or over its limit; V(null) when the limit is unknown.
      type: int
      returned: always
      sample: 2
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
      sample: https://api.byteful.com/1.0/public/user/proxy_user/search
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
      sample: [{"path": "data[0].proxy_user_is_default", "expected": "boolean or null", "found": "string \"yes\""}]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.byteful.proxy.plugins.module_utils._api import CONNECTION_ARGUMENT_SPEC
from ansible_collections.byteful.proxy.plugins.module_utils._customer import fetch_customer
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user import read_proxy_users
from ansible_collections.byteful.proxy.plugins.module_utils._read_only_module import run_read_only


def main():
    module = AnsibleModule(argument_spec=CONNECTION_ARGUMENT_SPEC, supports_check_mode=True)

    def read(client):
        return {"proxy_users": read_proxy_users(client, fetch_customer(client))}

    run_read_only(module, read)


if __name__ == "__main__":
    main()
