"""The graph encoder on DGL.

Conversion to and from ``dgl.DGLGraph``, and an R-GCN encoder built from
``dgl.nn.RelGraphConv`` that computes exactly what :class:`GraphEncoder` does.

DGL is optional: its last CPU wheels (2.1.0) need torch ≤ 2.2 and do not import beside the
main environment's torch, so this module is only imported when ``backend = "dgl"`` is asked
for, in the environment ``make test-dgl`` builds.

Weights: the DGL encoder holds the same tensors as the PyG one, under DGL's names —
``convs.i.weight`` (bases) ↔ ``convs.i.linear_r.W``, ``convs.i.comp`` ↔
``convs.i.linear_r.coeff``, ``convs.i.root`` ↔ ``convs.i.loop_weight``, ``convs.i.bias`` ↔
``convs.i.h_bias``; embeddings and layer norms keep their names.
:meth:`DGLGraphEncoder.load_pyg_state_dict` and :meth:`DGLGraphEncoder.pyg_state_dict`
translate.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch_geometric.data import Data

from kg_embed.config import EncoderConfig
from kg_embed.convert import NODE_KINDS
from kg_embed.encoder import EncodedGraph, NodeFeatures

try:
    import dgl
    from dgl.nn import RelGraphConv
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "the DGL backend needs the 'dgl' extra in its own environment (make test-dgl); "
        f"DGL could not be imported: {error}"
    ) from error

#: PyG RGCNConv parameter name → DGL RelGraphConv parameter name.
_CONV_NAMES = {
    "weight": "linear_r.W",
    "comp": "linear_r.coeff",
    "root": "loop_weight",
    "bias": "h_bias",
}


def to_dgl(data: Data) -> dgl.DGLGraph:
    """A PyG ``Data`` from :func:`kg_embed.to_pyg` as a DGL graph.

    Node data ``kind`` and ``label``, edge data ``etype``; node and edge order are kept.
    """
    src, dst = data.edge_index
    graph = dgl.graph((src, dst), num_nodes=int(data.num_nodes))
    graph.ndata["kind"] = data.kind
    graph.ndata["label"] = data.label
    graph.edata["etype"] = data.edge_type
    return graph


def from_dgl(graph: dgl.DGLGraph) -> Data:
    """Inverse of :func:`to_dgl` (``object_index`` recomputed from the node kinds)."""
    src, dst = graph.edges(order="eid")
    kind = graph.ndata["kind"]
    return Data(
        kind=kind,
        label=graph.ndata["label"],
        edge_index=torch.stack([src, dst]).long(),
        edge_type=graph.edata["etype"].long(),
        object_index=(kind == NODE_KINDS.index("object")).nonzero().view(-1),
        num_nodes=graph.num_nodes(),
    )


def relation_mean_norm(graph: dgl.DGLGraph, etype: Tensor) -> Tensor:
    """Per-edge ``1 / (number of in-edges of the same relation at the target)``.

    With it, ``RelGraphConv``'s sum becomes PyG ``RGCNConv``'s per-relation mean.
    """
    _, dst = graph.edges(order="eid")
    key = dst.long() * (int(etype.max()) + 1 if etype.numel() else 1) + etype.long()
    _, inverse, counts = torch.unique(key, return_inverse=True, return_counts=True)
    return (1.0 / counts[inverse].float()).unsqueeze(1)


class DGLGraphEncoder(NodeFeatures):
    """:class:`kg_embed.GraphEncoder` (R-GCN kind) on DGL, with the same forward signature.

    Shapes:
        kind, label: ``(N,)``; edge_index: ``(2, E)``; edge_type: ``(E,)``; batch: ``(N,)``
        → nodes ``(N, H)``, graphs ``(B, H)``.
    """

    def __init__(self, config: EncoderConfig | None = None) -> None:
        super().__init__(config or EncoderConfig(backend="dgl"))
        c = self.config
        if c.kind != "rgcn":
            raise ValueError("the DGL backend implements the 'rgcn' encoder kind")
        self.convs = nn.ModuleList(
            RelGraphConv(c.hidden, c.hidden, self.vocabulary.num_relations, regularizer="basis",
                         num_bases=c.num_bases, self_loop=True, bias=True)
            for _ in range(c.layers)
        )  # fmt: skip

    def forward(
        self,
        kind: Tensor,
        label: Tensor,
        edge_index: Tensor,
        edge_type: Tensor,
        batch: Tensor | None = None,
    ) -> EncodedGraph:
        """Embed the nodes and graphs of a (batched) graph."""
        graph = dgl.graph((edge_index[0], edge_index[1]), num_nodes=kind.shape[0])
        norm = relation_mean_norm(graph, edge_type)
        h = self.node_features(kind, label)
        for conv, layer_norm in zip(self.convs, self.norms, strict=True):
            h = layer_norm(h + torch.relu(conv(graph, h, edge_type, norm)))
        return self.pool(h, batch)

    def load_pyg_state_dict(self, state: dict[str, Tensor]) -> None:
        """Load the weights of a PyG :class:`GraphEncoder` (R-GCN kind)."""
        translated = {}
        for name, value in state.items():
            parts = name.split(".")
            if parts[0] == "convs":
                name = ".".join([*parts[:2], _CONV_NAMES[parts[2]]])
            translated[name] = value
        self.load_state_dict(translated, strict=True)

    def pyg_state_dict(self) -> dict[str, Tensor]:
        """The weights under the PyG encoder's names."""
        back = {v: k for k, v in _CONV_NAMES.items()}
        state = {}
        for name, value in self.state_dict().items():
            parts = name.split(".")
            if parts[0] == "convs":
                name = ".".join([*parts[:2], back[".".join(parts[2:])]])
            state[name] = value
        return state
