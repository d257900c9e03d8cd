"""The page's words in Indonesian (the default) and English. The API stays language-neutral.

The language comes from `?lang=id|en` (remembered in a cookie), else the cookie, else Indonesian.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from index_format import facets as registry
from webui.page_words import PAGE_STRINGS

LANGS = ("id", "en")
DEFAULT_LANG = "id"
COOKIE = "lang"

# key: (Indonesian, English). Placeholders use str.format names.
STRINGS: dict[str, tuple[str, str]] = {
    "tagline": (
        "Telusur — pencarian arsip berita berbahasa Indonesia.",
        "Telusur — search for archives of Indonesian-language news.",
    ),
    "placeholder": ("Cari berita, tokoh, tempat…", "Search news, people, places…"),
    "query_label": ("Kata kunci", "Keywords"),
    "search": ("Cari", "Search"),
    "other_lang": ("English", "Bahasa Indonesia"),
    "intro_title": ("Cari di arsip berita", "Search the news archive"),
    "intro_type": ("Ketik kata kunci di kotak pencarian.", "Type keywords into the search box."),
    "intro_help": (
        "Semua kata harus cocok. Gunakan {phrase} untuk frasa persis, {minus} untuk mengecualikan, "
        "{or} untuk salah satu, dan {title} untuk mencari di judul.",
        "All words must match. Use {phrase} for an exact phrase, {minus} to exclude a word, "
        "{or} for either word and {title} to search titles only.",
    ),
    "intro_more": (
        "Kata dicari dalam bentuk apa pun (kerusuhan juga menemukan rusuh), tetapi nama tidak "
        "dipotong: Bekasi tidak menemukan barang bekas. Pertanyaan boleh diketik langsung; "
        "siapa, apa, kapan, berapa tidak wajib ada. Singkatan ikut dicari: DPR = Dewan Perwakilan "
        "Rakyat, Jokowi = Joko Widodo. Jumlah berita hanya menghitung berita yang memuat semua "
        "kata; jika kurang dari 10, berita yang memuat sebagian besar kata ditampilkan terpisah.",
        "Words match in any inflection (kerusuhan also finds rusuh), but names are never cut: "
        "Bekasi does not find barang bekas. Questions can be typed as they are; siapa, apa, "
        "kapan, berapa need not appear. Abbreviations are expanded: DPR = Dewan Perwakilan "
        "Rakyat, Jokowi = Joko Widodo. Counts count only the articles with every word; when "
        "fewer than 10 have them all, the articles with most of the words are shown apart.",
    ),
    "intro_archive": (
        "Arsip memuat {n} berita dari {start} sampai {end}.",
        "The archive holds {n} articles from {start} to {end}.",
    ),
    "keys_help": (
        "Tekan / untuk ke kotak pencarian, j dan k untuk berpindah antarhasil.",
        "Press / to jump to the search box, j and k to move between results.",
    ),
    "filters": ("Saring hasil", "Filter results"),
    "facet_outlet": ("Media", "Outlet"),
    "facet_published": ("Waktu", "Time"),
    "facet_person": ("Tokoh", "People"),
    "facet_organisation": ("Organisasi", "Organisations"),
    "facet_place": ("Tempat", "Places"),
    "clear": ("Hapus", "Clear"),
    "clear_facet": ("Hapus filter {facet}", "Clear the {facet} filter"),
    "apply": ("Terapkan", "Apply"),
    "show_more": ("Tampilkan {n} lainnya", "Show {n} more"),
    "show_all": ("Daftar lengkap", "Full list"),
    "filter_list": ("Saring daftar {facet}", "Filter the {facet} list"),
    "filter_placeholder": ("Saring…", "Filter…"),
    "none": ("Tidak ada", "None"),
    "date_from": ("Dari", "From"),
    "date_to": ("Sampai", "To"),
    "presets": ("Rentang cepat", "Quick ranges"),
    "whole_archive": ("Seluruh arsip", "Whole archive"),
    "last_30": ("30 hari terakhir arsip", "Archive's last 30 days"),
    "last_365": ("Setahun terakhir arsip", "Archive's last year"),
    "timeline": ("Jumlah berita per {interval}", "Articles per {interval}"),
    "interval_day": ("hari", "day"),
    "interval_week": ("minggu", "week"),
    "interval_month": ("bulan", "month"),
    "interval_year": ("tahun", "year"),
    "timeline_help": (
        "Klik batang atau seret melintasi beberapa batang untuk memilih rentang.",
        "Click a bar, or drag across bars, to choose a range.",
    ),
    "bar_title": ("{label}: {n} berita", "{label}: {n} articles"),
    "results": ("Hasil pencarian", "Search results"),
    "count": ("{n} berita", "{n} articles"),
    "count_one": ("1 berita", "1 article"),
    "took": ("{ms} ms", "{ms} ms"),
    "showing": ("menampilkan {a}–{b}", "showing {a}–{b}"),
    # Syndication: results collapsed to stories, and the story page.
    "story_count": ("dalam {n} cerita", "in {n} stories"),
    "story_count_one": ("dalam 1 cerita", "in 1 story"),
    "collapse_on": ("Gabungkan salinan", "Group copies"),
    "collapse_help": (
        "Satu baris per cerita: berita yang dimuat ulang media lain digabung.",
        "One row per story: articles re-published by other outlets are grouped.",
    ),
    "story_others": (
        "+ {n} media lain memuat cerita ini",
        "+ {n} other outlets carried this story",
    ),
    "story_copies": ("{n} salinan di hasil ini", "{n} copies in these results"),
    "story_first": ("pertama: {outlet}, {day}", "first: {outlet}, {day}"),
    "story_title": ("Cerita: {title}", "Story: {title}"),
    "story_intro": (
        "{n} berita memuat cerita ini. Salinan dibandingkan dengan yang pertama terbit: "
        "tambahan bergaris bawah, yang dihapus dicoret.",
        "{n} articles carry this story. Each copy is compared with the first one published: "
        "added words underlined, removed ones struck through.",
    ),
    "story_first_copy": ("Terbit pertama", "First published"),
    "story_all_copies": (
        "Semua {n} salinan dan perbedaannya",
        "All {n} copies and what each changed",
    ),
    "story_changed": ("{n} kata berbeda", "{n} words differ"),
    "story_changed_one": ("1 kata berbeda", "1 word differs"),
    "story_same": ("sama persis", "identical"),
    "sort": ("Urutkan", "Sort"),
    "sort_relevance": ("Relevansi", "Relevance"),
    "sort_newest": ("Terbaru", "Newest"),
    "sort_oldest": ("Terlama", "Oldest"),
    "export": ("Unduh semua hasil", "Download all results"),
    "did_you_mean": ("Mungkin maksud Anda:", "Did you mean:"),
    "match_most": (
        "Ditampilkan berita yang memuat sebagian besar kata; yang memuat semua kata lebih dulu.",
        "Showing the articles with most of the words; those with every word come first.",
    ),
    "match_any": (
        "Ditampilkan berita yang memuat salah satu kata; yang memuat semua kata lebih dulu.",
        "Showing the articles with any of the words; those with every word come first.",
    ),
    "match_back": ("Hanya yang memuat semua kata", "Only those with every word"),
    "partial_title": (
        "{n} berita lain memuat sebagian besar kata",
        "{n} more articles have most of the words",
    ),
    "partial_help": (
        "Tidak dihitung dalam jumlah, grafik, dan unduhan di atas.",
        "They are not counted in the total, the charts or the downloads above.",
    ),
    "partial_all": ("Tampilkan semua {n} berita", "Show all {n} articles"),
    "no_results": (
        "Tidak ada berita yang cocok. Coba kata lain, atau hapus sebagian filter.",
        "No matching articles. Try other words, or clear some filters.",
    ),
    "past_last_page": (
        "Halaman ini kosong: hasil hanya sampai halaman {n}.",
        "This page is empty: the results end at page {n}.",
    ),
    "pages": ("Halaman", "Pages"),
    "first": ("« Pertama", "« First"),
    "prev": ("‹ Sebelumnya", "‹ Previous"),
    "next": ("Berikutnya ›", "Next ›"),
    "last": ("Terakhir »", "Last »"),
    "page_of": ("Halaman {page} dari {pages}", "Page {page} of {pages}"),
    "unknown_outlet": ("Media tidak diketahui", "Unknown outlet"),
    "unknown_date": ("tanggal tidak diketahui", "date unknown"),
    "back": ("‹ Kembali ke hasil", "‹ Back to results"),
    "source": ("Sumber asli", "Original source"),
    "published": ("Terbit", "Published"),
    "outlet": ("Media", "Outlet"),
    "entities": ("Disebut dalam berita", "Mentioned in this article"),
    "entity_link": ("Cari berita tentang {name}", "Find articles about {name}"),
    "related": ("Berita terkait", "Related articles"),
    "no_related": ("Tidak ada berita terkait.", "No related articles."),
    "back_to_search": ("Kembali ke pencarian", "Back to search"),
    "error_title": ("Kesalahan", "Error"),
    # Where an article's date came from when its metadata had none (indexer.models.DateSource).
    "date_source_text": ("tanggal dibaca dari teks berita", "date read from the article's text"),
    "date_source_url": ("tanggal dibaca dari URL berita", "date read from the article's URL"),
    "date_source_filename": ("tanggal dibaca dari nama berkas", "date read from the file name"),
    "date_source_weekday-inferred": (
        "tahun disimpulkan dari nama hari dan tahun-tahun lain dalam arsip",
        "year inferred from the weekday and the archive's other years",
    ),
    "date_source_year-inferred": (
        "tahun disimpulkan dari URL, nama berkas atau tahun-tahun lain dalam arsip",
        "year inferred from the URL, the file name or the archive's other years",
    ),
    "showing_results_for": ("Menampilkan hasil untuk", "Showing results for"),
    "search_as_typed": ("Cari sesuai ketikan:", "Search instead for"),
    "correct_summary": ("Laporkan atau koreksi", "Report or correct"),
    "correct_value": ("Nilai", "Value"),
    "correct_op": ("Tindakan", "Action"),
    "correct_op_report": ("laporkan (tanpa mengubah)", "report (change nothing)"),
    "correct_op_merge": ("gabungkan ke…", "merge into…"),
    "correct_op_rename": ("ganti nama menjadi…", "rename to…"),
    "correct_op_exclude": ("bukan entitas: sembunyikan", "not an entity: hide"),
    "correct_op_retype": (
        "pindahkan ke (person, organisation, place)…",
        "move to (person, organisation, place)…",
    ),
    "correct_target": ("Menjadi", "Becomes"),
    "correct_note": ("Catatan", "Note"),
    "correct_by": ("Nama Anda", "Your name"),
    "correct_send": ("Kirim", "Send"),
    # Analyses (webui/analysis.py): entity pages, the co-occurrence map, feeds.
    "entity_page_link": ("Halaman {name}", "The page of {name}"),
    "entity_variants": ("Juga ditulis", "Also written"),
    "entity_all_articles": ("Semua beritanya", "All its articles"),
    "entity_outlets": ("Media yang paling sering menyebut", "Outlets naming it most"),
    "entity_latest": ("Berita terbaru", "Latest articles"),
    "entity_name": ("Nama", "Name"),
    "entity_together": ("Berita bersama", "Articles together"),
    "entity_together_link": ("Berita yang menyebut {a} dan {b}", "Articles naming {a} and {b}"),
    "entity_lift": ("Kekhasan", "Lift"),
    "cooccurring": ("Sering disebut bersama", "Named together with"),
    "cooccurring_help": (
        "Diurutkan menurut seberapa khas pasangan itu (jumlah berita bersama × log2 kekhasan). "
        "Kekhasan 10× berarti keduanya muncul bersama sepuluh kali lebih sering daripada "
        "kebetulan; nama yang ada di mana-mana mendekati 1×.",
        "Ranked by how specific the pair is (articles together × log2 lift). A lift of 10× "
        "means the two appear together ten times more often than chance would have it; a "
        "name found everywhere is close to 1×.",
    ),
    "map_link": ("Peta keterkaitan", "Co-occurrence map"),
    "map_title": ("Peta keterkaitan", "Who appears with whom"),
    "map_summary": (
        "{n} berita · {nodes} entitas · {edges} hubungan",
        "{n} articles · {nodes} entities · {edges} links",
    ),
    "map_help": (
        "Tebal garis = jumlah berita yang menyebut keduanya. Klik entitas untuk menyaring.",
        "Line width = articles naming both. Click an entity to filter.",
    ),
    "map_empty": ("Tidak ada entitas dalam berita ini.", "No entity in these articles."),
    "new_since": ("baru", "new"),
    "new_since_title": ("Masuk arsip {time}", "Added to the archive {time}"),
    "new_since_note": (
        "Hanya berita yang masuk arsip sesudah {time}.",
        "Only the articles added to the archive after {time}.",
    ),
    "feed_link": ("Ikuti (Atom)", "Follow (Atom feed)"),
    "feed_title": ("Telusur: {q}", "Telusur: {q}"),
    "feed_all": ("semua berita", "every article"),
    "series_title": ("Tren pemberitaan", "Coverage over time"),
    "series_query": ("Kueri {n}", "Query {n}"),
    "series_normalize": ("Tampilkan", "Show"),
    "series_count": ("jumlah berita", "article counts"),
    "series_share": ("porsi dari semua berita", "share of all articles"),
    "series_interval": ("Per", "Per"),
    "series_auto": ("otomatis", "automatic"),
    "series_others": ("media lainnya", "other outlets"),
    "series_undated": ("{n} tanpa tanggal", "{n} undated"),
    "series_help": (
        "Bandingkan sampai lima kueri dari waktu ke waktu.",
        "Compare up to five queries over time.",
    ),
    "series_link": ("Tren", "Over time"),
    "series_by_outlet": ("Tren per media", "Over time by outlet"),
}

STRINGS.update(PAGE_STRINGS)

MONTHS = {
    "id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def pick_lang(param: str | None, cookie: str | None) -> str:
    for value in (param, cookie):
        if value in LANGS:
            return value
    return DEFAULT_LANG


# Every facet of the registry has a heading: a facet added without words of its own is headed
# by its name.
for _name in registry.names():
    STRINGS.setdefault(f"facet_{_name}", (_name.capitalize(), _name.capitalize()))


def translator(lang: str) -> Callable[..., str]:
    i = LANGS.index(lang) if lang in LANGS else 0

    def t(key: str, **values: object) -> str:
        text = STRINGS[key][i]
        return text.format(**values) if values else text

    return t


def number(n: int, lang: str) -> str:
    """1.234 in Indonesian, 1,234 in English."""
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "id" else text


def day_label(d: date | None, lang: str) -> str:
    if d is None:
        return ""
    return f"{d.day} {MONTHS.get(lang, MONTHS['id'])[d.month - 1]} {d.year}"
