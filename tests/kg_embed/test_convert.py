import random

import pytest
import torch
from rdflib import Graph
from torch_geometric.data import Batch

from kg_embed import EncoderConfig, GraphEncoder, LabelVocabulary, enrich, to_networkx, to_pyg
from kg_embed.convert import RELATION_ID, RELATIONS
from kg_extract.store import OxigraphStore


def _graph(extractor, text):
    (doc,) = list(extractor.extract_texts([text]))
    g = Graph()
    for s, p, o, _ in extractor.quads(doc):
        g.add((s, p, o))
    return g


@pytest.fixture(scope="module")
def knowledge(extractor):
    store = OxigraphStore(None)
    for doc in extractor.extract_texts(
        ["A glorp is a big cyan square. Glorps were found by Ada Lindqvist."]
    ):
        store.replace_document(extractor.mapper.iris.document("k"), list(extractor.quads(doc)))
    return store


def test_to_pyg_is_deterministic_whatever_triple_order(extractor):
    g = _graph(
        extractor, "A small red circle is left of a big blue square. The square is above a glorp."
    )
    shuffled = Graph()
    triples = list(g)
    random.Random(0).shuffle(triples)
    for t in triples:
        shuffled.add(t)
    a, b = to_pyg(g), to_pyg(shuffled)
    for key in ("kind", "label", "edge_index", "edge_type", "object_index"):
        assert torch.equal(a[key], b[key]), key
    assert a.node_iris == sorted(
        a.node_iris,
        key=lambda s: [int(p) if p.isdigit() else p for p in __import__("re").split(r"(\d+)", s)],
    )


def test_to_pyg_stores_every_edge_with_its_explicit_inverse(extractor):
    data = to_pyg(_graph(extractor, "A red circle is left of a blue square."))
    edges = {
        (s, t, RELATIONS[r])
        for (s, t), r in zip(data.edge_index.t().tolist(), data.edge_type.tolist(), strict=True)
    }
    for s, t, name in edges:
        inverse = name[4:] if name.startswith("inv:") else f"inv:{name}"
        assert (t, s, inverse) in edges
    assert any(name == "left_of" for _, _, name in edges)
    assert RELATION_ID["inv:left_of"] == len(RELATIONS) // 2 + RELATION_ID["left_of"]


def test_to_pyg_drops_provenance_and_labels(extractor):
    data = to_pyg(_graph(extractor, "A red circle is left of a blue square."))
    assert not any("/evidence/" in iri or iri.endswith("/doc/text-0") for iri in data.node_iris)
    assert data.object_index.tolist() == [
        i for i, iri in enumerate(data.node_iris) if "/obj/" in iri
    ]


def test_enrich_adds_concept_definitions_from_knowledge(extractor, knowledge):
    scene = _graph(extractor, "A glorp is above a red circle.")
    enriched = to_networkx(to_pyg(enrich(scene, knowledge, hops=1)))
    relations = {d["relation"] for _, _, d in enriched.edges(data=True)}
    assert {"colour", "shape", "size", "type", "above"} <= relations
    iris = {d["iri"] for _, d in enriched.nodes(data=True)}
    assert any(iri.endswith("/value/cyan") for iri in iris)


def test_enrich_walks_an_is_a_chain_one_step_per_hop(extractor):
    store = OxigraphStore(None)
    for doc in extractor.extract_texts(
        [
            "A snork is a kind of heavy blick. A blick is a short glorp. "
            "A glorp is a big cyan square."
        ]
    ):
        store.replace_document(extractor.mapper.iris.document("k"), list(extractor.quads(doc)))
    scene = _graph(extractor, "A snork is above a red circle.")

    def is_a_edges(hops):
        enriched = to_networkx(to_pyg(enrich(scene, store, hops=hops)))
        names = {n: d["iri"].rsplit("/", 1)[-1] for n, d in enriched.nodes(data=True)}
        return {
            (names[s], names[t])
            for s, t, d in enriched.edges(data=True)
            if d["relation"] == "type"
            and "/concept/" in enriched.nodes[t]["iri"]
            and "/concept/" in enriched.nodes[s]["iri"]
        }

    assert is_a_edges(1) == {("snork", "blick")}
    assert is_a_edges(2) == {("snork", "blick"), ("blick", "glorp")}
    assert ("glorp", "square") not in is_a_edges(2)
    three = to_networkx(to_pyg(enrich(scene, store, hops=3)))
    # the third hop reaches the glorp's definition; the walk stops at kg: classes (hubs)
    assert any(d["iri"].endswith("/value/cyan") for _, d in three.nodes(data=True))
    assert not any("kg2img.org/ns#Concept" in d["iri"] for _, d in three.nodes(data=True))


def test_is_a_closure_links_a_concept_to_each_ancestor_and_drops_their_other_edges(extractor):
    store = OxigraphStore(None)
    for doc in extractor.extract_texts(
        [
            "A snork is a kind of heavy blick. A blick is a short glorp. "
            "A glorp is a big cyan square. A man has a blick."
        ]
    ):
        store.replace_document(extractor.mapper.iris.document("k"), list(extractor.quads(doc)))
    scene = _graph(extractor, "A snork is above a blick.")

    def edges(closure):
        graph = enrich(scene, store, hops=2, is_a_closure=closure)
        name = lambda node: str(node).rsplit("/", 1)[-1]  # noqa: E731
        return {
            (name(s), name(p).rsplit("#", 1)[-1], name(o))
            for s, p, o in graph
            if "/concept/" in str(s) and "/concept/" in str(o)
        }

    plain, closed = edges(False), edges(True)
    assert ("snork", "type", "glorp") not in plain
    assert {("snork", "type", "blick"), ("blick", "type", "glorp")} <= plain
    # RDFS reading: the snork is also a glorp, one edge away
    assert {("snork", "type", "blick"), ("snork", "type", "glorp")} <= closed
    assert ("blick", "type", "glorp") in closed
    # the blick is a seed here (the scene names one): its own edges all stay
    assert ("man", "have", "blick") in closed
    # an ancestor reached only up the chain brings its is-a edges, not its other facts
    scene = _graph(extractor, "A snork is above a red circle.")
    plain, closed = edges(False), edges(True)
    assert ("man", "have", "blick") in plain
    assert ("man", "have", "blick") not in closed
    assert {("snork", "type", "glorp"), ("blick", "type", "glorp")} <= closed


def test_label_vocabulary_is_stable_and_exact_for_known_words():
    v = LabelVocabulary()
    assert v.id("red") == v.known.index("red")
    assert v.id("Glorp") == v.id("glorp") == LabelVocabulary().id("glorp")
    assert len(v.known) <= v.id("glorp") < v.size - 1


@pytest.mark.parametrize("kind", ["rgcn", "gine"])
def test_encoder_batched_equals_one_by_one(extractor, kind):
    torch.manual_seed(0)
    encoder = GraphEncoder(EncoderConfig(kind=kind, hidden=16, layers=2, num_bases=4)).eval()
    graphs = [
        to_pyg(_graph(extractor, t))
        for t in [
            "A red circle.",
            "A glorp is left of a blue square.",
            "There is a big green triangle above a small gray circle.",
        ]
    ]
    batch = Batch.from_data_list(graphs)
    together = encoder(batch.kind, batch.label, batch.edge_index, batch.edge_type, batch.batch)
    for i, g in enumerate(graphs):
        alone = encoder(g.kind, g.label, g.edge_index, g.edge_type)
        rows = (batch.batch == i).nonzero().squeeze(1)
        assert torch.allclose(together.nodes[rows], alone.nodes, atol=1e-5)
        assert torch.allclose(together.graphs[i], alone.graphs[0], atol=1e-5)


def test_encoder_is_invariant_to_node_order(extractor):
    torch.manual_seed(0)
    encoder = GraphEncoder(EncoderConfig(hidden=16, layers=2, num_bases=4)).eval()
    g = to_pyg(_graph(extractor, "A small red circle is left of a big blue square."))
    perm = torch.randperm(g.num_nodes, generator=torch.Generator().manual_seed(3))
    inverse = torch.empty_like(perm)
    inverse[perm] = torch.arange(len(perm))
    out = encoder(g.kind, g.label, g.edge_index, g.edge_type)
    permuted = encoder(g.kind[perm], g.label[perm], inverse[g.edge_index], g.edge_type)
    assert torch.allclose(out.nodes[perm], permuted.nodes, atol=1e-5)
    assert torch.allclose(out.graphs, permuted.graphs, atol=1e-5)


def test_encoder_hides_concept_names_so_renamed_concepts_embed_alike(extractor, knowledge):
    torch.manual_seed(0)
    encoder = GraphEncoder(EncoderConfig(hidden=16, layers=2, num_bases=4)).eval()
    a = to_pyg(_graph(extractor, "A glorp is a big cyan square. A glorp is above a red circle."))
    b = to_pyg(_graph(extractor, "A zorble is a big cyan square. A zorble is above a red circle."))
    ea = encoder(a.kind, a.label, a.edge_index, a.edge_type).nodes[a.object_index]
    eb = encoder(b.kind, b.label, b.edge_index, b.edge_type).nodes[b.object_index]
    assert torch.allclose(ea, eb, atol=1e-6)


@pytest.mark.parametrize("hide", [True, False])
def test_unknown_concept_names_are_hidden_in_generation_only_when_asked(extractor, hide):
    # Names seen half the time in training (dropout 0.5) are used at generation time;
    # with hide_unknown_names a name outside the label words never is, so an unseen
    # word embeds like any other word with the same edges.
    torch.manual_seed(0)
    config = EncoderConfig(
        hidden=16, layers=2, num_bases=4, concept_label_dropout=0.5, hide_unknown_names=hide
    )
    encoder = GraphEncoder(config).eval()
    a = to_pyg(_graph(extractor, "A parka is above a red circle."))
    b = to_pyg(_graph(extractor, "A zorble is above a red circle."))
    ea = encoder(a.kind, a.label, a.edge_index, a.edge_type).nodes[a.object_index]
    eb = encoder(b.kind, b.label, b.edge_index, b.edge_type).nodes[b.object_index]
    assert torch.allclose(ea, eb, atol=1e-6) == hide


def test_relational_conv_equals_pygs_rgcn_conv_values_and_gradients():
    from torch_geometric.nn import RGCNConv

    from kg_embed.encoder import RelationalConv

    torch.manual_seed(0)
    relations, nodes, edges = 30, 50, 200
    reference = RGCNConv(16, 12, relations, num_bases=4)
    batched = RelationalConv(16, 12, relations, num_bases=4)
    batched.load_state_dict(reference.state_dict())  # same parameters, same keys
    x = torch.randn(nodes, 16)
    edge_index = torch.randint(nodes, (2, edges))
    edge_index[1, :10] = 0  # one node with several edges of one relation: a real mean
    edge_type = torch.randint(relations, (edges,))
    edge_type[:10] = 3
    outputs = []
    for conv in (reference, batched):
        out = conv(x, edge_index, edge_type)
        grads = torch.autograd.grad(out.square().sum(), [conv.weight, conv.comp, conv.root])
        outputs.append((out, *grads))
    for mine, theirs in zip(outputs[1], outputs[0], strict=True):
        torch.testing.assert_close(mine, theirs, atol=1e-4, rtol=1e-4)
    isolated = batched(x, edge_index[:, :0], edge_type[:0])  # no edges: root and bias only
    torch.testing.assert_close(isolated, x @ batched.root + batched.bias)
