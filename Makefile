# Two commands on a fresh machine with Python 3.11+, pip and make:
#   make run   — set up .venv and extract the figures of corpus/ into outputs/
#   make test  — install the Debian packages the tests need (.ci/apt-packages) when they are
#                missing, set up .venv with the test extras and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench rules clean system-deps

run: $(VENV)/.installed
	$(BIN)/bulletin-metrics extract corpus/ --out outputs/
	$(BIN)/bulletin-metrics eval --gold corpus/gold --pred outputs/metrics.csv

test: system-deps $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

bench: system-deps $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_pdf.py
	$(BIN)/python benchmarks/bench_scale.py
	$(BIN)/python benchmarks/bench_hostile.py

rules: $(VENV)/.installed
	$(BIN)/bulletin-metrics rules build

# Fonts, Chromium and LibreOffice for the tests and benchmarks: installed when missing and this
# machine allows it (root or sudo without a password), else one line saying how to install them.
system-deps:
	bash .ci/system-deps

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml setup.py
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.created pyproject.toml setup.py
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) outputs/*.csv outputs/*.parquet outputs/*.duckdb outputs/*.json
