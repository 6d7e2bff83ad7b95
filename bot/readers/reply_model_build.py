"""Build the reply model (`bot/readers/reply_model.json`) from the corpus's training part and the status table.

    python -m bot.readers.reply_model_build            # train on every training writer + the table, write the file
    python -m bot.readers.reply_model_build --cross    # train on all writers but one, score that one, for each

Needs scikit-learn (the `dev` extra); the bot itself reads the written weights without it. The model: TF-IDF of
character n-grams (`char`, 2 to 6, across word bounds) on the reply's plain folded form
(`bot.readers.reply_model.model_text`) and a multinomial logistic regression; the n-grams kept are the `FEATURES`
with the largest weights, and the model is fitted again on those alone, so the stored weights are the whole model.
The build checks that the bot's own arithmetic gives scikit-learn's probabilities. `char` rather than `char_wb`:
inside word bounds an n-gram never sees "chua xong" as one thing, and read by writer it did about 4 points worse.

`--cross` is the honest figure: for each writer, a model trained on the other writers (and the table) is put
next to the rules, and the reader is scored on that writer's replies, whole and per family, with the rules
alone beside it.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.readers.reply_model import MODEL_PATH, ReplyModel, char_ngrams, model_text
from bot.readers.reply_normal import normalise
from bot.readers.reply_parts import Reply

if TYPE_CHECKING:
    from bot.readers.status import StatusReading

ANALYZER = "char"  # across word bounds: "chua xong" is not "xong" (`char_wb` reads 4 points less well, by writer)
NGRAMS = (2, 6)
FEATURES = 2000  # by writer, 2,000 n-grams read as well as 8,000 or 12,000 (92.2 against 91.7 % status)
C = 10.0
# The status table is the reader's specification: each of its cases counts this many times, so that a model trained
# on 3,000 writers' replies still agrees with it ("Không hoàn thành" -> blocked; at weight 1 the w1-w7 model does not)
TABLE_WEIGHT = 3


def plain(text: str) -> str:
    return model_text(Reply.of(normalise(text)).folded)


def training_rows(writers: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """(reply, status) from the corpus's training part (or the given writers) and from the status table."""
    from tests.readers.corpus_score import CORPUS, PARTS, load_files
    from tests.readers.status_cases import CASES

    names = PARTS["train"] if writers is None else tuple(f"{w}.jsonl" for w in writers)
    rows = [(r["text"], r["status"]) for r in load_files(CORPUS, names)]
    return rows + [(c.text, c.status) for c in CASES] * TABLE_WEIGHT


def fit(rows: list[tuple[str, str]]) -> dict[str, Any]:
    """Train and return the model as stored (JSON-ready)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [plain(t) for t, _ in rows]
    labels = [s for _, s in rows]

    def train(vocabulary: list[str] | None) -> tuple[TfidfVectorizer, LogisticRegression]:
        vectoriser = TfidfVectorizer(
            analyzer=ANALYZER,
            ngram_range=NGRAMS,
            sublinear_tf=True,
            lowercase=False,
            vocabulary=vocabulary,
            min_df=1 if vocabulary else 2,
        )
        matrix = vectoriser.fit_transform(texts)
        model = LogisticRegression(C=C, max_iter=3000)
        model.fit(matrix, labels)
        return vectoriser, model

    vectoriser, model = train(None)
    names = vectoriser.get_feature_names_out()
    strength = np.abs(model.coef_).max(axis=0)
    kept = sorted(names[i] for i in np.argsort(-strength)[:FEATURES])
    vectoriser, model = train(kept)
    names = vectoriser.get_feature_names_out()
    data = {
        "classes": [str(c) for c in model.classes_],
        "analyzer": ANALYZER,
        "ngram_range": list(NGRAMS),
        "sublinear_tf": True,
        "intercept": [round(float(v), 5) for v in model.intercept_],
        "features": [
            [str(names[i]), round(float(vectoriser.idf_[i]), 5), [round(float(v), 4) for v in model.coef_[:, i]]]
            for i in range(len(names))
        ],
    }
    _check(vectoriser, model, ReplyModel(data), texts)
    return data


def _check(vectoriser: Any, model: Any, ours: ReplyModel, texts: list[str]) -> None:
    analyse = vectoriser.build_analyzer()
    probabilities = model.predict_proba(vectoriser.transform(texts))
    for text, row in zip(texts, probabilities, strict=True):
        assert analyse(text) == char_ngrams(text, *NGRAMS), text
        opinion = ours.opinion(text)
        for status, p in zip(model.classes_, row, strict=True):
            assert abs(opinion.of(str(status)) - p) < 1e-3, (text, status, opinion.of(str(status)), p)


def cross_writer() -> None:
    from bot.readers.status import read_reply_with
    from tests.readers.corpus_score import CORPUS, PARTS, Score, load_files, score_into

    writers = tuple(name.removesuffix(".jsonl") for name in PARTS["train"])
    pooled: dict[str, Score | None] = {"rules": None, "rules+model": None}
    for held in writers:
        rows = load_files(CORPUS, (f"{held}.jsonl",))
        others = tuple(w for w in writers if w != held)
        model = ReplyModel(fit(training_rows(others)))
        for name, reader in (("rules", None), ("rules+model", model)):

            def read(text: str, today: date, m: ReplyModel | None = reader) -> StatusReading:
                return read_reply_with(text, today=today, model=m)

            _print(f"{held} ({name}, model trained on {'+'.join(others)})", score_into(None, rows, read))
            pooled[name] = score_into(pooled[name], rows, read)
    for name, result in pooled.items():
        assert result is not None
        _print(f"every writer, scored by a model not trained on it ({name})", result)
        for miss in result.misses if name == "rules+model" else []:
            print(f"   miss {miss[0]}: {miss[1]!r} expected {miss[2]}, got {miss[3]}")


def _print(title: str, result: Any) -> None:
    print(result.report(title))
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cross", action="store_true", help="cross-validate by writer instead of building")
    args = parser.parse_args(argv)
    if args.cross:
        cross_writer()
        return 0
    data = fit(training_rows())
    MODEL_PATH.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH} ({len(data['features'])} n-grams, {MODEL_PATH.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
