"""A small archive with syndicated copies, written for these tests: one flood story carried
by three outlets with small edits, a second flood story of its own, and unrelated articles."""

from __future__ import annotations

from indexer.models import Article
from tests.conftest import article

WIRE = (
    "Banjir merendam ratusan rumah warga di Kecamatan Bekasi Utara setelah hujan deras "
    "mengguyur sejak Senin malam. Ketinggian air mencapai satu meter di beberapa titik dan "
    "warga mulai mengungsi ke masjid serta balai desa terdekat. Badan Penanggulangan Bencana "
    "Daerah mengerahkan perahu karet untuk mengevakuasi lansia dan anak-anak. Kepala pelaksana "
    "mengatakan tanggul sungai yang jebol menjadi penyebab utama air meluap ke permukiman. "
    "Petugas juga mendirikan dapur umum untuk para pengungsi yang jumlahnya terus bertambah "
    "hingga Selasa pagi. Pemerintah kota meminta warga di bantaran sungai tetap waspada karena "
    "hujan diperkirakan masih turun dalam tiga hari ke depan."
)


def _edit(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


ORIGINAL = article(
    "antara-banjir-bekasi",
    "Banjir rendam ratusan rumah di Bekasi Utara",
    WIRE,
    outlet="Antara",
    published="2024-01-08",
)
COPY_1 = article(
    "kabar-banjir-bekasi",
    "Ratusan rumah di Bekasi terendam banjir",
    _edit(WIRE, "sejak Senin malam", "sejak Senin (8/1) malam"),
    outlet="Kabar Kota",
    published="2024-01-09",
)
COPY_2 = article(
    "warta-banjir-bekasi",
    "Tanggul jebol, banjir rendam Bekasi Utara",
    _edit(WIRE, "perahu karet", "lima perahu karet") + " Sumber: Antara.",
    outlet="Warta Harian",
    published="2024-01-09",
)
# A later copy, for update-index to join to the story.
COPY_3 = article(
    "suara-banjir-bekasi",
    "Banjir Bekasi: warga mengungsi ke masjid",
    _edit(WIRE, "satu meter", "sekitar satu meter"),
    outlet="Suara Pagi",
    published="2024-01-10",
)
OTHER_FLOOD = article(
    "banjir-semarang",
    "Banjir rob genangi pelabuhan Semarang",
    "Banjir rob kembali menggenangi kawasan pelabuhan Tanjung Emas Semarang pada Rabu siang. "
    "Air laut pasang naik hingga tiga puluh sentimeter dan mengganggu aktivitas bongkar muat "
    "kapal. Pengelola pelabuhan memasang pompa tambahan dan meninggikan jalan akses menuju "
    "dermaga. Nelayan di sekitar pelabuhan memilih tidak melaut karena gelombang tinggi.",
    outlet="Kabar Kota",
    published="2024-01-07",
)
ELECTION = article(
    "pemilu-logistik",
    "Logistik pemilu tiba di gudang KPU",
    "Kotak suara dan bilik suara untuk pemilihan umum tiba di gudang Komisi Pemilihan Umum "
    "kabupaten pada Kamis. Petugas memeriksa setiap kotak sebelum disimpan dan dijaga aparat "
    "keamanan selama dua puluh empat jam. Distribusi ke kecamatan dijadwalkan pekan depan "
    "setelah proses pelipatan surat suara selesai dikerjakan oleh tenaga harian lepas.",
    outlet="Warta Harian",
    published="2024-01-05",
)
SHORT = article("singkat", "Banjir", "Banjir lagi.", outlet="Antara", published="2024-01-08")

SYNDICATED: list[Article] = [ORIGINAL, COPY_1, COPY_2, OTHER_FLOOD, ELECTION, SHORT]
