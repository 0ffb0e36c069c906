"""A self-contained HTML report: sections of images, captions, graphs and triples."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from kg2img.atomic import atomic_write_text

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; max-width: 70em; color: #222; }
section { border-top: 1px solid #ccc; padding: 1em 0; }
img.pixel { image-rendering: pixelated; width: 128px; height: 128px; margin: 2px; }
img.graph { max-width: 320px; }
table { border-collapse: collapse; font-size: 0.85em; }
td, th { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
pre { background: #f6f6f6; padding: 0.5em; white-space: pre-wrap; font-size: 0.85em; }
"""


@dataclass
class ReportSection:
    """One query or example in the report.

    Attributes:
        title: Heading.
        text: Paragraph under the heading (plain text, escaped).
        images: Image paths relative to the report folder, shown pixelated.
        graph_image: Drawing of the conditioning graph, relative path.
        rows: Table rows (first row is the header), e.g. triples with source sentences.
        code: Preformatted block (a query, a graph in Turtle).
    """

    title: str
    text: str = ""
    images: list[str] = field(default_factory=list)
    graph_image: str | None = None
    rows: list[list[str]] = field(default_factory=list)
    code: str = ""


def write_report(path: Path, title: str, intro: str, sections: list[ReportSection]) -> Path:
    """Write an HTML page with one block per section, atomically."""
    esc = html.escape
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(title)}</title>",
        f"<style>{_STYLE}</style></head><body><h1>{esc(title)}</h1><p>{esc(intro)}</p>",
    ]
    for section in sections:
        parts.append(f"<section><h2>{esc(section.title)}</h2>")
        if section.text:
            parts.append(f"<p>{esc(section.text)}</p>")
        if section.code:
            parts.append(f"<pre>{esc(section.code)}</pre>")
        if section.images:
            parts.append(
                "<div>"
                + "".join(f"<img class='pixel' src='{esc(i)}' alt=''>" for i in section.images)
                + "</div>"
            )
        if section.graph_image:
            parts.append(f"<img class='graph' src='{esc(section.graph_image)}' alt='graph'>")
        if section.rows:
            header, *body = section.rows
            parts.append("<table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>")
            for row in body:
                parts.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
            parts.append("</table>")
        parts.append("</section>")
    parts.append("</body></html>\n")
    atomic_write_text(path, "".join(parts))
    return path
