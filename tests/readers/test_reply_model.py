"""The reply model's second opinion: a status is recorded only when the rules and the model agree."""

from __future__ import annotations

from datetime import date

from bot.readers.reply_model import ReplyModel, char_ngrams, char_wb_ngrams, shipped_model
from bot.readers.status import read_reply, read_reply_with

TODAY = date(2026, 6, 1)
CLASSES = ["blocked", "done", "in_progress", "not_started", "unknown"]


def _model(leaning: str, features: list[list[object]] | None = None) -> ReplyModel:
    """A model with no n-grams (or the given ones) whose intercept leans to one status."""
    intercept = [3.0 if c == leaning else 0.0 for c in CLASSES]
    return ReplyModel({"classes": CLASSES, "analyzer": "char", "ngram_range": [2, 3], "sublinear_tf": True,
                       "intercept": intercept, "features": features or []})


def test_ngrams_are_counted_like_scikit_learn() -> None:
    assert char_ngrams("ab  cd", 2, 3) == ["ab", "b ", " c", "cd", "ab ", "b c", " cd"]
    assert char_wb_ngrams("ab c", 2, 3) == [" a", "ab", "b ", " ab", "ab ", " c", "c ", " c "]


def test_when_the_model_disagrees_the_reply_is_asked_back_showing_what_was_understood() -> None:
    reading = read_reply_with("xong rồi, mai em gửi ảnh", today=TODAY, model=_model("in_progress"))
    assert reading.status == "unknown" and reading.needs_asking
    assert reading.guess == "done" and reading.to_json()["guess"] == "done"
    assert reading.reason is not None and "«Đã hoàn thành»" in reading.reason
    assert reading.describe_vi().startswith("Chưa rõ tình trạng: chưa chắc chắn")


def test_when_the_model_agrees_the_rules_reading_is_kept() -> None:
    rules = read_reply_with("xong rồi", today=TODAY, model=None)
    agreed = read_reply_with("xong rồi", today=TODAY, model=_model("done"))
    assert agreed == rules and agreed.status == "done" and agreed.guess is None


def test_a_written_percent_or_a_day_to_come_needs_no_second_opinion() -> None:
    doubtful = _model("unknown")
    assert read_reply_with("đang làm, đạt 60%", today=TODAY, model=doubtful).status == "in_progress"
    assert read_reply_with("3/5 xã xong", today=TODAY, model=doubtful).percent == 60
    assert read_reply_with("xong 20/6", today=TODAY, model=doubtful).status == "in_progress"
    blocked = read_reply_with("làm được 40%, còn lại chờ vốn", today=TODAY, model=doubtful)
    assert blocked.status == "unknown" and blocked.guess == "blocked" and blocked.percent == 40


def test_an_ngram_moves_the_opinion() -> None:
    model = _model("unknown", [["xo", 1.0, [0.0, 9.0, 0.0, 0.0, 0.0]]])
    assert model.opinion("xong").status == "done"
    assert model.opinion("chua lam").status == "unknown"


def test_the_shipped_model_is_in_the_package_and_reads_plain_replies() -> None:
    model = shipped_model()
    assert model is not None and len(model.features) > 1000
    assert read_reply("đã hoàn thành ạ", today=TODAY).status == "done"
    assert read_reply("anh ơi hạn nộp là ngày nào vậy", today=TODAY).status == "unknown"
