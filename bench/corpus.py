"""A deterministic German benchmark corpus made from the sample article.

The pipeline translates each distinct (masked) sentence once, so a corpus of repeated
sentences would flatter it against Argos, which translates every paragraph it is given. The
article's prose sentences are therefore recombined into new paragraphs, each used with one
of a dozen lead-in phrases, and no (sentence, lead-in) pair twice: the lead-ins are plain
words, so the segments stay distinct whatever the pipeline masks before translating —
numbers, and names from the term base (glossary/names.tsv masks OpenAI, Google, Sora,
Hollywood …). Other companies, products, places and people are swapped in for variety, but
distinctness never depends on them, nor on digits.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "articles" / "de" / "sora-hollywood.txt"

#: Entity lists of different lengths, so variant k combines them in many ways.
COMPANIES = ("OpenAI", "Google", "Meta", "Runway", "Adobe", "Stability AI", "Microsoft",
             "Pika Labs", "Luma AI")
PRODUCTS = ("Sora", "Veo", "Lumiere", "Firefly", "Kling", "Emu", "Pika")
PLACES = ("Hollywood", "Babelsberg", "Bollywood", "Cinecittà", "Pinewood", "Nollywood")
PEOPLE = (("Tyler Perry", "Perry"), ("Ava DuVernay", "DuVernay"), ("Jordan Peele", "Peele"),
          ("Greta Gerwig", "Gerwig"), ("Tom Tykwer", "Tykwer"))
#: Lead-ins that keep German verb-second order, so every variant is still a plain sentence.
FRAMES = ("{s}", "Kurz gesagt: {s}", "Fest steht: {s}", "Dazu heißt es: {s}",
          "Wichtig ist: {s}", "Zur Einordnung: {s}", "Bemerkenswert ist: {s}",
          "Auffällig ist: {s}", "Klar ist: {s}", "Zum Hintergrund: {s}",
          "Unstrittig ist: {s}", "Am Rande bemerkt: {s}")
#: Paragraph lengths in sentences, cycled: news paragraphs are short but not uniform.
PARAGRAPH_LENGTHS = (3, 4, 5, 4)


@dataclass(frozen=True)
class Corpus:
    """Paragraphs (one per line in the article file) and the sentences they are made of."""

    paragraphs: tuple[str, ...]
    sentences: tuple[str, ...]

    def write(self, folder: Path, name: str = "bench-corpus.txt") -> Path:
        """One paragraph per line, like the sample article, so each line is one block."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_text("\n".join(self.paragraphs) + "\n", encoding="utf-8")
        return path


def prose_sentences(sample: Path = SAMPLE) -> list[str]:
    """The sample's paragraph sentences: no heading, no tweets, no quote left open.

    Tweets and their attribution lines are left out because the pipeline may keep them
    verbatim, which Argos cannot; a sentence with an odd number of quote marks would leave a
    quote open in whatever paragraph it lands in and change how the others are split.
    """
    from pipeline.ingest.article import read_article
    from pipeline.ingest.segment import segment_document
    from pipeline.model.document import BlockKind

    document = read_article(sample)
    return [s.text for s in segment_document(document)
            if s.kind is BlockKind.PARAGRAPH and s.text.count('"') % 2 == 0]


def vary(sentence: str, frame: int, variant: int) -> str:
    """A sentence with lead-in ``frame`` and the entities of ``variant`` swapped in."""
    company = COMPANIES[variant % len(COMPANIES)]
    product = PRODUCTS[variant % len(PRODUCTS)]
    place = PLACES[variant % len(PLACES)]
    person, surname = PEOPLE[variant % len(PEOPLE)]
    text = sentence.replace("Tyler Perry", person)
    text = re.sub(r"\bPerry\b", surname, text)
    text = re.sub(r"\bOpenAI\b", company, text)
    text = re.sub(r"\bSora(s?)\b", lambda m: product + m.group(1), text)
    text = re.sub(r"\bHollywood\b", place, text)
    return FRAMES[frame].format(s=text)


def _candidates(sentences: Sequence[str], seed: int) -> Iterator[str]:
    """Every (sentence, lead-in) pair once, in a seeded order that mixes sentences."""
    pairs = [(i, f) for f in range(len(FRAMES)) for i in range(len(sentences))]
    random.Random(seed).shuffle(pairs)
    for variant, (index, frame) in enumerate(pairs):
        yield vary(sentences[index], frame, variant)


def build_corpus(paragraphs: int = 54, *, sample: Path = SAMPLE, seed: int = 20240322) -> Corpus:
    """``paragraphs`` paragraphs of 3–5 sentences, no (sentence, lead-in) pair twice."""
    pool = prose_sentences(sample)
    needed = sum(PARAGRAPH_LENGTHS[i % len(PARAGRAPH_LENGTHS)] for i in range(paragraphs))
    chosen = list(itertools.islice(_candidates(pool, seed), needed))
    if len(chosen) < needed:
        raise ValueError(f"only {len(chosen)} distinct sentences; {needed} needed")
    out, start = [], 0
    for i in range(paragraphs):
        length = PARAGRAPH_LENGTHS[i % len(PARAGRAPH_LENGTHS)]
        out.append(" ".join(chosen[start:start + length]))
        start += length
    return Corpus(tuple(out), tuple(chosen))
