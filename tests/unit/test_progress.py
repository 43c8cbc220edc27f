"""Progress for long jobs: tqdm when installed, else one stderr line; off by default."""

from __future__ import annotations

import io
import sys

import httpx
import pytest

from langchain_workersai import WorkersAIEmbeddings
from llamaindex_workersai import WorkersAIEmbedding
from workersai._progress import Progress, progress, queue_progress
from workersai.emulator import DEFAULT_ACCOUNT_ID, DEFAULT_TOKEN

TEXTS = [f"text number {i}" for i in range(25)]


@pytest.fixture
def no_tqdm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)


def test_plain_line_without_tqdm(no_tqdm: None) -> None:
    out = io.StringIO()
    bar = Progress("Embedding", stream=out, min_interval=0)
    bar(5, 10)
    bar(10, 10)
    bar.close()
    text = out.getvalue()
    assert "\rEmbedding: 5/10 (50%)" in text and "\rEmbedding: 10/10 (100%)" in text
    assert text.endswith("\n")


def test_plain_line_is_throttled_but_the_end_is_always_written(no_tqdm: None) -> None:
    out = io.StringIO()
    bar = Progress("x", stream=out, min_interval=60)
    for done in range(1, 11):
        bar(done, 10)
    assert out.getvalue().count("\r") == 2  # the first update and the last


def test_tqdm_bar_when_installed() -> None:
    pytest.importorskip("tqdm")
    out = io.StringIO()
    with progress(True, "Embedding", stream=out) as bar:
        assert bar is not None
        bar(3, 4)
        bar(4, 4)
    assert "4/4" in out.getvalue()


def test_off_means_no_callback() -> None:
    with progress(False, "x") as bar:
        assert bar is None


def test_queue_progress_keeps_the_callers_callback(no_tqdm: None,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[int] = []

    class P:
        finished, failed, total, status = 2, 1, 4, "running"

    with queue_progress({"show_progress": True, "on_progress": lambda p: seen.append(p.total),
                         "max_wait": 5}, "Queued") as knobs:
        assert "show_progress" not in knobs and knobs["max_wait"] == 5
        knobs["on_progress"](P())
    assert seen == [4]
    assert "Queued: 3/4 (75%) [running]" in capsys.readouterr().err
    with queue_progress({"max_wait": 5}, "Queued") as knobs:
        assert knobs == {"max_wait": 5}


@pytest.mark.emulator
def test_langchain_embeddings_show_progress(
    no_tqdm: None, emulator_http_client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    quiet = WorkersAIEmbeddings(account_id=DEFAULT_ACCOUNT_ID, api_key=DEFAULT_TOKEN,
                                http_client=emulator_http_client, batch_size=10)
    assert len(quiet.embed_documents(TEXTS)) == 25
    assert capsys.readouterr().err == ""
    loud = quiet.model_copy(update={"show_progress_bar": True})
    assert len(loud.embed_documents(TEXTS)) == 25
    assert "Embedding documents: 25/25 (100%)" in capsys.readouterr().err


@pytest.mark.emulator
def test_llamaindex_show_progress_works_without_tqdm(
    no_tqdm: None, emulator_http_client: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    embed = WorkersAIEmbedding(account_id=DEFAULT_ACCOUNT_ID, api_key=DEFAULT_TOKEN,
                               http_client=emulator_http_client, embed_batch_size=10)
    assert len(embed.get_text_embedding_batch(TEXTS, show_progress=True)) == 25
    assert "Generating embeddings: 25/25 (100%)" in capsys.readouterr().err
