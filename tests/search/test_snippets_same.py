"""The fast snippets (search/snippets.py) give the same bytes as the algorithm they replace:
Whoosh's ContextFragmenter fed a Token per word, top_fragments and HtmlFormatter, kept here as
the oracle. Compared over thousands of (text, terms) pairs: articles of the CLICK-ID archive
with words drawn from them, and generated text full of what a tokenizer trips on."""

from __future__ import annotations

import csv
import gzip
import itertools
import json
import random
import re
from collections import deque
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest
from whoosh import highlight
from whoosh.analysis import Token

from index_format.analysis import TOKEN_PATTERN, configure_stem_exceptions, stem
from search import snippet_words
from search.snippet_words import MAX_WINDOW
from search.snippets import ANALYSED_CHARS, SNIPPET_CHARS, WINDOW_CHARS, make_snippet
from tests.conftest import NEWS

# ---- the oracle: search/snippets.py as it was before the fast path, unchanged -------------

LEAD_CHARS = 200
_WORD = re.compile(TOKEN_PATTERN)


def _context_fragments(
    text: str, terms: frozenset[str], maxchars: int, surround: int
) -> Iterator[highlight.Fragment]:
    charlimit = highlight.DEFAULT_CHARLIMIT
    first: int | None = None
    firsts: deque[int] = deque()
    countdown = -1
    tks: list[Token] = []
    endchar = 0
    currentlen = 0
    for pos, m in enumerate(_WORD.finditer(text)):
        startchar, endchar = m.span()
        tlength = endchar - startchar
        if endchar > charlimit:
            break
        low = m.group().lower()
        word = low if low in terms else stem(low)
        matched = word in terms
        if countdown < 0 and not matched:
            firsts.append(startchar)
            while firsts and endchar - firsts[0] > surround:
                firsts.popleft()
        elif currentlen + tlength > maxchars:
            countdown = 0
        elif matched:
            countdown = surround
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = startchar
                    countdown += surround
            t = Token(positions=False, chars=True, removestops=False, mode="query")
            t.text, t.startchar, t.endchar, t.pos = word, startchar, endchar, pos
            t.stopped, t.matched = False, True
            tks.append(t)
        if countdown >= 0:
            currentlen += tlength
            countdown -= tlength
            if countdown <= 0:
                yield highlight.mkfrag(text, tks, startchar=first, endchar=endchar)
                tks = []
                firsts = deque()
                first = None
                currentlen = 0
    if tks:
        yield highlight.mkfrag(text, tks, startchar=first, endchar=endchar)


def _plain(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return escape(text)
    cut = text.rfind(" ", 0, limit)
    return escape(text[: cut if cut > 0 else limit]) + " …"


def _window(text: str, terms: frozenset[str]) -> str:
    if len(text) <= ANALYSED_CHARS:
        return text
    low = text[:WINDOW_CHARS].lower()
    hits = [i for i in (low.find(t) for t in terms) if i >= 0]
    first = min(hits) if hits else 0
    start = 0
    if first > LEAD_CHARS:
        start = low.rfind(" ", 0, first - LEAD_CHARS) + 1
    return text[start : start + ANALYSED_CHARS]


def old_snippet(text: str, terms: frozenset[str], max_chars: int = SNIPPET_CHARS) -> str:
    if not terms:
        return _plain(text, max_chars)
    formatter = highlight.HtmlFormatter(
        tagname="mark", between=" … ", classname="hl", termclass="t"
    )
    window = " ".join(_window(text, terms).split())
    fragments = _context_fragments(window, terms, max_chars // 2 + 40, max_chars // 4)
    best = highlight.top_fragments(
        fragments, 2, highlight.BasicFragmentScorer(), highlight.FIRST, minscore=1
    )
    out = formatter(window, best)
    return out or _plain(text, max_chars)


# ---- generated text -----------------------------------------------------------------------

# Indonesian words with their affixed forms (one stem, many surfaces), names Sastrawi mangles,
# multibyte words, joined words, punctuation glued to words, and odd characters.
_WORDS = (
    "bakar kebakaran membakar terbakar pembakaran Kebakaran BAKAR bakar-bakaran hutan Hutan "
    "kehutanan asap Asap berasap Riau riau Pekanbaru Bekasi bekasi Maluku maluku pemilu Pemilu "
    "presiden Presiden kepresidenan Joko Widodo Jokowi korupsi Korupsi koruptor kepala daerah "
    "warga desa berkumpul di ke dan yang itu, itu. (26/9) 08.25 2,9 Jum'at Jum’at U.S.A. "
    "a-b--c e-mail co-founder ... — – - & < > \" ' ’ café Café naïve Ürümqi 北京 東京都 😀 🇮🇩 "
    "\ufffd ∑ x² ١٢٣ مرحبا Ἀθῆναι _id snake_case über-müde"
)
WORDS = _WORDS.split()
LONG = ("a" * 59, "b" * 60, "c" * 61, "d" * 119, "e" * 120, "f" * 159, "g" * 160, "h" * 161)
SPACES = (" ", " ", " ", "  ", "\n", "\t", " \n\n ", "\u00a0", "\u3000")
TERMS = sorted(
    {stem(w.lower()) for w in WORDS if _WORD.fullmatch(w)}
    | {"bekasi", "maluku", "pemilu", "jokowi", "kebakaran", "tidakada"}
    | {w[:3] for w in LONG}
    | set(LONG)
)


def _generated(rng: random.Random) -> str:
    n = rng.choice((0, 1, 3, 10, 40, 120, 400, 900))
    pool = WORDS + list(LONG) if rng.random() < 0.2 else WORDS
    out: list[str] = []
    for _ in range(n):
        out.append(rng.choice(pool))
        out.append(rng.choice(SPACES) if rng.random() < 0.9 else rng.choice(("", ",", ".", "-")))
    return "".join(out)


def _terms(rng: random.Random, pool: list[str]) -> frozenset[str]:
    return frozenset(rng.sample(pool, rng.randint(1, min(4, len(pool)))))


def _assert_same(pairs: Iterator[tuple[str, frozenset[str]]]) -> int:
    n = 0
    for text, terms in pairs:
        assert make_snippet(text, terms) == old_snippet(text, terms), (text[:300], terms)
        n += 1
    return n


def test_generated_text_gives_the_same_snippets() -> None:
    rng = random.Random(25)

    def pairs() -> Iterator[tuple[str, frozenset[str]]]:
        for _ in range(3000):
            yield _generated(rng), _terms(rng, TERMS)

    assert _assert_same(pairs()) == 3000


def test_matches_past_the_window_and_far_into_long_texts() -> None:
    rng = random.Random(3)
    filler = " ".join(rng.choice(WORDS[:40]) for _ in range(3000))  # > WINDOW_CHARS
    assert len(filler) > WINDOW_CHARS

    def pairs() -> Iterator[tuple[str, frozenset[str]]]:
        for at in (0, 150, 2_900, 3_100, 10_000, WINDOW_CHARS - 50, WINDOW_CHARS + 500):
            text = filler[:at] + " Kebakaran hutan di Bekasi, presiden Jokowi meninjau. " + filler
            for terms in (
                frozenset({"bakar"}),
                frozenset({"bekasi", "jokowi"}),
                frozenset({"tidakada"}),  # in no window: the opening
                frozenset({"hutan", "presiden", "desa"}),
            ):
                yield text, terms

    assert _assert_same(pairs()) == 28


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("", frozenset({"bakar"})),
        ("   \n\t ", frozenset({"bakar"})),
        ("... — – - & < >", frozenset({"bakar"})),
        ("Kebakaran hutan", frozenset()),
        ("Warga <b>Bekasi</b> & Maluku", frozenset({"bekasi", "maluku"})),  # names, escaped
        ("Café naïve: Ürümqi 北京 kebakaran 😀 " * 30, frozenset({"bakar", "café"})),
        ("Hutan \ufffd terbakar \ufffd\ufffd di Riau. " * 60, frozenset({"bakar", "riau"})),
        ("g" * 161 + " kebakaran " + "g" * 161, frozenset({"bakar", "g" * 161})),
        ("e" * 120 + " kebakaran " + "b" * 60 + " hutan", frozenset({"bakar", "hutan"})),
        # The 33rd match makes the fragment longer than maxchars: it closes it unmarked.
        ("bakar " * 40 + "aa bakar" + " zz" * 30, frozenset({"bakar"})),
        ("Asap, asap! " * 30 + "riau " * 30, frozenset({"asap", "riau"})),
    ],
)
def test_edge_cases_give_the_same_snippets(text: str, terms: frozenset[str]) -> None:
    assert make_snippet(text, terms) == old_snippet(text, terms)


def test_a_window_fits_the_words_running_sizes() -> None:
    """snippet_words packs two running sums of a window's sizes into one small int."""
    assert ANALYSED_CHARS <= MAX_WINDOW


def test_a_small_vocabulary_starting_afresh_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(snippet_words, "VOCABULARY_CHUNKS", 50)
    rng = random.Random(11)
    pairs = ((_generated(rng), _terms(rng, TERMS)) for _ in range(300))
    assert _assert_same(pairs) == 300


def test_new_stem_exceptions_take_effect_in_snippets(tmp_path: Path) -> None:
    text = "Warga berkumpul di balai desa, lalu menangis."
    assert "<mark" not in make_snippet(text, frozenset({"kumpul-kumpul"}))
    user = tmp_path / "stems.tsv"
    user.write_text("berkumpul\tkumpul-kumpul\n", encoding="utf-8")
    try:
        configure_stem_exceptions(user)
        out = make_snippet(text, frozenset({"kumpul-kumpul"}))
        assert out == old_snippet(text, frozenset({"kumpul-kumpul"}))
        assert '<mark class="hl t0">berkumpul</mark>' in out
    finally:
        configure_stem_exceptions(None)
    assert "<mark" not in make_snippet(text, frozenset({"kumpul-kumpul"}))


SAMPLE = Path(__file__).resolve().parents[2] / "sample_archive"


def _sample_texts() -> list[str]:
    """The repository's sample archive: JSON Lines and CSV bodies, clippings as text."""
    lines = (SAMPLE / "nasional.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["body"] for line in lines if line.strip()]
    with (SAMPLE / "daerah.csv").open(encoding="utf-8", newline="") as f:
        texts += [row["body"] for row in csv.DictReader(f)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SAMPLE / "kliping").glob("*.txt"))]
    return texts


def _query_terms(rng: random.Random, body: str, others: list[str]) -> frozenset[str]:
    """Terms as a query gives them: stems of words of the article itself (some as written:
    names), now and then a word of another article or one found nowhere."""
    words = _WORD.findall(body) or ["kosong"]
    terms = set()
    for w in rng.sample(words, min(len(words), rng.randint(1, 4))):
        low = w.lower()
        terms.add(low if w[:1].isupper() and rng.random() < 0.5 else stem(low))
    if rng.random() < 0.3:
        terms.add(stem(rng.choice(_WORD.findall(rng.choice(others)) or ["x"]).lower()))
    if rng.random() < 0.1:
        terms = {"tidakada"}
    return frozenset(terms)


def test_sample_archive_articles_give_the_same_snippets() -> None:
    rng = random.Random(7)
    texts = _sample_texts()
    assert len(texts) > 20
    pairs = ((t, _query_terms(rng, t, texts)) for t in texts for _ in range(40))
    assert _assert_same(pairs) == 40 * len(texts)


def _articles(n: int) -> list[str]:
    with gzip.open(NEWS, "rt", encoding="utf-8") as f:
        return [json.loads(line).get("body") or "" for line in itertools.islice(f, n)]


@pytest.mark.skipif(not NEWS.exists(), reason="needs ../shared/data/news-clickid.jsonl.gz")
def test_archive_articles_give_the_same_snippets() -> None:
    rng = random.Random(2019)
    bodies = _articles(1500)
    pairs = ((body, _query_terms(rng, body, bodies)) for body in bodies for _ in range(2))
    assert _assert_same(pairs) == 3000
