"""Generated news articles for archive-scale tests and benchmarks: deterministic, every
sentence distinct, so neither the engine's de-duplication nor the memory flatters a run.

Sentences are the sample article's prose with companies, products, places and people swapped
and a made-up source name that encodes the sentence's number (``berichtet Dakemu``), so
sentence *n* of any archive is the same text and no two are alike, whatever is masked.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Iterator
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "articles" / "de" / "sora-hollywood.txt"
COMPANIES = ("OpenAI", "Google", "Meta", "Runway", "Adobe", "Stability AI", "Microsoft")
PRODUCTS = ("Sora", "Veo", "Lumiere", "Firefly", "Kling", "Emu")
PLACES = ("Hollywood", "Babelsberg", "Bollywood", "Pinewood", "Nollywood")
PEOPLE = (("Tyler Perry", "Perry"), ("Ava DuVernay", "DuVernay"), ("Greta Gerwig", "Gerwig"))
VERBS = ("berichtet", "schreibt", "meldet", "erklärt", "heißt es bei")
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
#: sentences per paragraph, cycled
PARAGRAPH_LENGTHS = (3, 4, 2, 5, 3)
#: sentences per article, cycled: the sample's prose gives about 35 segments an article
ARTICLE_LENGTHS = (32, 36, 40, 28)


@functools.lru_cache(maxsize=1)
def prose() -> tuple[str, ...]:
    """The sample's paragraph sentences that end in a full stop and close every quote."""
    from pipeline.ingest.article import read_article
    from pipeline.ingest.segment import segment_document
    from pipeline.model.document import BlockKind

    return tuple(s.text for s in segment_document(read_article(SAMPLE))
                 if s.kind is BlockKind.PARAGRAPH and s.text.endswith(".")
                 and s.text.count('"') % 2 == 0)


def name(number: int) -> str:
    """A made-up capitalised name for ``number`` (distinct numbers, distinct names)."""
    letters = ""
    while True:
        number, rest = divmod(number, len(_SYLLABLES))
        letters += _SYLLABLES[rest]
        if number == 0:
            return letters.capitalize()
        number -= 1


def sentence(number: int) -> str:
    """Sentence ``number`` of every generated archive."""
    pool = prose()
    text = pool[number % len(pool)].rstrip(".")
    variant = number // len(pool)
    person, surname = PEOPLE[variant % len(PEOPLE)]
    text = text.replace("Tyler Perry", person)
    text = re.sub(r"\bPerry\b", surname, text)
    text = re.sub(r"\bOpenAI\b", COMPANIES[variant % len(COMPANIES)], text)
    text = re.sub(r"\bSora\b", PRODUCTS[variant % len(PRODUCTS)], text)
    text = re.sub(r"\bHollywood\b", PLACES[variant % len(PLACES)], text)
    return f"{text}, {VERBS[number % len(VERBS)]} {name(number)}."


def article_text(index: int, first: int) -> tuple[str, int]:
    """Article ``index`` of an archive, its sentences numbered from ``first``; its text and
    how many sentences it holds."""
    count = ARTICLE_LENGTHS[index % len(ARTICLE_LENGTHS)]
    rng = random.Random(index)
    lines = [f"{name(index)}: {PRODUCTS[rng.randrange(len(PRODUCTS))]} in "
             f"{PLACES[rng.randrange(len(PLACES))]}"]
    number, done = first, 0
    while done < count:
        length = min(PARAGRAPH_LENGTHS[(index + len(lines)) % len(PARAGRAPH_LENGTHS)],
                     count - done)
        lines.append(" ".join(sentence(number + k) for k in range(length)))
        number, done = number + length, done + length
    return "\n\n".join(lines) + "\n", count


def write_archive(folder: Path, count: int, *, start: int = 0) -> list[Path]:
    """``count`` articles ``a00000.txt`` … under ``folder`` (made if missing), in order."""
    return list(iter_archive(folder, count, start=start))


def iter_archive(folder: Path, count: int, *, start: int = 0) -> Iterator[Path]:
    """As :func:`write_archive`, one file at a time."""
    folder.mkdir(parents=True, exist_ok=True)
    first = sum(ARTICLE_LENGTHS[i % len(ARTICLE_LENGTHS)] for i in range(start))
    for index in range(start, start + count):
        text, used = article_text(index, first)
        path = folder / f"a{index:05d}.txt"
        path.write_text(text, encoding="utf-8")
        first += used
        yield path
