# Two commands: `make run` serves the site, `make test` checks everything. See README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 5000
HOST   ?= 127.0.0.1
DEMO_DB := $(CURDIR)/instance/demo.sqlite
DEMO_CASES ?= 20000
CHROMIUM := /usr/lib/chromium/chromium

.PHONY: setup migrate run demo test lint typecheck pytest browser bench clean translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)
	$(BIN)/pybabel -q compile -d translations

# Refresh the English catalog from every module and template (web/babel.cfg), then translate the new
# entries in translations/en/LC_MESSAGES/messages.po (tests/web/test_catalog.py checks none is missing or
# left empty). The keywords come on top of pybabel's own (_, gettext, ngettext, pgettext, ...).
BABEL_KEYWORDS := say say_n:1,2 _p:1c,2 _l lazy_gettext lazy_pgettext:1c,2
translations: $(STAMP)
	$(BIN)/pybabel -q extract -F web/babel.cfg $(addprefix -k ,$(BABEL_KEYWORDS)) \
	  --no-wrap --project tiaojie -o translations/messages.pot .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-wrap --no-fuzzy-matching --ignore-obsolete
	rm translations/messages.pot

migrate: setup
	$(BIN)/python -m services.schema upgrade

run: migrate
	$(BIN)/flask --app app ensure-admin
	@echo "人民调解案件管理：http://$(HOST):$(PORT)/"
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - 'app:create_app()'

demo: setup
	mkdir -p $(dir $(DEMO_DB))
	DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/python -m services.schema upgrade
	DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/flask --app app demo-data --cases $(DEMO_CASES) --seed 1 --if-empty
	DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/flask --app app ensure-admin
	@echo "演示站点：http://$(HOST):$(PORT)/  （演示账号密码见上方输出）"
	DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 4 'app:create_app()'

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: setup
	$(BIN)/mypy

browser:
	@if [ ! -x $(CHROMIUM) ] || ! fc-list 2>/dev/null | grep -qi 'Noto.*CJK'; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Chromium and a CJK font for the browser tests (apt-get)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	      || { echo "browser tests need Chromium: run 'sudo apt-get install -y chromium fonts-noto-cjk'"; exit 1; }; \
	  else \
	    echo "browser tests need Chromium: run 'sudo apt-get install -y chromium fonts-noto-cjk'"; exit 1; \
	  fi; \
	fi

pytest: setup browser
	$(BIN)/pytest -n 2 --dist loadfile
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== the suite again on PostgreSQL =="; \
	  DATABASE_BACKEND=postgresql $(BIN)/pytest -n 2 --dist loadfile -m "not e2e"; \
	fi

test: lint typecheck pytest

bench: setup
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
