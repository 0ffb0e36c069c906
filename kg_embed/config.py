"""Configuration of the graph encoder."""

from __future__ import annotations

from dataclasses import dataclass

from kg2img.validate import check_fields

#: Concept-name dropout for data sets that do not ask for another: concept names are
#: used half the time, so real categories stay apart and definitions still get learned.
GENERIC_CONCEPT_LABEL_DROPOUT = 0.5


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
            concepts (zero-shot) work, but leaves concepts the knowledge does not define
            (real categories: "dog", "cat") indistinguishable. ``None`` (the default): the
            data set's choice, filled in when training completes the config — 1.0 for
            ShapesWorld, :data:`GENERIC_CONCEPT_LABEL_DROPOUT` for other data; an encoder
            built with ``None`` hides every name, as 1.0 does.
        hide_unknown_names: Whether a concept whose name is not one of ``label_words``
            always has its name hidden, in training and in generation. Such names share
            hash buckets, so an unseen word's bucket carries other words' meaning; hidden,
            the concept is read from its edges alone (its is-a chain), the same way in
            training and for a zero-shot word. ``None`` (the default): the data set's
            choice, filled in when training completes the config; an encoder built with
            ``None`` uses the names.
        num_bases: Basis matrices shared by the R-GCN relations.
        backend: ``pyg`` (default) or ``dgl`` (R-GCN only; needs the DGL environment of
            ``make test-dgl``).
        label_words: The words with an embedding of their own, in id order; every other
            label is hashed into ``label_buckets``. Left out, the lexicon's attribute and
            shape words at the time the config is made. Saved with a model, so that a later
            change to the lexicon cannot shift a trained model's embedding ids.
        relations: Relation names with an edge type of their own, sorted, including
            ``other`` (every other predicate). Left out, the ten built-in names; training
            fills in the names its data uses.
    """

    kind: str = "rgcn"
    hidden: int = 64
    layers: int = 3
    label_buckets: int = 256
    concept_label_dropout: float | None = None
    hide_unknown_names: bool | None = None
    num_bases: int = 8
    backend: str = "pyg"
    label_words: tuple[str, ...] | None = None
    relations: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.relations is None:
            from kg_embed.convert import BASE_RELATIONS

            object.__setattr__(self, "relations", BASE_RELATIONS)
        relations = self.relations
        if (
            not isinstance(relations, list | tuple)
            or not all(isinstance(r, str) and r for r in relations)
            or list(relations) != sorted(set(relations))
            or "other" not in relations
            or len(relations) > 10_000
        ):
            raise ValueError(
                "EncoderConfig.relations: expected sorted, distinct names with 'other'"
            )
        object.__setattr__(self, "relations", tuple(relations))
        if self.label_words is None:
            from kg_embed.convert import lexicon_words  # here: it imports torch and PyG

            object.__setattr__(self, "label_words", lexicon_words())
        words = self.label_words
        if not isinstance(words, list | tuple) or not all(isinstance(w, str) for w in words):
            raise ValueError("EncoderConfig.label_words: expected a list of words")
        if list(words) != sorted(set(words)) or len(words) > 100_000:
            raise ValueError("EncoderConfig.label_words: expected sorted, distinct words")
        object.__setattr__(self, "label_words", tuple(words))
        check_fields(
            self,
            {
                "hidden": (1, 4096),
                "layers": (1, 64),
                "label_buckets": (1, 1_000_000),
                "num_bases": (1, 256),
            },
        )
        if not isinstance(self.backend, str) or not self.backend:
            raise ValueError("encoder backend: expected a registered name (pyg, dgl)")
        if self.kind not in ("rgcn", "gine"):
            raise ValueError(f"unknown encoder kind {self.kind!r}; expected 'rgcn' or 'gine'")
        if self.hidden < 1 or self.layers < 1:
            raise ValueError("hidden and layers must be >= 1")
        if self.hide_unknown_names not in (None, True, False):
            raise ValueError("encoder hide_unknown_names: expected true or false")
        if self.concept_label_dropout is not None:
            check_fields(self, {"concept_label_dropout": (0.0, 1.0)})
