# Every target creates .venv/ with the pinned dependencies when it is missing.
export NO_MKDOCS_2_WARNING := 1
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

LOCK := requirements.lock

.PHONY: site serve test check bench clean add-period progress import-actions publish preview browser lock vnu audit

# Values given on the command line reach the CLI exactly as typed: make would expand `$5m` or `$(...)` in them,
# and the shell would expand quotes and backticks, so each is taken unexpanded and passed through the environment.
export CP_CSV := $(value CSV)
export CP_VERSION := $(value VERSION)
export CP_TITLE := $(value TITLE)
export CP_BOARD_MEETING := $(value BOARD_MEETING)
export CP_ENGINE := $(value ENGINE)
# and the raw values themselves are not exported, since exporting would expand them
unexport CSV VERSION TITLE BOARD_MEETING ENGINE
# ENGINE=properdocs builds with ProperDocs, the maintained fork of MkDocs 1.x, instead of MkDocs (the same site)
ENGINE_OPTION = $(if $(value ENGINE),--engine "$$CP_ENGINE")

# The editors' targets tell the command it was run through make, so its messages name REVISE=1, not --revise.
# Set for these targets alone, so that the tests `make test` runs see crimeportal's own words.
check add-period publish: export CRIMEPORTAL_VIA_MAKE := 1

# Every dependency, the tests' too, comes from the lock file at the version and with the file hashes it names, so
# a machine installs what CI tested; the portal itself is installed on its own, with nothing more.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# make lock: resolve requirements.lock again from pyproject.toml's pins, keeping every other version it already
# names unless pyproject.toml needs another (UPGRADE=1 moves each of them to its newest release). One lock for
# Linux, macOS and Windows (--universal), for Python 3.11, with the hashes of every file of each release, and never a
# pre-release. docs/platform.md, "Upgrading dependencies", says how to check an upgrade.
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 --generate-hashes \
	--prerelease disallow --no-emit-package crimeportal --quiet --output-file $(LOCK)
lock: $(STAMP)
	$(UV_COMPILE) $(if $(value UPGRADE),--upgrade)
	@echo "make lock: $(LOCK) resolved again; run 'make test', then commit pyproject.toml and $(LOCK) together."

# The board pack PDF (WeasyPrint) needs Pango and fonts from the system; as root with apt-get (as in CI) the
# targets that build install Debian's packages where Pango is missing, and elsewhere say what to install.
PANGO_FOUND := { ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'
APT_PANGO := { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-liberation >/dev/null; }
NEED_PANGO := $(PANGO_FOUND) || $(APT_PANGO) || { echo "The board pack needs Pango: install libpango-1.0-0, libpangoft2-1.0-0, fonts-dejavu-core and fonts-liberation (README, Set up)." >&2; exit 2; }
# the board pack's tests read the PDF with poppler's tools, and are skipped without them
APT_POPPLER := { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }

site: $(STAMP)
	@$(NEED_PANGO)
	$(BIN)/crimeportal build $(ENGINE_OPTION)

serve: $(STAMP)
	"$(BIN)/$${CP_ENGINE:-mkdocs}" serve --dirty --dev-addr 127.0.0.1:8000

# make check (add STRICT=1 to fail on warnings too, as the pull-request workflow does)
check: $(STAMP)
	$(BIN)/crimeportal validate $(if $(value STRICT),--strict-warnings)

# make add-period CSV=figures.csv (add CHECK=1 to see what would change first, REVISE=1 to change figures already there,
# STRICT=1 to refuse unusual figures that have no note)
add-period: $(STAMP)
	@test -n "$$CP_CSV" || { echo "Say which file: make add-period CSV=figures.csv" >&2; exit 2; }
	$(BIN)/crimeportal add-period "$$CP_CSV" $(if $(value REVISE),--revise) $(if $(value CHECK),--check) $(if $(value STRICT),--strict-warnings)

# make progress CSV=progress.csv: a quarter's progress entries for the delivery plans (CHECK=1 to see what would change first)
progress: $(STAMP)
	@test -n "$$CP_CSV" || { echo "Say which file: make progress CSV=progress.csv" >&2; exit 2; }
	$(BIN)/crimeportal progress "$$CP_CSV" $(if $(value CHECK),--check)

# make import-actions CSV=return.csv: a partnership's return of its actions (CHECK=1 to see what would change first)
import-actions: $(STAMP)
	@test -n "$$CP_CSV" || { echo "Say which file: make import-actions CSV=return.csv" >&2; exit 2; }
	$(BIN)/crimeportal import-actions "$$CP_CSV" $(if $(value CHECK),--check)

# make publish VERSION=2019-09 TITLE="September 2019 board update" [BOARD_MEETING=2019-09-12] [REPLACE=1] [PUSH=1] [ENGINE=properdocs]
publish: $(STAMP)
	@test -n "$$CP_VERSION" && test -n "$$CP_TITLE" || { echo 'Say which release: make publish VERSION=2019-09 TITLE="September 2019 board update"' >&2; exit 2; }
	@$(NEED_PANGO)
	$(BIN)/crimeportal publish "$$CP_VERSION" --title "$$CP_TITLE" $(if $(value BOARD_MEETING),--board-meeting "$$CP_BOARD_MEETING") $(if $(value REPLACE),--replace) $(if $(value PUSH),--push) $(ENGINE_OPTION)

# every published release, as the gh-pages branch holds them, at http://127.0.0.1:8001
preview: $(STAMP)
	$(BIN)/mike serve --dev-addr 127.0.0.1:8001

# The browser tests (tests/test_browser.py) need a Chromium. `make test` installs Debian's package when it
# can (as root with apt-get, as in CI); elsewhere `make browser` downloads Playwright's build of Chromium.
FIND_CHROMIUM := $(BIN)/python tests/chromium.py >/dev/null
APT_CHROMIUM := { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The Nu HTML Checker (tests/test_vnu.py): the vnu-jar npm package at this version, in tests/vendor-node/, run by
# Debian's Java. `make test` installs both when it can (as root with apt-get and npm, as in CI).
VNU_VERSION := 26.9.27
VNU_JAR := tests/vendor-node/node_modules/vnu-jar/build/dist/vnu.jar
FIND_VNU := command -v java >/dev/null && test -f $(VNU_JAR) && grep -q '"version": "$(VNU_VERSION)"' tests/vendor-node/node_modules/vnu-jar/package.json
APT_JAVA := { command -v java >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }; }
NPM_VNU := { command -v npm >/dev/null && npm install --prefix tests/vendor-node --no-audit --no-fund --silent vnu-jar@$(VNU_VERSION); }

test: $(STAMP)
	@$(FIND_CHROMIUM) || $(APT_CHROMIUM) || echo "make test: no Chromium was found, so the browser tests will be skipped. Run 'make browser' to get one." >&2
	@$(FIND_VNU) || { $(APT_JAVA) && $(NPM_VNU); } || echo "make test: Java or the vnu-jar npm package is missing, so the Nu HTML Checker's test will be skipped. Run 'make vnu'." >&2
	@$(NEED_PANGO)
	@command -v pdfinfo >/dev/null || $(APT_POPPLER) || echo "make test: poppler-utils is not installed, so the board pack's tests will be skipped." >&2
	$(BIN)/python -m pytest

browser: $(STAMP)
	@$(FIND_CHROMIUM) || $(APT_CHROMIUM) || $(BIN)/python -m playwright install chromium
	@echo "The browser tests will use $$($(BIN)/python tests/chromium.py)"

vnu:
	@$(FIND_VNU) || { $(APT_JAVA) && $(NPM_VNU); } || { echo "make vnu: install a Java runtime (Debian: default-jre-headless) and npm, then run make vnu again." >&2; exit 2; }
	@echo "The Nu HTML Checker is $(VNU_JAR), version $(VNU_VERSION)"

# make audit: Lighthouse (npm, pinned) over one page of each kind of the built site, served on 127.0.0.1, in
# Debian's headless Chromium. Too slow for every test run, so not in `make test`; docs/performance.md has its scores.
LIGHTHOUSE_VERSION := 12.2.3
audit: $(STAMP)
	@test -x tests/vendor-node/node_modules/.bin/lighthouse && grep -q '"version": "$(LIGHTHOUSE_VERSION)"' tests/vendor-node/node_modules/lighthouse/package.json \
		|| npm install --prefix tests/vendor-node --no-audit --no-fund --silent lighthouse@$(LIGHTHOUSE_VERSION)
	$(BIN)/python scripts/audit.py tests/vendor-node/node_modules/.bin/lighthouse $(AUDIT)

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf site .cache
