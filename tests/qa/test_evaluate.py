"""Evaluation: scores equal sacrebleu's command line; files align by order or by segment id."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.cli.qa import check, evaluate_command
from pipeline.model.errors import InputError
from pipeline.qa.evaluate import align_by_id, evaluate, evaluate_files, glossary_accuracy

from ..conftest import ROOT

pytest.importorskip("sacrebleu")

if "check" not in cli.commands:
    cli.add_command(check)
if "eval" not in cli.commands:
    cli.add_command(evaluate_command)

DATA = ROOT / "tests" / "data" / "eval"
HYP, REF = DATA / "hyp.en.txt", DATA / "ref.en.txt"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _sacrebleu(*args: str) -> str:
    """sacrebleu's own command line on the fixture pair."""
    command = [sys.executable, "-m", "sacrebleu", str(REF), "-i", str(HYP), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def scores() -> dict:
    return evaluate(_lines(HYP), _lines(REF))


def test_fixture_is_a_real_test_set() -> None:
    assert len(_lines(HYP)) == len(_lines(REF)) == len(_lines(DATA / "src.de.txt")) >= 8


def test_corpus_scores_equal_sacrebleu_cli(scores: dict) -> None:
    bleu, chrf = json.loads(_sacrebleu("-m", "bleu", "chrf", "-b", "-w", "4"))
    assert f"{scores['bleu']:.4f}" == f"{bleu:.4f}"
    assert f"{scores['chrf']:.4f}" == f"{chrf:.4f}"
    printed = json.loads(_sacrebleu("-m", "bleu", "chrf", "-b"))  # as sacrebleu shows them
    assert [f"{v:.1f}" for v in printed] == [f"{scores[m]:.1f}" for m in ("bleu", "chrf")]


@pytest.mark.parametrize("metric", ["bleu", "chrf"])
def test_sentence_scores_equal_sacrebleu_cli(scores: dict, metric: str) -> None:
    printed = _sacrebleu("-m", metric, "-sl", "-b", "-w", "4").split()
    assert printed == [f"{s[metric]:.4f}" for s in scores["per_segment"]]


def test_signatures_match_sacrebleu_cli(scores: dict) -> None:
    reports = json.loads(_sacrebleu("-m", "bleu", "chrf", "--format", "json"))
    assert [r["signature"] for r in reports] == [scores["bleu_signature"],
                                                 scores["chrf_signature"]]


def test_evaluate_rejects_unaligned_input() -> None:
    with pytest.raises(InputError):
        evaluate(["a"], ["a", "b"])
    with pytest.raises(InputError):
        evaluate([], [])


def test_eval_command_plain_text(scores: dict) -> None:
    result = CliRunner().invoke(cli, ["eval", "--hyp", str(HYP), "--ref", str(REF), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["bleu"] == pytest.approx(scores["bleu"])
    assert data["segments"] == 10 and data["missing"] == [] and data["glossary_accuracy"] is None
    text = CliRunner().invoke(cli, ["eval", "--hyp", str(HYP), "--ref", str(REF)]).output
    assert f"BLEU = {scores['bleu']:.2f}" in text and "n/a" in text


def test_eval_aligns_by_id_and_reports_missing_ids() -> None:
    result = evaluate_files(DATA / "hyp.en.po", DATA / "ref.en.xlf")
    assert result["segments"] == 3
    assert result["missing"] == ["s6fff1c90ee"] and result["extra"] == ["s0000000000"]
    assert [s["id"] for s in result["per_segment"]] == [
        "s2dd7dc25a2", "s0bcaa0843b", "s963ab569e0"]
    assert result["glossary_accuracy"] == pytest.approx(0.75)
    assert result["glossary_terms"] == {"accuracy": 0.75, "correct": 3, "total": 4}
    text = CliRunner().invoke(cli, ["eval", "--hyp", str(DATA / "hyp.en.po"),
                                    "--ref", str(DATA / "ref.en.xlf")]).output
    assert "no reference for 1 segment: s6fff1c90ee" in text
    assert "75.0% (3/4)" in text


def test_eval_jsonl_hypothesis_with_text_reference(tmp_path: Path, scores: dict) -> None:
    hyp = tmp_path / "article.jsonl"
    records = [{"id": f"s{n}", "source": "", "target": line,
                "notes": ["glossary: ai (flagged)"] if n == 0 else []}
               for n, line in enumerate(_lines(HYP))]
    hyp.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = evaluate_files(hyp, REF)
    assert result["bleu"] == pytest.approx(scores["bleu"])
    assert result["glossary_accuracy"] == 0.0


def test_eval_line_count_mismatch_is_one_clean_error(tmp_path: Path) -> None:
    short = tmp_path / "ref.txt"
    short.write_text("One line.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--hyp", str(HYP), "--ref", str(short)])
    assert result.exit_code == 1 and "must align one to one" in result.output


def test_align_by_id_skips_empty_references() -> None:
    aligned = align_by_id([("a", "x"), ("b", "y")], [("a", "X"), ("b", " ")])
    assert (aligned.ids, aligned.missing) == (["a"], ["b"])


def test_glossary_accuracy_is_none_without_decisions() -> None:
    assert glossary_accuracy([["paragraph, block 1"], []]) is None
