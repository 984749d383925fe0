#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: checkout_quote
short_description: Price a Byteful purchase without buying it
version_added: 0.2.0
description:
  - Asks the Byteful API what a purchase would cost (C(POST /public/user/checkout/quote)) and returns the quote, that
    is the total in cents, the discount, how much of it the account's credit covers, whether the purchase is possible,
    and the line items.
  - A quote prices; it buys nothing and changes nothing, so the module always returns C(changed=false), in check mode
    too. The collection never calls C(/public/user/checkout/create) or any other route that spends money; its client
    refuses to send a C(POST) anywhere but to the quote.
  - Name the product by O(product_code) (for example V(isp_us)), or by O(product_type), O(country_id) and O(protocol)
    together.
  - A quote the API declares invalid (C(is_valid) V(false), for example a product out of stock or an unknown
    promotional code) is returned, not failed, with a warning that quotes its C(invalid_reason); test
    RV(quote.is_valid) to act on it.
  - Purchases through the API are paid from the account's credit; RV(quote.total_after_applied_credit) is what the
    credit does not cover.
options:
  product_code:
    description:
      - The product, by its code in the checkout catalog, for example V(isp_us), V(datacenter_gb),
        V(residential_global); M(byteful.proxy.product_info) lists the codes, with their cycles and prices.
      - Mutually exclusive with O(product_type), O(country_id) and O(protocol); one way of naming the product is
        required.
    type: str
  product_type:
    description:
      - The product's type, for example V(datacenter), V(isp), V(residential) or V(mobile); with O(country_id) and
        O(protocol), instead of O(product_code).
    type: str
  country_id:
    description:
      - The product's country, lower case (V(us), V(gb)); with O(product_type) and O(protocol).
    type: str
  protocol:
    description:
      - The product's protocol (C(product_protocol)), for example V(ipv4), V(ipv6) or V(dual); with O(product_type) and
        O(country_id).
    type: str
  quantity:
    description:
      - How many units, at least V(1).
      - For proxy products (C(datacenter), C(isp)) a unit is one proxy.
      - For data products (C(residential), C(mobile)) the API's documentation does not say what a unit is (a GB is
        likely, not confirmed). Read RV(quote.line_items) (C(item_quantity), C(item_per_unit_amount)) before relying
        on it.
    type: int
    required: true
  cycle:
    description:
      - The billing cycle to price, C(<count>:<interval>) with a count of at least 1 and an interval of V(day),
        V(week), V(month) or V(year), as the API writes C(service_cycle), for example V(1:month), V(3:month) or
        V(1:year). A product's cycles are its RV(byteful.proxy.product_info#module:products[].product_cycle_options).
      - Without it the API prices the product's default cycle.
    type: str
  promotional_code:
    description:
      - A promotional code to price with. An unknown or expired code makes the quote invalid rather than failing the
        task.
    type: str
extends_documentation_fragment:
  - byteful.proxy.connection
  - byteful.proxy.attributes
  - byteful.proxy.attributes.info_module
  - byteful.proxy.attributes.actiongroup_byteful
notes:
  - The API's example quote writes V(null) as the text C("null") in C(invalid_reason) and C(promotional_code); the
    module returns both as V(null).
  - A negative total or amount (a line item's price, the discount, what the credit leaves to pay) is no price; the
    task fails with one sentence naming its path rather than return it. The account's C(credit_balance) may be
    negative (money owed).
seealso:
  - module: byteful.proxy.product_info
  - module: byteful.proxy.customer_info
  - module: byteful.proxy.service_info
  - name: Forecasting and capacity
    description: The price of a purchase, days of data left, renewals in the next week and proxy-user headroom.
    link: https://github.com/byteful/ansible-collection-proxy/blob/main/docs/docsite/rst/forecasting_and_capacity.rst
author:
  - byteful.proxy maintainers (@byteful)
"""

EXAMPLES = r"""
- name: Price ten US ISP proxies for a month
  byteful.proxy.checkout_quote:
    product_code: isp_us
    quantity: 10
    cycle: "1:month"
  delegate_to: localhost
  run_once: true
  register: price

- name: Stop unless the account's credit pays for all of it
  ansible.builtin.assert:
    that:
      - price.quote.is_valid
      - price.quote.total_after_applied_credit == 0
    fail_msg: >-
      10 US ISP proxies cost ${{ '%.2f' | format(price.quote.total / 100) }};
      {{ price.quote.invalid_reason if not price.quote.is_valid
         else 'the credit leaves $%.2f to pay' | format(price.quote.total_after_applied_credit / 100) }}.
  run_once: true

- name: The same product named by type, country and protocol, for three months, with a promotional code
  byteful.proxy.checkout_quote:
    product_type: isp
    country_id: us
    protocol: ipv4
    quantity: 10
    cycle: "3:month"
    promotional_code: WINTER10
  delegate_to: localhost
  run_once: true
  register: price
"""

RETURN = r"""
quote:
  description:
    - The API's quote. Money is in cents (V(350) is $3.50).
    - Every documented field below is there; V(null) when the API left it out or sent V(null) (or the text
      C("null")). Fields the API sends beyond these are returned as they came.
  returned: success
  type: dict
  contains:
    total:
      description: What the purchase costs, after any discount, in cents.
      type: int
      returned: always
      sample: 3500
    before_discount_total:
      description: The price before any discount, in cents.
      type: int
      returned: always
      sample: 3500
    discount:
      description: The discount, in cents.
      type: int
      returned: always
      sample: 0
    discounted:
      description: V(true) when a discount applies.
      type: bool
      returned: always
      sample: false
    credit_balance:
      description: The account's credit balance now, in cents.
      type: int
      returned: always
      sample: 250000
    customer_credit_balance_applied:
      description: V(true) when the account's credit would pay (part of) the purchase.
      type: bool
      returned: always
      sample: true
    customer_credit_balance_applied_amount:
      description: How much of the total the credit would pay, in cents.
      type: int
      returned: always
      sample: 3500
    total_after_applied_credit:
      description: What is left to pay after the credit, in cents; V(0) when the credit covers it all.
      type: int
      returned: always
      sample: 0
    credit_only_checkout:
      description: V(true) when the purchase can be paid from credit alone.
      type: bool
      returned: always
      sample: true
    is_valid:
      description:
        - V(false) when the purchase cannot be made as asked; RV(quote.invalid_reason) says why and the task warns.
      type: bool
      returned: always
      sample: true
    invalid_reason:
      description: Why the quote is invalid, in the API's words; V(null) for a valid quote.
      type: str
      returned: always
      sample: null
    is_top_up:
      description: V(true) when the purchase would add data to an existing residential or mobile service.
      type: bool
      returned: always
      sample: false
    top_up_amount:
      description: The amount a top-up adds, as the API reports it.
      type: int
      returned: always
      sample: 0
    promotional_code:
      description: The promotional code applied; V(null) when none.
      type: str
      returned: always
      sample: null
    promotional_code_id:
      description: The id of the promotional code applied; V(null) when none.
      type: str
      returned: always
      sample: null
    line_items:
      description: What the total is made of, one entry per item.
      type: list
      elements: dict
      returned: always
      contains:
        item_name:
          description: The item's name.
          type: str
          returned: always
          sample: US ISP Proxies
        item_type:
          description: The product type of the item.
          type: str
          returned: always
          sample: isp
        item_country_id:
          description: The item's country, lower case.
          type: str
          returned: always
          sample: us
        item_quantity:
          description: How many units of the item (see O(quantity) for what a unit is).
          type: int
          returned: always
          sample: 10
        item_per_unit_amount:
          description: The price of one unit for the cycle, in cents.
          type: int
          returned: always
          sample: 350
        item_total:
          description: The item's total, in cents.
          type: int
          returned: always
          sample: 3500
        item_price_id:
          description: The id of the price used.
          type: str
          returned: always
          sample: price_isp_us_month
        item_price_type:
          description: C(recurring) or C(one_time).
          type: str
          returned: always
          sample: recurring
        service_fulfillment_filter:
          description: Provisioning criteria of the item, if any.
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
      description: HTTP status of the API's answer, when there was one (V(400) for a body the API refused).
      type: int
      returned: when the API answered
      sample: 400
    error:
      description: The API's error code.
      type: str
      returned: when the API sent one
      sample: Bad Request
    api_message:
      description: The API's own message.
      type: str
      returned: when the API sent one
      sample: quantity must be at least 1.
    request_id:
      description: The API's request id; quote it to Byteful support.
      type: str
      returned: when the API sent one
      sample: req_3f9a1c2b
    url:
      description: The URL that was requested.
      type: str
      returned: when a request was made
      sample: https://api.byteful.com/1.0/public/user/checkout/quote
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
      sample: [{"path": "$.total", "expected": "integer or null", "found": "number 35.0"}]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.byteful.proxy.plugins.module_utils._api import CONNECTION_ARGUMENT_SPEC, OptionError
from ansible_collections.byteful.proxy.plugins.module_utils._quote import fetch_quote, quote_body
from ansible_collections.byteful.proxy.plugins.module_utils._read_only_module import run_read_only

PRODUCT_BY_PARTS = ("product_type", "country_id", "protocol")

ARGUMENT_SPEC = dict(
    CONNECTION_ARGUMENT_SPEC,
    product_code=dict(type="str"),
    product_type=dict(type="str"),
    country_id=dict(type="str"),
    protocol=dict(type="str"),
    quantity=dict(type="int", required=True),
    cycle=dict(type="str"),
    promotional_code=dict(type="str"),
)


def main():
    module = AnsibleModule(
        argument_spec=ARGUMENT_SPEC,
        supports_check_mode=True,
        mutually_exclusive=[("product_code", part) for part in PRODUCT_BY_PARTS],
        required_together=[PRODUCT_BY_PARTS],
        required_one_of=[("product_code", "product_type")],
    )
    params = module.params
    try:  # a mistake (quantity 0, a cycle such as "monthly") fails here, before any request
        body = quote_body(params["quantity"], product_code=params["product_code"], product_type=params["product_type"],
                          country_id=params["country_id"], protocol=params["protocol"], cycle=params["cycle"],
                          promotional_code=params["promotional_code"])
    except OptionError as exc:
        module.fail_json(msg=exc.message)

    def read(client):
        quote = fetch_quote(client, body)
        if quote.get("is_valid") is False:
            # The API's own words, as the client passed them: cleaned, without the key, cut.
            reason = quote.get("invalid_reason")
            module.warn("The Byteful API says this purchase cannot be made (%s); the quote is returned with is_valid "
                        "false and nothing was bought." % ('"%s"' % reason if reason else "it gave no reason"))
        return {"quote": quote}

    run_read_only(module, read)


if __name__ == "__main__":
    main()
