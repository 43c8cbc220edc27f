"""Errors the emulator answers with, raised anywhere below the router and turned into the
Cloudflare v4 error envelope there."""

from __future__ import annotations

__all__ = ["EmuError", "BadInputError", "bad_input"]


class EmuError(Exception):
    """An HTTP error reply: status, Cloudflare code, message; ``req_id``: the reply carries
    ``cf-ai-req-id`` (the request reached a model)."""

    def __init__(self, status: int, code: int, message: str, *, req_id: bool = True,
                 errors: list[dict[str, object]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.req_id = req_id
        self.errors = errors
        """Several ``errors`` entries, when one (code, message) is not enough."""


class BadInputError(EmuError):
    """HTTP 400, code 5006: the input failed the model's schema."""

    def __init__(self, detail: str) -> None:
        super().__init__(400, 5006, f"AiError: Bad input: Error: {detail}")
        self.detail = detail


def bad_input(detail: str) -> BadInputError:
    """The 5006 error for ``detail`` (the text after ``AiError: Bad input: Error: ``)."""
    return BadInputError(detail)
