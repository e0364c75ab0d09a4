/* First C code on the multiboot2 path: bring up the console and the
 * exception handlers, then check and normalize what GRUB handed over. */
#include "boot/mb2.h"
#include "hv/arch.h"
#include "hv/console.h"
#include "hv/hv.h"
#include "hv/log.h"
#include "hv/verdict.h"

#define MB1_BOOTLOADER_MAGIC 0x2badb002

void mb2_main(u32 magic, u32 info_phys);

static struct boot_info boot_info;

void mb2_main(u32 magic, u32 info_phys)
{
	char err[160];
	size_t avail = MIN((u64)MB2_INFO_MAX_SIZE, 4 * GIB - info_phys);
	enum mb2_status st;

	console_init();
	arch_early_init();
	if (magic == MB1_BOOTLOADER_MAGIC)
		log_err("boot: started by a multiboot (v1) loader; this hypervisor "
			"needs multiboot2 (GRUB: multiboot2 /boot/hv.elf)");
	st = mb2_parse(magic, (const void *)(u64)info_phys, avail, info_phys,
		       &boot_info, err, sizeof(err));
	if (st != MB2_OK) {
		log_err("boot: %s", err);
		hv_finish(VERDICT_FAIL, "boot information rejected (%s)",
			  mb2_status_name(st));
	}
	hv_main(&boot_info);
}
