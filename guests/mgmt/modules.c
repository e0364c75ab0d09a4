/* VM 0's boot modules: the hypervisor copied every module after VM 0's
 * own into VM 0's memory, or mapped one too large for it read-only above
 * the RAM (HV_EXT_MODULE_MAP), and listed it in boot_info->modules[].
 * Either way a module is read at its gpa, never written. A module's
 * string is "NAME [default arguments]". */
#include "guests/mgmt/mgmt.h"
#include "guests/lib/guest.h"

void module_name(const struct hv_boot_module *m, char *buf, size_t len)
{
	size_t n = 0;

	while (n < sizeof(m->name) && m->name[n] && m->name[n] != ' ' && n + 1 < len) {
		buf[n] = m->name[n];
		n++;
	}
	buf[n] = '\0';
}

const char *module_args(const struct hv_boot_module *m)
{
	const char *p = m->name;

	while (*p && *p != ' ')
		p++;
	while (*p == ' ')
		p++;
	return p;
}

static u32 module_count(void)
{
	return MIN(boot_info->module_count, (u32)HV_BOOT_MODULES_MAX);
}

const struct hv_boot_module *module_find(const char *name)
{
	char n[HV_BOOT_MODULE_NAME_MAX];
	u64 idx;

	for (u32 i = 0; i < module_count(); i++) {
		module_name(&boot_info->modules[i], n, sizeof(n));
		if (!strcmp(n, name))
			return &boot_info->modules[i];
	}
	if (parse_u64(name, &idx) && idx < module_count())
		return &boot_info->modules[idx];
	return NULL;
}

/* Whether the hypervisor mapped m above VM 0's RAM instead of copying
 * it in. */
static bool module_mapped(const struct hv_boot_module *m)
{
	const struct hv_boot_mem_range *ram = &boot_info->memmap[0];

	return boot_info->memmap_count && m->gpa >= ram->base + ram->length;
}

void modules_print(void)
{
	char n[HV_BOOT_MODULE_NAME_MAX], s[24];

	if (!module_count())
		gprintf("module: none (add boot modules after VM 0's)\n");
	for (u32 i = 0; i < module_count(); i++) {
		const struct hv_boot_module *m = &boot_info->modules[i];

		module_name(m, n, sizeof(n));
		gprintf("module %u: %s, %s at 0x%llx%s, args '%s'\n", i, n,
			fmt_human(m->size, s, sizeof(s)), (unsigned long long)m->gpa,
			module_mapped(m) ? " (mapped read-only)" : "", module_args(m));
	}
}

/* Writes the byte at p back to itself: the vector of the exception that
 * refused it (its error code in *error), or -1 when the write went
 * through. */
static int write_fault(volatile u8 *p, u64 *error)
{
	u8 v = *p;
	int ok = 1;

	last_fixup_vector = -1;
	asm volatile(FIXUP_ASM("movb %[v], %[m]")
		     : [ok] "+r"(ok), [m] "=m"(*p)
		     : [v] "q"(v)
		     : "memory");
	*error = last_fixup_error;
	return ok ? -1 : last_fixup_vector;
}

/* A write to a mapped module's first and last byte must get #GP(0). */
static void module_check_readonly(u32 i, const struct hv_boot_module *m)
{
	u64 ends[2] = { m->gpa, m->gpa + m->size - 1 }, error;

	for (u32 k = 0; k < 2; k++) {
		int vec = write_fault((volatile u8 *)ends[k], &error);
		bool ok = vec == 13 && !error;

		gprintf("modules: %s module %u at 0x%llx: write %s\n", ok ? "ok" : "FAILED", i,
			(unsigned long long)ends[k], vec < 0 ? "went through" : ok ? "refused, #GP(0)"
			: "got another exception");
		if (!ok)
			mgmt_failed();
	}
}

void modules_check(void)
{
	u32 mapped = 0;

	for (u32 i = 0; i < module_count(); i++) {
		const struct hv_boot_module *m = &boot_info->modules[i];

		if (module_mapped(m) && m->size) {
			module_check_readonly(i, m);
			mapped++;
		}
	}
	gprintf("modules: %u module(s) mapped read-only checked\n", mapped);
}
