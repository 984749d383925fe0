# byteful.proxy: every command a user or contributor needs. `make help` lists them.
# Everything runs from .venv (Python 3.11, ansible-core 2.19), which the first target makes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# ansible-test only runs from .../ansible_collections/byteful/proxy: the checkout is staged there.
STAGE := .build/collections
COLLECTION := $(STAGE)/ansible_collections/byteful/proxy
TEST_PYTHON := 3.11
# The venv's tools (ansible-test, shellcheck) first on PATH for everything make runs.
export PATH := $(CURDIR)/$(BIN):$(PATH)
ANSIBLE_TEST := cd $(COLLECTION) && $(CURDIR)/$(BIN)/ansible-test

.PHONY: help demo test sanity units integration stage build clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

demo: $(BIN)/.installed  ## the demo playbook against the bundled simulator (no account needed)
	demo/run

test: sanity units integration  ## every test: ansible-test sanity, units and integration

stage: $(BIN)/.installed
	tools/stage-collection $(STAGE) $(BIN)/python >/dev/null

sanity: stage  ## ansible-test sanity (no ignore entries)
	$(ANSIBLE_TEST) sanity --venv --python $(TEST_PYTHON) --color no

units: stage  ## ansible-test units (pytest)
	$(ANSIBLE_TEST) units --venv --python $(TEST_PYTHON) --color no

integration: stage  ## ansible-test integration against the simulator
	$(ANSIBLE_TEST) integration --venv --python $(TEST_PYTHON) --color no

build: $(BIN)/.installed  ## build the collection tarball into .build/
	$(BIN)/ansible-galaxy collection build --force --output-path .build .

clean:  ## remove venvs, staged trees and test output
	rm -rf $(VENV) .build tests/output
