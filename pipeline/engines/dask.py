"""The Dask engine: the same per-document function on a Dask distributed cluster.

With no scheduler address a ``LocalCluster`` of ``jobs`` single-threaded worker processes is
started; with one, the client joins that cluster (``dask scheduler`` on a head node,
``dask-jobqueue`` on an HPC batch system, …). The client reads each file and sends its bytes
with the task, so workers need the package and its rules but not the archive's file system.
Dask is imported here only: ``bulletin-metrics --help`` never loads it. The position board
(``engines/position.py``) names the documents sent and not yet back: a worker on another
machine cannot write to it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from pipeline.engines.cache import version
from pipeline.engines.position import Board
from pipeline.engines.tasks import Task, run_task, warm_up, worker_version

if TYPE_CHECKING:
    from pipeline.dataset.writers import Record

IN_FLIGHT_PER_THREAD = 4


class WorkerMismatch(RuntimeError):
    """Workers whose code or rules differ from the client's: their results would be cached
    under a version that does not describe them."""


def run_dask(tasks: Iterable[Task], jobs: int, rules_dir: str | None, scheduler: str | None = None,
             board: Board | None = None) -> Iterator[tuple[Task, "Record | BaseException"]]:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        expected = version(rules_dir)
        mismatched = sorted(worker for worker, seen in client.run(worker_version, rules_dir).items() if seen != expected)
        if mismatched:
            raise WorkerMismatch(f"workers {', '.join(mismatched)} run other bulletin-metrics code or rules than this client; install the same version on them")
        client.run(warm_up, rules_dir)
        threads = sum(client.nthreads().values()) or 1
        pending = iter(tasks)
        in_flight = as_completed()
        owner = {}
        slots = {}
        board = board if board is not None else Board(threads * IN_FLIGHT_PER_THREAD)

        def submit() -> bool:
            task = next(pending, None)
            if task is None:
                return False
            future = client.submit(run_task, task, pure=False)
            owner[future.key] = task
            slots[future.key] = board.take(task.index, "in flight")
            in_flight.add(future)
            return True

        for _ in range(threads * IN_FLIGHT_PER_THREAD):
            if not submit():
                break
        for future in in_flight:
            task = owner.pop(future.key)
            board.release(slots.pop(future.key))
            try:
                outcome: "Record | BaseException" = future.result()
            except Exception as error:  # the worker died on it (KilledWorker) or the task failed
                outcome = error
            future.release()
            yield task, outcome
            submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
