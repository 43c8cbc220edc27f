"""Family tables, the </think> splitter, usage reading, and the wire package's purity."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

import workersai.wire as wire
from workersai.catalog import MODELS
from workersai.errors import InvalidInputError
from workersai.types import Usage
from workersai.wire._reasoning import ThinkSplitter, split_think
from workersai.wire._usage import add_usage, read_usage
from workersai.wire.families import CHAT_RULES, UNKNOWN_CHAT, chat_rules, embed_form, reply_shape


def test_every_catalog_chat_family_has_rules() -> None:
    for info in MODELS:
        # Cloudflare files the clef decision models under Text Generation, but their input
        # is {questions, images} and their output {answers}: family "other", not chat
        if info.task == "text-generation" and info.family != "other":
            assert info.family in CHAT_RULES
            assert chat_rules(info.id).known


def test_rules_carry_catalog_facts_and_endpoint_overrides() -> None:
    mistral = chat_rules("@cf/mistralai/mistral-small-3.1-24b-instruct")
    assert (mistral.json_mode, mistral.lora, mistral.vision, mistral.tool_choice) == (
        "guided_json",
        False,  # the catalog says LoRA, its published input schema has no lora field
        True,
        False,
    )
    assert chat_rules("@cf/meta/llama-3.2-11b-vision-instruct").lora
    openai = chat_rules("@cf/mistralai/mistral-small-3.1-24b-instruct", "openai")
    assert openai.tool_choice and openai.merge_same_role
    assert chat_rules("@cf/deepseek-ai/deepseek-r1-distill-qwen-32b").think
    assert chat_rules("@cf/acme/x") is UNKNOWN_CHAT and not UNKNOWN_CHAT.known


@pytest.mark.parametrize(
    ("result", "model", "shape"),
    [
        ({"choices": []}, "@cf/meta/llama-3.3-70b-instruct-fp8-fast", "chat"),
        ({"output": []}, "@cf/acme/x", "responses"),
        ({"object": "response"}, "@cf/acme/x", "responses"),
        ({"response": "x"}, "@cf/openai/gpt-oss-120b", "classic"),
        ({"tool_calls": []}, "@cf/acme/x", "classic"),
        ({}, "@cf/google/gemma-4-26b-a4b-it", "chat"),
        ({}, "@cf/meta/llama-3.3-70b-instruct-fp8-fast", "classic"),
        ({}, "@cf/acme/x", "classic"),
    ],
)
def test_reply_shape(result: dict, model: str, shape: str) -> None:
    assert reply_shape(result, model) == shape


def test_embed_forms() -> None:
    assert embed_form("@cf/qwen/qwen3-embedding-0.6b").query_key == "queries"
    assert embed_form("@cf/qwen/qwen3-embedding-0.6b").batch_limit == 32
    assert embed_form("@cf/baai/bge-small-en-v1.5").pooling
    assert not embed_form("@cf/acme/x").known
    with pytest.raises(InvalidInputError):
        embed_form("@cf/baai/bge-reranker-base")


R1_TEXT = "Let me think. 2<3 is true.\n</think>\n\nYes."


def _stream_split(pieces: list[str], think_model: bool) -> tuple[str, str]:
    splitter = ThinkSplitter(think_model=think_model)
    reasoning, text = "", ""
    for piece in pieces:
        r, t = splitter.feed(piece)
        reasoning, text = reasoning + r, text + t
    r, t = splitter.flush()
    return reasoning + r, text + t


@pytest.mark.parametrize(
    ("text", "think_model"),
    [
        (R1_TEXT, True),
        ("<think>hm</think> ok", False),
        ("  <think>a</thin", False),
        ("plain <think> text", False),
        ("no tag at all", True),
        ("a </think> b", False),
        ("", True),
        ("\n<thi", False),
    ],
)
def test_think_stream_matches_whole_text_for_every_split(text: str, think_model: bool) -> None:
    whole_reasoning, whole_text = split_think(text, think_model=think_model)
    expected = (whole_reasoning or "", whole_text)
    for a, b in itertools.combinations(range(len(text) + 1), 2):
        pieces = [text[:a], text[a:b], text[b:]]
        assert _stream_split(pieces, think_model) == expected, pieces
    assert _stream_split(list(text), think_model) == expected


def test_think_splitter_holds_back_at_most_a_partial_tag() -> None:
    splitter = ThinkSplitter(think_model=True)
    assert splitter.feed("abc</th") == ("abc", "")
    assert splitter.feed("x") == ("</thx", "")


def test_read_usage_variants() -> None:
    assert read_usage(None) is None and read_usage({}) is None
    assert read_usage({"prompt_tokens": 3, "completion_tokens": 4}) == Usage(3, 4, 7)
    assert read_usage({"input_tokens": 1, "output_tokens": 2, "total_tokens": 3}) == Usage(1, 2, 3)
    assert read_usage({"neurons": 40}) == Usage(neurons=40.0)
    assert read_usage({"prompt_tokens": True, "neurons": "x"}) == Usage()


def test_add_usage_keeps_optional_fields_optional() -> None:
    total = add_usage(Usage(1, 2, 3, cached_input_tokens=1), Usage(1, 1, 2, neurons=0.5))
    assert total == Usage(2, 3, 5, cached_input_tokens=1, reasoning_tokens=None, neurons=0.5)


WIRE_DIR = Path(wire.__file__).parent
FORBIDDEN = {"httpx", "langchain_core", "llama_index", "workersai._http", "pydantic"}


@pytest.mark.parametrize("path", sorted(WIRE_DIR.glob("*.py")), ids=lambda p: p.name)
def test_wire_modules_are_pure_and_small(path: Path) -> None:
    source = path.read_text()
    assert len(source.splitlines()) < 500
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            assert not any(n.split(".")[0] in FORBIDDEN or n == "_http" for n in names)


def test_public_names() -> None:
    for name in wire.__all__:
        assert hasattr(wire, name)
