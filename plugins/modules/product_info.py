#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: product_info
short_description: The Byteful product catalog, with product codes, billing cycles and prices
version_added: 0.2.0
description:
  - Lists what the account can buy, by the product code that M(byteful.proxy.checkout_quote) and the preflight
    gate's C(purchases) take (V(isp_us), V(datacenter_gb), V(residential_global)...), with its billing cycles
    (V(1:month)...), availability, stock and prices in cents.
  - Reads the checkout catalog (C(GET /public/user/checkout/catalog)), which has the codes but no prices, and the
    product search (C(GET /public/user/product/search), every page), which has the prices under other ids; the two are
    joined on type, country and protocol. Two requests, or a few more for a catalog of over 100 products.
  - The module only reads and buys nothing; it always returns C(changed=false). Run it once, on the controller,
    with C(delegate_to) V(localhost) and C(run_once) V(true).
options:
  product_code:
    description:
      - Only this product, by its code, for example V(isp_us).
    type: str
  product_type:
    description:
      - Only products of this type, for example V(isp), V(datacenter), V(residential) or V(mobile).
    type: str
  country_id:
    description:
      - Only products of this country, lower case (V(us), V(gb)); global products (residential, mobile data) have none.
    type: str
extends_documentation_fragment:
  - byteful.proxy.connection
  - byteful.proxy.attributes
  - byteful.proxy.attributes.info_module
  - byteful.proxy.attributes.actiongroup_byteful
notes:
  - A catalog entry whose type, country and protocol match no product of the search, or more than one, is returned
    with RV(products[].prices) V(null) (unknown, never free). The quote prices it all the same.
  - For data products (C(residential), C(mobile)) the API's documentation does not say what a unit is (a GB is
    likely, not confirmed); price one with M(byteful.proxy.checkout_quote) and read its line items.
seealso:
  - module: byteful.proxy.checkout_quote
  - name: The byteful.proxy.preflight role
    description: Its C(byteful_preflight_purchases) take the product codes listed here.
    link: https://github.com/byteful/ansible-collection-proxy/blob/main/roles/preflight/README.md
author:
  - byteful.proxy maintainers (@byteful)
"""

EXAMPLES = r"""
- name: The ISP products
  byteful.proxy.product_info:
    product_type: isp
  delegate_to: localhost
  run_once: true
  register: catalog

- name: Their codes, availability and monthly price per proxy
  ansible.builtin.debug:
    msg: >-
      {{ item.product_code }}: {{ 'available' if item.product_is_available else 'not available' }},
      {{ (item.prices | default([], true) | selectattr('cycle', 'equalto', '1:month') | map(attribute='price_per_unit_amount')
          | first | default(none)) }} cents a month
  loop: "{{ catalog.products }}"
  run_once: true

- name: Price what the catalog lists, by its code
  byteful.proxy.checkout_quote:
    product_code: "{{ (catalog.products | selectattr('product_is_available') | first).product_code }}"
    quantity: 10
    cycle: "1:month"
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
products:
  description:
    - The catalog's products that pass the filters, sorted by code. Fields the catalog sends beyond these are
      returned as they came.
  returned: success
  type: list
  elements: dict
  contains:
    product_code:
      description: The code a quote and the gate's purchases take.
      type: str
      returned: always
      sample: isp_us
    product_name:
      description: Name.
      type: str
      returned: always
      sample: US ISP Proxies
    product_type:
      description: V(datacenter), V(isp), V(residential), V(mobile)...
      type: str
      returned: always
      sample: isp
    country_id:
      description: Country code; V(null) for a global product.
      type: str
      returned: always
      sample: us
    product_protocol:
      description: V(ipv4), V(ipv6) or V(dual); V(null) for a data product.
      type: str
      returned: always
      sample: ipv4
    product_is_available:
      description: Whether it can be bought now.
      type: bool
      returned: always
      sample: true
    product_is_per_ip:
      description: Whether a unit is one proxy.
      type: bool
      returned: always
      sample: true
    product_stock:
      description: Units in stock; V(-1) or V(null) when unlimited or not counted.
      type: int
      returned: always
      sample: 5000
    product_cycle_options:
      description: The billing cycles a quote's C(cycle) takes.
      type: list
      elements: str
      returned: always
      sample: ["1:month", "3:month", "1:year"]
    product_id:
      description: The product search's id for it; V(null) when the join found none or several.
      type: str
      returned: always
      sample: prod_R7kLm2Qp9xVb3a
    prices:
      description: Its prices, one per cycle; V(null) when unknown (see the notes).
      type: list
      elements: dict
      returned: always
      contains:
        cycle:
          description: The billing cycle, as a quote's C(cycle) takes it; V(null) for a one-time price.
          type: str
          returned: always
          sample: "1:month"
        price_id:
          description: The price's id (a quote's C(item_price_id)).
          type: str
          returned: always
          sample: price_isp_us_1_month
        price_type:
          description: V(recurring) or V(one_time).
          type: str
          returned: always
          sample: recurring
        price_amount:
          description: The price in cents.
          type: int
          returned: always
          sample: 350
        price_per_unit_amount:
          description: The price of one unit in cents.
          type: int
          returned: always
          sample: 350
        price_tier_type:
          description: V(volume) or V(graduated).
          type: str
          returned: always
          sample: volume
        price_tiers:
          description: The tiers, as the API sent them.
          type: list
          elements: dict
          returned: always
          sample: [{"price_tier_amount": 350, "price_tier_up_to": null}]
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
      sample: https://api.byteful.com/1.0/public/user/checkout/catalog
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
      sample: [{"path": "$.catalog.isp_us.product_stock", "expected": "integer or null", "found": "string \"many\""}]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.byteful.proxy.plugins.module_utils._api import CONNECTION_ARGUMENT_SPEC
from ansible_collections.byteful.proxy.plugins.module_utils._product import read_products
from ansible_collections.byteful.proxy.plugins.module_utils._read_only_module import run_read_only

ARGUMENT_SPEC = dict(
    CONNECTION_ARGUMENT_SPEC,
    product_code=dict(type="str"),
    product_type=dict(type="str"),
    country_id=dict(type="str"),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    run_read_only(module, lambda client: {"products": read_products(
        client, product_code=params["product_code"], product_type=params["product_type"], country_id=params["country_id"])})


if __name__ == "__main__":
    main()
