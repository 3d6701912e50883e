"""What reviewers signed off, read from an output folder's review store: the sentences the
glossary's ``drift`` and ``suggest`` compare with the term base (read only)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.model.errors import InputError
from pipeline.store.db import NAME, ReviewStore

_PAGE = 200


@dataclass(frozen=True)
class Reviewed:
    """One reviewed or final sentence in one language, with the machine text it replaced
    (the latest a run made, None when there was none)."""

    slug: str
    lang: str
    sid: str
    source: str
    target: str
    machine: str | None


def reviewed_segments(out: Path) -> Iterator[Reviewed]:
    """Every signed-off sentence still in its article, article by article; an output folder
    without a review store is an InputError."""
    path = Path(out) / NAME
    if not path.is_file():
        raise InputError(f"no review store ({NAME}) here: run the pipeline into this folder "
                         "first", path=out)
    with ReviewStore.open(path) as store:
        offset = 0
        while True:
            total, page = store.summaries(offset, _PAGE)
            for summary in page:
                article = store.article_id(summary.slug)
                for lang in store.languages(article):
                    machine = store.machine_texts(article, lang)
                    for sid, kept in store.segments(article, lang).items():
                        if kept.present and kept.status.signed_off:
                            yield Reviewed(summary.slug, lang, sid, kept.source, kept.target,
                                           machine.get(sid))
            offset += _PAGE
            if offset >= total:
                return
