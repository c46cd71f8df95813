# The two commands of the README (make demo, make test) and their helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_DB := $(CURDIR)/demo.sqlite3
DEMO_SECRET := $(CURDIR)/.demo-secret-key
# The demo runs as production does (DEBUG off, so no tracebacks are shown), but over plain HTTP
# on the loopback: no HTTPS redirect, no secure-only cookies, no HSTS.
DEMO_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$(cat $(DEMO_SECRET))" \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DATABASE_URL=sqlite:///$(DEMO_DB) \
	DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_SECURE_HSTS_SECONDS=0
DEMO_EDITOR ?= editor
DEMO_PASSWORD ?= tracker-demo-editor

.PHONY: demo demo-reset editor test install install-runtime check-port lint format fixtures bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes. The demo needs only what the product runs on;
# tests and lint add the dev extra (pytest, Playwright, schemathesis, ruff, ...).
$(VENV)/.installed-runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed-runtime

install-runtime: $(VENV)/.installed-runtime
install: $(VENV)/.installed

# Fail early, with a hint, when something already listens on the demo's port.
check-port: | $(BIN)/python
	@$(BIN)/python -c "import socket, sys; \
	sys.exit(socket.socket().connect_ex(('127.0.0.1', $(PORT))) == 0 or \
	socket.create_server(('127.0.0.1', $(PORT))).close())" 2>/dev/null || { echo ""; echo "  Port $(PORT) on 127.0.0.1 is already in use."; \
	echo "  Stop what uses it, or choose another port: PORT=$$(( $(PORT) + 1 )) make demo"; \
	echo ""; exit 1; }

$(DEMO_SECRET): | $(BIN)/python
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

demo: install-runtime $(DEMO_SECRET) check-port
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	@# Deliveries a previous run left half-sent go back to the queue.
	$(DEMO_ENV) $(BIN)/python manage.py sweep_deliveries
	@$(MAKE) --no-print-directory check-port
	@token="$$($(DEMO_ENV) $(BIN)/python manage.py create_editor $(DEMO_EDITOR) --password $(DEMO_PASSWORD) | tail -n 1)" && \
	echo "" && \
	echo "  The tracker is at      http://127.0.0.1:$(PORT)/" && \
	echo "  The admin is at        http://127.0.0.1:$(PORT)/admin/  (user '$(DEMO_EDITOR)', password '$(DEMO_PASSWORD)')" && \
	echo "  The API docs are at    http://127.0.0.1:$(PORT)/api/v1/docs/" && \
	echo "" && \
	echo "  The demo editor's API token, for writes (header: Authorization: Token <token>):" && \
	echo "                         $$token" && \
	echo "  Another editor:        make editor NAME=alice" && \
	echo "" && \
	echo "  Background tasks (webhook deliveries) run in: manage.py db_worker" && \
	echo ""
	@# The worker runs beside gunicorn; when gunicorn stops (Ctrl-C), the worker is stopped too.
	$(DEMO_ENV) sh -c '$(BIN)/python manage.py db_worker --no-reload --queue-name "*" -v0 & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/gunicorn tracker.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -'

# An editor in the demo's database (make editor NAME=alice [PASSWORD=...]); its API token is
# the last line printed.
editor: install-runtime $(DEMO_SECRET)
	@test -n "$(NAME)" || { echo "Name the editor: make editor NAME=alice"; exit 1; }
	@test -f $(DEMO_DB) || { echo "No demo database yet: run make demo first."; exit 1; }
	$(DEMO_ENV) $(BIN)/python manage.py create_editor "$(NAME)" $(if $(PASSWORD),--password "$(PASSWORD)")

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
	  $(BIN)/python manage.py dumpdata proposals.source proposals.sourcerevision proposals.actor --indent 1 -o fixtures/sources.json && \
	  $(BIN)/python manage.py dumpdata proposals.proposalgroup proposals.proposal proposals.citation proposals.relation --indent 1 -o fixtures/proposals.json && \
	  $(BIN)/python manage.py dumpdata proposals.statuschange proposals.statuschangeevidence proposals.position proposals.positionevidence --indent 1 -o fixtures/history.json && \
	  $(BIN)/python manage.py verify_citations'
	rm -f $(CURDIR)/.fixtures.sqlite3

clean:
	rm -rf $(VENV) staticfiles demo.sqlite3 .pytest_cache

# The benchmark (see README, "Performance"), from the development app bench/: a throw-away
# SQLite file unless DATABASE_URL names another (empty, throw-away) database; 1,000 synthetic
# proposals first for the as-of growth figure, then topped up to 10,000. With SIZE above 10,000
# (make bench SIZE=100000 DATABASE_URL=postgres://...), the 10,000 run is the baseline of a last
# one at SIZE, held to the stricter targets of a large PostgreSQL database. Figures in
# bench-results/ (git-ignored).
BENCH_DB := $(CURDIR)/bench-results/bench.sqlite3
BENCH_SEED ?= 1
SIZE ?= 10000
BENCH_ENV := DJANGO_DEBUG=1 TRACKER_BENCH=1 DATABASE_URL=$(or $(DATABASE_URL),sqlite:///$(BENCH_DB))
bench: install
	mkdir -p bench-results
	rm -f $(BENCH_DB)
	$(BENCH_ENV) $(BIN)/python manage.py migrate -v0 --noinput
	$(BENCH_ENV) $(BIN)/python manage.py generate_synthetic --proposals 1000 --seed $(BENCH_SEED)
	$(BENCH_ENV) $(BIN)/python manage.py benchmark --only "api list" --only "api list as_of" \
	  --output bench-results/benchmark-1000.json
	$(BENCH_ENV) $(BIN)/python manage.py generate_synthetic --proposals 10000 --seed $(BENCH_SEED) --top-up
	$(BENCH_ENV) $(BIN)/python manage.py benchmark --baseline bench-results/benchmark-1000.json \
	  --output bench-results/benchmark-10000.json
	@if [ $(SIZE) -gt 10000 ]; then \
	  set -e; \
	  $(BENCH_ENV) $(BIN)/python manage.py generate_synthetic --proposals $(SIZE) --seed $(BENCH_SEED) --top-up; \
	  $(BENCH_ENV) $(BIN)/python manage.py benchmark --baseline bench-results/benchmark-10000.json \
	    --targets scale --output bench-results/benchmark.json; \
	else \
	  cp bench-results/benchmark-10000.json bench-results/benchmark.json; \
	fi

# A 30-second load run against gunicorn (2 workers, 127.0.0.1) on PostgreSQL; create the
# throw-away database first (createdb -h 127.0.0.1 -U postgres bench).
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench
LOADTEST_ENV := DJANGO_DEBUG=1 TRACKER_BENCH=1 DATABASE_URL=$(LOADTEST_DATABASE_URL)
.PHONY: loadtest cluster
loadtest: install
	$(LOADTEST_ENV) $(BIN)/python manage.py migrate -v0 --noinput
	$(LOADTEST_ENV) $(BIN)/python manage.py generate_synthetic --proposals 10000 --seed $(BENCH_SEED) --top-up
	$(LOADTEST_ENV) $(BIN)/python manage.py loadtest --duration 30 --threads 8 --workers 2

# Many nodes on the loopback (see README, "Running on many machines"): one gunicorn node with two
# workers, then two nodes with one worker each, two RQ workers and a webhook receiver, against one
# PostgreSQL database and one Redis; create the throw-away database first (createdb -h 127.0.0.1
# -U postgres cluster). Figures in bench-results/cluster.json.
CLUSTER_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cluster
CLUSTER_REDIS_URL ?= redis://127.0.0.1:6379/0
CLUSTER_PORTS ?= 8001,8002
CLUSTER_RECEIVER_PORT ?= 8009
CLUSTER_DURATION ?= 60
CLUSTER_ENV := DJANGO_DEBUG=1 TRACKER_BENCH=1 DATABASE_URL=$(CLUSTER_DATABASE_URL) \
	REDIS_URL=$(CLUSTER_REDIS_URL)
cluster: install
	$(CLUSTER_ENV) $(BIN)/python manage.py migrate -v0 --noinput
	$(CLUSTER_ENV) $(BIN)/python manage.py generate_synthetic --proposals 10000 --seed $(BENCH_SEED) --top-up
	$(CLUSTER_ENV) $(BIN)/python manage.py cluster --duration $(CLUSTER_DURATION) \
	  --compare-duration $(CLUSTER_DURATION) --ports $(CLUSTER_PORTS) \
	  --receiver-port $(CLUSTER_RECEIVER_PORT)
