# Two commands do all the set-up on a fresh machine with Python 3.11, pip and make:
#   make run    create .venv, install bitextqa, run it on seeds/ into reports/
#   make test   install the test extras (and Chromium for the report tests), run pytest
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
OUT    ?= reports

.PHONY: run test install install-test bench clean docs

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e .
	touch $@

# torch==2.13.0 (CPU wheel) goes in the same command as sentence-transformers, first,
# so pip does not resolve a multi-GB CUDA build.
$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PIP) install torch==2.13.0 -e '.[st,test]'
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(VENV)/bin/bitextqa run seeds/ --out $(OUT)

test: install-test
	$(PY) -m pytest

# Regenerate the README's configuration reference from the settings classes.
docs: install
	$(PY) -m pipelines.config_doc --write README.md

clean:
	rm -rf $(VENV) build *.egg-info
