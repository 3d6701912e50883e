"""The CPU stages of a run in worker processes (``--jobs N``), beside the engine and the
writer, which stay in the driver.

One thread budget for the cores this process may use: ``--jobs N`` worker processes take N
of them (one thread each), CTranslate2 gets the rest, at least one (``engine_threads``),
unless ``--threads`` names a number. With ``--jobs 1`` nothing is parallel: the stages run
in the driver one after another and CTranslate2 chooses its threads (all cores).

Work goes to the workers in order of need: finishing the shard the writer waits for comes
before reading ahead, so neither the writer nor the workers wait while the other could work.
Workers are spawned (not forked: the driver may hold engine threads and open databases),
ignore Ctrl-C (the driver stops them) and end when the driver is gone, even by SIGKILL.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pipeline.mt.engine import Engine
from pipeline.run import compute, stages
from pipeline.run.compute import Job, Machine
from pipeline.run.options import RunOptions
from pipeline.run.stages import Finished, Prepared, Source
from pipeline.run.views import Ahead

if TYPE_CHECKING:
    from pipeline.glossary.match import Glossary

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
#: a call waiting for a worker: its future, the function and its arguments
_Call = tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def engine_threads(jobs: int, threads: int = 0) -> int:
    """CTranslate2's threads beside ``jobs`` worker processes: ``threads`` when given (not
    0), else the cores the workers leave (at least one); 0 (CTranslate2 decides) for one job."""
    if threads or jobs <= 1:
        return threads
    return max(1, cores() - jobs)


class Handle(Protocol[T_co]):
    """A stage's result, once it is there."""

    def result(self) -> T_co: ...


class Executor(Protocol):
    """Where a run's CPU stages and engine run: Workers here, RayWorkers on a cluster."""

    #: stages that run at once (how far to read ahead)
    parallel: int
    #: shards the engine may hold beyond the one being finished
    depth: int

    def prepare(self, source: Source) -> Handle[Prepared]: ...

    def finish(self, jobs: Sequence[Job], machine: Machine, source: str, memorable: bool
               ) -> Handle[tuple[list[Finished], Ahead | None]]: ...

    def translate(self, jobs: Sequence[Job], source: str, engine: Engine, n: int
                  ) -> Handle[Machine]: ...

    def close(self) -> None: ...


class _Now:
    """A stage run in the driver, when its result is first asked for."""

    def __init__(self, call: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self._call: Callable[..., Any] | None = call
        self._args = args
        self._value: Any = None

    def result(self) -> Any:
        if self._call is not None:
            self._value, self._call = self._call(*self._args), None
        return self._value


#: a worker's share of the run: its options and glossary, set once by _start
_RUN: dict[str, Any] = {}


def _start(options: RunOptions, glossary: Glossary | None, parent: int) -> None:
    """A worker's start: the run's options and glossary, Ctrl-C left to the driver, and an
    end when the driver is gone (a killed driver cannot stop us)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _RUN.update(options=options, glossary=glossary)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _prepare(source: Source) -> Prepared:
    return stages.prepare(source, _RUN["options"], _RUN["glossary"])


class Workers:
    """The run's CPU stages: in ``options.jobs`` worker processes, or (one job) in this one
    when a result is asked for. Use as a context manager: leaving it stops the workers."""

    def __init__(self, options: RunOptions, glossary: Glossary | None) -> None:
        self.jobs = options.jobs
        #: processes the CPU stages run in at once (how far to read ahead)
        self.parallel = self.jobs
        #: shards the engine may hold beyond the one being finished: with workers, the engine
        #: translates the next shard meanwhile
        self.depth = 0 if self.jobs == 1 else 1
        self._engine_thread = ThreadPoolExecutor(1, thread_name_prefix="engine") \
            if self.jobs > 1 else None
        self._options, self._glossary = options, glossary
        self._pool: ProcessPoolExecutor | None = None
        self._urgent: deque[_Call] = deque()
        self._later: deque[_Call] = deque()
        self._running = 0
        self._closed = False
        self._ready = threading.Condition()
        self._feeder: threading.Thread | None = None
        if self.jobs > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start, initargs=(options, glossary, os.getpid()))
            self._feeder = threading.Thread(target=self._feed, daemon=True, name="workers")
            self._feeder.start()

    def prepare(self, source: Source) -> Handle[Prepared]:
        """Read, segment and find terms of one article (ahead of need)."""
        if self._pool is None:
            return _Now(stages.prepare, (source, self._options, self._glossary))
        return self._submit(_prepare, (source,), urgent=False)

    def finish(self, jobs: Sequence[Job], machine: Machine, source: str, memorable: bool
               ) -> Handle[tuple[list[Finished], Ahead | None]]:
        """Finish every language of one article (the writer waits for it); a worker also
        renders the files that need nothing more, which the writer would otherwise do."""
        if self._pool is None:
            return _Now(stages.finish, (jobs, machine, source, memorable))
        light, part = stages.portable(jobs, machine, source)
        return self._submit(stages.finish, (light, part, source, memorable, True), urgent=True)

    def translate(self, jobs: Sequence[Job], source: str, engine: Engine, n: int
                  ) -> Handle[Machine]:
        """The engine's answer for a planned shard (see compute.translate); with workers, in
        a thread of its own while the shard before is finished."""
        if self._engine_thread is None:
            return _Now(compute.translate, (jobs, source, engine, n))
        return self._engine_thread.submit(compute.translate, jobs, source, engine, n)

    def _submit(self, call: Callable[..., T], args: tuple[Any, ...], *, urgent: bool
                ) -> Handle[T]:
        future: Future[T] = Future()
        with self._ready:
            (self._urgent if urgent else self._later).append((future, call, args))
            self._ready.notify_all()
        return future

    def _feed(self) -> None:
        """Hand work to the pool as workers free up: two calls a worker, urgent ones first."""
        assert self._pool is not None
        while True:
            with self._ready:
                while not self._closed and (self._running >= 2 * self.jobs
                                            or not (self._urgent or self._later)):
                    self._ready.wait()
                if self._closed:
                    return
                future, call, args = (self._urgent or self._later).popleft()
                self._running += 1
            try:
                inner = self._pool.submit(call, *args)
            except BaseException as exc:  # noqa: BLE001 - the one who waits for it gets it
                future.set_exception(exc)
                self._finished()
                continue
            inner.add_done_callback(functools.partial(self._settle, future))

    def _settle(self, future: Future[Any], done: Future[Any]) -> None:
        if done.cancelled():
            future.cancel()
        elif done.exception() is not None:
            future.set_exception(done.exception())
        else:
            future.set_result(done.result())
        self._finished()

    def _finished(self) -> None:
        with self._ready:
            self._running -= 1
            self._ready.notify_all()

    def close(self) -> None:
        """Stop the workers; work not started is dropped."""
        with self._ready:
            self._closed = True
            for future, _, _ in (*self._urgent, *self._later):
                future.cancel()
            self._urgent.clear()
            self._later.clear()
            self._ready.notify_all()
        if self._feeder is not None:
            self._feeder.join()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if self._engine_thread is not None:
            self._engine_thread.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
