# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY: the interfaces here may change in any release.

"""What every byteful.proxy module does around its call: libraries, client, warnings, failure.

The info modules and checkout_quote differ only in the options they take and the function they call
(``changed`` always false); proxy_user reports its own ``changed`` and ``diff``. This keeps the rest
(missing libraries, the client's own warnings, one-sentence failures with the structured ``failure``
dict) in one place.
"""

from __future__ import annotations

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.byteful.proxy.plugins.module_utils._api import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    BytefulClient,
    BytefulError,
)
from ansible_collections.byteful.proxy.plugins.module_utils._schema import (
    HAS_JSONSCHEMA,
    JSONSCHEMA_IMPORT_ERROR,
)


def run_read_only(module, read):
    """Call ``read(client)`` and exit with ``changed=False`` and the dict it returns (see run_with_client)."""
    run_with_client(module, lambda client: dict(read(client), changed=False))


def run_with_client(module, work):
    """Call ``work(client)`` and exit with the dict it returns (``changed`` included).

    A BytefulError fails the task with its one sentence and its details as ``failure``; the client's
    warnings (validate_certs false, a member left out of the answer...) are shown either way. The
    message, the warnings and the result pass the client's redactor once more on the way out: none
    holds a secret the run learnt (the module's password option, a password the API returned).
    """
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    if not HAS_JSONSCHEMA:
        module.fail_json(msg=missing_required_lib("jsonschema"), exception=JSONSCHEMA_IMPORT_ERROR)
    warnings = []  # the client's own; the list grows while it reads
    client = None
    try:
        client = BytefulClient.from_options(module.params)
        warnings = client.warnings
        result = work(client)
    except BytefulError as exc:
        # The last gate: every secret the run learnt by now (a password read on a later page...) is removed.
        exc = client.redacted_error(exc) if client is not None else exc
        for warning in warnings:
            module.warn(client.redact(warning))
        module.fail_json(msg=exc.message, failure=exc.details)
    for warning in warnings:
        module.warn(client.redact(warning))
    # No module returns a secret: whatever the API echoed of one in another member is masked too.
    module.exit_json(**client.redacted(result))
