"""Entities: the tagger's output merged into names an analyst can count on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.entities import Entity, entity_facets, extract_entities
from indexer.ner.aliases import AliasFileError, load_aliases
from indexer.ner.cli import entities_command
from indexer.ner.merge import display_form, merge
from indexer.ner.scoring import spans
from indexer.ner.tokenize import tokenize

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _tag(text: str, marked: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """(label, start, end) for each (label, surface), found left to right in `text`."""
    out, pos = [], 0
    for label, surface in marked:
        start = text.index(surface, pos)
        out.append((label, start, start + len(surface)))
        pos = start + len(surface)
    return out


# text, the tagger's spans (label, surface), the expected (label, canonical) per kept mention.
MERGING = [
    pytest.param(
        "Kata Kombes Argo Yuwono kepada wartawan. Argo menambahkan, Irjen Luki Hermawan hadir.",
        [("PER", "Kombes Argo Yuwono"), ("PER", "Argo"), ("PER", "Irjen Luki Hermawan")],
        [("PER", "Argo Yuwono"), ("PER", "Argo Yuwono"), ("PER", "Luki Hermawan")],
        id="police-ranks-are-titles",
    ),
    pytest.param(
        "Presiden Kazakhstan Kassym-Jomart Tokayev berkata. Tokayev menolak.",
        [("LOC", "Kazakhstan"), ("PER", "Kassym-Jomart Tokayev"), ("PER", "Tokayev")],
        [("LOC", "Kazakhstan"), ("PER", "Kassym-Jomart Tokayev"), ("PER", "Kassym-Jomart Tokayev")],
        id="short-name-joins-full-name",
    ),
    pytest.param(
        "Hal itu membuatPresiden Kazakhstan Kassym-Jomart Tokayev angkat bicara.",
        [("LOC", "Kazakhstan Kassym-Jomart Tokayev")],
        [("LOC", "Kazakhstan"), ("PER", "Kassym-Jomart Tokayev")],
        id="title-place-name-run-split-even-after-glued-title",
    ),
    pytest.param(
        "Kassym-Jomart Tokayev datang. Presiden Tokayev pulang.",
        [("PER", "Kassym-Jomart Tokayev"), ("PER", "Presiden Tokayev")],
        [("PER", "Kassym-Jomart Tokayev"), ("PER", "Kassym-Jomart Tokayev")],
        id="title-inside-span-stripped-then-joined",
    ),
    pytest.param(
        "Menteri Luar Negeri Retno Marsudi dan Perdana Menteri Nikol Pashinyan.",
        [("PER", "Menteri Luar Negeri Retno Marsudi"), ("PER", "Perdana Menteri Nikol Pashinyan")],
        [("PER", "Retno Marsudi"), ("PER", "Nikol Pashinyan")],
        id="multiword-titles",
    ),
    pytest.param(
        "Sekretaris Jenderal Stanislav Zas, Pak Budi, Bu Susi dan Dr. H. Anies Baswedan hadir.",
        [
            ("PER", "Sekretaris Jenderal Stanislav Zas"),
            ("PER", "Pak Budi"),
            ("PER", "Bu Susi"),
            ("PER", "Dr. H. Anies Baswedan"),
        ],
        [("PER", "Stanislav Zas"), ("PER", "Budi"), ("PER", "Susi"), ("PER", "Anies Baswedan")],
        id="honorifics",
    ),
    pytest.param(
        "Organisasi Perjanjian Keamanan Kolektif (CSTO) bersidang. CSTO mengirim pasukan.",
        [("ORG", "Organisasi Perjanjian Keamanan Kolektif"), ("ORG", "CSTO"), ("ORG", "CSTO")],
        [("ORG", "CSTO"), ("ORG", "CSTO"), ("ORG", "CSTO")],
        id="acronym-in-parentheses",
    ),
    pytest.param(
        "pertemuan Organisasi Traktat (Collective Security Treaty Organization/CSTO) kemarin.",
        [("ORG", "Organisasi Traktat"), ("ORG", "Collective Security Treaty Organization/CSTO")],
        [("ORG", "CSTO"), ("ORG", "CSTO")],
        id="acronym-after-slash",
    ),
    pytest.param(
        "Badan Siber dan Sandi Negara (BSSN) menyelidiki. BSSN belum menjawab.",
        [("ORG", "Badan Siber dan Sandi Negara"), ("ORG", "BSSN")],
        [("ORG", "BSSN"), ("ORG", "BSSN")],
        id="any-expansion-joins-its-acronym",
    ),
    pytest.param(
        "NUR-SULTAN. Nursultan Nazarbayev tinggal di Nursultan.",
        [("LOC", "NUR-SULTAN"), ("PER", "Nursultan Nazarbayev"), ("LOC", "Nursultan")],
        [("LOC", "Nur-Sultan"), ("PER", "Nursultan Nazarbayev"), ("LOC", "Nur-Sultan")],
        id="place-alias-only-for-places",
    ),
    pytest.param(
        "Pak Jokowi bertemu Joko  Widodo.",
        [("PER", "Pak Jokowi"), ("PER", "Joko  Widodo")],
        [("PER", "Joko Widodo"), ("PER", "Joko Widodo")],
        id="alias-and-spacing",
    ),
    pytest.param(
        "Baca Juga: Presiden bertemu pada Senin. “Kami tidak akan mundur dari sini,” katanya.",
        [
            ("PER", "Baca Juga"),
            ("PER", "Presiden"),
            ("PER", "Senin"),
            ("PER", "“Kami tidak akan mundur dari sini,”"),
        ],
        [],
        id="never-people",
    ),
    pytest.param(
        "Tokayev dan Pemerintah Kazakhstan. Kazakhstan tenang. Di Kazakhstan, dingin.",
        [("PER", "Tokayev"), ("ORG", "Kazakhstan"), ("LOC", "Kazakhstan"), ("LOC", "Kazakhstan")],
        [("PER", "Tokayev"), ("LOC", "Kazakhstan"), ("LOC", "Kazakhstan"), ("LOC", "Kazakhstan")],
        id="one-label-per-name-in-an-article",
    ),
    pytest.param(
        "Ketua DPR RI Puan Maharani hadir. Presiden RI Joko Widodo juga.",
        [("PER", "DPR RI Puan Maharani"), ("ORG", "RI"), ("PER", "Joko Widodo")],
        [("ORG", "DPR"), ("PER", "Puan Maharani"), ("LOC", "Indonesia"), ("PER", "Joko Widodo")],
        id="acronyms-before-a-name-are-not-part-of-it",
    ),
    pytest.param(
        "KONTAN.CO.ID - Menurut Kompas.com dan Reuters, tribunnews.com salah.",
        [
            ("ORG", "KONTAN.CO.ID"),
            ("ORG", "Kompas.com"),
            ("ORG", "Reuters"),
            ("ORG", "tribunnews.com"),
        ],
        [("ORG", "Reuters")],
        id="web-addresses-are-outlets-not-organisations",
    ),
    pytest.param(
        "Panglima TNI Hadi Tjahjanto dan Ketua Komisi Pemberantasan Korupsi Agus Rahardjo hadir.",
        [
            ("ORG", "TNI"),
            ("PER", "Hadi Tjahjanto"),
            ("ORG", "Komisi Pemberantasan Korupsi"),
            ("PER", "Agus Rahardjo"),
        ],
        [("ORG", "TNI"), ("PER", "Hadi Tjahjanto"), ("ORG", "KPK"), ("PER", "Agus Rahardjo")],
        id="a-body-after-a-title-is-not-a-person",
    ),
    pytest.param(
        "Wakil Presiden AS Mike Pence tiba di RI kemarin.",
        [("ORG", "AS"), ("PER", "Mike Pence"), ("ORG", "RI")],
        [("LOC", "Amerika Serikat"), ("PER", "Mike Pence"), ("LOC", "Indonesia")],
        id="place-acronyms-are-places",
    ),
    pytest.param(
        "Menhub Budi Karya Sumadi dan Menko Polhukam Wiranto hadir. Menhub menolak.",
        [("PER", "Menhub Budi Karya Sumadi"), ("PER", "Menko Polhukam Wiranto"), ("PER", "Menhub")],
        [("PER", "Budi Karya Sumadi"), ("PER", "Wiranto")],
        id="ministers-abbreviated-titles",
    ),
    pytest.param(
        "Kasubdit Gakkum Ditlantas Polda Metro Jaya AKBP Fahri Siregar dan Kapolda Sumatera Utara"
        " Irjen Pol Agus Andrianto hadir.",
        [
            ("ORG", "Ditlantas Polda Metro Jaya AKBP"),
            ("PER", "Fahri Siregar"),
            ("PER", "Sumatera Utara"),
            ("PER", "Irjen Pol Agus Andrianto"),
        ],
        [
            ("ORG", "Ditlantas Polda Metro Jaya"),
            ("PER", "Fahri Siregar"),
            ("LOC", "Sumatera Utara"),
            ("PER", "Agus Andrianto"),
        ],
        id="ranks-belong-to-the-person-after-them",
    ),
    pytest.param(
        "Gubernur Jawa Barat Ridwan Kamil dan Wali Kota Jakarta Selatan Marullah Matali hadir.",
        [
            ("PER", "Jawa Barat Ridwan Kamil"),
            ("LOC", "Jakarta Selatan"),
            ("PER", "Marullah Matali"),
        ],
        [
            ("LOC", "Jawa Barat"),
            ("PER", "Ridwan Kamil"),
            ("LOC", "Jakarta Selatan"),
            ("PER", "Marullah Matali"),
        ],
        id="a-province-before-a-name-is-a-place",
    ),
    pytest.param(
        "Di Stadion itu, PT Jasa Marga (Persero menaikkan tarif; Persero) Tbk dan Kementerian diam.",
        [
            ("LOC", "Stadion"),
            ("PER", "PT Jasa Marga (Persero"),
            ("ORG", "Persero) Tbk"),
            ("ORG", "Kementerian"),
        ],
        [("ORG", "PT Jasa Marga")],
        id="head-words-alone-and-half-parentheses-are-no-names",
    ),
    pytest.param(
        "Kerusuhan di Kazakhstan\n\nPresiden Kazakhstan, Kassym-Jomart Tokayev berkata. Pesta di"
        " Gedung Wisma Menpora, Senayan, meriah.",
        [
            ("LOC", "Kazakhstan"),
            ("LOC", "Kazakhstan"),
            ("LOC", "Kassym-Jomart"),
            ("LOC", "Gedung Wisma Menpora"),
            ("LOC", "Senayan"),
        ],
        [
            ("LOC", "Kazakhstan"),
            ("LOC", "Kazakhstan"),
            ("PER", "Kassym-Jomart"),
            ("LOC", "Gedung Wisma Menpora"),
            ("LOC", "Senayan"),
        ],
        id="a-title-starts-its-line-or-follows-no-name",
    ),
    pytest.param(
        "Ketua Umum PDI Perjuangan Megawati Soekarnoputri dan Presiden pertama Kazakhstan"
        " Nursultan Nazarbayev hadir.",
        [
            ("ORG", "PDI Perjuangan"),
            ("PER", "Megawati Soekarnoputri"),
            ("LOC", "Kazakhstan"),
            ("PER", "Nursultan Nazarbayev"),
        ],
        [
            ("ORG", "PDIP"),
            ("PER", "Megawati Soekarnoputri"),
            ("LOC", "Kazakhstan"),
            ("PER", "Nursultan Nazarbayev"),
        ],
        id="a-listed-body-after-a-title-stays-a-body",
    ),
]


@pytest.mark.parametrize(("text", "tagged", "expected"), MERGING)
def test_merging(text: str, tagged: list[tuple[str, str]], expected: list[tuple[str, str]]) -> None:
    mentions = merge(text, _tag(text, tagged), load_aliases(None))
    assert [(m.label, m.canonical) for m in mentions] == expected


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("DPR RI", "DPR RI"),
        ("TNI AU", "TNI AU"),
        ("PDI-P", "PDI-P"),
        ("KPK", "KPK"),
        ("NUR-SULTAN", "Nur-Sultan"),
        ("JAWA BARAT", "Jawa Barat"),
        ("KOTA BARU", "Kota Baru"),  # ordinary words, however short, are shouting
        ("ALMATY", "Almaty"),
        ("kementerian luar negeri", "Kementerian Luar Negeri"),
    ],
)
def test_display_form_keeps_acronyms_and_undoes_shouting(name: str, shown: str) -> None:
    assert display_form(name) == shown


def test_extracted_acronym_runs_keep_their_capitals() -> None:
    text = (
        "Menurut laporan itu, DPR RI akan bersidang pada Senin. TNI AU mengirim pesawat ke Papua."
    )
    orgs = entity_facets(extract_entities(text))["organisation"]
    # DPR RI is DPR (packaged alias); TNI AU has no alias and keeps its capitals.
    assert orgs == ["DPR", "TNI AU"]


def test_extracted_web_addresses_are_not_organisations() -> None:
    text = "Dikutip dari Detik.com dan Tribunnews.com, KPK memeriksa saksi. JAKARTA, KOMPAS.com - KPK menolak."
    entities = extract_entities(text)
    assert not [e for e in entities if "." in e.text]
    assert entity_facets(entities)["organisation"] == ["KPK"]


def test_mention_offsets_point_at_the_name_without_its_title() -> None:
    text = "Kata Presiden Joko Widodo."
    [m] = merge(text, _tag(text, [("PER", "Presiden Joko Widodo")]), load_aliases(None))
    assert text[m.start : m.end] == "Joko Widodo"


def test_user_aliases_override_packaged_ones(tmp_path: Path) -> None:
    extra = tmp_path / "aliases.tsv"
    extra.write_text("# mine\nJokowi\tIr. Joko Widodo\tPER\nBNI\tBank Negara Indonesia\n")
    table = load_aliases(extra)
    assert table.lookup("jokowi", "PER") == "Ir. Joko Widodo"
    assert table.lookup("BNI", "ORG") == "Bank Negara Indonesia"
    assert table.lookup("Nursultan", "PER") is None
    assert table.lookup("nursultan", "LOC") == "Nur-Sultan"


@pytest.mark.parametrize("line", ["only-one-column", "a\tb\tPERSON"])
def test_malformed_alias_file_names_the_line(tmp_path: Path, line: str) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text(f"ok\tOK\n{line}\n")
    with pytest.raises(AliasFileError, match=r"bad\.tsv:2"):
        load_aliases(bad)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("kerusuhan diKazakhstan.", ["kerusuhan", "di", "Kazakhstan", "."]),
        ("membuatPresiden Kassym-Jomart", ["membuat", "Presiden", "Kassym-Jomart"]),
        ("Senin (10/1), Dr. Zas", ["Senin", "(", "10/1", ")", ",", "Dr.", "Zas"]),
        ("WowKeren - iPhone", ["WowKeren", "-", "iPhone"]),
        # Words touching . ' - or digits leave the fast path for the full rules.
        (
            "Ma'ruf dari KONTAN.CO.ID naik 3,5%.",
            ["Ma'ruf", "dari", "KONTAN.CO.ID", "naik", "3,5", "%", "."],
        ),
        ("Kassym-Jomart di bbc.com, H. Zas", ["Kassym-Jomart", "di", "bbc.com", ",", "H.", "Zas"]),
        ("Covid19 dan G20_x", ["Covid19", "dan", "G20", "_", "x"]),
    ],
)
def test_tokenizer_splits_glued_words_and_keeps_offsets(text: str, words: list[str]) -> None:
    tokens = tokenize(text)
    assert [t.text for t in tokens] == words
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_bio_spans_are_exact_and_tolerate_stray_inside_tags() -> None:
    tags = ["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "B-ORG", "I-PER"]
    assert spans(tags) == {
        ("PER", 0, 2),
        ("LOC", 3, 4),
        ("ORG", 4, 5),
        ("ORG", 5, 6),
        ("PER", 6, 7),
    }


def test_extract_entities_finds_names_with_exact_offsets() -> None:
    text = (
        "Presiden Joko Widodo bertemu Perdana Menteri Jepang Fumio Kishida di Jakarta, Senin."
        " Jokowi mengatakan Indonesia dan Jepang sepakat."
    )
    ents = extract_entities(text)
    assert all(text[e.start : e.end] == e.text for e in ents)
    facets = entity_facets(ents)
    assert facets["person"] == ["Joko Widodo", "Fumio Kishida"]
    assert "Jakarta" in facets["place"]


def test_entity_facets_are_distinct_canonical_names() -> None:
    ents = [
        Entity("Tokayev", "PER", 0, 7, "Kassym-Jomart Tokayev"),
        Entity("Kassym-Jomart Tokayev", "PER", 10, 31, "Kassym-Jomart Tokayev"),
        Entity("CSTO", "ORG", 40, 44, "CSTO"),
    ]
    assert entity_facets(ents) == {
        "person": ["Kassym-Jomart Tokayev"],
        "organisation": ["CSTO"],
        "place": [],
    }


def test_cli_prints_one_json_object_per_entity() -> None:
    from indexer.cli import main

    text = "Presiden Kazakhstan Kassym-Jomart Tokayev tiba di Almaty."
    result = CliRunner().invoke(main, ["entities", "-"], input=text)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert {"text": "Kassym-Jomart Tokayev", "label": "PER", "start": 20, "end": 41,
            "canonical": "Kassym-Jomart Tokayev"} in records  # fmt: skip
    assert all(set(r) == {"text", "label", "start", "end", "canonical"} for r in records)


def test_cli_reads_a_file_with_user_aliases(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Pak Jokowi meresmikan bendungan.", encoding="utf-8")
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text("Jokowi\tJoko Widodo (Presiden RI ke-7)\tPER\n", encoding="utf-8")
    result = CliRunner().invoke(entities_command, [str(article), "--aliases", str(aliases)])
    assert result.exit_code == 0, result.output
    assert (
        json.loads(result.output.splitlines()[0])["canonical"] == "Joko Widodo (Presiden RI ke-7)"
    )


# --- acceptance on the user's seed articles ---------------------------------------------------

PEOPLE = [
    "Kassym-Jomart Tokayev",
    "Vladimir Putin",
    "Nursultan Nazarbayev",
    "Antony Blinken",
    "Charles Michel",
    "Nikol Pashinyan",
    "Alexander Lukashenko",
    "Emomali Rahmon",
    "Akylbek Japarov",
    "Stanislav Zas",
]
PLACES = ["Kazakhstan", "Almaty", "Nur-Sultan", "Rusia", "Ukraina"]
NEVER_PEOPLE = {"baca", "baca juga", "senin", "selasa", "presiden"}


@pytest.fixture(scope="module")
def seed_facets() -> list[dict[str, list[str]]]:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not here ({SEEDS})")
    return [
        entity_facets(extract_entities(p.read_text(encoding="utf-8")))
        for p in sorted(SEEDS.glob("*.txt"))
    ]


def _union(facets: list[dict[str, list[str]]], key: str) -> set[str]:
    return {name for f in facets for name in f[key]}


@pytest.mark.parametrize("person", PEOPLE)
def test_seed_person_is_one_facet_value(
    seed_facets: list[dict[str, list[str]]], person: str
) -> None:
    people = _union(seed_facets, "person")
    assert person in people
    # No other value is a variant of this person (a part of the name, or the name with a title).
    words = set(person.split())
    variants = {p for p in people if p != person and (words & set(p.split()))}
    assert not variants


def test_seed_organisations(seed_facets: list[dict[str, list[str]]]) -> None:
    assert all("CSTO" in f["organisation"] for f in seed_facets)
    orgs = _union(seed_facets, "organisation")
    assert "Reuters" in orgs
    assert not [o for o in orgs if "Kolektif" in o or "Collective" in o or "CSTO" in o[1:]]


def test_seed_places(seed_facets: list[dict[str, list[str]]]) -> None:
    assert all("Kazakhstan" in f["place"] for f in seed_facets)
    assert set(PLACES) <= _union(seed_facets, "place")


def test_seed_never_people(seed_facets: list[dict[str, list[str]]]) -> None:
    people = _union(seed_facets, "person")
    assert not {p for p in people if p.casefold() in NEVER_PEOPLE}
    assert not [p for p in people if any(q in p for q in '"“”') or len(p.split()) > 4]


def test_seed_facets_end_to_end(tmp_path: Path) -> None:
    """Index the seeds and search "kazakhstan": the facets an analyst sees."""
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not here ({SEEDS})")
    from indexer.build import rebuild_index
    from search.models import SearchRequest
    from search.service import SearchService

    rebuild_index([SEEDS], tmp_path / "index")
    result = SearchService(tmp_path / "index").search(SearchRequest(q="kazakhstan"))
    counts = {key: {v.value: v.count for v in result.facets[key]} for key in ENTITY_KEYS}
    for person in PEOPLE:
        assert person in counts["person"]
        assert not [
            p for p in counts["person"] if p != person and set(p.split()) & set(person.split())
        ]
    assert counts["organisation"]["CSTO"] == 5
    assert "Reuters" in counts["organisation"]
    assert counts["place"]["Kazakhstan"] == 5
    assert set(PLACES) <= set(counts["place"])
    assert not {p for p in counts["person"] if p.casefold() in NEVER_PEOPLE}


ENTITY_KEYS = ("person", "organisation", "place")


def test_long_lowercase_spans_merge_in_linear_time() -> None:
    """A scraped page once made a regex backtrack for minutes; merging must stay fast."""
    import time

    aliases = load_aliases(None)
    merge("Presiden Joko Widodo", [("PER", 9, 20)], aliases)  # first-call loading aside
    text = "x " + "kata-kata, yang_ panjang . " * 400 + "Jakarta"
    # CPU time (the suite runs beside other work): ~10 ms; the backtracking took minutes.
    started = time.process_time()
    merge(text, [("ORG", 0, len(text))], aliases)
    assert time.process_time() - started < 1.0
