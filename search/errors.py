"""Domain errors of search: each carries an HTTP status, a machine code and its parameters
(index_format.errors); the web app words them in the reader's language in one place."""

from __future__ import annotations

from typing import Any

from index_format.errors import RebuildNeeded, TelusurError

__all__ = [
    "ArticleNotFound",
    "EntityNotFound",
    "IndexUnavailable",
    "InvalidQuery",
    "RebuildNeeded",
    "StoryNotFound",
    "TelusurError",
]


class InvalidQuery(TelusurError):
    """The user's query text cannot be searched as written (codes invalid_query.*)."""

    status = 400
    code = "invalid_query"
    field = "q"

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(f"{code} {params}" if params else code, code=code, params=params)


class ArticleNotFound(TelusurError):
    status = 404
    code = "article_not_found"


class StoryNotFound(TelusurError):
    status = 404
    code = "story_not_found"


class IndexUnavailable(TelusurError):
    """No index has been built yet at the configured location, or it cannot be opened."""

    status = 503
    code = "index_unavailable"


class EntityNotFound(TelusurError):
    """No entity of that type and name in the index (codes entity_not_found.*)."""

    status = 404
    code = "entity_not_found"
