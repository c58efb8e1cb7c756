# Gaceta: the commands the README names.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The site's address follows the port it is served on (see GACETA_BASE_URL in README.md).
export PORT
STAMP := $(VENV)/.installed

.PHONY: run test test-quick serve worker bench install migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet --constraint requirements.lock --editable ".[test]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py ensure_admin

run: demo
	@echo "Gaceta is serving on http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The edit loop: everything but the browser and slow tests (markers in pyproject.toml).
test-quick: install
	$(BIN)/python -m pytest -m "not browser and not slow" -n auto $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media static_collected

serve: install
	$(BIN)/gunicorn gaceta.wsgi -c deploy/gunicorn.conf.py

worker: install
	GACETA_TASKS=$${GACETA_TASKS:-database} $(BIN)/python manage.py db_worker

bench: install
	$(BIN)/python benchmarks/serve.py
	$(BIN)/python benchmarks/comments.py
