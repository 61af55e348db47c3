# Two entry points: `make run` and `make test`. Both set themselves up from a fresh clone
# with nothing but Python 3.11+ and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml devtools/pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test check lint typecheck contracts compose docs messages clean

$(STAMP): pyproject.toml devtools/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,docs,local-ai]' -e ./devtools
	rm -f $(VENV)/.installed-*
	touch $@

## run: start Debrief on embedded defaults: with DISCORD_BOT_TOKEN, the embedded database, the
## API and the bot; without it, the sandbox (the same bot and API against emulated Discord and AI).
## ARGS="--port 9000 --api-port 9001" moves the sandbox off its default ports.
run: $(STAMP)
	DEBRIEF_ENV=$${DEBRIEF_ENV:-development} $(BIN)/debrief start $(ARGS)

## test: install everything and run the whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest

## check: what CI checks besides the tests.
check: lint typecheck contracts compose

lint: $(STAMP)
	$(BIN)/ruff check app devtools tests bench bot.py
	$(BIN)/ruff format --check app devtools tests bench bot.py

typecheck: $(STAMP)
	$(BIN)/mypy --strict app devtools

contracts: $(STAMP)
	$(BIN)/lint-imports

compose:
	bash .ci/compose-check

docs: $(STAMP)
	$(BIN)/mkdocs build --strict

## messages: bring the translation catalogs (app/locales) up to date with the code; then
## translate what is new (docs/translations.md).
messages: $(STAMP)
	$(BIN)/python -m devtools.messages

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache
