# liftpace: every target builds .venv itself when it is missing or pyproject.toml changed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLES := data/sample_logs
# pytest-xdist: one worker per core; tests go out one at a time, slow ones first (tests/conftest.py),
# and tests that share an expensive fixture stay together (xdist_group marks, --dist loadgroup).
WORKERS ?= auto
PYTEST  := $(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup

.PHONY: help test test-fast report lab bench lint samples clean

help:
	@echo "make report  - render the sample squad (reports/index.html), each athlete's report, and Sam Runner's"
	@echo "make test    - run the whole test suite (notebooks and CLI included)"
	@echo "make test-fast - the inner loop: all but the slow tests (kernels, browser, wheel, loader fuzzing)"
	@echo "make lab     - open JupyterLab on notebooks/"
	@echo "make bench   - measure load, analysis and report speed at a club's scale"
	@echo "make lint    - ruff and mypy"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "liftpace needs Python 3.11 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(PYTEST)

test-fast: $(STAMP)
	$(PYTEST) -m "not slow"

report: $(STAMP)
	$(BIN)/liftpace check $(SAMPLES)/coach_workbook.xlsx --max-problems 10
	$(BIN)/liftpace squad $(SAMPLES)/coach_workbook.xlsx --out reports
	$(BIN)/liftpace report $(SAMPLES)/runner_strength.csv $(SAMPLES)/runner_runs.csv --athlete "Sam Runner" --out reports
	@echo "Open reports/index.html in a browser: who needs attention first, each name linked to that athlete's report (HTML and Excel)."

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,lab]"
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

samples: $(STAMP)
	$(BIN)/liftpace sample --out $(SAMPLES)

clean:
	rm -rf $(VENV) reports .pytest_cache .ruff_cache .mypy_cache
