"""Issue #20, round 18: error kinds the fresh facet sets fresh..fresh7 share (bench/facet_labels.tsv),
each rule a test through extract_entities that fails without it; guards keep what was right.
The texts are CLICK-ID's own sentences, cut to what matters. (fresh8 was labelled before these
rules and chose none of them: its figures after the round are held out.)"""

from __future__ import annotations

import pytest

from tests.entity_cases import check_case

CASES = [
    # A body cut at "Kab." (the dot read as a sentence's end) runs on over the regency.
    pytest.param(
        "Berdasarkan data dari Dinas Kesehatan Kab. Purwakarta Tahun 2018, tercatat sebanyak "
        "6.192 anak stunting. Sementara itu menurut data dari Dinas Sosial Pemberdayaan "
        "Perempuan dan Perlindungan Anak Kab. Purwakarta, jumlah keluarga penerima naik.",
        "organisation",
        [
            "Dinas Kesehatan Kabupaten Purwakarta",
            "Dinas Sosial Pemberdayaan Perempuan dan Perlindungan Anak Kabupaten Purwakarta",
        ],
        ["Dinas Kesehatan Kab", "Dinas Sosial Pemberdayaan Perempuan dan Perlindungan Anak Kab"],
        id="a-body-cut-at-kab",
    ),
    pytest.param(
        "Menurutnya, tim yang terdiri dari BPSPL Denpasar, Dinas Perikanan Kab. Probolinggo, "
        "dan polisi turun ke lokasi.",
        "organisation",
        ["Dinas Perikanan Kabupaten Probolinggo"],
        ["Dinas Perikanan Kab"],
        id="kab-before-a-regency",
    ),
    # "&" inside a company's or a foundation's name.
    pytest.param(
        "KPK telah menetapkan pemilik PT Borneo Lumbung Energi & Metal Samin Tan sebagai "
        "tersangka pemberi suap.",
        "organisation",
        ["PT Borneo Lumbung Energi & Metal"],
        ["PT Borneo Lumbung Energi", "Metal Samin Tan"],
        id="ampersand-in-a-company",
    ),
    pytest.param(
        "Program itu turut didukung oleh PT AKR Corporindo, PT Bank Mandiri, William & Lily "
        "Foundation, PT Tower Bersama Infrastructure.",
        "organisation",
        ["William & Lily Foundation"],
        ["Lily Foundation", "William"],
        id="ampersand-in-a-foundation",
    ),
    # A body glued to the person after it, whom the article names on its own.
    pytest.param(
        "Pendiri Kaskus Andrew Darwis Dilaporkan Atas Kasus Pemalsuan\n\nPendiri forum daring "
        "terbesar di Indonesia, Kaskus, Andrew Darwis dilaporkan ke Polda Metro Jaya.",
        "person",
        ["Andrew Darwis"],
        ["Kaskus Andrew Darwis"],
        id="a-one-word-body-glued-to-its-founder",
    ),
    pytest.param(
        "Kepala Dinas Pertanian Kabupaten Sragen Eka Rini Mumpuni Titi Lestari menyebutkan padi "
        "yang ditanam petani Sragen hampir panen. Menurut Eka Rini, hasilnya bagus.",
        "organisation",
        ["Dinas Pertanian Kabupaten Sragen"],
        ["Dinas Pertanian Kabupaten Sragen Eka Rini Mumpuni"],
        id="a-regency-s-office-glued-to-its-head",
    ),
    # A known body glued to a one-word name.
    pytest.param(
        "Mantan Ketua Umum Partai Persatuan Pembangunan Romahurmuziy mengatakan tak mengikuti "
        "polemik revisi Undang-Undang KPK.",
        "person",
        ["Romahurmuziy"],
        ["Partai Persatuan Pembangunan Romahurmuziy"],
        id="a-known-body-glued-to-a-one-word-name",
    ),
    # Guards: "&" between two names of their own, a body's own last words, a region after it.
    pytest.param(
        "Obat dari Johnson & Johnson dijual di apotek. Ketua DPD Partai Golkar Sulsel hadir.",
        "organisation",
        [],
        ["Johnson & Johnson Dijual", "Golkar"],
        id="guards-ampersand-and-region",
    ),
    pytest.param(
        "Partai Keadilan Sejahtera menolak usulan itu. Kantor Dinas Kesehatan Kab. di sana tutup.",
        "organisation",
        ["PKS"],
        ["Partai Keadilan"],
        id="guards-a-body-s-own-last-word-and-kab-alone",
    ),
]


@pytest.mark.parametrize(("text", "facet", "present", "absent"), CASES)
def test_round18_case(text: str, facet: str, present: list[str], absent: list[str]) -> None:
    check_case(text, facet, present, absent)
