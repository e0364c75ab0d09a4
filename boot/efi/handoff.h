/* The contract between the UEFI loader (hv.efi, boot/efi/loader.c) and
 * the hypervisor image it carries (boot/efi_entry.S, boot/efi_main.c).
 *
 * The image holds one struct efi_handoff in .rodata. The loader finds it
 * by its magic in the loaded segments, checks that `self` is the address
 * it was found at (so a stray copy of the magic cannot match) and that
 * version and boot_info_size are the ones it was built with, then, after
 * ExitBootServices, jumps to `entry` with
 *   RDI = EFI_HANDOFF_BOOT_MAGIC
 *   RSI = physical address of a filled struct boot_info (loader memory)
 *   RDX = sizeof(struct boot_info) as the loader knows it
 * in 64-bit mode on the firmware's identity-mapped page tables, interrupts
 * off, on any stack. The entry copies the boot_info into the image before
 * anything else, so the loader's memory is free RAM from then on. */
#ifndef BOOT_EFI_HANDOFF_H
#define BOOT_EFI_HANDOFF_H

#include "lib/types.h"

#define EFI_HANDOFF_MAGIC "HV-UEFI-HANDOFF" /* 15 characters + NUL = 16 */
#define EFI_HANDOFF_MAGIC_LEN sizeof(EFI_HANDOFF_MAGIC)
#define EFI_HANDOFF_VERSION 1
#define EFI_HANDOFF_BOOT_MAGIC 0x4f464e4946454856ULL /* "HVEFINFO" */

struct efi_handoff {
	char magic[EFI_HANDOFF_MAGIC_LEN];
	u64 self;  /* link (= physical) address of this struct */
	u64 entry; /* the 64-bit entry point, efi_entry64 */
	u32 version;
	u32 boot_info_size; /* sizeof(struct boot_info) in the image */
};

#endif
