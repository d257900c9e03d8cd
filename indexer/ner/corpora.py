"""Readers for the NER training corpora (training/evaluation time only, never at run time)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

Sentence = tuple[list[str], list[str]]  # words, BIO tags over PER/ORG/LOC

_NERP = {"PPL": "PER", "PLC": "LOC", "IND": "ORG"}  # EVT and FNB are dropped
_NERGRIT = {"PERSON": "PER", "PLACE": "LOC", "ORGANISATION": "ORG"}
_IDNER = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}


@dataclass(frozen=True)
class Corpus:
    name: str
    folder: str
    train: str
    valid: str
    label_map: dict[str, str]
    tag_column: int  # index of the tag in a whitespace-split line


CORPORA = (
    Corpus("nergrit", "nergrit", "train.txt", "valid.txt", _NERGRIT, 1),
    Corpus("idner-news-2k", "idner-news-2k", "train.txt", "dev.txt", _IDNER, 2),
    Corpus("nerp", "nerp", "train.txt", "valid.txt", _NERP, 1),
)


def _map_tag(tag: str, label_map: dict[str, str]) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, label = tag.split("-", 1)
    mapped = label_map.get(label)
    return f"{prefix}-{mapped}" if mapped else "O"


def to_bio2(tags: list[str]) -> list[str]:
    """Repair I- tags that open an entity (IOB1 or a dropped label before them) into B-."""
    out: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


def read(path: Path, corpus: Corpus) -> Iterator[Sentence]:
    words: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                if words:
                    yield words, to_bio2(tags)
                words, tags = [], []
                continue
            words.append(parts[0])
            tags.append(_map_tag(parts[corpus.tag_column], corpus.label_map))
    if words:
        yield words, to_bio2(tags)
