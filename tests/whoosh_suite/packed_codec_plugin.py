"""A pytest plugin for Whoosh's own test suite (tests/index_format/test_whoosh_suite.py runs it with
`-p packed_codec_plugin`): PackedCodec becomes Whoosh's default codec, so every index the
suite writes without naming a codec is ours.

Loaded before collection, so the test modules that import `default_codec` by name
(test_codecs, test_postings) get ours too.
"""

from __future__ import annotations

from typing import Any

import pytest
import whoosh.codec

from index_format.codec.packed import PackedCodec

# Tests that check W3's internals rather than a codec's behaviour, deselected, one line each
# with why ("path::name": "reason"). None so far: fix the codec rather than add one here.
DESELECT: dict[str, str] = {}

_made = 0


def _packed_codec(*w3_args: Any, **w3_kwargs: Any) -> PackedCodec:
    # W3Codec's tuning (test_fieldwriter_multiblock passes blocklimit=2) means nothing to
    # PackedCodec, which keeps each term's postings as one record.
    global _made
    _made += 1
    return PackedCodec()


whoosh.codec.default_codec = _packed_codec


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    ids = {item.nodeid for item in items}
    files = {nodeid.split("::")[0] for nodeid in ids}
    unknown = [n for n in DESELECT if n not in ids and n.split("::")[0] in files]
    if unknown:  # a stale entry would deselect nothing, silently
        raise pytest.UsageError(f"packed_codec_plugin: no such tests: {unknown}")
    dropped = [item for item in items if item.nodeid in DESELECT]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item.nodeid not in DESELECT]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    # tests/index_format/test_whoosh_suite.py reads this line: proof the swap took effect.
    terminalreporter.write_line(f"packed_codec_plugin: PackedCodec made {_made} times")
