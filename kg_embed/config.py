"""Configuration of the graph encoder."""

from __future__ import annotations

from dataclasses import dataclass

from kg2img.validate import check_fields


@dataclass(frozen=True)
class EncoderConfig:
    """Graph encoder settings.

    Attributes:
        kind: ``rgcn`` (relational GCN, one weight set per relation via bases) or ``gine``
            (GINE with learned relation-type edge embeddings).
        hidden: Node embedding width.
        layers: Message-passing layers (2 reach an object from a concept's definition).
        label_buckets: Hash buckets for labels outside the known attribute words.
        concept_label_dropout: Chance that a concept node's name is hidden (replaced by
            the "no label" id) during training; at 1.0 names are never used, so attributes
            can only come from the concept's definition edges — what makes unseen
            concepts (zero-shot) work.
        num_bases: Basis matrices shared by the R-GCN relations.
        backend: ``pyg`` (default) or ``dgl`` (R-GCN only; needs the DGL environment of
            ``make test-dgl``).
    """

    kind: str = "rgcn"
    hidden: int = 64
    layers: int = 3
    label_buckets: int = 256
    concept_label_dropout: float = 1.0
    num_bases: int = 8
    backend: str = "pyg"

    def __post_init__(self) -> None:
        check_fields(
            self,
            {
                "hidden": (1, 4096),
                "layers": (1, 64),
                "label_buckets": (1, 1_000_000),
                "concept_label_dropout": (0.0, 1.0),
                "num_bases": (1, 256),
            },
        )
        if self.backend not in ("pyg", "dgl"):
            raise ValueError(f"unknown backend {self.backend!r}; expected 'pyg' or 'dgl'")
        if self.kind not in ("rgcn", "gine"):
            raise ValueError(f"unknown encoder kind {self.kind!r}; expected 'rgcn' or 'gine'")
        if self.hidden < 1 or self.layers < 1:
            raise ValueError("hidden and layers must be >= 1")
        if not 0.0 <= self.concept_label_dropout <= 1.0:
            raise ValueError("concept_label_dropout must be in [0, 1]")
