"""How the text fields' postings are made: one fast analysis pass per field value.

Whoosh's `Positions.word_values` runs the analyzer chain, one Token object per word through
a generator per filter; that was a third of a build worker's time. `IndonesianPositions` asks
`indexer.analysis.index_terms` for term → positions directly (the same terms and positions,
tested in tests/test_index_terms.py) and encodes them as Whoosh's Positions format does.

The format is pickled into the index schema: it holds only its flags, and the search side
imports this module with the schema (it already imports indexer.analysis).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from whoosh.formats import Positions

from indexer.analysis import index_terms

_CONTINUED = bytes(range(128, 256))  # varint bytes that another byte follows


class IndonesianPositions(Positions):
    """Positions of a field whose analyzer is `stemmed_analyzer()` (stemmed=True) or
    `exact_analyzer()` (stemmed=False); build it with the field (indexer.schema)."""

    def __init__(self, stemmed: bool, field_boost: float = 1.0, **options: Any) -> None:
        super().__init__(field_boost=field_boost, **options)
        self.stemmed = stemmed

    def word_values(
        self, value: Any, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        if not isinstance(value, str):  # pre-tokenized values: Whoosh's own path
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb = self.field_boost
        encode = self.encode
        for term, poslist in index_terms(value, self.stemmed).items():
            yield term, len(poslist), len(poslist) * fb, encode(poslist)

    def encode(self, poslist: list[int]) -> bytes:  # type: ignore[override]
        """The gaps between sorted positions (the first from 0), as LEB128 varints."""
        out = bytearray()
        prev = 0
        for pos in poslist:
            gap = pos - prev
            prev = pos
            while gap >= 128:
                out.append(gap & 127 | 128)
                gap >>= 7
            out.append(gap)
        return bytes(out)

    def decode_positions(self, valuestring: bytes) -> list[int]:  # type: ignore[override]
        if valuestring.isascii():  # every gap below 128: one byte each
            return list(accumulate(valuestring))
        positions = []
        pos = gap = shift = 0
        for byte in valuestring:
            if byte & 128:
                gap |= (byte & 127) << shift
                shift += 7
            else:
                pos += gap | (byte << shift)
                positions.append(pos)
                gap = shift = 0
        return positions

    def decode_frequency(self, valuestring: bytes) -> int:  # type: ignore[override]
        return len(valuestring.translate(None, _CONTINUED))
