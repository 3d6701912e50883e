"""``glossary drift`` and reviewers' renderings in ``suggest``: an output folder made by a run
(pseudo engine), a reviewer's edit of the PO file, and a second run that stores it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.glossary import load_glossary
from pipeline.glossary.drift import find_drift, rendering_of
from pipeline.glossary.termbase import FIXED_COLUMNS, TAIL_COLUMNS
from pipeline.model.errors import InputError
from pipeline.mt.pseudo import PseudoEngine
from pipeline.run.runner import RunOptions, run
from pipeline.store.reviewed import reviewed_segments

from ..helpers import edit_po

HEADER = "\t".join([*FIXED_COLUMNS, "en", "fr", "es", *TAIL_COLUMNS])
STRIKE = "Der Streik in Hollywood dauert an."
FESTIVAL = "Das Filmfestival zeigt einen Film über den Streik."


@pytest.fixture(scope="module")
def reviewed_out(tmp_path_factory):
    """A glossary (Streik → strike / grève), an article, a run that puts the terms in
    (placeholder strategy), then a reviewer who writes 'walkout' and signs off."""
    root = tmp_path_factory.mktemp("drift")
    glossary = root / "glossary"
    glossary.mkdir()
    (glossary / "film.tsv").write_text("\n".join([
        HEADER,
        "hollywood\tHollywood\t\tname\texact\tyes\tHollywood\tHollywood\tHollywood\t\t",
        "streik\tStreik\t\tnoun\tany\tno\tstrike\tgrève\thuelga\ten=stoppage\t"]) + "\n",
        encoding="utf-8")
    article = root / "streik.txt"
    article.write_text(f"{STRIKE}\n\n{FESTIVAL}\n", encoding="utf-8")
    options = RunOptions(targets=("en", "fr"), out_dir=root / "out", quiet=True,
                         glossary=glossary, term_strategy="placeholder")
    [en, fr] = run([article], options, PseudoEngine(quiet=True))
    edit_po(en.paths.po, STRIKE, "The walkout in Hollywood goes on.")
    edit_po(en.paths.po, FESTIVAL, "The film festival shows a film about the stoppage.")
    edit_po(fr.paths.po, STRIKE, "La grève à Hollywood continue.")
    run([article], options, PseudoEngine(quiet=True))
    return glossary, root / "out"


def test_the_store_gives_the_signed_off_sentences(reviewed_out):
    _, out = reviewed_out
    found = sorted((r.lang, r.target) for r in reviewed_segments(out))
    assert found == [("en", "The film festival shows a film about the stoppage."),
                     ("en", "The walkout in Hollywood goes on."),
                     ("fr", "La grève à Hollywood continue.")]
    machine = next(r.machine for r in reviewed_segments(out) if r.target.startswith("The walk"))
    assert machine is not None and "strike" in machine
    with pytest.raises(InputError, match="no review store"):
        list(reviewed_segments(out / "en"))


def test_drift_finds_the_reviewers_renderings(reviewed_out):
    glossary, out = reviewed_out
    drift = find_drift(load_glossary(glossary), reviewed_segments(out))
    assert [(d.concept, d.lang, d.target, d.rendering, d.count) for d in drift] == [
        ("streik", "en", "strike", "stoppage", 1),  # a known wrong rendering (avoid)
        ("streik", "en", "strike", "walkout", 1)]  # a reviewer disagreeing, or a variant
    assert drift[1].places[0][0] == "streik"


def test_drift_command_text_and_json(reviewed_out):
    glossary, out = reviewed_out
    base = ["glossary", "--dir", str(glossary), "drift", "--out", str(out)]
    result = CliRunner().invoke(cli, base)
    assert result.exit_code == 0, result.output
    assert "streik en: term base 'strike', reviewers 'walkout' ×1 (streik s" in result.stdout
    assert "2 concept rendering(s) differ" in result.stderr
    data = json.loads(CliRunner().invoke(cli, [*base, "--json"]).stdout)
    assert {d["rendering"] for d in data} == {"walkout", "stoppage"}
    assert data[1]["places"][0]["reviewed"] == "The walkout in Hollywood goes on."
    missing = CliRunner().invoke(cli, [*base[:-1], str(out / "nothing")])
    assert missing.exit_code == 1 and "no review store" in missing.stderr


def test_suggest_shows_what_reviewers_used(reviewed_out, tmp_path):
    glossary, out = reviewed_out
    article = tmp_path / "neu.txt"
    article.write_text("Das Filmfestival beginnt. Jedes Filmfestival braucht Filme.\n",
                       encoding="utf-8")
    result = CliRunner().invoke(cli, ["glossary", "--dir", str(glossary), "--dict-dir",
                                      str(glossary.parent.parent / "none"), "suggest",
                                      str(article), "--out", str(out)])
    assert result.exit_code == 1 and "no such dictionary folder" in result.stderr
    from ..cli.test_glossary_work import FIXTURES, rows_of

    result = CliRunner().invoke(cli, ["glossary", "--dir", str(glossary), "--dict-dir",
                                      str(FIXTURES), "suggest", str(article), "--out",
                                      str(out)])
    assert result.exit_code == 0, result.output
    row = rows_of(result.stdout)["Filmfestival"]
    assert row["reviewed"] == "en: film festival 1/1"


@pytest.mark.parametrize(("machine", "reviewed", "rendering"), [
    ("The strike goes on.", "The walkout goes on.", "walkout"),
    ("The strikes go on.", "The labour disputes go on.", "labour disputes"),
    ("The strike goes on.", "It goes on.", "It"),
    ("Nothing here.", "The walkout goes on.", ""),
    (None, "The walkout goes on.", ""),
])
def test_rendering_of(machine, reviewed, rendering):
    assert rendering_of("strike", "en", machine, reviewed) == rendering
