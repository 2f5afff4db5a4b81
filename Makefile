# Pantau: `make demo` runs the monitor offline on the bundled sample; `make test` runs the tests.
# Every target creates .venv (Python 3.11) when it is missing.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo run test bench system-deps clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Pantau needs Python 3.11 ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

system-deps:
	@scripts/system-deps

demo: $(STAMP)
	@$(BIN)/pantau demo --help >/dev/null 2>&1 || { echo "make demo: the offline demo (pantau demo) is not built yet; see README 'Status'"; exit 1; }
	$(BIN)/pantau demo

run: $(STAMP)
	$(BIN)/pantau run

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

# Every benchmark with its default size (the index and dashboard ones build 1,000,000 posts).
bench: $(STAMP)
	for b in nlp index alerts crawl cycles dashboard e2e; do $(BIN)/pantau bench $$b --json || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
