# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""GET /public/user/customer/retrieve: the account's Customer object, as its data file gives it."""

from __future__ import annotations

from .route import Route


def customer_data(account, request=None):  # pylint: disable=unused-argument
    return account.get("customer")


ROUTES = (Route("customer", "/public/user/customer/retrieve", "Customer successfully retrieved.", customer_data),)
