"""Engines: how the per-document function (``pipeline.process.process_bytes``) is run over an
archive — in this process, in a local process pool, or on a Dask cluster — and how each finished
document is kept in a cache so a re-run or a resumed run only reads what it has not read yet.

- ``tasks``: what one document's job is and the function a worker runs for it
- ``cache``: the per-document cache (content + rules + code version → result file)
- ``local``: this process or a process pool
- ``dask``: a Dask distributed cluster (imported only when asked for)
- ``progress``: the progress line, log lines and per-document lines
- ``position``: where each document in flight is (page, issue, piece), shared by the workers
- ``run``: collects files, asks the cache, hands the rest to an engine
"""

ENGINES = ("local", "dask")
