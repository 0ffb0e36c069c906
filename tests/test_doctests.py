"""The library examples in docstrings run as written."""

import doctest
import importlib

import pytest

from pipeline.generate import SHIPPED_MODEL

MODULES = ["kg_extract", "kg_extract.extraction", "kg_embed", "shapes_world"]
if (SHIPPED_MODEL / "model.safetensors").is_file():
    MODULES.append("pipeline")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0
    assert tried > 0 or name == "shapes_world"
