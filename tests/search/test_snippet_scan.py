"""Snippets found by scanning for the terms' needles (search/snippet_scan.py) give the bytes of
the algorithm they replace (the oracle of test_snippets_same.py) where that way has its own
pitfalls: runs of spaces before a match (the fragmenter looks back in collapsed characters),
separators inside and beside words, non-ASCII words, and words that stem to a term without
holding it; and the needles' premise holds for every word of the archive."""

from __future__ import annotations

import gzip
import itertools
import json
import random
import re
from collections.abc import Iterator

import pytest

from index_format.analysis import TOKEN_PATTERN, stem, stem_exceptions
from search import snippet_scan
from search.snippets import make_snippet
from tests.conftest import NEWS
from tests.search.test_snippets_same import _assert_same, old_snippet

_WORD = re.compile(TOKEN_PATTERN)

# Words whose stem is a root word they do not hold as written (the root's first letter
# recoded), affixed forms, names, and words with separators inside.
_WORDS_AS_TEXT = (
    "menulis tulis penulis ditulis memukul pukul pemukul menyapu sapu penyapu mengirim kirim "
    "pengiriman bakar kebakaran terbakar Kebakaran hutan Hutan asap Riau pemilu Pemilu Maluku "
    "warga desa di ke dan yang itu e-mail co-founder 08.25 2,9 Jum'at U.S.A. bakar-bakaran "
    "a--b x.-y café Café naïve Ürümqi 北京 Jum’at"
)
_WORDS = _WORDS_AS_TEXT.split()
_TERMS = sorted({stem(w.lower()) for w in _WORDS if _WORD.fullmatch(w)} | {"jum'at", "e-mail"})
# Runs of spaces of every kind, up to longer than the fragmenter looks back (60 characters).
_SPACES = (" ", " ", " ", " ", "  ", "\n\n", " \n ", "\t", "\u00a0", " " * 30, "\n" * 70)


def _text(rng: random.Random) -> str:
    out: list[str] = []
    for _ in range(rng.choice((5, 30, 120, 400))):
        out.append(rng.choice(_WORDS))
        out.append(rng.choice(_SPACES) if rng.random() < 0.9 else rng.choice((",", ".", "-")))
    return "".join(out)


def test_runs_of_spaces_recoded_roots_and_separators_give_the_same_snippets() -> None:
    rng = random.Random(26)

    def pairs() -> Iterator[tuple[str, frozenset[str]]]:
        for _ in range(2000):
            yield _text(rng), frozenset(rng.sample(_TERMS, rng.randint(1, 3)))

    assert _assert_same(pairs()) == 2000


@pytest.mark.parametrize("gap", [1, 2, 20, 40, 59, 60, 61, 62, 80, 200])
@pytest.mark.parametrize("space", [" ", "\n", " \n\t", "\u3000"])
def test_a_look_back_over_runs_of_spaces_counts_them_as_one(gap: int, space: str) -> None:
    """The words before a match are shown when they start at most 60 characters before the
    word before it, once every run of spaces is one space."""
    before = space.join(["kata", "lain", "di", "sini", "juga", "ada"]) + space * gap
    text = "Pembuka. " + "x" * 70 + " " + before + "yang kebakaran hutan terjadi lagi."
    out = make_snippet(text, frozenset({"bakar"}))
    assert out == old_snippet(text, frozenset({"bakar"}))
    assert '<mark class="hl t0">kebakaran</mark>' in out
    assert "  " not in out and "\n" not in out


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Warga menulis surat, lalu penulis itu pergi.", frozenset({"tulis"})),  # t -> n
        ("Pemukul memukul bola.", frozenset({"pukul"})),  # p -> m
        ("Petugas menyapu jalan.", frozenset({"sapu"})),  # s -> ny
        ("Kirim e-mail ke co-founder pukul 08.25 pada Jum'at.", frozenset({"e-mail", "jum'at"})),
        ("Rapat UU KPK: revisi UU disahkan.", frozenset({"uu", "kpk"})),  # short, no root word
        ("Ini mu dan es batu.", frozenset({"mu", "es"})),  # short root words: the vocabulary
        ("İstanbul dan kebakaran hutan", frozenset({"bakar"})),  # İ lowercases to two characters
        # Σ lowercases to ς at a word's end, unless a letter follows past a : (in the window)
        ("Jalan ΟΔΟΣ:Α dan kebakaran", frozenset({"οδος", "bakar"})),
        ("a-b-c-d-e bakar x--bakar--y bakar.", frozenset({"bakar"})),
        ("", frozenset({"bakar"})),
    ],
)
def test_edge_cases_give_the_same_snippets(text: str, terms: frozenset[str]) -> None:
    assert make_snippet(text, terms) == old_snippet(text, terms)


def _needle_misses(words: set[str]) -> list[tuple[str, str]]:
    """The words whose stem is a term their needle would not find."""
    exceptions = stem_exceptions()
    keys = snippet_scan.current_keys()
    misses = []
    for low in words:
        stemmed = stem(low)
        if stemmed == low or low in exceptions:
            continue
        needles = keys.needles([stemmed])
        if needles is not None and not any(n in low for n in needles):
            misses.append((low, stemmed))
    return misses


@pytest.mark.skipif(not NEWS.exists(), reason="needs ../shared/data/news-clickid.jsonl.gz")
def test_every_word_of_the_archive_holds_the_needle_of_its_stem() -> None:
    words: set[str] = set()
    with gzip.open(NEWS, "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, 5000):
            article = json.loads(line)
            text = (article.get("title") or "") + " " + (article.get("body") or "")
            words.update(w.lower() for w in _WORD.findall(text))
    assert len(words) > 40_000
    assert _needle_misses(words) == []


def test_affixed_forms_of_root_words_hold_the_needle_of_their_stem() -> None:
    roots = sorted(snippet_scan.root_words())[::7]
    affixed = {
        before + root + after
        for root in roots
        for before, after in (("me", ""), ("mem", "kan"), ("pen", "an"), ("ter", ""), ("di", "i"))
    }
    affixed |= {f"{root}-{root}nya" for root in roots[:500]}
    assert _needle_misses(affixed) == []


@pytest.mark.parametrize(
    "text",
    [
        "1.2.3.4 bakar 5.6",  # a separator every other character
        "U.S.A.-bakar U.S.A. kebakaran",
        "bakar-bakar-bakaran, a--b--bakar, x.-y bakar",
        "-bakar- .bakar. 'bakar' ’bakar’ bakar’s bakar.'s",
        "bakar.",  # the window ends on a separator
        ".bakar",  # ... or starts on one
        "Jum'at-Jum’at.bakar-北京-bakar 東京.都 bakar",
        "&amp;bakar &lt;kebakaran&gt; a&b-bakar <b>bakar</b>",
    ],
)
def test_separators_inside_and_beside_words_give_the_same_snippets(text: str) -> None:
    for terms in (frozenset({"bakar"}), frozenset({"bakar", "u.s.a"}), frozenset({"bakar-bakar"})):
        repeated = (text + " ") * 30  # the fragmenter's choices over many fragments
        assert make_snippet(text, terms) == old_snippet(text, terms)
        assert make_snippet(repeated, terms) == old_snippet(repeated, terms)


@pytest.mark.parametrize("length", [1, 3, 7, 12])
def test_a_look_back_that_meets_what_closed_before_gives_the_same_snippets(length: int) -> None:
    """A fragment's look back stops at the word after the last fragment's closing word (or the
    one after that, when that word closed an empty fragment): every gap between two fragments,
    in words of each length, from touching to far apart."""
    word = "x" * length

    def pairs() -> Iterator[tuple[str, frozenset[str]]]:
        for gap in range(0, 120 // (length + 1) + 4):
            for tail in ("", " " + word * 2):
                filler = " ".join([word] * gap)
                text = f"awal kebakaran {filler} hutan{tail} {filler} bakar akhir kata"
                yield text, frozenset({"bakar", "hutan"})
                yield "  \n".join(text.split(" ")), frozenset({"bakar", "hutan"})

    assert _assert_same(pairs()) > 0


@pytest.mark.parametrize(
    "body",
    [
        "Presiden meninjau lokasi banjir di Jakarta.",  # the query's words only in the title
        "Warga &amp; petugas <b>berkumpul</b>,\n\ndi   balai desa. " * 80,  # longer than a window
        "Kata ini ada sesudah jendela. " * 800 + "kebakaran hutan",  # past WINDOW_CHARS
        "Jum'at e- mail, U.S. A., 北京 ba-kar",  # a needle's letters, never inside one word
        "Para pakar menyebut akar masalah di Sutan.",  # words holding a needle, none a match
    ],
)
def test_a_body_without_the_query_words_shows_its_opening(body: str) -> None:
    for terms in (frozenset({"bakar"}), frozenset({"bakar", "e-mail", "hutan"})):
        out = make_snippet(body, terms)
        assert out == old_snippet(body, terms)
        assert "<mark" not in out


def test_root_words_are_sastrawis_dictionary_held_once() -> None:
    """The root words are PySastrawi's whole dictionary, and the stemmer's own copy of it: a
    worker holds the 30k words once."""
    from index_format.analysis import _stemmer
    from index_format.stemmer import sastrawi_words

    assert snippet_scan.root_words() == frozenset(sastrawi_words())
    assert snippet_scan.root_words() is _stemmer().words
