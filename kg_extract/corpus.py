"""Reading corpora: files, folders, JSONL and stdin, streamed one document at a time.

Problems with an input (binary, undecodable, empty, malformed JSONL) become one warning
line each and the document is skipped; with ``strict=True`` they raise
:class:`CorpusError` instead.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl",)


class CorpusError(ValueError):
    """A corpus input that cannot be read (raised in strict mode)."""


@dataclass(frozen=True)
class CorpusDocument:
    """One document of a corpus.

    Attributes:
        doc_id: Stable id: the file path, ``path#line`` or the JSONL ``id``, or ``stdin``.
        text: The text.
        source: Where it was read from.
    """

    doc_id: str
    text: str
    source: str

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text: a changed document gets a new hash."""
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


Warn = Callable[[str], None]


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise CorpusError(f"{name}: binary file (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CorpusError(f"{name}: not UTF-8 (byte {error.start}: {error.reason})") from error


def _expand(paths: Iterable[str]) -> Iterator[str]:
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in TEXT_SUFFIXES + JSONL_SUFFIXES:
                    yield str(child)
        elif path.exists():
            yield raw
        else:
            raise CorpusError(f"{raw}: no such file or folder")


def _jsonl(path: str, lines: Iterable[bytes], warn: Warn, strict: bool) -> Iterator[CorpusDocument]:
    for number, raw_line in enumerate(lines, start=1):
        if not raw_line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(_decode(raw_line, where))
            if isinstance(record, dict) and "text" not in record and "caption" in record:
                record["text"] = record["caption"]  # the captioned-image-folder format
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise CorpusError(f"{where}: JSONL record has no string field 'text'")
        except (json.JSONDecodeError, CorpusError) as error:
            message = (
                str(error)
                if isinstance(error, CorpusError)
                else f"{where}: invalid JSON ({error.msg})"
            )
            if strict:
                raise CorpusError(message) from error
            warn(message)
            continue
        doc_id = str(record.get("id", f"{path}#{number}"))
        if not record["text"].strip():
            _skip(f"{where}: empty text", warn, strict)
            continue
        yield CorpusDocument(doc_id, record["text"], where)


def _skip(message: str, warn: Warn, strict: bool) -> None:
    if strict:
        raise CorpusError(message)
    warn(message)


def read_corpus(paths: Iterable[str], warn: Warn, strict: bool = False) -> Iterator[CorpusDocument]:
    """Yield the documents of the given paths, lazily.

    Args:
        paths: Files (``.txt``, ``.md``, ``.jsonl`` with a string field ``text`` — or
            ``caption``, as in ``captions.jsonl`` — and an optional ``id``), folders
            (searched recursively for those), or ``-`` for standard input (one document).
        warn: Called with one line per skipped input.
        strict: Raise :class:`CorpusError` on the first bad input instead of warning.
    """
    for path in _expand(paths):
        if path == "-":
            data = sys.stdin.buffer.read()
            try:
                text = _decode(data, "stdin")
            except CorpusError as error:
                _skip(str(error), warn, strict)
                continue
            if text.strip():
                yield CorpusDocument("stdin", text, "stdin")
            else:
                _skip("stdin: empty input", warn, strict)
            continue
        if path.lower().endswith(JSONL_SUFFIXES):
            with open(path, "rb") as handle:
                yield from _jsonl(path, handle, warn, strict)
            continue
        try:
            text = _decode(Path(path).read_bytes(), path)
        except CorpusError as error:
            _skip(str(error), warn, strict)
            continue
        if not text.strip():
            _skip(f"{path}: empty file", warn, strict)
            continue
        yield CorpusDocument(path, text, path)


def in_shard(doc_id: str, shard: tuple[int, int] | None) -> bool:
    """Whether a document belongs to shard ``i`` of ``n`` (stable across machines)."""
    if shard is None:
        return True
    index, count = shard
    digest = hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % count == index
