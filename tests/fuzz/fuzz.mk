# SPDX-License-Identifier: Apache-2.0
#
# Fuzzing with libFuzzer.  Included from the top Makefile, after LIB_SRCS
# and RULES are defined (it falls back to scanner/*.c and rules/*.yaml).
#
# One target per entry point, each tests/fuzz/fuzz_<target>.c:
#   rules      YAML rules loader, then a scan with the rules that built
#   policy     policy loader, then verdicts with the policy that loaded
#   html xml markdown json csv email office pdf image
#              one extractor each, on any bytes, with the extraction
#              checked against extract.h, then the whole pipeline
#              (json: also JSON Lines; csv: also TSV; email: also mbox;
#              office: a zip, or a list of "=== NAME" parts it zips)
#   normalise  rs_normalise and its offset map, invariants asserted
#   archive    rs_archive_read over any bytes, then a scan of them
#   refindex   rs_ref_open of a reference index (the input with its
#              checksum made right), then matching a fixed text against
#              it, and the index copied as `index add` does and read back
#
#   make fuzz-build    clang + libFuzzer + ASan/UBSan build in $(BUILD)/fuzz/
#                      (its own objects: never mixed with the normal build)
#   make fuzz          each target FUZZ_TIME seconds (default 60), FUZZ_JOBS
#                      at once (default 2), FUZZ_TARGETS="html xml" for some;
#                      fails on any crash, leak, timeout or out-of-memory
#   make fuzz-ci       the same, FUZZ_CI_TIME seconds each (default 15):
#                      about two minutes on two cores once built
#   make fuzz-regress  the libFuzzer binaries run once over every file in
#                      tests/fuzz/regressions/<target>/ and the corpus
#   make fuzz-replay   the same files through replay_main.c, built with
#                      $(CC) against $(BUILD)/librightscan.a (no clang
#                      needed): for `make test` and `make test-sanitize`
#
# Corpora: tests/fuzz/corpus/<target>/ (committed: small, synthetic or the
# clean "staff" twins of the fixtures, no agency text), plus read-only
# seeds from fixtures/ and rules/ that tests/fuzz/seeds.sh prepares in
# $(BUILD)/fuzz/seeds/ at fuzz time.  A run fuzzes a scratch copy of the
# corpus, so new inputs never land in the work tree; crashes are saved in
# $(BUILD)/fuzz/artifacts/<target>/ and logs in $(BUILD)/fuzz/logs/.  A
# crash that is fixed becomes tests/fuzz/regressions/<target>/<what-it-was>.
#
# Needs (Debian 12): clang-14 libclang-rt-14-dev (libFuzzer and the
# sanitizer runtimes) and llvm-14 (llvm-symbolizer, for readable stacks).

FUZZ_TARGET_LIST := rules policy html xml markdown json csv email office pdf image normalise archive \
                    refindex
FUZZ_TARGETS  ?= $(FUZZ_TARGET_LIST)
FUZZ_TIME     ?= 60
FUZZ_CI_TIME  ?= 15
FUZZ_JOBS     ?= 2
FUZZ_DEB_PKGS := clang-14 libclang-rt-14-dev llvm-14
FUZZ_CC       ?= $(firstword $(shell command -v clang clang-14 2>/dev/null) clang)

FUZZ_DIR        := $(BUILD)/fuzz
FUZZ_REPLAY_DIR := $(BUILD)/fuzz-replay
FUZZ_SRC        := tests/fuzz

# -O1 and frame pointers for usable stacks; UBSan findings abort like ASan
# ones, or libFuzzer would only print them and go on.
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_LIB_SRCS = $(or $(LIB_SRCS),$(sort $(wildcard scanner/*.c)))
FUZZ_RULES    = $(or $(RULES),$(sort $(wildcard rules/*.yaml)))
FUZZ_PKGS     = $(or $(PKGS),libpcre2-8 yaml-0.1 libarchive libxml-2.0 libhs libxxhash)
FUZZ_INC      = $(or $(STD),-std=c11 -D_GNU_SOURCE) -Iinclude -iquote scanner -iquote $(FUZZ_SRC) \
                $(shell pkg-config --cflags $(FUZZ_PKGS) 2>/dev/null)
FUZZ_LIBS     = $(shell pkg-config --libs $(FUZZ_PKGS) 2>/dev/null) -lpthread -ldl

# The built-in prefilter database is not embedded here (the normal build
# compiles it with a tool of its own): the empty stand-in makes the fuzz
# targets compile it at start-up, as they do for every fuzzed rule set.
FUZZ_LIB_OBJS = $(FUZZ_LIB_SRCS:%.c=$(FUZZ_DIR)/obj/%.o) $(FUZZ_DIR)/obj/gen/builtin_rules.o \
                $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(wildcard scanner/tools/no_builtin_prefilter.c))
FUZZ_BINS     = $(FUZZ_TARGET_LIST:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_REPLAY_BINS = $(FUZZ_TARGET_LIST:%=$(FUZZ_REPLAY_DIR)/fuzz_%)
FUZZ_OBJS     = $(patsubst %,$(FUZZ_DIR)/obj/$(FUZZ_SRC)/%.o,$(FUZZ_TARGET_LIST:%=fuzz_%) fuzz_common)
FUZZ_REPLAY_OBJS = $(patsubst %,$(FUZZ_REPLAY_DIR)/obj/%.o,$(FUZZ_TARGET_LIST:%=fuzz_%) fuzz_common replay_main)

# Made by pattern rules on the way to a binary: keep them, or every build
# would compile them again.
.SECONDARY: $(FUZZ_OBJS) $(FUZZ_REPLAY_OBJS)

.PHONY: fuzz-build fuzz fuzz-ci fuzz-regress fuzz-replay fuzz-check-clang fuzz-seeds

fuzz-check-clang:
	@command -v $(FUZZ_CC) >/dev/null 2>&1 || { \
	  echo "fuzz: $(FUZZ_CC) not found; on Debian: apt-get install $(FUZZ_DEB_PKGS)" >&2; exit 1; }
	@echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; return (int)n * 0; }' | \
	  $(FUZZ_CC) -x c -fsanitize=fuzzer - -o /dev/null 2>/dev/null || { \
	  echo "fuzz: $(FUZZ_CC) cannot link libFuzzer; on Debian: apt-get install $(FUZZ_DEB_PKGS)" >&2; exit 1; }

# --- the libFuzzer build: every object of the library again, with clang,
# coverage for libFuzzer (fuzzer-no-link) and the sanitizers ---------------
$(FUZZ_DIR)/obj/%.o: %.c | fuzz-check-clang
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_INC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_DIR)/tools/embed_rules: scanner/tools/embed_rules.c
	@mkdir -p $(dir $@)
	$(CC) $(or $(STD),-std=c11 -D_GNU_SOURCE) -O1 $< -o $@

$(FUZZ_DIR)/gen/builtin_rules.c: $(FUZZ_RULES) $(FUZZ_DIR)/tools/embed_rules
	@mkdir -p $(dir $@)
	$(FUZZ_DIR)/tools/embed_rules $@ $(FUZZ_RULES)

$(FUZZ_DIR)/obj/gen/builtin_rules.o: $(FUZZ_DIR)/gen/builtin_rules.c | fuzz-check-clang
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(or $(STD),-std=c11) $(FUZZ_CFLAGS) -Wno-comment -c $< -o $@

$(FUZZ_DIR)/librightscan-fuzz.a: $(FUZZ_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/$(FUZZ_SRC)/fuzz_%.o $(FUZZ_DIR)/obj/$(FUZZ_SRC)/fuzz_common.o \
                    $(FUZZ_DIR)/librightscan-fuzz.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ $(FUZZ_LIBS) -o $@

fuzz-build: $(FUZZ_BINS)

# Seeds with the fixtures' agency-like text, made where git does not look,
# again when the scripts that make them change (after changing fixtures:
# rm -r $(BUILD)/fuzz/seeds).
FUZZ_SEED_STAMP := $(FUZZ_DIR)/seeds/.made
$(FUZZ_SEED_STAMP): $(FUZZ_SRC)/seeds.sh $(wildcard tests/e2e/gen/*.sh)
	@sh $(FUZZ_SRC)/seeds.sh fixtures $(FUZZ_DIR)/seeds
	@touch $@

fuzz-seeds: $(FUZZ_SEED_STAMP)

fuzz: fuzz-build fuzz-seeds
	@sh $(FUZZ_SRC)/run.sh $(FUZZ_DIR) $(FUZZ_TIME) $(FUZZ_JOBS) $(FUZZ_TARGETS)

fuzz-ci: fuzz-build fuzz-seeds
	@sh $(FUZZ_SRC)/run.sh $(FUZZ_DIR) $(FUZZ_CI_TIME) $(FUZZ_JOBS) $(FUZZ_TARGETS)

# libFuzzer runs each file given as an argument once and exits.
fuzz-regress: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  set -- $(FUZZ_SRC)/regressions/$$t $(FUZZ_SRC)/corpus/$$t; files=; \
	  for d in "$$@"; do [ -d "$$d" ] && files="$$files $$(find "$$d" -type f ! -name '.*' | sort)"; done; \
	  [ -n "$$files" ] || continue; \
	  $(FUZZ_DIR)/fuzz_$$t -rss_limit_mb=2048 -timeout=10 $$files >$(FUZZ_DIR)/regress-$$t.log 2>&1 || { \
	    tail -n 40 $(FUZZ_DIR)/regress-$$t.log; echo "fuzz-regress: $$t FAILED" >&2; exit 1; }; \
	  echo "fuzz-regress: $$t: $$(echo $$files | wc -w) inputs ok"; \
	done

# --- replay without libFuzzer: the normal compiler, flags and library -------
$(FUZZ_REPLAY_DIR)/obj/%.o: $(FUZZ_SRC)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(or $(ALL_CFLAGS),$(FUZZ_INC) $(CFLAGS)) -iquote $(FUZZ_SRC) -c $< -o $@

$(FUZZ_REPLAY_DIR)/fuzz_%: $(FUZZ_REPLAY_DIR)/obj/fuzz_%.o $(FUZZ_REPLAY_DIR)/obj/fuzz_common.o \
                           $(FUZZ_REPLAY_DIR)/obj/replay_main.o $(BUILD)/librightscan.a
	$(CC) $(CFLAGS) $^ $(LDFLAGS) $(or $(ALL_LDLIBS),$(FUZZ_LIBS)) -o $@

fuzz-replay: $(FUZZ_REPLAY_BINS)
	@status=0; for t in $(FUZZ_TARGET_LIST); do \
	  set --; for d in $(FUZZ_SRC)/regressions/$$t $(FUZZ_SRC)/corpus/$$t; do [ -d "$$d" ] && set -- "$$@" "$$d"; done; \
	  [ $$# -gt 0 ] || continue; \
	  $(FUZZ_REPLAY_DIR)/fuzz_$$t "$$@" || { status=1; echo "fuzz-replay: $$t FAILED" >&2; }; \
	done; exit $$status
