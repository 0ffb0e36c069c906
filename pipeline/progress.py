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


class StepProgress:
    """A training progress bar with steps/s and the main losses (only on a TTY)."""

    def __init__(self, total: int, enabled: bool | None = None) -> None:
        self.total = total
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._progress: Progress | None = None
        self._task: Any = None

    def __enter__(self) -> StepProgress:
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("training"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[info]}"), TimeRemainingColumn(), transient=False,
            )  # fmt: skip
            self._progress.start()
            self._task = self._progress.add_task("train", total=self.total, info="")
        return self

    def update(self, info: Any) -> None:
        """Advance to a :class:`~pipeline.train.StepInfo`."""
        if self._progress is not None:
            losses = info.losses
            text = (
                f"{info.images_per_second:.0f} img/s  pixel {losses.get('g_pixel', 0):.3f}  "
                f"d {losses.get('d_hinge', 0):.3f}"
            )
            self._progress.update(self._task, completed=info.step, info=text)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
