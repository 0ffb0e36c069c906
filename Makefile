# Two commands for users: `make demo` and `make test`. Both create .venv if it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# torch first: the CPU wheel on disk satisfies the project's range, so pip never pulls CUDA.
TORCH_SPEC ?= torch==2.13.0

.PHONY: demo test lint typecheck pytest install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.stamp-install: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q "$(TORCH_SPEC)"
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-install
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.stamp-install
install-dev: $(VENV)/.stamp-dev

demo: install
	$(BIN)/kg2img demo

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev
	$(BIN)/pytest -q -m "not gpu"

test: lint typecheck pytest

clean:
	rm -rf $(VENV) demo-report .pytest_cache .mypy_cache .ruff_cache
