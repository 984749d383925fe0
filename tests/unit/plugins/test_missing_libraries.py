# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Without requests or jsonschema, every plugin fails with Ansible's standard sentence, no traceback."""

from __future__ import annotations

import json
import sys

import pytest

from ansible.errors import AnsibleLookupError
from ansible.module_utils.testing import patch_module_args
from ansible.plugins.loader import lookup_loader

from ansible_collections.byteful.proxy.plugins.modules import customer_info

PRIVATE_KEY = "never-shown-0123456789"


@pytest.mark.parametrize("flag, library", [("HAS_REQUESTS", "requests"), ("HAS_JSONSCHEMA", "jsonschema")])
def test_module_names_the_missing_library(capsys, monkeypatch, flag, library):
    monkeypatch.setattr(customer_info, flag, False)
    with patch_module_args(dict(api_url="http://127.0.0.1:9/1.0", api_public_key="p", api_private_key=PRIVATE_KEY)):
        with pytest.raises(SystemExit):
            customer_info.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to import the required Python library (%s)" % library)
    assert PRIVATE_KEY not in json.dumps(result)


@pytest.mark.parametrize("flag, library", [("HAS_REQUESTS", "requests"), ("HAS_JSONSCHEMA", "jsonschema")])
def test_lookup_names_the_missing_library(monkeypatch, flag, library):
    lookup = lookup_loader.get("byteful.proxy.customer")
    # The plugin loader imports the lookup under a name of its own: patch the module it made.
    monkeypatch.setattr(sys.modules[type(lookup).__module__], flag, False)
    with pytest.raises(AnsibleLookupError, match=r"^Failed to import the required Python library \(%s\)" % library):
        lookup.run([], {}, api_url="http://127.0.0.1:9/1.0", api_public_key="p", api_private_key=PRIVATE_KEY)
