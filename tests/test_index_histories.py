"""Search on an index in every state it can be in: the same articles answer the same way
whether the index is fresh, has several segments, or has seen `update-index` and `delete`.

Differential: hundreds of random queries (phrases, OR, exclusions, the title field, filters,
sorts, pages, every built-in abbreviation) against indexes built by production's code in
each history. Each history must
  * answer every query (a phrase's matchers are wrapped in a segment with deletions: that
    crashed the ranking once);
  * find the same articles, with the same total and facet counts, as the fresh index;
  * rank exactly as Whoosh's own scorer does when it scores every match on that index.
Rankings across histories are not compared: Whoosh's BM25 statistics count deleted
documents until a merge, as Lucene's do.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from indexer.cli import main
from indexer.models import Article
from search.models import SearchRequest, SearchResult
from search.ranking import rerank_by_proximity
from search.service import SearchService
from search.synonyms import BUILTIN_SYNONYMS
from tests.conftest import REPO, article
from tests.indexes import HISTORIES, build_index
from webui import create_app

WORDS = [
    *(
        [
            "banjir",
            "rob",
            "kapal",
            "nelayan",
            "pasar",
            "gempa",
            "bumi",
            "hujan",
            "deras",
            "warga",
            "pompa",
            "listrik",
            "jalan",
        ]
    ),
    *(
        [
            "korupsi",
            "suap",
            "pejabat",
            "sidang",
            "hakim",
            "pemilu",
            "kampanye",
            "harga",
            "beras",
            "petani",
            "sekolah",
            "guru",
        ]
    ),
]
OUTLETS = ("Kabar Nusantara", "Warta Timur", "Suara Pesisir")
PEOPLE = ("Rahmat Hidayat", "Sari Wulandari", "Dimas Prasetyo")


def _spellings() -> list[list[str]]:
    """The built-in synonym table's concepts, each a list of its spellings."""
    groups = []
    for line in BUILTIN_SYNONYMS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            groups.append([s.strip() for s in line.split("\t") if s.strip()])
    return groups


SPELLINGS = _spellings()


def _corpus(n: int, seed: int) -> list[Article]:
    """Articles of common words, each naming one or two concepts of the synonym table by one
    of their spellings (so abbreviations and their expansions, phrases, all find articles)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 40))]
        for _ in range(rng.randint(1, 2)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(rng.choice(SPELLINGS)))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5))).capitalize()
        if rng.random() < 0.3:
            title += " " + rng.choice(rng.choice(SPELLINGS))
        out.append(
            article(
                f"h{i:03d}",
                title,
                " ".join(words) + ".",
                outlet=OUTLETS[i % 3] if i % 7 else None,
                published=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 11 else None,
                person=tuple(rng.sample(PEOPLE, rng.randint(0, 2))),
            )
        )
    return out


CORPUS = _corpus(240, 7)


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SearchService]]:
    out = {}
    for history in HISTORIES:
        index_dir = tmp_path_factory.mktemp(f"hist-{history}") / "index"
        build_index(index_dir, CORPUS, history)
        out[history] = SearchService(index_dir)
    yield out
    for svc in out.values():
        svc.close()


def _clause(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.35:
        return rng.choice(WORDS)
    if kind < 0.55:  # a phrase the corpus holds (adjacent words of an article)
        words = rng.choice(CORPUS).body.rstrip(".").split()
        i = rng.randrange(len(words) - 1)
        return f'"{words[i]} {words[i + 1]}"'
    if kind < 0.7:
        return rng.choice(rng.choice(SPELLINGS))
    if kind < 0.78:
        return f"judul:{rng.choice(WORDS)}"
    if kind < 0.88:
        return f"({rng.choice(WORDS)} OR {_clause(rng)})"
    return f"-{rng.choice(WORDS)}"


def _request(rng: random.Random) -> SearchRequest:
    q = " ".join(_clause(rng) for _ in range(rng.randint(1, 5)))
    if q.startswith("-"):
        q = rng.choice(WORDS) + " " + q
    return SearchRequest(
        q=q,
        filters={
            "outlet": tuple(rng.sample(OUTLETS, rng.randint(1, 2))) if rng.random() < 0.2 else (),
            "person": (rng.choice(PEOPLE),) if rng.random() < 0.1 else (),
        },
        date_from=date(2025, rng.randint(1, 6), 1) if rng.random() < 0.15 else None,
        date_to=date(2025, rng.randint(7, 12), 1) if rng.random() < 0.15 else None,
        sort=rng.choice(("relevance", "relevance", "relevance", "newest", "oldest")),
        match=rng.choice(("all", "all", "most", "any")),
        page=rng.choice((1, 1, 1, 2, 3)),
        per_page=rng.choice((5, 10, 50)),
    )


def _whoosh_ranking(svc: SearchService, req: SearchRequest) -> list[tuple[str, float | None]]:
    """The page as Whoosh ranks it when it scores every match."""
    parsed = svc.parse(req.q)
    gen = svc._current()
    final = gen.matcher.match(parsed, req).final
    allow = set(np.flatnonzero(final).tolist())
    if not allow:  # (an empty filter is no filter to Whoosh)
        return []
    results = gen.searcher.search(parsed.query, filter=allow, limit=None)
    ranked: list[tuple[int, float | None]] = [(h.docnum, h.score) for h in results]
    start = (req.page - 1) * req.per_page
    page = rerank_by_proximity(gen.searcher, parsed, ranked)[start : start + req.per_page]
    return [(gen.searcher.stored_fields(d)["id"], s) for d, s in page]


def _counts(res: SearchResult) -> dict[str, list[tuple[str, int]]]:
    return {f: sorted((v.value, v.count) for v in vals) for f, vals in res.facets.items()}


def _partial_total(res: SearchResult) -> int | None:
    return res.partial.total if res.partial else None


def _check(services: dict[str, SearchService], req: SearchRequest) -> None:
    fresh = services["fresh"].search(req)
    fresh_ids = {v.id for v in services["fresh"].iter_all(req)}
    for history, svc in services.items():
        res = fresh if history == "fresh" else svc.search(req)
        where = f"{history}: {req}"
        assert (res.total, _partial_total(res)) == (fresh.total, _partial_total(fresh)), where
        assert _counts(res) == _counts(fresh), where
        ids = [v.id for v in svc.iter_all(req)]
        # The export holds the very articles the total counts, in every mode.
        assert set(ids) == fresh_ids and len(ids) == res.total, where
        if req.sort != "relevance":
            continue
        got = [(h.id, h.score) for h in res.hits]
        ranked = req
        if res.corrected is not None:  # nothing found as typed: the correction's results
            ranked = dataclasses.replace(req, q=res.corrected, as_typed=True)
        if ranked.match != "all":  # all words first, then the rest: Whoosh's collectors rank
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(svc._current().matcher, "scored", lambda *_: None)
                want = [(h.id, h.score) for h in svc.search(ranked).hits]
        else:
            want = _whoosh_ranking(svc, ranked)
        assert got == want, where


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_random_queries_answer_alike_in_every_history(
    services: dict[str, SearchService], seed: int
) -> None:
    rng = random.Random(seed)
    for _ in range(150):
        _check(services, _request(rng))


@pytest.mark.slow
def test_every_builtin_abbreviation_in_every_history(services: dict[str, SearchService]) -> None:
    """Each spelling of the built-in table: an abbreviation expands to phrases, and a phrase
    among several clauses is what an updated index once failed on."""
    found = 0
    for spellings in SPELLINGS:
        _check(services, SearchRequest(q=f"{spellings[0]} banjir warga"))
        for spelling in spellings:
            _check(services, SearchRequest(q=spelling))
            found += services["updated"].search(SearchRequest(q=spelling)).total > 0
    assert found > len(SPELLINGS), "the corpus should mention most spellings"


@pytest.mark.parametrize(
    "q",
    ['"hujan deras" warga pompa', '"banjir rob" OR kapal OR pasar', '"harga beras" petani sekolah'],
)
def test_a_phrase_among_three_clauses_after_update(
    services: dict[str, SearchService], q: str
) -> None:
    """The first report: a phrase plus two words, on an index after update-index."""
    _check(services, SearchRequest(q=q))
    assert services["updated"].search(SearchRequest(q=q)).hits


# -- the report, as a new user met it: the sample archive through the CLI ---------------------

SAMPLE = [REPO / "sample_archive" / n for n in ("nasional.jsonl", "daerah.csv", "kliping")]
REPORTED = ['"banjir bekasi" warga air', "Polri", "DPR KPK MPR", "Polri korupsi", "banjir"]


def _api(client: FlaskClient, q: str) -> tuple[int, list[str], int]:
    """The API's status, hit ids and total for q; the page answers with the same status."""
    got = client.get("/api/search", query_string={"q": q, "per_page": 100})
    assert client.get("/", query_string={"q": q}).status_code == got.status_code, q
    body = got.get_json()
    return got.status_code, sorted(h["id"] for h in body.get("hits", [])), body.get("total", 0)


@pytest.mark.slow
def test_sample_archive_after_update_and_delete_answers_as_a_fresh_rebuild(
    tmp_path: Path, runner: CliRunner
) -> None:
    """rebuild-index, update-index with one changed record, delete one article: every reported
    query and every built-in abbreviation answers 200 with the hits of a fresh rebuild of the
    same articles."""
    lines = SAMPLE[0].read_text(encoding="utf-8").splitlines()
    changed = json.loads(lines[0])
    changed["body"] += "\n\nWarga Bekasi kembali waspada banjir karena air sungai naik."
    gone = json.loads(lines[1])["id"]
    (tmp_path / "update.jsonl").write_text(json.dumps(changed) + "\n", encoding="utf-8")
    # The same articles, for the fresh rebuild: the changed record, without the deleted one.
    fresh_archive = tmp_path / "fresh"
    fresh_archive.mkdir()
    kept = [json.dumps(changed)] + [ln for ln in lines[1:] if json.loads(ln)["id"] != gone]
    (fresh_archive / "nasional.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")
    fresh_paths = [fresh_archive / "nasional.jsonl", *SAMPLE[1:]]

    updated, fresh = tmp_path / "updated", tmp_path / "fresh-index"
    for args in (
        ["--index-dir", str(updated), "rebuild-index", *map(str, SAMPLE)],
        ["--index-dir", str(updated), "update-index", str(tmp_path / "update.jsonl")],
        ["--index-dir", str(updated), "delete", gone],
        ["--index-dir", str(fresh), "rebuild-index", *map(str, fresh_paths)],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    apps = [create_app({"INDEX_DIR": d, "TESTING": True}) for d in (updated, fresh)]
    ours, theirs = (app.test_client() for app in apps)
    for q in REPORTED + [s for spellings in SPELLINGS for s in spellings]:
        got = _api(ours, q)
        assert got[0] == 200 and got == _api(theirs, q), q
    report = ours.get("/api/search", query_string={"q": REPORTED[0]}).get_json()
    assert report["total"] >= 1 and report["partial"]["total"] >= 10  # all words; most apart
    for app in apps:
        app.extensions["telusur.search"].close()
