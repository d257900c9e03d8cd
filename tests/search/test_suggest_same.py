"""The did-you-mean a search returns is the one suggest() gives when it counts every word in all
three places (the word as written, its stem in the body and in the title) by reading the
index, as it did before the service took counts from the request's own evaluation and stopped
at the first count that rules a correction out.

Compared over the bench's query mix and generated queries (typos of words at every frequency,
names, operators), on a corpus whose words range from a few articles to most of them, in every
history an index can have (deleted articles are not counted)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import query as wq

from bench.common import load_mix
from index_format.analysis import stem
from indexer.models import Article
from search import suggest as sg
from search.models import SearchRequest
from search.service import SearchService
from tests.conftest import article
from tests.indexes import HISTORIES, build_index

# Words from common (in most articles) to rare (one or two), Zipf-like by their place here.
_TEXT = (
    "banjir warga kota hujan gempa bumi korupsi pejabat kebakaran hutan asap presiden menteri "
    "polisi harga minyak ekonomi sekolah pendidikan mahasiswa demo pemilu kampanye partai "
    "jakarta bekasi riau maluku papua tanjungpinang anambas habibie jokowi prabowo kazakhstan "
    "tokayev marquez nahrawi gideon pembangunan jembatan pelabuhan nelayan petani sawah panen "
    "beras pupuk subsidi listrik"
)
_WORDS = _TEXT.split()
NAMES = {"Jakarta", "Bekasi", "Riau", "Maluku", "Papua", "Habibie", "Jokowi", "Prabowo"}
# Words of many titles and no body, each an edit or two from a word of a few bodies: the title
# alone says they are common, so they are not corrected.
TITLE_ONLY = {"pilkada": "pilkades", "bencana": "bencono", "terkini": "terkena"}


def _typo(rng: random.Random, word: str) -> str:
    """One edit past the first letter: a letter dropped, doubled, swapped or changed."""
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiouknrst") + word[i + 1 :]


def _corpus(n: int = 180) -> list[Article]:
    rng = random.Random(2019)
    weights = [1 / (k + 1) ** 0.9 for k in range(len(_WORDS))]
    out = []
    for i in range(n):
        words = rng.choices(_WORDS, weights, k=rng.randint(8, 30))
        if rng.random() < 0.15:  # a typo the archive holds in a few articles
            words.append(_typo(rng, rng.choice(_WORDS[:30])))
        title_only = list(TITLE_ONLY)[i % 3] if i % 4 else ""
        if title_only and rng.random() < 0.3:
            words.append(TITLE_ONLY[title_only])
        shown = [w.capitalize() if w.capitalize() in NAMES else w for w in words]
        title = " ".join([title_only, *shown[:4]]).strip().capitalize()
        out.append(article(f"s{i}", title, " ".join(shown).capitalize() + "."))
    return out


def _queries() -> Iterator[str]:
    yield from (item["q"] for item in load_mix() if item.get("q"))
    rng = random.Random(25)
    pool = [*_WORDS, *TITLE_ONLY, *TITLE_ONLY.values()]
    for _ in range(250):
        words = [rng.choice(pool) for _ in range(rng.randint(1, 3))]
        words = [_typo(rng, w) if rng.random() < 0.5 else w for w in words]
        words = [w.capitalize() if rng.random() < 0.2 else w for w in words]
        shape = rng.randrange(6)
        if shape == 0 and len(words) > 1:
            yield " OR ".join(words)
        elif shape == 1:
            yield f"judul:{words[0]} " + " ".join(words[1:])
        elif shape == 2 and len(words) > 1:
            yield f"{words[0]} -{words[-1]}"
        elif shape == 3 and len(words) > 1:
            yield f'"{" ".join(words)}"'
        else:
            yield " ".join(words)


@pytest.fixture(scope="module", params=HISTORIES)
def index_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp(f"suggest-same-{request.param}") / "index"
    build_index(path, _corpus(), request.param)
    return path


def _every_count(count: sg.Counter, word: str, enough: int) -> int:
    """suggest._known before it stopped early: the most of all three counts."""
    stemmed = stem(word)
    return max(count(sg.SPELL_FIELD, word), count("body", stemmed), count("title", stemmed))


def _reference(svc: SearchService, q: str, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """suggest() counting every word in all three places, live articles read from the index."""
    words = svc.parse(q).words
    if not words:
        return None
    searcher = svc._current().searcher
    reader = searcher.reader()

    def live(fieldname: str, text: str) -> int:
        return len(set(searcher.docs_for_query(wq.Term(fieldname, text))))

    with monkeypatch.context() as mp:
        mp.setattr(sg, "_known", _every_count)
        return sg.suggest(reader, q, words, sg.SpellIndex(reader), live)


def _shown(svc: SearchService, q: str) -> str | None:
    """The did-you-mean of q's results page (at zero hits, the correction the page shows)."""
    result = svc.search(SearchRequest(q=q))
    return result.corrected if result.corrected is not None else result.suggestion


def test_the_suggestion_is_the_one_every_count_gives(
    index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = SearchService(index_dir)
    try:
        pairs = [(q, _shown(svc, q), _reference(svc, q, monkeypatch)) for q in _queries()]
    finally:
        svc.close()
    assert [p for p in pairs if p[1] != p[2]] == []
    # Both outcomes are exercised: corrections offered, and common words left alone.
    offered = sum(1 for _, shown, _ in pairs if shown is not None)
    assert 30 < offered < len(pairs) - 100
