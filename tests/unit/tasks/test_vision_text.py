"""Classification, detection, summarization and image-to-text."""

from __future__ import annotations

import base64

import pytest

from workersai.errors import InvalidInputError, ResponseFormatError
from workersai.tasks import (
    DEFAULT_DESCRIBE_PROMPT,
    DescribeParams,
    TaskReply,
    aclassify_image,
    aclassify_text,
    adescribe_image,
    adetect_objects,
    asummarize,
    build_describe_request,
    build_detection_request,
    build_summary_request,
    build_text_classification_request,
    classify_image,
    classify_text,
    describe_image,
    detect_objects,
    parse_detections,
    parse_labels,
    summarize,
)

from .conftest import Run, Twin, json_raw

PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)
SST = "@cf/huggingface/distilbert-sst-2-int8"
RESNET = "@cf/microsoft/resnet-50"
DETR = "@cf/facebook/detr-resnet-50"
BART = "@cf/facebook/bart-large-cnn"
LLAVA = "@cf/llava-hf/llava-1.5-7b-hf"


def test_text_classification_sorted_best_first(twin: Twin) -> None:
    out = [{"label": "NEGATIVE", "score": 0.1}, {"label": "POSITIVE", "score": 0.9}]
    c = twin((classify_text, aclassify_text), [Run(out)], SST, "I love it")
    assert [lab.label for lab in c.labels] == ["POSITIVE", "NEGATIVE"]
    assert c.top is not None and c.top.score == 0.9
    assert twin.calls[0]["inputs"] == {"text": "I love it"}


def test_reranker_ids_are_refused_for_classification() -> None:
    with pytest.raises(InvalidInputError, match="reranker"):
        build_text_classification_request("@cf/baai/bge-reranker-base", "x")


def test_image_classification_raw_by_default_array_on_request(twin: Twin) -> None:
    out = [{"label": "TABBY CAT", "score": 0.7}]
    c = twin((classify_image, aclassify_image), [json_raw(out)], RESNET, PNG)
    assert c.top is not None and c.top.label == "TABBY CAT"
    assert twin.calls[0]["content_type"] == "image/png" and twin.calls[0]["body"] == PNG
    twin((classify_image, aclassify_image), [Run(out)], RESNET, b"\x01\x02", encoding="array")
    assert twin.calls[0]["inputs"] == {"image": [1, 2]}


@pytest.mark.parametrize("result", [{"label": "x"}, [{"label": "x"}], [{"score": 1}],
                                    [{"label": "x", "score": True}], ["x"]])
def test_bad_label_replies(result: object) -> None:
    with pytest.raises(ResponseFormatError):
        parse_labels(SST, TaskReply(result=result))


DETR_OUT = [
    {"score": 0.4, "label": "cup", "box": {"xmin": 1, "ymin": 2, "xmax": 3, "ymax": 4}},
    {"score": 0.95, "label": "cat", "box": {"xmin": 10, "ymin": 20, "xmax": 30, "ymax": 40}},
]


def test_detection_sorted_and_min_score(twin: Twin) -> None:
    d = twin((detect_objects, adetect_objects), [json_raw(DETR_OUT)], DETR, PNG)
    assert [o.label for o in d.objects] == ["cat", "cup"]
    assert d.objects[0].box.xmax == 30.0
    d = twin((detect_objects, adetect_objects), [json_raw(DETR_OUT)], DETR, PNG, min_score=0.5)
    assert [o.label for o in d.objects] == ["cat"]


def test_detection_bad_input_and_replies() -> None:
    with pytest.raises(InvalidInputError, match="min_score"):
        detect_objects(None, DETR, PNG, min_score=2)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="base64"):
        build_detection_request(DETR, PNG, "base64")
    with pytest.raises(InvalidInputError, match="image is empty"):
        build_detection_request(DETR, b"")
    bad = [{"score": 0.4, "label": "cup", "box": {"xmin": 1}}]
    with pytest.raises(ResponseFormatError):
        parse_detections(DETR, TaskReply(result=bad))


def test_summary(twin: Twin) -> None:
    s = twin((summarize, asummarize), [Run({"summary": " Short. "})], BART, "Long text.",
             max_length=50)
    assert s.text == "Short." and s.model == BART
    assert twin.calls[0]["inputs"] == {"input_text": "Long text.", "max_length": 50}
    assert build_summary_request(BART, "x").inputs == {"input_text": "x"}
    with pytest.raises(InvalidInputError, match="max_length"):
        build_summary_request(BART, "x", 0)
    with pytest.raises(ResponseFormatError):
        summarize(_Fixed({"text": "no"}), BART, "x")  # type: ignore[arg-type]


def test_describe_image_array_default_and_sampling(twin: Twin) -> None:
    params = DescribeParams(max_tokens=40, temperature=0.2)
    d = twin((describe_image, adescribe_image), [Run({"description": " A cat. "})], LLAVA,
             b"\x05\x06", "What is it?", params)
    assert d.text == "A cat."
    assert twin.calls[0]["inputs"] == {"image": [5, 6], "prompt": "What is it?",
                                       "max_tokens": 40, "temperature": 0.2}
    # llava's published schema has no seed or top_k: refused, not sent
    with pytest.raises(InvalidInputError, match=r"llava-1\.5-7b-hf does not take seed, top_k"):
        build_describe_request(LLAVA, PNG, params=DescribeParams(seed=5, top_k=3))


def test_describe_image_base64_and_default_prompt() -> None:
    req = build_describe_request(LLAVA, PNG, params=DescribeParams(encoding="base64"))
    assert req.inputs == {"image": base64.b64encode(PNG).decode(),
                          "prompt": DEFAULT_DESCRIBE_PROMPT}


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        (DescribeParams(max_tokens=0), "max_tokens"),
        (DescribeParams(temperature=6), "temperature"),
        (DescribeParams(top_k=51), "top_k"),
        (DescribeParams(encoding="raw"), "cannot take the image as raw"),
    ],
)
def test_describe_refuses_bad_params(params: DescribeParams, fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        build_describe_request(LLAVA, PNG, "q", params)


class _Fixed:
    """A client whose every ``run`` answers the same result."""

    def __init__(self, result: object) -> None:
        self.result = result

    def run(self, model: str, inputs: dict[str, object], *, options: object = None) -> Run:
        return Run(self.result)
