# gatekeeper build.  `make` builds ./gatekeeper and plugins/<name>/<name>.so;
# `make test` runs every test, then all of them again under ASan + UBSan.
# V=1 shows the commands.  SANITIZE=address,undefined builds into build-asan/.

PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib/gatekeeper
DATADIR    ?= $(PREFIX)/share/gatekeeper
VERSION    := 0.1.0

CC         ?= cc
PKGS       := libpcre2-8 yaml-0.1 libcjson sqlite3 libcrypto libhs
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

ifdef SANITIZE
B          ?= build-asan
OUT        ?= $(B)
SAN_FLAGS  := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
              -fno-sanitize-recover=all
OPT        ?= -O1
else
B          ?= build
OUT        ?= .
OPT        ?= -O2
endif

WARN     := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wformat=2 \
            -Wstrict-prototypes -Wmissing-prototypes -Wvla
CPPFLAGS += -Iinclude -Icore -D_GNU_SOURCE \
            -DGK_VERSION='"$(VERSION)"' -DGK_LIBDIR='"$(LIBDIR)"' \
            -DGK_DATADIR='"$(DATADIR)"'
CFLAGS   ?= -g $(OPT)
CFLAGS   += -std=c11 $(WARN) -fPIC -MMD -MP $(PKG_CFLAGS) $(SAN_FLAGS)
LDFLAGS  += $(SAN_FLAGS)
LIBS     := $(PKG_LIBS) -ldl -lpthread -lm

ifeq ($(V),1)
Q :=
else
Q := @
endif

# ---- the host -----------------------------------------------------------
CORE_SRC  := $(wildcard core/*.c)
CORE_OBJ  := $(CORE_SRC:%.c=$(B)/%.o)
CORE_LIB  := $(B)/libgkcore.a
BIN       := $(OUT)/gatekeeper

# ---- plugins: every plugins/<name>/ with C sources is one .so -----------
PLUGIN_DIRS := $(patsubst %/,%,$(dir $(wildcard plugins/*/*.c)))
PLUGIN_NAMES := $(sort $(notdir $(PLUGIN_DIRS)))
PLUGIN_SOS := $(foreach p,$(PLUGIN_NAMES),$(OUT)/plugins/$(p)/$(p).so)

# ---- tests --------------------------------------------------------------
SUPPORT_SRC := $(wildcard tests/support/*.c)
SUPPORT_OBJ := $(SUPPORT_SRC:%.c=$(B)/%.o)
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
PTEST_SRC   := $(wildcard tests/plugins/*/test_*.c)
PTEST_BIN   := $(foreach s,$(PTEST_SRC),$(B)/tests/$(word 3,$(subst /, ,$(s)))_$(notdir $(s:.c=)))

.PHONY: all deps test-deps scan test check unit e2e sanitize fuzz bench \
        install \
        clean format tests

all: $(BIN) $(PLUGIN_SOS)

# Keep objects that only feed a test binary.
.SECONDARY:

deps:
	$(Q)sh scripts/deps.sh

# What the tests need besides the build: tools from Debian, and the
# report validators from the npm registry (pinned in tests/tools/).
test-deps:
	$(Q)sh scripts/deps.sh test
	$(Q)sh tests/tools/install.sh

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(CORE_LIB): $(filter-out $(B)/core/main.o,$(CORE_OBJ))
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(B)/core/main.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -rdynamic -o $@ $^ $(LIBS)

define plugin_rule
$(OUT)/plugins/$(1)/$(1).so: $(patsubst %.c,$(B)/%.o,$(wildcard plugins/$(1)/*.c))
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  SO      $$@")
	$$(Q)$$(CC) $$(LDFLAGS) -shared -o $$@ $$^ $$(LIBS)
endef
$(foreach p,$(PLUGIN_NAMES),$(eval $(call plugin_rule,$(p))))

# A core test links the core library; a plugin test links its plugin's
# objects and the mock host in tests/support/.
$(B)/tests/test_%: $(B)/tests/unit/test_%.o $(CORE_LIB) $(SUPPORT_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -rdynamic -o $@ $^ $(CORE_LIB) $(LIBS) $(CMOCKA_LIBS)

define ptest_rule
$(B)/tests/$(1)_$(2): $(B)/tests/plugins/$(1)/$(2).o \
		$(patsubst %.c,$(B)/%.o,$(wildcard plugins/$(1)/*.c)) \
		$(SUPPORT_OBJ)
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  LINK    $$@")
	$$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LIBS) $$(CMOCKA_LIBS)
endef
$(foreach s,$(PTEST_SRC),$(eval $(call ptest_rule,$(word 3,$(subst /, ,$(s))),$(notdir $(s:.c=)))))

tests: all $(UNIT_BIN) $(PTEST_BIN)

# Runs every test binary and the end-to-end suite against this build.
unit: tests
	$(Q)sh tests/run.sh "$(B)" "$(OUT)"

scan: deps
	$(Q)$(MAKE) --no-print-directory all
	./gatekeeper scan .

# The sanitizer run goes last so that its "tests: N passed, N failed"
# line closes the output.
test: deps test-deps
	$(Q)$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=0
	$(Q)$(MAKE) --no-print-directory unit
	$(Q)$(MAKE) --no-print-directory sanitize

check: test

sanitize:
	$(Q)$(MAKE) --no-print-directory SANITIZE=address,undefined unit

# Fuzz targets need clang's libFuzzer: make fuzz FUZZ_SECONDS=60
FUZZ_SECONDS ?= 20
fuzz:
	$(Q)sh tests/fuzz/run.sh $(FUZZ_SECONDS)

bench: all
	$(Q)sh bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR) $(DESTDIR)$(DATADIR)
	install -m 755 gatekeeper $(DESTDIR)$(PREFIX)/bin/gatekeeper
	for p in $(PLUGIN_NAMES); do \
		install -m 644 plugins/$$p/$$p.so $(DESTDIR)$(LIBDIR)/$$p.so; done
	cp -r rules $(DESTDIR)$(DATADIR)/

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-asan build-fuzz gatekeeper plugins/*/*.so

-include $(CORE_OBJ:.o=.d) $(SUPPORT_OBJ:.o=.d)
-include $(wildcard $(B)/plugins/*/*.d) $(wildcard $(B)/tests/*/*.d) \
         $(wildcard $(B)/tests/plugins/*/*.d)
