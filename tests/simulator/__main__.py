# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run the simulator: `python3 tests/simulator --help` (this directory), or `python3 -m <package>` when importable."""

from __future__ import annotations

import importlib.util
import os
import sys


def _load_package():
    """This directory as a package: relative imports need one, and `python3 DIR` runs this file without it."""
    if __package__:
        return sys.modules[__package__]
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0]) == here:
        del sys.path[0]  # the package's own modules (server, state...) must not shadow anything as top-level names
    spec = importlib.util.spec_from_file_location("byteful_simulator", os.path.join(here, "__init__.py"),
                                                  submodule_search_locations=[here])
    package = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = package
    spec.loader.exec_module(package)
    return package


if __name__ == "__main__":
    sys.exit(_load_package().main())
