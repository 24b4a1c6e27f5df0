# pdvault — the two commands a newcomer needs:
#   make demo    install what is missing, build, lint the example declaration,
#                write its privacy notice and register (into out/demo/)
#   make check   install what is missing, build, run every suite; ends with
#                the line "N passed, N failed"
# Other targets: build, deps, check-asan, check-builds, check-format, fuzz, bench,
# examples (render examples/*-corrected.yaml into examples/rendered/), deb (the Debian
# package, into out/deb/), check-package, bench-pg, clean.
# make check SUITES=unit,cli runs part of the suites (unit, cli, http,
# browser); TESTS=REGEX (e.g. SUITES=http TESTS=test_server) only the CLI and
# HTTP tests whose module.function matches. BACKEND=pg puts the CLI and HTTP
# tests' vaults on the throwaway PostgreSQL the run starts (the unit suite
# runs the store's contract tests on it in every run).

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
MATRIX_BUILD ?= build-matrix
FUZZ_SECONDS ?= 30
BENCH_RECORDS ?= 1000000
SUITES     ?= unit,cli,http,browser
BACKEND    ?= sqlite
PDVAULT    := $(BUILD)/src/cli/pdvault
DEMO_DECL  ?= examples/alegria-corrected.yaml

# Debian packages the build and the suites need (zlib1g-dev: libxlsxwriter's
# pkg-config file links -lz, and Debian 12's libxlsxwriter-dev does not depend
# on it, so a fresh machine fails to link without it; iproute2: ss, with which
# tests/http/test_multi.py sees the requests a server has read)
DEB_PACKAGES := gcc make pkg-config meson ninja-build python3 \
                libyaml-dev libjansson-dev libcmocka-dev libsodium-dev libsqlite3-dev \
                libpq-dev postgresql \
                libmicrohttpd-dev libcurl4-openssl-dev libxlsxwriter-dev zlib1g-dev \
                python3-aiosmtpd python3-yaml \
                python3-nacl openssl liboath-dev libqrencode-dev iproute2
# for the sanitizer build and the fuzzers
DEB_PACKAGES_CI := clang libclang-rt-dev clang-format
# to build the .deb (make deb) and check its unit (make check-package)
DEB_PACKAGES_PKG := debhelper dpkg-dev devscripts systemd

.PHONY: all build deps deps-ci demo examples check check-asan check-builds check-format fuzz bench \
        clean deb check-package bench-pg

all: build

deps:
	@tools/deps.sh $(DEB_PACKAGES)

deps-ci:
	@tools/deps.sh $(DEB_PACKAGES) $(DEB_PACKAGES_CI)

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

demo: build
	@tools/demo.sh $(PDVAULT) $(DEMO_DECL)

examples: build
	@tools/render-examples.sh $(PDVAULT) examples/rendered

check: build
	@case ",$(SUITES)," in *,browser,*) tools/browser-deps.sh;; esac
	@python3 tests/run.py --build $(BUILD) --suites $(SUITES) --backend $(BACKEND)

$(ASAN_BUILD)/build.ninja:
	CC=clang meson setup $(ASAN_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

check-asan: deps-ci $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	@UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
	  python3 tests/run.py --build $(ASAN_BUILD) --suites unit,cli,http

# every C file as .clang-format has it (Debian 12's clang-format 14)
check-format: deps-ci
	@git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror && echo "check-format: every C file is formatted"

# gcc and clang x debug, debugoptimized, release, plain with Debian's hardening
# flags, all with -Werror; then the unit, CLI and HTTP suites on the gcc release build
check-builds: deps-ci
	@tools/build-matrix.sh $(MATRIX_BUILD)

# the Debian package, built by dpkg-buildpackage from a copy of the tree
# (tools/deb.sh): out/deb/pdvault_VERSION_ARCH.deb
deb:
	@tools/deps.sh $(DEB_PACKAGES) $(DEB_PACKAGES_PKG)
	@tools/deb.sh out/deb

# the .deb built, unpacked with dpkg -x, its contents checked, its unit
# through systemd-analyze verify and security --offline (2.0 or better)
check-package:
	@tools/deps.sh $(DEB_PACKAGES) $(DEB_PACKAGES_PKG)
	@tools/check-package.sh

$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) --buildtype=debugoptimized -Dfuzz=true -Dtests=false -Db_lundef=false

fuzz: deps-ci $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD)
	@tools/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	@tools/deps.sh wrk
	$(BUILD)/bench/bench-lint-notice
	$(BUILD)/bench/bench-import $(PDVAULT) $(BENCH_RECORDS)
	$(BUILD)/bench/bench-sweep $(PDVAULT) $(BENCH_RECORDS)
	bench/bench-server.sh $(PDVAULT) $(BENCH_RECORDS)
	bench/bench-receipts.sh $(PDVAULT)
	@tools/deps.sh python3-aiosmtpd
	bench/bench-delivery.sh $(PDVAULT)

# issue 14's figures on PostgreSQL (BENCH_PG_N subjects, default 1M)
bench-pg: build
	@tools/deps.sh wrk
	BENCH_PG_N=$${BENCH_PG_N:-$(BENCH_RECORDS)} bench/bench-pg.sh $(PDVAULT)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(MATRIX_BUILD) out
