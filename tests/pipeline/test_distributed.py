"""Data-parallel training with two CPU processes (gloo backend), as under torchrun."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from pipeline.distributed import DataParallel


def _average_worker(rank: int, world: int, port: int, out: str) -> None:
    os.environ.update(WORLD_SIZE=str(world), RANK=str(rank), LOCAL_RANK=str(rank),
                      MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))  # fmt: skip
    parallel = DataParallel()
    parallel.start(torch.device("cpu"))
    torch.manual_seed(rank)  # different weights per rank: wrapping must copy rank 0's
    layer = torch.nn.Linear(3, 2)
    wrapped = parallel.wrap(layer)
    assert isinstance(wrapped, torch.nn.parallel.DistributedDataParallel)
    wrapped(torch.full((1, 3), float(rank + 1))).sum().backward()
    torch.save({"weight": layer.weight.detach(), "grad": layer.weight.grad}, f"{out}/{rank}.pt")
    parallel.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ddp_shares_rank_zeros_weights_and_averages_gradients(tmp_path):
    mp.spawn(_average_worker, args=(2, _free_port(), str(tmp_path)), nprocs=2, join=True)
    a, b = (torch.load(tmp_path / f"{r}.pt", weights_only=True) for r in (0, 1))
    assert torch.equal(a["weight"], b["weight"])
    assert torch.equal(a["grad"], b["grad"])
    # Inputs were all-ones and all-twos: the mean gradient of each weight row is 1.5.
    assert torch.allclose(a["grad"], torch.full_like(a["grad"], 1.5))
    assert not dist.is_initialized()


def test_torchrun_two_cpu_processes_train_and_write_one_model(tmp_path):
    torchrun = shutil.which("torchrun") or str(Path(sys.executable).parent / "torchrun")
    run = tmp_path / "run"
    proc = subprocess.run(
        [torchrun, "--nproc_per_node", "2", "--master_port", str(_free_port()), "-m", "pipeline.cli",
         "train", "--preset", "tiny", "--out", str(run), "--set", "steps=3", "--set", "train_scenes=16",
         "--device", "cpu"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    record = json.loads((run / "model" / "training.json").read_text())
    assert record["world_size"] == 2 and record["steps"] == 3
    assert len(list((run / "metrics.jsonl").read_text().splitlines())) == 3
