# wholesale — the two commands a new user needs are `make run` and `make test`.
# Everything they need is installed from here: PostgreSQL from Debian's
# packages (as root), mailpit from the Go module proxy, Chromium from Debian's
# packages (as root) and axe-core from npm for the browser tests, @redocly/cli
# from npm for the lint of the API's OpenAPI document, pdftotext from
# Debian's poppler-utils (as root) for the PDF tests, and PgBouncer from Debian's
# pgbouncer (as root) for the test that runs the app through it.

GO       ?= go
BIN      := $(CURDIR)/bin
MAILPIT  := $(BIN)/mailpit
MAILPIT_VERSION := v1.27.11
# AXE is the accessibility checker the browser tests inject into each page.
AXE_VERSION := 4.14.1
AXE      := $(BIN)/node_modules/axe-core/axe.min.js
# REDOCLY lints the API's OpenAPI document (internal/web/openapi_lint_test.go).
REDOCLY_VERSION := 2.77.0
REDOCLY  := $(BIN)/node_modules/.bin/redocly
# One npm install puts both in bin/node_modules (a second install without a
# package.json would remove the first): the stamp names both versions.
AXE_STAMP := $(BIN)/.node-tools-axe-core-$(AXE_VERSION)-redocly-$(REDOCLY_VERSION)
PKGS     ?= ./...
# DATA_DIR is where `make run` keeps its cluster in pg/ (as the app reads it).
DATA_DIR ?= var
export DATA_DIR

.PHONY: run build test bench seed-scale lint fmt db-start db-stop clean postgres-bin tools chromium poppler-utils pgbouncer einvoice-tools validate-ubl xmllint screenshots

## run: build, start the local PostgreSQL cluster (./var/pg, or as root where the postgres user
## cannot enter the checkout: /var/lib/wholesale/<name>/pg, linked from ./var/pg), migrate,
## load demo data, serve :8080
run: build postgres-bin xmllint
	$(BIN)/wholesale serve

## build: compile bin/wholesale
build:
	$(GO) build -o $(BIN)/wholesale ./cmd/wholesale

## test: every test, and every benchmark once (a broken benchmark fails too),
## against one throwaway PostgreSQL cluster started for the run; the browser
## tests of internal/e2e drive headless Chromium through the real server
test: postgres-bin tools
	$(GO) build -o $(BIN)/withpg ./cmd/withpg
	MAILPIT=$(MAILPIT) AXE=$(AXE) REDOCLY=$(REDOCLY) $(BIN)/withpg $(GO) test -count=1 -timeout 30m -bench . -benchtime 1x $(PKGS)

## screenshots: the browser tests again, writing each role's home page and the
## order entry with a pasted PO into docs/screenshots/
screenshots: postgres-bin tools
	$(GO) build -o $(BIN)/withpg ./cmd/withpg
	SCREENSHOTS=$(CURDIR)/docs/screenshots AXE=$(AXE) $(BIN)/withpg $(GO) test -count=1 ./internal/e2e

## bench: the benchmarks of docs/BENCHMARKS.md
bench: postgres-bin
	$(GO) build -o $(BIN)/withpg ./cmd/withpg
	$(BIN)/withpg $(GO) test -run '^$$' -bench . -benchmem $(PKGS)

## seed-scale: load ten years of a wholesaler's data, a million orders (ORDERS=… for another number,
## SEED=… for another data set), into the empty database of the local cluster (./var/pg, as make run
## uses it; make clean first if it holds the demo data) or of DATABASE_URL: docs/BENCHMARKS.md
ORDERS ?= 1000000
SEED   ?= 1
seed-scale: build postgres-bin
	$(BIN)/wholesale seed-scale -orders $(ORDERS) -seed $(SEED)

## lint: go vet, gofmt and staticcheck
lint:
	$(GO) vet ./...
	@test -z "$$(gofmt -l cmd internal migrations templates)" || (gofmt -l cmd internal migrations templates; exit 1)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

fmt:
	gofmt -w cmd internal migrations templates

## db-start / db-stop: the local cluster alone is started by `make run`; these
## help when it was left running by a killed process.
db-start: build postgres-bin
	@echo "The local cluster runs inside 'make run'; to use psql, start 'make run' and use the DSN it prints."
db-stop:
	-@pg=$$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); d=$$(readlink -f $(DATA_DIR)/pg); \
	  if [ -f "$$d/data/postmaster.pid" ]; then \
	    if [ "$$(id -u)" = 0 ]; then cd / && runuser -u postgres -- $$pg/pg_ctl -D "$$d/data" stop -m fast; \
	    else $$pg/pg_ctl -D "$$d/data" stop -m fast; fi; \
	  else echo "No cluster runs in $(DATA_DIR)/pg."; fi

## clean: remove build output and the local database (also where ./var/pg links to in /var/lib/wholesale)
clean:
	@d=$$(readlink -f $(DATA_DIR)/pg); case "$$d" in /var/lib/wholesale/*/pg) echo "rm -rf $$d"; rm -rf "$$d"; rmdir "$$(dirname "$$d")" 2>/dev/null || true;; esac
	rm -rf $(BIN) $(DATA_DIR)/pg
	-@rmdir $(DATA_DIR) 2>/dev/null || true

## postgres-bin: install Debian's PostgreSQL server binaries when they are missing
postgres-bin:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ -z "$$PG_BIN" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing PostgreSQL (Debian package postgresql)…"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; \
	  else \
	    echo "PostgreSQL server binaries are missing: run 'sudo apt-get install -y postgresql', or set PG_BIN."; exit 1; \
	  fi; \
	fi

## tools: what the tests use besides PostgreSQL: a local SMTP server, Chromium
## and axe-core for the browser tests, redocly for the OpenAPI lint, pdftotext for the PDF tests, PgBouncer
## for the test of the app behind it (docs/SCALING.md)
tools: $(MAILPIT) chromium $(AXE_STAMP) poppler-utils pgbouncer einvoice-tools

$(MAILPIT):
	GOBIN=$(BIN) $(GO) install github.com/axllent/mailpit@$(MAILPIT_VERSION)

## chromium: install Debian's Chromium when no Chromium is there (CHROMIUM names another)
chromium:
	@if [ -z "$$CHROMIUM" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Chromium for the browser tests (Debian package chromium)…"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	  else \
	    echo "Chromium is missing for the browser tests: run 'sudo apt-get install -y chromium', or set CHROMIUM to its path."; exit 1; \
	  fi; \
	fi

## poppler-utils: install Debian's poppler-utils when pdftotext is missing (the PDF tests read the
## documents back with it)
poppler-utils:
	@if ! command -v pdftotext >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing pdftotext for the PDF tests (Debian package poppler-utils)…"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends poppler-utils; \
	  else \
	    echo "pdftotext is missing for the PDF tests: run 'sudo apt-get install -y poppler-utils'."; exit 1; \
	  fi; \
	fi

## pgbouncer: install Debian's pgbouncer when it is missing: a test runs the app through it in
## session mode (docs/SCALING.md). Debian puts it in /usr/sbin, outside a normal user's PATH.
pgbouncer:
	@if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing PgBouncer for the test of the app behind it (Debian package pgbouncer)…"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends pgbouncer; \
	  else \
	    echo "PgBouncer is missing for the test of the app behind it: run 'sudo apt-get install -y pgbouncer'."; exit 1; \
	  fi; \
	fi

## xmllint: install Debian's libxml2-utils when xmllint is missing: the bank statement import checks
## each CAMT.053 file against its schema with it (make run needs it, and so does a production server)
xmllint:
	@if ! command -v xmllint >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing xmllint for the bank statement import (Debian package libxml2-utils)…"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libxml2-utils; \
	  else \
	    echo "xmllint is missing for the bank statement import: run 'sudo apt-get install -y libxml2-utils'."; exit 1; \
	  fi; \
	fi

## einvoice-tools: install what validates the UBL e-invoices when it is missing: xmllint (Debian's
## libxml2-utils) for the UBL 2.1 schema, Saxon-HE (libsaxonhe-java) with a headless Java runtime for
## the EN 16931 and SI-UBL 2.0 rules (XSLT 2.0)
SAXON_JAR ?= /usr/share/java/Saxon-HE.jar
export SAXON_JAR
einvoice-tools:
	@missing=""; command -v xmllint >/dev/null 2>&1 || missing="$$missing libxml2-utils"; \
	  [ -f "$(SAXON_JAR)" ] || missing="$$missing libsaxonhe-java"; \
	  command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then \
	      echo "Installing the e-invoice validators (Debian packages$$missing)…"; \
	      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	    else \
	      echo "The e-invoice validators are missing: run 'sudo apt-get install -y$$missing'."; exit 1; \
	    fi; \
	  fi

## validate-ubl: check a UBL file by hand against the UBL 2.1 schema and the rules of its profile:
## make validate-ubl F=factuur-2026-000001.xml
validate-ubl: einvoice-tools
	$(GO) run ./cmd/ublcheck $(F)

$(AXE_STAMP):
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing npm for axe-core and redocly (Debian package npm)…"; \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm; \
	  else \
	    echo "npm is missing to install axe-core for the browser tests: run 'sudo apt-get install -y npm'."; exit 1; \
	  fi; \
	fi
	npm install --prefix $(BIN) --no-save --no-audit --no-fund --no-package-lock axe-core@$(AXE_VERSION) @redocly/cli@$(REDOCLY_VERSION)
	touch $@
