"""``executor="ray"`` on a local Ray instance (2 CPUs, no dashboard, no usage stats, loopback
only): the bytes of the local executor, with one job and with two, on the pseudo engine and
on real Argos packages; the pipeline's own errors as themselves; an actor SIGKILLed while it
translates is replaced and the run completes with the same bytes."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from pipeline import translate_articles, write_results
from pipeline.model.errors import InputError, OptionError
from pipeline.testing.fake_engine import FakeEngine

from ..conftest import MAX_LENGTH, SAMPLE
from .test_archive import _memory, _outputs, _run, articles, written_before_failure  # noqa: F401 - a fixture


@pytest.fixture(scope="module")
def ray_local():
    """One local Ray instance for the module; Ray is a locked test dependency, so its
    absence fails under CI=true."""
    try:
        import ray
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true: Ray is not installed (pip install -e '.[test,ray]')")
        pytest.skip("Ray is not installed (pip install -e '.[test,ray]')")
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1",
             log_to_driver=False, configure_logging=False)
    try:
        yield ray
    finally:
        ray.shutdown()


def test_ray_gives_the_bytes_of_one_job_and_of_two(ray_local, articles, tmp_path):  # noqa: F811
    outs = {}
    for name, options in {"one": {}, "two": {"jobs": 2}, "ray": {"executor": "ray"}}.items():
        out = tmp_path / name
        _memory(out / "memory.sqlite")
        _run(articles, out, batch_size=3, **options)
        outs[name] = _outputs(out)
    assert outs["ray"] == outs["one"] == outs["two"]
    assert len(outs["ray"]) >= len(articles) * 9  # every file of every article and language
    assert "A person's English." in outs["ray"]["en/LC_MESSAGES/sora-hollywood.po"].decode()
    assert ray_local.is_initialized()  # a run leaves a cluster it joined running


def test_ray_runs_real_argos_packages_with_the_same_bytes(ray_local, models_dir, tmp_path):
    from pipeline.mt.argos import ArgosEngine, DecodeOptions

    outs = {}
    for name, options in {"local": {}, "ray": {"executor": "ray"}}.items():
        engine = ArgosEngine(models_dir, DecodeOptions(max_decoding_length=MAX_LENGTH,
                                                       intra_threads=1), quiet=True)
        out = tmp_path / name
        write_results(translate_articles([SAMPLE], targets=["en", "fr"], engine=engine,
                                         previous=out, **options), out)
        outs[name] = _outputs(out)
        # the driver loads no model with Ray: the actor does, from its own models folder
        assert bool(engine.decoded_pairs) == (name == "local")
    assert outs["ray"] == outs["local"]
    assert any(name.startswith("fr/") for name in outs["ray"])  # through English


def test_errors_come_back_as_the_pipelines_own(ray_local, tmp_path):
    empty = tmp_path / "empty.txt"  # read by the driver
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"  # read by the driver, found binary by a Ray task
    binary.write_bytes(b"x\0y\0\x01")
    for bad, message in ((empty, "file is empty"), (binary, "binary file")):
        with pytest.raises(InputError, match=message) as caught:
            list(translate_articles([SAMPLE, bad], targets=["en"], engine="pseudo",
                                    executor="ray"))
        assert caught.value.path == bad


def test_the_shards_before_an_unreadable_article_are_written(ray_local, articles,  # noqa: F811
                                                              tmp_path):
    written = written_before_failure(articles, tmp_path, executor="ray")
    assert written == [p.stem for p in articles[3:7]]


def test_a_cluster_that_cannot_run_it_says_so(ray_local):
    import threading

    with pytest.raises(OptionError, match="leave none for the other stages"):
        list(translate_articles([SAMPLE], targets=["en"], engine="pseudo", executor="ray",
                                ray_actors=2))  # two actors take both CPUs
    engine = FakeEngine()
    engine.guard = threading.Lock()  # type: ignore[attr-defined] - not picklable
    with pytest.raises(OptionError, match="cannot be pickled"):
        list(translate_articles([SAMPLE], targets=["en"], engine=engine, executor="ray"))
    assert ray_local.is_initialized()


def test_an_actor_killed_mid_translation_is_replaced_and_the_run_completes(
        ray_local, articles, tmp_path):  # noqa: F811
    expected = tmp_path / "local"
    _run(articles, expected, engine=FakeEngine(), batch_size=3)

    pids = tmp_path / "pids"
    engine = FakeEngine(delay=0.5, announce=str(pids))
    out = tmp_path / "ray"
    failure: list[BaseException] = []

    def run() -> None:
        try:
            _run(articles, out, engine=engine, batch_size=3, executor="ray")
        except BaseException as exc:  # noqa: BLE001 - the test thread reports it
            failure.append(exc)

    runner = threading.Thread(target=run)
    runner.start()
    deadline = time.monotonic() + 120
    while not (pids.exists() and pids.read_text()) and time.monotonic() < deadline:
        time.sleep(0.02)
    first = int(pids.read_text().split()[0])
    os.kill(first, signal.SIGKILL)  # mid-call: the actor sleeps inside translate
    runner.join(timeout=300)
    assert not runner.is_alive() and not failure, failure
    served = {int(pid) for pid in pids.read_text().split()}
    assert first in served and len(served) >= 2  # a new actor process took over
    assert _outputs(out) == _outputs(expected)


def test_the_cli_starts_its_own_local_instance(ray_local, tmp_path):
    """``run --executor ray`` in a process of its own: it starts a local instance (loopback,
    no dashboard, no usage stats), writes what the local executor writes, and stops it."""
    import json
    import subprocess
    import sys

    outs = {}
    for name, extra in {"ray": ["--executor", "ray"], "local": []}.items():
        out = tmp_path / name
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", "run", str(SAMPLE), "--to", "en,fr",
             "--engine", "pseudo", "--out", str(out), "--json", *extra],
            capture_output=True, text=True, timeout=300,
            env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"})
        assert done.returncode == 0, done.stderr
        assert {r["lang"] for r in json.loads(done.stdout)} == {"en", "fr"}  # stdout is JSON
        outs[name] = _outputs(out)
    assert outs["ray"] == outs["local"] and outs["ray"]
    assert "sora-hollywood.md" in "".join(outs["ray"])
