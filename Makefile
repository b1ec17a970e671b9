# planqa: `make run` installs into .venv, builds the index if missing and starts the chat;
# `make test` installs the test dependencies and runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PLANQA := $(VENV)/bin/planqa
INDEX ?= artifacts/index

.PHONY: install install-test run test index clean browser eval-dev

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

install: $(PY)
	$(PY) -m pip install -q -e .

install-test: $(PY)
	$(PY) -m pip install -q -e '.[test]'

index: install
	@$(PLANQA) index info --check --index $(INDEX) >/dev/null 2>&1 || $(PLANQA) index build --index $(INDEX)

run: index
	$(PLANQA) serve --index $(INDEX)

# The browser tests drive Debian's chromium (never a browser downloaded by playwright).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
		echo "chromium is not installed: the browser tests will be skipped (install Debian's chromium)"

# Lint and format check first (seconds), then the suite: fast unit tests, then the real corpus, models and browser.
test: install-test browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) artifacts .pytest_cache

# The blind sets over the development documents: an index of the five plans and ../shared/corpus-dev.
DEV_CORPUS := artifacts/dev/corpus
DEV_SETS := heldout-dev heldout5-dev heldout6-dev heldout7-dev heldout8-dev heldout9-dev heldout10-dev heldout11-dev heldout12-dev heldout13-dev heldout14-dev heldout15-dev heldout16-dev heldout17-dev heldout18-dev heldout19-dev heldout20-dev heldout21-dev heldout22-dev heldout23-dev heldout24-dev heldout25-dev heldout26-dev heldout27-dev heldout28-dev heldout29-dev heldout30-dev heldout31-dev heldout32-dev heldout33-dev heldout34-dev heldout35-dev heldout36-dev
eval-dev: install
	@mkdir -p $(DEV_CORPUS) && cp corpus/* $(DEV_CORPUS)/ && cp ../shared/corpus-dev/*.txt $(DEV_CORPUS)/
	@$(PLANQA) index info --check --index artifacts/dev/index --corpus $(DEV_CORPUS) >/dev/null 2>&1 || \
		$(PLANQA) index build --index artifacts/dev/index --corpus $(DEV_CORPUS)
	@for s in $(DEV_SETS); do \
		$(PLANQA) eval --questions eval/$$s --index artifacts/dev/index --corpus $(DEV_CORPUS) \
			--out eval/reports/$$s --no-baselines || exit 1; \
	done
