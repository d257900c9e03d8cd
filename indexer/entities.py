"""Named entities in Indonesian news text: people, organisations and places.

A CRF tagger (indexer/ner) finds the mentions; indexer.ner.merge gives each one a canonical name
so that "Presiden Tokayev", "Tokayev" and "Kassym-Jomart Tokayev" count as one facet value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from indexer.ner.aliases import AliasTable, load_aliases
from indexer.ner.merge import is_known_place, merge
from indexer.ner.scoring import spans
from indexer.ner.tagger import packaged_tagger
from indexer.ner.tokenize import sentence_bounds, words_and_starts
from indexer.ner.truecase import truecase

__all__ = [
    "LABEL_TO_FACET",
    "AliasTable",
    "Entity",
    "entity_facets",
    "extract_entities",
    "extract_entities_many",
    "load_aliases",
]

LABEL_TO_FACET = {"PER": "person", "ORG": "organisation", "LOC": "place"}


@dataclass(frozen=True)
class Entity:
    text: str  # the surface text, text[start:end] of the input
    label: str  # PER | ORG | LOC
    start: int
    end: int
    canonical: str  # the merged, normalised name used for facets


@lru_cache(maxsize=1)
def _default_aliases() -> AliasTable:
    return load_aliases(None)


def extract_entities(text: str, *, aliases: AliasTable | None = None) -> list[Entity]:
    """Entities of `text` in reading order; `aliases` defaults to the packaged alias file.

    Pass `load_aliases(settings.aliases_file)` to add a user's aliases.
    """
    return extract_entities_many([text], aliases=aliases)[0]


def extract_entities_many(
    texts: list[str], *, aliases: AliasTable | None = None
) -> list[list[Entity]]:
    """`extract_entities` of each text, the same lists; cheaper per text than one at a time,
    because the tagger runs one Viterbi pass over the sentences of all the texts."""
    table = _default_aliases() if aliases is None else aliases
    tokens = [words_and_starts(text) for text in texts]
    bounds = [
        sentence_bounds(text, words, starts)
        for text, (words, starts) in zip(texts, tokens, strict=True)
    ]
    all_tags = packaged_tagger().tag_sentences(
        [truecase(words[a:b]) for (words, _), bs in zip(tokens, bounds, strict=True) for a, b in bs]
    )
    out: list[list[Entity]] = []
    at = 0
    for text, (words, starts), bs in zip(texts, tokens, bounds, strict=True):
        tags = all_tags[at : at + len(bs)]
        at += len(bs)
        out.append(_entities(text, words, starts, bs, tags, table))
    return out


def _entities(
    text: str,
    words: list[str],
    starts: list[int],
    bounds: list[tuple[int, int]],
    all_tags: list[list[str]],
    table: AliasTable,
) -> list[Entity]:
    """One text's entities from its tokens, sentences and the tagger's tags."""
    tagged: list[tuple[str, int, int]] = []
    # Capitalised words of this text that are packaged places (places.txt), checked per type.
    places = {w for w in set(words) if w[0].isupper() and is_known_place(w)}
    for (a, b), tags in zip(bounds, all_tags, strict=True):
        if tags.count("O") < len(tags):
            for label, first, last in sorted(spans(tags), key=lambda s: s[1]):
                tagged.append(
                    (label, starts[a + first], starts[a + last - 1] + len(words[a + last - 1]))
                )
        if places and not places.isdisjoint(words[a:b]):
            # A packaged place the tagger left out, as in "ibu kota, Nur-Sultan."
            for i in range(a, b):
                if words[i] in places and tags[i - a] == "O":
                    tagged.append(("LOC", starts[i], starts[i] + len(words[i])))
    tagged.sort(key=lambda t: t[1])
    return [
        Entity(text[m.start : m.end], m.label, m.start, m.end, m.canonical)
        for m in merge(text, tagged, table)
    ]


def entity_facets(entities: list[Entity]) -> dict[str, list[str]]:
    """Distinct canonical names per facet (person, organisation, place), in first-seen order."""
    out: dict[str, list[str]] = {facet: [] for facet in LABEL_TO_FACET.values()}
    for ent in entities:
        names = out[LABEL_TO_FACET[ent.label]]
        if ent.canonical not in names:
            names.append(ent.canonical)
    return out
