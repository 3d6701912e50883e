"""The shard rule: an archive goes through the engine in shards of whole articles, each big
enough that the engine's sorted, token-batched pass per language pair stays efficient, and
small enough that a run's memory does not grow with the archive.

A shard closes once its articles hold ``SHARD_TOKENS`` source tokens (or ``batch_size``
articles, when one is given): 64 of CTranslate2's token batches (``max_batch_tokens``,
2,048), so the texts of one pass sort into full batches of like lengths and the one
part-filled batch at its end is at most a 64th of the pass. Tokens are estimated as one per
four characters, about what a SentencePiece model of a European language makes of news text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol, TypeVar

from pipeline.mt.argos import DecodeOptions

#: CTranslate2 batches (of DecodeOptions.max_batch_tokens tokens) per shard
SHARD_BATCHES = 64
SHARD_TOKENS = SHARD_BATCHES * DecodeOptions.max_batch_tokens
#: characters per subword token, on average
CHARS_PER_TOKEN = 4


class _Text(Protocol):
    @property
    def text(self) -> str: ...


def tokens(segments: Sequence[_Text]) -> int:
    """The estimated source tokens of ``segments`` (at least one per segment)."""
    return sum(max(1, -(-len(s.text) // CHARS_PER_TOKEN)) for s in segments)


class Sized(Protocol):
    """What a shard is made of: an article (or a stand-in for one) and its token count."""

    @property
    def tokens(self) -> int: ...


T = TypeVar("T", bound=Sized)


def shards(items: Iterable[T], limit: int, articles: int | None = None) -> Iterator[list[T]]:
    """``items`` in order, cut into shards of at least ``limit`` tokens (the last one may hold
    fewer) and at most ``articles`` items."""
    shard: list[T] = []
    held = 0
    for item in items:
        shard.append(item)
        held += item.tokens
        if held >= limit or (articles is not None and len(shard) >= articles):
            yield shard
            shard, held = [], 0
    if shard:
        yield shard
