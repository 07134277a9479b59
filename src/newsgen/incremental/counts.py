"""What the incremental stages report: how much work the cache saved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

#: ``progress(done, total)``: called now and then while a stage runs.
Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    """A :data:`Progress` that reports nothing."""


@dataclass
class StageCounts:
    """How much work the cache saved, for the build summary."""

    converted: int = 0  # articles loaded from their source
    reused: int = 0  # articles taken from the cache
    related_ranked: int = 0
    related_reused: int = 0
    rendered: int = 0
    skipped: int = 0  # pages not rendered: inputs and output file unchanged
    notes: list[str] = field(default_factory=list)
