# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The human_size filter writes sizes exactly as the preflight checks do."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.byteful.proxy.plugins.filter.human_size import FilterModule
from ansible_collections.byteful.proxy.plugins.plugin_utils._preflight import evaluate

human_size = FilterModule().filters()["human_size"]


@pytest.mark.parametrize("value, text", [
    (0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (1536, "1.5 KiB"), (1024 ** 2, "1.0 MiB"),
    (10737418240, "10.0 GiB"), (5 * 1024 ** 4, "5.0 TiB"), (None, "unknown"), (-1048576, "-1.0 MiB"),
])
def test_sizes_in_the_role_units(value, text):
    assert human_size(value) == text


def test_same_words_as_the_checks():
    # A reported counter; a null one is unknown to the checks and to the filter alike (issue 9).
    customer = {"customer_id": 1, "credit_balance": 0, "residential_bytes_left": 10737418240, "mobile_bytes_left": 0}
    texts = [check["text"] for check in evaluate(customer)["checks"]]
    assert "residential data %s, no minimum set" % human_size(10737418240) in texts
    assert "mobile data %s, no minimum set" % human_size(0) in texts


@pytest.mark.parametrize("value", ["5", 1.5, True, [1]])
def test_not_a_byte_count(value):
    with pytest.raises(AnsibleFilterError, match="^byteful.proxy.human_size takes a whole number of bytes, got "):
        human_size(value)
