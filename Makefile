# Two commands from a fresh clone: `make run` (the main job) and `make test` (every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test test-anyday faults lint bench reply-model reply-model-cross clean

$(BIN)/nhacviec: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,communes]'
	touch $(BIN)/nhacviec

run: $(BIN)/nhacviec
	$(BIN)/nhacviec demo

test: $(BIN)/nhacviec
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The suite with the system clock moved (Debian's faketime): a Monday of May 2027 and a 30 December.
# tests/anyday/sitecustomize.py works around libfaketime's broken time.sleep on Python 3.11 (see that file).
ANYDAY ?= 2027-05-03 10:00:00|2026-12-30 16:30:00
# The browser tests (tests/web/test_browser.py) run in `make test` only: under faketime the faked clock reaches
# chromium itself (LD_PRELOAD is inherited), which then hangs; what they check does not depend on today's date.
test-anyday: $(BIN)/nhacviec
	@days='$(ANYDAY)'; IFS='|'; for day in $$days; do \
	  echo "== the suite on $$day =="; \
	  PYTHONPATH=$(CURDIR)/tests/anyday FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "@$$day" $(BIN)/python -m pytest -q -p no:cacheprovider \
	    --ignore=tests/web/test_browser.py || exit 1; \
	done

lint: $(BIN)/nhacviec
	$(BIN)/ruff check .

# The fault suite, long variants included (kill -9, flaky Bot API, database outage, bursts, malformed input).
faults: $(BIN)/nhacviec
	$(BIN)/python -m pytest tests/faults -m 'faults or not faults'

bench: $(BIN)/nhacviec
	$(BIN)/python -m bench

# The reply reader's statistical opinion (bot/readers/reply_model.json, committed): rebuild it after the corpus or
# the status table changes; the cross variant scores each writer with a model trained on the others.
reply-model: $(BIN)/nhacviec
	$(BIN)/python -m bot.readers.reply_model_build

reply-model-cross: $(BIN)/nhacviec
	$(BIN)/python -m bot.readers.reply_model_build --cross

clean:
	rm -rf $(VENV) data demo-output .pytest_cache
