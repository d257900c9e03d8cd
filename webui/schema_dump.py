"""A marshmallow schema's dump compiled once into plain functions: the same dict, less work.

marshmallow's `Schema.dump` resolves each field's getter, default and formatter anew for every
object it meets: a search response (10 hits, 8 facet lists of 20 values) is ~480 field calls and
took ~0.85 ms, three times the JSON encoding. `compile_dump` reads the same declarations once per
schema instance and returns a function that builds the same dict (keys in the same order, the
same values) with a loop over precomputed (key, attribute, formatter) entries: ~4× faster
(bench/http_layers.py). The schema stays the one source of truth: the OpenAPI document and the
loads are untouched.

Only the field types the response schemas use are compiled, each by its exact class (String,
Integer, Float, Boolean, Date, DateTime, List, Nested); any other field, a subclass, a field with
a `dump_default` or its own getter, and a schema with dump hooks or its own `get_attribute` are
left to marshmallow, so the output is marshmallow's whatever the schema declares.
tests/webui/test_schema_dump.py holds the two equal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, missing
from marshmallow.decorators import POST_DUMP, PRE_DUMP
from marshmallow.utils import ensure_text_type, get_value

Format = Callable[[Any], Any]  # a field's value (never missing) → its dumped form
Dump = Callable[[Any], Any]  # an object → the schema's dict


MAX_DEPTH = 16  # nested schemas compiled; deeper (a schema nesting itself) is left to marshmallow


def compile_dump(schema: Schema) -> Dump:
    """A function equal to `schema.dump` (with its own `many`)."""
    one = _compile_one(schema, 0)
    if schema.many:
        return lambda objs: one(objs) if objs is None else [one(o) for o in objs]
    return one


def _compile_one(schema: Schema, depth: int) -> Dump:
    if (
        depth > MAX_DEPTH
        or schema._hooks[PRE_DUMP]
        or schema._hooks[POST_DUMP]
        or type(schema).get_attribute is not Schema.get_attribute
        or schema.dict_class is not dict
    ):
        return lambda obj: schema.dump(obj, many=False)
    # Per field: its key, the attribute read, the type a value keeps as it is (str for a
    # String...: the formatter is called only for other values), and the formatter. A field
    # left to marshmallow has no attribute: its formatter takes the whole object.
    plan: list[tuple[str, str | None, type | None, Format]] = []
    for attr, field in schema.dump_fields.items():
        key = field.data_key if field.data_key is not None else attr
        fmt = _formatter(field, depth) if _plain_getter(field) else None
        name = field.attribute or attr
        if fmt is None or "." in name:  # marshmallow's own, getter included (may be missing)
            plan.append((key, None, None, _marshmallow_field(field, attr, schema)))
        else:
            plan.append((key, name, _KEPT.get(type(field)), fmt))

    def dump(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if type(obj) is dict or hasattr(obj, "__getitem__"):
            read = _from_dict if type(obj) is dict else _from_any
            for key, name, kept, fmt in plan:
                value = fmt(obj) if name is None else read(obj, name)
                if value is not missing:
                    out[key] = value if type(value) is kept or name is None else fmt(value)
            return out
        for key, name, kept, fmt in plan:  # dataclasses and other plain objects: getattr
            value = fmt(obj) if name is None else getattr(obj, name, missing)
            if value is not missing:
                out[key] = value if type(value) is kept or name is None else fmt(value)
        return out

    return dump


def _plain_getter(field: fields.Field) -> bool:
    """Whether the field reads its value as marshmallow's default getter does, no default."""
    return (
        field._CHECK_ATTRIBUTE
        and field.dump_default is missing
        and type(field).get_value is fields.Field.get_value
    )


def _marshmallow_field(field: fields.Field, attr: str, schema: Schema) -> Callable[[Any], Any]:
    accessor = schema.get_attribute
    return lambda obj: field.serialize(attr, obj, accessor=accessor)


def _from_dict(obj: dict[str, Any], key: str) -> Any:
    value = obj.get(key, missing)  # obj[key], else getattr as marshmallow falls back to
    return value if value is not missing else getattr(obj, key, missing)


def _from_any(obj: Any, key: str) -> Any:
    return get_value(obj, key, missing)


def _formatter(field: fields.Field, depth: int) -> Format | None:
    """The field's `_serialize` for one value, or None when it is not compiled."""
    kind = type(field)  # exact classes: a subclass may format otherwise
    if kind is fields.String:
        return _string
    if isinstance(field, fields.Integer) and kind is fields.Integer and not field.as_string:
        return _integer
    if isinstance(field, fields.Float) and kind is fields.Float and not field.as_string:
        return _float
    if kind is fields.Boolean:
        return _boolean(field)
    if isinstance(field, fields.Date | fields.DateTime) and kind in (fields.Date, fields.DateTime):
        func = field.SERIALIZATION_FUNCS.get(field.format or field.DEFAULT_FORMAT)
        return None if func is None else (lambda v: None if v is None else func(v))
    if isinstance(field, fields.List) and kind is fields.List:
        inner = _formatter(field.inner, depth)
        if inner is None:
            return None
        kept = _KEPT.get(type(field.inner))
        return lambda v: None if v is None else [x if type(x) is kept else inner(x) for x in v]
    if isinstance(field, fields.Nested) and kind is fields.Nested:
        nested = field.schema
        one = _compile_one(nested, depth + 1)
        if nested.many or field.many:
            return lambda v: None if v is None else [one(x) for x in v]
        return lambda v: None if v is None else one(v)
    return None


def _string(value: Any) -> str | None:
    if type(value) is str:
        return value
    return None if value is None else ensure_text_type(value)


def _integer(value: Any) -> int | None:
    if type(value) is int:
        return value
    return None if value is None else int(value)


def _float(value: Any) -> float | None:
    if type(value) is float:
        return value
    return None if value is None else float(value)


def _boolean(field: fields.Field) -> Format:
    def fmt(value: Any) -> Any:
        if value is True or value is False:
            return value  # what marshmallow's truthy/falsy sets give for them
        return field._serialize(value, None, None)

    return fmt


# The value each compiled field type dumps unchanged (marshmallow's formatter returns it as is).
_KEPT: dict[type, type] = {
    fields.String: str,
    fields.Integer: int,
    fields.Float: float,
    fields.Boolean: bool,
}


class CompiledDump(Schema):
    """A schema whose `dump` runs the compiled function (built on first use, per instance)."""

    _compiled: Dump | None = None

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        if many is not None and bool(many) != self.many:
            return super().dump(obj, many=many)
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = compile_dump(self)
        return compiled(obj)
