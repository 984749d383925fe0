#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The work is done on the controller by plugins/action/preflight_check.py; this file documents it.

from __future__ import annotations

DOCUMENTATION = r"""
module: preflight_check
short_description: Compare the Byteful account with credit and data thresholds
version_added: 0.1.0
description:
  - Reads the account's Customer object from the Byteful API, or takes it from O(customer), and compares it with
    minimum credit, minimum remaining residential and mobile data, and required active services.
  - Fails with one message that lists every failing check, actual against required, in human units;
    or, with O(fail_on_shortfall=false), returns the same message as a warning.
  - Runs on the controller. It reads the account as the P(byteful.proxy.customer#lookup) lookup does, through the
    same per-run cache, so every host and task of one C(ansible-playbook) run shares one API call.
  - The P(byteful.proxy.preflight#role) role wraps it; run as that role's task, its messages name the role's
    variables (C(byteful_preflight_min_residential_bytes)) instead of its options, it fails on a
    C(byteful_preflight_*) or C(byteful_api_*) variable that the collection does not read, naming the closest real one.
  - Warns when no threshold is set and no service is required, since it then checks little more than that the account
    can be read.
  - A value the API did not report (left out or V(null), as the live API does for what is not set) is unknown,
    not zero. A threshold above 0 on it fails, saying that the API did not report it; a threshold of 0
    passes, and the check's text says the value is unknown. This holds for the credit balance and for both
    byte counters, also when the account has no such service.
  - A negative credit balance (money owed) or byte counter (an overdrawn service) is below every threshold,
    V(0) included, and is shown as, for example, C(-$5.00) or C(-1.0 MiB).
options:
  customer:
    description:
      - The Customer object to check, as returned by M(byteful.proxy.customer_info) or the
        P(byteful.proxy.customer#lookup) lookup. It is validated against the collection's schema first, so a wrong type
        fails instead of passing.
      - If not set, the account is read from the API with the connection options below.
      - When set, the connection options are not used (so C(module_defaults) for the action group may still set them).
    type: dict
  min_credit_balance:
    description:
      - Minimum credit balance, in cents (V(1000) is $10.00).
    type: raw
    default: 0
  min_residential_bytes:
    description:
      - Minimum residential data left, as bytes or as a size such as V(5 GB), V(5 GiB), V(512mb) or V(10G).
      - Units are read in any case, with or without C(i) and C(B) (V(5 gb), V(5 Gib) and V(5G) are the same), and are
        all 1024-based, as in the P(ansible.builtin.human_to_bytes#filter) filter (V(1 GB) is 1073741824 bytes); a
        fraction is rounded down to whole bytes.
      - When the API did not report the residential data left (usually an account without a residential service),
        any threshold above 0 fails.
    type: raw
    default: 0
  min_mobile_bytes:
    description:
      - Minimum mobile data left, as bytes or as a size, like O(min_residential_bytes).
      - When the API did not report the mobile data left, any threshold above 0 fails.
    type: raw
    default: 0
  require_residential_service:
    description:
      - Fail unless the account has an active residential service that is not paused.
    type: bool
    default: false
  require_mobile_service:
    description:
      - Fail unless the account has an active mobile service that is not paused.
    type: bool
    default: false
  fail_on_shortfall:
    description:
      - Fail the task when a check fails.
      - V(false) reports the failing checks as a warning and succeeds, for dashboards and reports.
    type: bool
    default: true
extends_documentation_fragment:
  - byteful.proxy.connection
  - byteful.proxy.attributes
  - byteful.proxy.attributes.info_module
  - byteful.proxy.attributes.actiongroup_byteful
attributes:
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
  async:
    description: Supports being used with the C(async) keyword.
    support: none
  bypass_host_loop:
    description: Forces a 'global' task that does not execute per host.
    support: none
notes:
  - A connection option that is not set is read as the P(byteful.proxy.customer#lookup) lookup reads it, from the
    C(byteful_*) variables (C(byteful_api_public_key), C(byteful_api_private_key), ...), the C([byteful]) section of
    C(ansible.cfg), then the E(BYTEFUL_API_URL), E(BYTEFUL_API_PUBLIC_KEY) and E(BYTEFUL_API_PRIVATE_KEY) environment
    variables; the C(byteful_cache) and C(byteful_cache_ttl) variables set the lookup's cache.
seealso:
  - module: byteful.proxy.customer_info
  - plugin: byteful.proxy.customer
    plugin_type: lookup
author:
  - byteful.proxy maintainers (@byteful)
"""

EXAMPLES = r"""
- name: Stop unless there is $10 of credit and 5 GiB of residential data (keys from the environment)
  byteful.proxy.preflight_check:
    min_credit_balance: 1000
    min_residential_bytes: 5 GiB
    require_residential_service: true
  run_once: true

- name: Read the account with customer_info
  byteful.proxy.customer_info:
  delegate_to: localhost
  run_once: true
  register: byteful

- name: Check the object already read
  byteful.proxy.preflight_check:
    customer: "{{ byteful.customer }}"
    min_mobile_bytes: 512 MiB
  run_once: true

- name: Only warn, and keep the checks for a report
  byteful.proxy.preflight_check:
    customer: "{{ lookup('byteful.proxy.customer') }}"
    min_mobile_bytes: 1 GB
    fail_on_shortfall: false
  run_once: true
  register: preflight
"""

RETURN = r"""
customer:
  description:
    - The Customer object that was checked, validated (see RV(byteful.proxy.customer_info#module:customer)).
  returned: when the account could be read, unless the task fails on a shortfall (Ansible would print the whole object)
  type: dict
  sample: {"customer_id": 1955, "credit_balance": 12}
passed:
  description: Whether every check passed.
  returned: when the thresholds could be read
  type: bool
  sample: false
checks:
  description: One entry per check, in the order credit, residential data, mobile data, then required services.
  returned: when the thresholds could be read
  type: list
  elements: dict
  contains:
    name:
      description: The Customer field checked.
      type: str
      returned: always
      sample: credit_balance
    actual:
      description: The account's value (cents, bytes, or a service id); V(null) when the API did not report it.
      type: raw
      returned: always
      sample: 12
    required:
      description: The threshold (cents or bytes), or C(an active service).
      type: raw
      returned: always
      sample: 1000
    passed:
      description: Whether this check passed.
      type: bool
      returned: always
      sample: false
    text:
      description: The check as words, in human units.
      type: str
      returned: always
      sample: credit balance $0.12 is below the required $10.00
msg:
  description: One sentence naming every failing check, or saying that all passed.
  returned: when the thresholds could be read
  type: str
  sample: "Preflight failed for Byteful account 1955: credit balance $0.12 is below the required $10.00;
    residential data 1.0 MiB is below the required 5.0 GiB."
summary:
  description: One line per check, starting with C(ok) or C(FAIL), for display.
  returned: when the thresholds could be read
  type: list
  elements: str
  sample: ["ok   credit balance $2,500.00 meets the required $10.00", "FAIL residential data 1.0 MiB is below the required 5.0 GiB"]
"""
