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
    LOOKUP_NAME,
    AccountSession,
    lookup_variables,
    option_names,
    set_plugin_options,
    variable_names,
)
from ansible_collections.byteful.proxy.plugins.plugin_utils._forecast import any_enabled, forecast, parse_settings
from ansible_collections.byteful.proxy.plugins.plugin_utils._preflight import (
    evaluate,
    parse_bool,
    parse_bytes,
    parse_cents,
    summarise,
)
from ansible_collections.byteful.proxy.plugins.plugin_utils._preflight_report import build_report, write_report
from ansible_collections.byteful.proxy.plugins.plugin_utils._role_names import ROLE_NAME, ROLE_PATH, RoleNames

# Mirrors the options documented in plugins/modules/preflight_check.py. The thresholds are raw
# and parsed by plugin_utils, and the switches (SWITCHES) read strictly before Ansible validates
# them, so that a bad value is one sentence naming what the user set (the role's variable through
# the role). The connection options have no default or fallback here: unset, they are read as the
# customer lookup reads them.
ARGUMENT_SPEC = dict(
    customer=dict(type="dict"),
    enabled=dict(type="bool", default=True),
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
    planned_proxy_users=dict(type="raw", default=[]),
    min_service_days_left=dict(type="raw"),
    fail_on_service_status=dict(type="raw", default=[]),
    service_types=dict(type="raw", default=[]),
    service_ids=dict(type="raw", default=[]),
    purchases=dict(type="raw", default=[]),
    renewal_window_days=dict(type="raw"),
    report_path=dict(type="path"),
    **{name: {key: value for key, value in spec.items() if key in ("type", "no_log")}
       for name, spec in CONNECTION_ARGUMENT_SPEC.items()}
)
THRESHOLDS = ("min_credit_balance", "min_residential_bytes", "min_mobile_bytes")
SERVICES = ("require_residential_service", "require_mobile_service")
SCOPED = ("min_service_days_left", "fail_on_service_status")
SWITCHES = ("enabled", "fail_on_shortfall") + SERVICES


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        warnings = []
        result = self._check(result, task_vars or {}, warnings)
        if warnings:
            result["warnings"] = result.get("warnings", []) + warnings
        return result

    def _check(self, result, task_vars, warnings):
        result["changed"] = False
        lookup = self._shared_loader_obj.lookup_loader.get(LOOKUP_NAME, loader=self._loader, templar=self._templar)
        role = RoleNames(self._loader, lookup_variables(lookup)) if self._runs_in_role() else None
        # The names the user set: the role's variables through the role, the options otherwise.
        name = role.variable if role else (lambda option: option)
        now = datetime.datetime.now(datetime.timezone.utc)
        try:
            # Strictly true or false, before Ansible's own validation would name the option instead
            # of the role's variable; Ansible's bool filter would take "ture" for false.
            switches = {option: parse_bool(self._task.args.get(option, ARGUMENT_SPEC[option]["default"]), name(option))
                        for option in SWITCHES}
        except BytefulError as exc:
            report_path = self._task.args.get("report_path")
            return self._finish(result, report_path if isinstance(report_path, str) else None, name, now, error=exc.message)
        dummy, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        customer = outcome = None
        try:
            if not switches["enabled"]:
                return dict(result, skipped=True, skip_reason="%s is false" % name("enabled"))
            if role:
                # The variables the gate runs with: those of the host the run_once task runs on
                # (play, role, extra vars and its inventory), so no misspelt setting can disarm it.
                role.refuse_misspelt(task_vars)
            thresholds = {
                "min_credit_balance": parse_cents(args["min_credit_balance"], name("min_credit_balance"), warnings),
                "min_residential_bytes": parse_bytes(args["min_residential_bytes"], name("min_residential_bytes"), warnings),
                "min_mobile_bytes": parse_bytes(args["min_mobile_bytes"], name("min_mobile_bytes"), warnings),
            }
            required = {option: switches[option] for option in SERVICES}
            settings = parse_settings(args, name)
            self._warn_about_settings(warnings, role, name, thresholds, required, settings)
            if not HAS_JSONSCHEMA:
                return dict(result, failed=True, msg=missing_required_lib("jsonschema"))
            session = None
            if args["customer"] is None or any_enabled(settings):
                if not HAS_REQUESTS:
                    return dict(result, failed=True, msg=missing_required_lib("requests"))
                session = self._session(lookup, args, task_vars, role, warnings)
            if args["customer"] is None:
                customer = session.customer()
            else:
                # Validated again here: the customer may come from anywhere, and a wrong type must
                # never compare as "enough".
                customer = validate_customer(args["customer"])
            outcome = evaluate(customer, **dict(thresholds, **required))
            if any_enabled(settings):
                checks, credit = forecast(session.read, customer, settings, thresholds["min_credit_balance"], now)
                base = [credit if credit is not None and check["name"] == "credit_balance" else check for check in outcome["checks"]]
                outcome = summarise(customer, base + checks)
        except BytefulError as exc:
            return self._finish(result, args["report_path"], name, now, customer=customer, error=exc.message)
        return self._finish(result, args["report_path"], name, now, customer=customer, outcome=outcome,
                            fail_on_shortfall=switches["fail_on_shortfall"], warnings=warnings)

    @staticmethod
    def _finish(result, report_path, name, now, customer=None, outcome=None, error=None, fail_on_shortfall=True,
                warnings=None):
        """The task's result, and the report when one is asked for."""
        if report_path:
            # Whatever happened, CI finds a report: the checks, or the run's one sentence in their place.
            report = build_report(customer.get("customer_id") if customer else None, now,
                                  outcome=None if error else outcome, error=error)
            try:
                result["report_path"] = write_report(report_path, report, name("report_path"))
            except BytefulError as exc:
                error = "%s %s" % (error, exc.message) if error else exc.message
        if error:
            return dict(result, failed=True, msg=error)
        if not outcome["passed"] and fail_on_shortfall:
            # The sentence and the verdict only: Ansible prints a failed result whole on its fatal:
            # line, and the sentence already names every failing check (the report, or
            # fail_on_shortfall false, has them all). Never the customer: it holds the account
            # holder's name, e-mail and billing address.
            return dict(result, failed=True, passed=False, msg=outcome["msg"])
        result.update(outcome)
        if not outcome["passed"]:
            warnings.append(outcome["msg"])
        result["customer"] = customer
        return result

    def _runs_in_role(self):
        role = self._task._role
        return role is not None and role.get_role_path() == ROLE_PATH

    @staticmethod
    def _warn_about_settings(warnings, role, name, thresholds, required, settings):
        """Settings that check less than the user may think: none at all, or a scope with nothing to limit."""
        if not any(thresholds.values()) and not any(required.values()) and not any_enabled(settings):
            warnings.append(
                "%s sets no threshold (%s are 0) and requires no service, so it checks little more than that the "
                "Byteful account can be read; set a threshold%s." % (
                    ROLE_NAME if role else "preflight_check", ", ".join(name(option) for option in THRESHOLDS),
                    ", or %s: false to skip the role" % name("enabled") if role else ""))
        scope = settings["service_scope"]
        if (scope["types"] or scope["ids"]) and not any(settings[option] for option in SCOPED):
            warnings.append("%s limit%s only %s and %s, and neither is set, so the limit changes nothing." % (
                " and ".join(name(option) for option, value in (("service_types", scope["types"]), ("service_ids", scope["ids"]))
                             if value), "" if scope["types"] and scope["ids"] else "s",
                name("min_service_days_left"), name("fail_on_service_status")))

    def _session(self, lookup, args, task_vars, role, warnings):
        """The account's client and run cache, set up as the customer lookup reads the account (its options, its cache).

        Every message about a connection option names it as the user set it (see _account.option_names): a task
        option or module_defaults by the option, a variable, an environment variable, an ansible.cfg entry; an unset
        one by the role's variable through the role, by the option otherwise.
        """
        direct = {option: args[option] for option in CONNECTION_OPTIONS if args[option] is not None}
        options = {option: option for option in CONNECTION_OPTIONS}
        set_plugin_options(lookup, self._templar, task_vars, direct, options)
        if role:
            names = option_names(lookup, direct_names=options, unset_names=variable_names(lookup))
            where = "the play's or the role's variables (the private key from Ansible Vault)"
        else:
            names = option_names(lookup, direct_names=options, unset_names=options)
            where = "the task's options (or the byteful_api_* variables)"
        return AccountSession(lookup, names, where, warnings.append)
