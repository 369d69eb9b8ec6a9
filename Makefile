# GovPortal: `make run` sets up everything and starts the CMS and the public site;
# `make test` installs what tests need and runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
# How often `make run` sends due reminders and checks links (production: cron or a systemd timer).
PERIODIC_SECONDS ?= 3600

.PHONY: run test install messages migrate seed cms frontend lint chromium clean periodic backup restore

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip >/dev/null
	$(PIP) install -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

# The project's Chinese catalogues (.po → .mo) with polib, so no GNU gettext is needed.
messages: install
	$(PY) -c 'import pathlib, polib; [polib.pofile(str(p)).save_as_mofile(str(p.with_suffix(".mo"))) for p in pathlib.Path("govportal").glob("**/locale/*/LC_MESSAGES/*.po")]'

migrate: messages
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py collectstatic --noinput -v0
	@echo "CMS 后台: http://127.0.0.1:8000/admin/   公众网站: http://127.0.0.1:8080/"
	@echo "停止：按 Ctrl+C（同时停止后台、公众网站和定时任务）"
	@trap 'kill 0' INT TERM EXIT; \
	GOVPORTAL_PURGE_SECRET_FILE=.purge-secret $(PY) -m frontend --host 127.0.0.1 --port 8080 & \
	$(MAKE) -s periodic & \
	$(PY) manage.py runserver 127.0.0.1:8000 --noreload

# Periodic jobs of the demo: Wagtail's scheduled publishing (定时发布/到期下线) every minute,
# reminders and the link check (this site's own links: the demo machine has no route outside)
# every PERIODIC_SECONDS. Production uses cron or systemd timers instead (README).
periodic:
	@while true; do $(PY) manage.py publish_scheduled >/dev/null; sleep 60; done & \
	while true; do $(PY) manage.py send_reminders; $(PY) manage.py check_links --internal-only; sleep $(PERIODIC_SECONDS); done

chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)

test: messages chromium
	$(PY) -m pytest -n 2 -q

backup: install
	$(PY) manage.py backup --dir backups

# make restore FILE=backups/govportal-YYYYmmdd-HHMMSS.tar.gz (into an empty database and media)
restore: install
	$(PY) manage.py restore $(FILE)

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 media static .test-media
