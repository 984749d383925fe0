# -*- coding: utf-8 -*-
# Copyright: (c) 2026, byteful.proxy contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Stand-in for the get-pip script that ansible-test downloads into each venv it makes.

The host ansible-test downloads it from is not reachable from our machines (package registries
only), so tools/stage-collection seeds this file at ansible-test's cache path
(~/.ansible/test/cache/get_pip_<version>.py). It bootstraps pip from the interpreter's own
ensurepip and then installs what ansible-test asked for (pinned pip, setuptools...) from PyPI.
"""

import subprocess
import sys

# Options of get-pip.py itself that pip install does not know.
GET_PIP_ONLY = {"--no-setuptools", "--no-wheel"}

subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
subprocess.check_call([sys.executable, "-m", "pip", "install"] + [a for a in sys.argv[1:] if a not in GET_PIP_ONLY])
