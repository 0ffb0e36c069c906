"""Progress display: live on a terminal, silent in pipes and CI."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class _TerminalProgress:
    """A rich progress display that exists only when stderr is a terminal."""

    total: int | None = None

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._progress: Progress | None = None
        self._task: Any = None

    def columns(self) -> list[ProgressColumn]:
        """The display's columns."""
        raise NotImplementedError

    def __enter__(self) -> Any:
        if self.enabled:
            self._progress = Progress(*self.columns(), transient=self.total is None)
            self._progress.start()
            self._task = self._progress.add_task("", total=self.total, info="")
        return self

    def log(self, message: str) -> None:
        """Print a line on stderr without breaking the live display."""
        if self._progress is not None:
            self._progress.console.print(message, markup=False, highlight=False)
        else:
            print(message, file=sys.stderr)

    def _show(self, completed: int | None, info: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=completed, info=info)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()


class DocumentProgress(_TerminalProgress):
    """Documents done and quads written while extraction runs."""

    def columns(self) -> list[ProgressColumn]:
        """Spinner, counts, elapsed time."""
        return [SpinnerColumn(), TextColumn("extracting {task.fields[info]}"), TimeElapsedColumn()]

    def update(self, summary: Any) -> None:
        """Refresh from an :class:`~kg_extract.extraction.ExtractSummary`."""
        self._show(None, f"{summary.documents} documents, {summary.quads} quads")


class StepProgress(_TerminalProgress):
    """A training progress bar with images/s and the main losses."""

    def __init__(self, total: int, enabled: bool | None = None) -> None:
        super().__init__(enabled)
        self.total = total

    def columns(self) -> list[ProgressColumn]:
        """Bar, step count, losses, time left."""
        return [
            TextColumn("training"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[info]}"),
            TimeRemainingColumn(),
        ]

    def update(self, info: Any) -> None:
        """Advance to a :class:`~pipeline.train.StepInfo`."""
        losses = info.losses
        self._show(
            info.step,
            f"{info.images_per_second:.0f} img/s  pixel {losses.get('g_pixel', 0):.3f}  "
            f"d {losses.get('d_hinge', 0):.3f}",
        )
