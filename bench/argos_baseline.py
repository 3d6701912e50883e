"""Variant (b): Argos Translate's own ``translate()``, called once per paragraph as users do.

Run as ``python bench/argos_baseline.py CONFIG.json``; prints one JSON line.

``argostranslate.translate`` imports stanza and minisbd at module level, and its sentence
splitters download models at run time, so it cannot run in this lean, offline install. The
smallest change that makes it run is made, and nothing else of Argos's path is touched;
REPLACED says exactly what, and run_bench.py copies it into the report.
"""

from __future__ import annotations

import json
import os
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPLACED = (
    "`stanza`, `minisbd` (with `minisbd.models`) are stand-in modules put into sys.modules "
    "before importing argostranslate.translate; `stanza.Pipeline` raises if called (unused: "
    "Argos picks MiniSBD for packages without a bundled splitter). `spacy` is set to None in "
    "sys.modules, so Argos sees it as not installed, as in a lean install.",
    "The sentence splitter: the stand-in `minisbd.SBDetect(lang).sentences(text)` is the "
    "pipeline's `pipeline.ingest.segment.sentence_spans` (SoMaJo + rules) instead of MiniSBD's "
    "downloaded ONNX model. Argos's `MiniSBDSentencizer` class, its tokenizer, its "
    "`translate_batch` call and its settings are Argos's own.",
    "The decoding cap: Argos's translate() has no max_decoding_length setting, so "
    "`ctranslate2.Translator` is replaced by a subclass whose `translate_batch` adds "
    "`max_decoding_length` (the same cap as the other variants) when the caller gave none; "
    "Argos calls `ctranslate2.Translator(...)` through the module, so it gets the subclass.",
    "Settings through Argos's environment variables: ARGOS_BEAM_SIZE, ARGOS_INTRA_THREADS, "
    "ARGOS_INTER_THREADS, ARGOS_COMPUTE_TYPE=int8, ARGOS_DEVICE_TYPE=cpu; ARGOS_BATCH_SIZE is "
    "left at Argos's default (32 tokens), since that is what a user gets.",
)
#: Languages the stand-in minisbd claims to have models for, so Argos does not fall back.
_SBD_LANGUAGES = ("de", "en", "fr", "es")


class PipelineSentenceSplitter:
    """Stand-in for ``minisbd.SBDetect``: same constructor and method, the pipeline's splitter."""

    def __init__(self, lang: str, use_gpu: bool = False) -> None:
        self.lang = lang

    def sentences(self, text: str) -> list[str]:
        from pipeline.ingest.segment import sentence_spans

        return [text[start:end] for start, end in sentence_spans(text)]


def _unavailable(*args: object, **kwargs: object) -> None:
    raise RuntimeError("stanza is a stand-in in this benchmark and must not be used")


def install_stand_ins() -> None:
    """Put stanza/minisbd stand-ins into sys.modules; must run before Argos is imported."""
    stanza = types.ModuleType("stanza")
    stanza.Pipeline = _unavailable  # type: ignore[attr-defined]
    models = types.ModuleType("minisbd.models")
    models.cache_dir = ""  # type: ignore[attr-defined]
    models.list_models = lambda: list(_SBD_LANGUAGES)  # type: ignore[attr-defined]
    minisbd = types.ModuleType("minisbd")
    minisbd.SBDetect = PipelineSentenceSplitter  # type: ignore[attr-defined]
    minisbd.models = models  # type: ignore[attr-defined]
    sys.modules.update({"stanza": stanza, "minisbd": minisbd, "minisbd.models": models})
    sys.modules["spacy"] = None  # type: ignore[assignment]  # import spacy → ImportError


class Stats:
    """What the capped translator saw: Argos gives no other hook into its decoding."""

    load_s = 0.0
    decode_s = 0.0
    calls = 0
    segments = 0
    source_tokens = 0
    target_tokens = 0


def install_decoding_cap(max_decoding_length: int) -> None:
    """Replace ctranslate2.Translator by a subclass that caps, times and counts decoding."""
    import ctranslate2

    base = ctranslate2.Translator

    class CappedTranslator(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            start = time.perf_counter()
            super().__init__(*args, **kwargs)
            Stats.load_s += time.perf_counter() - start

        def translate_batch(self, source, *args, **kwargs):  # noqa: ANN001, ANN201
            kwargs.setdefault("max_decoding_length", max_decoding_length)
            start = time.perf_counter()
            results = super().translate_batch(source, *args, **kwargs)
            Stats.decode_s += time.perf_counter() - start
            Stats.calls += 1
            Stats.segments += len(source)
            Stats.source_tokens += sum(len(s) for s in source)
            Stats.target_tokens += sum(len(r.hypotheses[0]) for r in results)
            return results

    ctranslate2.Translator = CappedTranslator


def configure(config: dict) -> None:
    """Argos reads its settings from the environment once, when argostranslate is imported."""
    os.environ.update({
        "ARGOS_PACKAGES_DIR": config["models_dir"],
        "ARGOS_DEVICE_TYPE": "cpu",
        "ARGOS_COMPUTE_TYPE": config["compute_type"],
        "ARGOS_BEAM_SIZE": str(config["beam_size"]),
        "ARGOS_INTRA_THREADS": str(config["intra_threads"]),
        "ARGOS_INTER_THREADS": str(config["inter_threads"]),
    })
    install_stand_ins()
    install_decoding_cap(config["max_decoding_length"])


def sentencizers(argos_translate: types.ModuleType) -> list[str]:
    """Which splitter classes Argos actually used, to prove the replacement took effect."""
    return sorted({type(t.cached_translation.underlying.sentencizer).__name__
                   for t in argos_translate.installed_translates})


def translate_paragraphs(config: dict) -> dict:
    """Every paragraph through argostranslate.translate.translate, timed as a whole."""
    configure(config)
    start = time.perf_counter()
    from argostranslate import translate as argos_translate
    import_s = time.perf_counter() - start

    text = Path(config["article"]).read_text(encoding="utf-8")
    paragraphs = [line for line in text.splitlines() if line.strip()]
    start = time.perf_counter()
    outputs = [argos_translate.translate(p, "de", config.get("target", "en")) for p in paragraphs]
    loop_s = time.perf_counter() - start
    return {
        "paragraphs": len(paragraphs),
        "segments": Stats.segments,
        "source_tokens": Stats.source_tokens,
        "target_tokens": Stats.target_tokens,
        "translate_batch_calls": Stats.calls,
        "import_s": import_s,
        "loop_s": loop_s,
        "load_s": Stats.load_s,
        "decode_s": Stats.decode_s,
        "translate_s": loop_s - Stats.load_s,
        "empty_outputs": sum(1 for o in outputs if not o.strip()),
        "sentencizers": sentencizers(argos_translate),
    }


def main() -> None:
    config = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    print(json.dumps(translate_paragraphs(config)))


if __name__ == "__main__":
    main()
