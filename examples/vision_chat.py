"""Vision: describe an image with a vision chat model, from LangChain and LlamaIndex.

The image is the file named on the command line, or one drawn first with the
text-to-image tool. A vision chat model (llama-4-scout) describes it through
``ChatWorkersAI`` (an image content block) and ``WorkersAI`` (an ``ImageBlock``); the
image-to-text and object-detection tools read it too.

Runs live when CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN are set, otherwise against
the embedded Workers AI emulator (in-process, offline). The first line says which.

    python examples/vision_chat.py [path/to/image.jpg]
"""

from __future__ import annotations

import base64
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _connect import Connection, connect
from langchain_core.messages import HumanMessage
from llama_index.core.llms import ChatMessage, ImageBlock, TextBlock

from langchain_workersai import ChatWorkersAI
from langchain_workersai.tools import (
    WorkersAIImageGenerationTool,
    WorkersAIImageToTextTool,
    WorkersAIObjectDetectionTool,
)
from llamaindex_workersai import WorkersAI

VISION_MODEL = "@cf/meta/llama-4-scout-17b-16e-instruct"
QUESTION = "Describe this image in two sentences."


def get_image(conn: Connection, folder: Path) -> Path:
    """The image named on the command line, or a freshly drawn one."""
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    tool = WorkersAIImageGenerationTool(output_dir=folder, **conn.kwargs)
    path = Path(tool.invoke({"prompt": "a lighthouse on a rocky coast at sunset"}))
    print(f"Drew {path.name} with {tool.model}")
    return path


def media_type(data: bytes) -> str:
    return "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"


def with_langchain(conn: Connection, data: bytes) -> None:
    llm = ChatWorkersAI(model=VISION_MODEL, max_tokens=200, **conn.kwargs)
    message = HumanMessage(content=[
        {"type": "text", "text": QUESTION},
        {"type": "image", "base64": base64.b64encode(data).decode(),
         "mime_type": media_type(data)},
    ])
    print(f"LangChain  {VISION_MODEL}: {llm.invoke([message]).text}")


def with_llamaindex(conn: Connection, data: bytes) -> None:
    llm = WorkersAI(model=VISION_MODEL, max_tokens=200, **conn.kwargs)
    message = ChatMessage(role="user", blocks=[
        TextBlock(text=QUESTION), ImageBlock(image=data, image_mimetype=media_type(data))])
    print(f"LlamaIndex {VISION_MODEL}: {llm.chat([message]).message.content}")


def with_task_tools(conn: Connection, path: Path) -> None:
    describe = WorkersAIImageToTextTool(**conn.kwargs)
    print(f"Image-to-text {describe.model}: "
          f"{describe.invoke({'image': str(path)})['description']}")
    found = WorkersAIObjectDetectionTool(min_score=0.5, **conn.kwargs).invoke(
        {"image": str(path)})
    labels = ", ".join(f"{o['label']} ({o['score']:.2f})" for o in found["objects"])
    print(f"Objects: {labels or 'none above 0.5'}")


def main() -> None:
    conn = connect()
    print(conn.banner)
    with tempfile.TemporaryDirectory() as tmp:
        path = get_image(conn, Path(tmp))
        data = path.read_bytes()
        print(f"Image: {path.name}, {len(data)} bytes, {media_type(data)}")
        with_langchain(conn, data)
        with_llamaindex(conn, data)
        with_task_tools(conn, path)


if __name__ == "__main__":
    main()
