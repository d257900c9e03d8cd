"""A compiled dump (webui.schema_dump) gives what marshmallow's `Schema.dump` gives, for the
field types it compiles and for everything it leaves to marshmallow; the search response, the
page's URLs and entity links are built as before."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import Schema, fields, post_dump, pre_dump

from webui.analysis import entity_page_url
from webui.schema_dump import CompiledDump, compile_dump
from webui.views import _url


class Inner(Schema):
    value = fields.String(required=True)
    count = fields.Integer()
    selected = fields.Boolean()


class Outer(Schema):
    name = fields.String(allow_none=True)
    renamed = fields.String(data_key="other", attribute="source")
    dotted = fields.String(attribute="inner.value")
    n = fields.Integer()
    ratio = fields.Float()
    n_text = fields.Integer(as_string=True)
    flag = fields.Boolean()
    day = fields.Date(allow_none=True)
    moment = fields.DateTime()
    stamp = fields.DateTime(format="timestamp")
    custom_day = fields.Date(format="%d/%m/%Y")
    tags = fields.List(fields.String())
    numbers = fields.List(fields.Float())
    inner = fields.Nested(Inner, allow_none=True)
    inners = fields.List(fields.Nested(Inner))
    many_inner = fields.Nested(Inner, many=True)
    only_value = fields.Nested(Inner, only=("value",))
    defaulted = fields.String(dump_default="none given")
    computed = fields.Function(lambda obj: "computed")
    url = fields.Url()  # a String subclass: left to marshmallow
    mapping = fields.Dict(keys=fields.String(), values=fields.Integer())


@dataclass
class InnerObj:
    value: Any
    count: Any = 1
    selected: Any = False


@dataclass
class OuterObj:
    name: Any = "Banjir"
    source: Any = "from source"
    n: Any = 3
    ratio: Any = 0.5
    n_text: Any = 7
    flag: Any = True
    day: Any = dt.date(2025, 8, 4)
    moment: Any = dt.datetime(2025, 8, 4, 7, 30, tzinfo=dt.UTC)
    stamp: Any = dt.datetime(2025, 8, 4, 7, 30, tzinfo=dt.UTC)
    custom_day: Any = dt.date(2025, 8, 4)
    tags: Any = field(default_factory=lambda: ["a", "b"])
    numbers: Any = field(default_factory=lambda: [1, 2.5])
    inner: Any = field(default_factory=lambda: InnerObj("x"))
    inners: Any = field(default_factory=lambda: [InnerObj("y", 2, True), {"value": "z"}])
    many_inner: Any = field(default_factory=lambda: [InnerObj("m")])
    only_value: Any = field(default_factory=lambda: InnerObj("only", 9))
    url: Any = "https://example.com/a"
    mapping: Any = field(default_factory=lambda: {"a": 1})


OBJECTS: list[Any] = [
    OuterObj(),
    # None where a value was: fields answer None; a nested None stays None.
    OuterObj(name=None, day=None, inner=None, tags=None, n=None, ratio=None, flag=None),
    # Values of other types than the field's: formatted as marshmallow formats them.
    OuterObj(name=12, n="4", ratio=3, flag="yes", tags=[1, b"bytes"], numbers=["1.5"]),
    OuterObj(flag=0, n=True, moment=dt.datetime(2025, 1, 1), day=dt.datetime(2025, 1, 2, 3)),
    # A dict missing keys: absent fields are left out, the dump default is used.
    {"name": "from a dict", "n": 2, "inners": [], "inner": {"value": "d", "count": 0}},
    {"name": "tags only", "tags": ["k"]},
    {},
]


@pytest.mark.parametrize("obj", OBJECTS, ids=range(len(OBJECTS)))
def test_compiled_dump_equals_marshmallow(obj: Any) -> None:
    schema = Outer()
    expected = schema.dump(obj)
    got = compile_dump(schema)(obj)
    assert got == expected
    assert list(got) == list(expected)  # the same keys in the same order


def test_many_and_only_are_honoured() -> None:
    assert compile_dump(Inner(many=True))([InnerObj("a"), {"value": "b"}]) == Inner(many=True).dump(
        [InnerObj("a"), {"value": "b"}]
    )
    assert compile_dump(Inner(only=("count",)))(InnerObj("a", 5)) == {"count": 5}


class Hooked(Schema):
    value = fields.String()

    @pre_dump
    def _upper(self, obj: dict[str, str], **_: Any) -> dict[str, str]:
        return {"value": obj["value"].upper()}

    @post_dump
    def _mark(self, data: dict[str, str], **_: Any) -> dict[str, str]:
        return {**data, "hooked": "yes"}


def test_schemas_with_hooks_are_dumped_by_marshmallow() -> None:
    assert compile_dump(Hooked())({"value": "a"}) == {"value": "A", "hooked": "yes"}

    class Holder(Schema):
        child = fields.Nested(Hooked)

    assert compile_dump(Holder())({"child": {"value": "b"}}) == {
        "child": {"value": "B", "hooked": "yes"}
    }


class Tree(Schema):
    name = fields.String()
    children = fields.List(fields.Nested(lambda: Tree()))


def test_a_schema_nesting_itself_dumps_every_level() -> None:
    leaf: dict[str, Any] = {"name": "leaf", "children": []}
    tree: dict[str, Any] = leaf
    for depth in range(40):  # deeper than what is compiled: the rest is marshmallow's
        tree = {"name": f"level {depth}", "children": [tree]}
    assert compile_dump(Tree())(tree) == Tree().dump(tree)


class CompiledOuter(Outer, CompiledDump):
    pass


def test_compiled_schema_dumps_as_marshmallow_does() -> None:
    schema = CompiledOuter()
    for obj in OBJECTS:
        assert schema.dump(obj) == Outer().dump(obj)
    many = [OuterObj(), OuterObj(name="two")]
    assert schema.dump(many, many=True) == Outer().dump(many, many=True)


# -- the page's links -----------------------------------------------------------------------

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


@given(
    st.lists(st.tuples(texts, texts), max_size=6),
    st.dictionaries(texts.filter(lambda k: k != "items"), texts, max_size=3),
)
def test_page_urls_are_urlencoded_as_before(items: list[tuple[str, str]], extra: Any) -> None:
    kept = [(k, v) for k, v in items if k not in extra] + [(k, v) for k, v in extra.items() if v]
    expected = "/?" + urlencode(kept) if kept else "/"
    assert _url(items, **extra) == expected


@given(texts, texts)
def test_entity_links_are_quoted_as_before(etype: str, name: str) -> None:
    assert (
        entity_page_url(etype, name) == f"/entitas/{quote(etype, safe='')}/{quote(name, safe='')}"
    )
