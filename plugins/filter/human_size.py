# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: human_size
short_description: A byte count in the units the preflight role prints (V(10.0 GiB))
version_added: 0.2.0
description:
  - Writes a number of bytes with one decimal in 1024-based units, B, KiB, MiB, GiB, TiB, PiB, exactly as the
    P(byteful.proxy.preflight#role) role and M(byteful.proxy.preflight_check) write them, so a playbook's own output
    uses the same words as the checks (P(ansible.builtin.human_readable#filter) writes the same 1024-based number with
    C(GB)).
  - V(null), a counter the API did not report (usually for a service the account does not have), is written as
    C(unknown), as the checks call it; it is not 0 bytes.
options:
  _input:
    description: A number of bytes, such as C(residential_bytes_left) of the Customer object.
    type: int
    required: true
seealso:
  - plugin: byteful.proxy.customer
    plugin_type: lookup
author:
  - byteful.proxy maintainers (@byteful)
"""

EXAMPLES = r"""
- name: Residential data left, in the words of the preflight role
  ansible.builtin.debug:
    msg: "{{ lookup('byteful.proxy.customer', 'residential_bytes_left') | byteful.proxy.human_size }}"
  # 10737418240 -> "10.0 GiB"
"""

RETURN = r"""
_value:
  description: The size, such as C(10.0 GiB), C(1.5 MiB) or C(512 B); C(unknown) for V(null).
  type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.byteful.proxy.plugins.plugin_utils._preflight import format_bytes


def human_size(value):
    """10737418240 -> '10.0 GiB'; None (not reported by the API) -> 'unknown', never '0 B'."""
    if value is None:
        return "unknown"
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnsibleFilterError("byteful.proxy.human_size takes a whole number of bytes, got %s %r." % (
            type(value).__name__, value))
    return format_bytes(value)


class FilterModule:

    def filters(self):
        return {"human_size": human_size}
