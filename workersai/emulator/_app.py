"""The emulator's application: routing, auth, envelopes, headers, recording, scripting.

Routes (``/client/v4`` prefix optional; ``{id}`` a 32-hex-digit account id):

* ``POST /accounts/{id}/ai/run/{model}`` (model ids contain slashes), with
  ``?queueRequest=true`` for the batch flow; ``POST /accounts/{id}/ai/run`` with
  ``{"model", "input"}`` (needs ``cf-aig-gateway-id`` for ``@cf/`` models); ``stream``
  there gives ``data:`` events ending in ``data: [DONE]``: the family's chunks, or
  Responses events when gpt-oss is sent the Responses ``input`` form;
* ``POST /accounts/{id}/ai/v1/chat/completions``, ``/ai/v1/embeddings``,
  ``/ai/v1/responses`` (bare OpenAI objects; errors keep the Cloudflare envelope;
  ``stream`` gives Responses events there, see :mod:`._render_responses_sse`);
  ``GET /ai/v1/models`` is 405;
* ``GET /accounts/{id}/ai/models/search`` and ``/ai/models/schema?model=``;
* legacy gateway host paths ``/v1/{id}/{gateway}/workers-ai/{model or v1/...}``.

Replies: HTTP 200 ``{"result", "success": true, "errors": [], "messages": []}`` with
``cf-ai-req-id`` (a UUID), ``cf-ai-neurons`` (catalog prices times token counts) and
``cf-ray``. Missing or wrong ``Authorization: Bearer`` -> 401, code 10000, no
``cf-ai-req-id``. A malformed account id -> 400 with codes 7003 and 7000; an unknown
path -> 404, code 7000. Unknown model -> 400, 5007; LoRA on a model without it -> 405,
5005; a paid-only model with ``free_plan=True`` -> 403; bad input -> 400, 5006: a model
in the snapshot is held to its published input schema (``_schema_check``), others and the
``/ai/v1`` routes to the hand rules of ``_validate``.
"""

from __future__ import annotations

import random
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..catalog import ModelInfo, lookup
from ..catalog.facts import input_facts
from . import _embed, _models_api
from ._answer import answer, inline_reasoning, read_conversation
from ._batch import BatchQueue
from ._errors import EmuError, bad_input
from ._gateway import GATEWAY_HEADER, GatewayCache
from ._jsonenc import dumps, loads
from ._limits import RateLimit, limit_key, one_event_per_write, rate_limited_reply, recut
from ._prompt_shape import prompt_shape
from ._render_llm import RenderCtx, neurons, render_json
from ._render_responses_sse import responses_stream
from ._render_sse import Pads, sse_stream
from ._schema_check import check_input, has_schema
from ._script import Script, scripted_plan
from ._task_neurons import task_neurons
from ._tasks import TASK_MODELS, handle_task
from ._types import BodyItem, EmuRequest, EmuResponse
from ._validate import validate_embed, validate_llm, validate_rerank
from .faults import FaultSchedule

__all__ = ["Emulator", "DEFAULT_ACCOUNT_ID", "DEFAULT_TOKEN", "EMULATOR_HEADER", "PAID_ONLY_CODE"]

DEFAULT_ACCOUNT_ID = "0123456789abcdef0123456789abcdef"
DEFAULT_TOKEN = "emulator-token"
EMULATOR_HEADER = "x-workersai-emulator"
"""A response header on every emulator reply (value ``1``); Cloudflare never sends it."""
_MARK = (EMULATOR_HEADER, "1")
PAID_ONLY_CODE = 5035
"""Code of the free-plan refusal of a paid-only model (the real number is unconfirmed)."""

_ROUTE = re.compile(r"^(?:/client/v4)?/accounts/(?P<acct>[^/]*)/(?P<rest>.*)$")
_LEGACY = re.compile(r"^/v1/(?P<acct>[^/]+)/(?P<gw>[^/]+)/workers-ai/(?P<rest>.+)$")
_ACCOUNT = re.compile(r"^[0-9a-f]{32}$")
_JSON = "application/json"
_AUTH_BODY = (b'{"result":null,"success":false,"errors":[{"code":10000,'
              b'"message":"Authentication error"}],"messages":[]}')
_SHAPES = {"classic": "classic", "llama4": "llama4"}
_INLINE_REASONING = ("classic", "llama4", "text_completion")


def _envelope(result: Any) -> bytes:
    return dumps({"result": result, "success": True, "errors": [], "messages": []})


class Emulator:
    """A wire-faithful Workers AI, answering :class:`EmuRequest` s in process.

    Args:
        token: the accepted API token; ``None`` accepts any non-empty Bearer token.
        seed: makes ids, padding and every reply repeatable.
        latency: seconds added before the first byte of every reply.
        split_tool_calls: stream chat tool-call arguments in several fragments.
        chunk_size: deliver bodies in pieces of this many bytes (splitting UTF-8).
        free_plan: refuse paid-only models with 403.
        json_stream: ``"reject"`` (5006) or ``"allow"`` JSON mode with ``stream``.
        event_delay: send every SSE event in its own write, this many seconds apart (a
            live model's pace; ``None`` groups events for speed).
        rate_limit: requests allowed per ``(account, model)`` in ``rate_window`` seconds;
            more get Cloudflare's 429 with ``Retry-After`` (``None``: no limit).
        rate_window: the rate limit's sliding window (60 = per minute; less scales time).

    Example:
        >>> emu = Emulator()
        >>> req = EmuRequest("POST", f"/client/v4/accounts/{DEFAULT_ACCOUNT_ID}/ai/run/"
        ...                  "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
        ...                  headers={"authorization": f"Bearer {DEFAULT_TOKEN}"},
        ...                  body=b'{"prompt": "Hello"}')
        >>> emu.handle(req).status
        200
    """

    def __init__(self, *, token: str | None = None, seed: int = 0, latency: float = 0.0,
                 split_tool_calls: bool = True, chunk_size: int | None = None,
                 free_plan: bool = False, json_stream: str = "reject",
                 event_delay: float | None = None, rate_limit: int | None = None,
                 rate_window: float = 60.0) -> None:
        if chunk_size is not None and chunk_size < 1:
            raise ValueError("chunk_size must be at least 1")
        if event_delay is not None and event_delay < 0:
            raise ValueError("event_delay must be >= 0")
        self.event_delay = event_delay
        self.rate_limit = None if rate_limit is None else RateLimit(rate_limit, rate_window)
        self.token, self.seed, self.latency = token, seed, latency
        self.split_tool_calls, self.chunk_size = split_tool_calls, chunk_size
        self.free_plan, self.json_stream = free_plan, json_stream
        self.requests: list[EmuRequest] = []
        self.faults = FaultSchedule()
        self.script = Script()
        self.gateway_cache = GatewayCache()
        self.batches = BatchQueue()
        self._pads = Pads(seed)
        self._count = 0
        self._lock = threading.Lock()

    # --- entry -------------------------------------------------------------------------

    def handle(self, request: EmuRequest) -> EmuResponse:
        """Record ``request``, apply any scheduled fault, and answer it. Every reply,
        faults included, carries ``x-workersai-emulator: 1`` (:data:`EMULATOR_HEADER`), so
        a client can tell it is not talking to Cloudflare."""
        with self._lock:
            self.requests.append(request)
        fault = self.faults.next_fault(request)
        if fault is not None:
            reply = fault.apply(request, lambda: self._route(request))
        else:
            reply = self._route(request)
        return EmuResponse(reply.status, [*reply.headers, _MARK], reply.body)

    def _route(self, request: EmuRequest) -> EmuResponse:
        rng = self._rng()
        try:
            reply = self._dispatch(request, rng)
        except EmuError as exc:
            reply = self._error(exc, rng)
        return self._deliver(reply)

    def _rng(self) -> random.Random:
        with self._lock:
            self._count += 1
            return random.Random(self.seed * 1_000_003 + self._count)

    def _deliver(self, reply: EmuResponse) -> EmuResponse:
        streamed = not isinstance(reply.body, bytes)
        if not self.latency and self.chunk_size is None and not (
                streamed and self.event_delay is not None):
            return reply
        items: Iterable[BodyItem] = [reply.body] if isinstance(reply.body, bytes) else reply.body
        if streamed and self.event_delay is not None:
            items = one_event_per_write(items, self.event_delay)
        if self.chunk_size is not None:
            size = self.chunk_size
            items = recut(items, lambda buf: size if len(buf) >= size else 0)
        if self.latency:
            items = _prepend(float(self.latency), items)
        return EmuResponse(reply.status, reply.headers, items)

    # --- headers and envelopes --------------------------------------------------------

    def _headers(self, rng: random.Random, content_type: str = _JSON, *, req_id: bool = True,
                 billed: float | None = None) -> list[tuple[str, str]]:
        headers = [("content-type", content_type), ("cf-ray", f"{rng.getrandbits(64):016x}-SJC")]
        if req_id:
            headers.append(("cf-ai-req-id", str(uuid.UUID(int=rng.getrandbits(128), version=4))))
        if billed is not None:
            headers.append(("cf-ai-neurons", f"{billed:.4f}"))
        return headers

    def _error(self, exc: EmuError, rng: random.Random) -> EmuResponse:
        if exc.code == 10000:
            return EmuResponse(exc.status, self._headers(rng, req_id=False), _AUTH_BODY)
        errors = exc.errors or [{"message": exc.message, "code": exc.code}]
        body = {"errors": errors, "success": False,
                "result": {} if exc.req_id else None, "messages": []}
        return EmuResponse(exc.status, self._headers(rng, req_id=exc.req_id), dumps(body))

    def _ok(self, rng: random.Random, obj: Any, *, bare: bool = False,
            billed: float | None = None) -> EmuResponse:
        body = dumps(obj) if bare else _envelope(obj)
        return EmuResponse(200, self._headers(rng, billed=billed), body)

    # --- routing ----------------------------------------------------------------------

    def _dispatch(self, request: EmuRequest, rng: random.Random) -> EmuResponse:
        legacy = _LEGACY.match(request.path)
        if legacy is not None:
            request = _as_unified(request, legacy)
        match = _ROUTE.match(request.path)
        if match is None:
            raise _no_route()
        if not _ACCOUNT.match(match["acct"]):
            raise _bad_account(request.path)
        rest = match["rest"].rstrip("/")
        if not rest.startswith("ai/"):
            raise _no_route()
        self._authorize(request)
        handler = self._pick(request.method, rest[3:])
        if self.rate_limit is not None and request.method == "POST":
            wait = self.rate_limit.check(match["acct"], limit_key(rest[3:], request.body))
            if wait is not None:
                return rate_limited_reply(wait, self._headers(rng))
        if request.headers.get(GATEWAY_HEADER) and request.method == "POST":
            log_id = f"{rng.getrandbits(128):032X}"[:26]
            return self.gateway_cache.serve(
                request, lambda: self._answer(handler, request, rng), log_id)
        return handler(request, rng)

    def _answer(self, handler: Callable[[EmuRequest, random.Random], EmuResponse],
                request: EmuRequest, rng: random.Random) -> EmuResponse:
        try:
            return handler(request, rng)
        except EmuError as exc:
            return self._error(exc, rng)

    def _pick(self, method: str, rest: str
              ) -> Callable[[EmuRequest, random.Random], EmuResponse]:
        posts: dict[str, Callable[[EmuRequest, random.Random], EmuResponse]] = {
            "run": self._unified, "v1/chat/completions": self._openai_chat,
            "v1/embeddings": self._openai_embeddings, "v1/responses": self._openai_responses}
        gets: dict[str, Callable[[EmuRequest, random.Random], EmuResponse]] = {
            "models/search": self._search, "models/schema": self._schema}
        if rest.startswith("run/"):
            model = rest[4:]
            if method != "POST":
                raise _not_allowed()
            return lambda req, rng: self._native(req, rng, model)
        table = posts if method == "POST" else gets if method == "GET" else {}
        if rest in table:
            return table[rest]
        if rest in posts or rest in gets or rest == "v1/models":
            raise _not_allowed()
        raise _no_route()

    def _authorize(self, request: EmuRequest) -> None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or (
                self.token is not None and token != self.token):
            raise EmuError(401, 10000, "Authentication error", req_id=False)

    # --- models API -------------------------------------------------------------------

    def _search(self, request: EmuRequest, rng: random.Random) -> EmuResponse:
        found, info = _models_api.search_models(request.query)
        body = {"success": True, "errors": [], "messages": [], "result": found,
                "result_info": info}
        return EmuResponse(200, self._headers(rng, req_id=False), dumps(body))

    def _schema(self, request: EmuRequest, rng: random.Random) -> EmuResponse:
        schema = _models_api.model_schema(request.query.get("model"))
        return EmuResponse(200, self._headers(rng, req_id=False), _envelope(schema))

    # --- native run -------------------------------------------------------------------

    def _native(self, request: EmuRequest, rng: random.Random, model: str,
                body: dict[str, Any] | None = None) -> EmuResponse:
        queued = request.query.get("queueRequest", "").lower() == "true"
        if model in TASK_MODELS and not queued:
            # raw media or JSON in; JSON or raw media out (the gateway form passes `body`)
            data, ctype = ((request.body, request.headers.get("content-type", _JSON))
                           if body is None else (dumps(body), _JSON))
            if ctype.split(";")[0].strip().lower() == _JSON and has_schema(model):
                check_input(model, _json_object(data))
            status, headers, out = handle_task(model, "", data, ctype) or (500, [], b"")
            out_type = dict(headers).get("content-type", _JSON)
            billed = task_neurons(model, data, ctype, out, out_type) if status == 200 else None
            return EmuResponse(status, self._headers(rng, out_type, billed=billed), out)
        body = _json_object(request.body) if body is None else body
        info = self._model(model, body)
        if queued:
            return self._batch(rng, model, info, body)
        if info.task == "text-generation":
            return self._chat(rng, model, info, body, "native")
        result, tokens = self._non_chat(info, body)
        return self._ok(rng, result, billed=neurons(info, tokens, 0))

    def _model(self, model: str, body: dict[str, Any]) -> ModelInfo:
        info = lookup(model)
        if info is None:
            raise EmuError(400, 5007, f"No such model {model} or task")
        if self.free_plan and info.paid_only:
            raise EmuError(403, PAID_ONLY_CODE, f"AiError: Model {model} is not available on "
                           "the Workers Free plan. Upgrade to access this model")
        if "lora" in body and not info.lora:
            raise EmuError(405, 5005, "AiError: Model does not support LoRA inference")
        body.pop("options", None)  # request-level options (rejectIfBusy): never busy here
        return info

    def _non_chat(self, info: ModelInfo, body: dict[str, Any]) -> tuple[Any, int]:
        schema = has_schema(info.id)
        if schema:
            check_input(info.id, body)
        if info.family == "reranker":
            if not schema:
                validate_rerank(body)
            return _embed.run_rerank(body)
        if info.task == "text-embeddings":
            if not schema:
                validate_embed(info, body)
            return _embed.run_embedding(info, body)
        data = dumps(body)
        status, _, reply = handle_task(info.id, info.task, data, _JSON) or (
            400, [], b'{"errors":[{"code":5007,"message":"No such model"}]}')
        parsed = loads(reply)
        if status != 200:
            err = parsed["errors"][0]
            raise EmuError(status, err["code"], err["message"])
        return parsed["result"], 0

    def _batch(self, rng: random.Random, model: str, info: ModelInfo,
               body: dict[str, Any]) -> EmuResponse:
        if not info.async_queue:
            raise bad_input(f"model {model} does not support queueRequest (async batch)")
        if "request_id" in body:  # a poll: not an input of the model
            result = self.batches.poll(model, body["request_id"],
                                       lambda item: self._batch_item(model, info, item))
        else:
            if info.task == "text-generation":  # the batch branch of the input schema
                check_input(model, body)
            request_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            result = self.batches.submit(model, body, request_id)
        return self._ok(rng, result)

    def _batch_item(self, model: str, info: ModelInfo, item: dict[str, Any]
                    ) -> tuple[Any, int, int]:
        self._model(model, item)
        if info.task != "text-generation":
            result, tokens = self._non_chat(info, item)
            return result, tokens, 0
        form = _checked_form(info, item)
        plan = answer(read_conversation(item, info), info)
        ctx = self._ctx(random.Random(self.seed), model, info, _shape(info, form, "native"))
        if ctx.shape in _INLINE_REASONING:
            plan = inline_reasoning(plan)
        return render_json(plan, ctx), plan.prompt_tokens, plan.completion_tokens

    # --- text generation --------------------------------------------------------------

    def _ctx(self, rng: random.Random, model: str, info: ModelInfo, shape: str) -> RenderCtx:
        return RenderCtx(model, info, shape, rng, int(time.time()), self.split_tool_calls)

    def _chat(self, rng: random.Random, model: str, info: ModelInfo, body: dict[str, Any],
              endpoint: str) -> EmuResponse:
        form = (_checked_form(info, body) if endpoint == "native"
                else validate_llm(info, body, openai=endpoint == "openai"))
        stream = body.get("stream") is True
        wants_json = body.get("response_format") is not None or "guided_json" in body
        if stream and wants_json and self.json_stream == "reject":
            raise bad_input("JSON Mode couldn't be met: response_format does not support "
                            "streaming")
        if endpoint == "native":
            body = _offered_only(info, body)
        conv = read_conversation(body, info)
        scripted = self.script.pop()
        plan = scripted_plan(scripted, conv) if scripted else answer(conv, info)
        ctx = self._ctx(rng, model, info, _shape(info, form, endpoint))
        if ctx.shape in _INLINE_REASONING:  # shapes without a reasoning field
            plan = inline_reasoning(plan)
        billed = neurons(info, plan.prompt_tokens, plan.completion_tokens)
        if stream and ctx.shape == "responses":
            return EmuResponse(200, self._headers(rng, "text/event-stream", billed=billed),
                               responses_stream(plan, ctx, native=endpoint == "native"))
        if stream:
            options = body.get("stream_options")
            include = isinstance(options, dict) and options.get("include_usage") is True
            events = sse_stream(plan, ctx, self._pads.cycle(rng.randrange(1 << 16)),
                                native=endpoint == "native", include_usage=include)
            return EmuResponse(200, self._headers(rng, "text/event-stream", billed=billed),
                               events)
        return self._ok(rng, render_json(plan, ctx), bare=endpoint != "native", billed=billed)

    # --- other endpoints --------------------------------------------------------------

    def _unified(self, request: EmuRequest, rng: random.Random) -> EmuResponse:
        body = _json_object(request.body)
        model, inputs = body.get("model"), body.get("input")
        if not isinstance(model, str) or not isinstance(inputs, dict):
            raise bad_input("required properties at '/' are 'model', 'input'")
        if model.startswith("@cf/") and not request.headers.get(GATEWAY_HEADER):
            raise bad_input("the cf-aig-gateway-id header is required for @cf/ models on "
                            "/ai/run")
        return self._native(request, rng, model, inputs)

    def _openai_body(self, request: EmuRequest) -> tuple[str, ModelInfo, dict[str, Any]]:
        body = _json_object(request.body)
        model = body.pop("model", None)
        if not isinstance(model, str):
            raise bad_input("required properties at '/' are 'model'")
        return model, self._model(model, body), body

    def _openai_chat(self, request: EmuRequest, rng: random.Random) -> EmuResponse:
        model, info, body = self._openai_body(request)
        if info.task != "text-generation":
            raise EmuError(400, 5007, f"No such model {model} or task")
        return self._chat(rng, model, info, body, "openai")

    def _openai_responses(self, request: EmuRequest, rng: random.Random) -> EmuResponse:
        model, info, body = self._openai_body(request)
        if info.family != "gpt-oss":
            raise EmuError(400, 5007, f"No such model {model} or task")
        return self._chat(rng, model, info, body, "responses")

    def _openai_embeddings(self, request: EmuRequest, rng: random.Random) -> EmuResponse:
        model, info, body = self._openai_body(request)
        if info.task != "text-embeddings":
            raise EmuError(400, 5007, f"No such model {model} or task")
        if "input" not in body:
            raise bad_input("required properties at '/' are 'input'")
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        validate_embed(info, {"text": texts})
        result, tokens = _embed.openai_embeddings(info, texts)
        result["model"] = model
        return self._ok(rng, result, bare=True, billed=neurons(info, tokens, 0))


def _checked_form(info: ModelInfo, body: dict[str, Any]) -> str:
    """Check a native text-generation input, and say its form (prompt|messages|input).
    A model in the snapshot is held to its published input schema (the service's own
    check); one without a schema to the hand rules of ``_validate``."""
    if not has_schema(info.id):
        return validate_llm(info, body)
    check_input(info.id, body)
    return next((k for k in ("input", "messages") if k in body), "prompt")


def _offered_only(info: ModelInfo, body: dict[str, Any]) -> dict[str, Any]:
    """A model whose published input schema has no ``tools`` (llama-guard-3-8b) never
    sees them: the service passes unknown fields by, so it answers in plain text."""
    facts = input_facts(info.id)
    if facts is None or "tools" in facts.fields or "tools" not in body:
        return body
    return {k: v for k, v in body.items() if k not in ("tools", "tool_choice")}


def _shape(info: ModelInfo, form: str, endpoint: str) -> str:
    if endpoint == "openai":
        return "chat"
    if endpoint == "responses" or form == "input":
        return "responses"
    if info.family in _SHAPES:
        return _SHAPES[info.family]
    return prompt_shape(info) if form == "prompt" else "chat"  # as its output schema allows


def _prepend(first: BodyItem, items: Iterable[BodyItem]) -> Iterator[BodyItem]:
    yield first
    yield from items


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        body = loads(raw or b"{}")
    except ValueError as exc:
        raise bad_input(f"the request body is not valid JSON ({exc})") from exc
    if not isinstance(body, dict):
        raise bad_input("Type mismatch of '/', not an object")
    return body


def _as_unified(request: EmuRequest, match: re.Match[str]) -> EmuRequest:
    rest = match["rest"]
    rest = rest if rest.startswith("v1/") else f"run/{rest}"
    headers = {**request.headers, GATEWAY_HEADER: match["gw"]}
    return EmuRequest(request.method, f"/accounts/{match['acct']}/ai/{rest}", request.query,
                      headers, request.body)


def _no_route() -> EmuError:
    return EmuError(404, 7000, "No route for that URI", req_id=False)


def _not_allowed() -> EmuError:
    return EmuError(405, 7001, "Method not allowed", req_id=False)


def _bad_account(path: str) -> EmuError:
    message = f"Could not route to {path}, perhaps your object identifier is invalid?"
    return EmuError(400, 7003, message, req_id=False, errors=[
        {"code": 7003, "message": message}, {"code": 7000, "message": "No route for that URI"}])
