"""Presenting store contents: query results as table/CSV/JSON, statistics, export."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from rdflib import OWL, Literal

from kg_extract.store import GraphStore, QueryResult, RDFFileWriter
from kg_extract.vocab import KG


def _text(term: object) -> str:
    return "" if term is None else str(term)


#: C0 and C1 controls (escape sequences start with ESC or CSI) and bidirectional overrides.
_UNSAFE_ON_TERMINAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    r"""``text`` with control characters shown as escapes (``\x1b``), safe to print.

    Corpus text may hold terminal escape sequences; printed raw they could recolour,
    retitle or rewrite the user's terminal.
    """
    return _UNSAFE_ON_TERMINAL.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def format_result(result: QueryResult, output_format: str) -> str:
    """Render a query result as ``table``, ``csv`` or ``json``."""
    if result.boolean is not None:
        if output_format == "json":
            return json.dumps({"boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if result.graph is not None:
        fmt = (
            "json-ld" if output_format == "json" else ("nt" if output_format == "csv" else "turtle")
        )
        return result.graph.serialize(format=fmt)
    if output_format == "json":
        rows = [
            {v: _text(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ]
        return json.dumps({"variables": list(result.variables), "rows": rows}, indent=1) + "\n"
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows([[_text(t) for t in row] for row in result.rows])
        return buffer.getvalue()
    table = [list(result.variables)] + [
        [terminal_safe(_text(t)) for t in row] for row in result.rows
    ]
    widths = [min(60, max(len(r[i]) for r in table)) for i in range(len(result.variables))]
    lines = ["  ".join(c[:60].ljust(w) for c, w in zip(r, widths, strict=True)) for r in table]
    if lines:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(result.rows)} rows)\n"


def graph_stats(store: GraphStore) -> dict[str, int]:
    """Counts of the main kinds of node and of evidence-backed facts."""
    counts = {}
    for name, cls in (
        ("documents", KG.Document),
        ("objects", KG.Object),
        ("concepts", KG.Concept),
        ("entities", KG.Entity),
        ("facts", KG.Evidence),
    ):
        result = store.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls.n3()} }}")
        value = result.rows[0][0]
        counts[name] = int(value.toPython()) if isinstance(value, Literal) else 0
    links = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a {OWL.sameAs.n3()} ?b }}").rows[0][0]
    counts["name links"] = int(links.toPython()) if isinstance(links, Literal) else 0
    total = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0]
    counts["quads"] = int(total.toPython()) if isinstance(total, Literal) else 0
    return counts


def export_store(store: GraphStore, out: Path) -> int:
    """Write every quad of the store to ``out`` (format by extension); return the count."""
    result = store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    writer = RDFFileWriter(out)
    ok = False
    try:
        writer.write(result.rows)  # type: ignore[arg-type]
        ok = True
    finally:
        writer.close(ok)
    return len(result.rows)
