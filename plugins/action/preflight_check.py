# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Controller-side preflight_check: reads the account (or takes it from ``customer``) and compares it.

Nothing is sent to a host. Run as the byteful.proxy.preflight role's task, it speaks in the
role's variables, refuses variables the collection does not read, and warns when nothing is
being checked.
"""

from __future__ import annotations

import datetime
import difflib
import os

from ansible.module_utils.basic import missing_required_lib
from ansible.plugins.action import ActionBase

from ansible_collections.byteful.proxy.plugins.module_utils._api import (
    CONNECTION_ARGUMENT_SPEC,
    CONNECTION_OPTIONS,
    HAS_REQUESTS,
    BytefulError,
)
from ansible_collections.byteful.proxy.plugins.module_utils._customer import HAS_JSONSCHEMA, validate_customer
from ansible_collections.byteful.proxy.plugins.plugin_utils._account import (
    KEY_OPTIONS,
    LOOKUP_NAME,
    AccountSession,
    key_names,
    lookup_variables,
    option_variables,
)
from ansible_collections.byteful.proxy.plugins.plugin_utils._forecast import any_enabled, forecast, parse_settings
from ansible_collections.byteful.proxy.plugins.plugin_utils._preflight import evaluate, parse_bytes, parse_cents, summarise
from ansible_collections.byteful.proxy.plugins.plugin_utils._preflight_report import build_report, write_report

# Mirrors the options documented in plugins/modules/preflight_check.py. The connection options
# have no default or fallback here: unset, they are read as the customer lookup reads them.
ARGUMENT_SPEC = dict(
    customer=dict(type="dict"),
    min_credit_balance=dict(type="raw", default=0),
    min_residential_bytes=dict(type="raw", default=0),
    min_mobile_bytes=dict(type="raw", default=0),
    require_residential_service=dict(type="bool", default=False),
    require_mobile_service=dict(type="bool", default=False),
    fail_on_shortfall=dict(type="bool", default=True),
    # The forecast checks (plugin_utils/_forecast.py parses them, naming what the user set).
    min_residential_days=dict(type="raw"),
    min_mobile_days=dict(type="raw"),
    usage_window_days=dict(type="raw", default=14),
    min_proxy_user_headroom=dict(type="raw"),
    min_service_days_left=dict(type="raw"),
    fail_on_service_status=dict(type="raw", default=[]),
    purchases=dict(type="raw", default=[]),
    renewal_window_days=dict(type="raw"),
    report_path=dict(type="path"),
    **{name: {key: value for key, value in spec.items() if key in ("type", "no_log")}
       for name, spec in CONNECTION_ARGUMENT_SPEC.items()}
)
THRESHOLDS = ("min_credit_balance", "min_residential_bytes", "min_mobile_bytes")
SERVICES = ("require_residential_service", "require_mobile_service")

# The role this action speaks for when it runs as that role's task, in the same collection.
ROLE_NAME = "byteful.proxy.preflight"
ROLE_PATH = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "..", "roles", "preflight"))
ROLE_PREFIX = "byteful_preflight_"
# Variables with these prefixes belong to the collection: one it does not read is a typo.
GUARDED_PREFIXES = (ROLE_PREFIX, "byteful_api_")


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        result["changed"] = False
        in_role = self._runs_in_role()
        # The names the user set: the role's variables through the role, the options otherwise.
        name = (lambda option: ROLE_PREFIX + option) if in_role else (lambda option: option)
        now = datetime.datetime.now(datetime.timezone.utc)
        customer = outcome = None
        try:
            lookup = self._shared_loader_obj.lookup_loader.get(LOOKUP_NAME, loader=self._loader, templar=self._templar)
            if in_role:
                self._refuse_unknown_variables(task_vars, lookup_variables(lookup))
            thresholds = {
                "min_credit_balance": parse_cents(args["min_credit_balance"], name("min_credit_balance")),
                "min_residential_bytes": parse_bytes(args["min_residential_bytes"], name("min_residential_bytes")),
                "min_mobile_bytes": parse_bytes(args["min_mobile_bytes"], name("min_mobile_bytes")),
            }
            settings = parse_settings(args, name)
            if not any(thresholds.values()) and not any(args[option] for option in SERVICES) and not any_enabled(settings):
                result.setdefault("warnings", []).append(
                    "%s sets no threshold (%s are 0) and requires no service, so it checks little more than that the "
                    "Byteful account can be read; set a threshold%s." % (
                        ROLE_NAME if in_role else "preflight_check", ", ".join(name(option) for option in THRESHOLDS),
                        ", or %senabled: false to skip the role" % ROLE_PREFIX if in_role else ""))
            if not HAS_JSONSCHEMA:
                return dict(result, failed=True, msg=missing_required_lib("jsonschema"))
            session = None
            if args["customer"] is None or any_enabled(settings):
                if not HAS_REQUESTS:
                    return dict(result, failed=True, msg=missing_required_lib("requests"))
                session = self._session(lookup, args, task_vars, in_role, result)
            if args["customer"] is None:
                customer = session.customer()
            else:
                # Validated again here: the customer may come from anywhere, and a wrong type must
                # never compare as "enough".
                customer = validate_customer(args["customer"])
            outcome = evaluate(customer, require_residential_service=args["require_residential_service"],
                               require_mobile_service=args["require_mobile_service"], **thresholds)
            if any_enabled(settings):
                checks, credit = forecast(session.read, customer, settings, thresholds["min_credit_balance"], now)
                base = [credit if credit is not None and check["name"] == "credit_balance" else check for check in outcome["checks"]]
                outcome = summarise(customer, base + checks)
        except BytefulError as exc:
            error = exc.message
        else:
            error = None
        if args["report_path"]:
            # Whatever happened, CI finds a report: the checks, or the run's one sentence in their place.
            report = build_report(customer.get("customer_id") if customer else None, now,
                                  outcome=None if error else outcome, error=error)
            try:
                result["report_path"] = write_report(args["report_path"], report, name("report_path"))
            except BytefulError as exc:
                error = "%s %s" % (error, exc.message) if error else exc.message
        if error:
            return dict(result, failed=True, msg=error)
        result.update(outcome)
        if not outcome["passed"] and args["fail_on_shortfall"]:
            # Without the customer: Ansible prints a failed result whole, and the object holds
            # the account holder's name, e-mail and billing address.
            result["failed"] = True
            return result
        if not outcome["passed"]:
            result.setdefault("warnings", []).append(outcome["msg"])
        result["customer"] = customer
        return result

    def _runs_in_role(self):
        role = self._task._role
        return role is not None and role.get_role_path() == ROLE_PATH

    def _refuse_unknown_variables(self, task_vars, lookup_names):
        """Fail on a byteful_preflight_* or byteful_api_* variable that nothing reads: a misspelt
        threshold would otherwise leave its check off and let every account pass."""
        specs = self._loader.load_from_file(os.path.join(ROLE_PATH, "meta", "argument_specs.yml"))
        known = set(specs["argument_specs"]["main"]["options"]) | set(lookup_names)
        # Only names matter here, so lazily templated values are never rendered; magic and
        # internal variables (hostvars, ansible_*, omit, ...) never have these prefixes.
        unknown = sorted(variable for variable in task_vars
                         if variable.startswith(GUARDED_PREFIXES) and variable not in known)
        if not unknown:
            return
        named = []
        for variable in unknown:
            close = difflib.get_close_matches(variable, sorted(known), n=1)
            named.append("%s (did you mean %s?)" % (variable, close[0]) if close else variable)
        several = len(unknown) > 1
        raise BytefulError(
            "The play sets %s, which %s does not read; a misspelt setting would leave its check off, so fix the %s or "
            "remove the %s (ansible-doc -t role %s lists them)." % (
                ", ".join(named[:-1]) + " and " + named[-1] if several else named[0], ROLE_NAME,
                "names" if several else "name", "variables" if several else "variable", ROLE_NAME))

    def _session(self, lookup, args, task_vars, in_role, result):
        """The account's client and run cache, set up as the customer lookup reads the account (its options, its cache)."""
        direct = {option: args[option] for option in CONNECTION_OPTIONS if args[option] is not None}
        lookup.set_options(var_options=option_variables(lookup, self._templar, task_vars), direct=direct)
        variables = {option: "byteful_" + option for option in KEY_OPTIONS}
        if in_role:
            names = key_names(lookup, direct_names=variables, unset_names=variables)
            where = "the play's or the role's variables (the private key from Ansible Vault)"
        else:
            options = {option: option for option in KEY_OPTIONS}
            names = key_names(lookup, direct_names=options, unset_names=options)
            where = "the task's options (or the byteful_api_* variables)"
        return AccountSession(lookup, names, where, lambda warning: result.setdefault("warnings", []).append(warning))
