"""Bodies' names the tagger cut where their writing breaks a sentence's look (issue #20, round 18).

- "Kab." abbreviates Kabupaten inside an office's name ("Dinas Kesehatan Kab. Purwakarta"); the
  dot reads as a sentence's end, so the tagger stops the body at "Kab" and tags the regency as a
  place of its own. Where a region the gazetteer knows follows, the body runs on over it.
- "&" joins words of a company's or foundation's name ("PT Borneo Lumbung Energi & Metal",
  "William & Lily Foundation"); the tagger cuts there and gives the word on the other side to a
  person or to nothing. A name with a company's legal form first (PT, CV) or a body's closing
  word last (Foundation, Group…) takes one capitalised word across the "&".
"""

from __future__ import annotations

import re

from indexer.ner.regions import region

Span = tuple[str, int, int]

_KAB = re.compile(r"\s(?:Kab|Kec)$")  # an office's name ending in the abbreviation
# The region after "Kab. ": one to three capitalised words.
_REGION_AFTER = re.compile(r"\. ((?:[A-Z][\w-]*)(?: [A-Z][\w-]*){0,2})")
_LEGAL_FIRST = ("PT ", "CV ")
_CLOSING = frozenset(
    ("Foundation", "Group", "Grup", "Company", "Co", "Co.", "Partners", "Associates", "Tbk")
)
_AMP_AFTER = re.compile(r" & ([A-Z][\w-]*)(?![\w-])")
_AMP_BEFORE = re.compile(r"(?<![\w-])([A-Z][\w-]*) & $")


def join_cut_names(text: str, tagged: list[Span]) -> list[Span]:
    """`tagged` with bodies cut at "Kab." or "&" made whole; spans the body now covers dropped
    and spans it reaches into trimmed. Cheap: only texts that write "Kab. " or " & " are read."""
    kab = "Kab. " in text or "Kec. " in text
    amp = " & " in text
    if not (kab or amp):
        return tagged
    out = list(tagged)
    for i, (label, s, e) in enumerate(out):
        if label != "ORG" and not (amp and label == "PER"):  # "Lily Foundation" as a person
            continue
        if kab and label == "ORG" and text.startswith(". ", e) and _KAB.search(text, s, e):
            m = _REGION_AFTER.match(text, e)
            if m is not None:
                words = m.group(1).split()
                # The longest run of the words the gazetteer knows as a region.
                for n in range(len(words), 0, -1):
                    name = " ".join(words[:n])
                    if region(name) is not None:
                        out[i] = (label, s, m.start(1) + len(name))
                        break
        elif amp:
            name = text[s:e]
            if (
                label == "ORG"
                and name.startswith(_LEGAL_FIRST)
                and (m := _AMP_AFTER.match(text, e))
            ):
                out[i] = (label, s, m.end(1))
            elif name.rsplit(" ", 1)[-1] in _CLOSING and (
                m := _AMP_BEFORE.search(text, max(0, s - 40), s)
            ):
                out[i] = ("ORG", m.start(1), e)
    if out == tagged:
        return tagged
    return _without_overlaps(text, out, tagged)


def _without_overlaps(text: str, out: list[Span], before: list[Span]) -> list[Span]:
    """Spans a grown body covers go; one it reaches into keeps what lies outside it."""
    grown = [span for span, old in zip(out, before, strict=True) if span != old]
    kept: list[Span] = []
    for span, old in zip(out, before, strict=True):
        label, s, e = span
        if span == old:
            for _, gs, ge in grown:
                if gs <= s < ge:
                    s = ge + len(text[ge:e]) - len(text[ge:e].lstrip())  # "Metal Samin Tan"
                if s < gs < e <= ge:
                    e = s + len(text[s:gs].rstrip())
        if s < e:
            kept.append((label, s, e))
    return kept
