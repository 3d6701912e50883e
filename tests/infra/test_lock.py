"""The folder lock: exclusive, refused at once with wait=False, released when its holder dies
(even by SIGKILL: the kernel drops a flock with its last file descriptor)."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from pipeline.infra.lock import LOCK_NAME, hold
from pipeline.model.errors import OutputError

HOLDER = ("import sys, time\nfrom pipeline.infra.lock import hold\n"
          "with hold(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(600)\n")


def test_a_held_lock_is_refused_then_released_by_a_kill(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(OutputError, match=f"in use by another process \\(pid {holder.pid}\\)"):
            with hold(tmp_path, wait=False):
                pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    said = []
    with hold(tmp_path, wait=True, say=said.append):
        assert (tmp_path / LOCK_NAME).read_text().strip().isdigit()
    assert said == []  # free at once: nobody waited


def test_an_unusable_folder_is_one_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot lock"):
        with hold(blocker / "sub"):
            pass
