"""``run``: the main job, a thin layer over :mod:`pipeline.run`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.cli.models import models_option

if TYPE_CHECKING:
    from pipeline.run.write import OutputSet


def default_glossary(given: Path | None) -> Path | None:
    """The folder given, else ./glossary when there is one (the project's term base)."""
    if given is not None:
        return given
    default = Path("glossary")
    return default if default.is_dir() and any(default.glob("*.tsv")) else None


def _split_langs(value: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in value.split(",") if code.strip())


@click.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "targets", required=True, help="Target languages, comma-separated: en,fr,es")
@click.option("--from", "source", default="de", show_default=True, help="Source language.")
@click.option("--out", "out_dir", default=Path("locales"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Output root.")
@click.option("--engine", "engine_name", default="argos", show_default=True,
              type=click.Choice(["argos", "pseudo"]), help="Translation engine.")
@models_option
@click.option("--tweets", type=click.Choice(["translate", "keep"]), default="translate",
              show_default=True, help="Translate embedded tweets or keep them verbatim.")
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default="cpu",
              show_default=True, help="Where CTranslate2 runs.")
@click.option("--compute-type", default="int8", show_default=True,
              type=click.Choice(["int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16",
                                 "float16", "bfloat16", "float32", "default", "auto"]),
              help="CTranslate2 compute type.")
@click.option("--threads", type=click.IntRange(0), default=0, show_default=True,
              help="CPU threads per translation (0: the cores --jobs leaves; with --jobs 1, "
                   "CTranslate2 decides).")
@click.option("--jobs", type=click.IntRange(1), default=1, show_default=True,
              help="Processes reading, segmenting and checking beside the engine (they share "
                   "the cores with --threads).")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local",
              show_default=True,
              help="Where stages and engine run: here (with --jobs), or on a Ray cluster.")
@click.option("--ray-address", default=None,
              help="The Ray cluster to join (auto, ray://HOST:PORT) [a local instance].")
@click.option("--ray-actors", type=click.IntRange(1), default=1, show_default=True,
              help="Ray actors holding the models; each reserves --threads CPUs (default 1).")
@click.option("--beam-size", type=click.IntRange(1), default=4, show_default=True)
@click.option("--max-length", type=click.IntRange(1), default=256, show_default=True,
              help="Longest output in tokens.")
@click.option("--max-size", type=click.FloatRange(min=0, min_open=True), default=2.0,
              show_default=True, help="Largest article accepted, in MB.")
@click.option("--memory", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Translation memory file [OUT/memory.sqlite].")
@click.option("--glossary", "glossary_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Term base folder [./glossary when it exists].")
@click.option("--no-glossary", is_flag=True, help="Translate without the term base.")
@click.option("--term-strategy", type=click.Choice(["n-best", "dnt-only", "placeholder", "none"]),
              default="n-best", show_default=True,
              help="What the glossary does around MT: n-best masks names and takes the "
                   "hypothesis that renders the most terms; dnt-only masks names; placeholder "
                   "masks every term; none masks nothing (all terms are checked after).")
@click.option("--n-best", "n_best", type=click.IntRange(1), default=4, show_default=True,
              help="Hypotheses n-best chooses among (the beam is widened to at least this).")
@click.option("--fuzzy-threshold", type=click.FloatRange(0, 100), default=75.0,
              show_default=True, help="Lowest similarity (0-100) of a memory suggestion.")
@click.option("--retranslate", is_flag=True,
              help="Machine-translate again what is not reviewed (e.g. after a model upgrade).")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder article names are kept relative to [recorded at the first run: "
                   "the current folder].")
@click.option("--xliff", default=None, metavar="2.1|1.2|both",
              help="XLIFF version(s) to write: 1.2 is <slug>.xliff12.xlf beside the 2.1 "
                   "<slug>.xlf [the output folder's last choice; 2.1 for a new one].")
@click.option("--no-wait", is_flag=True,
              help="Fail at once when another process holds the output folder's lock.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report of what was written.")
def run(articles, targets, source, out_dir, engine_name, models_dir, tweets, device,
        compute_type, threads, jobs, executor, ray_address, ray_actors, beam_size, max_length,
        max_size, glossary_dir, no_glossary, term_strategy, n_best, fuzzy_threshold, memory,
        retranslate, root, xliff, no_wait, quiet, as_json) -> None:
    """Translate ARTICLES (text, Markdown or HTML) into every --to language.

    Articles go through in shards; each is written as soon as it is finished, and an article
    the output folder holds complete for this very run is left alone, so a killed run,
    started again, continues where it stopped.
    """
    from pipeline.api import translate_articles, write_each
    from pipeline.model import languages
    from pipeline.mt.argos import DecodeOptions
    from pipeline.mt.engine import load_engine
    from pipeline.mt.packages import default_models_dir
    from pipeline.run.pool import engine_threads
    from pipeline.store.layout import xliff_versions
    from pipeline.store.review import ReviewState

    if xliff is not None:  # one line and exit 1 before a model loads (click's choice: 2)
        xliff_versions(xliff, "--xliff")
    quiet = quiet or as_json
    if engine_name == "argos":
        options = DecodeOptions(device=device, compute_type=compute_type,
                                intra_threads=(threads or 1) if executor == "ray"
                                else engine_threads(jobs, threads),
                                beam_size=beam_size, max_decoding_length=max_length)
        engine = load_engine("argos", models_dir=models_dir or default_models_dir(),
                             options=options, quiet=quiet)
    else:
        engine = load_engine(engine_name, quiet=quiet)
    memory_path = memory or out_dir / "memory.sqlite"
    max_bytes = int(max_size * 1024 * 1024)
    state = ReviewState.for_articles(out_dir, max_bytes, root=root, wait=not no_wait,
                                     say=lambda line: click.echo(line, err=True), xliff=xliff)
    translated = translate_articles(
        articles, targets=_split_langs(targets), source=source, engine=engine,
        glossary=None if no_glossary else default_glossary(glossary_dir), memory=memory_path,
        previous=state, tweets=tweets, retranslate=retranslate, term_strategy=term_strategy,
        n_best=n_best,
        fuzzy_threshold=fuzzy_threshold, max_bytes=max_bytes, quiet=True, jobs=jobs,
        executor=executor, ray_address=ray_address, ray_actors=ray_actors,
        skip_complete=True)
    written = write_each(translated, out_dir, memory=memory_path, state=state,
                         langs=[languages.gettext(t) for t in _split_langs(targets)])
    report = _Report(len(articles), quiet=quiet, as_json=as_json)
    try:
        for result in written:
            report.add(result)
    finally:
        report.close()


class _Report:
    """What a run says as it goes: progress bars over the articles and segments written
    (on a terminal: stderr), the lines or the JSON report of what was written (stdout),
    warnings (stderr)."""

    def __init__(self, articles: int, *, quiet: bool, as_json: bool) -> None:
        import sys

        from tqdm import tqdm

        self.quiet, self.as_json = quiet, as_json
        bars = quiet or not sys.stderr.isatty()
        self.articles = tqdm(total=articles, desc="articles", unit="art", disable=bars)
        self.segments = tqdm(desc="segments", unit="seg", disable=bars)
        self.current: str | None = None
        self.review: Path | None = None
        self.skipped = 0
        self.entries = 0
        self.warned = False
        if as_json:
            click.echo("[", nl=False)

    def add(self, r: OutputSet) -> None:
        """One article in one language, as it was written (or left alone)."""
        if r.article != self.current:
            self._article_done()
            self.current, self.review = r.article, r.review
            self.articles.update(1)
            self.skipped += r.skipped
        self.segments.update(r.segments)
        if r.test_models and not self.warned:
            from pipeline.mt.engine import TEST_WARNING

            self._say(f"warning: {TEST_WARNING}", err=True)
            self.warned = True
        if r.kept_for_person:  # a warning, even with --quiet
            self._say(f"warning: {r.kept_for_person} segments of {r.article} ({r.lang}) were "
                      "changed by a person during this run: their text was kept, the "
                      "machine's is a suggestion", err=True)
        if self.as_json:
            entry = json.dumps(_entry(r), ensure_ascii=False, indent=2)
            click.echo(("," if self.entries else "") + "\n" + _indent(entry), nl=False)
            self.entries += 1
        elif not self.quiet:
            origins = ", ".join(f"{n} {k}" for k, n in sorted(r.counts.items()))
            state = "complete: left as it was; " if r.skipped else ""
            self._say(f"{r.lang}: {r.paths.po} ({r.segments} segments: {origins}; {state}"
                      f"{r.translated_now} machine-translated now; {r.errors} QA errors)")

    def _article_done(self) -> None:
        if self.review is not None and not self.quiet and not self.as_json:
            self._say(f"review: {self.review}")

    def _say(self, line: str, *, err: bool = False) -> None:
        self.articles.clear()
        self.segments.clear()
        click.echo(line, err=err)
        self.articles.refresh()
        self.segments.refresh()

    def close(self) -> None:
        self._article_done()
        self.articles.close()
        self.segments.close()
        if self.as_json:
            click.echo("\n]" if self.entries else "]")
        elif self.skipped and not self.quiet:
            click.echo(f"{self.skipped} articles were complete for this run: left as they were",
                       err=True)


def _entry(r: OutputSet) -> dict[str, object]:
    return {"article": r.article, "lang": r.lang, "po": str(r.paths.po),
            "markdown": str(r.paths.markdown), "jsonl": str(r.paths.jsonl),
            "xliff": _written(r.paths.xliff), "xliff12": _written(r.paths.xliff12),
            "review": str(r.review), "segments": r.segments, "origins": r.counts,
            "translated_now": r.translated_now, "repairs": r.repairs, "qa_errors": r.errors,
            "terms": r.terms, "test_models": r.test_models,
            "kept_for_person": r.kept_for_person, "skipped": r.skipped}


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _written(path: Path) -> str | None:
    """The path of an XLIFF file the run keeps (None: that version is not written here)."""
    return str(path) if path.is_file() else None
