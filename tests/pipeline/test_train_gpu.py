"""Training on a CUDA device: bf16 autocast, the compiled generator, CUDA → CPU models.

Marked ``gpu`` (``pytest -m gpu`` on a machine with CUDA); ``make test`` leaves them out.
"""

import dataclasses

import pytest
import torch
from torch_geometric.data import Batch

from kg_extract import ExtractConfig, Extractor
from pipeline.config import PRESETS
from pipeline.model import KG2ImgModel
from pipeline.train import Trainer, build_training_data, run_training

pytestmark = pytest.mark.gpu

TINY = dataclasses.replace(PRESETS["tiny"], device="cuda")
CUDA = torch.device("cuda")


@pytest.fixture(scope="module")
def tiny_data():
    if not torch.cuda.is_available():
        pytest.fail("the gpu tests need a CUDA device")
    return build_training_data(TINY, Extractor(ExtractConfig()), lambda m: None)


def test_a_cuda_step_runs_under_bf16_autocast_and_moves_the_gnn(tiny_data):
    trainer = Trainer(TINY, tiny_data, CUDA)
    assert trainer.autocast  # training on CUDA uses bf16 autocast
    before = {k: v.clone() for k, v in trainer.model.encoder.state_dict().items()}
    losses = trainer.train_step()
    assert all(torch.isfinite(torch.tensor(v)) for v in losses.values())
    after = trainer.model.encoder.state_dict()
    assert any(k.startswith("convs.") and not torch.equal(before[k], after[k]) for k in before)
    # Weights, optimiser state and the EMA stay in fp32: autocast touches only the compute.
    assert all(p.dtype == torch.float32 for p in trainer.model.parameters())
    assert all(v.dtype == torch.float32 for v in trainer.ema.values() if v.is_floating_point())
    assert all(p.is_cuda for p in trainer.model.parameters())


def test_a_model_trained_on_cuda_generates_the_same_images_on_the_cpu(tiny_data, tmp_path):
    model_dir = run_training(dataclasses.replace(TINY, steps=3), tmp_path, log=lambda m: None)
    on_cpu = KG2ImgModel.load(model_dir).eval()
    on_cuda = KG2ImgModel.load(model_dir).to(CUDA).eval()
    batch = Batch.from_data_list(tiny_data.data[:4])
    z = torch.randn(4, on_cpu.config.generator.z_dim, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        cpu_images = on_cpu.generate(z, on_cpu.encode(batch), batch.y_box)
        gpu_batch = batch.to(CUDA)
        cuda_images = on_cuda.generate(z.to(CUDA), on_cuda.encode(gpu_batch), gpu_batch.y_box)
    torch.testing.assert_close(cuda_images.cpu(), cpu_images, atol=2e-3, rtol=1e-3)


def test_the_compiled_generator_trains_on_cuda_and_keeps_its_state_keys(tiny_data):
    plain = Trainer(TINY, tiny_data, CUDA)
    compiled = Trainer(dataclasses.replace(TINY, compile=True), tiny_data, CUDA)
    for _ in range(3):  # compilation happens in the first step; later ones reuse it
        losses = compiled.train_step()
    assert all(torch.isfinite(torch.tensor(v)) for v in losses.values())
    assert set(compiled.model.state_dict()) == set(plain.model.state_dict())
    assert set(compiled.ema) == set(plain.ema)
