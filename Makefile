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

.PHONY: help demo simulator simulator-start simulator-stop test busy-check check sanity units integration lint changelog-check package ee docs bench mutants build clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

demo: $(BIN)/.installed  ## the demo playbook against the bundled simulator (no account needed)
	demo/run

simulator:  ## the Byteful simulator in the foreground, a sandbox for your playbooks: prints URL, keys, accounts (SIM_ARGS="--port 8765")
	@$(PYTHON) tests/simulator --banner $(SIM_ARGS)

# The simulator in the background: its pid, URL and request log in .build/simulator/; it stops
# itself after an hour without a request. The exports name $BYTEFUL_SIM_PRIVATE_KEY, never its value.
SIM_STATE := .build/simulator
simulator-start:  ## the simulator in the background; eval "$(make -s simulator-start)" points this shell at it
	@mkdir -p $(SIM_STATE)
	@kill -0 "$$(cat $(SIM_STATE)/pid 2>/dev/null)" 2>/dev/null || $(PYTHON) tests/simulator --daemon --idle-timeout 3600 \
	    --pid-file $(SIM_STATE)/pid --url-file $(SIM_STATE)/url --log-file $(SIM_STATE)/log $(SIM_ARGS) >/dev/null
	@key=sim-private-key-not-a-real-secret-0123456789; [ -z "$${BYTEFUL_SIM_PRIVATE_KEY:-}" ] || key='"$$BYTEFUL_SIM_PRIVATE_KEY"'; \
	    echo "export BYTEFUL_API_URL=$$(cat $(SIM_STATE)/url) BYTEFUL_API_PUBLIC_KEY=healthy BYTEFUL_API_PRIVATE_KEY=$$key"
	@echo "byteful simulator: running in the background (pid $$(cat $(SIM_STATE)/pid)); make simulator-stop ends it" >&2

simulator-stop:  ## stop the simulator that simulator-start started
	@pid="$$(cat $(SIM_STATE)/pid 2>/dev/null)"; if kill "$$pid" 2>/dev/null; then \
	    for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$$pid" 2>/dev/null && sleep 0.5; done; echo "byteful simulator: stopped"; \
	else echo "byteful simulator: not running"; fi

test: $(BIN)/.installed  ## every test (CI runs this): sanity, units, integration on 2.19, 2.20, 2.21 and the checks, two jobs at a time (~20 min)
	tools/test-matrix

busy-check: $(BIN)/.installed  ## the timing-sensitive layers 3 times in a row on one line, 2 busy processes on the cores (LINE=2.19; ~30 min)
	tools/busy-check

check: lint changelog-check package ee docs  ## lint, changelog, packaging, Execution Environment and docs site checks

sanity: $(BIN)/.installed  ## ansible-test sanity on one line (LINE=2.19)
	tools/test-matrix -l $(LINE) sanity

units: $(BIN)/.installed  ## ansible-test units on one line (LINE=2.19)
	tools/test-matrix -l $(LINE) units

integration: $(BIN)/.installed  ## ansible-test integration on one line (LINE=2.19); one target alone: TARGET=fault_matrix
	tools/test-matrix -l $(LINE) $(if $(TARGET),-t $(TARGET)) integration

lint: $(BIN)/.installed  ## ansible-lint (production) on the role, the playbook, the demo and EXAMPLES; antsibull-docs lint
	tools/lint

changelog-check: $(BIN)/.installed  ## fragments lint; plugins/ or roles/ changed without a fragment fails
	tools/check-changelog

package: $(BIN)/.installed  ## build the tarball, check its contents, install it and run the demo from it
	tools/check-package

ee: $(BIN)/.installed  ## ansible-builder create: the EE build context asks for requests and jsonschema
	tools/check-ee

docs: $(BIN)/.installed  ## the HTML docs site (antsibull-docs + Sphinx) in .build/docs/site/build/html
	tools/build-docs

bench: $(BIN)/.installed  ## the gate against the hand-written uri + assert play (tools/bench/scenarios.yml); writes docs/performance.md (~7 min)
	$(BIN)/python tools/bench.py

mutants: $(BIN)/.installed  ## the mutation check: does each bug of tools/mutants.yml make a unit test fail? (~10 min; not part of make test)
	$(BIN)/python tools/mutants.py

build: $(BIN)/.installed  ## build the collection tarball into .build/
	ansible-galaxy collection build --force --output-path .build .

clean:  ## remove venvs, staged trees and test output
	rm -rf $(VENV) .venvs .build tests/output
