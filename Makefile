# byteful.proxy: every command a user or contributor needs. `make help` lists them.
# .venv (Python 3.11, ansible-core 2.19) runs the demo and the tools; the test matrix makes a
# venv per ansible-core line under .venvs/ (see tools/test-matrix).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The line the single-layer targets test on; `make test` runs every line.
LINE ?= 2.19
# The venv's tools (ansible-galaxy, ansible-playbook) first on PATH for everything make runs.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help demo test sanity units integration lint build clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

demo: $(BIN)/.installed  ## the demo playbook against the bundled simulator (no account needed)
	demo/run

test: $(BIN)/.installed  ## every test: sanity, units and integration on ansible-core 2.19, 2.20 and 2.21
	tools/test-matrix

sanity: $(BIN)/.installed  ## ansible-test sanity on one line (LINE=2.19)
	tools/test-matrix -l $(LINE) sanity

units: $(BIN)/.installed  ## ansible-test units on one line (LINE=2.19)
	tools/test-matrix -l $(LINE) units

integration: $(BIN)/.installed  ## ansible-test integration on one line (LINE=2.19)
	tools/test-matrix -l $(LINE) integration

lint: $(BIN)/.installed  ## ansible-lint (production) on the role, demo and EXAMPLES; antsibull-docs lint
	tools/lint

build: $(BIN)/.installed  ## build the collection tarball into .build/
	ansible-galaxy collection build --force --output-path .build .

clean:  ## remove venvs, staged trees and test output
	rm -rf $(VENV) .venvs .build tests/output
