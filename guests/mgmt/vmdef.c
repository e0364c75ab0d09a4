/* VM definitions from config modules (the format: vmconfig.h): which
 * boot modules are configs, reading them at start-up, `vm create NAME`
 * from a definition, `vm defs`, and the autostart VMs, created and
 * started in the background before the script or the prompt. */
#include "guests/mgmt/mgmt.h"
#include "guests/lib/guest.h"

#define CONFIG_KEY "mgmt.config"
#define CONFIG_SUFFIX ".cfg"

static struct vm_config defs;

static u32 module_total(void)
{
	return MIN(boot_info->module_count, (u32)HV_BOOT_MODULES_MAX);
}

static bool named_cfg(const char *name)
{
	size_t n = strlen(name), k = sizeof(CONFIG_SUFFIX) - 1;

	return n > k && !strcmp(name + n - k, CONFIG_SUFFIX);
}

/* Whether the comma-separated list holds name. */
static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p; p++) {
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
		while (*p && *p != ',')
			p++;
		if (!*p)
			break;
	}
	return false;
}

static void read_config(const struct hv_boot_module *m, const char *name)
{
	static char err[VMCFG_ERR_MAX];
	u32 before = defs.n;

	if (vmcfg_parse(&defs, name, (const char *)m->gpa, m->size, err, sizeof(err))) {
		gprintf("error: %s (the file defines no VM)\n", err);
		return;
	}
	gprintf("hvctl: %s: %u VM definition(s)\n", name, defs.n - before);
}

/* mgmt.config=M1,M2 on VM 0's command line, or NULL. */
static const char *config_list(const char *cmdline)
{
	static struct words ws;
	const char *v;

	words_split(&ws, cmdline);
	for (int i = 0; i < ws.n; i++)
		if ((v = opt_value(ws.w[i], CONFIG_KEY)))
			return v;
	return NULL;
}

/* Each name of mgmt.config must be a boot module. */
static void check_listed(const char *list)
{
	char name[HV_BOOT_MODULE_NAME_MAX];

	for (const char *p = list; p && *p;) {
		size_t n = 0;

		while (p[n] && p[n] != ',')
			n++;
		hv_strlcpy(name, p, MIN(n + 1, sizeof(name)));
		if (!module_find(name))
			gprintf("error: %s=%s: no boot module named '%s'\n", CONFIG_KEY, list, name);
		p += n + (p[n] == ',');
	}
}

static void autostart(void)
{
	struct child *c;

	for (u32 i = 0; i < defs.n; i++) {
		if (!defs.def[i].autostart)
			continue;
		vmdef_create(defs.def[i].name);
		if ((c = child_find(defs.def[i].name)) && sched_start(c))
			gprintf("vm %s: autostart: running in the background\n", c->name);
	}
}

void vmdef_boot(const char *cmdline)
{
	const char *list = config_list(cmdline);
	char name[HV_BOOT_MODULE_NAME_MAX];

	check_listed(list);
	for (u32 i = 0; i < module_total(); i++) {
		module_name(&boot_info->modules[i], name, sizeof(name));
		if (named_cfg(name) || in_list(list, name))
			read_config(&boot_info->modules[i], name);
	}
	autostart();
}

/* A definition's devices as create options; false (printed) when this
 * hvctl, built against the v1 ABI, has none of them. */
static bool def_devices(const struct vm_def *d, struct create_args *a)
{
#if HV_ABI_HEADER_REVISION >= 2
	if (d->mmio)
		a->exit_reasons |= 1u << HV_EXIT_MMIO;
	a->lapic = d->lapic;
	if (d->pc)
		create_args_pc(a);
	return true;
#else
	(void)a;
	if (d->mmio || d->lapic || d->pc)
		gprintf("error: vm create %s: pc, mmio and lapic need an hvctl built against "
			"the live ABI\n", d->name);
	return !d->mmio && !d->lapic && !d->pc;
#endif
}

void vmdef_create(const char *name)
{
	const struct vm_def *d = vmcfg_find(&defs, name);
	struct create_args a = { NULL, NULL, 0, 1, NULL, 0, false, false, NULL, NULL, 0 };
	struct child *c;

	if (!d)
		return (void)gprintf("error: no VM definition named '%s' (see vm defs; or vm create "
				     "NAME MODULE [options])\n", name);
	a.name = d->name;
	a.module = d->kernel;
	a.mem = d->mem;
	a.vcpus = d->vcpus;
	a.args = d->has_cmdline ? d->cmdline : NULL;
	a.modules = d->modules[0] ? d->modules : NULL;
	a.initrd = d->initrd[0] ? d->initrd : NULL;
	a.cpus = d->cpus;
	if (!def_devices(d, &a) || !(c = child_create(&a)))
		return;
	c->on_stop = d->on_stop;
	c->reset_restarts = d->pc && d->on_stop == ON_STOP_RESTART;
}

static void print_def(const struct vm_def *d)
{
	char mem[24];

	gprintf("%-12s %-12s %5s %5u %18llx %-3s %-5s %-9s %-12s %s\n", d->name, d->kernel,
		fmt_size(d->mem, mem, sizeof(mem)), d->vcpus, (unsigned long long)d->cpus,
		d->pc ? "on" : "off", d->mmio ? "mmio" : "-", d->autostart ? "yes" : "no",
		vmcfg_on_stop_name(d->on_stop), d->has_cmdline ? d->cmdline : "-");
}

void cmd_vm_defs(struct words *ws)
{
	(void)ws;
	gprintf("NAME         KERNEL         MEM VCPUS               CPUS PC  MMIO  AUTOSTART "
		"ON_STOP      CMDLINE\n");
	for (u32 i = 0; i < defs.n; i++)
		print_def(&defs.def[i]);
	gprintf("vm defs: %u definition(s); CPUS is recorded only (0: any), hvctl runs every "
		"vCPU on VM 0's CPU\n", defs.n);
}
