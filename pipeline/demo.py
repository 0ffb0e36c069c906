"""``kg2img demo``: the main job on the embedded default data, ending in an HTML report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.report import ReportSection, write_report
from pipeline.shapes_export import export_shapes


@dataclass(frozen=True)
class DemoConfig:
    """What the demo does.

    Attributes:
        out_dir: Report folder.
        n_examples: ShapesWorld examples shown.
        seed: Data seed.
    """

    out_dir: Path = Path("demo-report")
    n_examples: int = 6
    seed: int = 0


def run_demo(config: DemoConfig, progress: bool = False) -> Path:
    """Run the demo and return the path of ``index.html``."""
    data_dir = config.out_dir / "shapes"
    captions = export_shapes(data_dir, n=config.n_examples, seed=config.seed, split="test")
    sections = []
    for line in captions.read_text().splitlines():
        record = json.loads(line)
        graph = record["graph"]
        rows = [["subject", "predicate", "object"]]
        for o in graph["objects"]:
            for key in ("concept", "shape", "colour", "size"):
                if o[key]:
                    rows.append([f"object {o['id']}", key, o[key]])
        rows += [[f"object {s}", p, f"object {o}"] for s, p, o in graph["relations"]]
        sections.append(
            ReportSection(
                title=record["id"],
                text=record["caption"],
                images=[f"shapes/{record['image']}"],
                rows=rows,
            )
        )
    knowledge = (data_dir / "knowledge.txt").read_text()
    sections.append(ReportSection(title="Knowledge corpus (training concepts)", code=knowledge))
    return write_report(
        config.out_dir / "index.html",
        "kg2img demo",
        "ShapesWorld test scenes with their captions and the scene graphs the captions state.",
        sections,
    )
