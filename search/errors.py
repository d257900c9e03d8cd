"""Domain errors: each carries an HTTP status, a machine code and a message a person can read.

The web app turns every one of them into the same JSON error shape in one place.
"""

from __future__ import annotations

from index_format.errors import RebuildNeeded, TelusurError

__all__ = [
    "ArticleNotFound",
    "IndexUnavailable",
    "InvalidQuery",
    "RebuildNeeded",
    "TelusurError",
]


class InvalidQuery(TelusurError):
    """The user's query text cannot be searched as written."""

    status = 400
    code = "invalid_query"

    def __init__(self, message: str) -> None:
        super().__init__(message, errors={"q": [message]})


class ArticleNotFound(TelusurError):
    status = 404
    code = "not_found"


class IndexUnavailable(TelusurError):
    """No index has been built yet at the configured location."""

    status = 503
    code = "index_unavailable"
