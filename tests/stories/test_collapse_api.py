"""Results collapsed to stories, and the story page, through the API and the pages, on
indexes built as rebuild-index builds them (and after update-index)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from index_format.generations import current_path
from index_format.stories import STORIES_NAME
from indexer.update import update_index
from tests.indexes import HISTORIES, given_entities, write_jsonl
from tests.stories.corpus import COPY_1, COPY_2, COPY_3, ORIGINAL, OTHER_FLOOD, SYNDICATED
from webui import create_app


def _client(index_dir: Path) -> FlaskClient:
    return create_app({"INDEX_DIR": index_dir, "TESTING": True}).test_client()


def _search(client: FlaskClient, **args: str) -> dict:
    resp = client.get("/api/search", query_string={"per_page": "100", **args})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


@pytest.mark.parametrize("history", HISTORIES)
def test_collapsing_banjir_gives_one_row_per_story(
    make_index: Callable[..., Path], history: str
) -> None:
    client = _client(make_index(SYNDICATED, history))
    flat = _search(client, q="banjir")
    collapsed = _search(client, q="banjir", collapse="story")
    # Four flood articles (three copies of one story, one of its own) and a stub too short
    # to be a copy of anything.
    assert flat["total"] == collapsed["total"] == 5
    assert flat["stories"] is None and collapsed["stories"] == 3
    rows = collapsed["hits"]
    assert len(rows) == 3 < collapsed["total"]
    assert sum(h["story"]["matched"] for h in rows) == collapsed["total"]
    flood = next(h for h in rows if h["id"] in {ORIGINAL.id, COPY_1.id, COPY_2.id})
    assert flood["story"]["id"] == ORIGINAL.id
    assert flood["story"]["matched"] == flood["story"]["articles"] == 3
    assert flood["story"]["first_outlet"] == "Antara"
    assert flood["story"]["first_published"] == "2024-01-08"
    # The best-ranked copy stands for the story: the first copy of it in the flat ranking.
    flat_ids = [h["id"] for h in flat["hits"]]
    assert flood["id"] == min((ORIGINAL.id, COPY_1.id, COPY_2.id), key=flat_ids.index)
    others = {"Antara", "Kabar Kota", "Warta Harian"} - {flood["outlet"]}
    assert flood["story"]["other_outlets"] == len(others)
    # Its other copies, first published first: what the row expands to.
    listed = flood["story"]["others"]
    assert {o["id"] for o in listed} == {ORIGINAL.id, COPY_1.id, COPY_2.id} - {flood["id"]}
    assert {o["outlet"] for o in listed} == others
    assert [o["published"] for o in listed] == sorted(o["published"] for o in listed)
    alone = next(h for h in rows if h["id"] == OTHER_FLOOD.id)
    assert alone["story"] == {
        "id": OTHER_FLOOD.id,
        "matched": 1,
        "articles": 1,
        "other_outlets": 0,
        "first_outlet": "Kabar Kota",
        "first_published": "2024-01-07",
        "others": [],
    }


def test_collapsed_pages_count_stories(make_index: Callable[..., Path]) -> None:
    client = _client(make_index(SYNDICATED))
    pages = [
        _search(client, q="banjir", collapse="story", per_page="2", page=str(p)) for p in (1, 2)
    ]
    ids = [h["id"] for page in pages for h in page["hits"]]
    assert [len(p["hits"]) for p in pages] == [2, 1]
    assert len(set(ids)) == 3
    assert {h["story"]["id"] for page in pages for h in page["hits"]} == {
        ORIGINAL.id,
        OTHER_FLOOD.id,
        "singkat",
    }


def test_update_index_joins_a_new_copy_to_its_story(
    make_index: Callable[..., Path], tmp_path: Path
) -> None:
    index_dir = make_index(SYNDICATED, "segments")
    with given_entities([*SYNDICATED, COPY_3]):
        update_index([write_jsonl(tmp_path / "new.jsonl", [COPY_3])], index_dir, grace_seconds=0)
    client = _client(index_dir)
    collapsed = _search(client, q="banjir", collapse="story")
    assert (collapsed["total"], collapsed["stories"]) == (6, 3)
    flood = next(h for h in collapsed["hits"] if h["story"]["id"] == ORIGINAL.id)
    assert flood["story"]["matched"] == 4
    story = client.get(f"/api/stories/{ORIGINAL.id}").get_json()
    assert story["copies"][0]["id"] == ORIGINAL.id
    assert {c["id"] for c in story["copies"]} == {ORIGINAL.id, COPY_1.id, COPY_2.id, COPY_3.id}


def test_the_story_page_lists_every_copy_with_what_it_changed(
    make_index: Callable[..., Path],
) -> None:
    client = _client(make_index(SYNDICATED, "updated"))
    story = client.get(f"/api/stories/{ORIGINAL.id}").get_json()
    assert story["articles"] == 3
    copies = {c["id"]: c for c in story["copies"]}
    assert story["copies"][0]["id"] == ORIGINAL.id and copies[ORIGINAL.id]["first"]
    assert [(c["outlet"], c["published"]) for c in story["copies"]] == [
        ("Antara", "2024-01-08"),
        *sorted((copies[i]["outlet"], "2024-01-09") for i in (COPY_1.id, COPY_2.id)),
    ]
    assert "Senin<ins> (8/1)</ins> malam" in copies[COPY_1.id]["diff"]
    assert copies[COPY_1.id]["changed_words"] == 1
    assert "mengerahkan<ins> lima</ins> perahu" in copies[COPY_2.id]["diff"]
    assert "<ins> Sumber: Antara.</ins>" in copies[COPY_2.id]["diff"]
    page = client.get(f"/cerita/{ORIGINAL.id}?lang=en")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for c in story["copies"]:
        assert f'data-id="{c["id"]}"' in text
    assert "3 articles carry this story" in text
    # A copy is not a story of its own; an unknown id is no story, in both languages.
    for missing in (COPY_1.id, "tidak-ada"):
        resp = client.get(f"/api/stories/{missing}")
        assert resp.status_code == 404 and resp.get_json()["code"] == "story_not_found"
    assert "No story" in client.get("/cerita/tidak-ada?lang=en").get_data(as_text=True)
    assert "tidak ditemukan" in client.get("/cerita/tidak-ada?lang=id").get_data(as_text=True)


def test_a_diff_is_escaped(make_index: Callable[..., Path]) -> None:
    hostile = type(COPY_1)(**{**COPY_1.__dict__, "body": COPY_1.body + " <script>x</script>"})
    client = _client(make_index([ORIGINAL, hostile]))
    story = client.get(f"/api/stories/{ORIGINAL.id}").get_json()
    diff = story["copies"][1]["diff"]
    assert "<script>" not in diff and "&lt;script&gt;" in diff
    assert "<script>x" not in client.get(f"/cerita/{ORIGINAL.id}").get_data(as_text=True)


def test_an_index_without_stories_has_every_article_its_own(
    make_index: Callable[..., Path],
) -> None:
    index_dir = make_index(SYNDICATED)
    (current_path(index_dir) / STORIES_NAME).unlink()  # as written before stories
    client = _client(index_dir)
    collapsed = _search(client, q="banjir", collapse="story")
    assert collapsed["stories"] == collapsed["total"] == len(collapsed["hits"]) == 5
    assert client.get(f"/api/stories/{COPY_1.id}").get_json()["articles"] == 1


def test_the_results_page_toggles_collapse(make_index: Callable[..., Path]) -> None:
    client = _client(make_index(SYNDICATED))
    flat = client.get("/?q=banjir&lang=en").get_data(as_text=True)
    assert 'id="collapse"' in flat and 'aria-checked="false"' in flat
    assert "collapse=story" in flat and 'id="stories"' not in flat
    page = client.get("/?q=banjir&collapse=story&lang=en").get_data(as_text=True)
    assert 'aria-checked="true"' in page
    assert 'data-stories="3"' in page and "in 3 stories" in page
    assert page.count('class="hit"') == 3
    assert "other outlets carried this story" in page
    assert f'href="/cerita/{ORIGINAL.id}"' in page
    assert "first: Antara" in page
    # The search form keeps the toggle; a bad value is refused with the field named.
    assert 'name="collapse" value="story"' in page
    resp = client.get("/api/search?q=banjir&collapse=outlet")
    assert resp.status_code == 400 and "collapse" in resp.get_json()["errors"]


@pytest.mark.parametrize("damage", [b"", b"not a numpy file", b"PK\x03\x04 broken zip"])
def test_an_unreadable_stories_file_leaves_every_article_its_own(
    make_index: Callable[..., Path], damage: bytes
) -> None:
    index_dir = make_index(SYNDICATED)
    path = current_path(index_dir) / STORIES_NAME
    path.unlink()  # the generation's files are hard links of nothing else here; replace it
    path.write_bytes(damage)
    collapsed = _search(_client(index_dir), q="banjir", collapse="story")
    assert collapsed["stories"] == collapsed["total"] == 5


def test_a_story_of_hundreds_of_copies(make_index: Callable[..., Path]) -> None:
    # One page archived 150 times (the copies dated over five days, from two outlets) beside
    # the flood stories: a row reads only the copies it lists, and counts stay exact.
    copies = [
        type(ORIGINAL)(
            **{
                **ORIGINAL.__dict__,
                "id": f"ulang-{i:03d}",
                "outlet": ("Antara", "Kabar Kota")[i % 2],
                "published": ORIGINAL.published.replace(day=10 + i % 5),  # type: ignore[union-attr]
            }
        )
        for i in range(150)
    ]
    client = _client(make_index([*SYNDICATED, *copies]))
    collapsed = _search(client, q="banjir", collapse="story")
    assert (collapsed["total"], collapsed["stories"]) == (155, 3)
    assert sum(h["story"]["matched"] for h in collapsed["hits"]) == 155
    flood = next(h for h in collapsed["hits"] if h["story"]["id"] == ORIGINAL.id)
    story = flood["story"]
    assert story["articles"] == 153 and story["first_outlet"] == "Antara"
    assert story["other_outlets"] == len(
        {"Antara", "Kabar Kota", "Warta Harian"} - {flood["outlet"]}
    )
    assert len(story["others"]) == 20
    assert story["others"][0]["id"] == ORIGINAL.id or flood["id"] == ORIGINAL.id
    days = [o["published"] for o in story["others"]]
    assert days == sorted(days)
    page = client.get(f"/api/stories/{ORIGINAL.id}").get_json()
    assert page["articles"] == 153
    assert sum(c["changed_words"] == 0 for c in page["copies"]) == 151  # the first and 150 copies
