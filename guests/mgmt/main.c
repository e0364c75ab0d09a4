/* hvctl's entry, with the IDT already installed: banner, discovery, the
 * VM definitions (with the autostart VMs), the script, then the shell. */
#include "guests/mgmt/mgmt.h"

void guest_entry(const struct hv_boot_info *info)
{
	gprintf("\nhvctl: management guest (VM 0) starting\n");
	if (info->magic != HV_BOOT_MAGIC)
		guest_panic("boot info at %p has magic 0x%x, not 0x%x", (const void *)info,
			    info->magic, HV_BOOT_MAGIC);
	discover();
	vm0_cpus_init();
	print_info();
	vmdef_boot(info->cmdline);
	script_run(info->cmdline);
	shell_interactive();
}
