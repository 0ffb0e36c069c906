"""Store reads with limits: time, result size and memory, and damage reported in one line.

pyoxigraph cannot cancel a query or bound the memory it takes: a cartesian product runs
until the machine gives out, and a store whose files hold random bytes can make RocksDB
allocate gigabytes (Rust then aborts the whole process). :func:`guarded_query` therefore
runs one query in a forked child process that opens the store read-only under an
address-space limit; the parent waits with a deadline, kills the child when it is
passed, and turns every way the child can end into a one-line error.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import select
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Exit status of a child whose error is reported through the pipe.
_REPORTED = 3


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


def guarded_query(path: Path, sparql: str, limits: QueryLimits, run: Any) -> Any:
    """``run(path, sparql, limits)`` in a forked child under ``limits``; its result.

    ``run`` opens the store itself (a fresh read-only view: the parent's RocksDB handle
    and threads are not safe to use after a fork) and returns something picklable; it
    may raise :class:`QueryLimitError`, ``QueryError`` or ``OSError``, which the parent
    re-raises with the same message.

    Raises:
        QueryLimitError: Past ``limits.timeout``, or the child ran out of its memory.
        DamagedStoreError: The child died otherwise (a damaged store crashes RocksDB).
    """
    from kg_extract.store import QueryError  # the module that calls this one

    read_end, write_end = os.pipe()
    with tempfile.TemporaryFile() as child_stderr:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child process (its coverage is not collected)
            os.close(read_end)
            os.dup2(child_stderr.fileno(), 2)
            faulthandler.disable()  # it may hold the parent's own stderr: keep that clean
            status = 0
            try:
                budget = _virtual_memory_bytes() + limits.memory_mb * (1 << 20)
                _, hard = resource.getrlimit(resource.RLIMIT_AS)
                if hard != resource.RLIM_INFINITY:  # a user's own ulimit -v stays in force
                    budget = min(budget, hard)
                resource.setrlimit(resource.RLIMIT_AS, (budget, hard))
                payload = pickle.dumps(("ok", run(path, sparql, limits)))
            except BaseException as error:  # reported to the parent, whatever it is
                kind = type(error).__name__
                payload = pickle.dumps(("error", kind, str(error)))
                status = _REPORTED
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            os._exit(status)
        os.close(write_end)
        try:
            data = _read_until(read_end, limits.timeout, pid)
        except BaseException:  # interrupted (Ctrl-C, SIGTERM): the query must not run on
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        finally:
            os.close(read_end)
        _, wait_status = os.waitpid(pid, 0)
        child_stderr.seek(0)
        said = child_stderr.read(4000).decode("utf-8", "replace").strip().splitlines()
    if data is None:
        raise QueryLimitError(
            f"query stopped after {limits.timeout:g} s (--timeout); narrow it or allow longer"
        )
    if data:
        message = pickle.loads(data)  # our own child's reply, never a file
        if message[0] == "ok":
            return message[1]
        _, kind, text = message
        if kind == "QueryLimitError":
            raise QueryLimitError(text)
        if kind == "DamagedStoreError":
            raise DamagedStoreError(text)
        if kind in ("QueryError", "SyntaxError"):
            raise QueryError(text)
        if kind == "MemoryError":
            raise QueryLimitError(_out_of_memory(limits))
        if "Corruption" in text:
            raise damaged(path, text)
        raise OSError(text)
    first = said[0] if said else f"exit status {wait_status}"
    # Rust's and C++'s words for a failed allocation (a thread's stack included).
    if any(word in first for word in ("memory allocation", "bad_alloc", "system_error")):
        raise QueryLimitError(_out_of_memory(limits) + f" ({first})")
    raise damaged(path, f"reading it crashed the reader ({first})")


def _out_of_memory(limits: QueryLimits) -> str:
    return (
        f"store read stopped: it needed more than {limits.memory_mb:,} MiB (--query-memory); "
        "a very large query, or a damaged store"
    )


def _read_until(fd: int, timeout: float | None, pid: int) -> bytes | None:
    """Everything the child writes, or ``None`` (child killed) if ``timeout`` passes."""
    deadline = None if timeout is None else time.monotonic() + timeout
    chunks: list[bytes] = []
    while True:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
