"""The relation-aware graph encoder: node features from kind + label, then message passing."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn
from torch_geometric.nn import GINEConv, RGCNConv, global_mean_pool

from kg2img.registry import encoders
from kg_embed.config import EncoderConfig
from kg_embed.convert import NODE_KINDS, LabelVocabulary

_CONCEPT = NODE_KINDS.index("concept")


class RelationalConv(RGCNConv):
    """PyG's R-GCN layer with basis decomposition, every relation in one pass.

    Same parameters (state-dict keys included) and the same result as ``RGCNConv``: the
    mean, per relation, of ``x_source @ W_relation`` over a node's incoming edges, plus
    ``x @ root`` and the bias. ``RGCNConv`` runs a masked propagation per relation, which
    costs a host-device synchronisation and a dozen kernels for each of the scores of
    relations in every layer; here each edge's message is read through the shared bases
    (``W_r = Σ_b comp[r, b] · basis_b``) with one gather, and the per-relation means are
    one scatter, so a step's launch count no longer grows with the relation vocabulary.
    """

    def forward(self, x: Tensor, edge_index: Tensor, edge_type: Tensor) -> Tensor:
        """Embed ``x`` ``(N, in)`` over typed edges ``(2, E)``, ``(E,)`` → ``(N, out)``."""
        if (
            self.num_bases is None
            or self.num_blocks is not None
            or not isinstance(x, Tensor)
            or not torch.is_floating_point(x)
            or not isinstance(edge_index, Tensor)
        ):
            return super().forward(x, edge_index, edge_type)
        source, target = edge_index[0], edge_index[1]
        nodes, bases = x.size(0), self.num_bases
        # x @ basis_b for every basis at once: (N, B, out).
        by_basis = (x @ self.weight.permute(1, 0, 2).reshape(x.size(1), -1)).view(
            nodes, bases, self.out_channels
        )
        messages = torch.einsum("eb,ebo->eo", self.comp[edge_type], by_basis[source]).float()
        # Averaged per (target, relation), as RGCNConv's per-relation mean aggregation.
        group = target * self.num_relations + edge_type
        sizes = torch.zeros(nodes * self.num_relations, device=x.device).index_add_(
            0, group, torch.ones_like(group, dtype=torch.float)
        )
        out = torch.zeros(nodes, self.out_channels, device=x.device).index_add_(
            0, target, messages / sizes[group].unsqueeze(1)
        )
        if self.root is not None:
            out = out + x @ self.root
        if self.bias is not None:
            out = out + self.bias
        return out


@dataclass
class EncodedGraph:
    """Encoder output.

    Attributes:
        nodes: ``(N, hidden)`` per-node embeddings.
        graphs: ``(B, hidden)`` mean-pooled graph embeddings.
    """

    nodes: Tensor
    graphs: Tensor


def make_encoder(config: EncoderConfig) -> GraphEncoder:
    """The encoder the config's backend names in :data:`kg2img.registry.encoders`.

    Built in: ``pyg`` (:class:`GraphEncoder`) and ``dgl``; all take the same inputs and
    return the same :class:`EncodedGraph`.

    Raises:
        ValueError: For an unregistered backend.
    """
    try:
        factory = encoders.get(config.backend)
    except KeyError as error:
        raise ValueError(str(error.args[0])) from None
    return factory(config)


class NodeFeatures(nn.Module):
    """What every encoder backend shares.

    Node features from kind and label embeddings (concept names hidden as configured),
    the layer norms, and mean pooling per graph.
    """

    def __init__(self, config: EncoderConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        assert c.label_words is not None  # filled in by EncoderConfig
        assert c.relations is not None
        self.vocabulary = LabelVocabulary(
            known=c.label_words, buckets=c.label_buckets, relations=c.relations
        )
        self.kind_embedding = nn.Embedding(len(NODE_KINDS), c.hidden)
        self.label_embedding = nn.Embedding(self.vocabulary.size, c.hidden)
        self.norms = nn.ModuleList(nn.LayerNorm(c.hidden) for _ in range(c.layers))

    def _labels(self, kind: Tensor, label: Tensor) -> Tensor:
        concept = kind == _CONCEPT
        if self.config.hide_unknown_names:
            hashed = concept & (label >= len(self.vocabulary.known))
            label = torch.where(hashed, torch.full_like(label, self.vocabulary.no_label), label)
        chosen = self.config.concept_label_dropout
        p = 1.0 if chosen is None else chosen
        if p <= 0.0 or (not self.training and p < 1.0):
            return label
        hide = concept
        if p < 1.0:
            hide = hide & (torch.rand(kind.shape, device=kind.device) < p)
        return torch.where(hide, torch.full_like(label, self.vocabulary.no_label), label)

    def node_features(self, kind: Tensor, label: Tensor) -> Tensor:
        """``(N, hidden)`` input features."""
        return self.kind_embedding(kind) + self.label_embedding(self._labels(kind, label))

    @staticmethod
    def pool(h: Tensor, batch: Tensor | None) -> EncodedGraph:
        """Node embeddings plus their mean per graph."""
        if batch is None:
            batch = torch.zeros(h.shape[0], dtype=torch.long, device=h.device)
        return EncodedGraph(nodes=h, graphs=global_mean_pool(h, batch))


class GraphEncoder(NodeFeatures):
    """Embeds typed, labelled multi-relational graphs (R-GCN or GINE layers from PyG).

    Shapes:
        kind, label: ``(N,)`` long; edge_index: ``(2, E)``; edge_type: ``(E,)``;
        batch: ``(N,)`` graph id of each node → nodes ``(N, H)``, graphs ``(B, H)``.
    """

    def __init__(self, config: EncoderConfig | None = None) -> None:
        super().__init__(config or EncoderConfig())
        c = self.config
        self.convs = nn.ModuleList()
        if c.kind == "rgcn":
            for _ in range(c.layers):
                self.convs.append(
                    RelationalConv(
                        c.hidden, c.hidden, self.vocabulary.num_relations, num_bases=c.num_bases
                    )
                )
            self.relation_embedding = None
        else:
            self.relation_embedding = nn.Embedding(self.vocabulary.num_relations, c.hidden)
            for _ in range(c.layers):
                mlp = nn.Sequential(
                    nn.Linear(c.hidden, c.hidden), nn.ReLU(), nn.Linear(c.hidden, c.hidden)
                )
                self.convs.append(GINEConv(mlp, edge_dim=c.hidden))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-initialise every weight."""
        nn.init.normal_(self.kind_embedding.weight, std=0.5)
        nn.init.normal_(self.label_embedding.weight, std=0.5)
        if self.relation_embedding is not None:
            nn.init.normal_(self.relation_embedding.weight, std=0.5)
        for conv in self.convs:
            conv.reset_parameters()  # type: ignore[operator]
        for norm in self.norms:
            norm.reset_parameters()  # type: ignore[operator]

    def forward(
        self,
        kind: Tensor,
        label: Tensor,
        edge_index: Tensor,
        edge_type: Tensor,
        batch: Tensor | None = None,
    ) -> EncodedGraph:
        """Embed the nodes and graphs of a (batched) graph."""
        h = self.node_features(kind, label)
        for conv, norm in zip(self.convs, self.norms, strict=True):
            if self.relation_embedding is not None:
                update = conv(h, edge_index, self.relation_embedding(edge_type))
            else:
                update = conv(h, edge_index, edge_type)
            h = norm(h + torch.relu(update))
        return self.pool(h, batch)


def _dgl_encoder(config: EncoderConfig) -> nn.Module:
    from kg_embed.dgl_backend import DGLGraphEncoder  # optional dependency

    return DGLGraphEncoder(config)


encoders.register("pyg", GraphEncoder)
encoders.register("dgl", _dgl_encoder)
