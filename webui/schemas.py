"""marshmallow schemas: the search arguments (shared by the API and the page) and responses."""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validates_schema
from marshmallow.validate import Length, OneOf, Range

from index_format import facets as registry
from search.matching import MATCHES
from search.models import INTERVALS, SORTS, SearchRequest
from search.query import MAX_QUERY_LENGTH
from webui.schema_dump import CompiledDump
from webui.story_schemas import COLLAPSES, StoryHitSchema

MAX_PER_PAGE = 100
MAX_PAGE = 100_000
MAX_VALUES_PER_FILTER = 20
MAX_FACET_SIZE = 200
# The repeatable parameters: per facet of the registry, its values (`person=`) and the values
# to leave out (`person_not=`).
FACET_NAMES = registry.names()  # as the registry was when the API's schemas were made
LIST_ARGS = (*FACET_NAMES, *(f"{name}_not" for name in FACET_NAMES))
FACET_LISTS = (*FACET_NAMES, "published")  # what `facets=` may name


class AsciiInteger(fields.Integer):
    """An integer written in ASCII digits only: int() also takes "٣", "５", " 3" and "1_0"."""

    _DIGITS = re.compile(r"-?[0-9]+")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, str) and not self._DIGITS.fullmatch(value):
            raise self.make_error("invalid")
        result: int = super()._deserialize(value, attr, data, **kwargs)
        return result


def _values_field() -> fields.List:
    return fields.List(
        fields.String(validate=Length(min=1, max=200)),
        load_default=list,
        validate=Length(max=MAX_VALUES_PER_FILTER),
        metadata={"description": "Repeatable; several values of one facet are OR-ed."},
    )


class _SearchArgs(Schema):
    """Query parameters of GET /api/search, the export endpoints and the search page; the
    facet filters are added from the registry (SearchArgsSchema)."""

    class Meta:
        unknown = RAISE

    q = fields.String(
        load_default="",
        validate=Length(max=MAX_QUERY_LENGTH),
        metadata={
            "description": 'Words (all must match), "exact phrase", -exclude or NOT, OR, AND, '
            "judul: or title:, (groups), a pasted article URL"
        },
    )
    date_from = fields.Date(
        data_key="from", load_default=None, metadata={"description": "YYYY-MM-DD, inclusive"}
    )
    date_to = fields.Date(
        data_key="to", load_default=None, metadata={"description": "YYYY-MM-DD, inclusive"}
    )
    sort = fields.String(load_default="relevance", validate=OneOf(SORTS))
    match = fields.String(
        load_default="all",
        validate=OneOf(MATCHES),
        metadata={
            "description": "Which articles count: all the words (default), most of them (as "
            "many as it takes to find 10 articles, from all but one down; `words` says how "
            "many), or any one"
        },
    )
    facets = fields.String(
        load_default=None,
        validate=Length(max=200),
        metadata={
            "description": "Comma-separated facet lists to compute, of "
            + ", ".join(FACET_LISTS)
            + " (default: all)"
        },
    )
    page = AsciiInteger(load_default=1, validate=Range(min=1, max=MAX_PAGE))
    per_page = AsciiInteger(load_default=10, validate=Range(min=1, max=MAX_PER_PAGE))
    facet_size = AsciiInteger(
        load_default=20,
        validate=Range(min=1, max=MAX_FACET_SIZE),
        metadata={"description": "Values listed per facet (selected ones are always listed)"},
    )
    interval = fields.String(
        load_default=None,
        validate=OneOf(INTERVALS),
        metadata={
            "description": "Bucket of facets.published: day, week, month or year (default: "
            "whichever suits the span of the matching dates)"
        },
    )
    since = fields.AwareDateTime(
        default_timezone=UTC,
        load_default=None,
        metadata={
            "description": "ISO 8601 time (UTC unless it gives a zone): only the articles "
            "added to the index after it (what a feed reader has not seen)"
        },
    )
    collapse = fields.String(
        load_default=None,
        validate=OneOf(COLLAPSES),
        metadata={
            "description": "story: one row per story (copies of one article grouped), its "
            "best-ranked copy; `total` still counts articles, `stories` counts stories"
        },
    )
    as_typed = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Search the query as typed even when it finds nothing (otherwise "
            "its correction's results are shown: `corrected`)"
        },
    )

    @validates_schema
    def _dates_in_order(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError("'from' must not be after 'to'.", field_name="from")

    @validates_schema
    def _known_facet_lists(self, data: dict[str, Any], **_: Any) -> None:
        unknown = [f for f in _facet_lists(data.get("facets")) or () if f not in FACET_LISTS]
        if unknown:
            choices = ", ".join(FACET_LISTS)
            raise ValidationError(f"Must be one of: {choices}.", field_name="facets")

    @post_load
    def _to_request(self, data: dict[str, Any], **_: Any) -> SearchRequest:
        # Repeated values count once.
        values = {name: tuple(dict.fromkeys(data.pop(name))) for name in LIST_ARGS}
        return SearchRequest(
            filters={name: values[name] for name in FACET_NAMES},
            exclude={name: values[f"{name}_not"] for name in FACET_NAMES},
            facets=_facet_lists(data.pop("facets")),
            **data,
        )


def _facet_lists(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))


SearchArgsSchema = type(
    "SearchArgsSchema", (_SearchArgs,), {name: _values_field() for name in LIST_ARGS}
)
# One instance per process: webargs makes a new one per request from a class (~0.1 ms, its
# fields deep-copied), and a schema holds no state between loads.
SEARCH_ARGS = SearchArgsSchema()


def load_search_args(args: Any) -> SearchRequest:
    """Validate a MultiDict of query arguments (the page's path; the API goes through webargs)."""
    data: dict[str, Any] = {}
    for key in args:
        values = args.getlist(key)
        if key in LIST_ARGS:
            data[key] = values
        elif len(values) > 1:
            raise ValidationError({key: ["Given more than once."]})
        else:
            data[key] = values[0]
    result: SearchRequest = SEARCH_ARGS.load(data)
    return result


class FacetValueSchema(Schema):
    value = fields.String(required=True)
    count = fields.Integer(required=True)
    selected = fields.Boolean()


EntitiesSchema = Schema.from_dict(
    {name: fields.List(fields.String()) for name in registry.entity_names()},
    name="EntitiesSchema",
)
# Every facet's values of one article (entities by their canonical names).
ValuesSchema = Schema.from_dict(
    {name: fields.List(fields.String()) for name in LIST_ARGS}, name="FacetValuesSchema"
)


class HitSchema(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    url = fields.String(allow_none=True)
    outlet = fields.String(allow_none=True)
    published = fields.Date(allow_none=True)
    snippet = fields.String(
        metadata={"description": "HTML-escaped text with <mark> around matches"}
    )
    entities = fields.Nested(EntitiesSchema)
    facets = fields.Nested(ValuesSchema)
    score = fields.Float(allow_none=True)
    added = fields.DateTime(
        allow_none=True, metadata={"description": "When it was added to the index (UTC)"}
    )
    story = fields.Nested(
        StoryHitSchema,
        allow_none=True,
        metadata={"description": "With collapse=story: the story this row stands for"},
    )


FacetsSchema = Schema.from_dict(
    {name: fields.List(fields.Nested(FacetValueSchema)) for name in ("published", *LIST_ARGS)},
    name="FacetsSchema",
)


class PartialSchema(Schema):
    match = fields.String(metadata={"description": "The match mode that finds them: most"})
    total = fields.Integer(
        metadata={"description": "How many more articles it finds (not counted in total)"}
    )
    words = fields.Integer(
        metadata={"description": "Each holds at least this many of the query's words"}
    )


class WarningSchema(Schema):
    facet = fields.String(metadata={"description": "The parameter, e.g. outlet or person_not"})
    value = fields.String(metadata={"description": "The value that names nothing in it"})


class SearchResponseSchema(CompiledDump):
    total = fields.Integer(
        required=True, metadata={"description": "Articles counted, under `match`"}
    )
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    took_ms = fields.Float(required=True)
    date_interval = fields.String(metadata={"description": "Bucket of facets.published"})
    match = fields.String(metadata={"description": "Which articles count: all, most or any"})
    words = fields.Integer(
        metadata={"description": "The fewest of the query's words a counted article holds"}
    )
    partial_matches = fields.Nested(
        PartialSchema,
        data_key="partial",
        attribute="partial",
        allow_none=True,
        metadata={
            "description": "With match=all and fewer than 10 articles: how many more most "
            "words find (ask again with match=most)"
        },
    )
    suggestion = fields.String(allow_none=True, metadata={"description": "Did you mean"})
    corrected = fields.String(
        allow_none=True,
        metadata={
            "description": "The query whose results these are, when the query as typed found "
            "nothing (as_typed=true asks for the query as typed)"
        },
    )
    warnings = fields.List(
        fields.Nested(WarningSchema),
        metadata={"description": "Filter values that name no value of their facet"},
    )
    stories = fields.Integer(
        allow_none=True,
        metadata={"description": "With collapse=story: the stories the articles make (pages)"},
    )
    hits = fields.List(fields.Nested(HitSchema), required=True)
    facets = fields.Nested(FacetsSchema, required=True)


class ArticleSchema(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    url = fields.String(allow_none=True)
    outlet = fields.String(allow_none=True)
    outlet_source = fields.String()
    published = fields.Date(allow_none=True)
    date_source = fields.String()
    body = fields.String()
    entities = fields.Nested(EntitiesSchema)
    facets = fields.Nested(ValuesSchema)


class ApiErrorSchema(Schema):
    status = fields.Integer(required=True)
    code = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
