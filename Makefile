# Two commands from a fresh clone: `make run` (the main job) and `make test` (every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test faults lint bench clean

$(BIN)/nhacviec: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/nhacviec

run: $(BIN)/nhacviec
	$(BIN)/nhacviec demo

test: $(BIN)/nhacviec
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(BIN)/nhacviec
	$(BIN)/ruff check .

# The fault suite, long variants included (kill -9, flaky Bot API, database outage, bursts, malformed input).
faults: $(BIN)/nhacviec
	$(BIN)/python -m pytest tests/faults -m 'faults or not faults'

bench: $(BIN)/nhacviec
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) data demo-output .pytest_cache
