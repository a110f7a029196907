# bytetap top-level Makefile.
#
#   make            bin/bytetap (and build/module/bytetap.ko when kernel headers exist)
#   make check      every test; the last line is "N passed, N failed"
#   make asan       bin/bytetap-asan and the unit tests built with ASan+UBSan
#   make clean
#
# Layout: every bytecode/*.c is the freestanding VM core (also built into the
# module); every userland/**/*.c (subfolders too) is the compiler and front end; userland/main.c
# holds main().  selftests/unit/*.c are test programs, one behaviour area each,
# linked against everything but main.o.  vm-module/*.c is the kernel
# module (vm-module/Kbuild).  Every build product goes under build/ (and
# bin/), never beside the sources.

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wshadow=local
CPPFLAGS_ALL := -Ibytecode -Iuserland -D_GNU_SOURCE
STD     := -std=gnu11
LDLIBS  := -lbpf -lelf -ldw
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DBT_VM_DEBUG

CORE_SRC := $(wildcard bytecode/*.c)
USER_SRC := $(filter-out userland/main.c,$(shell find userland -name '*.c' | sort))
UNIT_SRC := $(filter-out selftests/unit/test_host.c,$(wildcard selftests/unit/*.c))

# The module's kbuild tree and the module itself (MODULE_KO): bin/bytetap
# loads it from there (userland/rt_kernel.c), selftests/vm/run copies it
# into the guest, the guest tests and bench/ insmod it from there.
MODULE_DIR   := build/module
MODULE_KO    := $(MODULE_DIR)/bytetap.ko

OBJ_DIR      := build/o
ASAN_DIR     := build/asan
CORE_OBJ     := $(CORE_SRC:%.c=$(OBJ_DIR)/%.o)
USER_OBJ     := $(USER_SRC:%.c=$(OBJ_DIR)/%.o)
CORE_OBJ_SAN := $(CORE_SRC:%.c=$(ASAN_DIR)/%.o)
USER_OBJ_SAN := $(USER_SRC:%.c=$(ASAN_DIR)/%.o)
UNIT_BIN     := $(UNIT_SRC:selftests/unit/%.c=build/unit/%)
UNIT_BIN_SAN := $(UNIT_SRC:selftests/unit/%.c=build/unit-asan/%)

# The kernel build tree: KDIR=... wins; else the running kernel's; else the
# newest one installed under /lib/modules.
KDIR ?= $(shell for d in /lib/modules/$$(uname -r)/build $$(ls -d /lib/modules/*/build 2>/dev/null | sort -V -r); do \
	  [ -f $$d/Makefile ] && { echo $$d; break; }; done)

.PHONY: all user freestanding module asan check unit clean
all: user freestanding module

user: bin/bytetap

bin/bytetap: $(OBJ_DIR)/userland/main.o $(USER_OBJ) $(CORE_OBJ)
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

bin/bytetap-asan: $(ASAN_DIR)/userland/main.o $(USER_OBJ_SAN) $(CORE_OBJ_SAN)
	@mkdir -p bin
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

# bin/bytetap finds the module of its build tree at <exe dir>/../$(MODULE_KO)
$(OBJ_DIR)/userland/rt_kernel.o $(ASAN_DIR)/userland/rt_kernel.o: CPPFLAGS_ALL += -DBT_MODULE_KO='"$(MODULE_KO)"'
$(OBJ_DIR)/userland/rt_kernel.o $(ASAN_DIR)/userland/rt_kernel.o: Makefile

$(OBJ_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(WARN) $(CPPFLAGS_ALL) -MMD -MP -c -o $@ $<

$(ASAN_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(SAN) $(WARN) $(CPPFLAGS_ALL) -MMD -MP -c -o $@ $<

build/unit/%: selftests/unit/%.c $(USER_OBJ) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(WARN) $(CPPFLAGS_ALL) -o $@ $^ $(LDLIBS)

build/unit-asan/%: selftests/unit/%.c $(USER_OBJ_SAN) $(CORE_OBJ_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(SAN) $(WARN) $(CPPFLAGS_ALL) -o $@ $^ $(LDLIBS)

# VM-core tests (vm_*, verify_*, load_*) run on a test host that records
# output, instead of the user runtime's host.  Besides the core they link
# the program builder and the user-space halves the test host needs: the
# regex compiler and the histogram text.
VM_UNIT_USER := progbuild util regex_compile hist_render
VM_UNIT     := $(filter build/unit/vm_% build/unit/verify_% build/unit/load_%,$(UNIT_BIN))
VM_UNIT_SAN := $(filter build/unit-asan/vm_% build/unit-asan/verify_% build/unit-asan/load_%,$(UNIT_BIN_SAN))
$(VM_UNIT): build/unit/%: selftests/unit/%.c selftests/unit/test_host.c $(VM_UNIT_USER:%=$(OBJ_DIR)/userland/%.o) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(WARN) $(CPPFLAGS_ALL) -o $@ $^

$(VM_UNIT_SAN): build/unit-asan/%: selftests/unit/%.c selftests/unit/test_host.c $(VM_UNIT_USER:%=$(ASAN_DIR)/userland/%.o) $(CORE_OBJ_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(CFLAGS) $(SAN) $(WARN) $(CPPFLAGS_ALL) -o $@ $^

# The generator-driven VM test also links the fuzzer's program generator
# (selftests/fuzz/gen.c, reason.c) and, to show a program by its seed, the disassembler.
build/unit/vm_survives_generated_programs: selftests/fuzz/gen.c selftests/fuzz/reason.c $(OBJ_DIR)/userland/disasm.o
build/unit-asan/vm_survives_generated_programs: selftests/fuzz/gen.c selftests/fuzz/reason.c $(ASAN_DIR)/userland/disasm.o

# The core's boundary (bytecode/README.md), checked by every `make`, with
# or without kernel headers: each bytecode/*.c compiles freestanding, with
# no header but the core's own and the compiler's (stddef.h, stdint.h,
# stdbool.h, stdarg.h), and the objects need nothing from outside but the
# host interface (bt_host_*(), bt_host.h) and the mem*() functions a C
# compiler may call (the kernel has them).  User-only code belongs in
# userland/.
FS_DIR    := build/freestanding
FS_OBJ    := $(CORE_SRC:bytecode/%.c=$(FS_DIR)/%.o)
FS_CFLAGS := -std=gnu11 -O2 -ffreestanding -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	     -Ibytecode $(WARN) -Werror=implicit-function-declaration
FS_EXTERN := ^(bt_host_[a-z_]+|memcpy|memmove|memset|memcmp)$$

freestanding: build/freestanding.stamp

$(FS_DIR)/%.o: bytecode/%.c
	@mkdir -p $(dir $@)
	$(CC) $(FS_CFLAGS) -MMD -MP -c -o $@ $<

build/freestanding.stamp: $(FS_OBJ)
	@nm --defined-only $(FS_OBJ) | awk 'NF == 3 { print $$3 }' | sort -u >$@.defined
	@bad=$$(nm -u $(FS_OBJ) | awk 'NF == 2 { print $$2 }' | sort -u | \
		grep -vxF -f $@.defined | grep -vE '$(FS_EXTERN)'); \
	rm -f $@.defined; \
	if [ -n "$$bad" ]; then \
	  echo "bytetap: bytecode/ is built into the kernel module and must be freestanding (bytecode/README.md), but it needs:" $$bad >&2; \
	  exit 1; \
	fi
	@touch $@

asan: bin/bytetap-asan $(UNIT_BIN_SAN)

unit: $(UNIT_BIN) $(UNIT_BIN_SAN)

# Kernels with module BTF (6.12) run pahole on the module; without it, skip BTF.
NO_BTF := $(if $(shell command -v pahole 2>/dev/null),,CONFIG_DEBUG_INFO_BTF_MODULES=)

# $(MODULE_KO), by kbuild (vm-module/Kbuild) against KDIR.  kbuild writes
# its objects beside the sources it is given (6.1 and 6.12 have no output
# directory for M=), so it is given $(MODULE_DIR): a tree of symlinks to
# vm-module/* and, in bytecode/, to bytecode/*, refreshed on every run
# (links to removed files are dropped).  Without kernel headers this says
# so and succeeds: the user-space parts stand alone.
module:
	@if [ -z "$(KDIR)" ]; then \
	  echo "bytetap: no kernel headers found (install linux-headers-$$(uname -r) or set KDIR=...); built the user-space parts only, not $(MODULE_KO)"; \
	elif [ ! -f $(KDIR)/Makefile ]; then \
	  echo "bytetap: KDIR=$(KDIR) is not a kernel build tree; built the user-space parts only, not $(MODULE_KO)"; \
	else \
	  mkdir -p $(MODULE_DIR)/bytecode && \
	  find $(MODULE_DIR) -xtype l -delete && \
	  for f in vm-module/Kbuild vm-module/*.[ch]; do ln -sfn ../../$$f $(MODULE_DIR)/; done && \
	  for f in bytecode/*.[ch]; do ln -sfn ../../../$$f $(MODULE_DIR)/bytecode/; done && \
	  $(MAKE) -C $(KDIR) M=$(CURDIR)/$(MODULE_DIR) $(NO_BTF) modules || exit 1; \
	fi

check: bin/bytetap bin/bytetap-asan unit
	@selftests/run

# build/ holds the module's build too ($(MODULE_DIR)).
clean:
	rm -rf build bin

# (kbuild keeps its own dependencies in build/module/.*.cmd)
-include $(shell find build -path $(MODULE_DIR) -prune -o -name '*.d' -print 2>/dev/null)
