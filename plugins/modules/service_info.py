#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: service_info
short_description: List the Byteful account's services, soonest expiry first
version_added: 0.2.0
description:
  - Lists the account's services (C(GET /public/user/service/search)), every page of them, each validated against the
    collection's lenient Service schema, sorted by C(service_expiry_datetime), soonest first (services without a known
    expiry last).
  - Use it to see what renews or expires when, and whether automatic collection will pay for it.
  - The filters are sent to the API and applied again to what comes back, since the API's documentation allows a
    search to ignore a filter or C(sort_by); what the module returns matches the filters whatever the API did.
  - The module only reads; it never changes the account. Run it once, on the controller, with
    C(delegate_to) V(localhost) and C(run_once) V(true).
  - Pages are read while they are full, whatever the API's C(total_count) says; an answer that lists a service twice
    fails with one sentence, since counting it twice would double its renewal. A negative price (C(service_total)) or
    a datetime whose UTC time is outside the years 1 to 9999 fails with one sentence naming its path.
  - At most 50 pages of 100 services are read (5000 services); an account with more fails with one sentence that
    says how to narrow the search, so that one task cannot spend minutes of the account's rate limit.
options:
  status:
    description:
      - Only services in one of these statuses. Without it, services in every status are listed.
      - C(active) services are being served; C(paused) ones are held; C(overdue) ones wait for payment;
        C(canceled) and C(complete) ones have ended (C(complete) finished a term that does not renew);
        the three C(awaiting_*) statuses are bought and not yet (fully) provisioned.
      - One status is sent to the API as C(service_status); with several, the API is asked for all services and the
        module keeps those in the listed statuses.
    type: list
    elements: str
    choices:
      - awaiting_fulfillment
      - awaiting_manual_fulfillment
      - awaiting_additional_fulfillment
      - active
      - paused
      - overdue
      - canceled
      - complete
  expiring_within:
    description:
      - Only services whose C(service_expiry_datetime) is at most this far from now, as a number of seconds
        (V(3600), V("3600")) or a number with a unit, V(m) minutes, V(h) hours, V(d) days or V(w) weeks
        (V(90m), V(36h), V(7d), V(2w)).
      - A service whose expiry is already past matches too (its expiry is before now plus the duration); add
        O(status=active) to leave out services that have ended. A service without a known expiry never matches.
      - The API is asked with C(max_service_expiry_datetime), in UTC, the API's time zone.
    type: raw
extends_documentation_fragment:
  - byteful.proxy.connection
  - byteful.proxy.attributes
  - byteful.proxy.attributes.info_module
  - byteful.proxy.attributes.actiongroup_byteful
notes:
  - The API's documentation does not say how long a service stays C(overdue) before it is canceled.
  - Datetimes are returned as the API sent them (C(YYYY-MM-DD HH:MM:SS), or ISO 8601 with C(T) and C(Z) on some
    routes); the collection reads both as UTC.
seealso:
  - module: byteful.proxy.customer_info
  - module: byteful.proxy.checkout_quote
  - name: Forecasting and capacity
    description: Renewals in the next week, days of data left, proxy-user headroom and the price of a purchase.
    link: https://github.com/byteful/ansible-collection-proxy/blob/main/docs/docsite/rst/forecasting_and_capacity.rst
author:
  - byteful.proxy maintainers (@byteful)
"""

EXAMPLES = r"""
- name: Every service of the account
  byteful.proxy.service_info:
  delegate_to: localhost
  run_once: true
  register: byteful_services

- name: Active services that renew within the next week
  byteful.proxy.service_info:
    status: [active]
    expiring_within: 7d
  delegate_to: localhost
  run_once: true
  register: renewals

- name: What those renewals cost, in dollars, and which of them will not be paid automatically
  ansible.builtin.debug:
    msg: >-
      {{ renewals.services | length }} renewal(s) within 7 days,
      ${{ '%.2f' | format((renewals.services | map(attribute='service_total') | select('number') | sum) / 100) }} in all;
      not collected automatically:
      {{ renewals.services | rejectattr('service_is_automatic_collection') | map(attribute='service_id') | join(', ') or 'none' }}
  run_once: true

- name: Services that need attention
  byteful.proxy.service_info:
    status: [overdue, paused, awaiting_manual_fulfillment]
  delegate_to: localhost
  run_once: true
  register: attention
"""

RETURN = r"""
services:
  description:
    - The services that match the filters, every page of them, sorted by C(service_expiry_datetime), soonest first;
      services whose expiry is unknown come last.
    - Each is validated against the collection's Service schema. Only C(service_id) is required; every other
      documented field below is V(null) when the API left it out or sent V(null), so that it is always there. A field
      that is present has its documented type, or the task fails naming it (for example
      C(services[3].service_expiry_datetime)).
    - Fields the API sends beyond the documented ones are returned as they came.
    - An empty list when no service matches.
  returned: success
  type: list
  elements: dict
  contains:
    service_id:
      description: The service's id; quote it in support requests. Never V(null).
      type: str
      returned: always
      sample: API-1234-5678
    service_name:
      description: The service's name.
      type: str
      returned: always
      sample: US ISP proxies
    service_type:
      description: What the service provides, for example C(datacenter), C(isp), C(residential), C(mobile) or
        C(off_catalog).
      type: str
      returned: always
      sample: isp
    service_protocol:
      description: The proxies' IP protocol, C(ipv4), C(ipv6) or C(dual).
      type: str
      returned: always
      sample: ipv4
    service_quantity:
      description: Number of proxies in the service.
      type: int
      returned: always
      sample: 5
    service_status:
      description: One of the eight statuses of O(status).
      type: str
      returned: always
      sample: active
    service_cycle:
      description: The billing cycle, C(<count>:<interval>), for example C(1:month) or C(3:month).
      type: str
      returned: always
      sample: "1:month"
    service_expiry_datetime:
      description:
        - End of the current billing period, UTC, as the API sent it. Past for a service that has ended.
      type: str
      returned: always
      sample: "2026-12-02 10:00:00"
    service_total:
      description: The price of one cycle of the service, in cents (V(350) is $3.50); what a renewal costs.
      type: int
      returned: always
      sample: 1750
    service_is_automatic_collection:
      description:
        - V(true) when the renewal is charged automatically (from the account's credit) at the end of the period, the
          closest the API has to "renews by itself".
      type: bool
      returned: always
      sample: true
    service_is_pending_cancellation:
      description: V(true) when the service will be canceled at the end of the current period instead of renewing.
      type: bool
      returned: always
      sample: false
    service_subscription_id:
      description: The payment provider's subscription id.
      type: str
      returned: always
      sample: sub_1OxYz2
    service_subscription_is_paused:
      description: V(true) when the service's subscription is paused.
      type: bool
      returned: always
      sample: false
    open_invoice_id:
      description: The id of an invoice waiting for payment; V(null) when there is none.
      type: str
      returned: always
      sample: null
    service_earliest_cancellation_datetime:
      description: The earliest time the service may be canceled, UTC, as the API sent it.
      type: str
      returned: always
      sample: "2026-12-02 10:00:00"
    service_dispatch_datetime:
      description: When the service was provisioned, UTC, as the API sent it.
      type: str
      returned: always
      sample: "2026-10-02 10:04:11"
    service_creation_datetime:
      description: When the service was bought, UTC, as the API sent it.
      type: str
      returned: always
      sample: "2026-10-02 10:00:00"
    service_last_update_datetime:
      description: When the service last changed, UTC, as the API sent it.
      type: str
      returned: always
      sample: "2026-11-02 10:00:00"
    service_metadata:
      description: Metadata the account attached to the service.
      type: dict
      returned: always
      sample: {"team": "scraping"}
    country_id:
      description: Country of the service's proxies, lower case, for example C(us).
      type: str
      returned: always
      sample: us
    payment_method_id:
      description: The payment method the service is billed to.
      type: str
      returned: always
      sample: null
    service_promotional_code:
      description: A promotional code applied to the service.
      type: str
      returned: always
      sample: null
    service_image:
      description: Image URL the dashboard shows for the service.
      type: str
      returned: always
      sample: null
    subscription_schedule_id:
      description: The payment provider's subscription schedule id.
      type: str
      returned: always
      sample: null
    service_fulfillment_filter:
      description: The provisioning criteria the service was bought with.
      type: dict
      returned: always
      sample: null
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
      sample: https://api.byteful.com/1.0/public/user/service/search
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
      sample: [{"path": "services[3].service_total", "expected": "integer or null", "found": "string \"1750\""}]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.byteful.proxy.plugins.module_utils._api import CONNECTION_ARGUMENT_SPEC, OptionError
from ansible_collections.byteful.proxy.plugins.module_utils._read_only_module import run_read_only
from ansible_collections.byteful.proxy.plugins.module_utils._service import (
    SERVICE_STATUSES,
    parse_duration,
    search_services,
)

ARGUMENT_SPEC = dict(
    CONNECTION_ARGUMENT_SPEC,
    status=dict(type="list", elements="str", choices=list(SERVICE_STATUSES)),
    expiring_within=dict(type="raw"),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    expiring_within = module.params["expiring_within"]
    if expiring_within is not None:
        # A mistyped duration fails before any request.
        try:
            expiring_within = parse_duration(expiring_within)
        except OptionError as exc:
            module.fail_json(msg=exc.message)

    def read(client):
        return {"services": search_services(client, statuses=module.params["status"], expiring_within=expiring_within)}

    run_read_only(module, read)


if __name__ == "__main__":
    main()
