"""Span repairs before merging: names the tagger ran together across a spaced dash, and the
holders of "position + body + name" runs it missed."""

from __future__ import annotations

import re

from index_format.names import name_key
from indexer.ner.features import cap_rate_bucket
from indexer.ner.lexicon import (
    _DASH_GAP,
    _DASHED,
    _ORDINARY,
    _POSITION_RUN,
    _POSITION_WORDS,
    _places,
)


def split_dashes(text: str, tagged: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """A spaced dash separates names (datelines: "KONTAN.CO.ID - NUR-SULTAN"), never joins them."""
    gaps = _DASH_GAP.search(text) is not None
    out: list[tuple[str, int, int]] = []
    for label, s, e in tagged:
        # A span with no space at either end and no spaced dash inside is one piece.
        if (
            s < e
            and not text[s].isspace()
            and not text[e - 1].isspace()
            and not (gaps and _DASH_GAP.search(text, s, e))
        ):
            out.append((label, s, e))
            continue
        for m in _DASHED.finditer(text, s, e):
            out.append((label, m.start(), m.end()))
    return out


def _position_runs(text: str) -> list[re.Match[str]]:
    """_POSITION_RUN.finditer(text), tried only where a position's word is."""
    runs: list[re.Match[str]] = []
    end = 0
    for word in _POSITION_WORDS.finditer(text):
        if word.start() >= end:
            run = _POSITION_RUN.match(text, word.start())
            if run:
                runs.append(run)
                end = run.end()
    return runs


def untagged_position_holders(
    text: str, tagged: list[tuple[str, int, int]]
) -> list[tuple[str, int, int]]:
    """PER spans for names after "position + body" runs that no tagged span touches."""
    out: list[tuple[str, int, int]] = []
    for run in _position_runs(text):
        words = list(re.finditer(r"\S+", run.group(1)))
        ordinary = [cap_rate_bucket(w.group(0).lower()) in _ORDINARY for w in words]
        if True not in ordinary:
            continue  # "Presiden Kazakhstan Kassym-Jomart Tokayev": places split that run
        last = len(ordinary) - 1 - ordinary[::-1].index(True)
        name = words[last + 1 :]
        if not 2 <= len(name) <= 4:
            continue
        start, end = run.start(1) + name[0].start(), run.start(1) + name[-1].end()
        if any(name_key(w.group(0)) in _places() for w in name):
            continue
        if not any(s < end and start < e for _, s, e in tagged):
            out.append(("PER", start, end))
    return out
