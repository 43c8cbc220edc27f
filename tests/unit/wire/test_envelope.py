"""``workersai.wire.envelope``: the Cloudflare envelope read as plain data."""

from __future__ import annotations

from workersai.wire.envelope import error_entries, has_result, is_error_envelope


def test_error_entries_read_both_forms_as_sent() -> None:
    payload = {"errors": [{"code": 5007, "message": "AiError: No such model"},
                          {"code": "3010", "message": "bad"}, {"code": True}, "plain"]}
    assert error_entries(payload) == ([5007, 3010], ["AiError: No such model", "bad", "plain"])
    assert error_entries({"error": {"message": "too long", "code": None}}) == ([], ["too long"])
    assert error_entries({"result": 1}) == ([], [])


def test_result_and_error_envelopes() -> None:
    assert has_result({"result": None, "success": True})
    assert not has_result({"choices": []}) and not has_result([1])
    assert is_error_envelope({"success": False})
    assert not is_error_envelope({"result": {}, "errors": [{"code": 1}]})
