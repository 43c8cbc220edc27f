"""The ``prompt`` form answered in a shape the model's published output schema allows:
a text completion where the schema has one (qwen3-30b-a3b), the ``Prompt_Output``
branch where the schema names one (gpt-oss-20b), a chat completion where the schema
describes nothing else (glm-4.7-flash, kimi, gemma-4)."""

from __future__ import annotations

import pytest

from tests.emulator.helpers import run
from workersai.emulator._app import Emulator

from ._schema import chat_models, input_validator, output_validator

PROMPT = {"prompt": "Tell me about open source"}


def _prompt_models() -> list[str]:
    return [m for m in chat_models() if input_validator(m).is_valid(PROMPT)]


@pytest.mark.parametrize("model", _prompt_models())
def test_every_prompt_form_reply_validates_against_the_output_schema(model: str) -> None:
    reply = run(Emulator(), model, PROMPT)
    assert reply.status == 200, (model, reply.raw[:300])
    errors = list(output_validator(model).iter_errors(reply.result))
    assert not errors, f"{model}: {errors[0].message} at {list(errors[0].path)}"


@pytest.mark.parametrize(("model", "kind"), [
    ("@cf/qwen/qwen3-30b-a3b-fp8", "text_completion"),
    ("@cf/openai/gpt-oss-20b", "response"),
    ("@cf/zai-org/glm-4.7-flash", "chat.completion"),
    ("@cf/moonshotai/kimi-k2.6", "chat.completion"),
])
def test_the_prompt_form_shape_follows_the_schema(model: str, kind: str) -> None:
    result = run(Emulator(), model, PROMPT).result
    if kind == "response":
        assert isinstance(result["response"], str) and result["response"]
        assert "choices" not in result
    else:
        assert result["object"] == kind
        choice = result["choices"][0]
        text = choice["text"] if kind == "text_completion" else choice["message"]["content"]
        assert isinstance(text, str) and text


def test_a_streamed_prompt_form_matches_its_reply_shape() -> None:
    events = run(Emulator(), "@cf/zai-org/glm-4.7-flash", {**PROMPT, "stream": True}).events
    chunks = [e for e in events if isinstance(e, dict) and e.get("choices")]
    assert chunks and all(e["object"] == "chat.completion.chunk" for e in chunks)
    assert all("text" not in e["choices"][0] for e in chunks)
