"""The text fields' positions format: the same terms and positions Whoosh's `Positions`
would index, from one fast analysis pass per field value.

Whoosh's `Positions.word_values` runs the analyzer chain, one Token object per word through
a generator per filter; that was a third of a build worker's time. `IndonesianPositions` asks
`index_format.analysis.index_terms` for term → positions directly (the same terms and
positions, tested in tests/index_format/test_index_terms.py) and encodes them as LEB128 gaps.

The format is pickled into the index schema: it holds only its flags.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from whoosh.formats import Positions

from index_format.analysis import index_terms
from index_format.codec.postings import CONTINUED

_ONE_BYTE = [bytes([n]) for n in range(128)]


class IndonesianPositions(Positions):
    """Positions of a field whose analyzer is `stemmed_analyzer()` (stemmed=True) or
    `exact_analyzer()` (stemmed=False); build it with the field (index_format.schema)."""

    # Values are LEB128 position gaps, one byte under 128 ending each position: the packed
    # codec (index_format.codec) splits a term's concatenated values by the frequencies.
    varint_positions = True

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

    def encode(self, poslist: list[int]) -> bytes:
        """The gaps between sorted positions (the first from 0), as LEB128 varints."""
        if len(poslist) == 1:  # most postings: a word once in the field
            pos = poslist[0]
            if pos < 128:
                return _ONE_BYTE[pos]
            if pos < 16384:
                return bytes((pos & 127 | 128, pos >> 7))
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

    def decode_positions(self, valuestring: bytes) -> list[int]:
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

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring.translate(None, CONTINUED))
