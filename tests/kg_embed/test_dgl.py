"""DGL backend: conversion round trip and parity with the PyG encoder.

DGL lives in its own environment (``make test-dgl``); in the main one these tests skip.
"""

import pytest
import torch
from rdflib import RDF, Graph, URIRef
from torch_geometric.data import Batch

dgl = pytest.importorskip("dgl", reason="DGL is an optional backend: run `make test-dgl`")

from kg_embed import EncoderConfig, GraphEncoder, make_encoder, to_pyg  # noqa: E402
from kg_embed.dgl_backend import DGLGraphEncoder, from_dgl, to_dgl  # noqa: E402
from kg_extract.vocab import KG  # noqa: E402

BASE = "https://kg2img.org/"


def _scene(objects, relations, concepts=()):
    g = Graph()
    for i, attributes in enumerate(objects):
        node = URIRef(f"{BASE}doc/q/obj/{i}")
        g.add((node, RDF.type, KG.Object))
        for prop, value in attributes.items():
            if prop == "concept":
                g.add((node, RDF.type, URIRef(f"{BASE}concept/{value}")))
            else:
                g.add((node, getattr(KG, prop), URIRef(f"{BASE}value/{value}")))
    for s, p, o in relations:
        g.add((URIRef(f"{BASE}doc/q/obj/{s}"), getattr(KG, p), URIRef(f"{BASE}doc/q/obj/{o}")))
    for name, attributes in concepts:
        for prop, value in attributes.items():
            g.add(
                (URIRef(f"{BASE}concept/{name}"), getattr(KG, prop), URIRef(f"{BASE}value/{value}"))
            )
    return g


GRAPHS = [
    _scene([{"colour": "red", "shape": "circle", "size": "small"}], []),
    _scene(
        [
            {"colour": "blue", "shape": "square"},
            {"concept": "glorp"},
            {"colour": "gray", "shape": "triangle"},
        ],
        [(0, "left_of", 1), (1, "above", 2), (0, "above", 2)],
        [("glorp", {"colour": "cyan", "shape": "square", "size": "large"})],
    ),
]


def test_dgl_conversion_round_trips():
    for g in GRAPHS:
        data = to_pyg(g)
        back = from_dgl(to_dgl(data))
        for key in ("kind", "label", "edge_index", "edge_type", "object_index"):
            assert torch.equal(data[key], back[key]), key


@pytest.mark.parametrize("layers", [1, 3])
def test_dgl_encoder_equals_pyg_encoder_with_the_same_weights(layers):
    torch.manual_seed(0)
    config = EncoderConfig(hidden=16, layers=layers, num_bases=4)
    pyg = GraphEncoder(config).eval()
    with torch.no_grad():  # non-trivial biases and norms
        for p in pyg.parameters():
            p.add_(torch.randn_like(p) * 0.1)
    ours = DGLGraphEncoder(
        EncoderConfig(hidden=16, layers=layers, num_bases=4, backend="dgl")
    ).eval()
    ours.load_pyg_state_dict(pyg.state_dict())
    batch = Batch.from_data_list([to_pyg(g) for g in GRAPHS])
    args = (batch.kind, batch.label, batch.edge_index, batch.edge_type, batch.batch)
    expected, got = pyg(*args), ours(*args)
    assert torch.allclose(expected.nodes, got.nodes, atol=1e-5)
    assert torch.allclose(expected.graphs, got.graphs, atol=1e-5)


def test_dgl_weights_translate_both_ways():
    pyg = GraphEncoder(EncoderConfig(hidden=8, layers=2, num_bases=2))
    ours = DGLGraphEncoder(EncoderConfig(hidden=8, layers=2, num_bases=2, backend="dgl"))
    ours.load_pyg_state_dict(pyg.state_dict())
    back = ours.pyg_state_dict()
    assert back.keys() == pyg.state_dict().keys()
    assert all(torch.equal(back[k], v) for k, v in pyg.state_dict().items())


def test_backend_is_selected_by_config():
    assert isinstance(
        make_encoder(EncoderConfig(backend="dgl", hidden=8, layers=1)), DGLGraphEncoder
    )
    assert type(make_encoder(EncoderConfig(hidden=8, layers=1))) is GraphEncoder
