# One entry point for set-up, run, tests, benchmarks and packaging; CI calls `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PROJECT ?= projects/venezuela-2019

.PHONY: setup run test test-fast bench lint format screenshot package smoke clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock packaging/system-deps.sh
	PYTHON=$(PYTHON) bash packaging/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: setup
	$(BIN)/annotator $(PROJECT)

# lint first: a broken import contract or a ruff error fails CI before the tests run
test: setup lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

test-fast: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not slow"

bench: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -s tests/bench -o addopts=""

screenshot: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/screenshot.py docs/screenshot.png

lint: setup
	$(BIN)/ruff check annotator tests packaging
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff format annotator tests

# Volunteer binary: dist/annotator/ + dist/annotator-VERSION-<os>-<arch>.tar.xz, then the smoke
# test. Heavy (minutes): niced so teammates' tests keep their CPU. See docs/coordinators.md.
package: setup
	PYTHON=$(PYTHON) bash packaging/system-deps.sh binutils
	$(BIN)/python -m pip install -q --disable-pip-version-check -r packaging/requirements-package.lock
	nice -n 10 $(BIN)/pyinstaller --noconfirm --log-level WARN --workpath build/pyinstaller \
		--distpath dist packaging/annotator.spec
	$(BIN)/python packaging/archive.py --dist dist
	$(MAKE) smoke

smoke:
	$(BIN)/python packaging/smoke.py --dist dist

clean:
	rm -rf $(VENV) build dist *.egg-info
