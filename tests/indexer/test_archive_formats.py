"""Reading archives: every supported format, ids, sidecar metadata, and bad records' reasons."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from indexer.models import RawRecord, Skipped
from indexer.sources import read_archive

ROW = {
    "id": "x1",
    "url": "https://contoh.example/berita/1",
    "title": "Judul berita",
    "outlet": "Kabar Nusantara",
    "published": "2025-08-04",
    "body": "Isi berita pertama.",
}


def read(*paths: Path) -> tuple[list[RawRecord], list[Skipped]]:
    items = list(read_archive(list(paths)))
    return [i for i in items if isinstance(i, RawRecord)], [
        i for i in items if isinstance(i, Skipped)
    ]


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_txt_first_nonempty_line_is_title_rest_is_body(tmp_path: Path) -> None:
    folder = tmp_path / "arsip" / "2025"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(
        "\n\n  Judul di sini  \n\nParagraf satu.\n\nParagraf dua.\n", encoding="utf-8"
    )
    records, skipped = read(tmp_path / "arsip")
    assert skipped == []
    [rec] = records
    assert rec.fields["title"] == "Judul di sini"
    assert rec.fields["body"] == "Paragraf satu.\n\nParagraf dua."
    # No id or url: the id is the path relative to the archive root.
    assert rec.doc_id == "2025/a.txt"


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".json", ".csv"])
def test_structured_formats_give_the_same_record(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"arsip{suffix}"
    if suffix == ".jsonl":
        write_jsonl(path, [ROW])
    elif suffix == ".jsonl.gz":
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(json.dumps(ROW) + "\n")
    elif suffix == ".json":
        path.write_text(json.dumps([ROW]), encoding="utf-8")
    else:
        header = ",".join(ROW)
        values = ",".join(f'"{v}"' for v in ROW.values())
        path.write_text(f"{header}\n{values}\n", encoding="utf-8")
    records, skipped = read(path)
    assert skipped == []
    [rec] = records
    assert rec.doc_id == "x1"
    assert {k: rec.fields[k] for k in ROW} == ROW


def test_id_falls_back_to_url_then_position(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    write_jsonl(path, [{**ROW, "id": None}, {"title": "Tanpa id", "body": "Isi."}])
    records, _ = read(path)
    assert [r.doc_id for r in records] == [ROW["url"], "a.jsonl#2"]


def test_csv_with_quoted_newlines_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        'id,title,body\n1,Satu,"Baris satu\nbaris dua, dengan ""kutipan"""\n2,Dua,Isi dua\n',
        encoding="utf-8",
    )
    records, _ = read(path)
    assert [r.doc_id for r in records] == ["1", "2"]
    assert records[0].fields["body"] == 'Baris satu\nbaris dua, dengan "kutipan"'
    assert [r.line for r in records] == [2, 4]


def test_sidecar_json_and_manifest_supply_metadata(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Judul A\nIsi A.", encoding="utf-8")
    (tmp_path / "a.json").write_text(
        json.dumps({"outlet": "Warta Timur", "published": "2025-09-01"}), encoding="utf-8"
    )
    (tmp_path / "b.txt").write_text("Judul B\nIsi B.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,id,outlet\nb.txt,b-1,Suara Pesisir\n", encoding="utf-8"
    )
    records, skipped = read(tmp_path)
    assert skipped == []  # neither the sidecar nor the manifest is read as an article
    by_title = {r.fields["title"]: r for r in records}
    assert by_title["Judul A"].sidecar == {"outlet": "Warta Timur", "published": "2025-09-01"}
    assert by_title["Judul B"].doc_id == "b-1"
    assert by_title["Judul B"].sidecar["outlet"] == "Suara Pesisir"


def test_bad_records_are_skipped_with_file_line_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "campur.jsonl"
    path.write_text(
        json.dumps(ROW) + "\n"
        "{not json\n"
        "[1, 2]\n" + json.dumps({"id": "kosong"}) + "\n" + json.dumps({**ROW, "id": "x2"}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "gambar.png").write_bytes(b"\x89PNG\x00\x00")
    (tmp_path / "kosong.txt").write_text("   \n", encoding="utf-8")
    records, skipped = read(tmp_path)
    assert [r.doc_id for r in records] == ["x1", "x2"]  # good records around bad ones survive
    reasons = {(Path(s.source).name, s.line): s.reason for s in skipped}
    assert reasons[("campur.jsonl", 2)].startswith("invalid JSON")
    assert reasons[("campur.jsonl", 3)] == "expected a JSON object, got list"
    assert reasons[("campur.jsonl", 4)] == "no title and no body"
    assert reasons[("gambar.png", None)] == "unsupported file type .png"
    assert reasons[("kosong.txt", None)] == "empty file"


def test_missing_path_is_reported_not_raised(tmp_path: Path) -> None:
    records, skipped = read(tmp_path / "tidak-ada")
    assert records == []
    assert skipped[0].reason == "no such file or folder"


def test_truncated_gzip_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    path = tmp_path / "rusak.jsonl.gz"
    data = gzip.compress(
        "".join(json.dumps({**ROW, "id": f"r{i}"}) + "\n" for i in range(200)).encode()
    )
    path.write_bytes(data[: len(data) // 2])
    records, skipped = read(path)
    assert 0 < len(records) < 200
    assert [r.doc_id for r in records] == [f"r{i}" for i in range(len(records))]
    assert "damaged" in skipped[-1].reason
