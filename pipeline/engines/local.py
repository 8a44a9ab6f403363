"""The local engine: documents in this process (one job) or in a pool of worker processes.

Each worker builds the spaCy pipeline and jieba dictionary once (``warm_up``), from the start-up
cache that this process fills before it starts them (``pipeline/startup_cache.py``), and then takes
documents one at a time; at most a few documents per worker are in flight, so neither the
queue nor the results waiting to be written grow with the archive. Each document in flight has a
slot of the run's position board (``engines/position.py``), where its worker says how far it is.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from pipeline.engines.position import Board, reporting
from pipeline.engines.tasks import Task, run_reported, run_task, warm_up

if TYPE_CHECKING:
    from pipeline.dataset.writers import Record

IN_FLIGHT_PER_WORKER = 4
MAX_POOL_RESTARTS = 3


def run_local(tasks: Iterable[Task], jobs: int, rules_dir: str | None, board: Board | None = None) -> Iterator[tuple[Task, "Record | BaseException"]]:
    """Yield ``(task, record)`` as documents finish, or ``(task, exception)`` when the worker
    running it died (a crash in a reader's C code, the OOM killer). ``board``: where the
    documents in flight are said to be (shared with the workers when ``jobs`` > 1)."""
    board = board if board is not None else Board(jobs * IN_FLIGHT_PER_WORKER)
    if jobs <= 1:
        for task in tasks:
            slot = board.take(task.index)
            try:
                with reporting(board.buffer, slot):
                    record = run_task(task)
            finally:
                board.release(slot)
            yield task, record
        return
    # spawn, not fork: the parent may hold DuckDB/Arrow threads, and forking a threaded
    # process can deadlock the child.
    context = multiprocessing.get_context("spawn")
    from pipeline.startup_cache import startup

    startup(rules_dir)  # a missing start-up cache is built here once, not by every worker at once
    pending = iter(tasks)
    restarts = 0
    while True:
        pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=warm_up, initargs=(rules_dir,))
        in_flight: dict[Future, Task] = {}
        slots: dict[Future, int | None] = {}
        broken = False
        finished = 0  # documents this pool finished: a pool that breaks before any did is a start-up failure
        try:
            while True:
                while not broken and len(in_flight) < jobs * IN_FLIGHT_PER_WORKER and (task := next(pending, None)) is not None:
                    slot = board.take(task.index)
                    future = pool.submit(run_reported, task, board.name, slot)
                    in_flight[future], slots[future] = task, slot
                if not in_flight:
                    return
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    task = in_flight.pop(future)
                    board.release(slots.pop(future))
                    error = future.exception()
                    if isinstance(error, BrokenProcessPool):
                        if not finished:
                            raise RuntimeError(f"the worker processes could not start ({error}); a script that runs jobs > 1 needs an `if __name__ == \"__main__\":` guard") from error
                        broken = True
                    else:
                        finished += 1
                        restarts = 0
                    yield task, error if error is not None else future.result()
                if broken and not in_flight:
                    break
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        restarts += 1
        if restarts > MAX_POOL_RESTARTS:
            raise RuntimeError("the worker processes keep dying before finishing a document; run with --jobs 1 to see why")
