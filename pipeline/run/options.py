"""What a run is asked to do, validated once: a bad value is a named error, never a surprise
halfway through a run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.article import MAX_ARTICLE_BYTES
from pipeline.model import languages
from pipeline.model.errors import LanguageError, OptionError
from pipeline.run.select import DEFAULT_N, STRATEGY
from pipeline.run.shards import SHARD_TOKENS
from pipeline.store.layout import xliff_versions

TWEET_MODES = ("translate", "keep")
#: where a run's stages and engine run (see run/pool.py and run/ray_executor.py)
EXECUTORS = ("local", "ray")
#: what the glossary does around MT (see glossary.enforcement.STRATEGIES); the first is the
#: default
TERM_STRATEGIES = (STRATEGY, "dnt-only", "placeholder", "none")


@dataclass(frozen=True)
class RunOptions:
    """The run's settings; defaults match the CLI's. Languages come out canonical
    (``EN`` → ``en``, ``pt-br`` → ``pt_BR``), duplicates dropped."""

    targets: tuple[str, ...]
    source: str = "de"
    out_dir: Path = Path("locales")
    tweets: str = "translate"
    quiet: bool = False
    max_bytes: int = MAX_ARTICLE_BYTES
    memory: Path | None = None
    retranslate: bool = False
    fuzzy_threshold: float = 75.0
    glossary: Path | None = None
    term_strategy: str = STRATEGY
    #: hypotheses the ``n-best`` strategy chooses among
    n_best: int = DEFAULT_N
    #: at most this many articles in one shard (one engine pass per pair); None: as many as
    #: ``shard_tokens`` allows
    batch_size: int | None = field(default=None)
    #: a shard closes once its articles hold this many tokens (see pipeline.run.shards)
    shard_tokens: int = SHARD_TOKENS
    #: processes for the CPU stages (reading, segmenting, finishing); 1: all in this one
    jobs: int = 1
    #: where stages and engine run: ``local`` (this process and ``jobs`` workers) or ``ray``
    executor: str = "local"
    #: the Ray cluster to join (``auto``, ``ray://host:port``); None: a local instance
    ray_address: str | None = None
    #: Ray actors that each hold the models and translate a shard at a time
    ray_actors: int = 1
    #: XLIFF versions to write (``2.1``, ``1.2``, ``both``); None: the output folder's
    #: remembered choice, 2.1 for a new folder (see ReviewState.xliff)
    xliff: str | None = None

    def __post_init__(self) -> None:
        source = languages.parse(self.source)
        targets = (self.targets,) if isinstance(self.targets, str) else tuple(self.targets)
        if not targets:
            raise LanguageError("no target language given (use --to en,fr,…)")
        canonical = tuple(dict.fromkeys(languages.parse(t) for t in targets))
        for target in canonical:
            if target == source:
                raise LanguageError(f"target {target!r} is the source language")
        _choice("tweets", self.tweets, TWEET_MODES)
        _choice("term_strategy", self.term_strategy, TERM_STRATEGIES)
        if not 0 <= self.fuzzy_threshold <= 100:
            raise OptionError(f"fuzzy_threshold must be within 0-100, not {self.fuzzy_threshold}")
        if self.max_bytes <= 0:
            raise OptionError(f"max_bytes must be positive, not {self.max_bytes}")
        if self.xliff is not None:
            xliff_versions(self.xliff)
        if self.n_best < 1:
            raise OptionError(f"n_best must be at least 1, not {self.n_best}")
        if self.batch_size is not None and self.batch_size < 1:
            raise OptionError(f"batch_size must be at least 1, not {self.batch_size}")
        if self.shard_tokens < 1:
            raise OptionError(f"shard_tokens must be at least 1, not {self.shard_tokens}")
        if self.jobs < 1:
            raise OptionError(f"jobs must be at least 1, not {self.jobs}")
        if self.executor not in EXECUTORS:
            raise OptionError(f"unknown executor {self.executor!r} (use one of "
                              f"{', '.join(EXECUTORS)})")
        if self.ray_actors < 1:
            raise OptionError(f"ray_actors must be at least 1, not {self.ray_actors}")
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "targets", canonical)
        object.__setattr__(self, "out_dir", Path(self.out_dir))

    @property
    def memory_path(self) -> Path:
        return self.memory or self.out_dir / "memory.sqlite"


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise OptionError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
