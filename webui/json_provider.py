"""JSON responses encoded by orjson: the same bytes as Flask's provider, several times faster.

Flask's DefaultJSONProvider encodes with the standard library (`json.dumps`, then the str encoded
again as UTF-8 by the response): ~0.27 ms for a search response, against ~0.035 ms for orjson,
which writes UTF-8 bytes at once. The output is the same: compact separators, keys in the order given (sorted only when
`sort_keys` is set), text as UTF-8 rather than \\u escapes, a newline at the end; dates,
dataclasses and other types go through Flask's own `default` as before.

Where orjson would differ or refuses, the standard library encodes instead, as before: a lone
surrogate (the response then shows U+FFFD, webui.responses), a non-string key, an integer
beyond 64 bits, a number type orjson does not know, indented output (debug), ASCII output.
Two differences are left: a float in exponent form is spelled otherwise (1e-05 is written
1e-5), the same number; NaN and the infinities would be written null, where the standard library
writes NaN, which is not JSON (no response holds one: scores and times are finite).
"""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider
from werkzeug.sansio.response import Response

# Dates and dataclasses go to `default` (Flask writes a date as an HTTP date, orjson as ISO).
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class OrjsonProvider(DefaultJSONProvider):
    """Flask's provider with `response` (jsonify) encoding through orjson."""

    def dumpb(self, obj: Any) -> bytes | None:
        """`obj` as compact UTF-8 JSON, or None when orjson cannot write what `dumps` would."""
        if self.ensure_ascii:
            return None
        options = _OPTIONS | orjson.OPT_SORT_KEYS if self.sort_keys else _OPTIONS
        try:
            return orjson.dumps(obj, default=self.default, option=options)
        except orjson.JSONEncodeError:  # TypeError too: the standard library decides
            return None

    def response(self, *args: Any, **kwargs: Any) -> Response:
        compact = not ((self.compact is None and self._app.debug) or self.compact is False)
        if compact:
            body = self.dumpb(self._prepare_response_obj(args, kwargs))
            if body is not None:
                # Flask's response class (body first), typed as Werkzeug's sans-IO one here.
                response_class = self._app.response_class
                return response_class(body + b"\n", mimetype=self.mimetype)  # type: ignore[arg-type]
        return super().response(*args, **kwargs)
