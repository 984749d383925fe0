# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Attributes of byteful.proxy modules."""

    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: all
"""

    # Read-only modules: same answer in check mode, nothing to diff.
    INFO_MODULE = r"""
attributes:
  check_mode:
    support: full
    details: This action does not modify state.
  diff_mode:
    support: N/A
    details: This action does not modify state.
"""

    ACTIONGROUP_BYTEFUL = r"""
attributes:
  action_group:
    description: Use C(group/byteful.proxy.byteful) in C(module_defaults) to set options for every module of this collection.
    support: full
    membership:
      - byteful.proxy.byteful
"""
