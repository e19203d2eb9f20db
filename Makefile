# Two commands do all the set-up on a fresh machine:
#   make demo   - create .venv, install formcheck, analyse a sample clip, print the report
#   make test   - create .venv if needed, install with test extras, run the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_CLIP ?= sample_videos/hip_thrust_head_back.mp4

.PHONY: demo test install bench eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/formcheck analyze $(DEMO_CLIP)

test: install
	@command -v chromium >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "note: chromium is missing and this is not root: browser tests will skip (sudo apt-get install chromium)"; fi; }
	FORMCHECK_CACHE=$(CURDIR)/.cache/test-landmarks $(BIN)/python -m pytest

eval: install
	$(BIN)/formcheck eval ../shared/videos --landmarks tests/data/landmarks

bench: install
	$(BIN)/python bench/bench_pose.py

clean:
	rm -rf $(VENV) .cache .pytest_cache
