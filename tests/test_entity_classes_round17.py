"""Issue #20, round 17: error kinds the seven fresh facet sets share (bench/facet_labels.tsv,
"fresh".."fresh7"), each rule a test that fails without it. The texts are CLICK-ID's own
sentences, cut to what matters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from tests.archive_api import facet_and_hits, news, serve_archive
from tests.entity_cases import check_case

# An acronym stands for one body: UI, which articles spell out as Universitas Indonesia, is no
# acronym of "PT Unilever Indonesia Tbk", though that company's initials spell it too.
ARCHIVE = [
    *(
        news(f"ui{i}", "Mahasiswa Universitas Indonesia (UI) berunjuk rasa di depan DPR.")
        for i in range(4)
    ),
    *(news(f"u{i}", "Rektor UI meminta mahasiswa menjaga ketertiban kampus.") for i in range(6)),
    *(
        news(
            f"pt{i}",
            "Sampo itu merek perawatan rambut dari PT Unilever Indonesia Tbk. yang dipercaya.",
        )
        for i in range(2)
    ),
]
COMPANY = {"pt0", "pt1"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    yield from serve_archive(tmp_path_factory.mktemp("round17"), ARCHIVE)


def _search(client: FlaskClient, **params: str) -> tuple[dict[str, int], set[str]]:
    return facet_and_hits(client, "organisation", **params)


def test_an_acronym_spelled_out_as_a_university_takes_no_company(client: FlaskClient) -> None:
    values, _ = _search(client)
    assert values.get("UI") == 10, values
    company = [v for v in values if "Unilever" in v]
    assert len(company) == 1 and values[company[0]] == 2, values
    _, hits = _search(client, organisation=company[0])
    assert hits == COMPANY
    _, hits = _search(client, organisation="UI")
    assert not hits & COMPANY


CASES = [
    # A body's name runs on over "dan" and commas (indexer.ner.body_run_on).
    pytest.param(
        "Rinciannya, 25 orang dari Dinas Penanggulangan Kebakaran dan Penyelamatan, 10 orang "
        "dari Dinas Kesehatan yang akan membuat dua posko.",
        "organisation",
        ["Dinas Penanggulangan Kebakaran dan Penyelamatan", "Dinas Kesehatan"],
        ["Dinas Penanggulangan Kebakaran"],
        id="dan-inside-a-body",
    ),
    pytest.param(
        "Menurut data Indeks Pembangunan Kesehatan Masyarakat 2014 milik Badan Penelitian dan "
        "Pengembangan Kesehatan Kementerian Kesehatan, angka itu naik.",
        "organisation",
        ["Badan Penelitian dan Pengembangan Kesehatan", "Kementerian Kesehatan"],
        ["Badan Penelitian"],
        id="dan-inside-a-body-before-another",
    ),
    pytest.param(
        "Kepala Badan Pengatur Hilir Minyak dan Gas Bumi (BPH Migas) Fanshurullah Asa "
        "mengatakan kuota solar cukup.",
        "organisation",
        ["Badan Pengatur Hilir Minyak dan Gas Bumi"],
        ["Badan Pengatur Hilir Minyak"],
        id="dan-inside-a-body-before-its-acronym",
    ),
    pytest.param(
        "Direktur Kesehatan Hewan Direktorat Jenderal Peternakan dan Kesehatan Hewan "
        "Kementerian Pertanian, Fadjar Sumping, mengatakan hal itu.",
        "organisation",
        ["Direktorat Jenderal Peternakan dan Kesehatan Hewan", "Kementerian Pertanian"],
        ["Direktorat Jenderal Peternakan"],
        id="dan-inside-a-directorate-general",
    ),
    pytest.param(
        "IMLOW Apresiasi Ekspor Ulang Kontainer Limbah Plastik Impor\nAsosiasi Masyarakat "
        "Maritim, Logistik dan Transportasi Indonesia/Indonesia Maritime Logistic Transportation "
        "Watch (IMLOW) mengapresiasi usaha pemerintah mengatasi permasalahan importasi limbah "
        "plastik. Sekjen IMLOW, Achmad Ridwan Tento, mengatakan hal itu.",
        "organisation",
        ["Asosiasi Masyarakat Maritim, Logistik dan Transportasi Indonesia"],
        ["Asosiasi Masyarakat Maritim"],
        id="comma-and-dan-inside-a-body",
    ),
    # Guards: two bodies joined by "dan" stay two; a Title Case headline runs on nowhere.
    pytest.param(
        "Rapat itu dihadiri pejabat Kementerian Keuangan dan Bank Indonesia di Jakarta.",
        "organisation",
        ["Kementerian Keuangan"],
        ["Kementerian Keuangan dan Bank Indonesia", "Kementerian Keuangan dan Bank"],
        id="two-bodies-joined-by-dan",
    ),
    # A body with the state's short form after it, a state company's form before it.
    pytest.param(
        "Sebagai turut tergugat, KPU RI juga harus tunduk dan patuh pada putusan PN Jaksel itu. "
        "Rekapitulasi suara dilakukan KPU di Jakarta.",
        "organisation",
        ["KPU"],
        ["KPU RI"],
        id="acronym-ri",
    ),
    pytest.param(
        "Bagaimana mekanisme penerbitan SP3 di lembaga penegak hukum lainnya, baik di Kepolisian "
        "RI dan Kejaksaan?",
        "organisation",
        ["Polri"],
        ["Kepolisian RI"],
        id="body-ri-as-its-official-name",
    ),
    pytest.param(
        "Direktur Utama Perum Bulog Budi Waseso memastikan stok beras aman.",
        "organisation",
        ["Bulog"],
        ["Perum Bulog"],
        id="perum-company",
    ),
    pytest.param(
        "Korban tinggal di Perum Griya Asri Cikembulan, Kecamatan Cilodong.",
        "place",
        ["Kecamatan Cilodong"],
        ["Griya"],
        id="perum-housing-estate-stays",
    ),
    # MotoGP teams by their sponsors' names (aliases.tsv), riders in racing results.
    pytest.param(
        "9. Alex Rins - Suzuki Ecstar (GSX-RR) +1.099s,10. Cal Crutchlow - LCR Honda (RC213V) "
        "+1.132s,18. Tito Rabat - Reale Avintia Ducati (GP18) +1.431s. Pembalap Red Bull KTM "
        "Tech3 Hafizh Syahrin finis ke-23.",
        "person",
        ["Cal Crutchlow", "Tito Rabat", "Hafizh Syahrin"],
        [],
        id="riders-in-a-results-list",
    ),
    pytest.param(
        "Cal Crutchlow (LCR Honda Castrol) gagal melaju dari Q1, sedangkan Takaaki Nakagami "
        "(LCR Honda Idemitsu) start dari P10. Pebalap Monster Energy Yamaha MotoGP, Valentino "
        "Rossi, start dari posisi keempat; Monster Energy mengincar podium di Misano.",
        "organisation",
        ["LCR Honda", "Monster Energy Yamaha"],
        ["LCR Honda Castrol", "LCR Honda Idemitsu", "Monster Energy"],
        id="a-team-under-its-sponsors-names",
    ),
    pytest.param(
        "Monster Energy meluncurkan minuman baru untuk pasar Asia.",
        "organisation",
        ["Monster Energy"],
        ["Monster Energy Yamaha"],
        id="a-sponsor-outside-racing-is-itself",
    ),
    # A company's service glued to its name.
    pytest.param(
        "SMF memberikan akses kredit bagi para mitra pengemudi GrabCar melalui Program KPR "
        "SMF-Grab. Layanan GrabFood dan GrabKitchen milik Grab tumbuh pesat.",
        "organisation",
        ["Grab"],
        ["GrabCar", "GrabFood", "GrabKitchen"],
        id="services-glued-to-the-company",
    ),
    pytest.param(
        "Pengguna YouTube dan WhatsApp di Indonesia terus bertambah.",
        "organisation",
        ["YouTube", "WhatsApp"],
        [],
        id="brands-of-that-shape-stay",
    ),
]


CASES += [
    # A title begun before the span ("Kepala Staf [Kepresidenan Moeldoko]").
    pytest.param(
        "Menanggapi hal itu Kepala Staf Kepresidenan Moeldoko pun turut buka suara. Produk "
        "besutan Kepala Staf Kepresidenan Moeldoko, yakni PT Mobil Anak Bangsa, sudah dipesan.",
        "person",
        ["Moeldoko"],
        ["Kepresidenan Moeldoko", "Staf Kepresidenan Moeldoko", "Staf Kepresidenan"],
        id="a-title-begun-before-the-span",
    ),
    pytest.param(
        "Kepala Kantor Staf Presiden Moeldoko meyakini dewan pengawas tidak melemahkan KPK.",
        "person",
        ["Moeldoko"],
        ["Kantor Staf Presiden Moeldoko"],
        id="an-office-s-head-before-the-name",
    ),
    pytest.param(
        "Almarhum Habibie juga merupakan sosok penting dalam sejarah cikal bakal Telkomsel.",
        "person",
        ["Habibie"],
        ["Almarhum Habibie"],
        id="the-late-is-a-title",
    ),
    # A headline's weekday after a place or body; an electoral district's number.
    pytest.param(
        "Kehadirannya di Istana Jumat pagi tadi adalah untuk berkomunikasi dengan Presiden.",
        "place",
        [],
        ["Istana Jumat", "Istana"],
        id="a-weekday-after-a-head-word",
    ),
    pytest.param(
        "Pada Pileg 2019, Daniel menjadi caleg DPR RI dari PDI-P dan maju lewat dapil Jawa "
        "Barat VII. Namun, ia gagal mendapat kepercayaan.",
        "place",
        ["Jawa Barat"],
        ["Jawa Barat VII"],
        id="an-electoral-district-s-number",
    ),
]


@pytest.mark.parametrize(("text", "facet", "present", "absent"), CASES)
def test_round17_case(text: str, facet: str, present: list[str], absent: list[str]) -> None:
    check_case(text, facet, present, absent)


def test_a_misnomer_of_the_same_bank_does_not_keep_its_acronym_from_the_company() -> None:
    """Articles that write "Bank Nasional Indonesia (BNI)" say BNI is a bank, as PT Bank Negara
    Indonesia is: the company still joins its acronym (only another kind of body, Universitas
    Indonesia for UI, keeps an acronym from a company its initials spell)."""
    from collections import Counter

    from index_format.entity_merge import company_merges

    counts = {"BNI": 90, "PT Bank Negara Indonesia": 10, "UI": 300, "PT Unilever Indonesia": 4}
    evidence = {
        "bank nasional indonesia": Counter({"BNI": 2}),
        "universitas indonesia": Counter({"UI": 12}),
    }
    assert company_merges(counts, {}, evidence) == {"PT Bank Negara Indonesia": "BNI"}
