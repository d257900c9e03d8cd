"""The error base class every layer raises: a status, a machine code and parameters.

The message a person reads is not here: the web app turns `code` and `params` into a message
in the reader's language (webui.i18n), so the same error reads well on the Indonesian page, the
English page and the API. `str(error)` is an English fallback for logs and the CLI.
"""

from __future__ import annotations

from typing import Any


class TelusurError(Exception):
    status = 500
    code = "internal_error"

    def __init__(
        self,
        message: str = "",
        *,
        params: dict[str, Any] | None = None,
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message or self.code)
        self.message = message or self.code
        self.params = params or {}
        self.errors = errors or {}


class RebuildNeeded(TelusurError):
    """The index on disk was written by another version of Telusur's format."""

    status = 503
    code = "rebuild_needed"
