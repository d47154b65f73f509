# findings-graph: two commands set up a fresh machine.
#   make demo   ingest the shipped synthetic study into ./findings-db and open the explorer
#   make test   install everything the tests need and run the whole suite
# Both create ./.venv on first use; nothing is installed system-wide except
# Debian's chromium (for the real-browser tests) when it is missing.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/findings ingest examples/synthetic-study
	$(BIN)/findings stats
	$(BIN)/findings query code-counts

browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) findings-db findings-db.wal
