"""The project's one exception family.

Every error the library raises on purpose derives from :class:`CQCExtractError`. Each class also
derives from the builtin that fits, so callers that catch ``ValueError`` or ``RuntimeError`` keep
working. Errors name the input they concern (``source_id``) so a batch can log them per input.
"""

from __future__ import annotations

__all__ = [
    "CQCExtractError",
    "InputError",
    "EmptyInput",
    "BinaryInput",
    "UnreadablePDF",
    "NotACQCReport",
    "UnsupportedReportFamily",
    "TaxonomyError",
    "ModelNotInstalled",
]


class CQCExtractError(Exception):
    """Base class of every error raised by cqc-extract."""

    def __init__(self, message: str, *, source_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source_id = source_id

    def __str__(self) -> str:
        if self.source_id:
            return f"{self.source_id}: {self.message}"
        return self.message

    @property
    def kind(self) -> str:
        """A stable short name for logs and error files."""
        return type(self).__name__


class InputError(CQCExtractError, ValueError):
    """The input cannot be turned into a record."""


class EmptyInput(InputError):
    """The input holds no text."""


class BinaryInput(InputError):
    """The input is not text (NUL bytes or undecodable bytes)."""


class UnreadablePDF(InputError):
    """A PDF file that cannot be opened (damaged, or protected by a password)."""


class NotACQCReport(InputError):
    """The input is text but not a CQC report."""


class UnsupportedReportFamily(InputError):
    """A CQC report of a family the extractor does not parse yet."""


class TaxonomyError(CQCExtractError, ValueError):
    """A data file of the taxonomy is missing or malformed."""


class ModelNotInstalled(CQCExtractError, RuntimeError):
    """No spaCy model could be loaded."""
