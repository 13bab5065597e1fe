# Two commands do everything on a fresh machine:
#   make run    set up, build the graph from seeds/ into ./.kg and open the shell
#   make test   set up (with the test servers) and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup system-deps system-deps-test bench eval lint wheel clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

system-deps:
	scripts/system-deps.sh

system-deps-test:
	scripts/system-deps.sh --test

run: system-deps setup
	$(BIN)/kg build seeds
	@if [ -t 0 ] && [ -t 1 ]; then $(BIN)/kg shell; else echo "(not on a terminal: run '$(BIN)/kg shell' to explore)"; fi

test: system-deps-test setup
	$(BIN)/python -m pytest -q

# the bench extra (Oxigraph's server, for section 8) at the versions requirements.lock pins
bench: system-deps setup
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[bench]'
	$(BIN)/python benchmarks/run.py

# seeds/ against the project's gold; ../shared's dev and train corpora when they are there
CORPORA ?= ../shared
eval: setup
	$(BIN)/kg eval --gold tests/data/gold/seeds.json seeds
	@for name in dev train; do \
	  if [ -f $(CORPORA)/eval/gold/$$name.json ] && [ -d $(CORPORA)/corpus/$$name ]; then \
	    echo; $(BIN)/kg eval --gold $(CORPORA)/eval/gold/$$name.json $(CORPORA)/corpus/$$name || exit $$?; \
	  fi; \
	done

lint: setup
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/mypy kg

# dist/kg-VERSION-py3-none-any.whl, for `pip install` or `pipx install` (see README)
wheel: setup
	$(BIN)/python -m pip wheel -q --no-deps -w dist .

clean:
	rm -rf $(VENV) .kg build dist kg.egg-info
