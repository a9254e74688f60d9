# Thin wrapper over CMake for the two quick-start commands.
BUILD ?= build
JOBS ?= $(shell nproc)
WERROR ?= OFF

.PHONY: all deps configure build demo test clean

all: build

deps:
	@bash scripts/install-deps

# Unity batches and precompiled headers (cmake/BuildSpeed.cmake) for a fast build from clean.
configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DCALKIT_UNITY_BUILD=ON -DCALKIT_WERROR=$(WERROR) > /dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The demo needs only the calkit program, not the tests and benches.
demo: configure
	@cmake --build $(BUILD) -j $(JOBS) --target calkit
	@bash scripts/demo $(BUILD)

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD)

# libFuzzer runs of every tests/fuzz/fuzz_*.cpp (clang, ASan, UBSan), FUZZ_SECONDS each.
# Seeds come from tests/fuzz/corpus/<name>/; new inputs collect in $(FUZZ_BUILD)/corpus/.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_FLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -g
.PHONY: fuzz
fuzz: deps
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCALKIT_LIBFUZZER=ON -DCALKIT_BUILD_BENCH=OFF \
	  "-DCMAKE_C_FLAGS=$(FUZZ_FLAGS)" "-DCMAKE_CXX_FLAGS=$(FUZZ_FLAGS)" > /dev/null
	@set -e; for source in tests/fuzz/fuzz_*.cpp; do \
	  target=$$(basename $$source .cpp); seeds=tests/fuzz/corpus/$${target#fuzz_}; \
	  [ -d $$seeds ] || seeds=tests/fuzz/corpus/$$target; mkdir -p $$seeds $(FUZZ_BUILD)/corpus/$$target; \
	  cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $$target; \
	  echo "fuzz: $$target for $(FUZZ_SECONDS) s"; \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  $(FUZZ_BUILD)/tests/fuzz/$$target -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/$$target- $(FUZZ_BUILD)/corpus/$$target $$seeds; \
	done
