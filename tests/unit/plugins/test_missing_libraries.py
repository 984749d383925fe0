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

from ansible_collections.byteful.proxy.plugins.module_utils import _read_only_module
from ansible_collections.byteful.proxy.plugins.modules import (
    checkout_quote,
    customer_info,
    product_info,
    proxy_info,
    proxy_user,
    proxy_user_info,
    service_info,
    usage_info,
)

PRIVATE_KEY = "never-shown-0123456789"

# Each read-only module with the least it needs; they check the libraries in _read_only_module.
MODULES = [(customer_info, {}), (service_info, {}), (usage_info, {"product": "mobile"}), (proxy_user_info, {}),
           (checkout_quote, {"product_code": "isp_us", "quantity": 1}), (proxy_info, {}), (product_info, {}),
           (proxy_user, {"proxy_user_id": "scraper_eu_01"})]


@pytest.mark.parametrize("module, options", MODULES, ids=lambda value: getattr(value, "__name__", "").rsplit(".", 1)[-1])
@pytest.mark.parametrize("flag, library", [("HAS_REQUESTS", "requests"), ("HAS_JSONSCHEMA", "jsonschema")])
def test_module_names_the_missing_library(capsys, monkeypatch, flag, library, module, options):
    monkeypatch.setattr(_read_only_module, flag, False)
    with patch_module_args(dict(options, api_url="http://127.0.0.1:9/1.0", api_public_key="p", api_private_key=PRIVATE_KEY)):
        with pytest.raises(SystemExit):
            module.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to import the required Python library (%s)" % library)
    assert PRIVATE_KEY not in json.dumps(result)


@pytest.mark.parametrize("name", ["customer", "proxy_list"])
@pytest.mark.parametrize("flag, library", [("HAS_REQUESTS", "requests"), ("HAS_JSONSCHEMA", "jsonschema")])
def test_lookup_names_the_missing_library(monkeypatch, flag, library, name):
    lookup = lookup_loader.get("byteful.proxy." + name)
    # The plugin loader imports the lookup under a name of its own: patch the module it made.
    monkeypatch.setattr(sys.modules[type(lookup).__module__], flag, False)
    with pytest.raises(AnsibleLookupError, match=r"^Failed to import the required Python library \(%s\)" % library):
        lookup.run([], {}, api_url="http://127.0.0.1:9/1.0", api_public_key="p", api_private_key=PRIVATE_KEY)
