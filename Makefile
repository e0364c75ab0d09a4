# The microhypervisor: `make` builds everything, `make run` boots it in
# QEMU, `make test` runs the unit tests and the emulator boot matrix,
# `make storm` the hypercall storm on the three testbeds.
# Each target first installs the Debian packages it needs and no more
# (tools/deps.sh, by group); `make deps` installs those of every target. `make efi`
# builds hv.efi (UEFI without GRUB), `make run-efi` boots it.

BUILD := build
CC := gcc
LD := ld

HV_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fno-builtin -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fno-stack-protector -fno-pic -fno-pie -mcmodel=small \
	-mno-red-zone -mgeneral-regs-only -fcf-protection=none \
	-fno-omit-frame-pointer -fno-optimize-sibling-calls \
	-fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables \
	-I. -MMD -MP
HV_ASFLAGS := -I. -I$(BUILD)/include -D__ASSEMBLY__ -MMD -MP -fno-pic -fno-pie
HV_LDFLAGS := -n -nostdlib -static -z max-page-size=4096 -z noexecstack \
	-T linker/hv.ld

# The constants and struct offsets of the assembly, generated from the C
# headers (see the file); built, never linked.
ASM_OFFSETS_SRC := arch/x86/asm_offsets.c
ASM_OFFSETS := $(BUILD)/include/asm_offsets.h
HV_SRCS := $(filter-out $(ASM_OFFSETS_SRC),$(wildcard boot/*.c boot/*.S lib/*.c hv/*.c \
	arch/x86/*.c arch/x86/*.S arch/x86/svm/*.c arch/x86/svm/*.S arch/x86/vmx/*.c \
	arch/x86/vmx/*.S drivers/*.c))
HV_OBJS := $(patsubst %,$(BUILD)/hv/%.o,$(HV_SRCS))

# Guests link two archives (guests/lib/README.md says how an outside guest
# does the same): libhv.a, the runtime every guest needs (entry, console,
# traps, ring 3, the hypercall wrappers over abi/hv_abi.h, and lib/'s
# printf, string and ELF code), and libhvtest.a, the XTF-style test
# runtime that supplies guest_entry() for guests that define test_main().
LIBHV := $(BUILD)/libhv.a
LIBHVTEST := $(BUILD)/libhvtest.a
LIBHV_SRCS := $(filter-out guests/lib/test.c,$(wildcard guests/lib/*.c guests/lib/*.S)) \
	lib/printf.c lib/string.c lib/elf.c
LIBHV_OBJS := $(patsubst %,$(BUILD)/guest/%.o,$(LIBHV_SRCS))
LIBHVTEST_OBJS := $(BUILD)/guest/guests/lib/test.c.o
GUEST_LIB_OBJS := $(LIBHV_OBJS) $(LIBHVTEST_OBJS)
GUEST_LDFLAGS := -n -nostdlib -static -z max-page-size=4096 -z noexecstack \
	-T linker/guest.ld
GUEST_NAMES := $(basename $(notdir $(wildcard guests/test/*.c guests/child/*.c)))
MGMT_SRCS := $(wildcard guests/mgmt/*.c)
MGMT_OBJS := $(patsubst %,$(BUILD)/guest/%.o,$(MGMT_SRCS))
STORM_SRCS := $(wildcard guests/storm/*.c)
STORM_OBJS := $(patsubst %,$(BUILD)/guest/%.o,$(STORM_SRCS))
ABI_CALLERS := old current future
MULTI_GUESTS := leak realmode cpuidset vlapic
GUEST_EXTRA := bench
MB1_KERNELS := mbhello mmio32 mbmods
GUEST_ELFS := $(patsubst %,$(BUILD)/guests/%.elf,$(GUEST_NAMES)) $(BUILD)/guests/boot32.elf \
	$(MB1_KERNELS:%=$(BUILD)/guests/%.elf) $(BUILD)/guests/mblow.elf $(BUILD)/guests/mbreal.bin \
	$(patsubst %,$(BUILD)/guests/abi-%.elf,$(ABI_CALLERS)) $(BUILD)/guests/bench.elf \
	$(patsubst %,$(BUILD)/guests/%.elf,$(MULTI_GUESTS)) \
	$(BUILD)/guests/storm.elf \
	$(if $(wildcard guests/mgmt/*.c),$(BUILD)/guests/mgmt.elf) \
	$(BUILD)/guests/mgmt-v1.elf $(BUILD)/guests/abi-v1.elf
GUEST32_CFLAGS := $(filter-out -mcmodel=small,$(HV_CFLAGS)) -m32

UNIT_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all -I.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))
FUZZ_BINS := $(BUILD)/fuzz_decode $(BUILD)/fuzz_insn $(BUILD)/fuzz_walk

QEMU := qemu-system-x86_64
# The machine every QEMU target boots. QEMU_FLAGS adds to it:
# `make run QEMU_FLAGS=-s` and `make run QEMU_FLAGS+=-s` both append.
QEMU_MACHINE := -accel tcg -cpu EPYC -m 256 -machine q35 -display none \
	-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04
QEMU_FLAGS :=
# QEMU's exit status for the hypervisor's verdict: 33 is PASS (35 FAIL,
# 37 UNSUPPORTED); Ctrl-A X quits with 0.
QEMU_PASSED := || [ $$? -eq 33 ]

# What make run (run-efi, debug) boots, each settable on make's command
# line: the hypervisor's command line CMDLINE, hvctl's SCRIPT, and VMS,
# the guests hvctl gets as boot modules (NAME for build/guests/NAME.elf,
# or NAME=FILE). onidle=exit: hvctl's `exit` ends the machine with the
# verdict (an onidle= in CMDLINE comes later and wins).
CMDLINE := loglevel=info
SCRIPT := vm create hello hello; vm create mandel mandel; vm run
VMS := hello mandel
RUN_CMDLINE := onidle=exit $(CMDLINE)
vm_name = $(firstword $(subst =, ,$1))
vm_file = $(if $(findstring =,$1),$(patsubst $(call vm_name,$1)=%,%,$1),$(BUILD)/guests/$1.elf)
RUN_MODULES := $(BUILD)/guests/mgmt.elf 'mgmt mgmt.script="$(SCRIPT)"' \
	$(foreach v,$(VMS),$(call vm_file,$v) $(call vm_name,$v))
RUN_DEPS := $(BUILD)/guests/mgmt.elf $(foreach v,$(VMS),$(call vm_file,$v))
RUN_ISO := $(BUILD)/hv.iso

# Values that are build inputs: $(call stamp,FILE,TEXT) is FILE, written
# with TEXT when it holds something else, so an image that depends on it
# is made again exactly when TEXT changed. same: $1 and $2 are equal
# (each is the other repeated, so once).
same = $(if $(subst $1,,$2)$(subst $2,,$1),,same)
stamp = $(if $(call same,$(file <$1),$2),,$(shell mkdir -p $(dir $1))$(file >$1,$2))$1
RUN_STAMP := $(call stamp,$(RUN_ISO).config,$(RUN_CMDLINE) $(RUN_MODULES))

.PHONY: all iso run test test-long debug clean deps unit guests bench profile fuzz tools storm linux \
	run-linux
all: $(BUILD)/hv.elf iso guests tools $(UNIT_BINS) $(FUZZ_BINS)

# Host tools: the ABI decoder (the "lsvfio" of this ABI) and the trace
# buffer's summary (the xenalyze of hvctl's `trace dump`).
tools: $(BUILD)/hvdump $(BUILD)/hvtrace

HVDUMP_SRCS := tools/hvdump.c tools/abi_print.c tools/abi_parse.c lib/abi_text.c lib/printf.c

$(BUILD)/hvdump: $(HVDUMP_SRCS) tools/abi_print.h tools/abi_parse.h lib/abi_text.h \
		abi/hv_abi.h abi/hv_abi.def
	@mkdir -p $(BUILD)
	@echo "  HOSTCC tools/hvdump.c"
	@$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -I. $(HVDUMP_SRCS) -o $@

$(BUILD)/hvtrace: tools/hvtrace.c abi/hv_abi.h abi/hv_abi.def
	@mkdir -p $(BUILD)
	@echo "  HOSTCC tools/hvtrace.c"
	@$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -I. tools/hvtrace.c -o $@

# libFuzzer targets: the hypercall decode layer, the instruction-length
# decoder against Zydis (libzydis-dev), and the guest page-table walker.
# `make test` runs each briefly with a fixed seed, `make fuzz` each for
# FUZZ_SECONDS with its corpus under $(BUILD).
FUZZ_SECONDS ?= 300
# Inputs that crash a target are saved under $(BUILD), not in the tree.
FUZZ_ARTIFACTS := -artifact_prefix=$(BUILD)/
FUZZ_CFLAGS := -std=gnu11 -g -O1 -I. -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(BUILD)/fuzz_decode: tests/fuzz/fuzz_decode.c hv/uaccess.c hv/uaccess.h hv/trace_format.c \
		lib/abi_text.c tools/abi_parse.c lib/printf.c abi/hv_abi.h abi/hv_abi.def
	@mkdir -p $(BUILD)
	@echo "  FUZZ  tests/fuzz/fuzz_decode.c"
	@clang $(FUZZ_CFLAGS) tests/fuzz/fuzz_decode.c -o $@

$(BUILD)/fuzz_insn: tests/fuzz/fuzz_insn.c arch/x86/insn_len.c arch/x86/insn_len.h
	@mkdir -p $(BUILD)
	@echo "  FUZZ  tests/fuzz/fuzz_insn.c"
	@clang $(FUZZ_CFLAGS) tests/fuzz/fuzz_insn.c -lZydis -o $@

$(BUILD)/fuzz_walk: tests/fuzz/fuzz_walk.c arch/x86/guest_walk.c arch/x86/guest_walk.h
	@mkdir -p $(BUILD)
	@echo "  FUZZ  tests/fuzz/fuzz_walk.c"
	@clang $(FUZZ_CFLAGS) tests/fuzz/fuzz_walk.c -o $@

fuzz: $(FUZZ_BINS)
	@mkdir -p $(BUILD)/fuzz-corpus $(BUILD)/fuzz-corpus-insn $(BUILD)/fuzz-corpus-walk
	$(BUILD)/fuzz_decode -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARTIFACTS) $(BUILD)/fuzz-corpus
	$(BUILD)/fuzz_insn -max_total_time=$(FUZZ_SECONDS) -max_len=16 $(FUZZ_ARTIFACTS) \
		$(BUILD)/fuzz-corpus-insn
	$(BUILD)/fuzz_walk -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARTIFACTS) $(BUILD)/fuzz-corpus-walk

guests: $(GUEST_ELFS)

iso: $(RUN_ISO)

deps:
	@sh tools/deps.sh test

# deps-GROUP: the packages of one group (see tools/deps.sh). Rules name
# them as order-only prerequisites, so a group is checked once per make
# run and before anything that needs it.
DEPS_GROUPS := build iso run efi run-efi fuzz bochs acpi linux profile test
.PHONY: $(addprefix deps-,$(DEPS_GROUPS))
$(addprefix deps-,$(DEPS_GROUPS)):
	@sh tools/deps.sh $(@:deps-%=%)

# --- the hypervisor image -------------------------------------------------

$(BUILD)/hv/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(HV_CFLAGS) -c $< -o $@

$(BUILD)/hv/%.S.o: %.S $(ASM_OFFSETS)
	@mkdir -p $(dir $@)
	@echo "  AS    $<"
	@$(CC) $(HV_ASFLAGS) -c $< -o $@

$(ASM_OFFSETS): $(ASM_OFFSETS_SRC)
	@mkdir -p $(dir $@)
	@echo "  GEN   $@"
	@$(CC) $(HV_CFLAGS) -MF $(@:.h=.d) -MT $@ -S $< -o $(@:.h=.s)
	@{ echo "/* Generated from $<: do not edit. */"; \
	  echo "#ifndef ASM_OFFSETS_H"; echo "#define ASM_OFFSETS_H"; \
	  sed -n 's/^.*"@asm_offsets \([A-Z0-9_]*\) \$$\(-\{0,1\}[0-9]*\)"$$/#define \1 \2/p' \
		$(@:.h=.s); echo "#endif"; } >$@.tmp && mv $@.tmp $@
-include $(ASM_OFFSETS:.h=.d)

# Two links: the first with an empty symbol table, the second with the
# table generated from the first. .ksyms is placed last, so no function
# moves between the two; the check below proves it.
$(BUILD)/ksyms0.S: tools/gensyms.sh
	@mkdir -p $(BUILD)
	sh tools/gensyms.sh >$@

$(BUILD)/%.o: $(BUILD)/%.S
	$(CC) $(HV_ASFLAGS) -c $< -o $@

$(BUILD)/hv.pass1.elf: $(HV_OBJS) $(BUILD)/ksyms0.o linker/hv.ld
	$(LD) $(HV_LDFLAGS) -o $@ $(HV_OBJS) $(BUILD)/ksyms0.o

$(BUILD)/ksyms.S: $(BUILD)/hv.pass1.elf tools/gensyms.sh
	sh tools/gensyms.sh $< >$@

$(BUILD)/hv.elf: $(HV_OBJS) $(BUILD)/ksyms.o linker/hv.ld
	$(LD) $(HV_LDFLAGS) -o $@ $(HV_OBJS) $(BUILD)/ksyms.o
	@sh tools/gensyms.sh $@ | cmp -s - $(BUILD)/ksyms.S || \
		{ echo "symbol table does not match the final link" >&2; rm -f $@; exit 1; }

$(RUN_ISO): $(BUILD)/hv.elf $(RUN_DEPS) tools/mkiso.sh Makefile $(RUN_STAMP)
	sh tools/mkiso.sh $@ $< "$(RUN_CMDLINE)" $(RUN_MODULES)

# --- guests ---------------------------------------------------------------

$(MB1_KERNELS:%=$(BUILD)/guests/%.elf): $(BUILD)/guests/%.elf: guests/test32/%.c \
		guests/test32/start_mb1.S guests/test32/io32.h linker/guest32.ld
	@mkdir -p $(BUILD)/guest32 $(dir $@)
	@echo "  CC    guests/test32/$* (multiboot v1 kernel)"
	@$(CC) $(GUEST32_CFLAGS) -c guests/test32/$*.c -o $(BUILD)/guest32/$*.o
	@$(CC) -m32 $(HV_ASFLAGS) -c guests/test32/start_mb1.S -o $(BUILD)/guest32/start_mb1-$*.o
	@$(LD) -m elf_i386 -n -nostdlib -static -z noexecstack -T linker/guest32.ld \
		-o $@ $(BUILD)/guest32/start_mb1-$*.o $(BUILD)/guest32/$*.o

# mbmods linked at 64 KiB: a kernel in a PC's conventional memory.
$(BUILD)/guests/mblow.elf: $(BUILD)/guests/mbmods.elf
	@echo "  LD    guests/test32/mbmods at 0x10000 (mblow)"
	@$(LD) -m elf_i386 -n -nostdlib -static -z noexecstack -T linker/guest32.ld \
		-Ttext=0x10000 -o $@ $(BUILD)/guest32/start_mb1-mbmods.o $(BUILD)/guest32/mbmods.o

# A flat multiboot image at 0x8000 (the header's address fields) that
# switches to real mode.
$(BUILD)/guests/mbreal.bin: guests/test32/mbreal.S
	@mkdir -p $(BUILD)/guest32 $(dir $@)
	@echo "  AS    guests/test32/mbreal (multiboot v1, real mode at 0x8000)"
	@$(CC) -m32 $(HV_ASFLAGS) -c $< -o $(BUILD)/guest32/mbreal.o
	@$(LD) -m elf_i386 -nostdlib -static -Ttext=0x8000 -e _start --oformat binary \
		-o $@ $(BUILD)/guest32/mbreal.o

$(BUILD)/guests/boot32.elf: guests/test32/boot32.c guests/test32/start32.S guests/test32/io32.h linker/guest32.ld
	@mkdir -p $(BUILD)/guest32 $(dir $@)
	@echo "  CC    guests/test32 (32-bit guest)"
	@$(CC) $(GUEST32_CFLAGS) -c guests/test32/boot32.c -o $(BUILD)/guest32/boot32.o
	@$(CC) -m32 $(HV_ASFLAGS) -c guests/test32/start32.S -o $(BUILD)/guest32/start32.o
	@$(LD) -m elf_i386 -n -nostdlib -static -z noexecstack -T linker/guest32.ld \
		-o $@ $(BUILD)/guest32/start32.o $(BUILD)/guest32/boot32.o

$(BUILD)/guest/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $< (guest)"
	@$(CC) $(HV_CFLAGS) -c $< -o $@

$(BUILD)/guest/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS    $< (guest)"
	@$(CC) $(HV_ASFLAGS) -c $< -o $@

# The archives; an object is only linked into a guest when it needs it.
$(LIBHV): $(LIBHV_OBJS)
$(LIBHVTEST): $(LIBHVTEST_OBJS)
$(LIBHV) $(LIBHVTEST):
	@echo "  AR    $@"
	@rm -f $@
	@$(AR) rcs $@ $^

# A guest: its objects, then libhvtest.a (if listed) before libhv.a.
define guest_link
	@mkdir -p $(dir $@)
	@echo "  LD    $@"
	@$(LD) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^)
endef

# The ABI compatibility guest, built once per caller generation.
abi_caller_old := 0
abi_caller_current := 1
abi_caller_future := 2
$(BUILD)/guests/abi-%.elf: guests/abi/abi.c guests/abi/abi_vmm.c guests/abi/abi_child.S \
		guests/abi/abi.h guests/abi/abi_child.h $(LIBHVTEST) $(LIBHV) linker/guest.ld
	@mkdir -p $(BUILD)/guest/abi-$* $(dir $@)
	@echo "  CC    guests/abi ($* caller)"
	@for f in abi abi_vmm; do $(CC) $(HV_CFLAGS) -DABI_CALLER=$(abi_caller_$*) \
		-c guests/abi/$$f.c -o $(BUILD)/guest/abi-$*/$$f.o || exit 1; done
	@$(CC) $(HV_ASFLAGS) -c guests/abi/abi_child.S -o $(BUILD)/guest/abi-$*/abi_child.o
	@$(LD) $(GUEST_LDFLAGS) -o $@ $(BUILD)/guest/abi-$*/*.o $(LIBHVTEST) $(LIBHV)

# The management guest (VM 0): its own entry and libhv.
$(BUILD)/guests/mgmt.elf: $(MGMT_OBJS) $(LIBHV) linker/guest.ld
	$(guest_link)

# hvctl and the ABI guest built against the frozen v1 headers (abi/v1), with
# a libhv of their own: $(V1_INCLUDE)/abi/ holds copies of abi/v1/*, found
# before the live abi/ for every #include "abi/...".
V1_INCLUDE := $(BUILD)/abi-v1
V1_HEADERS := $(patsubst abi/v1/%,$(V1_INCLUDE)/abi/%,$(wildcard abi/v1/hv_*))
LIBHV_V1 := $(BUILD)/libhv-v1.a
LIBHVTEST_V1 := $(BUILD)/libhvtest-v1.a
LIBHV_V1_OBJS := $(patsubst %,$(BUILD)/guest-v1/%.o,$(LIBHV_SRCS))
LIBHVTEST_V1_OBJS := $(BUILD)/guest-v1/guests/lib/test.c.o
MGMT_V1_OBJS := $(patsubst %,$(BUILD)/guest-v1/%.o,$(MGMT_SRCS))
ABI_V1_OBJS := $(patsubst %,$(BUILD)/guest-v1/%.o,guests/abi/abi.c guests/abi/abi_vmm.c \
	guests/abi/abi_child.S)
GUEST_V1_OBJS := $(LIBHV_V1_OBJS) $(LIBHVTEST_V1_OBJS) $(MGMT_V1_OBJS) $(ABI_V1_OBJS)

.SECONDARY: $(V1_HEADERS)
$(V1_INCLUDE)/abi/%: abi/v1/%
	@mkdir -p $(dir $@)
	@cp $< $@

$(BUILD)/guest-v1/%.c.o: %.c $(V1_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC    $< (guest, ABI v1 headers)"
	@$(CC) -I$(V1_INCLUDE) $(HV_CFLAGS) -c $< -o $@

$(BUILD)/guest-v1/%.S.o: %.S $(V1_HEADERS)
	@mkdir -p $(dir $@)
	@echo "  AS    $< (guest, ABI v1 headers)"
	@$(CC) -I$(V1_INCLUDE) $(HV_ASFLAGS) -c $< -o $@

$(LIBHV_V1): $(LIBHV_V1_OBJS)
$(LIBHVTEST_V1): $(LIBHVTEST_V1_OBJS)
$(LIBHV_V1) $(LIBHVTEST_V1):
	@echo "  AR    $@"
	@rm -f $@
	@$(AR) rcs $@ $^

$(BUILD)/guests/mgmt-v1.elf: $(MGMT_V1_OBJS) $(LIBHV_V1) linker/guest.ld
	$(guest_link)

# The current caller (ABI_CALLER 1, its default) as v1 built it.
$(BUILD)/guests/abi-v1.elf: $(ABI_V1_OBJS) $(LIBHVTEST_V1) $(LIBHV_V1) linker/guest.ld
	$(guest_link)

# Test guests of several files, one folder each (guests/NAME/*.c, *.S):
# VM 0's side in C, a child's program in assembly.
$(foreach g,$(MULTI_GUESTS),$(eval $(BUILD)/guests/$(g).elf: \
	$(patsubst %,$(BUILD)/guest/%.o,$(wildcard guests/$(g)/*.c guests/$(g)/*.S))))
$(patsubst %,$(BUILD)/guests/%.elf,$(MULTI_GUESTS)): $(LIBHVTEST) $(LIBHV) linker/guest.ld
	$(guest_link)

$(BUILD)/guests/bench.elf: $(BUILD)/guest/guests/bench/bench.c.o $(LIBHVTEST) $(LIBHV) \
		linker/guest.ld
	$(guest_link)

# The hypercall storm (VM 0): its own files and the XTF-style runtime.
$(BUILD)/guests/storm.elf: $(STORM_OBJS) $(LIBHVTEST) $(LIBHV) linker/guest.ld
	$(guest_link)

# Child programs for the management guest, built like the test guests.
$(BUILD)/guests/%.elf: $(BUILD)/guest/guests/child/%.c.o $(LIBHVTEST) $(LIBHV) linker/guest.ld
	$(guest_link)

$(BUILD)/guests/%.elf: $(BUILD)/guest/guests/test/%.c.o $(LIBHVTEST) $(LIBHV) linker/guest.ld
	$(guest_link)

# --- running --------------------------------------------------------------

run: $(RUN_ISO) | deps-run
	$(QEMU) $(QEMU_MACHINE) $(QEMU_FLAGS) -cdrom $(RUN_ISO) -boot d -serial mon:stdio \
		$(QEMU_PASSED)

# --- Linux ----------------------------------------------------------------
# Debian's kernel (linux-image-amd64's versioned package, downloaded and
# unpacked, its vmlinuz unmodified) and an initramfs of busybox-static
# with tools/linux/init, booted as a 1-vCPU 256 MiB child of hvctl.
LINUX_DIR := $(BUILD)/linux
LINUX_KERNEL := $(LINUX_DIR)/vmlinuz
LINUX_INITRD := $(LINUX_DIR)/initrd.gz
LINUX_ARGS := console=ttyS0 loglevel=4
LINUX_SCRIPT := vm create linux linux initrd=initrd mem=256M pc cmdline=\"$(LINUX_ARGS)\"; interactive; vm console linux
LINUX_QEMU_MEM := 512

$(LINUX_KERNEL): tools/fetch-deb.sh | deps-linux
	@mkdir -p $(LINUX_DIR)
	sh tools/fetch-deb.sh linux-image-amd64 'linux-image-[0-9].*-amd64' 'boot/vmlinuz-*' $@

# Debian's Xen (xen-system-amd64's versioned hypervisor package), a
# multiboot kernel for a PC child: its xen.gz uncompressed, as QEMU's
# -kernel takes it, otherwise unmodified.
XEN_KERNEL := $(LINUX_DIR)/xen
$(XEN_KERNEL): tools/fetch-deb.sh | deps-linux
	@mkdir -p $(LINUX_DIR)
	sh tools/fetch-deb.sh -z xen-system-amd64 'xen-hypervisor-[0-9.]+-amd64' 'boot/xen-*.gz' $@

$(LINUX_INITRD): tools/mkinitramfs.py tools/linux/init tools/linux/test.sh | deps-linux
	@mkdir -p $(LINUX_DIR)
	python3 tools/mkinitramfs.py $@ /bin/busybox tools/linux/init tools/linux/test.sh

linux: $(LINUX_KERNEL) $(LINUX_INITRD) $(XEN_KERNEL)

$(BUILD)/linux.iso: $(BUILD)/hv.elf $(BUILD)/guests/mgmt.elf $(LINUX_KERNEL) $(LINUX_INITRD) \
		tools/mkiso.sh Makefile $(call stamp,$(BUILD)/linux.iso.config,$(RUN_CMDLINE) $(LINUX_SCRIPT))
	sh tools/mkiso.sh $@ $< "$(RUN_CMDLINE)" \
		$(BUILD)/guests/mgmt.elf 'mgmt mgmt.script="$(LINUX_SCRIPT)"' \
		$(LINUX_KERNEL) linux $(LINUX_INITRD) initrd

# make run-linux: hvctl boots Debian's kernel in a child, its console
# (the child's UART) on the terminal, up to a busybox shell. With
# -icount the TSC counts instructions: Linux's calibration of it against
# the PIT, whose every read is an exit to hvctl, then sees an exit cost
# what it costs in instructions, not TCG's stalls in host time.
run-linux: $(BUILD)/linux.iso | deps-run
	$(QEMU) $(filter-out -m 256,$(QEMU_MACHINE)) -m $(LINUX_QEMU_MEM) $(QEMU_FLAGS) \
		-icount shift=0,sleep=off -cdrom $(BUILD)/linux.iso -boot d -serial mon:stdio \
		$(QEMU_PASSED)

debug: $(RUN_ISO) | deps-run
	@echo "QEMU waits for gdb on :1234. In another terminal:"
	@echo "  gdb $(BUILD)/hv.elf -ex 'target remote :1234'"
	$(QEMU) $(QEMU_MACHINE) $(QEMU_FLAGS) -cdrom $(RUN_ISO) -boot d -serial mon:stdio -s -S \
		$(QEMU_PASSED)

# --- tests ----------------------------------------------------------------

$(BUILD)/unit/%: tests/unit/%.c tests/unit/check.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC $<"
	@$(CC) $(UNIT_CFLAGS) $< -o $@ -MMD -MP

# test_pc links the PC's device models beside the wiring it includes:
# the models' static helpers share names, so they are separate units.
PC_MODEL_SRCS := $(addprefix guests/mgmt/,pic.c ioapic.c pit.c rtc.c acpi_pm.c fw_cfg.c uart.c \
	e820.c acpi_tables.c bda.c)
$(BUILD)/unit/test_pc: tests/unit/test_pc.c tests/unit/check.h guests/mgmt/pc.c \
		guests/mgmt/pc_io.c guests/mgmt/pc.h $(PC_MODEL_SRCS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC $<"
	@$(CC) $(UNIT_CFLAGS) $< $(PC_MODEL_SRCS) -o $@

# test_multiboot: the multiboot information against e820.c's map.
$(BUILD)/unit/test_multiboot: tests/unit/test_multiboot.c tests/unit/check.h \
		guests/mgmt/multiboot.c guests/mgmt/e820.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC $<"
	@$(CC) $(UNIT_CFLAGS) $< guests/mgmt/e820.c -o $@

unit: $(UNIT_BINS)

# make test CASE=REGEX runs only the boot cases whose names match.
test: | deps-test
	@bash tests/run $(if $(CASE),-k '$(value CASE)')

# The long boot cases, not part of make test: Debian's Linux in a child
# on Bochs VMX (tests/boot-cases, mgmt-linux; make test has QEMU's), and
# Linux with four vCPUs time-sliced on one CPU on QEMU (mgmt-linux-smp4one,
# tests/run LONG_CASES).
test-long: | deps-test
	@bash tests/run -k 'bochs-.*-linux|mgmt-linux-smp4one'

# Instruction counts on QEMU SVM, Bochs SVM and Bochs VMX, where RDTSC
# counts instructions exactly and deterministically, against
# tests/bench-baseline; BENCH_UPDATE=1 rewrites the baseline.
bench: $(BUILD)/hv.elf $(BUILD)/guests/bench.elf $(BUILD)/guests/mgmt.elf \
		$(BUILD)/guests/vmmbench.elf | deps-run deps-bochs
	@BENCH_UPDATE='$(BENCH_UPDATE)' bash tests/bench

# Per-function instruction profile of the exits make bench measures (QEMU).
profile: $(BUILD)/hv.elf $(BUILD)/guests/bench.elf $(BUILD)/guests/mgmt.elf \
		$(BUILD)/guests/vmmbench.elf | deps-profile
	@sh tools/benchprof.sh

# The hypercall storm on QEMU SVM, Bochs SVM and Bochs VMX with
# STORM_CALLS random hypercalls each (make test runs 100000).
STORM_CALLS ?= 1000000
storm: | deps-run deps-bochs
	@STORM_CALLS=$(STORM_CALLS) bash tests/storm

clean:
	rm -rf $(BUILD)

# hv.efi, the UEFI loader, and build/esp.img: `make efi`, `make run-efi`.
include boot/efi/efi.mk

# Packages before the files that need them (order-only: never a reason
# to rebuild).
$(HV_OBJS) $(GUEST_LIB_OBJS) $(MGMT_OBJS) $(STORM_OBJS) $(GUEST_V1_OBJS) $(GUEST_ELFS) \
	$(UNIT_BINS) $(BUILD)/hvdump $(BUILD)/hvtrace: | deps-build
$(RUN_ISO): | deps-iso
$(FUZZ_BINS): | deps-fuzz
$(EFI_OBJS) $(BUILD)/esp.img: | deps-efi

-include $(HV_OBJS:.o=.d) $(UNIT_BINS:=.d) $(GUEST_LIB_OBJS:.o=.d) $(MGMT_OBJS:.o=.d) \
	$(STORM_OBJS:.o=.d) $(GUEST_V1_OBJS:.o=.d)
