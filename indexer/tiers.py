"""Merging an index's segments by tiers: what a build ends with, what an update leaves
behind (each merge a commit joining postings records: index_format.codec.merge)."""

from __future__ import annotations

from typing import Any

from index_format.codec.merge import commit_merge

# An update's commit merges nothing, so that its articles are searchable at once: Whoosh's
# default policy (MERGE_SMALL) merges every segment once their count passes a Fibonacci bound
# of the total (the 24th segment of a 220k index made one update rewrite all 220k: minutes).
# Once published, segments are merged by tiers, in a generation of their own (searches go on
# meanwhile), by joining their postings records (index_format.codec.merge):
# - a segment's tier is how many times ten TIER_BASE documents it holds (0: under 10 × TIER_BASE,
#   1: under 100 ×, ...);
# - when a tier holds TIER_WIDTH segments or more (the lowest such tier first), they are
#   merged into one (which lands in a higher tier, where it may fill that one in turn).
# So updates of a thousand articles merge by tens (10k, then 100k, ...): each article is
# rewritten about once per tier (log10 of the archive), and an index holds at most about
# TIER_WIDTH segments a tier. A rebuild's ~13k-article segments (one per writer batch) are all
# in tier 1, so a build of more than TIER_WIDTH of them ends as one segment (indexer.build):
# at 2.2M, 169 segments that every search visited (~36k postings records a pass of the bench
# mix, the fixed cost of each dominating). `telusur optimize` merges everything into one.
TIER_BASE = 1_000
TIER_WIDTH = 10


def tier(docs: int) -> int:
    """The tier of a segment of `docs` documents."""
    t, n = 0, docs // TIER_BASE
    while n >= 10:
        t, n = t + 1, n // 10
    return t


def tier_merge(segments: list[Any]) -> list[Any]:
    """The segments a tiered merge merges now (into one): those of the lowest tier that holds
    TIER_WIDTH segments or more; none when no tier does."""
    tiers = [tier(s.doc_count_all()) for s in segments]
    for t in sorted(set(tiers)):
        chosen = [s for s, st in zip(segments, tiers, strict=True) if st == t]
        if len(chosen) >= TIER_WIDTH:
            return chosen
    return []


def merge_tiers(ix: Any) -> int:
    """Merge `ix`'s segments by tiers (tier_merge) until no tier is full, each merge a commit;
    returns how many merges."""
    merges = 0
    while commit_merge(ix, tier_merge):
        merges += 1
    return merges
