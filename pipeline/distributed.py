"""Data-parallel training across processes launched by ``torchrun``.

One process per GPU (NCCL), or several CPU processes with the gloo backend.

Every rank starts from the same seeded weights, draws its own batches, and after each
backward pass the gradients are averaged across ranks with an all-reduce — the
synchronisation DistributedDataParallel performs — so all ranks take identical optimiser
steps. Only rank 0 writes metrics, samples, checkpoints and the final model.

Launch: ``torchrun --nproc_per_node N -m pipeline.cli train --preset full --out RUN``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import torch
import torch.distributed as dist
from torch import nn


class DataParallel:
    """The process's place in a ``torchrun`` job (a single process when not launched so)."""

    def __init__(self) -> None:
        self.world_size = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))

    @property
    def enabled(self) -> bool:
        """Whether more than one process trains."""
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        """Whether this process writes the run's files."""
        return self.rank == 0

    def start(self, device: torch.device) -> torch.device:
        """Join the process group; returns this rank's device (``cuda:LOCAL_RANK`` on GPUs)."""
        if not self.enabled:
            return device
        if device.type == "cuda":
            torch.cuda.set_device(self.local_rank)
            device = torch.device("cuda", self.local_rank)
        if not dist.is_initialized():
            dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
        return device

    def stop(self) -> None:
        """Leave the process group."""
        if self.enabled and dist.is_initialized():
            dist.destroy_process_group()

    def broadcast_parameters(self, module: nn.Module) -> None:
        """Make every rank hold rank 0's weights and buffers."""
        if self.enabled:
            for tensor in module.state_dict().values():
                dist.broadcast(tensor, src=0)

    def average_gradients(self, parameters: Iterable[nn.Parameter]) -> None:
        """Replace each gradient by its mean over ranks (call between backward and step)."""
        if not self.enabled:
            return
        params = [p for p in parameters if p.requires_grad]
        for p in params:
            if p.grad is None:  # keep the flat layout identical on every rank
                p.grad = torch.zeros_like(p)
        grads = [p.grad for p in params if p.grad is not None]
        if not grads:
            return
        flat = torch.cat([g.reshape(-1) for g in grads])
        dist.all_reduce(flat, op=dist.ReduceOp.SUM)
        flat /= self.world_size
        offset = 0
        for g in grads:
            g.copy_(flat[offset : offset + g.numel()].view_as(g))
            offset += g.numel()

    def barrier(self) -> None:
        """Wait for every rank."""
        if self.enabled:
            dist.barrier()
