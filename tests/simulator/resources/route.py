# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a resource module declares for each of its routes."""

from __future__ import annotations

from ..protocol import API_PREFIX


class Route:
    """One GET route: its name (for Simulator.url), path and the data it serves for an account.

    data(account) returns the `data` member of the success envelope; message is its `message`.
    """

    def __init__(self, name, path, message, data):
        self.name = name
        self.path = API_PREFIX + path
        self.message = message
        self.data = data

    def envelope(self, account):
        return {"data": self.data(account), "message": self.message}
