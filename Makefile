# Two commands do all the set-up on a fresh machine:
#   make demo   - create .venv, install formcheck, analyse a sample clip, print the report
#   make test   - create .venv if needed, install with test extras, run the tests with coverage
# and one checks the code without running it:
#   make check  - ruff (lint and formatting) and mypy
# The browser test of the HTML report needs Debian's chromium: `make browser-deps` (as root) installs it.
#   make serve  - the coach review web app on http://127.0.0.1:8000/ (SQLite in ~/.local/share/formcheck; docs/WEB.md)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_CLIP ?= sample_videos/hip_thrust_head_back.mp4
# What the browser test needs: the browser and one small font for the report's text (no recommended packages).
BROWSER_PACKAGES := chromium fonts-dejavu-core
# What the web app's tests need besides: a PostgreSQL server they start themselves (Debian's binaries).
WEB_PACKAGES := postgresql
SERVE_ARGS ?=
# Test workers (pytest-xdist): one per core; `make test TEST_WORKERS=0` runs the suite in one process.
TEST_WORKERS ?= auto

.PHONY: demo test check browser-deps web-deps install serve bench eval eval-synth clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/formcheck analyze $(DEMO_CLIP)

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# chromium is installed only when it is missing and we are root; otherwise the browser test skips
# (or fails under FORMCHECK_REQUIRE_SHARED=1, as in CI).
test: install
	@if command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then echo "chromium is missing and this is root: running make browser-deps"; \
	  $(MAKE) --no-print-directory browser-deps; \
	else echo "chromium is missing: the browser test will skip (install it with: sudo make browser-deps)"; fi
	@if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then echo "PostgreSQL is missing and this is root: running make web-deps"; \
	  $(MAKE) --no-print-directory web-deps; \
	else echo "PostgreSQL is missing: the web tests on PostgreSQL will skip (install it with: sudo make web-deps)"; fi
	@mkdir -p .cache
	FORMCHECK_CACHE=$(CURDIR)/.cache/test-landmarks $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --cov=formcheck --cov-report=term

browser-deps:
	@if [ "$$(id -u)" != 0 ]; then echo "browser-deps installs Debian packages: run it as root (sudo make browser-deps)"; exit 1; fi
	@echo "installing Debian packages: $(BROWSER_PACKAGES) (--no-install-recommends)"
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES)

web-deps:
	@if [ "$$(id -u)" != 0 ]; then echo "web-deps installs Debian packages: run it as root (sudo make web-deps)"; exit 1; fi
	@echo "installing Debian packages: $(WEB_PACKAGES) (--no-install-recommends)"
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $(WEB_PACKAGES)

serve: install
	$(BIN)/formcheck serve $(SERVE_ARGS)

eval: install
	$(BIN)/formcheck eval ../shared/videos --landmarks tests/data/landmarks

# Sensitivity of the rules to graded rendered faults: the full grid (312 clips; hours on 2 cores; re-runs re-read
# the clips and landmarks kept in SYNTH_DIR). Quick grid: formcheck eval --sensitivity DIR --quick
SYNTH_DIR ?= .cache/eval-synth
eval-synth: install
	$(BIN)/pip install -q -e '.[synth]'
	$(BIN)/formcheck eval --sensitivity $(SYNTH_DIR)

bench: install
	$(BIN)/python bench/bench_pose.py

clean:
	rm -rf $(VENV) .cache .pytest_cache
