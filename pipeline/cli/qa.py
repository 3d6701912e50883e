"""``check`` and ``eval``: QA findings and MT scores for the pipeline's PO, XLIFF and JSONL files.

Register with ``cli.add_command(check)`` and ``cli.add_command(evaluate_command)``.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from pipeline.model.annotations import Severity
from pipeline.model.text import counted
from pipeline.qa.checks import CHECKS
from pipeline.qa.files import XLIFF_CODES

EXIT_FINDINGS = 1


@click.command("check")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when any error-severity finding is found.")
@click.option("--json", "as_json", is_flag=True, help="Print findings and summary as JSON.")
@click.option("--skip", multiple=True, type=click.Choice([*CHECKS, XLIFF_CODES]),
              help="Leave out a check (repeatable).")
@click.option("--from", "source_lang", default=None,
              help="Source language [PO X-Source-Language, XLIFF srcLang, or de].")
@click.option("--to", "target_lang", default=None,
              help="Target language [PO Language, XLIFF trgLang].")
@click.option("--glossary", "glossary_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Term base the glossary check compares the texts with "
                                 "[./glossary when it exists].")
@click.option("--no-glossary", is_flag=True, help="Check without the term base.")
def check(files, strict, as_json, skip, source_lang, target_lang, glossary_dir,
          no_glossary) -> None:
    """Run the QA checks on FILES (PO, XLIFF 2 or JSONL; an XLIFF 2 file's inline codes too);
    one line per finding.

    Glossary findings compare each current source and target with the term base, so a
    person's correction clears a warning and a deleted name raises one."""
    from pipeline.cli.run import default_glossary
    from pipeline.qa.files import check_file
    from pipeline.run.runner import load_glossary

    folder = None if no_glossary or "glossary" in skip else default_glossary(glossary_dir)
    glossary = load_glossary(folder)
    if folder is None and "glossary" not in skip and not no_glossary:
        click.echo("no term base (./glossary, or give --glossary DIR): glossary check skipped",
                   err=True)
    reports = [check_file(path, source_lang, target_lang, frozenset(skip), glossary)
               for path in files]
    findings = [f for report in reports for f in report.findings]
    checked = sum(report.checked for report in reports)
    errors = sum(f.finding.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    summary = {"files": len(files), "segments": checked, "errors": errors,
               "warnings": warnings, "glossary": str(folder) if folder is not None else None}
    if as_json:
        click.echo(json.dumps({"findings": [f.as_dict() for f in findings], "summary": summary},
                              ensure_ascii=False, indent=2))
    else:
        for f in findings:
            click.echo(f"{f.file}:{f.line}: {f.finding.severity}: {f.finding.check}: "
                       f"{f.finding.message} [{f.id}]")
        click.echo(f"{counted(checked, 'segment')} in {counted(len(files), 'file')}: "
                   f"{counted(errors, 'error')}, {counted(warnings, 'warning')}")
    if strict and errors:
        click.get_current_context().exit(EXIT_FINDINGS)


@click.command("eval")
@click.option("--hyp", "hyp_path", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Translations: PO, XLIFF 2, the pipeline's JSONL or plain text.")
@click.option("--ref", "ref_path", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="References: plain text (one per segment, in order) or PO/XLIFF/JSONL "
                   "(matched by segment id; a PO without msgctxt by its German msgid).")
@click.option("--json", "as_json", is_flag=True, help="Print scores, per segment too, as JSON.")
def evaluate_command(hyp_path, ref_path, as_json) -> None:
    """Score --hyp against --ref with sacrebleu (BLEU, chrF) and glossary term accuracy."""
    from pipeline.qa.evaluate import evaluate_files

    result = evaluate_files(hyp_path, ref_path)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"BLEU = {result['bleu']:.2f}  ({result['bleu_signature']})")
    click.echo(f"chrF2 = {result['chrf']:.2f}  ({result['chrf_signature']})")
    click.echo(f"segments scored: {result['segments']}")
    terms = result["glossary_terms"]
    click.echo("glossary term accuracy: " + (
        f"{terms['accuracy']:.1%} ({terms['correct']}/{terms['total']})" if terms
        else "n/a (no glossary decisions)"))
    if result["missing"]:
        click.echo(f"no reference for {counted(len(result['missing']), 'segment')}: "
                   f"{', '.join(result['missing'])}")
    if result["extra"]:
        click.echo(f"references not in the hypothesis: {', '.join(result['extra'])}")
