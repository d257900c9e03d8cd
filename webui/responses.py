"""The app's response class: bodies that always encode, and redirects that stay on this host."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from flask import Response

# A lone surrogate cannot be encoded as UTF-8. An index written by an older version can hold one
# in a stored title or body (JSON's "\udc80" escape decodes to it), and encoding the page, the
# JSON or an export row that shows it raised: a 500 for every page that listed the article.
_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8(text: str) -> bytes:
    """`text` as UTF-8, each lone surrogate shown as U+FFFD (the check costs nothing when there
    is none: encoding is needed anyway)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text).encode("utf-8")


def _encoded(chunks: Iterable[str | bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        yield utf8(chunk) if isinstance(chunk, str) else chunk


class TelusurResponse(Response):
    """Every str body, whole (pages, JSON) or streamed (exports), goes through `utf8`.

    Location headers are sent as given: the app's redirects are relative, and the request guard
    (webui.ops) makes Werkzeug's own redirects relative too (`//x` must never name a host)."""

    autocorrect_location_header = False

    def set_data(self, value: bytes | str) -> None:
        super().set_data(utf8(value) if isinstance(value, str) else value)

    def iter_encoded(self) -> Iterator[bytes]:
        return _encoded(self.response)  # fetched now, as Werkzeug's own (see its comment)
