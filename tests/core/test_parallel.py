"""newsgen.core.parallel: results in order, every core, and no running ahead of the consumer."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest

from newsgen.core import parallel
from newsgen.core.parallel import ordered_map
from processes import killed_parent


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


def _meet_at(barrier: Any, i: int) -> int:
    """Items 0 and 1 each wait for the other: they finish only when two workers run them at once."""
    if i < 2:
        barrier.wait(timeout=60)  # BrokenBarrierError if one worker was given both
    return i


@pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked")
def test_one_item_at_a_time_deals_neighbouring_items_to_both_workers():
    """Photos take seconds each: ``chunk=1`` gives items 0 and 1 to two workers, where the
    default chunk for 64 items (two) would give both to one and leave the other idle."""
    barrier = multiprocessing.get_context("fork").Barrier(2)
    assert list(ordered_map(_meet_at, barrier, 64, 2, min_parallel=1, chunk=1)) == list(range(64))


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


# The parent: a process that runs ordered_map on two busy workers, each of which writes its
# pid into a folder and then computes for ever. argv: the folder, and "kernel" (the Linux
# parent-death signal) or "watch" (without it: the portable getppid watch).
BUSY_PARENT = dedent(
    """
    import os, sys
    from newsgen.core import parallel

    def busy(folder, i):
        open(os.path.join(folder, str(os.getpid())), "w").close()
        while True:
            pass

    if sys.argv[2] == "watch":
        parallel._parent_death_signal = lambda: False
    list(parallel.ordered_map(busy, sys.argv[1], 100, 2, min_parallel=1))
    """
)


@pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked")
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="looks at processes through /proc")
@pytest.mark.parametrize("how", ["kernel", "watch"])
def test_busy_workers_exit_when_their_parent_is_killed(tmp_path, how):
    if how == "kernel" and not sys.platform.startswith("linux"):
        pytest.skip("the parent-death signal is Linux's")
    proc = subprocess.Popen([sys.executable, "-c", BUSY_PARENT, str(tmp_path), how])
    with killed_parent(proc) as workers:
        deadline = time.monotonic() + 60
        while len(os.listdir(tmp_path)) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        workers.update(int(name) for name in os.listdir(tmp_path))
        assert proc.poll() is None and len(workers) == 2


@pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked")
def test_a_worker_whose_parent_died_before_it_was_set_up_exits_at_once():
    """The parent may die between the fork and the parent-death request: the worker checks."""
    pid = os.fork()
    if pid == 0:  # the "worker", told that its parent is a process that is already gone
        try:
            parallel._die_with_parent(os.getppid() + 1_000_000)
            time.sleep(30)  # the watch thread (without the kernel's help) ends the process
        finally:
            os._exit(0)  # not reached when the check works: exit status 1
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 1


def _collecting(_data, _i: int) -> bool:
    import gc

    return gc.isenabled()


def test_workers_collect_garbage_though_the_build_paused_the_collector():
    """A build pauses the cyclic collector in its own process (newsgen.pipeline); the
    workers it forks run with it, as they render and convert on their own heaps."""
    import gc

    gc.disable()
    try:
        assert set(ordered_map(_collecting, None, 200, 2, min_parallel=1)) == {True}
    finally:
        gc.enable()


def _objects_collector_walks(_data, _i: int) -> int:
    import gc

    return len(gc.get_objects())  # every generation but the frozen one


@pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked")
def test_a_workers_collector_does_not_walk_what_the_parent_made():
    """What the parent made before the fork (the articles, the plan, a large site's stored page
    entries) lives as long as the worker: its collector leaves it alone, so it neither walks
    those objects again nor copies the parent's memory by writing to their headers."""
    import gc

    gc.disable()
    _held = [[i] for i in range(200_000)]  # tracked, not frozen: the parent's collector rests
    try:
        walked = list(ordered_map(_objects_collector_walks, None, 200, 2, min_parallel=1))
    finally:
        gc.enable()
    assert max(walked) < 100_000  # the 200,000 lists (and the rest of the parent's heap) are not walked


PROGRAM_STARTER = dedent(
    """
    import subprocess, sys
    from newsgen.core import parallel
    # a program, not a forked worker (Pagefind, a --verify build): it notes its pid and waits
    subprocess.run(
        [sys.executable, "-c",
         "import os, sys, time; open(sys.argv[1] + '.tmp', 'w').write(str(os.getpid())); "
         "os.replace(sys.argv[1] + '.tmp', sys.argv[1]); time.sleep(120)",
         sys.argv[1]],
        preexec_fn=parallel.dies_with_this_process(),
    )
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="looks at processes through /proc")
def test_a_program_a_build_runs_exits_when_the_build_is_killed(tmp_path):
    noted = tmp_path / "pid"
    proc = subprocess.Popen([sys.executable, "-c", PROGRAM_STARTER, str(noted)])
    with killed_parent(proc) as programs:
        deadline = time.monotonic() + 60
        while not noted.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        programs.add(int(noted.read_text()))
        assert proc.poll() is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_program_whose_starter_died_before_the_request_exits_at_once():
    """The starter may die between the fork and the request: the program checks, as a worker does."""
    pid = os.fork()
    if pid == 0:  # the "program", told that it was started by a process that is already gone
        try:
            os.getpid = lambda: os.getppid() + 1_000_000  # type: ignore[assignment]
            request = parallel.dies_with_this_process()
            assert request is not None
            request()
        finally:
            os._exit(0)  # not reached when the check works: exit status 1
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 1


def test_without_the_kernels_help_no_request_is_made(monkeypatch):
    monkeypatch.setattr(parallel, "_prctl", lambda: None)
    assert parallel.dies_with_this_process() is None
