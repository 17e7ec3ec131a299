# The entry point for everything: `make demo` and `make test` work on a fresh machine with only
# python3 and make; they build .venv once and reinstall only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test

.PHONY: demo test run lint format bench eval clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]' \
		2> $(VENV)/pip.log || { cat $(VENV)/pip.log; exit 1; }
	$(BIN)/python -c "import bot, watchers, storage, telegram, feedparser, sqlite_utils, pytest"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/storywatch demo

test: $(STAMP)
	$(BIN)/python -m pytest --timeout=120 --durations=15

run: $(STAMP)
	$(BIN)/storywatch run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy storage watchers

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(VENV)/.installed-bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]' \
		2> $(VENV)/pip.log || { cat $(VENV)/pip.log; exit 1; }
	touch $@

bench: $(VENV)/.installed-bench
	$(BIN)/python -m bench $(BENCH)

eval: $(STAMP)
	$(BIN)/python -m bench.eval_extraction

clean:
	rm -rf $(VENV) build dist *.egg-info
