/* First C code on the UEFI path (hv.efi, boot/efi/loader.c): boot/
 * efi_entry.S has left the firmware's GDT, stack and page tables behind;
 * keep the loader's boot_info, bring up the console and the exception
 * handlers, and enter the common core exactly as mb2_main() does. */
#include "boot/efi/handoff.h"
#include "hv/arch.h"
#include "hv/console.h"
#include "hv/hv.h"
#include "hv/log.h"
#include "lib/string.h"
#include "hv/verdict.h"

void efi_hv_main(u64 magic, u64 info_phys, u64 info_size);

static struct boot_info boot_info;

void efi_hv_main(u64 magic, u64 info_phys, u64 info_size)
{
	bool ok = magic == EFI_HANDOFF_BOOT_MAGIC &&
		  info_size == sizeof(boot_info) && info_phys &&
		  info_phys + info_size <= 4 * GIB;

	/* First, before anything can allocate: the loader's pages (where
	 * the boot_info sits) are usable RAM in the memory map it made. */
	if (ok)
		memcpy(&boot_info, (const void *)info_phys, sizeof(boot_info));
	boot_info.info_start = (u64)&boot_info;
	boot_info.info_end = (u64)&boot_info + sizeof(boot_info);
	boot_info.efi_boot_services_active = false;
	console_init();
	arch_early_init();
	if (!ok) {
		log_err("boot: entered through the UEFI entry with magic 0x%llx, "
			"boot_info at 0x%llx of %llu bytes (want magic 0x%llx, "
			"%zu bytes below 4 GiB): hv.efi and the image differ?",
			(unsigned long long)magic, (unsigned long long)info_phys,
			(unsigned long long)info_size, EFI_HANDOFF_BOOT_MAGIC,
			sizeof(boot_info));
		hv_finish(VERDICT_FAIL, "boot information rejected (bad UEFI handoff)");
	}
	hv_main(&boot_info);
}
