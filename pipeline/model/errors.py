"""One exception family, so the CLI can turn every expected failure into one clean line."""

from __future__ import annotations


class PipelineError(Exception):
    """Base of every error the pipeline expects; ``str()`` is the one line shown to users."""

    def __init__(self, message: str, *, path: object = None, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}"
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return f"{where}{self.message}"


class InputError(PipelineError):
    """An article or other input file cannot be read or parsed."""


class LanguageError(PipelineError):
    """A language code is unknown or a language pair is not supported."""


class ModelError(PipelineError):
    """A translation package is missing, broken or cannot be installed."""


class OfflineError(ModelError):
    """The package index or a download could not be reached."""


class OutputError(PipelineError):
    """An output file could not be written."""


class GlossaryError(PipelineError):
    """The term base has an error (a bad row, a conflict, a bad language code)."""


class OptionError(PipelineError):
    """A setting has a value the pipeline does not know (from Python or a config)."""


class ExecutorError(PipelineError):
    """The cluster a run was sent to cannot be reached, or lost work beyond its retries."""
