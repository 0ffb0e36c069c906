# Two commands for users: `make demo` and `make test`. Both create .venv if it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# torch first: the CPU wheel on disk satisfies the project's range, so pip never pulls CUDA.
TORCH_SPEC ?= torch==2.13.0

DGL_VENV := .venv-dgl
FACTUAL_VENV := .venv-factual

.PHONY: demo test test-dgl factual-env bench-factual lint typecheck pytest install install-dev clean

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

# DGL backend tests, in their own environment (DGL 2.1.0 needs torch 2.2 and numpy < 2).
$(DGL_VENV)/.stamp-dgl: requirements-dgl.txt
	$(PYTHON) -m venv $(DGL_VENV)
	$(DGL_VENV)/bin/python -m pip install -q --upgrade pip
	$(DGL_VENV)/bin/pip install -q -r requirements-dgl.txt
	$(DGL_VENV)/bin/pip install -q --no-deps -e .
	touch $@

test-dgl: $(DGL_VENV)/.stamp-dgl
	$(DGL_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/kg_embed/test_dgl.py

# The FACTUAL benchmark's scorer (official evaluator + SceneGraphParser), in its own
# environment; it needs WordNet (apt-get install wordnet-base wordnet-sense-index).
$(FACTUAL_VENV)/.stamp-factual: requirements-factual.txt
	$(PYTHON) -m venv $(FACTUAL_VENV)
	$(FACTUAL_VENV)/bin/python -m pip install -q --upgrade pip
	$(FACTUAL_VENV)/bin/pip install -q -r requirements-factual.txt
	$(FACTUAL_VENV)/bin/pip install -q --no-deps factualscenegraph==0.7.3
	touch $@

factual-env: $(FACTUAL_VENV)/.stamp-factual

bench-factual: install factual-env
	$(BIN)/python benchmarks/factual_scene_graphs.py --split dev --out benchmarks/results/factual_scene_graphs.json

clean:
	rm -rf $(VENV) $(DGL_VENV) $(FACTUAL_VENV) demo-report .pytest_cache .mypy_cache .ruff_cache
