#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: usage_info
short_description: Daily residential or mobile data use of the Byteful account, and how long the rest lasts
version_added: 0.2.0
description:
  - Reads the account's residential or mobile usage ledger (C(GET /public/user/residential_ledger/search) or
    C(/public/user/mobile_ledger/search)) for the last O(window_days) complete days and today, and the data left from
    the Customer object (C(GET /public/user/customer/retrieve)); that is two requests, a third only when the window
    holds more than 100 ledger rows.
  - Returns the bytes and requests of each day, the average over the complete days, and at that average how many days
    the data left lasts and on which date it runs out.
  - Only C(usage) rows count; C(top_up), C(adjustment) and C(service_purchase) rows are left out. The API keeps one
    C(usage) row per day of use, created at the first use of the day and added to during the day, so today's row
    is partial; it is returned as RV(usage.today) and left out of the average.
  - A day of the window without a row is a day without use, V(0) bytes. A C(usage) row without its bytes is unknown
    use, not V(0), and the task fails with one sentence naming it.
  - A row dated tomorrow (the API's clock a little ahead of the controller's UTC date, around midnight) counts as
    today's use, with a warning; a row dated later fits no window, and the task fails with one sentence naming it
    rather than read it as no use.
  - The window is sent to the API as C(min_)/C(max_) filters on the ledger's period date and applied again to what
    comes back, since the API's documentation allows a search to ignore a filter.
  - The module only reads; it never changes the account. Run it once, on the controller, with
    C(delegate_to) V(localhost) and C(run_once) V(true).
options:
  product:
    description:
      - Whose data, the account's residential or its mobile data.
    type: str
    required: true
    choices: [residential, mobile]
  window_days:
    description:
      - How many complete days, ending yesterday (UTC), to read and average over; from V(1) to V(90).
      - A short window follows a recent change of pace sooner; a long one smooths out weekends and bursts.
    type: int
    default: 14
extends_documentation_fragment:
  - byteful.proxy.connection
  - byteful.proxy.attributes
  - byteful.proxy.attributes.info_module
  - byteful.proxy.attributes.actiongroup_byteful
notes:
  - The sign of a C(usage) row's bytes is not documented; the API calls usage a decrement, and older documentation
    adds up all rows of a service to what is left, which only works with negative usage rows, while every published
    example is positive. The module takes the absolute value of C(usage) rows, so both readings give the same result.
  - Days are calendar days in UTC, the API's time zone (not documented, assumed).
  - A forecast assumes the coming days look like the window's average; a job that starts tomorrow is not in it.
seealso:
  - module: byteful.proxy.customer_info
  - module: byteful.proxy.service_info
  - name: Forecasting and capacity
    description: Days of data left, renewals in the next week, proxy-user headroom and the price of a purchase.
    link: https://github.com/byteful/ansible-collection-proxy/blob/main/docs/docsite/rst/forecasting_and_capacity.rst
author:
  - byteful.proxy maintainers (@byteful)
"""

EXAMPLES = r"""
- name: Residential use over the last two weeks
  byteful.proxy.usage_info:
    product: residential
  delegate_to: localhost
  run_once: true
  register: residential

- name: Say how long the residential data lasts
  ansible.builtin.debug:
    msg: >-
      {{ residential.usage.bytes_left | byteful.proxy.human_size }} left at
      {{ residential.usage.average_daily_bytes | int | byteful.proxy.human_size }} a day:
      {{ 'no recent use' if residential.usage.days_left is none
         else '%.1f days, until %s' | format(residential.usage.days_left, residential.usage.runs_out_on) }}
  run_once: true

- name: Fail the play when the mobile data runs out within 10 days at the last 30 days' pace
  byteful.proxy.usage_info:
    product: mobile
    window_days: 30
  delegate_to: localhost
  run_once: true
  register: mobile
  failed_when: mobile.usage.days_left is not none and mobile.usage.days_left < 10
"""

RETURN = r"""
usage:
  description: The usage of the window, and the forecast drawn from it.
  returned: success
  type: dict
  contains:
    product:
      description: O(product), V(residential) or V(mobile).
      type: str
      returned: always
      sample: residential
    window_days:
      description: O(window_days), the number of complete days in RV(usage.daily).
      type: int
      returned: always
      sample: 14
    daily:
      description:
        - One entry per complete day of the window, oldest first, ending yesterday (UTC); exactly O(window_days)
          entries.
        - A day without a C(usage) row has V(0) bytes and V(0) requests.
      type: list
      elements: dict
      returned: always
      contains:
        date:
          description: The day, C(YYYY-MM-DD), UTC.
          type: str
          returned: always
          sample: "2026-11-24"
        bytes:
          description: Bytes used that day, never negative (the absolute value of the ledger row, see the notes).
          type: int
          returned: always
          sample: 209715200
        requests:
          description: Requests made that day, never negative.
          type: int
          returned: always
          sample: 10240
      sample: [{"date": "2026-11-23", "bytes": 209715200, "requests": 10240}, {"date": "2026-11-24", "bytes": 0, "requests": 0}]
    today:
      description: Today (UTC) so far. The day is not over, so it is not part of the average.
      type: dict
      returned: always
      contains:
        date:
          description: Today, C(YYYY-MM-DD), UTC.
          type: str
          returned: always
          sample: "2026-11-25"
        bytes:
          description: Bytes used today so far.
          type: int
          returned: always
          sample: 104857600
        requests:
          description: Requests made today so far.
          type: int
          returned: always
          sample: 5120
    average_daily_bytes:
      description: Mean bytes per day over the complete days of the window, days without use included; V(0.0) when
        nothing was used.
      type: float
      returned: always
      sample: 209715200.0
    bytes_left:
      description:
        - The data left, from the Customer object's C(residential_bytes_left) or C(mobile_bytes_left); below zero when
          the service is overdrawn.
        - V(null) when the API did not report it, usually because the account has no such service.
      type: int
      returned: always
      sample: 10737418240
    days_left:
      description:
        - RV(usage.bytes_left) divided by RV(usage.average_daily_bytes), counted from now.
        - V(0.0) when no data is left (RV(usage.bytes_left) at or below zero).
        - V(null) when nothing was used in the window (at no use the data lasts indefinitely) or RV(usage.bytes_left)
          is unknown.
      type: float
      returned: always
      sample: 51.2
    runs_out_on:
      description:
        - The date (C(YYYY-MM-DD), UTC) the data runs out at the average pace, today plus RV(usage.days_left);
          V(null) when RV(usage.days_left) is.
      type: str
      returned: always
      sample: "2027-01-15"
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
      sample: https://api.byteful.com/1.0/public/user/residential_ledger/search
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
      sample: [{"path": "data[2].residential_ledger_bytes", "expected": "integer", "found": "string \"1024\""}]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.byteful.proxy.plugins.module_utils._api import CONNECTION_ARGUMENT_SPEC
from ansible_collections.byteful.proxy.plugins.module_utils._customer import fetch_customer
from ansible_collections.byteful.proxy.plugins.module_utils._read_only_module import run_read_only
from ansible_collections.byteful.proxy.plugins.module_utils._usage import (
    LEDGER_SEARCH_PATHS,
    MAX_WINDOW_DAYS,
    MIN_WINDOW_DAYS,
    read_usage,
)

ARGUMENT_SPEC = dict(
    CONNECTION_ARGUMENT_SPEC,
    product=dict(type="str", required=True, choices=sorted(LEDGER_SEARCH_PATHS)),
    window_days=dict(type="int", default=14),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    window_days = module.params["window_days"]
    # Checked before any request, so that a mistake costs no call of the rate limit.
    if not MIN_WINDOW_DAYS <= window_days <= MAX_WINDOW_DAYS:
        module.fail_json(msg="window_days must be a whole number of days from %d to %d, got %d." % (
            MIN_WINDOW_DAYS, MAX_WINDOW_DAYS, window_days))

    def read(client):
        customer = fetch_customer(client)
        return {"usage": read_usage(client, customer, module.params["product"], window_days)}

    run_read_only(module, read)


if __name__ == "__main__":
    main()
