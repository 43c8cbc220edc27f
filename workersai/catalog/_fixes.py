"""Repairs to defective published schemas, applied in a derived layer only.

The snapshot files stay exactly as Cloudflare publishes them. A validator (the emulator,
request conformance checks) should validate against :func:`validation_schema`, which
applies every :data:`FIXES` entry that matches the model to a deep copy. Most fixes repair
input schemas; an entry with ``part="output"`` repairs output schemas (what replies are
checked against), applied by ``apply_fixes(..., part="output")``.

Each fix names the defect, the models it was seen on, and why the repair is right. A test
checks that every fix still changes its schema (so a fixed upstream schema is noticed) and
that without the fixes those schemas accept ``{}``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

__all__ = ["FIXES", "SchemaFix", "accepts_empty_object", "apply_fixes", "validation_schema"]

Schema = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SchemaFix:
    """One repair: ``apply`` edits a copy of the input schema in place and returns
    whether it changed anything."""

    name: str
    models: tuple[str, ...]
    """fnmatch patterns of the model ids it applies to."""
    why: str
    apply: Callable[[Schema], bool]
    part: str = "input"
    """Which schema it repairs: ``input`` or ``output``."""

    def matches(self, model_id: str) -> bool:
        """Whether this fix applies to ``model_id``."""
        return any(fnmatchcase(model_id, pattern) for pattern in self.models)


def _require_requests_branch(schema: Schema) -> bool:
    changed = False
    for key in ("oneOf", "anyOf"):
        for branch in schema.get(key) or []:
            props = branch.get("properties") if isinstance(branch, dict) else None
            if isinstance(props, dict) and set(props) == {"requests"} and not branch.get(
                    "required"):
                branch["required"] = ["requests"]
                changed = True
    return changed


def _require_text(schema: Schema) -> bool:
    if "text" in (schema.get("properties") or {}) and not schema.get("required"):
        schema["required"] = ["text"]
        return True
    return False


def _hoist_misplaced_required(schema: Schema) -> bool:
    props = schema.get("properties") or {}
    misplaced = props.get("required")
    if isinstance(misplaced, list) and all(isinstance(x, str) for x in misplaced):
        del props["required"]
        schema["required"] = sorted({*schema.get("required", []), *misplaced})
        return True
    return False


def _require_one_text_field(schema: Schema) -> bool:
    props = schema.get("properties") or {}
    fields = [f for f in ("text", "queries", "documents") if f in props]
    if fields and not schema.get("required") and "anyOf" not in schema:
        schema["anyOf"] = [{"required": [f]} for f in fields]
        return True
    return False


def _require_image_in_object_branch(schema: Schema) -> bool:
    changed = False
    for branch in schema.get("oneOf") or []:
        if (isinstance(branch, dict) and branch.get("type") == "object"
                and "image" in (branch.get("properties") or {}) and not branch.get("required")):
            branch["required"] = ["image"]
            changed = True
    return changed


def _branch_accepts_empty(schema: Schema, branch: Any) -> bool:
    outer = {k: v for k, v in schema.items() if k != "oneOf"}
    return isinstance(branch, dict) and accepts_empty_object({**outer, **branch})


def _require_request_id(schema: Schema) -> bool:
    changed = False
    for branch in schema.get("oneOf") or []:
        props = branch.get("properties") if isinstance(branch, dict) else None
        if isinstance(props, dict) and set(props) == {"request_id"} and not branch.get(
                "required"):
            branch["required"] = ["request_id"]
            changed = True
    return changed


def _null_response_beside_calls(schema: Schema) -> bool:
    changed = False
    for branch in [schema, *(schema.get("oneOf") or [])]:
        props = branch.get("properties") if isinstance(branch, dict) else None
        if not isinstance(props, dict):
            continue
        response = props.get("response")
        if (isinstance(response, dict) and response.get("type") == "string"
                and "tool_calls" in props):
            response["type"] = ["string", "null"]
            changed = True
    return changed


def _object_branch(schema: Schema, branch: Any) -> bool:
    merged = {**{k: v for k, v in schema.items() if k != "oneOf"}, **branch} if isinstance(
        branch, dict) else {}
    return merged.get("type") == "object" or (merged.get("type") is None and bool(merged))


def _loosen_overlapping_one_of(schema: Schema) -> bool:
    branches = schema.get("oneOf")
    if not isinstance(branches, list):
        return False
    objects = [b for b in branches if _object_branch(schema, b)]
    if len(objects) < 2 or not any(_branch_accepts_empty(schema, b) for b in objects):
        return False
    schema["anyOf"] = schema.pop("oneOf")
    return True


FIXES: tuple[SchemaFix, ...] = (
    SchemaFix(
        "async-batch branch never required",
        ("*",),  # seen on llama-3.3-70b-fp8-fast, gemma-4, kimi-k2.5/2.6/2.7-code, glm-5.x,
        # qwen3.8-27b and deepseek-v4-pro/flash; the repair is structural, so it applies
        # wherever the shape occurs
        "The top-level oneOf/anyOf lists an 'Async Batch' branch whose only property is "
        "`requests` but which does not require it, so every object (even {}) matches it and "
        "the prompt/messages branches are never enforced. The batch queue always sends "
        "`requests`, so requiring it is what the branch means.",
        _require_requests_branch),
    SchemaFix(
        "aura-2-en text not required",
        ("@cf/deepgram/aura-2-en",),
        "aura-2-en declares `text` but no `required`; its siblings aura-1 and aura-2-es "
        "(same input shape) require `text`, and speech needs something to speak.",
        _require_text),
    SchemaFix(
        "required listed inside properties",
        ("@cf/black-forest-labs/flux-2-*",),
        "`\"required\": [\"multipart\"]` sits inside `properties`, where it declares a "
        "property named 'required' instead of requiring `multipart`; hoisted one level up.",
        _hoist_misplaced_required),
    SchemaFix(
        "qwen3-embedding requires no input",
        ("@cf/qwen/qwen3-embedding-*",),
        "`text`, `queries` and `documents` are all optional, so {} validates; an embedding "
        "call needs at least one of them.",
        _require_one_text_field),
    SchemaFix(
        "detr object branch without image",
        ("@cf/facebook/detr-resnet-50",),
        "The JSON branch of oneOf (beside the raw binary body) declares `image` but does "
        "not require it, so {} matches; detection needs the image.",
        _require_image_in_object_branch),
    SchemaFix(
        "classic response null beside tool calls",
        ("*",),  # every classic text-generation output schema (response + tool_calls)
        "The classic reply declares `response` a string, yet the service answers a tool "
        "call with `\"response\": null` beside `tool_calls` (captured reply, reference "
        "section 2.7). Validating replies against the published type would reject real "
        "ones, so `response` may be null.",
        _null_response_beside_calls, part="output"),
    SchemaFix(
        "async response branch never required",
        ("*",),  # the output twin of the first fix: bge-*, omni-bge, bge-m3, qwen3-30b,
        # gemma-sea-lion-v4
        "The output `oneOf` lists an 'Async response' branch whose only property is "
        "`request_id` but which requires nothing, so every reply object matches it as well "
        "as its real branch and fails `oneOf`. The service answers a queued request with "
        "`request_id`, so the branch requires it.",
        _require_request_id, part="output"),
    SchemaFix(
        "output oneOf branches that overlap",
        ("*",),  # seen on bge-*, omni-bge, bge-m3, qwen3-30b-a3b-fp8, gemma-sea-lion-v4
        "An output `oneOf` of two or more object branches of which one requires nothing "
        "(bge's reply branch beside the async `{request_id}` one; bge-m3's three reply "
        "forms; qwen3-30b's and gemma-sea-lion's chat and text completions) fails every "
        "reply that also matches a sibling: the async `{request_id}` answer matches the "
        "reply branch too. Read as `anyOf`: a reply must match at least one branch.",
        _loosen_overlapping_one_of, part="output"),
)
"""Every repair, in the order applied."""


def apply_fixes(model_id: str, schema: Mapping[str, Any], *, part: str = "input"
                ) -> tuple[Schema, list[str]]:
    """A repaired deep copy of ``schema`` (the model's ``part`` schema) and the names of
    the fixes that changed it."""
    fixed: Schema = copy.deepcopy(dict(schema))
    applied = [fix.name for fix in FIXES
               if fix.part == part and fix.matches(model_id) and fix.apply(fixed)]
    return fixed, applied


def validation_schema(model_id: str, schema: Mapping[str, Any]) -> Schema:
    """The input schema to validate requests for ``model_id`` against."""
    return apply_fixes(model_id, schema)[0]


def accepts_empty_object(schema: Any) -> bool:
    """Whether ``{}`` satisfies ``schema`` (the subset of JSON Schema that decides it:
    ``type``, ``required``, ``minProperties``, ``oneOf``/``anyOf``/``allOf``)."""
    if schema is True or schema == {}:
        return True
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    if kind is not None and "object" not in (kind if isinstance(kind, list) else [kind]):
        return False
    if schema.get("required") or schema.get("minProperties", 0) > 0:
        return False
    if not all(accepts_empty_object(s) for s in schema.get("allOf") or []):
        return False
    if "anyOf" in schema and not any(accepts_empty_object(s) for s in schema["anyOf"]):
        return False
    return "oneOf" not in schema or sum(accepts_empty_object(s) for s in schema["oneOf"]) == 1
