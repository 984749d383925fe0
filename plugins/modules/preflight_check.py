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
    variables (C(byteful_preflight_min_residential_bytes)) instead of its options, and it fails before any API call on
    a variable that looks like a misspelt setting (see the role's documentation), naming the closest real one.
  - Every message about a connection option names it as the user set it, a task option, a C(byteful_*) variable, an
    environment variable or an C(ansible.cfg) entry; the C(byteful_*) variables of the lookup are checked strictly
    against their types (V(ture) is no boolean, V(soon) no number) before any request.
  - On a shortfall the failed task returns only RV(passed) and RV(msg), the sentence naming every failing check, so
    that the C(fatal:) line Ansible prints stays one sentence; every check is in the report (O(report_path)), or in the
    result with O(fail_on_shortfall=false).
  - 'The collection''s playbook C(byteful.proxy.preflight) runs that role in a play of its own, once, on the controller:
    C(ansible-playbook byteful.proxy.preflight -e @thresholds.yml) as a CI step, or
    C(ansible.builtin.import_playbook: byteful.proxy.preflight) in front of the plays it guards; a failed check then
    ends the run before any host of theirs is touched.'
  - Warns when no threshold is set and no service is required, since it then checks little more than that the account
    can be read.
  - A value the API did not report (left out or V(null), as the live API does for what is not set) is unknown,
    not zero. A threshold above 0 on it fails, saying that the API did not report it; a threshold of 0
    passes, and the check's text says the value is unknown. This holds for the credit balance and for both
    byte counters, also when the account has no such service.
  - A threshold left at V(0) is no request; its check is returned for its value with C(requested=false), marked C(-)
    in RV(summary), left out of RV(msg), and fails only on a negative value.
  - A negative credit balance (money owed) or byte counter (an overdrawn service) is below every threshold,
    V(0) included, and is shown as, for example, C(-$5.00) or C(-1.0 MiB).
  - Beyond what the account holds today it can check what lies ahead, each check off until its option is set and
    costing API calls only then, through the same run cache (one call per run for each, whatever the number of hosts
    or forks); O(min_residential_days) and O(min_mobile_days) read one ledger page per product,
    O(min_proxy_user_headroom) one proxy user search, O(min_service_days_left), O(fail_on_service_status) and
    O(renewal_window_days) together one service search (its pages), O(purchases) one quote per line. The quote
    endpoint prices and never buys; the collection sends nothing that spends money or changes the account.
  - With O(customer) set and a forecast check on, the check's own data is still read from the API with the connection
    options.
options:
  customer:
    description:
      - The Customer object to check, as returned by M(byteful.proxy.customer_info) or the
        P(byteful.proxy.customer#lookup) lookup. It is validated against the collection's schema first, so a wrong type
        fails instead of passing.
      - If not set, the account is read from the API with the connection options below.
      - When set, the connection options are not used (so C(module_defaults) for the action group may still set them).
    type: dict
  enabled:
    description:
      - V(false) skips the check (the task is skipped, nothing is read).
      - Strictly a boolean (V(true), V(false), or Ansible's V(yes), V(no), V(on), V(off), V(1), V(0)); any other value,
        V(ture) or V(yes please), fails with one sentence instead of reading as false.
    type: bool
    default: true
    version_added: 0.2.0
  min_credit_balance:
    description:
      - Minimum credit balance, as money such as V($10), V($10.50), V($1,000), V(10.00 USD), V(USD 10) or V(1000 cents),
        or as a bare whole number of cents (V(1000) is $10.00, as in earlier releases).
      - Other currencies (V(10 EUR)), fractions of a cent (V($10.001)) and a decimal without a currency (V(10.50),
        dollars or cents?) fail with one sentence saying what to write.
      - A bare number from 2 to 99 warns that it is cents, since V(10) meant as $10 reads as $0.10; no reserve is less
        than a dollar. 0 and 1 never warn.
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
      - A bare number from 2 to below 1 MiB warns that it is bytes, since V(5) meant as 5 GB reads as 5 bytes.
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
      - Strictly a boolean, like O(enabled); so are O(require_mobile_service) and O(fail_on_shortfall).
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
  min_residential_days:
    description:
      - Minimum days of residential data left at the average daily usage of the last O(usage_window_days) complete
        days (today's partial day is left out), for example "residential data 10.0 GiB lasts 9.8 days at 1.0 GiB/day
        (last 14 days), below the required 14 days". Days are shown with one decimal, rounded down.
      - No usage in the window passes, and the check says so. Data the API did not report fails, as it cannot be
        confirmed; data used up (0 or overdrawn) fails.
      - A number of days such as V(14) or V(2.5); unset or V(0), the check is off.
    type: raw
    version_added: 0.2.0
  min_mobile_days:
    description:
      - Minimum days of mobile data left, like O(min_residential_days), from the mobile ledger.
    type: raw
    version_added: 0.2.0
  usage_window_days:
    description:
      - The complete days, 1 to 90, whose average daily usage O(min_residential_days) and O(min_mobile_days) use.
    type: raw
    default: 14
    version_added: 0.2.0
  min_proxy_user_headroom:
    description:
      - 'Minimum proxy users that can still be created, for example C(proxy users 24 of 25: room for 1, below the
        required 5).'
      - The room is C(customer_proxy_user_limit) less the proxy users that are not deleted, the default user included.
        The API does not say whether the default user counts against the limit; counting it is the cautious reading
        (the other reading would give one more). Deleted users are not counted.
      - A whole number; unset or V(0), the check is off.
    type: raw
    version_added: 0.2.0
  planned_proxy_users:
    description:
      - The proxy users the play is about to create, so that an account at its limit stops here rather than halfway
        through the play; the same list the play passes to M(byteful.proxy.proxy_user), proxy user ids or dicts with
        C(proxy_user_id) (or C(name)); dicts with C(state=absent) are left out.
      - The headroom check then requires room for the planned users that do not exist yet, on top of
        O(min_proxy_user_headroom), and reads every proxy user (one call per 100 users). Users that exist already
        take no room, so the second run of the same play passes.
      - Empty (the default), the check counts no planned user.
    type: raw
    default: []
    version_added: 0.2.0
  min_service_days_left:
    description:
      - Minimum days before C(service_expiry_datetime) of every active service that will not renew by itself (automatic
        collection off, or pending cancellation). Services that renew by themselves are left to
        O(renewal_window_days). A service whose expiry the API did not report fails.
      - Limited to the services the play depends on by O(service_types) and O(service_ids).
      - A number of days; unset or V(0), the check is off.
    type: raw
    version_added: 0.2.0
  fail_on_service_status:
    description:
      - Fail when a service is in one of these states, for example V([overdue, paused]).
      - The states are V(awaiting_fulfillment), V(awaiting_manual_fulfillment), V(awaiting_additional_fulfillment),
        V(active), V(paused), V(overdue), V(canceled) and V(complete); a list, or a comma-separated string.
      - Limited to the services the play depends on by O(service_types) and O(service_ids); without them every service
        of the account counts, so an overdue datacenter service fails a play that provisions residential proxies.
      - Empty, the check is off.
    type: raw
    default: []
    version_added: 0.2.0
  service_types:
    description:
      - Limit O(fail_on_service_status) and O(min_service_days_left) to services of these product types
        (C(service_type)), for example V([residential, isp]); with O(service_ids) too, to the services of either.
      - The types are V(datacenter), V(isp), V(residential), V(mobile) and V(off_catalog); a list, or a comma-separated
        string. A type that is none of them fails with one sentence.
      - Empty, the service checks look at every service. The renewals of O(renewal_window_days) are never limited,
        since every renewal draws on the same credit.
    type: raw
    default: []
    version_added: 0.2.0
  service_ids:
    description:
      - Limit O(fail_on_service_status) and O(min_service_days_left) to these services (see
        M(byteful.proxy.service_info)); with O(service_types) too, to the services of either.
      - An id the account does not have fails with one sentence naming it.
    type: raw
    default: []
    version_added: 0.2.0
  purchases:
    description:
      - Purchases the play is about to make, each a dictionary with C(product_code) (for example V(isp_us); the codes,
        their cycles and prices are listed by M(byteful.proxy.product_info)),
        C(quantity) (a whole number of at least 1) and optionally C(cycle) (a count and day, week, month or year, for
        example V(1:month)). Each line is priced with the API's quote endpoint, one call per line, at most 20 lines.
      - With purchases or O(renewal_window_days) set, the credit check becomes "credit covers O(min_credit_balance) as a
        reserve, plus the purchases, plus the renewals", each part in the sentence, for example "credit balance $12.45
        does not cover $10.00 reserve + $35.00 for 10 x isp_us (1:month) + $20.00 of renewals due within 7 days".
      - A quote the API marks as not valid (for example a product out of stock) fails the credit check with the API's
        reason.
    type: raw
    default: []
    version_added: 0.2.0
  renewal_window_days:
    description:
      - Reserve credit for renewals too, the C(service_total) of every active service with automatic collection (and
        not pending cancellation) whose C(service_expiry_datetime) falls within this many days from now or has passed.
      - A renewal whose price the API did not report fails the credit check, as it cannot be confirmed.
      - Unset or V(0), renewals are not reserved.
    type: raw
    version_added: 0.2.0
  report_path:
    description:
      - Write a JSON report of the checks to this file on the controller, created with mode C(0600) (never readable by
        others, not even for a moment) and renamed over any earlier report.
      - 'It holds C(format) (V(1)), C(generator), C(account) (the customer id), C(time) (UTC, ISO 8601), C(passed),
        C(msg) and C(checks), each with the keys of RV(checks) (C(name), C(actual), C(required), C(passed),
        C(requested), C(text) and C(details)); never a key, the e-mail address or any other field of the Customer
        object.'
      - Written whether the checks pass or fail, and in check mode. When the task fails before the checks (an API error,
        a bad option, a misspelt role variable), the report has C(passed=false), the sentence in C(error) and no checks.
      - A relative path is relative to the directory C(ansible-playbook) runs in; the directory must exist.
    type: path
    version_added: 0.2.0
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
  - ref: ansible_collections.byteful.proxy.docsite.preflight_playbook
    description: The playbook C(byteful.proxy.preflight), the gate in a play of its own, in CI and in front of the fleet's plays.
  - module: byteful.proxy.customer_info
  - plugin: byteful.proxy.customer
    plugin_type: lookup
author:
  - byteful.proxy maintainers (@byteful)
"""

EXAMPLES = r"""
- name: Stop unless there is $10 of credit and 5 GiB of residential data (keys from the environment)
  byteful.proxy.preflight_check:
    min_credit_balance: "$10"           # or "10.00 USD", or 1000: a bare number is cents
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

- name: Will the account carry the fleet after this run? Forecasts, commitments and a report for CI
  byteful.proxy.preflight_check:
    min_credit_balance: "$10"           # kept in reserve
    min_residential_days: 14            # at the average of the last 14 complete days
    min_proxy_user_headroom: 2
    min_service_days_left: 7            # services that will not renew by themselves
    fail_on_service_status: [overdue, paused]
    service_types: [residential, isp]   # the services this play depends on
    purchases:
      - product_code: isp_us
        quantity: 10
        cycle: "1:month"
    renewal_window_days: 7              # automatic renewals due within a week are reserved too
    report_path: "{{ playbook_dir }}/byteful-preflight.json"
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
  returned: when the thresholds could be read, also when the task fails on a shortfall
  type: bool
  sample: false
checks:
  description:
    - One entry per check, in the order credit, residential data, mobile data, the required services, then the forecast
      checks that are on (residential days, mobile days, proxy user headroom, service days left, service states).
    - Not returned when the task fails on a shortfall (see RV(msg)), so that the C(fatal:) line stays short.
    - With O(purchases) or O(renewal_window_days) the C(credit_balance) check covers the reserve, the purchases and the
      renewals.
  returned: when the thresholds could be read and the task did not fail on a shortfall
  type: list
  elements: dict
  contains:
    name:
      description:
        - The Customer field checked, or the forecast check (V(residential_days_left), V(mobile_days_left),
          V(proxy_user_headroom), V(service_days_left), V(service_status)).
      type: str
      returned: always
      sample: credit_balance
    actual:
      description:
        - The account's value (cents, bytes, or a service id); V(null) when the API did not report it.
        - For the forecast checks, days left (V(null) when nothing was used in the window), the room for proxy users,
          the fewest days before a manual service expires, or the ids of the services in a refused state.
      type: raw
      returned: always
      sample: 12
    required:
      description:
        - The threshold (cents, bytes, days, proxy users, or the refused states), or C(an active service).
        - For the credit check with O(purchases) or O(renewal_window_days), the reserve plus the purchases plus the
          renewals, in cents.
      type: raw
      returned: always
      sample: 1000
    passed:
      description: Whether this check passed.
      type: bool
      returned: always
      sample: false
    requested:
      description:
        - Whether the check was asked for. V(false) for a base check whose threshold was left at V(0) (credit,
          residential or mobile data), listed for its value; it fails only on a negative value.
      type: bool
      returned: always
      sample: true
      version_added: 0.2.0
    text:
      description:
        - The check as words, in human units, one clause (RV(msg) joins the failing ones with C(; )). The report calls
          it C(text) too.
      type: str
      returned: always
      sample: credit balance $0.12 is below the required $10.00
    details:
      description:
        - What a forecast check was computed from, for reports; empty for the base checks.
        - Days of data left has C(product), C(window_days), C(average_daily_bytes), C(bytes_left) and C(runs_out_on);
          the proxy users C(count), C(count_excluding_default) and C(limit); service days left the C(services) that do
          not renew by themselves; service states C(states) by service id; the credit check with commitments
          C(reserve), C(purchases) (each line with its C(total) in cents and C(is_valid)), C(renewal_window_days) and
          C(renewals) (the service ids due).
      type: dict
      returned: always
      sample: {"product": "residential", "window_days": 14, "average_daily_bytes": 1095216660.5, "bytes_left": 10737418240,
               "runs_out_on": "2026-12-05"}
report_path:
  description: The absolute path of the JSON report written (see O(report_path)).
  returned: when O(report_path) is set and the report was written
  type: str
  sample: /home/ci/build/byteful-preflight.json
msg:
  description: One sentence naming every failing check, or every requested check when all passed.
  returned: when the thresholds could be read, also when the task fails on a shortfall
  type: str
  sample: "Preflight failed for Byteful account 1955: credit balance $0.12 is below the required $10.00;
    residential data 1.0 MiB is below the required 5.0 GiB."
summary:
  description: One line per check, starting with C(ok), C(FAIL), or C(-) for a check not requested, for display.
  returned: when the thresholds could be read and the task did not fail on a shortfall
  type: list
  elements: str
  sample: ["ok   credit balance $2,500.00 meets the required $10.00", "FAIL residential data 1.0 MiB is below the required 5.0 GiB",
           "-    mobile data 5.0 GiB, no minimum set"]
"""
