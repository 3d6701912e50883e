"""``--executor ray``: a run's shards over a Ray cluster, on the seams the local executor
uses (pool.Workers): the CPU stages (reading, segmenting, finishing, rendering ahead) as Ray
tasks, the engine in a pool of actors that each load the models once and translate one
shard at a time, up to one shard per actor in flight.

The driver stays the only writer: it reads each article's bytes and ships them (a worker
never needs the driver's files), plans each shard against the store and memory, takes the
results back in order and writes the store and the files article by article, under the
output folder's short per-article locks, so reviewers keep saving during a run. The same
functions as the local executor run on the same data, so the outputs are the same bytes.

A worker that dies is replaced by Ray: a task is run again elsewhere (``max_retries``), an
actor is restarted and the shard it held is translated again (``max_restarts``,
``max_task_retries``); the run only fails when Ray gives up, with an ExecutorError.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pipeline.model.errors import ExecutorError, OptionError, PipelineError
from pipeline.mt.engine import Engine, Request
from pipeline.run import compute, select, stages
from pipeline.run.compute import Job, Machine
from pipeline.run.options import RunOptions
from pipeline.run.stages import Finished, Prepared, Source
from pipeline.run.views import Ahead

if TYPE_CHECKING:
    from pipeline.glossary.match import Glossary

T = TypeVar("T")
#: how often Ray may start a dead actor again, and run a task again, within one run
RETRIES = 4


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise OptionError("--executor ray needs Ray, an optional extra: pip install -c "
                          "requirements/lock.txt -e '.[ray]' (in the project's folder)") from None
    return ray


def _prepare(run: tuple[RunOptions, Glossary | None], source: Any) -> Prepared:
    options, glossary = run
    return stages.prepare(source, options, glossary)


def _finish(jobs: Sequence[Job], machine: Machine, source: str, memorable: bool
            ) -> tuple[list[Finished], Ahead | None]:
    return stages.finish(jobs, machine, source, memorable, True)


class _Translator:
    """A Ray actor: one engine, its models loaded on first use and kept."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def translate(self, asked: Sequence[Request], due: select.Pending) -> Machine:
        return select.translate(asked, due, self.engine)


class _Ref(Generic[T]):
    """A Ray result as a stage handle: the pipeline's own error comes back as itself."""

    def __init__(self, ray: Any, ref: Any) -> None:
        self._ray, self._ref = ray, ref
        self._value: list[T] = []

    def result(self) -> T:
        if not self._value:  # fetched (and unpickled) once, however often asked for
            self._value.append(self._get())
        return self._value[0]

    def _get(self) -> T:
        ray = self._ray
        try:
            return ray.get(self._ref)  # type: ignore[no-any-return,unused-ignore]
        except ray.exceptions.RayTaskError as exc:
            if isinstance(exc.cause, PipelineError):
                raise exc.cause from None
            raise ExecutorError(f"a Ray worker failed: {exc.cause!r}") from exc
        except ray.exceptions.RayError as exc:
            raise ExecutorError(f"Ray gave up on a worker: {type(exc).__name__}: "
                                f"{str(exc).splitlines()[0] if str(exc) else ''}") from exc


class _Done(Generic[T]):
    """A value, or the error reading it gave, as a handle (the local executor raises a
    read error when the article's shard is reached: so does this one)."""

    def __init__(self, value: T | None = None, error: PipelineError | None = None) -> None:
        self._value, self._error = value, error

    def result(self) -> T:
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


class RayWorkers:
    """The run's stages and engine on Ray; the interface of pool.Workers. Ray is joined (or a
    local instance started) on first need: a run with nothing to do starts nothing."""

    def __init__(self, options: RunOptions, glossary: Glossary | None, engine: Engine) -> None:
        self._ray = _import_ray()
        self._options, self._glossary, self._engine = options, glossary, engine
        self._started = False
        self._ready = False
        self.actors: list[Any] = []
        self._turn = 0
        # an Argos engine's settings say what an actor needs: a GPU for ``--device cuda``,
        # a CPU per CTranslate2 thread
        decode = getattr(engine, "options", None)
        self._gpus = 1 if getattr(decode, "device", "cpu") == "cuda" else 0
        self._actor_cpus = max(1, getattr(decode, "intra_threads", 1) or 1)
        #: tasks that run at once (how far to read ahead); known once Ray is joined
        self.parallel = 2
        #: one shard per actor in flight beyond the one being finished
        self.depth = options.ray_actors

    def _join(self) -> None:
        """Join the cluster (or start a local instance), check it can run this, put the
        run's settings and glossary in its object store and start the actors."""
        if self._ready:
            return
        self._ready = True
        try:
            self._connect()
            self._start()
        except BaseException:
            self.close()
            raise

    def _connect(self) -> None:
        ray, options = self._ray, self._options
        if ray.is_initialized():  # a script's own ray.init: its cluster is the one used
            return
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        settings: dict[str, Any] = dict(include_dashboard=False, log_to_driver=False,
                                        configure_logging=False)
        if options.ray_address is None:  # a local instance, reachable on loopback only
            settings["_node_ip_address"] = "127.0.0.1"
        try:
            ray.init(address=options.ray_address, **settings)
        except (ConnectionError, RuntimeError, ValueError, ray.exceptions.RayError) as exc:
            raise ExecutorError(f"cannot start or reach Ray at "
                                f"{options.ray_address or 'a local instance'}: {exc}") from exc
        self._started = True

    def _start(self) -> None:
        ray, options = self._ray, self._options
        resources = ray.cluster_resources()
        cpus, gpus = int(resources.get("CPU", 0)), int(resources.get("GPU", 0))
        held = options.ray_actors * self._actor_cpus
        if cpus - held < 1:  # the tasks would wait for a CPU for ever
            raise OptionError(f"the Ray cluster has {cpus} CPUs; {options.ray_actors} actors "
                              f"of {self._actor_cpus} leave none for the other stages (use "
                              "fewer --ray-actors or --threads)")
        if self._gpus and gpus < options.ray_actors:
            raise OptionError(f"--device cuda: each Ray actor needs a GPU; the cluster has "
                              f"{gpus} for {options.ray_actors} actors")
        self.parallel = max(2, cpus - held)
        self._prepare = ray.remote(num_cpus=1, max_retries=RETRIES)(_prepare)
        self._finish = ray.remote(num_cpus=1, max_retries=RETRIES)(_finish)
        actor = ray.remote(num_cpus=self._actor_cpus, num_gpus=self._gpus,
                           max_restarts=RETRIES, max_task_retries=RETRIES)(_Translator)
        try:
            self._run = ray.put((options, self._glossary))
            self.actors = [actor.remote(self._engine) for _ in range(options.ray_actors)]
        except (TypeError, AttributeError, pickle.PicklingError) as exc:
            raise OptionError(f"--executor ray sends the engine and glossary to other "
                              f"processes, and this one cannot be pickled: {exc}") from exc

    def prepare(self, source: Source) -> _Ref[Prepared] | _Done[Prepared]:
        """Read the article here, ship its bytes, segment and find terms on the cluster."""
        try:
            shipped = stages.ship(source, self._options.max_bytes)
        except PipelineError as exc:
            return _Done(error=exc)
        self._join()
        return _Ref(self._ray, self._prepare.remote(self._run, shipped))

    def finish(self, jobs: Sequence[Job], machine: Machine, source: str, memorable: bool
               ) -> _Ref[tuple[list[Finished], Ahead | None]]:
        """Finish (and render ahead) every language of one article on the cluster."""
        self._join()
        light, part = stages.portable(jobs, machine, source)
        return _Ref(self._ray, self._finish.remote(light, part, source, memorable))

    def translate(self, jobs: Sequence[Job], source: str, engine: Engine, n: int
                  ) -> _Ref[Machine] | _Done[Machine]:
        """A shard's engine work on the next actor in turn; what the engine lacks is said
        when the shard is finished, as the local executor does."""
        try:
            asked, due = compute.requested(jobs, source, engine, n)
        except PipelineError as exc:
            return _Done(error=exc)
        if not asked:
            return _Done({})
        self._join()
        actor = self.actors[self._turn % len(self.actors)]
        self._turn += 1
        return _Ref(self._ray, actor.translate.remote(asked, due))

    def close(self) -> None:
        """Let the actors go; stop the local instance this run started."""
        actors, self.actors = self.actors, []
        try:
            for actor in actors:
                self._ray.kill(actor)
        finally:
            if self._started:
                self._started = False
                self._ray.shutdown()

    def __enter__(self) -> RayWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
