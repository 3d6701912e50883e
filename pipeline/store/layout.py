"""Where a run's outputs live, so the writer, the previous-state reader, ``import`` and the
tests agree on the layout."""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.model.errors import OptionError


@dataclass(frozen=True)
class Paths:
    """Where one article's outputs for one language go."""

    po: Path
    markdown: Path
    jsonl: Path
    xliff: Path
    terms: Path
    #: the translated page, for an article read from HTML
    html: Path
    #: XLIFF 1.2 (``--xliff 1.2|both``): beside the 2.1 file, ``.xliff12.xlf`` (slugs
    #: never hold a dot, so no other article's file can have this name)
    xliff12: Path


#: What ``--xliff`` takes; a folder's choice is remembered, and a file there is kept current.
XLIFF_CHOICES = ("2.1", "1.2", "both")


def distinct(slug: str, taken: Container[str]) -> str:
    """``slug``, else the first of ``slug-2``, ``slug-3`` … that is not ``taken``: the name an
    article gets when another one already writes under its own."""
    chosen, number = slug, 1
    while chosen in taken:
        number += 1
        chosen = f"{slug}-{number}"
    return chosen


def paths(out_dir: Path, lang: str, slug: str) -> Paths:
    """``<out>/<lang>/LC_MESSAGES/<slug>.po``,
    ``<out>/<lang>/<slug>.{md,jsonl,xlf,terms.md,html,xliff12.xlf}``."""
    folder = Path(out_dir) / lang
    return Paths(folder / "LC_MESSAGES" / f"{slug}.po", folder / f"{slug}.md",
                 folder / f"{slug}.jsonl", folder / f"{slug}.xlf", folder / f"{slug}.terms.md",
                 folder / f"{slug}.html", folder / f"{slug}.xliff12.xlf")


def xliff_versions(choice: str, name: str = "xliff") -> tuple[str, ...]:
    """The XLIFF versions ``choice`` (``2.1``, ``1.2``, ``both``) asks for; OptionError
    naming ``name`` (the option as the user typed it) for anything else."""
    if choice not in XLIFF_CHOICES:
        raise OptionError(f"{name} must be one of {', '.join(XLIFF_CHOICES)}, not {choice!r}")
    return ("2.1", "1.2") if choice == "both" else (choice,)


def review_path(out_dir: Path, slug: str) -> Path:
    """``<out>/review/<slug>.html``: all languages of an article side by side."""
    return Path(out_dir) / "review" / f"{slug}.html"


def check_memory_path(memory: Path, out_dir: Path, langs: Iterable[str]) -> None:
    """The memory must not be one of the run's outputs (they are rewritten on every run):
    it may not live in a language folder or the review folder of ``out_dir``."""
    from pipeline.model.errors import OutputError

    where = Path(memory).resolve()
    if Path(out_dir).resolve().is_relative_to(where):
        raise OutputError(f"is the output folder {out_dir} or holds it; give the translation "
                          "memory a file of its own (--memory)", path=memory)
    for folder in [*(Path(out_dir) / lang for lang in langs), Path(out_dir) / "review"]:
        if where.is_relative_to(folder.resolve()):
            raise OutputError(f"is inside {folder}, where the run writes its outputs; give the "
                              "translation memory a file of its own (--memory)", path=memory)
