# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Controller-side preflight_check: compares data already fetched, so nothing is sent to a host."""

from __future__ import annotations

from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.action import ActionBase

from ansible_collections.byteful.proxy.plugins.module_utils._api import BytefulError
from ansible_collections.byteful.proxy.plugins.module_utils._customer import HAS_JSONSCHEMA, validate_customer
from ansible_collections.byteful.proxy.plugins.plugin_utils._preflight import evaluate

# Mirrors the options documented in plugins/modules/preflight_check.py.
ARGUMENT_SPEC = dict(
    customer=dict(type="dict", required=True),
    min_credit_balance=dict(type="raw", default=0),
    min_residential_bytes=dict(type="raw", default=0),
    min_mobile_bytes=dict(type="raw", default=0),
    require_residential_service=dict(type="bool", default=False),
    require_mobile_service=dict(type="bool", default=False),
    fail_on_shortfall=dict(type="bool", default=True),
)


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        result["changed"] = False
        if not HAS_JSONSCHEMA:
            return dict(result, failed=True, msg=missing_required_lib("jsonschema"))
        fail_on_shortfall = args.pop("fail_on_shortfall")
        try:
            # Validated again here: the customer may come from anywhere, and a wrong type must
            # never compare as "enough".
            customer = validate_customer(args.pop("customer"))
            outcome = evaluate(customer, **args)
        except BytefulError as exc:
            return dict(result, failed=True, msg=exc.message)
        result.update(outcome)
        if not outcome["passed"]:
            if fail_on_shortfall:
                result["failed"] = True
            else:
                result.setdefault("warnings", []).append(outcome["msg"])
        return result
