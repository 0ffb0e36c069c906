import pytest

from pipeline.config import PRESETS
from pipeline.generate import Pipeline
from pipeline.train import run_training


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """A model trained with the tiny preset (a few seconds), one per test module."""
    folder = tmp_path_factory.mktemp("run")
    run_training(PRESETS["tiny"], folder, log=lambda m: None)
    return folder


@pytest.fixture(scope="module")
def pipeline(tiny_run):
    return Pipeline.load(tiny_run)
