"""Reading corpora: files, folders, JSONL and stdin, streamed one document at a time.

Problems with an input (binary, undecodable, empty, malformed JSONL) become one warning
line each and the document is skipped; with ``strict=True`` they raise
:class:`CorpusError` instead.

Text files and stdin are read in 1 MiB blocks. A text (file, stdin or JSONL record)
longer than ``part_chars`` characters becomes several documents (``path#1``, ``path#2`` …
or ``id#1`` …) cut at paragraph breaks, so memory stays bounded however large the input:
a document's facts and quads are held until it is written.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl",)
#: Text files and stdin longer than this many characters are read as several documents.
PART_CHARS = 100_000
_BLOCK_BYTES = 1 << 20


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


def _refuse_binary(head: bytes, name: str) -> None:
    if b"\x00" in head[:8192]:
        raise CorpusError(f"{name}: binary file (NUL bytes)")


def _decode(data: bytes, name: str) -> str:
    _refuse_binary(data, name)
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


def _jsonl(
    path: str, lines: Iterable[bytes], warn: Warn, strict: bool, part_chars: int
) -> Iterator[CorpusDocument]:
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
        text = record["text"]
        if not text.strip():
            _skip(f"{where}: empty text", warn, strict)
            continue
        if len(text) <= part_chars:
            yield CorpusDocument(doc_id, text, where)
            continue
        for part_number, part in enumerate(split_text(text, part_chars), start=1):
            if part.strip():
                yield CorpusDocument(f"{doc_id}#{part_number}", part, where)


def _skip(message: str, warn: Warn, strict: bool) -> None:
    if strict:
        raise CorpusError(message)
    warn(message)


def cut_point(text: str, limit: int) -> int:
    """Where to end a piece of ``text`` of at most ``limit`` characters.

    The last paragraph break in the window's second half, else the last sentence end,
    else the last white space, else ``limit`` itself.
    """
    window = text[:limit]
    for pattern in (r"\n\s*\n", r"[.!?]\s", r"\s"):
        matches = list(re.finditer(pattern, window[limit // 2 :]))
        if matches:
            return limit // 2 + matches[-1].end()
    return limit


def _text_parts(handle: IO[bytes], name: str, part_chars: int) -> Iterator[str]:
    """Decode a binary stream block by block and yield parts of at most ``part_chars``."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    buffered, consumed = "", 0
    while True:
        block = handle.read(_BLOCK_BYTES)
        if consumed == 0:
            _refuse_binary(block, name)
        try:
            buffered += decoder.decode(block, final=not block)
        except UnicodeDecodeError as error:
            raise CorpusError(
                f"{name}: not UTF-8 (byte {consumed + error.start}: {error.reason})"
            ) from error
        consumed += len(block)
        if len(buffered) > part_chars:
            *parts, buffered = split_text(buffered, part_chars)
            yield from parts
        if not block:
            break
    if buffered:
        yield buffered


def split_text(text: str, part_chars: int) -> list[str]:
    """``text`` cut into pieces of at most ``part_chars`` characters (see :func:`cut_point`).

    The pieces concatenate to ``text``; an empty text is one empty piece.
    """
    parts = []
    while len(text) > part_chars:
        cut = cut_point(text, part_chars)
        parts.append(text[:cut])
        text = text[cut:]
    parts.append(text)
    return parts


def _text_documents(
    handle: IO[bytes], name: str, warn: Warn, strict: bool, part_chars: int
) -> Iterator[CorpusDocument]:
    """The documents of one text stream: itself, or its parts (``name#1``, ``name#2`` …)."""
    parts = _text_parts(handle, name, part_chars)
    try:
        first = next(parts, "")
        second = next(parts, None)
        if second is None:
            if first.strip():
                yield CorpusDocument(name, first, name)
            else:
                _skip(f"{name}: empty {'input' if name == 'stdin' else 'file'}", warn, strict)
            return
        for number, part in enumerate(itertools.chain([first, second], parts), start=1):
            if part.strip():
                yield CorpusDocument(f"{name}#{number}", part, name)
    except CorpusError as error:
        _skip(str(error), warn, strict)


def read_corpus(
    paths: Iterable[str], warn: Warn, strict: bool = False, part_chars: int = PART_CHARS
) -> Iterator[CorpusDocument]:
    """Yield the documents of the given paths, lazily.

    Args:
        paths: Files (``.txt``, ``.md``, ``.jsonl`` with a string field ``text`` — or
            ``caption``, as in ``captions.jsonl`` — and an optional ``id``), folders
            (searched recursively for those), or ``-`` for standard input.
        warn: Called with one line per skipped input.
        strict: Raise :class:`CorpusError` on the first bad input instead of warning.
        part_chars: Text longer than this is read as several documents (see the module
            notes); a bad byte met after some parts were read skips the rest of the file.
    """
    for path in _expand(paths):
        if path == "-":
            yield from _text_documents(sys.stdin.buffer, "stdin", warn, strict, part_chars)
            continue
        with open(path, "rb") as handle:
            if path.lower().endswith(JSONL_SUFFIXES):
                yield from _jsonl(path, handle, warn, strict, part_chars)
            else:
                yield from _text_documents(handle, path, warn, strict, part_chars)


def in_shard(doc_id: str, shard: tuple[int, int] | None) -> bool:
    """Whether a document belongs to shard ``i`` of ``n`` (stable across machines)."""
    if shard is None:
        return True
    index, count = shard
    digest = hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % count == index
