"""Synthetic Argos packages for the benchmark, built once and cached.

Decoding speed depends on the architecture, not on what the weights say, so packages with
seeded random weights and the shape of a real Argos model time like one (they never emit
</s>, hence the decoding cap every variant shares). The cache key covers the shape, the
training corpus and the recipe's source, so a changed recipe rebuilds instead of lying.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
PAIRS = (("de", "en"), ("en", "fr"), ("en", "es"))


@dataclass(frozen=True)
class ModelSpec:
    """A Transformer shape for build_argos_package."""

    name: str
    vocab_size: int
    d_model: int
    num_heads: int
    ffn_dim: int
    num_layers: tuple[int, int]
    quantization: str = "int8"
    pad_vocab: bool = True
    seed: int = 7

    def build_kwargs(self) -> dict:
        """Arguments for pipeline.testing.synthetic.build_argos_package."""
        kwargs = asdict(self)
        kwargs.pop("name")
        kwargs["num_layers"] = tuple(self.num_layers)
        return kwargs


#: What real Argos packages are: Transformer-base, 6+6 layers, 16k shared vocabulary, int8.
FULL = ModelSpec("transformer-base", 16000, 512, 8, 2048, (6, 6))
#: --quick: same code paths at a fraction of the cost, for a fast look.
QUICK = ModelSpec("small", 8000, 256, 4, 1024, (3, 3))
#: The smoke test: seconds, not minutes.
TINY = ModelSpec("tiny", 400, 64, 4, 128, (1, 1), pad_vocab=False)


def cache_key(spec: ModelSpec, corpus: Sequence[str]) -> str:
    """Shape + corpus + recipe source: anything that changes the bytes changes the key."""
    from pipeline.testing import synthetic

    digest = hashlib.sha256()
    digest.update(json.dumps(asdict(spec), sort_keys=True).encode())
    digest.update("\n".join(corpus).encode())
    digest.update(Path(synthetic.__file__).read_bytes())
    return digest.hexdigest()[:16]


def build_packages(spec: ModelSpec, corpus: Sequence[str], cache: Path = CACHE) -> list[Path]:
    """The three .argosmodel files (de→en, en→fr, en→es), built only when not cached."""
    from pipeline.testing.synthetic import build_argos_package, package_name

    folder = cache / f"{spec.name}-{cache_key(spec, corpus)}"
    for stale in cache.glob(f"{spec.name}-*"):  # an older recipe or corpus: 180 MB each
        if stale != folder and stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    files = []
    for source, target in PAIRS:
        file = folder / f"{package_name(source, target, '1.0')}.argosmodel"
        if not file.is_file():
            build_argos_package(folder, from_code=source, to_code=target, corpus=corpus,
                                **spec.build_kwargs())
        files.append(file)
    return files


def install_packages(files: Sequence[Path], models_dir: Path) -> Path:
    """Install through the pipeline's own checked install path, as a user would."""
    from pipeline.mt.packages import install_file

    for file in files:
        install_file(file, models_dir)
    return models_dir
