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
from typing import Any

from whoosh.formats import Positions

from indexer.analysis import index_terms


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
