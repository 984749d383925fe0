# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: customer
short_description: The Byteful account's Customer object, or some of its fields
version_added: 0.1.0
description:
  - Returns the authenticated account's Customer object from the Byteful API (C(GET /public/user/customer/retrieve)),
    validated against the collection's JSON schema, or the fields named as terms.
  - Runs on the controller. Within one C(ansible-playbook) run, every host and every task asking for the same account
    shares one API call, through a cache in the run's private temporary directory (see O(cache)).
  - The values come from the API and are never templated again, so a field holding C({{ }}) stays text.
extends_documentation_fragment:
  - byteful.proxy.connection
  - byteful.proxy.connection.plugins
  - byteful.proxy.connection.run_cache
options:
  _terms:
    description:
      - Names of the fields to return, in order. Without terms the whole object is returned.
      - The documented fields are C(customer_id), C(customer_email_address), C(customer_first_name),
        C(customer_last_name), C(credit_balance), C(customer_proxy_user_limit), C(proxy_count),
        C(residential_bytes_left), C(active_residential_service_id),
        C(active_residential_service_subscription_is_paused), C(mobile_bytes_left), C(active_mobile_service_id) and
        C(active_mobile_service_is_paused); other fields the API sends may be named too.
      - Every documented field but C(customer_id) is V(null) when the API did not report it.
    type: list
    elements: str
    required: false
seealso:
  - module: byteful.proxy.customer_info
  # Not a ref: ansible-doc turns a ref into a docs.ansible.com search, and seealso has no role type.
  - name: The byteful.proxy.preflight role
    description: Fail a play when credit or remaining data are below thresholds (C(ansible-doc -t role byteful.proxy.preflight)).
    link: https://github.com/byteful/ansible-collection-proxy/blob/main/roles/preflight/README.md
notes:
  - The lookup reads the options from its keyword arguments, from the C(byteful_*) variables, from the
    C([byteful]) section of C(ansible.cfg) and from the E(BYTEFUL_API_URL), E(BYTEFUL_API_PUBLIC_KEY)
    and E(BYTEFUL_API_PRIVATE_KEY) environment variables, in that order of precedence.
  - The private key has no C(ansible.cfg) setting, so that it is never written in a configuration file.
  - C(lookup) returns a single value for a single term and the whole object without terms;
    C(query) always returns a list, one item per term.
author:
  - byteful.proxy maintainers (@byteful)
"""

EXAMPLES = r"""
- name: Keys from the environment (BYTEFUL_API_PUBLIC_KEY, BYTEFUL_API_PRIVATE_KEY)
  ansible.builtin.debug:
    msg: "Credit: {{ lookup('byteful.proxy.customer', 'credit_balance') }} cents"

- name: The whole object
  ansible.builtin.set_fact:
    account: "{{ lookup('byteful.proxy.customer') }}"

- name: Several fields at once; query() always returns a list
  ansible.builtin.debug:
    msg: "{{ query('byteful.proxy.customer', 'residential_bytes_left', 'mobile_bytes_left') }}"

- name: Keys from Ansible Vault variables, named as the lookup reads them
  vars:
    byteful_api_public_key: "{{ vault_byteful_public_key }}"
    byteful_api_private_key: "{{ vault_byteful_private_key }}"
  ansible.builtin.template:
    src: proxy-budget.conf.j2        # uses lookup('byteful.proxy.customer', 'residential_bytes_left')
    dest: /etc/proxy/budget.conf
    mode: "0644"

- name: Options as keyword arguments, and no cache
  ansible.builtin.debug:
    msg: "{{ lookup('byteful.proxy.customer', 'proxy_count', api_url='https://api.byteful.com/1.0', cache=false) }}"
"""

RETURN = r"""
_raw:
  description:
    - Without terms, one item, the Customer object (see RV(byteful.proxy.customer_info#module:customer) for its fields).
    - With terms, one item per term, the value of that field; V(null) for a documented field the API did not report.
  type: list
  elements: raw
"""

import difflib

from ansible.errors import AnsibleLookupError
from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.byteful.proxy.plugins.module_utils._api import HAS_REQUESTS, BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._customer import HAS_JSONSCHEMA
from ansible_collections.byteful.proxy.plugins.module_utils._api import CONNECTION_OPTIONS
from ansible_collections.byteful.proxy.plugins.plugin_utils._account import (
    option_names,
    read_customer,
    set_plugin_options,
    variable_names,
)

display = Display()

# Errors about an option name what the user set: a keyword argument, a variable, an environment
# variable, an ansible.cfg entry; an unset one by its variable, the lookup's documented way.
KEYWORD_NAMES = {option: "the lookup's %s keyword" % option for option in CONNECTION_OPTIONS + ("cache", "cache_ttl")}
KEYS_WHERE = "the play's variables, the lookup's keywords (api_public_key=..., api_private_key=...)"


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        try:
            set_plugin_options(self, self._templar, variables or {}, kwargs, KEYWORD_NAMES)
        except BytefulError as exc:
            raise AnsibleLookupError(exc.message) from None
        for library, present in (("requests", HAS_REQUESTS), ("jsonschema", HAS_JSONSCHEMA)):
            if not present:
                raise AnsibleLookupError(missing_required_lib(library))
        # Checked before any API call; a list or mapping as a term would not even be hashable.
        not_names = [term for term in terms if not isinstance(term, str)]
        if not_names:
            raise AnsibleLookupError("The byteful.proxy.customer lookup takes field names as terms, but got %s; name each "
                                     "field as a string, for example 'credit_balance'." % ", ".join(
                                         "a %s" % type(term).__name__ for term in not_names))
        try:
            names = option_names(self, KEYWORD_NAMES, variable_names(self))
            customer = read_customer(self, names, KEYS_WHERE, display.warning)
        except BytefulError as exc:
            # from None: the chained exception would only repeat the sentence as a traceback.
            raise AnsibleLookupError(exc.message) from None
        if not terms:
            return [customer]
        unknown = [term for term in terms if term not in customer]
        if unknown:
            raise AnsibleLookupError(
                "The Byteful customer has no field named %s; valid names are %s." % (
                    ", ".join(_with_suggestion(term, customer) for term in unknown),
                    # Names the API sent, as the client passed them (cleaned, without the key, cut); the list bounded.
                    _listed(sorted(customer))))
        return [customer[term] for term in terms]


def _with_suggestion(term, customer):
    """'credit_balanse' (did you mean 'credit_balance'?): a typo is easier to see than to find in 40 names."""
    close = difflib.get_close_matches(term, sorted(name for name in customer if isinstance(name, str)), n=1)
    return "%r (did you mean %r?)" % (term, close[0]) if close else repr(term)


def _listed(names, most=60):
    """'a, b, c', or beyond ``most`` names 'a, b, ... and 12 more'."""
    shown = ", ".join(names[:most])
    return shown if len(names) <= most else "%s and %d more" % (shown, len(names) - most)
