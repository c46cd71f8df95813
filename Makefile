# The two commands of the README (make demo, make test) and their helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_DB := $(CURDIR)/demo.sqlite3
DEMO_ENV := DJANGO_DEBUG=1 DATABASE_URL=sqlite:///$(DEMO_DB) DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0
DEMO_EDITOR ?= editor
DEMO_PASSWORD ?= tracker-demo-editor

.PHONY: demo demo-reset test install lint format fixtures bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(DEMO_ENV) $(BIN)/python manage.py create_editor $(DEMO_EDITOR) --password $(DEMO_PASSWORD)
	@echo ""
	@echo "  The tracker is at      http://127.0.0.1:$(PORT)/"
	@echo "  The admin is at        http://127.0.0.1:$(PORT)/admin/  (user '$(DEMO_EDITOR)', password '$(DEMO_PASSWORD)')"
	@echo "  The API docs are at    http://127.0.0.1:$(PORT)/api/v1/docs/"
	@echo ""
	$(DEMO_ENV) $(BIN)/gunicorn tracker.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

# Start the demo afresh: a new database, loaded from the fixtures.
demo-reset:
	rm -f $(DEMO_DB)
	$(MAKE) demo

test: install
	DJANGO_DEBUG=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Rebuild fixtures/*.json from fixtures/corpus.toml, through the services, on a throw-away database.
fixtures: install
	rm -f $(CURDIR)/.fixtures.sqlite3
	DJANGO_DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/.fixtures.sqlite3 sh -c '\
	  $(BIN)/python manage.py migrate -v0 --noinput && \
	  $(BIN)/python manage.py import_corpus fixtures/corpus.toml && \
	  $(BIN)/python manage.py dumpdata proposals.source proposals.actor --indent 1 -o fixtures/sources.json && \
	  $(BIN)/python manage.py dumpdata proposals.proposal proposals.citation --indent 1 -o fixtures/proposals.json && \
	  $(BIN)/python manage.py dumpdata proposals.statuschange proposals.statuschangeevidence --indent 1 -o fixtures/history.json && \
	  $(BIN)/python manage.py verify_citations'
	rm -f $(CURDIR)/.fixtures.sqlite3

clean:
	rm -rf $(VENV) staticfiles demo.sqlite3 .pytest_cache
