"""``multipart/form-data`` bodies (FLUX.2 image models take their inputs as a form).

Pure: fields in, ``(body, content_type)`` out. Text values become plain parts, ``bytes``
become file parts (the field name as file name, the media type sniffed from the bytes).
The boundary is derived from the content, so one input always gives the same bytes, and
is checked not to occur in any value.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from ...errors import InvalidInputError
from ._base import sniff_image

__all__ = ["FormValue", "encode_form"]

FormValue = str | int | float | bytes
_NAME = re.compile(r'^[^"\r\n\\]+$')


def _part(name: str, value: FormValue) -> bytes:
    if not _NAME.match(name):
        raise InvalidInputError(f"form field name {name!r} cannot be sent (quote or newline)")
    if isinstance(value, bytes):
        media = sniff_image(value) or "application/octet-stream"
        head = (f'Content-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
                f"Content-Type: {media}\r\n\r\n")
        return head.encode() + value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidInputError(
            f"form field {name!r} must be text, a number or bytes, got {type(value).__name__}")
    return f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}'.encode()


def encode_form(fields: Mapping[str, FormValue]) -> tuple[bytes, str]:
    """The body and ``Content-Type`` (with its boundary) of a form holding ``fields``."""
    parts = [_part(name, value) for name, value in fields.items()]
    digest = hashlib.sha256(b"\0".join(parts)).hexdigest()
    boundary = f"workersai-{digest[:32]}"
    while any(boundary.encode() in p for p in parts):  # vanishingly rare; stay correct
        boundary += "x"
    sep = f"--{boundary}\r\n".encode()
    body = b"".join(sep + p + b"\r\n" for p in parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
