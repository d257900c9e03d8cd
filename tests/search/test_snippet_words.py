"""The per-process vocabulary of snippet windows (search/snippet_words.py) as threads share it:
a worker's threads that meet new words at once make the snippets one thread makes alone."""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Iterator

import pytest

from search import snippet_scan, snippet_words
from search.snippets import make_snippet

_STEMS = ("bakar", "hutan", "asap", "banjir", "warga", "kota", "desa", "polisi", "harga", "jalan")
_AFFIXES = (("", ""), ("ke", "an"), ("mem", ""), ("ter", ""), ("pe", "an"), ("di", "kan"))


def _pairs(seed: int, count: int) -> list[tuple[str, frozenset[str]]]:
    """Texts of affixed words glued to numbers and punctuation (new chunks all along), and
    terms among the stems."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        words = []
        for _ in range(rng.randint(20, 80)):
            before, after = rng.choice(_AFFIXES)
            word = before + rng.choice(_STEMS) + after
            words.append(word + rng.choice(("", ",", ".", f"{rng.randint(0, 9999)}", "-2")))
        out.append((" ".join(words), frozenset(rng.sample(_STEMS, 2))))
    return out


@pytest.fixture
def fresh_vocabulary(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(snippet_words, "_vocabulary", None)
    # Every window by the vocabulary (an ASCII window's words are else found by snippet_scan).
    monkeypatch.setattr(snippet_scan, "MIN_NEEDLE", sys.maxsize)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns between a few bytecodes
    yield
    sys.setswitchinterval(switch)


def test_threads_learning_at_once_make_the_snippets_one_thread_makes(
    fresh_vocabulary: None,
) -> None:
    work = [_pairs(seed, 150) for seed in range(4)]
    made: list[list[str]] = [[] for _ in work]

    def run(i: int) -> None:
        made[i] = [make_snippet(text, terms) for text, terms in work[i]]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    snippet_words._vocabulary = None
    alone = [[make_snippet(text, terms) for text, terms in pairs] for pairs in work]
    assert made == alone
    marked = sum("<mark" in s for row in alone for s in row)
    assert marked > 0.9 * sum(map(len, alone))


def test_a_full_vocabulary_keeps_its_size_and_makes_the_same_snippets(
    fresh_vocabulary: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    pairs = _pairs(7, 200)
    roomy = [make_snippet(text, terms) for text, terms in pairs]
    monkeypatch.setattr(snippet_words, "VOCABULARY_CHUNKS", 300)
    monkeypatch.setattr(snippet_words, "_vocabulary", None)
    full = [make_snippet(text, terms) for text, terms in pairs]
    vocabulary = snippet_words.current_vocabulary()
    assert full == roomy
    assert len(vocabulary.packed) == 300  # full, and no bigger: the rest was worked out apart
    assert len(vocabulary.chunks) <= 300
