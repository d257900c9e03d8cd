"""The results page's words for issue 22 (chips, drawer, zoom, empty states), Indonesian then
English. Kept apart from webui.i18n's table so parallel work on it merges cleanly; i18n merges
them into its STRINGS."""

from __future__ import annotations

PAGE_STRINGS: dict[str, tuple[str, str]] = {
    "skip_to_results": ("Langsung ke hasil", "Skip to results"),
    "skip_to_main": ("Langsung ke isi", "Skip to content"),
    "results_title": ("Hasil untuk “{q}”", "Results for “{q}”"),
    "results_title_filtered": ("Hasil dengan filter", "Filtered results"),
    "hits_title": ("Daftar berita", "Articles"),
    "active_filters": ("Filter aktif", "Active filters"),
    "remove_filter": ("Hapus filter", "Remove filter"),  # said before a chip's words
    "not_prefix": ("bukan", "not"),
    "clear_all": ("Hapus semua filter", "Clear all filters"),
    "facet_since": ("Masuk arsip setelah", "Added after"),
    "open_filters": ("Filter", "Filter"),
    "close_filters": ("Tutup", "Close"),
    "date_range_value": ("{start} – {end}", "{start} – {end}"),
    "date_since": ("sejak {start}", "from {start}"),
    "date_until": ("sampai {end}", "until {end}"),
    "zoom_out": ("‹ Perkecil ke {label}", "‹ Zoom out to {label}"),
    "zoom_out_all": ("‹ Seluruh rentang", "‹ Whole range"),
    "bar_title_one": ("{label}: 1 berita", "{label}: 1 article"),
    "last_7": ("7 hari terakhir yang berisi berita", "Last 7 days with articles"),
    "last_30_days": ("30 hari terakhir yang berisi berita", "Last 30 days with articles"),
    "last_365_days": ("365 hari terakhir yang berisi berita", "Last 365 days with articles"),
    "empty_stopwords": (
        "“{q}” hanya berisi kata yang terlalu umum untuk dicari (kata henti seperti yang, dan, "
        "di). Tambahkan kata yang lebih khas.",
        "“{q}” holds only words too common to search for (stopwords such as yang, dan, di). "
        "Add a more specific word.",
    ),
    "empty_range": (
        "Tidak ada berita yang cocok dari {start} sampai {end}; di luar rentang itu ada {n}.",
        "No matching article from {start} to {end}; outside that range there are {n}.",
    ),
    "empty_range_link": ("Hapus rentang tanggal", "Clear the date range"),
    "empty_value": (
        "{facet} “{value}” tidak ada di arsip, jadi tidak ada berita yang cocok.",
        "{facet} “{value}” is in no article of the archive, so nothing matches.",
    ),
    "empty_value_link": ("Hapus “{value}”", "Remove “{value}”"),
    "error_heading": ("Pencarian tidak dapat dijalankan", "The search could not run"),
}
