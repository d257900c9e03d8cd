"""Named entities in Indonesian news text: people, organisations and places.

A CRF tagger (indexer/ner) finds the mentions; indexer.ner.merge gives each one a canonical name
so that "Presiden Tokayev", "Tokayev" and "Kassym-Jomart Tokayev" count as one facet value.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

import numpy as np

from index_format.names import name_key
from indexer.ner.aliases import AliasTable, load_aliases
from indexer.ner.lexicon import is_known_place
from indexer.ner.merge import merge
from indexer.ner.tagger import packaged_tagger
from indexer.ner.tokenize import sentence_bounds, words_and_starts
from indexer.ner.truecase import truecase

__all__ = [
    "LABEL_TO_FACET",
    "AliasTable",
    "Entity",
    "entity_facets",
    "entity_variants",
    "extract_entities",
    "extract_entities_many",
    "load_aliases",
]

LABEL_TO_FACET = {"PER": "person", "ORG": "organisation", "LOC": "place"}
_START = itemgetter(1)


@dataclass(frozen=True)
class Entity:
    text: str  # the surface text, text[start:end] of the input
    label: str  # PER | ORG | LOC
    start: int
    end: int
    canonical: str  # the merged, normalised name used for facets
    namesake: bool = False  # an alias was held back: another person of the same short name


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
    sentences: list[list[str]] = []
    recased: list[tuple[int, str]] = []  # tokens truecase changed: (over all texts, as written)
    at = 0  # a text's first token over all texts
    for text, (words, starts) in zip(texts, tokens, strict=True):
        for a, b in sentence_bounds(text, words, starts):
            written = words[a:b]
            sentence = truecase(written)
            if sentence != written:
                recased += ((at + a + i, w) for i, w in enumerate(written) if w is not sentence[i])
            sentences.append(sentence)
        at += len(words)
    # The texts' sentences cover their tokens in order, so the tagged entities, in token
    # positions over all texts, fall to each text in turn.
    tagger = packaged_tagger()
    labels, firsts, ends, outside, rows = tagger.spans(sentences)
    # A packaged place the tagger left out, as in "ibu kota, Nur-Sultan.": by the word as
    # written, looked up once per word type (the tagger's types, where truecase kept it).
    left_out = outside & tagger.type_flags("packaged place", _is_place_word)[rows]
    if recased:
        left_out[[i for i, _ in recased]] = [outside[i] and _is_place_word(w) for i, w in recased]
    places = np.flatnonzero(left_out).tolist()
    out: list[list[Entity]] = []
    at = 0
    k = 0  # the text's first entity
    p = 0  # its first left-out place
    for text, (words, starts) in zip(texts, tokens, strict=True):
        upto = at + len(words)
        k_end = bisect_left(firsts, upto, k)
        p_end = bisect_left(places, upto, p)
        tagged = [
            (label, starts[first - at], starts[end - at - 1] + len(words[end - at - 1]))
            for label, first, end in zip(
                labels[k:k_end], firsts[k:k_end], ends[k:k_end], strict=True
            )
        ]
        if p_end > p:  # (the tagger's own spans come in order)
            for i in places[p:p_end]:
                tagged.append(("LOC", starts[i - at], starts[i - at] + len(words[i - at])))
            tagged.sort(key=_START)
        out.append(
            [
                Entity(text[m.start : m.end], m.label, m.start, m.end, m.canonical, m.namesake)
                for m in merge(text, tagged, table)
            ]
        )
        at, k, p = upto, k_end, p_end
    return out


def _is_place_word(word: str) -> bool:
    """A capitalised word that is a packaged place (places.txt)."""
    return word[:1].isupper() and is_known_place(word)


def entity_facets(entities: list[Entity]) -> dict[str, list[str]]:
    """Distinct canonical names per facet (person, organisation, place), in first-seen order."""
    out: dict[str, list[str]] = {facet: [] for facet in LABEL_TO_FACET.values()}
    for ent in entities:
        names = out[LABEL_TO_FACET[ent.label]]
        if ent.canonical not in names:
            names.append(ent.canonical)
    return out


def entity_variants(entities: list[Entity]) -> list[tuple[str, str, str]]:
    """(facet, name as written, canonical name) for each name that merging gave another
    canonical name (not just another case or spacing), in first-seen order: what the article
    itself says is one entity, for merging the same names across the archive. A namesake kept
    apart ("Sri Mulyani" of Klaten) is (facet, name, ""): the archive must not merge it either."""
    out: dict[tuple[str, str, str], None] = {}
    for ent in entities:
        written = " ".join(ent.text.split())
        if ent.namesake:
            out[LABEL_TO_FACET[ent.label], ent.canonical, ""] = None
        elif name_key(written) != name_key(ent.canonical):
            out[LABEL_TO_FACET[ent.label], written, ent.canonical] = None
    return list(out)
