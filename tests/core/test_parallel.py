"""newsgen.core.parallel: results in order, every core, and no running ahead of the consumer."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path
from typing import Any

import pytest

from newsgen.core import parallel
from newsgen.core.parallel import ordered_map


def _square(data: None, i: int) -> tuple[int, int]:
    return i, i * i


_STARTED: set[int] = set()  # in each worker: its own pid once it has met the other


def _pid_when_both_run(barrier: Any, i: int) -> int:
    """Each worker's first item waits until the other worker runs one too: no timing involved."""
    if os.getpid() not in _STARTED:
        barrier.wait(timeout=120)  # raises BrokenBarrierError if the second worker never runs
        _STARTED.add(os.getpid())
    return os.getpid()


def _mark(folder: Path, i: int) -> int:
    (folder / str(i)).touch()  # which items the workers have done so far
    return os.getpid()


def test_results_come_in_item_order_whatever_the_jobs():
    for jobs in (1, 2, 3):
        assert list(ordered_map(_square, None, 500, jobs, min_parallel=1)) == [(i, i * i) for i in range(500)]


@pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked")
def test_items_are_shared_between_worker_processes():
    barrier = multiprocessing.get_context("fork").Barrier(2)
    pids = set(ordered_map(_pid_when_both_run, barrier, 200, 2, min_parallel=1))
    assert os.getpid() not in pids and len(pids) == 2


@pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked")
def test_workers_wait_for_a_slow_consumer(tmp_path):
    """A consumer that stops (the writer, busy) holds the workers back: only a
    few chunks are done ahead of it, so results do not pile up in memory."""
    n, jobs = 4000, 2
    results = ordered_map(_mark, tmp_path, n, jobs, min_parallel=1)
    next(results)
    time.sleep(1.0)  # far longer than the workers need for every item
    done = len(os.listdir(tmp_path))
    chunk = max(1, min(64, n // (jobs * 16)))
    assert done <= (jobs * parallel.WINDOW + jobs) * chunk < n
    assert sum(1 for _ in results) == n - 1  # and then the rest, in full
    assert len(os.listdir(tmp_path)) == n
