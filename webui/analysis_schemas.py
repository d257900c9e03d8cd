"""marshmallow schemas of the analyses (webui.analysis): an entity's page, the co-occurrence
map. The map takes the search's own parameters (SearchArgsSchema) and a few of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validates_schema
from marshmallow.validate import Length, OneOf, Range

from index_format import facets as registry
from search.cooccurrence import MAX_NODES
from search.entity_page import CO_SORTS, MIN_CO_COUNT
from search.models import INTERVALS, SearchRequest
from search.query import MAX_QUERY_LENGTH
from search.series import MAX_SERIES
from webui.ops import SERIES_LISTS
from webui.schemas import LIST_ARGS, AsciiInteger, FacetValueSchema, HitSchema, SearchArgsSchema

MAP_FORMATS = ("json", "graphml", "csv")


class EntityArgsSchema(Schema):
    class Meta:
        unknown = RAISE

    limit = AsciiInteger(
        load_default=20,
        validate=Range(min=1, max=200),
        metadata={"description": "Co-occurring entities listed"},
    )
    min_count = AsciiInteger(
        load_default=MIN_CO_COUNT,
        validate=Range(min=1, max=100_000),
        metadata={"description": "Fewest articles naming both for a co-occurring entity"},
    )
    sort = fields.String(
        load_default="score",
        validate=OneOf(CO_SORTS),
        metadata={
            "description": "Co-occurring entities by score (count × PMI, the default), count "
            "or lift"
        },
    )
    interval = fields.String(
        load_default=None,
        validate=OneOf(INTERVALS),
        metadata={"description": "Timeline bucket (default: whichever suits the span)"},
    )
    latest = AsciiInteger(
        load_default=10,
        validate=Range(min=0, max=100),
        metadata={"description": "Latest articles listed"},
    )


class CoEntitySchema(Schema):
    type = fields.String(required=True)
    name = fields.String(required=True)
    count = fields.Integer(required=True, metadata={"description": "Articles naming both"})
    total = fields.Integer(
        required=True, metadata={"description": "Articles naming this one (whole archive)"}
    )
    lift = fields.Float(
        required=True,
        metadata={"description": "How many times more often than chance the two appear together"},
    )
    pmi = fields.Float(required=True, metadata={"description": "log2(lift)"})
    score = fields.Float(required=True, metadata={"description": "count × pmi (the ranking)"})


class EntityPageSchema(Schema):
    type = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "The canonical name"})
    variants = fields.List(
        fields.String(), metadata={"description": "Names merged into it in this archive"}
    )
    count = fields.Integer(required=True, metadata={"description": "Articles naming it"})
    interval = fields.String(metadata={"description": "Bucket of the timeline"})
    timeline = fields.List(fields.Nested(FacetValueSchema))
    outlets = fields.List(fields.Nested(FacetValueSchema))
    cooccurring = fields.List(fields.Nested(CoEntitySchema))
    latest = fields.List(fields.Nested(HitSchema))


@dataclass
class MapRequest:
    search: SearchRequest
    nodes: int = 30
    min_weight: int = 1
    format: str = "json"


_MAP_ARGS = ("nodes", "min_weight", "format")


class _MapArgs(SearchArgsSchema):
    nodes = AsciiInteger(
        load_default=30,
        validate=Range(min=2, max=MAX_NODES),
        metadata={"description": "Entities drawn: those named in most of the articles"},
    )
    min_weight = AsciiInteger(
        load_default=1,
        validate=Range(min=1, max=100_000),
        metadata={"description": "Fewest articles naming both for an edge"},
    )
    format = fields.String(load_default="json", validate=OneOf(MAP_FORMATS))

    @post_load
    def _to_request(self, data: dict[str, Any], **kwargs: Any) -> MapRequest:
        extra = {k: data.pop(k) for k in _MAP_ARGS}
        return MapRequest(super()._to_request(data, **kwargs), **extra)


MapArgsSchema = _MapArgs


def load_args(schema: Schema, args: Any) -> Any:
    """Validate a MultiDict of query arguments with `schema` (the pages' path)."""
    data: dict[str, Any] = {}
    for key in args:
        values = args.getlist(key)
        if key in LIST_ARGS or key in SERIES_LISTS:
            data[key] = values
        elif len(values) > 1:
            raise ValidationError({key: ["Given more than once."]})
        else:
            data[key] = values[0]
    return schema.load(data)


class NodeSchema(Schema):
    id = fields.String(attribute="key", metadata={"description": "type:name"})
    type = fields.String(required=True)
    name = fields.String(required=True)
    count = fields.Integer(required=True, metadata={"description": "Articles naming it"})


class EdgeSchema(Schema):
    source = fields.String(required=True, metadata={"description": "A node's id"})
    target = fields.String(required=True)
    weight = fields.Integer(required=True, metadata={"description": "Articles naming both"})
    lift = fields.Float(required=True)


class CoGraphSchema(Schema):
    total = fields.Integer(required=True, metadata={"description": "Articles the search counts"})
    nodes = fields.List(fields.Nested(NodeSchema), required=True)
    edges = fields.List(fields.Nested(EdgeSchema), required=True)


# -- coverage over time (search.series) -----------------------------------------------------


@dataclass
class SeriesRequest:
    search: SearchRequest
    compare: tuple[str, ...] = ()
    entity: tuple[tuple[str, str], ...] = ()
    split: str | None = None
    top: int = 5
    interval: str | None = None
    normalize: str = "count"
    format: str = "json"


def _entity_value(text: str) -> None:
    etype, sep, name = text.partition(":")
    if not sep or etype not in registry.entity_names() or not name.strip():
        raise ValidationError(
            f"Must be type:name, type one of: {', '.join(registry.entity_names())}."
        )


class _SeriesArgs(SearchArgsSchema):
    compare = fields.List(
        fields.String(validate=Length(min=1, max=MAX_QUERY_LENGTH)),
        load_default=list,
        validate=Length(max=MAX_SERIES),
        metadata={"description": "Repeatable: a query per series (the filters apply to each)"},
    )
    entity = fields.List(
        fields.String(validate=[Length(min=3, max=210), _entity_value]),
        load_default=list,
        validate=Length(max=MAX_SERIES),
        metadata={"description": "Repeatable: type:name, an entity per series (within `q`)"},
    )
    split = fields.String(
        load_default=None,
        validate=OneOf(["outlet"]),
        metadata={"description": "outlet: the search split by its top outlets (stacked)"},
    )
    top = AsciiInteger(
        load_default=5,
        validate=Range(min=1, max=MAX_SERIES),
        metadata={"description": "Outlets of split=outlet (the rest is one more series)"},
    )
    interval = fields.String(load_default=None, validate=OneOf(INTERVALS))
    normalize = fields.String(
        load_default="count",
        validate=OneOf(["count", "share"]),
        metadata={"description": "share: of all the archive's articles in each interval"},
    )
    format = fields.String(load_default="json", validate=OneOf(["json", "csv"]))

    @validates_schema
    def _at_most_five(self, data: dict[str, Any], **_: Any) -> None:
        n = len(data.get("compare") or ()) + len(data.get("entity") or ())
        if n > MAX_SERIES:
            raise ValidationError(f"Longer than maximum length {MAX_SERIES}.", field_name="compare")
        if data.get("split") and n:
            raise ValidationError("Not with compare or entity.", field_name="split")

    @post_load
    def _to_request(self, data: dict[str, Any], **kwargs: Any) -> SeriesRequest:
        extra = {k: data.pop(k) for k in ("split", "top", "interval", "normalize", "format")}
        compare = tuple(dict.fromkeys(data.pop("compare")))
        entity = tuple(
            (t, n.strip())
            for t, _, n in (e.partition(":") for e in dict.fromkeys(data.pop("entity")))
        )
        return SeriesRequest(super()._to_request(data, **kwargs), compare, entity, **extra)


SeriesArgsSchema = _SeriesArgs


class SeriesSchema(Schema):
    label = fields.String(
        required=True, metadata={"description": "The query, type:name, or the outlet"}
    )
    total = fields.Integer(required=True, metadata={"description": "Articles its search counts"})
    undated = fields.Integer(
        required=True, metadata={"description": "Of them, without a date: on no interval"}
    )
    values = fields.List(
        fields.Float(),
        required=True,
        metadata={"description": "Per bucket: counts, or shares with normalize=share"},
    )
    counts = fields.List(fields.Integer(), required=True)


class SeriesResponseSchema(Schema):
    interval = fields.String(required=True)
    normalize = fields.String(required=True)
    buckets = fields.List(fields.String(), required=True)
    all = fields.List(
        fields.Integer(), metadata={"description": "Every article of the archive per bucket"}
    )
    series = fields.List(fields.Nested(SeriesSchema), required=True)
