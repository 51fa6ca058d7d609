# `make run` and `make test` do all set-up on a fresh Debian machine (system packages when run as
# root, .venv, the project), then open the app or run the whole suite headless.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BUNDLE_STAMP := $(VENV)/.bundle-installed

.PHONY: run test bench screenshots translations bundle windows-check lint clean deps-base deps-test deps-gui deps-screenshots deps-bundle deps-server

run: deps-gui $(STAMP)
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ] && [ -z "$$QT_QPA_PLATFORM" ]; then \
	  echo "没有图形显示（DISPLAY未设置）。请在桌面环境中运行，或使用 make screenshots。" >&2; exit 1; fi
	$(PY) main.py

# The county-side tests also run against a throw-away PostgreSQL cluster when PostgreSQL is
# installed (`make deps-server`); HENGDONG_TEST_PG=off|required|<admin URL> decides otherwise.
test: deps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: deps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks $(BENCH_ARGS)

screenshots: deps-screenshots $(STAMP)
	xvfb-run -a -s "-screen 0 1400x900x24" $(PY) -m tools.screenshots screenshots

# The Linux one-folder bundle (dist/HengdongDesktop/), then its self-test. On Windows the same
# script builds the installer: see README, "构建 Windows 安装程序".
bundle: deps-bundle $(BUNDLE_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) installer/build.py

# The township PC's deployment path on this Debian machine, under Wine: a Windows CPython, the
# unit and UI tests, the Windows bundle and its self-test, the installer compiled, installed,
# self-tested and uninstalled, the app in a real window. README: "Windows under Wine".
# WINDOWS_CHECK_ARGS=--ci runs the CI subset; stage names run only those stages.
windows-check: $(STAMP)
	bash installer/wine/windows-check.sh $(WINDOWS_CHECK_ARGS)

$(BUNDLE_STAMP): $(STAMP)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,bundle]'
	@touch $(BUNDLE_STAMP)
# The Qt Linguist catalogue of every tr() text of the interface (Simplified Chinese is the source).
translations: $(STAMP)
	$(PY) -m tools.translations

lint: $(STAMP)
	$(PY) -m pip install -q -e '.[dev]' && $(VENV)/bin/ruff format --check . && $(VENV)/bin/ruff check . \
		&& $(VENV)/bin/mypy hengdong_desktop

deps-base deps-test deps-gui deps-screenshots deps-bundle deps-server:
	@bash installer/debian-deps.sh $(@:deps-%=%)

$(STAMP): pyproject.toml | deps-base
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache screenshots
