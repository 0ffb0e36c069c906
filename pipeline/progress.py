"""Progress display: a live counter on a terminal, silence in pipes and CI."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


class DocumentProgress:
    """Shows documents done and quads written while extraction runs (only on a TTY)."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._progress: Progress | None = None
        self._task: Any = None

    def __enter__(self) -> DocumentProgress:
        if self.enabled:
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("extracting", total=None)
        return self

    def update(self, summary: Any) -> None:
        """Refresh from an :class:`~kg_extract.extract.ExtractSummary`."""
        if self._progress is not None:
            self._progress.update(
                self._task,
                description=f"{summary.documents} documents, {summary.quads} quads",
            )

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
