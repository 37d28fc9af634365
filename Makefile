# 政府信息公开工作年度报告 — build, check and test.
#
#   make            HTML site and every report's PDF (_build/html, _build/pdf)
#   make test       the whole test suite
#   make check      run every check without building the site
#   make serve      live preview while editing (http://127.0.0.1:8000)
#   make new AGENCY=… YEAR=… [NAME=…]          start a report
#   make import FILE=… AGENCY=… YEAR=… [NAME=…] import a published report's text
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
SPHINX := $(BIN)/sphinx-build -c . $(SPHINXOPTS)

.PHONY: all html pdf latex test check lint serve clean system venv new import diff bench

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
	$(SPHINX) -j $(JOBS) -b html docs _build/html
	@if [ -d _build/pdf ]; then mkdir -p _build/html/pdf && cp -p _build/pdf/*.pdf _build/html/pdf/ 2>/dev/null || true; fi
	@echo "网页版：_build/html/index.html"

latex: $(STAMP)
	$(SPHINX) -b latex docs _build/latex

pdf: $(STAMP) system latex
	$(RUN) -m govreport pdf -j $(JOBS)

check: $(STAMP)
	$(RUN) -m govreport check

test: $(STAMP) system
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check ext tests tools conf.py
	$(BIN)/mypy

new: $(STAMP)
	@test -n "$(AGENCY)" -a -n "$(YEAR)" || { echo "用法：make new AGENCY=xiangshan YEAR=2022 [NAME=沙坡头区香山乡]（新机构必须给 NAME）"; exit 2; }
	$(RUN) -m govreport new $(AGENCY) $(YEAR) $(if $(NAME),--name "$(NAME)") $(if $(FULL_NAME),--full-name "$(FULL_NAME)")

import: $(STAMP)
	@test -n "$(FILE)" -a -n "$(AGENCY)" -a -n "$(YEAR)" || { echo "用法：make import FILE=报告.txt AGENCY=huaian YEAR=2024 [NAME=淮安市]"; exit 2; }
	$(RUN) -m govreport import "$(FILE)" $(AGENCY) $(YEAR) $(if $(NAME),--name "$(NAME)") $(if $(FULL_NAME),--full-name "$(FULL_NAME)")

serve: $(STAMP)
	$(BIN)/sphinx-autobuild -c . docs _build/html --watch data --watch ext --port 8000

clean:
	rm -rf _build
