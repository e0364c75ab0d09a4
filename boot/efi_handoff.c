/* The record hv.efi finds in the hypervisor image (boot/efi/handoff.h):
 * where the 64-bit UEFI entry is and what boot_info size it expects. */
#include "boot/efi/handoff.h"
#include "boot/boot_info.h"

void efi_entry64(void);

__attribute__((used, aligned(16)))
const struct efi_handoff efi_handoff = {
	.magic = EFI_HANDOFF_MAGIC,
	.self = (u64)&efi_handoff,
	.entry = (u64)efi_entry64,
	.version = EFI_HANDOFF_VERSION,
	.boot_info_size = sizeof(struct boot_info),
};
