# hv.efi: the hypervisor as a UEFI application (GNU-EFI), and an EFI
# system partition image to boot it. Included by the main Makefile, which
# defines BUILD, CC, LD, QEMU, QEMU_MACHINE, QEMU_FLAGS, RUN_CMDLINE,
# RUN_MODULES, RUN_DEPS, QEMU_PASSED and stamp.
#
#   make efi      build/hv.efi and build/esp.img (\EFI\BOOT\BOOTX64.EFI,
#                 \EFI\BOOT\hv.cfg and the demo guest as VM 0)
#   make run-efi  boot build/esp.img in QEMU with OVMF, serial here
#
# hv.efi is a small position-independent loader (boot/efi/*.c) with the
# hypervisor image build/hv.elf (debug information stripped) inside; it
# shares the ELF parser, printf and string code with the hypervisor.

EFI_BUILD := $(BUILD)/efi
EFI_INC := /usr/include/efi
EFI_LIBDIR := /usr/lib
EFI_CRT0 := $(EFI_LIBDIR)/crt0-efi-x86_64.o
EFI_LDS := $(EFI_LIBDIR)/elf_x86_64_efi.lds
OVMF_CODE ?= /usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS ?= /usr/share/OVMF/OVMF_VARS_4M.fd

# GNU_EFI_USE_MS_ABI: protocol calls are plain C calls to ms_abi function
# pointers (no uefi_call_wrapper). gnu-efi's crt0 calls efi_main with the
# SysV convention. libefi is not linked: its own memcpy/memset would
# clash with lib/string.c, and hv.efi needs nothing else from it.
EFI_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fno-builtin -fno-stack-protector -fpic -fshort-wchar \
	-mno-red-zone -mgeneral-regs-only -fcf-protection=none \
	-fno-tree-loop-distribute-patterns -fno-strict-aliasing \
	-DGNU_EFI_USE_MS_ABI -I$(EFI_INC) -I$(EFI_INC)/x86_64 -I. -MMD -MP
EFI_LDFLAGS := -nostdlib -znocombreloc -z noexecstack -shared -Bsymbolic \
	--no-undefined -T $(EFI_LDS) -L$(EFI_LIBDIR)

EFI_SRCS := $(wildcard boot/efi/*.c) lib/elf.c lib/printf.c lib/string.c
EFI_OBJS := $(patsubst %.c,$(EFI_BUILD)/%.o,$(EFI_SRCS)) $(EFI_BUILD)/hv_image.o

.PHONY: efi run-efi
efi: $(BUILD)/hv.efi $(BUILD)/esp.img

$(EFI_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $< (hv.efi)"
	@$(CC) $(EFI_CFLAGS) -c $< -o $@

# The image hv.efi carries: what GRUB would load, minus debug sections.
$(EFI_BUILD)/hv_image.o: boot/efi/hv_image.S $(BUILD)/hv.elf
	@mkdir -p $(dir $@)
	objcopy --strip-debug $(BUILD)/hv.elf $(EFI_BUILD)/hv-image.elf
	@$(CC) $(EFI_CFLAGS) -D__ASSEMBLY__ -DHV_IMAGE_PATH='"$(EFI_BUILD)/hv-image.elf"' \
		-c $< -o $@

$(EFI_BUILD)/hv.so: $(EFI_OBJS) $(EFI_CRT0) $(EFI_LDS)
	$(LD) $(EFI_LDFLAGS) -o $@ $(EFI_CRT0) $(EFI_OBJS) -lgnuefi

$(BUILD)/hv.efi: $(EFI_BUILD)/hv.so
	objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j '.rel.*' -j '.rela.*' -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $< $@

$(BUILD)/esp.img: $(BUILD)/hv.efi $(RUN_DEPS) tools/mkesp.sh \
		$(call stamp,$(BUILD)/esp.img.config,$(RUN_CMDLINE) $(RUN_MODULES))
	sh tools/mkesp.sh $@ $(BUILD)/hv.efi "$(RUN_CMDLINE)" $(RUN_MODULES)

run-efi: $(BUILD)/esp.img | deps-run-efi
	cp $(OVMF_VARS) $(EFI_BUILD)/vars.fd
	$(QEMU) $(QEMU_MACHINE) $(QEMU_FLAGS) \
		-drive if=pflash,format=raw,unit=0,readonly=on,file=$(OVMF_CODE) \
		-drive if=pflash,format=raw,unit=1,file=$(EFI_BUILD)/vars.fd \
		-drive format=raw,file=$(BUILD)/esp.img -net none -serial mon:stdio \
		$(QEMU_PASSED)

-include $(EFI_OBJS:.o=.d)
