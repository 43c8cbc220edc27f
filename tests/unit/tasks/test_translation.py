from __future__ import annotations

import pytest

from workersai.errors import BatchError, InvalidInputError, RateLimitError, ResponseFormatError
from workersai.tasks import atranslate, build_translation_requests, translate

from .conftest import Run, Twin

M2M = "@cf/meta/m2m100-1.2b"
INDIC = "@cf/ai4bharat/indictrans2-en-indic-1B"
PAIR = (translate, atranslate)


def test_m2m100_one_text(twin: Twin) -> None:
    t = twin(PAIR, [Run({"translated_text": "Bonjour"})], M2M, "Hello", "fr", "en")
    assert t.texts == ["Bonjour"] and t.text == "Bonjour"
    assert t.target_lang == "fr" and t.source_lang == "en" and len(t.meta) == 1
    assert twin.calls[0]["inputs"] == {"text": "Hello", "target_lang": "fr", "source_lang": "en"}


def test_m2m100_many_texts_one_request_each_in_order(twin: Twin) -> None:
    replies = [Run({"translated_text": f"t{i}"}) for i in range(3)]
    t = twin(PAIR, replies, M2M, ["a", "b", "c"], "de")
    assert t.texts == ["t0", "t1", "t2"]
    assert [c["inputs"]["text"] for c in twin.calls] == ["a", "b", "c"]
    assert all("source_lang" not in c["inputs"] for c in twin.calls)


def test_indictrans_batches_and_maps_iso_codes(twin: Twin) -> None:
    replies = [Run({"translations": ["x1", "x2"]}), Run({"translations": ["x3"]})]
    t = twin(PAIR, replies, INDIC, ["a", "b", "c"], "hi", batch_size=2)
    assert t.texts == ["x1", "x2", "x3"] and len(t.meta) == 2
    assert [c["inputs"] for c in twin.calls] == [
        {"text": ["a", "b"], "target_language": "hin_Deva"},
        {"text": ["c"], "target_language": "hin_Deva"},
    ]


def test_indictrans_default_batch_is_one_request_for_few_texts() -> None:
    reqs = build_translation_requests(INDIC, ["a"] * 40, "tam_Taml")
    assert [len(r.inputs["text"]) for r in reqs if r.inputs] == [32, 8]


def test_empty_list_makes_no_request(twin: Twin) -> None:
    t = twin(PAIR, [], M2M, [], "fr")
    assert t.texts == [] and twin.calls == []


@pytest.mark.parametrize(
    ("model", "texts", "target", "kw", "fragment"),
    [
        (M2M, ["ok", ""], "fr", {}, "text #1"),
        (M2M, ["ok"], "", {}, "target language"),
        (INDIC, ["ok"], "xx", {}, "FLORES"),
        (INDIC, ["ok"], "hi", {"source_lang": "fr"}, "from English only"),
        (INDIC, ["ok"], "hi", {"batch_size": 0}, "batch_size"),
    ],
)
def test_bad_input(model: str, texts: list[str], target: str, kw: dict[str, object],
                   fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        build_translation_requests(model, texts, target, **kw)  # type: ignore[arg-type]


def test_count_mismatch_is_a_format_error(twin: Twin) -> None:
    with pytest.raises(ResponseFormatError, match="sent 2 texts, got 1"):
        twin(PAIR, [Run({"translations": ["only one"]})], INDIC, ["a", "b"], "hi")


def test_single_failure_raises_the_error_itself(twin: Twin) -> None:
    with pytest.raises(RateLimitError):
        twin(PAIR, [RateLimitError("busy", status_code=429)], M2M, "a", "fr")


def test_partial_failure_keeps_finished_work(twin: Twin) -> None:
    replies = [Run({"translated_text": "A"}), RateLimitError("busy"), Run({"translated_text": "C"})]
    with pytest.raises(BatchError) as info:
        twin(PAIR, replies, M2M, ["a", "b", "c"], "fr")
    assert info.value.failed_indices == [1]
    assert info.value.results == ["A", None, "C"]


def test_partial_failure_of_a_batch_marks_each_of_its_texts(twin: Twin) -> None:
    replies = [RateLimitError("busy"), Run({"translations": ["Z"]})]
    with pytest.raises(BatchError) as info:
        twin(PAIR, replies, INDIC, ["a", "b", "c"], "hi", batch_size=2)
    assert info.value.results == [None, None, "Z"]
    assert info.value.failed_indices == [0, 1]
