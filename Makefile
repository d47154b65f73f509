# findings-graph: two commands set up a fresh machine.
#   make demo   ingest the shipped synthetic study into ./findings-db and open the explorer
#   make test   install everything the tests need and run the whole suite
# Both create ./.venv on first use; nothing is installed system-wide except
# Debian's chromium and docker-compose (for the tests) when they are missing.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install system-packages clean

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
	$(BIN)/findings explore

# Debian's chromium drives the real-browser tests; docker-compose validates
# docker-compose.yml (no Docker engine is needed for that).
SYSTEM_PACKAGES := chromium docker-compose

system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do command -v $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

test: $(STAMP) system-packages
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) findings-db findings-db.*
