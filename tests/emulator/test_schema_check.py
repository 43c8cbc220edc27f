"""The emulator's schema check words each failure as the service does (one per keyword)."""

from __future__ import annotations

from typing import Any

import pytest

from workersai.emulator._schema_check import first_error

CASES: list[tuple[dict[str, Any], Any, str | None]] = [
    ({"type": "string"}, 3, "Type mismatch of '/', 'integer' not in 'string'"),
    ({"type": ["string", "null"]}, [], "Type mismatch of '/', 'array' not in 'string, null'"),
    ({"type": "integer"}, 2.0, None),
    ({"type": "integer"}, True, "Type mismatch of '/', 'boolean' not in 'integer'"),
    ({"enum": ["mean", "cls"]}, "max", "'/' must be equal to one of the allowed values"),
    ({"enum": [1]}, True, "'/' must be equal to one of the allowed values"),
    ({"const": "a"}, "b", "'/' must be equal to the constant"),
    ({"minimum": 0}, -1, "Value -1 at '/' is less than the minimum 0"),
    ({"maximum": 5}, 7, "Value 7 at '/' is greater than the maximum 5"),
    ({"exclusiveMinimum": 0}, 0, "Value 0 at '/' is not greater than 0"),
    ({"minLength": 1}, "", "String at '/' is shorter than the minimum length 1"),
    ({"maxLength": 2}, "abc", "String at '/' is longer than the maximum length 2"),
    ({"pattern": "^data:"}, "https://x", "String at '/' does not match pattern '^data:'"),
    ({"minItems": 1}, [], "Array at '/' has fewer items than the minimum 1"),
    ({"maxItems": 1}, [1, 2], "Array at '/' has more items than the maximum 1"),
    ({"items": {"type": "string"}}, ["a", 1], "Type mismatch of '/1', 'integer' not in 'string'"),
    ({"minProperties": 1}, {}, "Object at '/' has fewer properties than the minimum 1"),
    ({"required": ["a", "b"]}, {"a": 1}, "required properties at '/' are 'a', 'b'"),
    ({"properties": {"a/b": {"type": "string"}}}, {"a/b": 1},
     "Type mismatch of '/a~1b', 'integer' not in 'string'"),
    ({"properties": {"a": {}}, "additionalProperties": False}, {"a": 1, "w": 2, "h": 3},
     "Additional or unevaluated properties '/w, /h' at '/' not allowed"),
    ({"additionalProperties": {"type": "string"}}, {"x": 1},
     "Type mismatch of '/x', 'integer' not in 'string'"),
    ({"anyOf": [{"type": "string"}, {"type": "null"}]}, 1,
     "anyOf at '/' not met: Type mismatch of '/', 'integer' not in 'string', "
     "Type mismatch of '/', 'integer' not in 'null'"),
    ({"oneOf": [{"title": "A", "required": ["a"]}, {"title": "B", "required": ["b"]}]},
     {"a": 1, "b": 2}, "oneOf at '/' not met, 2 matches: 'A', 'B'"),
    ({"allOf": [{"required": ["a"]}]}, {}, "required properties at '/' are 'a'"),
    ({"not": {"type": "null"}}, None, "'/' must not match the schema in 'not'"),
    ({"type": "object", "format": "binary", "description": "x"}, {}, None),
]


@pytest.mark.parametrize(("schema", "value", "detail"), CASES)
def test_each_keyword_is_worded_like_the_service(schema: dict[str, Any], value: Any,
                                                  detail: str | None) -> None:
    assert first_error(schema, value) == detail
