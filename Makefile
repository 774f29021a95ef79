# The two commands: `make run` and `make test` (README.md). Both install what is missing first.
.PHONY: deps run test bench bench-scale format build-release build-asan clean

JOBS ?= $(shell nproc)
DEMO_DIR ?= $(CURDIR)/demo-data
DEMO_KEY ?= $(CURDIR)/demo-keys/master.key

deps:
	@scripts/install-deps

build-release: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

build-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

# Starts koseki on its embedded SQLite store with a demo municipality (demo passphrase only here).
run: build-release
	@scripts/demo "$(CURDIR)/build/release/src/koseki/cli/koseki" "$(DEMO_DIR)" "$(DEMO_KEY)"

test: build-asan
	@ctest --preset asan

# The benchmarks' references (nginx, libvips) are installed before the build, which looks for them.
bench:
	@scripts/install-deps --bench
	@$(MAKE) --no-print-directory build-release
	@scripts/bench "$(CURDIR)/build/release"

# How `koseki gen` scales from 100,000 to 1,000,000 registers (takes a while; not in `make test`).
bench-scale: build-release
	@scripts/bench-scale "$(CURDIR)/build/release"

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build
