"""What a generation keeps for later requests stays within its bounds (search.memo)."""

from __future__ import annotations

from search.memo import Memo


def test_the_least_recently_used_entry_goes_first() -> None:
    memo: Memo[str, int] = Memo(size=2)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1  # used: "b" is now the oldest
    memo.put("c", 3)
    assert ("a" in memo, "b" in memo, "c" in memo) == (True, False, True)


def test_entries_stay_within_their_budget() -> None:
    memo: Memo[str, bytes] = Memo(size=100, budget=10, weigh=len)
    memo.put("a", b"xxxx")
    memo.put("b", b"xxxx")
    memo.put("c", b"xxxx")  # 12 > 10: the oldest goes
    assert ("a" in memo, "b" in memo, "c" in memo) == (False, True, True)
    assert memo.weight == 8
    memo.put("big", b"x" * 11)  # more than the whole budget: never kept
    assert "big" not in memo and len(memo) == 2
    memo.put("b", b"xx")  # replaced: its old weight is given back
    assert memo.weight == 6


def test_none_is_a_value_it_can_keep() -> None:
    memo: Memo[str, int | None] = Memo()
    memo.put("nothing", None)
    assert "nothing" in memo and memo.get("nothing") is None
