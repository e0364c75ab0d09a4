/* VM 0's boot modules: the hypervisor copied every module after VM 0's
 * own into VM 0's memory and listed it in boot_info->modules[]. A
 * module's string is "NAME [default arguments]". */
#include "guests/mgmt/mgmt.h"

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

void modules_print(void)
{
	char n[HV_BOOT_MODULE_NAME_MAX], s[24];

	if (!module_count())
		gprintf("module: none (add boot modules after VM 0's)\n");
	for (u32 i = 0; i < module_count(); i++) {
		const struct hv_boot_module *m = &boot_info->modules[i];

		module_name(m, n, sizeof(n));
		gprintf("module %u: %s, %s at 0x%llx, args '%s'\n", i, n,
			fmt_human(m->size, s, sizeof(s)), (unsigned long long)m->gpa,
			module_args(m));
	}
}
