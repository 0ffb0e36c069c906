"""Data-parallel training across processes launched by ``torchrun``.

One process per GPU (NCCL), or several CPU processes with the gloo backend.

Each training phase runs through PyTorch's ``DistributedDataParallel``: it copies rank 0's
weights to every rank when it wraps a module, and averages gradients across ranks
during the backward pass (bucketed, overlapped with computation), so all ranks take
identical optimiser steps from their own batches. Only rank 0 writes metrics, samples,
checkpoints and the final model.

Launch: ``torchrun --nproc_per_node N -m pipeline.cli train --preset full --out RUN``.
"""

from __future__ import annotations

import os

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
        """Leave the process group, all ranks together.

        Without the barrier a rank that finishes first tears its connections down while a
        slower rank may still be talking to it; in one CI run the slower rank then waited
        forever.
        """
        if self.enabled and dist.is_initialized():
            dist.barrier()
            dist.destroy_process_group()

    def wrap(self, module: nn.Module) -> nn.Module:
        """``module`` under ``DistributedDataParallel`` (itself with one process).

        Unused parameters are allowed: a batch without any value of an attribute leaves
        that head without a gradient.
        """
        if not self.enabled:
            return module
        device_ids = [self.local_rank] if next(module.parameters()).is_cuda else None
        return nn.parallel.DistributedDataParallel(
            module, device_ids=device_ids, find_unused_parameters=True
        )

    def barrier(self) -> None:
        """Wait for every rank (no-op with one process)."""
        if self.enabled:
            dist.barrier()
