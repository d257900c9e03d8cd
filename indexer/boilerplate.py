"""Navigation and boilerplate out of scraped article bodies, one whole paragraph at a time.

The rules only ever drop whole paragraphs (units) that match a known shape: "Baca Juga: …",
comment forms, ads, image file names and their captions, lone agency credits, editor tags, and
teaser blocks of other articles after a "Berita Terbaru" heading. A sentence of the article is
never cut: when in doubt a paragraph stays.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from indexer.dates import is_date_line

# Paragraph boundaries. Scrapes come with newlines, or (news-clickid) with paragraphs joined by
# commas: "…di Riau.,Penangkapan …" – a comma glued to the next word right after a sentence end.
# Not after ")" nor on ",," alone: those commas also stand for dropped link words
# ("nominasi aktor (a),dalam film,(b)", "ketika dihubungi ,, Kamis (19/9/2019).").
_LINE_SPLIT_RE = re.compile(r"\n")
# Checked in Python around each run of commas: one regex with lookbehinds and a leading \s*
# tried at every position cost more than the rest of the cleaning together.
_COMMA_RUN_RE = re.compile(r",+")
_JOIN_AFTER = frozenset('.!?"”’…:')
_GLUED_JUNK_RE = re.compile(r"\s*(?:loading\.*|_x000D_)\s*(?:,|$)")


def _split_comma_joins(line: str) -> list[str]:
    if "," not in line:
        return [line]
    parts: list[str] = []
    start = 0
    junk = "loading" in line or "_x000D_" in line  # else _GLUED_JUNK_RE cannot match
    for m in _COMMA_RUN_RE.finditer(line):
        i, j = m.span()
        before = line[max(0, i - 12) : i].rstrip()
        after = line[j : j + 1]
        if (
            (before[-1:] in _JOIN_AFTER and before and after and not after.isspace())
            or before[-9:].lower() == "baca juga"
            or (junk and _GLUED_JUNK_RE.match(line, j))
        ):
            parts.append(line[start:i])
            start = j
    parts.append(line[start:])
    return parts


_BACA_JUGA_GLUED_RE = re.compile(
    r"((?i:baca\s+(?:juga|pula))\s*[:\-–—][^,]*?(?:,\s[^,]*?)*?)\s*,+(?=\S)"
)
# "… secara keseluruhan. (Kremlin/z)" – an editor/source tag glued to the last sentence.
_TRAILING_TAG_RE = re.compile(
    r"(?<=[.!?\"”’)])\s+(\((?:[A-Za-z][\w.]{0,19}\s*/\s*)+[A-Za-z][\w.]{0,19}\)|\([a-z]{2,6}\))$"
)


def normalise(text: str) -> str:
    """Line ends and no-break spaces made plain, so every rule sees the same text."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\u200b", "")


def split_paragraphs(text: str) -> list[str]:
    """The units the cleaner keeps or drops, stripped, empty ones left out (text normalised)."""
    units: list[str] = []
    for line in _LINE_SPLIT_RE.split(normalise(text)):
        for part in _split_comma_joins(line):
            part = part.strip()
            if not part:
                continue
            # "Baca juga: Judul,,Kalimat berikut." – a teaser title has no full stop, so the
            # glued paragraph after it starts at its first comma with no space after it.
            teaser = _BACA_JUGA_GLUED_RE.match(part)
            if teaser:
                units.append(teaser.group(1).strip())
                part = part[teaser.end() :].strip()
                if not part:
                    continue
            m = _TRAILING_TAG_RE.search(part)
            if m and m.start() > 0:
                units.append(part[: m.start()].rstrip())
                units.append(m.group(1))
            else:
                units.append(part)
    return units


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# Whole-paragraph boilerplate: the pattern must match the entire (stripped) paragraph.
_NAVIGATION = _any(
    r"baca\s+(?:juga|pula)\b\s*(?:[:\-–—»>]\s*.{0,200}|[^.!?]{0,150})",
    r"(?:lihat|simak|tonton)\s+juga\s*(?:video)?\s*[:\-–—].{0,200}",
    r"baca\s+(?:berita\s+|artikel\s+)?(?:yang\s+ini|selengkapnya|lainnya)"
    r"(?:\s*(?:di|pada|:)\s*[^.!?]{0,80})?[.:]?",
    r"(?:berita|artikel)\s+(?:terbaru|terkait|lainnya|populer|pilihan|rekomendasi)",
    r"rekomendasi(?:\s+artikel|\s+berita)?|terpopuler|populer|trending|topik(?:\s+terkait)?",
    r"(?:halaman|page)\s*[:\d].{0,40}|selanjutnya|sebelumnya|berikutnya|next|prev(?:ious)?",
    r"(?:home|beranda)\s*[>»/›].{0,120}",
    r"(?:tags?|topik|kata\s+kunci|keywords?)\s*:.{0,200}",
)
_COMMENTS_SHARING = _any(
    r"tinggalkan\s+(?:komentar|balasan)|(?:\d+\s+)?komentar|comments?",
    r"silak?h?an\s+masukkan\s+.{0,60}",
    r"you\s+can\s+share\s+this\s+post!?|share\s+this:?|bagikan(?:\s+artikel)?:?|share|tweet",
    r"(?:follow|ikuti)\s+.{0,80}\bdi\s+google\s+news\.?",
    r"(?:dapatkan|simak)\s+(?:update\s+)?berita\s+.{0,200}",
    r"(?:download|unduh)\s+aplikasi\s+.{0,150}",
    r"(?:copyright|hak\s+cipta)\b.{0,120}|©.{0,120}",
    r"artikel\s+ini\s+telah\s+(?:tayang|terbit|dimuat)\s+di\s+.{0,300}",
)
_ADS = _any(
    r"[-–—\s]*(?:advertisement|advertorial|iklan|sponsored)[-–—\s]*",
    r"scroll\s+(?:to|untuk)\s+(?:continue|resume|lanjut)\w*(?:\s+\w+){0,3}",
    r"loading\.*|memuat\.*|_x000D_",
    r"(?:#\w+\s*)+(?:with\s+\S+(?:\s+\S+)?)?",
)
_CREDITS = _any(
    r"(?:editor|penulis|reporter|pewarta|penyunting|redaktur|kontributor|sumber|foto)\s*:.{0,80}",
    # A saved page's byline whose date the extractor took out: "Diterbitkan", "Diperbarui: …".
    r"(?:diterbitkan|dipublikasikan|diperbarui|diunggah|published|updated)\b[^.!?]{0,60}",
    # "(wk/elva)", "(Kremlin/z)", "(kmp)": not "(b)", an item of a list.
    r"\(\s*(?:[A-Za-z][\w.]{0,19}\s*/\s*)+[A-Za-z][\w.]{0,19}\s*\)|\([A-Za-z]{2,6}\)",
)
# An image file name: "20220110-konferensi-video-csto-terkait-kazakhstan", "foto_1.jpg".
_IMAGE_FILE = re.compile(
    r"[\w.-]+\.(?:jpe?g|png|gif|webp)|(?=[\w-]*\d)[a-z0-9]+(?:[-_][a-z0-9]+){2,}",
    re.IGNORECASE,
)
_AGENCY_CREDIT = _any(
    r"\(?(?:antara|antara\s+foto|afp|reuters|ap|ap\s+photo|xinhua|getty\s+images|epa|"
    r"anadolu|bloomberg|istimewa|ist|dok\.?|dokumentasi|shutterstock|istockphoto|freepik)"
    r"(?:\s*(?:/|foto|photo)\s*[\w .'’-]{0,40})?\)?",
)
# Section labels scraped from the page header ("Dunia", "Nasional"): only dropped before the
# article starts, so a one-word paragraph inside an article is never touched.
_SECTION_LABEL = _any(
    r"dunia|nasional|internasional|ekonomi|bisnis|keuangan|olahraga|sport|sports|hiburan|"
    r"seleb|selebriti|celebrity|teknologi|tekno|otomotif|gaya\s+hidup|lifestyle|kesehatan|"
    r"politik|hukum|regional|daerah|metro|megapolitan|news|berita|global|sains|travel|"
    r"kuliner|bola|sepak\s+bola|showbiz|entertainment|opini|video|foto|galeri|headline"
)
# Headings after which the page lists other articles: what follows is a teaser block.
_TEASER_HEADING = _any(
    r"(?:berita|artikel)\s+(?:terbaru|terkait|lainnya|populer|pilihan|rekomendasi)",
    r"rekomendasi(?:\s+artikel|\s+berita)?|terpopuler|tinggalkan\s+komentar",
    r"baca\s+berita\s+yang\s+ini|(?:more|related)\s+(?:stories|news|articles)",
)
# A table row as a page's extractor writes it ("| KABAR | Politik | Hukum |"): before the
# article starts, a layout table's menu.
_TABLE_ROW = re.compile(r"\|.*\|")
_SENTENCE_END = re.compile(r"[.!?\"”’)]$")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)$")

RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("navigation", _NAVIGATION),
    ("comments-sharing", _COMMENTS_SHARING),
    ("advertisement", _ADS),
    ("credit", _CREDITS),
    ("agency-credit", _AGENCY_CREDIT),
    ("image-file", _IMAGE_FILE),
)


@dataclass
class Cleaned:
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    # Paragraphs dropped because they are only a date ("Senin, 10 Januari 2022 | 14:05 WIB"):
    # the best evidence of the publication date, so extraction still reads them.
    date_lines: list[str] = field(default_factory=list)


def boilerplate_kind(paragraph: str) -> str | None:
    """Which boilerplate rule matches the whole paragraph, if any."""
    if len(paragraph) > 400:  # no boilerplate paragraph is this long; saves regex time
        return None
    for name, pattern in RULES:
        if pattern.fullmatch(paragraph):
            return name
    return None


def _is_sentence_paragraph(p: str) -> bool:
    return bool(_SENTENCE_END.search(p)) and not _TRUNCATED.search(p)


def clean_paragraphs(
    units: list[str],
    *,
    is_dateline: Callable[[str], bool] = lambda _p: False,
) -> Cleaned:
    """Keep the article's paragraphs, in order; the others go to `removed`.

    `is_dateline` tells where the article proper starts (header labels before it may go).
    """
    out = Cleaned()
    in_header = True  # before the first real paragraph: section labels, captions allowed out
    in_teasers = False  # after a "Berita Terbaru" heading
    after_image = False
    for p in units:
        if in_header and (is_dateline(p) or (len(p) > 120 and _is_sentence_paragraph(p))):
            in_header = False
        kind = boilerplate_kind(p)
        if kind is None and is_date_line(p):
            out.date_lines.append(p)
            kind = "date-line"
        if kind is None and in_header and _SECTION_LABEL.fullmatch(p):
            kind = "section-label"
        if kind is None and in_header and _TABLE_ROW.fullmatch(p) and not _is_sentence_paragraph(p):
            kind = "navigation"
        if kind is None and after_image and len(p) <= 250:
            kind = "caption"
        # Teaser titles have no full stop; teaser texts end cut off with "...".
        if (
            kind is None
            and in_teasers
            and ((len(p) <= 200 and not _is_sentence_paragraph(p)) or _TRUNCATED.search(p))
        ):
            kind = "teaser"
        after_image = kind == "image-file"
        if kind is None:
            in_teasers = False
            out.kept.append(p)
        else:
            if _TEASER_HEADING.fullmatch(p):
                in_teasers = True
            out.removed.append(p)
    return out
