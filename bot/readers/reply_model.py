"""The second, statistical opinion on a reply's status: character n-grams and a linear model, as plain weights.

`bot/readers/reply_model.json` is written by `python -m bot.readers.reply_model_build` (scikit-learn, at build
time only: a TF-IDF of character n-grams on the reply's plain folded form, and a multinomial logistic
regression). Reading it needs no scikit-learn: the n-grams are counted here the way scikit-learn's `char` or
`char_wb` analyser counts them (the build checks it), weighted by the stored idf, normalised, and scored against
the stored weights. The file is loaded on first use, so a CLI that never reads a reply does not
pay for it.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).with_name("reply_model.json")
_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"\s\s+")


# a document number ("45/kh-ubnd", "12/2026/nd-cp") names a paper, not a state: its letters ("kh" is also
# "kế hoạch", a plan) are not read
_DOCUMENT = re.compile(r"(?<![\w/])\d{1,5}(?:/\d{2,4})?/[a-z][a-z0-9]*(?:-[a-z0-9&]+)+")


def model_text(folded: str) -> str:
    """What the model reads: the folded plain form with every digit as 0 (a day or a count is not a status) and
    every document number as "0/vb"."""
    return _DIGIT.sub("0", _DOCUMENT.sub("0/vb", folded))


def char_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's `char` analyser: every run of `low` to `high` characters, across words too."""
    text = _SPACE.sub(" ", text)
    return [text[i : i + n] for n in range(low, high + 1) for i in range(len(text) - n + 1)]


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's `char_wb` analyser (white space runs to one space, each word padded with a space)."""
    text = _SPACE.sub(" ", text)
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # the word is shorter than n: counted once
                break
    return grams


@dataclass(frozen=True)
class Opinion:
    status: str  # the likeliest status
    probabilities: dict[str, float]

    def of(self, status: str) -> float:
        return self.probabilities.get(status, 0.0)


class ReplyModel:
    """A linear model over TF-IDF character n-grams, as stored by the build step."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.classes: list[str] = data["classes"]
        self.low, self.high = data["ngram_range"]
        self.analyse = char_ngrams if data["analyzer"] == "char" else char_wb_ngrams
        self.sublinear: bool = data["sublinear_tf"]
        self.intercept: list[float] = data["intercept"]
        # feature -> (idf, weights per class)
        self.features: dict[str, tuple[float, list[float]]] = {
            gram: (idf, weights) for gram, idf, weights in data["features"]
        }

    def opinion(self, folded: str) -> Opinion:
        counts = Counter(self.analyse(model_text(folded), self.low, self.high))
        values: list[tuple[float, list[float]]] = []
        norm = 0.0
        for gram, count in counts.items():
            known = self.features.get(gram)
            if known is None:
                continue  # an n-gram the model never saw weighs nothing
            value = (1.0 + math.log(count) if self.sublinear else float(count)) * known[0]
            norm += value * value
            values.append((value, known[1]))
        scale = 1.0 / math.sqrt(norm) if norm else 0.0
        scores = list(self.intercept)
        for value, weights in values:
            for i, weight in enumerate(weights):
                scores[i] += value * scale * weight
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        probabilities = {c: e / total for c, e in zip(self.classes, exps, strict=True)}
        return Opinion(max(probabilities, key=probabilities.__getitem__), probabilities)

    @classmethod
    def load(cls, path: Path) -> ReplyModel:
        return cls(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def shipped_model() -> ReplyModel | None:
    """The model shipped in the package, or None when it has not been built (the rules then read alone)."""
    return ReplyModel.load(MODEL_PATH) if MODEL_PATH.exists() else None
