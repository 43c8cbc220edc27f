"""A tiny handler standing in for the Emulator: routes by path, consults a FaultSchedule."""

from __future__ import annotations

import json
from collections.abc import Iterator

from workersai.emulator._types import BodyItem, EmuRequest, EmuResponse
from workersai.emulator.faults import FaultSchedule

SSE = [("content-type", "text/event-stream")]
JSON = [("content-type", "application/json")]


def sse_event(obj: object) -> bytes:
    return b"data: " + json.dumps(obj, ensure_ascii=False).encode() + b"\n\n"


class StubHandler:
    """``/stream?n=20&pause=0.01&text=...`` streams SSE; ``/echo`` echoes; else a JSON reply.

    ``body`` (when set) is returned as the body of every non-echo request.
    """

    def __init__(self) -> None:
        self.faults = FaultSchedule()
        self.requests: list[EmuRequest] = []
        self.produced = 0
        self.closed = False
        self.body: list[BodyItem] | None = None

    def handle(self, request: EmuRequest) -> EmuResponse:
        self.requests.append(request)
        fault = self.faults.next_fault(request)
        if fault is not None:
            return fault.apply(request, lambda: self.route(request))
        return self.route(request)

    def route(self, request: EmuRequest) -> EmuResponse:
        if request.path.endswith("/echo"):
            echo = {"method": request.method, "path": request.path, "query": request.query,
                    "headers": request.headers, "body": request.body.decode()}
            return EmuResponse(200, JSON, json.dumps(echo).encode())
        if request.path.endswith("/boom"):
            raise RuntimeError("handler failed")
        if self.body is not None:
            return EmuResponse(200, SSE, list(self.body))
        if "stream" in request.path:
            return EmuResponse(200, SSE, self.stream(request))
        return EmuResponse(200, [*JSON, ("cf-ai-req-id", "r-1")], json.dumps(
            {"result": {"response": "Hello"}, "success": True, "errors": [], "messages": []}
        ).encode())

    def stream(self, request: EmuRequest) -> Iterator[BodyItem]:
        n = int(request.query.get("n", "20"))
        pause = float(request.query.get("pause", "0"))
        text = request.query.get("text", "tok")
        try:
            for i in range(n):
                if pause:
                    yield pause
                self.produced += 1
                yield sse_event({"response": f"{text}{i}", "p": "x" * (i % 7)})
            yield sse_event({"response": "", "usage": {"completion_tokens": n}})
            yield b"data: [DONE]\n\n"
        finally:
            self.closed = True


def events(raw: bytes) -> list[str]:
    """The data payloads of an SSE body."""
    return [chunk.removeprefix(b"data: ").decode()
            for chunk in raw.split(b"\n\n") if chunk]
