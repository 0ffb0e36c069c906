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
import errno
import hashlib
import itertools
import json
import os
import re
import stat
import sys
from collections import Counter
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
        doc_id: Stable id: the file path, ``path#line`` or the JSONL ``id``, or ``stdin``
            (``…#1``, ``…#2`` for the parts of a long text).
        text: The text.
        source: Where it was read from.
        origin: The id of the whole input a part was cut from (``None``: the document is
            the whole input). Replacing an input replaces all of its parts.
    """

    doc_id: str
    text: str
    source: str
    origin: str | None = None

    @property
    def origin_id(self) -> str:
        """The id of the whole input this document belongs to."""
        return self.doc_id if self.origin is None else self.origin

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


#: Why an input was passed over, as counted in a run's summary.
SKIP_EXTENSION = "not .txt/.md/.jsonl"
SKIP_NOT_REGULAR = "not a regular file"
SKIP_UNREADABLE = "unreadable"
SKIP_DUPLICATE = "named twice"


def _walk_files(root: str, warn: Warn, strict: bool, skipped: Counter[str]) -> list[str]:
    """The corpus files under a folder, sorted by path, found without recursion.

    Symbolic links to folders are not followed (no loops); an unreadable sub-folder is one
    warning. Other files and non-regular entries are counted in ``skipped``.
    """
    found: list[tuple[tuple[str, ...], str]] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listing = list(entries)
        except OSError as error:
            _skip(f"{folder}: cannot read folder ({error.strerror or error})", warn, strict)
            skipped[SKIP_UNREADABLE] += 1
            continue
        for entry in listing:
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                    continue
                regular = entry.is_file()  # follows a link to a file
            except OSError:
                regular = False
            if not regular:
                skipped[SKIP_NOT_REGULAR] += 1
            elif entry.name.lower().endswith(TEXT_SUFFIXES + JSONL_SUFFIXES):
                found.append((Path(entry.path).parts, entry.path))
            else:
                skipped[SKIP_EXTENSION] += 1
    return [path for _, path in sorted(found)]


def _named_input(raw: str) -> str | None:
    """Why a path named on the command line cannot be read, or ``None`` if it can."""
    try:
        mode = os.stat(raw).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
        if os.path.islink(raw):
            return "broken symbolic link"
        if error.errno == errno.ENOENT:
            return "no such file or folder"
        return f"cannot read ({error.strerror or error})"
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    return "not a regular file (a FIFO, socket or device is not read)"


def _expand(paths: Iterable[str], warn: Warn, strict: bool, skipped: Counter[str]) -> Iterator[str]:
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        problem = _named_input(raw)
        if problem == "no such file or folder":
            raise CorpusError(f"{raw}: {problem}")
        if problem is not None:
            _skip(f"{raw}: {problem}", warn, strict)
            skipped[SKIP_NOT_REGULAR if "regular" in problem else SKIP_UNREADABLE] += 1
        elif os.path.isdir(raw):
            yield from _walk_files(raw, warn, strict, skipped)
        else:
            yield raw


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
        doc_id, problem = _record_id(record, f"{path}#{number}")
        text = record["text"]
        if problem is None and _has_surrogate(text):
            problem = "text has an unpaired surrogate escape (\\ud800-\\udfff): not Unicode"
        if problem is None and not text.strip():
            problem = "empty text"
        if problem is not None:
            _skip(f"{where}: {problem}; record skipped", warn, strict)
            continue
        if len(text) <= part_chars:
            yield CorpusDocument(doc_id, text, where)
            continue
        for part_number, part in enumerate(split_text(text, part_chars), start=1):
            if part.strip():
                yield CorpusDocument(f"{doc_id}#{part_number}", part, where, origin=doc_id)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _record_id(record: dict[str, object], default: str) -> tuple[str, str | None]:
    """A JSONL record's document id and, if it is unusable, why.

    A string id is used as it is; a number or boolean by its JSON text (``7``, ``true``),
    so that ``true`` and ``1`` stay two documents (``7`` and ``"7"`` name the same id,
    which the run then reports as a clash naming both records).
    """
    if "id" not in record:
        return default, None
    value = record["id"]
    if isinstance(value, str):
        if not value:
            return "", "'id' is empty"
        if _has_surrogate(value):
            return "", "'id' has an unpaired surrogate escape: not Unicode"
        return value, None
    if isinstance(value, bool | int | float):
        return json.dumps(value), None
    return "", f"'id' must be a string or a number, not {type(value).__name__}"


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
                yield CorpusDocument(f"{name}#{number}", part, name, origin=name)
    except CorpusError as error:
        _skip(str(error), warn, strict)


def read_corpus(
    paths: Iterable[str],
    warn: Warn,
    strict: bool = False,
    part_chars: int = PART_CHARS,
    skipped: Counter[str] | None = None,
) -> Iterator[CorpusDocument]:
    """Yield the documents of the given paths, lazily.

    Args:
        paths: Files (``.txt``, ``.md``, ``.jsonl`` with a string field ``text`` — or
            ``caption``, as in ``captions.jsonl`` — and an optional ``id``), folders
            (searched recursively for those, without following links to folders), or
            ``-`` for standard input.
        warn: Called with one line per skipped input.
        strict: Raise :class:`CorpusError` on the first bad input instead of warning.
        part_chars: Text longer than this is read as several documents (see the module
            notes); a bad byte met after some parts were read skips the rest of the file.
        skipped: Counts inputs passed over, by reason (files of other types in folders,
            non-regular files, unreadable files and folders).

    Raises:
        CorpusError: For a path that does not exist, and in strict mode for any bad input.
    """
    skipped = Counter() if skipped is None else skipped
    seen: set[str] = set()
    for path in _expand(paths, warn, strict, skipped):
        if path == "-":
            yield from _text_documents(sys.stdin.buffer, "stdin", warn, strict, part_chars)
            continue
        if path in seen:  # the same file named twice (or a file and its folder)
            skipped[SKIP_DUPLICATE] += 1
            continue
        seen.add(path)
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed below, also on errors
        except OSError as error:
            _skip(f"{path}: cannot read ({error.strerror or error})", warn, strict)
            skipped[SKIP_UNREADABLE] += 1
            continue
        with handle:
            try:
                if path.lower().endswith(JSONL_SUFFIXES):
                    yield from _jsonl(path, handle, warn, strict, part_chars)
                else:
                    yield from _text_documents(handle, path, warn, strict, part_chars)
            except OSError as error:  # a read that fails half way (I/O error, vanished)
                _skip(f"{path}: read failed ({error.strerror or error})", warn, strict)
                skipped[SKIP_UNREADABLE] += 1


def in_shard(doc_id: str, shard: tuple[int, int] | None) -> bool:
    """Whether a document belongs to shard ``i`` of ``n`` (stable across machines)."""
    if shard is None:
        return True
    index, count = shard
    digest = hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % count == index
