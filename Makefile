# forumops — the two commands a new user needs are `make run` and `make test`.
SWIFT ?= swift
FORUM := .build/release/forum
DATA := var
DATABASE := $(DATA)/forum.sqlite
# Debian packages the build and the tests need (installed when missing).
DEB_PACKAGES := libsqlite3-dev zlib1g-dev libqrencode-dev libcairo2-dev fonts-dejavu-core pkg-config libxml2-utils python3-jsonschema python3-yaml zbar-tools poppler-utils chromium chromium-driver python3-venv curl systemd openssl
# LibreOffice's spreadsheet without a GUI (the workbook check opens forumops' workbooks with it),
# without what it merely recommends: seconds to install instead of minutes.
DEB_PACKAGES_LEAN := libreoffice-calc-nogui
# The test tools from PyPI (Selenium for the browser test; openapi-spec-validator and
# schemathesis for the API contract), pinned, in a virtual environment beside the build.
TOOLS_VENV := .build/tools-venv
PYPI_TOOLS := selenium==4.51.0 schemathesis==4.32.5 openapi-spec-validator==0.9.0 openpyxl==3.1.5 aiosmtpd==1.4.6 axe-selenium-python==2.1.6
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps tools build test browser-test contract deploy-check fuzz faults soak drill workbook-check mail-check run bench morning asan clean

## deps: install the Debian packages that are missing (and say how to get Swift if there is none)
deps:
	@command -v $(SWIFT) >/dev/null || { echo "forumops: нет Swift ($(SWIFT)) в PATH — установите Swift 6.2+ (swiftly или архив с swift.org): README, «A fresh machine»" >&2; exit 1; }
	@missing=$$(for package in $(DEB_PACKAGES); do dpkg -s $$package >/dev/null 2>&1 || echo $$package; done); \
	lean=$$(for package in $(DEB_PACKAGES_LEAN); do dpkg -s $$package >/dev/null 2>&1 || echo $$package; done); \
	if [ -n "$$missing$$lean" ]; then \
		echo "forumops: устанавливаю $$missing $$lean"; \
		$(SUDO) apt-get update -qq; \
		[ -z "$$missing" ] || $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		[ -z "$$lean" ] || $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$lean; \
	fi

## build: the release `forum` executable
build: deps
	$(SWIFT) build -c release --product forum

## tools: the PyPI test tools, pinned, in $(TOOLS_VENV) (made once)
tools: deps
	@[ -f $(TOOLS_VENV)/.installed ] && grep -qxF "$(PYPI_TOOLS)" $(TOOLS_VENV)/.installed || \
		{ python3 -m venv $(TOOLS_VENV) && $(TOOLS_VENV)/bin/pip install --quiet $(PYPI_TOOLS) && echo "$(PYPI_TOOLS)" > $(TOOLS_VENV)/.installed; }

## test: build everything with the tests, run the dashboard in a real browser, check the API contract, inject the faults, check the service unit and the container recipe, then the Swift tests
test: tools
	$(SWIFT) build --build-tests
	$(MAKE) --no-print-directory browser-test
	$(MAKE) --no-print-directory contract
	$(MAKE) --no-print-directory faults
	$(MAKE) --no-print-directory deploy-check
	$(MAKE) --no-print-directory drill
	$(MAKE) --no-print-directory workbook-check
	$(MAKE) --no-print-directory mail-check
	$(SWIFT) test --skip-build

## browser-test: the dashboard, and the attendee's pages (JavaScript off and on, as a phone, axe-core), in headless Chromium driven by Selenium (needs the debug build)
browser-test: tools
	$(TOOLS_VENV)/bin/python Tests/Browser/dashboard_test.py $$($(SWIFT) build --show-bin-path)/forum
	$(TOOLS_VENV)/bin/python Tests/Browser/attendee_test.py $$($(SWIFT) build --show-bin-path)/forum

## contract: openapi-spec-validator and schemathesis (all checks, admin and desk tokens) against `forum serve` on a demo forum (needs the debug build)
contract: tools
	Tests/Contract/contract.sh $$($(SWIFT) build --show-bin-path)/forum $(TOOLS_VENV)

## deploy-check: Config/forumops.service passes systemd-analyze verify; the Containerfile's runtime stage has every library `forum` links (needs the debug build)
deploy-check: deps
	python3 Tests/Deploy/deploy_check.py $$($(SWIFT) build --show-bin-path)/forum

## workbook-check: workbooks made by openpyxl (PyPI) imported as an organiser would; forumops' workbooks opened by LibreOffice Calc (needs the debug build)
workbook-check: tools
	$(TOOLS_VENV)/bin/python Tests/Workbook/openpyxl_check.py $$($(SWIFT) build --show-bin-path)/forum

## mail-check: e-tickets through a real SMTP server (aiosmtpd from PyPI, STARTTLS and login), read back with Python's email and zbarimg (needs the debug build)
mail-check: tools
	$(TOOLS_VENV)/bin/python Tests/Mail/smtp_check.py $$($(SWIFT) build --show-bin-path)/forum

## drill: the runbook's restore drill — backup during check-ins, kill -9, restore on a new path with the same key, desks re-pointed with --resend; every shown scan once (needs the debug build)
drill: deps
	python3 Tests/Drill/restore_drill.py $$($(SWIFT) build --show-bin-path)/forum

## fuzz: each libFuzzer target under AddressSanitizer for FUZZ_SECONDS (60) s from the seed corpus; fails on a crash, a leak or a timeout (own build folder)
FUZZ_SECONDS ?= 60
fuzz: deps
	SWIFT=$(SWIFT) Fuzz/fuzz.sh $(FUZZ_SECONDS)

## faults: kill -9 of the server during check-ins from 20 desks (10 times), a locked and an unwritable database at start (needs the debug build)
faults: deps
	python3 Tests/Faults/faults.py $$($(SWIFT) build --show-bin-path)/forum

## soak: 20 real desks admit the 7,500 demo participants over a SOAK_MINUTES (5) morning, the server killed twice; proves every count (release build)
SOAK_MINUTES ?= 5
soak: build
	python3 Tests/Soak/soak.py $(FORUM) $(SOAK_MINUTES)

## run: build, create var/forum.sqlite, import a demo roster of 7,500, start the server
run: build
	@mkdir -p $(DATA)
	$(FORUM) db migrate --database $(DATABASE)
	@[ -f $(DATA)/roster.csv ] || $(FORUM) demo roster --count 7500 --seed 2027 --output $(DATA)/roster.csv
	$(FORUM) participants import $(DATA)/roster.csv --database $(DATABASE)
	$(FORUM) agenda import Agenda --database $(DATABASE)
	@$(FORUM) agenda releases --json --database $(DATABASE) | grep -q '"number"' || $(FORUM) agenda publish --note "Выпуск 1 (make run)" --database $(DATABASE)
	@[ -s $(DATA)/admin.token ] || (umask 077; $(FORUM) tokens create --role admin --name "make run" --database $(DATABASE) > $(DATA)/admin.token)
	@[ -f $(DATA)/forum.key ] || $(FORUM) keys init --database $(DATABASE) 2> /dev/null > /dev/null
	@[ -f $(DATA)/badges.pdf ] || $(FORUM) badges print --out $(DATA)/badges.pdf --sort region --sheet a4 --database $(DATABASE)
	@echo
	@echo "Сервер: http://127.0.0.1:8080 (Ctrl+C — остановить). Попробуйте в другом терминале:"
	@echo "  curl -s http://127.0.0.1:8080/healthz"
	@echo "  curl -s http://127.0.0.1:8080/api/v1/schedule | head -c 600        # программа (JSON forumops)"
	@echo "  curl -s http://127.0.0.1:8080/schedule.json | head -c 600          # C3VOC/frab; также /schedule.xml и /schedule.ics"
	@echo "  Бейджи всех участников для типографии: $(DATA)/badges.pdf (A4, по четыре, по регионам; ключ подписи — $(DATA)/forum.key)"
	@echo "  curl -s -H \"Authorization: Bearer \$$(cat $(DATA)/admin.token)\" -o badge.pdf http://127.0.0.1:8080/api/v1/participants/1/badge.pdf"
	@echo "  curl -s -H \"Authorization: Bearer \$$(cat $(DATA)/admin.token)\" 'http://127.0.0.1:8080/api/v1/participants?surname=%D0%BA%D1%83%D0%B7%D1%8C%D0%BC&perPage=3'"
	@echo "  $(FORUM) participants list --surname кузьм --database $(DATABASE)"
	@echo "  Ключ проверки бейджей для стоек (forum desk --key): $$($(FORUM) keys public --database $(DATABASE))"
	@echo
	$(FORUM) serve --database $(DATABASE)

## bench: release build, prints the benchmark figures (the HTTP part loads `forum serve` with wrk)
bench: deps
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(SWIFT) build -c release --product forum
	$(SWIFT) build -c release --product forum-bench
	.build/release/forum-bench

## morning: a simulated morning at the doors (20 desks, rising rate, one desk offline for a while), a screenshot of the dashboard every minute in var/morning
morning: build
	python3 Benchmarks/morning.py $(FORUM) $(DATA)/morning 8

## asan: the badge, credential and desk tests under AddressSanitizer and LeakSanitizer (own build folder)
asan: deps
	$(SWIFT) build --build-tests --scratch-path .build-asan -Xswiftc -sanitize=address
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/asan.supp \
		$(SWIFT) test --skip-build --scratch-path .build-asan --filter 'ForumBadgesTests|ForumCredentialsTests|ForumDeskTests'

clean:
	rm -rf .build .build-asan .build-fuzz $(DATA)
