"""The find-or-skip rule for system tools (tests/tools.py): variable, PATH, skip, CI fails."""

from __future__ import annotations

import stat

import pytest

from . import tools


@pytest.fixture(autouse=True)
def fresh_lookup():
    """Each case looks the tool up again; the session's cached answer is restored after."""
    tools.find.cache_clear()
    yield
    tools.find.cache_clear()


@pytest.fixture
def fake_msgfmt(tmp_path):
    program = tmp_path / "bin" / "msgfmt"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def test_variable_wins_over_path(monkeypatch, fake_msgfmt):
    monkeypatch.setenv("PIPELINE_MSGFMT", str(fake_msgfmt))
    assert tools.require("msgfmt") == str(fake_msgfmt)


def test_path_is_searched(monkeypatch, fake_msgfmt):
    monkeypatch.delenv("PIPELINE_MSGFMT", raising=False)
    monkeypatch.setenv("PATH", str(fake_msgfmt.parent))
    assert tools.find("msgfmt") == str(fake_msgfmt)


@pytest.mark.parametrize("ci", ["", "false"])
def test_none_skips_with_how_to_get_it(monkeypatch, ci):
    monkeypatch.setenv("PIPELINE_MSGFMT", "none")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="apt-get install gettext"):
        tools.require("msgfmt")


def test_absent_from_path_skips(monkeypatch, tmp_path):
    monkeypatch.delenv("PIPELINE_CHROMIUM", raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(tools, "TOOLS", {**tools.TOOLS, "chromium": tools.Tool(
        "chromium", "PIPELINE_CHROMIUM", ("chromium", str(tmp_path / "nowhere")), "apt")})
    with pytest.raises(pytest.skip.Exception, match="chromium not found"):
        tools.require("chromium")


def test_absent_fails_under_ci(monkeypatch):
    monkeypatch.setenv("PIPELINE_MSGFMT", "none")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true: msgfmt not found"):
        tools.require("msgfmt")


@pytest.mark.parametrize("value", ["/no/such/msgfmt", "no-such-program-anywhere"])
def test_set_but_wrong_is_an_error_not_a_skip(monkeypatch, value):
    monkeypatch.setenv("PIPELINE_MSGFMT", value)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.fail.Exception, match="is not an executable"):
        tools.require("msgfmt")


def test_a_file_that_is_not_executable_is_wrong(monkeypatch, tmp_path):
    plain = tmp_path / "msgfmt"
    plain.write_text("not a program")
    monkeypatch.setenv("PIPELINE_MSGFMT", str(plain))
    with pytest.raises(pytest.fail.Exception, match="is not an executable"):
        tools.require("msgfmt")
