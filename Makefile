# selfeval — 部门整体支出绩效自评
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test check lint bench bench-recogniser compile clean dist frozen python-linux proof-bullseye test-qt-versions

# The virtual environment is (re)installed when pyproject.toml changes.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Byte-compile the program as an installed copy would be (an editable install is not),
# so start-up is measured and felt as a clerk gets it.
compile: $(STAMP)
	@$(PY) -m compileall -q forms exports desktop resources

run: compile
	$(VENV)/bin/selfeval

# The linters first (seconds), then every test.
test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

# The inner loop while changing code: the same checks without the slow tests, a tenth of
# each property test's cases (tests/fuzz_budget.py), on every core.
check: lint
	SELFEVAL_QUICK=1 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -m "not slow" -n auto

# ruff on everything; mypy --strict on forms/, exports/ and desktop/ (settings in pyproject.toml;
# the desktop files not yet clean are listed there, and tests/test_typing_gate.py keeps that
# list shrinking).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: compile
	$(PY) tests/bench/run.py

# Only the criteria recogniser's hostile cells (tests/bench/bench_recogniser.py).
bench-recogniser: compile
	$(PY) tests/bench/run.py recogniser

# The desktop tests on every PySide6 version the kits ship (packaging/make_dist.py PYSIDE6),
# each in a side environment .venv-qt/<version> that holds only that Qt. Not part of make test.
test-qt-versions: $(STAMP)
	$(PY) tests/qt_versions.py

# Offline install kits for Windows and Linux (wheels cached in ~/.cache/selfeval-dist).
dist: $(STAMP)
	$(PY) packaging/make_dist.py

# The one-folder build (PyInstaller) in dist/selfeval, then its smoke test.
frozen: $(STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/selfeval.spec
	$(PY) packaging/smoke_frozen.py dist/selfeval

# The CPython the Linux kit brings (x86_64, and aarch64 cross-built), built in a Debian 11
# root into ~/.cache/selfeval-dist/python, where make dist finds it.  Needs root and
# debootstrap; about 7 minutes on 2 cores, 3 more the first time.  Not part of `make test`.
python-linux: $(STAMP)
	$(PY) packaging/build_python.py

# The Linux kit on Debian 11 (glibc 2.31) without Python, in debootstrap roots (x86_64, and
# arm64 under qemu-user-static): install.sh installs with the kit's own Python and the
# installed program passes the smoke test.  Needs root; not part of `make test`.
proof-bullseye: dist
	sh packaging/proof_bullseye.sh dist/selfeval-$$($(PY) -c 'import forms; print(forms.__version__)')-linux-offline x86_64
	sh packaging/proof_bullseye.sh dist/selfeval-$$($(PY) -c 'import forms; print(forms.__version__)')-linux-offline aarch64

clean:
	rm -rf $(VENV) .venv-qt build dist *.egg-info bench-out .mypy_cache .ruff_cache
