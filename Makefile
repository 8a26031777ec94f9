# pacov: `make report` and `make test` set everything up on first use (a .venv in the project).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
BENCH_STAMP := $(VENV)/.bench-stamp

.PHONY: venv serve report catalogs scenarios maps test test-deps lint fuzz bench bench-planet bench-connectivity bench-deps layers clean distclean mutation

SCENARIOS := $(sort $(wildcard layers/kazakhstan/scenarios/*.toml))
# compare against today's baseline: it goes first
COMPARE   := layers/kazakhstan/scenarios/baseline.toml $(filter-out layers/kazakhstan/scenarios/baseline.toml,$(SCENARIOS))

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# REPORT_LANG=ru or kk writes the page in Russian or Kazakh (e.g. make report REPORT_LANG=ru).
STUDY       ?= layers/kazakhstan/study.toml
REPORT_LANG ?= en
report: $(STAMP)
	$(BIN)/pacov report $(STUDY) --out-dir outputs/tables --gpkg outputs/gis/kazakhstan.gpkg --html outputs/report.html --lang $(REPORT_LANG)
	$(BIN)/pacov scenario compare $(COMPARE) --out-dir outputs/tables --distance 10000 --distance 30000 --distance 100000

# The page's translations: extract its messages, merge them into locale/{ru,kk}/…/pacov.po, compile the .mo
# (committed, so a fresh clone needs no build). New messages stay empty until translated: the command then fails.
catalogs: $(STAMP)
	$(BIN)/python coverage/pacov/locale/catalogs.py

# The planning page on the embedded study: draw a proposal, see it scored (http://127.0.0.1:8765/).
serve: $(STAMP)
	$(BIN)/pacov serve layers/kazakhstan/study.toml --open

# Every shipped scenario, then the comparison table (outputs/tables/scenario_*.csv|md).
scenarios: $(STAMP)
	$(BIN)/pacov scenario run $(SCENARIOS) --out-dir outputs/tables --format csv > /dev/null
	$(BIN)/pacov scenario compare $(COMPARE) --out-dir outputs/tables

# Line coverage of pacov (CLI subprocesses included). Measured 98.1% (2026-11-22); the floor keeps one point for
# machines where the browser or ../shared tests skip. Raise it as tests grow.
COV_FLOOR := 97
test: $(STAMP) test-deps lint
	$(BIN)/python -m pytest -q -n auto --dist loadfile --durations=12 --cov --cov-report=term:skip-covered --cov-fail-under=$(COV_FLOOR)

# The CLI fuzzer (tests/test_fuzz.py) at length: random real files, the reference or one line, never exit 70.
FUZZ_EXAMPLES ?= 300
fuzz: $(STAMP)
	PACOV_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:cov tests/test_fuzz.py --hypothesis-show-statistics

lint: $(STAMP)
	$(BIN)/ruff check coverage tests benchmarks layers
	$(BIN)/ruff format --check coverage tests benchmarks layers

# A real headless browser for the map tests and `report --pdf`: Debian's chromium and chromium-driver, and
# poppler-utils (pdftotext reads the PDF back); headless QGIS (needs root). If they cannot be installed, those tests
# skip and say why.
# the background QGIS install's log and markers (tests/test_qgis_project.py waits for .done)
QGIS_INSTALL := build/qgis-install
test-deps:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver poppler-utils >/dev/null) \
		|| echo "note: could not install chromium; the browser tests will skip"; \
	else echo "note: chromium needs root and apt-get to install; the browser tests will skip"; fi
	@# Headless QGIS for tests/test_qgis_project.py (the .qgz beside each GeoPackage, opened by the system
	@# Python): Debian's python3-qgis (QGIS 3.22 LTR, GDAL 3.6). About 4 minutes on a fresh machine (docs/gis.md),
	@# so it installs in the background while the other tests run: the QGIS tests come last and wait for it
	@# ($(QGIS_INSTALL).log, .done). Where it cannot be installed they skip and say why.
	@if /usr/bin/python3 -c "import qgis.core" >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		mkdir -p $(dir $(QGIS_INSTALL)); rm -f $(QGIS_INSTALL).done; touch $(QGIS_INSTALL).running; \
		( (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-qgis qgis-providers python3-gdal \
		   || echo "note: could not install python3-qgis; the QGIS project test will skip"); \
		  touch $(QGIS_INSTALL).done ) > $(QGIS_INSTALL).log 2>&1 & \
	else echo "note: python3-qgis needs root and apt-get to install; the QGIS project test will skip"; fi

# One self-contained HTML map per shipped scenario, and outputs/maps/index.html linking them.
maps: $(STAMP)
	$(BIN)/pacov map $(COMPARE) --out-dir outputs/maps --points layers/kazakhstan/examples/camera_traps.geojson

# The benchmarks' Python references: DuckDB spatial (its extension from PyPI) and the PostGIS client.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $(BENCH_STAMP)

# Benchmarks (not tests): pacov vs naive geopandas overlay, DuckDB spatial, and PostGIS when `make bench-deps` ran.
BENCH_SIZES ?= embedded national regional regional-wdpa regional-wdpa@6933 continental continental-wdpa
BENCH_WORKERS ?= 2
# naive overlay + dissolve at continental size takes over 20 minutes: left out unless PACOV_BENCH_SKIP= (empty)
export PACOV_BENCH_SKIP ?= naive:continental
bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_SIZES) --workers $(BENCH_WORKERS)

# The planet tier: 300,000 sites and 200 M vertices, plain `pacov coverage` (it goes out of core by itself;
# about an hour with PostGIS's sample).
bench-planet: $(STAMP)
	$(BIN)/python benchmarks/run.py planet --workers $(BENCH_WORKERS)

# ProtConn on 5,000 synthetic sites at three median dispersal distances (links, ECA, time).
bench-connectivity: $(STAMP)
	$(BIN)/python benchmarks/connectivity.py

# A local PostGIS on loopback for the benchmark (Debian packages; needs root).
bench-deps: $(BENCH_STAMP)
	ls /usr/lib/postgresql/*/lib/postgis-3.so >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-postgis)
	pg_ctlcluster $$(ls /usr/lib/postgresql | sort -n | tail -1) main start || true
	su postgres -c "psql -tc \"SELECT 1 FROM pg_roles WHERE rolname='$$(whoami)'\"" | grep -q 1 || su postgres -c "createuser -s $$(whoami)"
	psql -d postgres -tc "SELECT 1 FROM pg_database WHERE datname='pacov_bench'" | grep -q 1 || createdb pacov_bench
	psql -d pacov_bench -qc "CREATE EXTENSION IF NOT EXISTS postgis"

# Rebuild the embedded GeoJSON layers from their TOML tables, then the density and resistance rasters (deterministic).
# The basemap (real outline, oblasts, ranges, hillshade) comes first: the range parts are cut to its outline.
layers: $(STAMP)
	$(BIN)/python layers/kazakhstan/src/build_basemap.py
	$(BIN)/python layers/kazakhstan/src/build.py
	$(BIN)/python layers/kazakhstan/src/build_density.py
	$(BIN)/python layers/kazakhstan/src/build_points.py
	$(BIN)/python layers/kazakhstan/src/build_resistance.py

clean:
	rm -rf outputs/tables outputs/maps outputs/gis .pytest_cache *.egg-info
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

# Mutation testing of the numeric modules (not CI; slow): mutmut in build/mutation, the package under src/.
# MUTATE narrows it to mutant names, e.g. make mutation MUTATE="pacov.analyses.fractions.*". PYTHONPATH lets the CLI tests'
# subprocesses import the mutants tree too, not the installed package.
MUTATION := build/mutation
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'mutmut>=3.3'
	rm -rf $(MUTATION) && mkdir -p $(MUTATION)
	cp -r coverage $(MUTATION)/src && cp -r tests layers pyproject.toml $(MUTATION)/
	mkdir -p $(MUTATION)/mutants/src  # present from the start, so mutmut puts it first on sys.path
	cd $(MUTATION) && PYTHONPATH=$(abspath $(MUTATION))/mutants/src $(abspath $(BIN))/mutmut run $(MUTATE) ; \
		$(abspath $(BIN))/mutmut results --all true > results.txt
	$(BIN)/python benchmarks/mutation_summary.py $(MUTATION)/results.txt
