"""Error messages in the reader's language: every error code (index_format.errors and its
subclasses, the web app's own) and every message a parameter's validation gives, in Indonesian
and English. The page and the API both word errors here, from a code and its parameters.

Marshmallow words its validation messages in English; `field_message` recognises each one this
app's schemas can produce and words it again, so the API never mixes languages.
"""

from __future__ import annotations

import re
from typing import Any

from flask import g, request

from webui import i18n

# code: (Indonesian, English). Placeholders use str.format names from the error's params.
ERRORS: dict[str, tuple[str, str]] = {
    "invalid_query.unreadable": ("Kueri tidak dapat dibaca.", "The query cannot be read."),
    "invalid_query.unbalanced_quote": (
        'Tanda kutip (") tidak berpasangan.',
        'A quotation mark (") has no partner.',
    ),
    "invalid_query.wildcard": (
        "Tanda bintang (*) tidak didukung; ketik kata lengkapnya.",
        "The asterisk (*) is not supported; type the whole word.",
    ),
    "invalid_query.match_all": (
        "Tanda bintang (*) tidak didukung; kosongkan kueri untuk semua berita.",
        "The asterisk (*) is not supported; leave the query empty for every article.",
    ),
    "invalid_query.unbalanced_open": (
        "Tanda kurung buka '(' tanpa pasangan.",
        "An opening parenthesis '(' has no partner.",
    ),
    "invalid_query.unbalanced_close": (
        "Tanda kurung tutup ')' tanpa pasangan.",
        "A closing parenthesis ')' has no partner.",
    ),
    "invalid_query.too_many_clauses": (
        "Kueri terlalu rumit (lebih dari {max} bagian).",
        "The query is too complex (more than {max} parts).",
    ),
    "invalid_query.too_deep": (
        "Tanda kurung bersarang lebih dari {max} tingkat.",
        "Parentheses are nested more than {max} levels deep.",
    ),
    "invalid_query.too_complex": ("Kueri terlalu rumit.", "The query is too complex."),
    "invalid_query.too_long": (
        "Kueri terlalu panjang (maksimal {max} karakter).",
        "The query is too long (at most {max} characters).",
    ),
    "invalid_parameters": ("Parameter tidak valid — {details}", "Invalid parameters — {details}"),
    "invalid_encoding.percent": (
        "URL tidak valid: tanda % harus diikuti dua digit heksadesimal.",
        "Invalid URL: a % sign must be followed by two hexadecimal digits.",
    ),
    "invalid_encoding.utf8": (
        "URL tidak valid: parameter bukan teks UTF-8.",
        "Invalid URL: a parameter is not UTF-8 text.",
    ),
    "invalid_correction.op": (
        "Koreksi '{op}' tidak dikenal; pilih salah satu: {choices}.",
        "Unknown correction '{op}'; choose one of: {choices}.",
    ),
    "invalid_correction.name": (
        "Koreksi harus menyebut nilai sepanjang 1 sampai {max} karakter.",
        "A correction names a value of 1 to {max} characters.",
    ),
    "invalid_correction.target": (
        "Sebutkan nama barunya (1 sampai {max} karakter).",
        "Say the name it becomes (1 to {max} characters).",
    ),
    "invalid_correction.facet": (
        "Jenisnya harus salah satu dari: {choices}.",
        "The type must be one of: {choices}.",
    ),
    "article_not_found": ("Artikel '{id}' tidak ditemukan.", "No article '{id}'."),
    "entity_not_found": (
        "Entitas {type} '{name}' tidak ditemukan dalam arsip.",
        "No {type} '{name}' in the archive.",
    ),
    "entity_not_found.type": (
        "Jenis entitas '{type}' tidak dikenal; pilih salah satu: {choices}.",
        "Unknown entity type '{type}'; choose one of: {choices}.",
    ),
    "story_not_found": ("Cerita '{id}' tidak ditemukan.", "No story '{id}'."),
    "index_unavailable": (
        "Indeks belum dibuat. Jalankan `telusur rebuild-index PATH` terlebih dahulu.",
        "No index has been built yet. Run `telusur rebuild-index PATH` first.",
    ),
    "index_unreadable": (
        "Indeks tidak dapat dibuka: {reason}",
        "The index cannot be opened: {reason}",
    ),
    "rebuild_needed": (
        "Indeks ini ditulis oleh versi Telusur yang lain. Jalankan `telusur rebuild-index PATH`.",
        "This index was written by another version of Telusur. Run `telusur rebuild-index PATH`.",
    ),
    "bad_request": ("Permintaan tidak valid.", "Bad request."),
    "forbidden": (
        "Permintaan ini hanya boleh dikirim dari halaman Telusur sendiri.",
        "This request may only come from Telusur's own pages.",
    ),
    "not_found": ("Halaman tidak ditemukan.", "Page not found."),
    "method_not_allowed": ("Metode tidak diizinkan.", "Method not allowed."),
    "internal_error": ("Terjadi kesalahan pada server.", "Something went wrong on the server."),
}

# What marshmallow and our schemas say of one parameter (English) → (code, pattern).
_FIELD_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "range",
        re.compile(
            r"Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\."
        ),
    ),
    ("length_max", re.compile(r"Longer than maximum length (?P<max>\d+)\.")),
    ("length_min", re.compile(r"Shorter than minimum length (?P<min>\d+)\.")),
    ("length_between", re.compile(r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.")),
    ("one_of", re.compile(r"Must be one of: (?P<choices>.*)\.")),
    ("not_integer", re.compile(r"Not a valid integer\.")),
    ("not_date", re.compile(r"Not a valid date\.")),
    ("not_datetime", re.compile(r"Not a valid datetime\.")),
    ("not_boolean", re.compile(r"Not a valid boolean\.")),
    ("not_string", re.compile(r"Not a valid string\.")),
    ("not_list", re.compile(r"Not a valid list\.")),
    ("not_null", re.compile(r"Field may not be null\.")),
    ("unknown_field", re.compile(r"Unknown field\.")),
    ("repeated", re.compile(r"Given more than once\.")),
    ("from_after_to", re.compile(r"'from' must not be after 'to'\.")),
    ("not_json", re.compile(r"Expected a JSON object\.")),
    ("not_with", re.compile(r"Not with (?P<other>.+)\.")),
    ("entity_value", re.compile(r"Must be type:name, type one of: (?P<choices>.*)\.")),
    (
        "too_many_parameters",
        re.compile(r"Too many parameters \((?P<count>\d+); at most (?P<max>\d+)\)\."),
    ),
]
FIELD_MESSAGES: dict[str, tuple[str, str]] = {
    "range": (
        "Harus antara {min} dan {max}.",
        "Must be greater than or equal to {min} and less than or equal to {max}.",
    ),
    "length_max": ("Lebih panjang dari {max}.", "Longer than maximum length {max}."),
    "length_min": ("Lebih pendek dari {min}.", "Shorter than minimum length {min}."),
    "length_between": (
        "Panjangnya harus antara {min} dan {max}.",
        "Length must be between {min} and {max}.",
    ),
    "one_of": ("Harus salah satu dari: {choices}.", "Must be one of: {choices}."),
    "not_integer": ("Bukan bilangan bulat.", "Not a valid integer."),
    "not_date": ("Bukan tanggal yang valid (YYYY-MM-DD).", "Not a valid date (YYYY-MM-DD)."),
    "not_datetime": (
        "Bukan waktu yang valid (ISO 8601, mis. 2026-12-06T04:00:00Z).",
        "Not a valid time (ISO 8601, e.g. 2026-12-06T04:00:00Z).",
    ),
    "not_boolean": ("Harus 1/0 atau true/false.", "Must be 1/0 or true/false."),
    "not_string": ("Bukan teks.", "Not a valid string."),
    "not_list": ("Bukan daftar.", "Not a valid list."),
    "not_null": ("Tidak boleh kosong.", "Field may not be null."),
    "unknown_field": ("Parameter tidak dikenal.", "Unknown parameter."),
    "repeated": ("Diberikan lebih dari sekali.", "Given more than once."),
    "from_after_to": (
        "'from' tidak boleh sesudah 'to'.",
        "'from' must not be after 'to'.",
    ),
    "not_json": ("Harus berupa objek JSON.", "Expected a JSON object."),
    "not_with": ("Tidak bisa bersama {other}.", "Not with {other}."),
    "entity_value": (
        "Tulis jenis:nama, jenis salah satu dari: {choices}.",
        "Must be type:name, type one of: {choices}.",
    ),
    "too_many_parameters": (
        "Terlalu banyak parameter ({count}; maksimal {max}).",
        "Too many parameters ({count}; at most {max}).",
    ),
}


def request_lang() -> str:
    """The reader's language: the page's choice (?lang, its cookie); for the API, the
    Accept-Language header. Indonesian when nothing says otherwise."""
    if request.path.startswith("/api/"):
        best = request.accept_languages.best_match(i18n.LANGS, default=i18n.DEFAULT_LANG)
        return best or i18n.DEFAULT_LANG
    lang: str = g.get("lang") or i18n.DEFAULT_LANG
    return lang


def error_message(code: str, params: dict[str, Any], lang: str) -> str:
    """The message of an error code in `lang` (a code without words: the English fallback of
    the internal error, never a blank)."""
    texts = ERRORS.get(code) or ERRORS["internal_error"]
    text = texts[i18n.LANGS.index(lang) if lang in i18n.LANGS else 0]
    try:
        return text.format(**params)
    except (KeyError, IndexError):  # a parameter missing: the words without it
        return text


def field_message(text: str, lang: str) -> str:
    """One validation message, as marshmallow or our schemas word it, in `lang`."""
    for code, pattern in _FIELD_PATTERNS:
        if m := pattern.fullmatch(text):
            template = FIELD_MESSAGES[code][i18n.LANGS.index(lang) if lang in i18n.LANGS else 0]
            return template.format(**m.groupdict())
    return text
