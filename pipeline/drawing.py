"""Drawing RDF graphs as node-link pictures (networkx + matplotlib, headless)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx
from rdflib import RDFS, Graph, Literal, URIRef

from kg2img.atomic import atomic_write_bytes


def _short(term: object, labels: dict[Any, str]) -> str:
    if term in labels:
        return labels[term]
    text = str(term)
    return text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1][:24]


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """A ``MultiDiGraph`` with one node per IRI/literal and ``label`` attributes."""
    labels = {s: str(o) for s, o in graph.subject_objects(RDFS.label)}
    result = nx.MultiDiGraph()
    for s, p, o in sorted(graph):
        if p == RDFS.label:
            continue
        for node in (s, o):
            result.add_node(node, label=_short(node, labels), literal=isinstance(node, Literal))
        result.add_edge(s, o, label=_short(p, {}), predicate=str(p))
    return result


def draw_graph(graph: Graph, path: Path, title: str = "") -> Path:
    """Draw ``graph`` to a PNG file (atomically) and return its path."""
    g = to_networkx(graph)
    figure, axes = plt.subplots(figsize=(6, 4.5), dpi=100)
    try:
        if g.number_of_nodes():
            positions = nx.spring_layout(g, seed=0, k=1.2)
            colours = ["#f3d9a4" if isinstance(n, URIRef) else "#cfe3f7" for n in g.nodes]
            nx.draw_networkx_nodes(g, positions, ax=axes, node_color=colours, node_size=900)
            nx.draw_networkx_labels(
                g,
                positions,
                ax=axes,
                font_size=7,
                labels={n: d["label"] for n, d in g.nodes(data=True)},
            )
            nx.draw_networkx_edges(
                g, positions, ax=axes, arrows=True, node_size=900, edge_color="#777"
            )
            edge_labels = {(u, v): d["label"] for u, v, d in g.edges(data=True)}
            nx.draw_networkx_edge_labels(
                g, positions, edge_labels=edge_labels, ax=axes, font_size=6
            )
        axes.set_title(title, fontsize=9)
        axes.axis("off")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight")
    finally:
        plt.close(figure)
    atomic_write_bytes(path, buffer.getvalue())
    return path
