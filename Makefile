# Stip — the two commands of the README: `make start` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stip
PORT ?= 8866
PYTEST_ARGS ?=

.PHONY: start test demo bench lint install chromium unit docs studiedag

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,dev]"
	touch $(STAMP)

install: $(STAMP)

start: install
	$(PY) -m stip serve --port $(PORT)

# A study day or kenniskring: Stip on this computer plus the participant pages for phones on the LAN.
studiedag: install
	$(PY) -m stip serve --deelnemers --port $(PORT)

# Debian's Chromium for the browser tests, and Pango for WeasyPrint (printable sheets as PDF).
chromium:
	@test -x /usr/bin/chromium && ldconfig -p | grep -q libpangoft2 || { \
	  echo "Chromium of Pango ontbreekt: installeren uit Debian..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libpango-1.0-0 libpangoft2-1.0-0; }

# Unit tests, every workbook (nbval) and the browser tests, in one pytest run.
# pytest exits non-zero on any failure and with 5 when no test ran: both fail `make test`.
test: install chromium
	$(PY) -m pytest tests/unit workbooks tests/browser --nbval-lax --nbval-current-env \
	  --screenshot only-on-failure --output test-results -q $(PYTEST_ARGS)

unit: install
	$(PY) -m pytest tests/unit -q $(PYTEST_ARGS)

demo: install
	@d=$$(mktemp -d -t stip-demo-XXXXXX); echo "Proefomgeving in $$d"; \
	  STIP_DATA=$$d $(PY) -m stip demo && STIP_DATA=$$d $(PY) -m stip serve --port $(PORT)

# Benchmarks print ratios and figures from one run; they are not tests (docs/performance.md).
bench: install chromium
	cd bench && for script in pageload.py import_rows.py planning.py sheets.py screens.py overzicht.py studiedag.py kenniskring.py; do \
	  if test -f $$script; then ../$(PY) $$script || exit 1; fi; done

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check stip widgets tests bench

docs: install
	$(PY) docs/generate.py
