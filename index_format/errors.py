"""The error base class every layer raises: a status, a machine code and parameters.

The message a person reads is not here: the web app turns `code` and `params` into a message
in the reader's language (webui.i18n), so the same error reads well on the Indonesian page, the
English page and the API. `str(error)` is an English fallback for logs and the command line.
"""

from __future__ import annotations

from typing import Any


class TelusurError(Exception):
    status = 500
    code = "internal_error"
    field: str | None = None  # the request parameter at fault, if one is

    def __init__(
        self, detail: str = "", *, code: str | None = None, params: dict[str, Any] | None = None
    ) -> None:
        if code is not None:
            self.code = code
        self.params = params or {}
        super().__init__(detail or self.code)


class RebuildNeeded(TelusurError):
    """The index on disk was written by another version of Telusur's format."""

    status = 503
    code = "rebuild_needed"
