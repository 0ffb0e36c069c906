"""Store reads with limits: time, result size and memory, and damage reported in one line.

pyoxigraph cannot cancel a query or bound the memory it takes: a cartesian product runs
until the machine gives out, and a store whose files hold random bytes can make RocksDB
allocate gigabytes (Rust then aborts the whole process). A :class:`GuardedReader`
therefore answers queries in a forked child process that holds its own read-only view
of the store under an address-space limit. The parent waits for each answer with a
deadline, kills the child when it is passed (the next query starts a fresh one), and
turns every way the child can end into a one-line error. The child stays up between
queries: forking and opening the store cost about 30 ms, a query through the running
child well under one.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import select
import signal
import struct
import tempfile
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

#: A message on the pipes: its length (8 bytes, big-endian), then a pickle.
_HEADER = struct.Struct(">Q")


@dataclass(frozen=True)
class QueryLimits:
    """Bounds on one store read.

    Attributes:
        timeout: Seconds the query may run (``None``: no limit).
        max_results: Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned.
        memory_mb: Extra memory the query may take, in MiB, on top of what the process
            already holds (enforced only in a guarded child process).
    """

    timeout: float | None = 30.0
    max_results: int | None = 1_000_000
    memory_mb: int = 2048

    def __post_init__(self) -> None:
        if self.timeout is not None and not self.timeout > 0:
            raise ValueError("the query timeout must be a positive number of seconds")
        if self.max_results is not None and self.max_results < 1:
            raise ValueError("the result cap must be at least 1")
        if self.memory_mb < 64:
            raise ValueError("the query memory bound must be at least 64 MiB")


class QueryLimitError(ValueError):
    """A query stopped at one of its limits."""


class DamagedStoreError(OSError):
    """A store whose files cannot be read as a store."""


def damaged(path: Path | None, detail: str) -> DamagedStoreError:
    """The error for a store that RocksDB reports as corrupt (or that a read crashed on)."""
    return DamagedStoreError(f"{path}: store looks damaged: {detail[:300]}")


def _virtual_memory_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[0]) * resource.getpagesize()


class GuardedReader:
    """Answers queries about one store in a forked child process, under ``limits``.

    Args:
        path: The store's folder (reported in errors).
        limits: Deadline, result cap and memory bound of each query.
        answer: Called in the child as ``answer(sparql, limits)``; opens the store itself
            on first use (the parent's RocksDB handle and threads are not usable after a
            fork) and returns something picklable, or raises: :class:`QueryLimitError`,
            :class:`DamagedStoreError`, the store's ``QueryError`` or ``OSError``, which
            the parent raises again with the same message.
    """

    def __init__(self, path: Path, limits: QueryLimits, answer: Callable[[str, QueryLimits], Any]):
        self.path, self.limits, self._answer = path, limits, answer
        self._child: _Child | None = None

    def query(self, sparql: str) -> Any:
        """The child's answer to ``sparql``.

        Raises:
            QueryLimitError: Past ``limits.timeout``, or the child ran out of its memory.
            DamagedStoreError: The child died otherwise (a damaged store crashes RocksDB).
        """
        from kg_extract.store import QueryError  # the module that calls this one

        if self._child is None:
            self._child = _Child(self.path, self.limits, self._answer)
        child = self._child
        try:
            reply = child.ask(sparql, self.limits.timeout)
        except BaseException:  # interrupted (Ctrl-C, SIGTERM): the query must not run on
            self.close()
            raise
        if reply is None:
            self.close()
            raise QueryLimitError(
                f"query stopped after {self.limits.timeout:g} s (--timeout); "
                "narrow it or allow longer"
            )
        if not reply:
            said = self.close()
            if any(word in said for word in ("memory allocation", "bad_alloc", "system_error")):
                # Rust's and C++'s words for a failed allocation (a thread's stack too).
                raise QueryLimitError(_out_of_memory(self.limits) + f" ({said})")
            raise damaged(self.path, f"reading it crashed the reader ({said})")
        message = pickle.loads(reply)  # our own child's answer, never a file
        if message[0] == "ok":
            return message[1]
        _, kind, text = message
        if kind == "MemoryError":
            self.close()
            raise QueryLimitError(_out_of_memory(self.limits))
        if kind == "QueryLimitError":
            raise QueryLimitError(text)
        if kind == "DamagedStoreError":
            raise DamagedStoreError(text)
        if kind in ("QueryError", "SyntaxError"):
            raise QueryError(text)
        if "Corruption" in text:
            raise damaged(self.path, text)
        raise OSError(text)

    def close(self) -> str:
        """Stop the child (if any); return the first line it wrote to stderr."""
        child, self._child = self._child, None
        return child.stop() if child is not None else ""


class _Child:
    """One forked reader process and its two pipes."""

    def __init__(self, path: Path, limits: QueryLimits, answer: Callable[[str, QueryLimits], Any]):
        requests_read, self.requests = os.pipe()
        self.replies, replies_write = os.pipe()
        self.stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the child process (its coverage is not collected)
            os.close(self.requests)
            os.close(self.replies)
            os.dup2(self.stderr.fileno(), 2)
            faulthandler.disable()  # it may hold the parent's own stderr: keep that clean
            _serve(requests_read, replies_write, limits, answer)
        os.close(requests_read)
        os.close(replies_write)
        self._finalizer = weakref.finalize(self, _kill, self.pid, (self.requests, self.replies))

    def ask(self, sparql: str, timeout: float | None) -> bytes | None:
        """Send a query; its reply, ``None`` past ``timeout``, ``b""`` if the child died."""
        try:
            _send(self.requests, pickle.dumps(sparql))
        except BrokenPipeError:
            return b""
        return _receive(self.replies, timeout)

    def stop(self) -> str:
        self._finalizer()
        self.stderr.seek(0)
        lines = self.stderr.read(4000).decode("utf-8", "replace").strip().splitlines()
        self.stderr.close()
        return lines[0] if lines else "it ended without a word"


def _kill(pid: int, fds: tuple[int, ...]) -> None:
    for fd in fds:
        os.close(fd)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _serve(
    requests: int, replies: int, limits: QueryLimits, answer: Callable[[str, QueryLimits], Any]
) -> None:  # pragma: no cover - runs in the child
    """The child's loop: answer each query until the parent closes the request pipe."""
    try:
        try:
            budget = _virtual_memory_bytes() + limits.memory_mb * (1 << 20)
        except OSError:
            budget = None  # no /proc (not Linux): the deadline still holds, the bound not
        if budget is not None:
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:  # a user's own ulimit -v stays in force
                budget = min(budget, hard)
            resource.setrlimit(resource.RLIMIT_AS, (budget, hard))
        while True:
            request = _receive(requests, None)
            if not request:
                break
            try:
                reply = pickle.dumps(("ok", answer(pickle.loads(request), limits)))
            except BaseException as error:  # reported to the parent, whatever it is
                reply = pickle.dumps(("error", type(error).__name__, str(error)))
            _send(replies, reply)
    finally:
        os._exit(0)


def _send(fd: int, payload: bytes) -> None:
    data = memoryview(_HEADER.pack(len(payload)) + payload)
    while data:
        data = data[os.write(fd, data) :]


def _receive(fd: int, timeout: float | None) -> bytes | None:
    """One message: its payload, ``b""`` at end of file, ``None`` if ``timeout`` passes."""
    deadline = None if timeout is None else time.monotonic() + timeout
    header = _read_exactly(fd, _HEADER.size, deadline)
    if not header:
        return header
    return _read_exactly(fd, _HEADER.unpack(header)[0], deadline)


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        if deadline is not None:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return None
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return b""
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _out_of_memory(limits: QueryLimits) -> str:
    return (
        f"store read stopped: it needed more than {limits.memory_mb:,} MiB (--query-memory); "
        "a very large query, or a damaged store"
    )
