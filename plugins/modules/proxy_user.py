#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: proxy_user
short_description: Create, change or delete a Byteful proxy user
version_added: 0.2.0
description:
  - Makes the proxy user named O(proxy_user_id) what the task declares. A proxy user is the user name and password
    (or the IP addresses) that proxy traffic authenticates with.
  - Reads the user first (C(GET /public/user/proxy_user/search) by its id), compares the options the task sets, and
    only then creates it (C(POST /public/user/proxy_user/create)), changes what differs
    (C(PATCH /public/user/proxy_user/edit/{id}), only the members that differ) or deletes it
    (C(DELETE /public/user/proxy_user/delete/{id})). An option left out is never changed on the API.
  - A second run with the same options reports no change and sends no write. In check mode nothing is written and
    the change is predicted; with C(--diff) the user is shown before and after, the password masked.
  - Before a create, the account's proxy users are counted against its limit, C(customer_proxy_user_limit)
    (as M(byteful.proxy.proxy_user_info) counts them; the default proxy user included); at the limit the task fails
    with one sentence and sends nothing.
  - The account's default proxy user can be changed within what the API allows (it is never deleted, and its access
    type is always V(all)); the task fails before sending anything else.
  - Deletes are soft. The API keeps a deleted user (C(proxy_user_is_deleted)), and may keep its name taken.
  - Every write is proved. After a create, an edit or a delete the user is read back by its exact id (or taken from
    the answer when the API echoes it, with that same id) and compared with the task; when the read finds no user,
    another id, a member or the password not as declared, or a deleted user still there, the task fails with one
    sentence instead of reporting its own prediction as the account's state.
  - Every rule of the API that the collection knows (the lengths and characters of names and passwords, the number of
    addresses, metadata's size, strict security's address) is checked before anything is sent, in check mode too, so
    check mode and the real run agree.
  - This is the only module of the collection that changes the account. It never buys anything.
options:
  proxy_user_id:
    description:
      - The proxy user's name, which is also the user name of its proxy credentials. It cannot be renamed.
      - 10 to 32 letters, digits or underscores for a user to create (the API's rule).
    type: str
    required: true
    aliases: [name]
  state:
    description:
      - V(present) creates the user, or changes it to match the task; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  password:
    description:
      - The proxy user's password. Never shown in output, the returned user or the diff, at any verbosity.
      - 10 to 32 letters and digits (the API's rule).
      - Left out, the API generates one on create; the module does not return it (read it in the Byteful dashboard,
        or with the P(byteful.proxy.proxy_list#lookup) lookup's lines), so set it here to manage it.
      - Keep it out of the playbook in clear text, in Ansible Vault or from the C(ansible.builtin.password) lookup
        (see the examples).
    type: str
  update_password:
    description:
      - V(always) sends O(password) whenever it differs from the user's current password (which the API returns, so
        a second run reports no change).
      - V(on_create) sets it only when the user is created, and leaves the password of an existing user alone.
      - When the API does not return the current password, V(always) sends it on every run, with a warning.
    type: str
    choices: [always, on_create]
    default: always
  access_type:
    description:
      - Which proxies the user reaches. V(all) is every proxy of the account; V(service_restricted) and
        V(proxy_restricted) only those the account's ACL grants it (managed in the Byteful dashboard).
      - The default proxy user's access type is always V(all).
    type: str
    choices: [all, service_restricted, proxy_restricted]
  clear_acl:
    description:
      - With O(access_type=all) for a restricted user that has ACL entries, removes them too (the API refuses the
        change otherwise). Sent only with that change.
    type: bool
    default: false
  strict_security:
    description:
      - Strict security (C(proxy_user_is_strict_security)); the API requires at least one address in
        O(ip_address_authentications) with it.
    type: bool
  enforce_https:
    description:
      - Whether the user's HTTP proxy connections must use HTTPS (C(proxy_user_enforce_https)).
    type: bool
  ip_address_authentications:
    description:
      - IP addresses (or networks) that authenticate as the user without a password, for example V(203.0.113.7).
      - Replaces the user's list; compared as a set, so the order does not matter. V([]) removes every address.
      - The API allows at most C(proxy_user_ip_address_authentication_limit) (5 by default), each address once.
    type: list
    elements: str
  residential_bytes_limit:
    description:
      - The most residential data the user may use, as bytes or a size such as V(10 GB), V(512 MiB) or V(1.5T)
        (1024-based, like the rest of the collection), or V(unlimited) to remove the limit.
      - A bare number is bytes; one from 2 to 1048575 is refused as a likely missing unit (V(5) for V(5 GB)).
      - The API refuses a limit below what the user already used.
    type: raw
  mobile_bytes_limit:
    description:
      - The most mobile data the user may use, as for O(residential_bytes_limit).
    type: raw
  metadata:
    description:
      - The user's metadata, a flat dictionary of at most 30 keys whose values are text, numbers or booleans of at
        most 300 characters, 32768 bytes in all as JSON (the API's rules).
      - Replaces the user's metadata whole; V({}) removes it.
    type: dict
extends_documentation_fragment:
  - byteful.proxy.connection
  - byteful.proxy.attributes
  - byteful.proxy.attributes.actiongroup_byteful
attributes:
  check_mode:
    support: full
    details: Nothing is written; reads happen as in a real run (the user, and before a create the limit).
  diff_mode:
    support: full
    details: The user's managed members before and after; the password shows as C(********), with C((changed)) when it changes.
notes:
  - Writes are retried only where that cannot make a second user. A create or a delete whose answer is lost (a timeout,
    a broken connection, a server error) is never sent again blindly; the user is read first, and the write is sent
    again only if it had not taken effect (at most O(retries) times). An edit sets members to the values sent, so
    it is retried like a read. A refusal (HTTP 4xx) is never retried; a 429 always may be, since the API did not act on it.
  - The API's documentation does not say whether the default proxy user counts against the limit. The module takes
    the cautious reading, as M(byteful.proxy.proxy_user_info) does (RV(byteful.proxy.proxy_user_info#module:proxy_users.headroom));
    should the API refuse a create at its limit all the same (the status is not documented either, and 422 and 403 are
    both read), the task fails with the API's words and what to do.
  - The API returns each user's password to the keys that read it. The module compares it in memory and leaves it out
    of everything it returns; mark tasks that template it with C(no_log) yourself.
  - Run it on the controller (C(delegate_to) V(localhost), C(run_once) V(true)) or on one host per user; it needs
    network access to the API. Should several hosts or parallel runs create the same user anyway, the API answers
    all but one with 409; the module reads the user then, and a user as the task declares it is reported unchanged
    with a warning that names C(run_once); another user of that name fails the task.
  - A 404 to deleting a user the task had just read is read again too. A user gone meanwhile is reported unchanged
    with a warning; one the API still lists fails with one sentence.
seealso:
  - module: byteful.proxy.proxy_user_info
  - module: byteful.proxy.proxy_info
  - plugin: byteful.proxy.proxy_list
    plugin_type: lookup
  - name: From gate to running proxies
    description: Gate the account, create proxy users, render proxy lists, in one run.
    link: https://github.com/byteful/ansible-collection-proxy/blob/main/docs/docsite/rst/from_gate_to_running_proxies.rst
author:
  - byteful.proxy maintainers (@byteful)
"""

EXAMPLES = r"""
- name: A proxy user for the EU scrapers, its password from Ansible Vault
  byteful.proxy.proxy_user:
    proxy_user_id: scraper_eu_01
    password: "{{ vault_scraper_eu_01_password }}"
    residential_bytes_limit: 50 GB
    mobile_bytes_limit: unlimited
    metadata:
      team: crawler
      region: eu
  delegate_to: localhost
  run_once: true

- name: A password made once and kept on the controller (ansible.builtin.password), sent only on create
  byteful.proxy.proxy_user:
    proxy_user_id: "scraper_{{ inventory_hostname_short }}"
    password: "{{ lookup('ansible.builtin.password', 'credentials/' ~ inventory_hostname_short ~ ' chars=ascii_letters,digits length=24') }}"
    update_password: on_create
  delegate_to: localhost

- name: Only reachable from the office, over HTTPS
  byteful.proxy.proxy_user:
    proxy_user_id: office_gateway01
    ip_address_authentications: [203.0.113.7, 2001:db8::7]
    strict_security: true
    enforce_https: true
  delegate_to: localhost
  run_once: true

- name: Restricted users back to every proxy, their ACL entries removed
  byteful.proxy.proxy_user:
    proxy_user_id: "{{ item }}"
    access_type: all
    clear_acl: true
  loop: [scraper_eu_01, scraper_us_01]
  loop_control:
    label: "{{ item }}"
  delegate_to: localhost
  run_once: true

# team_proxy_users: [{proxy_user_id: scraper_eu_01, limit: 50 GB}, ...]; the passwords apart, in Ansible Vault
# (vault_proxy_passwords: {scraper_eu_01: ...}): from -v on, Ansible prints each result with its whole loop item.
# The same list in byteful_preflight_planned_proxy_users lets the gate stop an account that has no room for them.
- name: One user per team
  byteful.proxy.proxy_user:
    proxy_user_id: "{{ item.proxy_user_id }}"
    password: "{{ vault_proxy_passwords[item.proxy_user_id] }}"
    residential_bytes_limit: "{{ item.limit }}"
  loop: "{{ team_proxy_users }}"
  loop_control:
    label: "{{ item.proxy_user_id }}"   # the line Ansible prints per item at default verbosity
  delegate_to: localhost
  run_once: true

- name: Delete a user (softly, the API keeps it as deleted)
  byteful.proxy.proxy_user:
    proxy_user_id: scraper_old_01
    state: absent
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
proxy_user:
  description:
    - The proxy user as it is after the task (in check mode, as it would be), without its password.
    - After a create or an edit the user is read again, unless the API's answer held the whole user.
    - For V(absent), the user as it was, with C(proxy_user_is_deleted) V(true); V({}) when there was none.
    - Fields the API sends beyond those below are returned as they came.
  returned: success
  type: dict
  contains:
    proxy_user_id:
      description: The user's name.
      type: str
      returned: success
      sample: scraper_eu_01
    proxy_user_access_type:
      description: V(all), V(service_restricted) or V(proxy_restricted).
      type: str
      returned: success
      sample: all
    proxy_user_is_default:
      description: Whether it is the account's default proxy user.
      type: bool
      returned: success
      sample: false
    proxy_user_is_deleted:
      description: Whether it is deleted.
      type: bool
      returned: success
      sample: false
    proxy_user_is_strict_security:
      description: Strict security.
      type: bool
      returned: success
      sample: false
    proxy_user_enforce_https:
      description: Whether HTTPS is enforced.
      type: bool
      returned: success
      sample: false
    ip_address_authentications:
      description: The IP addresses that authenticate as the user.
      type: list
      elements: str
      returned: success
      sample: ["203.0.113.7"]
    proxy_user_residential_bytes_limit:
      description: Residential bytes the user may use; V(null) for no limit.
      type: int
      returned: success
      sample: 53687091200
    proxy_user_residential_bytes_used:
      description: Residential bytes used.
      type: int
      returned: success
      sample: 1048576
    proxy_user_mobile_bytes_limit:
      description: Mobile bytes the user may use; V(null) for no limit.
      type: int
      returned: success
      sample: null
    proxy_user_mobile_bytes_used:
      description: Mobile bytes used.
      type: int
      returned: success
      sample: 0
    proxy_user_metadata:
      description: The user's metadata.
      type: dict
      returned: success
      sample: {"team": "crawler", "region": "eu"}
    proxy_user_creation_datetime:
      description: When the user was created (UTC); V(null) in check mode for a user to create.
      type: str
      returned: success
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
      sample: 422
    error:
      description: The API's error code.
      type: str
      returned: when the API sent one
      sample: Unprocessable Entity
    api_message:
      description: The API's own message.
      type: str
      returned: when the API sent one
      sample: Strict security needs at least one IP address authentication.
    request_id:
      description: The API's request id; quote it to Byteful support.
      type: str
      returned: when the API sent one
      sample: 0b6f8d7e-3c2a-4f1e-9b8d-7a6c5e4f3d2b
    url:
      description: The URL that was requested.
      type: str
      returned: when a request was made
      sample: https://api.byteful.com/1.0/public/user/proxy_user/create
    reason:
      description:
        - What went wrong when there was no usable HTTP answer, as the words that follow the URL in C(msg); V(proxy
          user limit) when the module refused a create at the account's limit.
      type: str
      returned: when the API could not be reached, did not answer in time, or the limit was reached
      sample: proxy user limit
    count:
      description: The account's proxy users, when the limit refused a create.
      type: int
      returned: when the limit was reached
      sample: 5
    limit:
      description: The account's C(customer_proxy_user_limit), when it refused a create.
      type: int
      returned: when the limit was reached
      sample: 5
    attempts:
      description: How many requests were made, retries included.
      type: int
      returned: when a request was made
      sample: 1
    errors:
      description: For an answer that does not match the schema, one entry per failing field.
      type: list
      elements: dict
      returned: when the answer does not match the schema
      sample: [{"path": "$.proxy_user.proxy_user_is_default", "expected": "boolean or null", "found": "string \"yes\""}]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.byteful.proxy.plugins.module_utils._api import CONNECTION_ARGUMENT_SPEC, OptionError
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user_options import (
    ACCESS_TYPES,
    UPDATE_PASSWORD,
    check_id,
    declared,
)
from ansible_collections.byteful.proxy.plugins.module_utils._proxy_user_writes import ensure
from ansible_collections.byteful.proxy.plugins.module_utils._read_only_module import run_with_client

ARGUMENT_SPEC = dict(
    CONNECTION_ARGUMENT_SPEC,
    proxy_user_id=dict(type="str", required=True, aliases=["name"]),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    password=dict(type="str", no_log=True),
    update_password=dict(type="str", choices=list(UPDATE_PASSWORD), default="always", no_log=False),
    access_type=dict(type="str", choices=list(ACCESS_TYPES)),
    clear_acl=dict(type="bool", default=False),
    strict_security=dict(type="bool"),
    enforce_https=dict(type="bool"),
    ip_address_authentications=dict(type="list", elements="str"),
    residential_bytes_limit=dict(type="raw"),
    mobile_bytes_limit=dict(type="raw"),
    metadata=dict(type="dict"),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    try:  # a mistake (a size without its unit, an address with a typo) fails here, before any request
        check_id(module.params["proxy_user_id"])
        declared(module.params)
    except OptionError as exc:
        module.fail_json(msg=exc.message)

    def work(client):
        result, warnings = ensure(client, module.params, check_mode=module.check_mode)
        for warning in warnings:
            module.warn(client.redact(warning))
        if not module._diff:  # pylint: disable=protected-access
            del result["diff"]
        return result

    run_with_client(module, work)


if __name__ == "__main__":
    main()
