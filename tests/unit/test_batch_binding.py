"""The batch queue over a Python Worker binding: ``queueRequest`` goes in the options."""

from __future__ import annotations

from typing import Any

from workersai import AsyncClient
from workersai.batch import aembed_batch, arun_batch

from .test_binding_fakes import LLM, FakeBinding


class Queue:
    """Answers ``env.AI.run(model, {...}, {"queueRequest": True})`` like the service."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.polls = 0

    def __call__(self, model: str, inputs: dict[str, Any], options: Any) -> dict[str, Any]:
        assert options == {"queueRequest": True}
        if "requests" in inputs:
            self.items = inputs["requests"]
            return {"status": "queued", "request_id": "job-1", "model": model}
        assert inputs == {"request_id": "job-1"}
        self.polls += 1
        if self.polls == 1:
            return {"status": "running", "request_id": "job-1"}
        responses = [{"id": i, "success": True, "result": {"result": self.answer(item)}}
                     for i, item in enumerate(self.items)]
        return {"responses": responses[::-1], "usage": {"prompt_tokens": 4}}

    @staticmethod
    def answer(item: dict[str, Any]) -> dict[str, Any]:
        if "text" in item:
            return {"shape": [len(item["text"]), 1],
                    "data": [[float(len(t))] for t in item["text"]]}
        return {"response": item["prompt"].upper()}


async def test_run_batch_over_binding_reorders_and_unwraps() -> None:
    queue = Queue()
    b = FakeBinding(queue)
    out = await arun_batch(AsyncClient(binding=b), LLM, [{"prompt": "a"}, {"prompt": "b"}],
                           poll_interval=0)
    assert out.results == [{"response": "A"}, {"response": "B"}] and out.ok
    assert out.request_ids == ["job-1"] and len(b.calls) == 3
    assert out.usage is not None and out.usage.input_tokens == 4


async def test_embed_batch_over_binding() -> None:
    b = FakeBinding(Queue())
    out = await aembed_batch(AsyncClient(binding=b), "@cf/baai/bge-base-en-v1.5",
                             ["a", "bb", "ccc"], batch_size=2, poll_interval=0)
    assert out.vectors == [[1.0], [2.0], [3.0]]
    assert b.calls[0][1] == {"requests": [{"text": ["a", "bb"]}, {"text": ["ccc"]}]}
