"""The ``kg2img`` command line: a thin typer shell over the library functions.

Exit codes: 0 success, 1 failure (one line on stderr naming the input and the problem),
2 usage error. Set ``KG2IMG_DEBUG=1`` to see the full traceback of a failure.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from shapes_world import SPLITS

app = typer.Typer(
    name="kg2img",
    help="Text → knowledge graph → images. Runs offline on a CPU with the built-in ShapesWorld.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
shapes_app = typer.Typer(help="The built-in ShapesWorld data set.", no_args_is_help=True)
app.add_typer(shapes_app, name="shapes")


class CliError(Exception):
    """A failure to report as one line on stderr with exit code 1."""


@shapes_app.command("export")
def shapes_export(
    out_dir: Annotated[Path, typer.Argument(help="Destination folder.")],
    n: Annotated[int, typer.Option("--n", min=0, help="Number of examples.")] = 100,
    seed: Annotated[int, typer.Option(help="Data seed.")] = 0,
    split: Annotated[str, typer.Option(help=f"One of {', '.join(SPLITS)}.")] = "train",
) -> None:
    """Write images (PNG), captions.jsonl (caption + exact scene graph) and knowledge.txt."""
    from pipeline.shapes_export import export_shapes

    if split not in SPLITS:
        raise typer.BadParameter(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    captions = export_shapes(out_dir, n=n, seed=seed, split=split)
    typer.echo(f"wrote {n} examples to {out_dir} ({captions.name}, images/, knowledge.txt)")


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option(help="Report folder.")] = Path("demo-report"),
) -> None:
    """Tour the pipeline on ShapesWorld and write an HTML report."""
    from pipeline.demo import DemoConfig, run_demo

    report = run_demo(DemoConfig(out_dir=out_dir), progress=sys.stderr.isatty())
    typer.echo(f"report: {report.resolve()}")


def main() -> None:
    """Console-script entry point: run the app, turning known failures into one line."""
    try:
        app()
    except (CliError, OSError, ValueError, RuntimeError) as error:
        if os.environ.get("KG2IMG_DEBUG"):
            raise
        typer.echo(f"kg2img: error: {error}", err=True)
        sys.exit(1)
