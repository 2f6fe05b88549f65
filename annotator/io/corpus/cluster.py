"""The Dask side of a corpus run: the only module that imports Dask.

Imported lazily by ``annotator.io.corpus.run`` when a run starts, so the application (and
the volunteer bundle, which excludes Dask) never loads it. Scheduling, retries, transport
and worker management are all Dask's: ``LocalCluster`` (processes, one thread each) or a
running scheduler, ``Client.submit(..., retries=)``, ``as_completed`` over a bounded
window of tasks, and a ``WorkerPlugin`` that builds the pipeline once per worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker

from annotator.io.corpus import work
from annotator.io.corpus.shards import CorpusError
from annotator.io.corpus.work import Context, Partition, ShardData

PLUGIN_PREFIX = "annotator-corpus-"
WORKER_WAIT = 120  # seconds a running scheduler may take to get its first worker
Task = Callable[[str, Partition], ShardData]


class PipelinePlugin(WorkerPlugin):
    """Loads the model, gazetteer and memory once per worker, when the worker joins."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.name = PLUGIN_PREFIX + context.digest()[:16]

    def setup(self, worker: Any) -> None:
        work.pipeline(self.context)


def run_partition(plugin_name: str, partition: Partition) -> ShardData:
    """The task: one partition's shard, with the pipeline this worker already holds."""
    context = get_worker().plugins[plugin_name].context
    return work.annotate_partition(work.pipeline(context), partition, context)


@contextmanager
def connect(*, scheduler: str | None, workers: int) -> Iterator[Client]:
    """A client on ``scheduler``, or on a new LocalCluster of ``workers`` processes."""
    logging.getLogger("distributed").setLevel(logging.ERROR)  # task errors are reported by name
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0", worker_dashboard_address=None,
                                   silence_logs=logging.ERROR)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
        raise CorpusError(f"cannot connect to {where}: {exc}") from None
    try:
        if scheduler:
            try:
                client.wait_for_workers(1, timeout=WORKER_WAIT)
            except TimeoutError:
                raise CorpusError(f"no worker joined the Dask scheduler at {scheduler} within"
                                  f" {WORKER_WAIT} s (start them with 'dask worker"
                                  f" {scheduler}')") from None
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def register(client: Client, context: Context) -> PipelinePlugin:
    """Install the pipeline on every worker, present and future; a load error is one line."""
    plugin = PipelinePlugin(context)
    try:
        client.register_plugin(plugin, name=plugin.name)
    except Exception as exc:  # noqa: BLE001 - a worker's error (e.g. ModelError) comes back as is
        raise CorpusError(f"the workers cannot load the pipeline: {exc}") from None
    return plugin


def worker_count(client: Client) -> int:
    return len(client.scheduler_info(n_workers=-1).get("workers", {}))


def dashboard(client: Client, *, local: bool) -> str | None:
    """The dashboard's address, when the scheduler runs one (a local one needs bokeh here)."""
    import importlib.util

    if local and importlib.util.find_spec("bokeh") is None:
        return None  # the page would only say that bokeh is missing
    try:
        return client.dashboard_link or None
    except Exception:  # noqa: BLE001 - no dashboard service: nothing to print
        return None


def run_tasks(client: Client, plugin: PipelinePlugin, parts: Iterator[Partition], *,
              skip: Callable[[Partition], bool], on_done: Callable[[Partition, ShardData], None],
              on_failed: Callable[[Partition, BaseException], None], retries: int, window: int,
              task: Task = run_partition) -> None:
    """Submit partitions as they are read, at most ``window`` in flight; each result is
    handed to ``on_done`` as it arrives (a failed one, after Dask's retries, to ``on_failed``).
    """
    pending: dict[str, Partition] = {}
    done = as_completed()

    def fill() -> None:
        while len(pending) < window:
            p = next(parts, None)
            if p is None:
                return
            if skip(p):
                continue
            future = client.submit(task, plugin.name, p, key=f"{p.name}-{p.digest()[:12]}",
                                   retries=retries, pure=False)
            pending[future.key] = p
            done.add(future)

    fill()
    while pending:
        future = next(done)
        p = pending.pop(future.key)
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - reported by the partition's name
            on_failed(p, exc)
        else:
            on_done(p, result)
        future.release()
        fill()
