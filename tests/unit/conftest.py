# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tests marked ``once`` run on one ansible-core line only.

They test what no ansible-core version changes (processes sharing the rate limit, memory bounds,
the property-based fuzzing; the simulator's own tests, tests/unit/simulator, whose code imports
nothing of ansible-core and which every integration target runs on every line's Python), so
`make test` (tools/test-matrix) runs them on the first line of its matrix: the oldest ansible-core
the collection supports, which meta/runtime.yml names. On the other lines they are skipped, saying
why. The contract test with byteful-sdk is not marked: it needs Python 3.13, the newest line's.

Every test of tests/unit/plugins/module_utils counts as marked: they test the client and the
resource files on their own (fake clocks, fake or in-process APIs), code that uses nothing of
ansible-core but `env_fallback`; the tests of the modules, the lookups and the action run that same
code through each line's AnsibleModule and plugin loader, on every line.
"""

from __future__ import annotations

import os
import re

import pytest

# module_utils's copy: the unit tests of modules run with ansible.module_utils only.
from ansible.module_utils.ansible_release import __version__ as ansible_version

RUNTIME = os.path.join(os.path.dirname(__file__), "..", "..", "meta", "runtime.yml")


def oldest_supported_line():
    """The line of meta/runtime.yml's requires_ansible, "2.19" for ">=2.19.0"."""
    with open(RUNTIME, encoding="utf-8") as handle:
        match = re.search(r'^requires_ansible:\s*["\']?>=\s*([0-9]+\.[0-9]+)', handle.read(), re.MULTILINE)
    if not match:
        raise AssertionError("meta/runtime.yml has no requires_ansible >= X.Y")
    return match.group(1)


def pytest_configure(config):
    config.addinivalue_line("markers", "once: runs on the oldest supported ansible-core line only (tests/unit/conftest.py)")


def pytest_collection_modifyitems(config, items):
    line = oldest_supported_line()
    if ".".join(ansible_version.split(".")[:2]) == line:
        return
    skip = pytest.mark.skip(reason="marked once: runs on ansible-core %s only, its result does not depend on the version" % line)
    for item in items:
        if "once" in item.keywords or is_version_free(str(item.fspath)):
            item.add_marker(skip)


def is_version_free(path):
    """Whether the test file at ``path`` tests code that no ansible-core version changes (see above)."""
    return os.path.dirname(os.path.abspath(path)) == os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins", "module_utils")
