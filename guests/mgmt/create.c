/* Creating, restarting and destroying children: argument checks in
 * words, then VM_CREATE, VCPU_CREATE for each vCPU, and the image
 * (load.c). A child that cannot be loaded is destroyed again, so nothing
 * is left behind. A PC child's restart after a reset destroys its VM and
 * makes it again the same way, from what its creation recorded. */
#include "guests/mgmt/pc.h"

_Static_assert(VMCFG_NAME_MAX == HV_NAME_MAX, "a definition's name is a VM's name");

static bool name_ok(const char *name)
{
	const char *why = vm_name_problem(name);

	if (why) {
		gprintf("error: VM name '%s': %s\n", name, why);
		return false;
	}
	if (child_find(name)) {
		gprintf("error: a VM named '%s' exists\n", name);
		return false;
	}
	return true;
}

static bool mem_ok(u64 mem)
{
	u64 max = disc.have_limits ? (u64)disc.limits.max_memory_regions * 2 * MIB : 0;

	if (!mem || mem % (2 * MIB)) {
		gprintf("error: mem= must be a non-zero multiple of 2 MiB\n");
		return false;
	}
	if (max && mem > max) {
		gprintf("error: mem= at most %llu MiB on this hypervisor\n",
			(unsigned long long)(max >> 20));
		return false;
	}
	return true;
}

static bool vcpus_ok(u32 vcpus)
{
	u32 max = disc.have_limits ? disc.limits.max_vcpus_per_vm : 1;

	if (max > CHILD_VCPUS_MAX)
		max = CHILD_VCPUS_MAX;
	if (!vcpus || vcpus > max) {
		gprintf("error: vcpus= from 1 to %u\n", max);
		return false;
	}
	return true;
}

static void make_cmdline(char *buf, size_t len, const struct hv_boot_module *m,
			 const char *args)
{
	char name[HV_BOOT_MODULE_NAME_MAX];
	const char *a = args ? args : module_args(m);

	module_name(m, name, sizeof(name));
	hv_snprintf(buf, len, "%s%s%s", name, *a ? " " : "", a);
}

#if HV_ABI_HEADER_REVISION >= 2
/* `lapic`: the virtual LAPIC for all the child's vCPUs, before its
 * first run; its application processors then wait for a SIPI. */
static long enable_lapic(struct child *c)
{
	u64 on = 1;

	if (!c->lapic)
		return 0;
	return hv_feature(HV_FEATURE_SET | HV_FEATURE_LAPIC, c->id, &on);
}


/* `pc`: the PC's devices and tables, before the image is loaded (the
 * loaders read its memory map). */
static long make_pc(struct child *c)
{
	return pc_create(c);
}
#else /* v1: no virtual LAPIC, `lapic` is unknown */
static long enable_lapic(struct child *c)
{
	(void)c;
	return 0;
}

static long make_pc(struct child *c)
{
	(void)c;
	return -HV_ENOSYS;
}
#endif

/* Without the virtual LAPIC nothing can start a vCPU but the first. */
static void mark_unused_aps(struct child *c)
{
	for (u32 i = 1; i < c->vcpus && !c->lapic; i++)
		c->vcpu[i].state = VCPU_UNUSED;
}

/* A child's RAM where a PC has it (e820.h): up to 3 GiB from 0 (in
 * VM_CREATE), the rest from 4 GiB; 3-4 GiB stays free for MMIO (the
 * IOAPIC, the LAPIC, the MMIO test device). */
static long add_high_ram(const struct child *c)
{
	if (c->mem <= PC_LOW_RAM_END)
		return 0;
	return hv_vm_add_memory(c->id, PC_HIGH_RAM, c->mem - PC_LOW_RAM_END);
}

/* Whether VM 0 and the other children fill the hypervisor's VM slots. */
static bool slots_full(void)
{
	u32 vms = 0; /* VM 0, and the other children: the new one is counted */

	for (u32 i = 0; i < CHILDREN_MAX; i++)
		vms += child_at(i) != NULL;
	return disc.have_limits && vms >= disc.limits.max_vms;
}

/* What to do about a VM create that failed with err. */
static const char *create_hint(long err)
{
	static char hint[160];
	char size[24];
	u64 room;

	if (err == -HV_ENOMEM && slots_full())
		return " (every VM slot is in use: vm destroy one)";
	if (err == -HV_ENOMEM && (room = stats_vm_room())) {
		hv_snprintf(hint, sizeof(hint), " (VM RAM comes in whole free 2 MiB chunks: a new "
			    "VM can have %s for sure now, mem=max; or vm destroy one)",
			    fmt_size(room, size, sizeof(size)));
		return hint;
	}
	if (err == -HV_ENOMEM)
		return " (too little free memory in whole 2 MiB chunks: ask for less with mem=, "
		       "or vm destroy one)";
	if (err == -HV_ENOSPC)
		return " (the VM's memory regions are all used: ask for less with mem=)";
	return "";
}

/* A step of make_vm failed: one line with the error's name and what to
 * do, and the VM made so far (if any) destroyed. */
static bool create_failed(struct child *c, const char *step, long err, bool made)
{
	gprintf("error: vm create %s: %s: %s%s\n", c->name, step, err_name(err), create_hint(err));
	if (made)
		hv_vm_destroy(c->id);
	return false;
}

/* VM_CREATE and the vCPUs; on failure nothing is left. */
static bool make_vm(struct child *c)
{
	long r = hv_vm_create(c->name, MIN(c->mem, PC_LOW_RAM_END), c->vcpus, c->exit_reasons);

	if (r < 0)
		return create_failed(c, "vm_create", r, false);
	c->id = (u32)r;
	if ((r = add_high_ram(c)) < 0)
		return create_failed(c, "vm_add_memory above 4 GiB", r, true);
	for (u32 i = 0; i < c->vcpus; i++)
		if ((r = hv_vcpu_create(c->id)) < 0)
			return create_failed(c, "vcpu_create", r, true);
	if ((r = enable_lapic(c)) < 0)
		return create_failed(c, "feature lapic", r, true);
	mark_unused_aps(c);
	if ((r = vmm_attach_run_page(c)) < 0)
		return create_failed(c, "vcpu_run_page_set", r, true);
	placement_apply(c);
	return true;
}

static void report_created(const struct child *c, const struct mb1_boot *boot)
{
	const char *cmdline = boot->cmdline;
	char s[24];

	gprintf("vm %s: created: id %u, module %s (%s, entry 0x%llx), %s RAM, %u vCPU(s), "
		"cmdline '%s'\n", c->name, c->id, c->module, c->format,
		(unsigned long long)c->entry, fmt_size(c->mem, s, sizeof(s)), c->vcpus, cmdline);
	if (boot->nmods)
		gprintf("vm %s: %u multiboot module(s) after the kernel\n", c->name, boot->nmods);
	if (c->pc)
		gprintf("vm %s: PC: ACPI tables at 0x%x, IOAPIC at 0x%x, %u e820 entries\n",
			c->name, ACPI_TABLES_GPA, IOAPIC_BASE, c->pc->e820.n);
	if (c->lapic && c->vcpus > 1)
		gprintf("vm %s: virtual LAPIC on; vCPUs 1-%u wait for a SIPI\n", c->name,
			c->vcpus - 1);
	else if (c->lapic)
		gprintf("vm %s: virtual LAPIC on\n", c->name);
	if (c->vcpu[0].page)
		gprintf("vm %s: exits through the run page at %p\n", c->name,
			(void *)c->vcpu[0].page);
	else
		gprintf("vm %s: exits through vcpu_run (v1)\n", c->name);
}

/* The module named, or NULL with an error printed. */
static const struct hv_boot_module *module_named(const char *name)
{
	const struct hv_boot_module *m = module_find(name);

	if (!m)
		gprintf("error: no boot module named '%s' (see modules)\n", name);
	return m;
}

/* modules=M1,M2,...: the boot modules named, in that order. */
static bool modules_ok(const char *list, struct mb1_boot *b)
{
	char name[HV_BOOT_MODULE_NAME_MAX];

	b->nmods = 0;
	while (list && *list) {
		size_t n = 0;

		while (list[n] && list[n] != ',')
			n++;
		if (b->nmods == CHILD_MB_MODULES_MAX || !n || n >= sizeof(name)) {
			gprintf("error: modules= takes 1-%u module names, comma-separated\n",
				CHILD_MB_MODULES_MAX);
			return false;
		}
		memcpy(name, list, n);
		name[n] = '\0';
		if (!(b->mods[b->nmods++] = module_named(name)))
			return false;
		list += n + (list[n] == ',');
	}
	return true;
}

static bool args_ok(const struct create_args *a, const struct hv_boot_module **m,
		    const struct hv_boot_module **initrd, struct mb1_boot *b)
{
	if (!name_ok(a->name) || !mem_ok(a->mem) || !vcpus_ok(a->vcpus) ||
	    !placement_check(a->cpus) || !modules_ok(a->modules, b))
		return false;
	*initrd = NULL;
	if (a->initrd && !(*initrd = module_named(a->initrd)))
		return false;
	return (*m = module_named(a->module));
}

/* What a child is made from, kept for its restarts: the image, the
 * initrd, the command line and the multiboot modules (VM 0's boot
 * modules stay where they are). */
struct boot_record {
	const struct hv_boot_module *image, *initrd;
	bool pc;
	char cmdline[HV_BOOT_CMDLINE_MAX];
	struct mb1_boot boot;
};

static struct boot_record records[CHILDREN_MAX]; /* by child slot */

/* After a failure: no VM of the child's is left in the hypervisor, and
 * its id names none. */
static void unmake(struct child *c, bool destroy)
{
	if (destroy)
		hv_vm_destroy(c->id);
	c->id = CHILD_NO_VM;
	c->pc = NULL;
}

/* The VM, its PC and its image; false with the error printed and
 * nothing left in the hypervisor. */
static bool build(struct child *c, const struct boot_record *rec)
{
	static char err[160];

	if (!make_vm(c)) {
		unmake(c, false); /* make_vm destroyed what it made */
		return false;
	}
	if (rec->pc && make_pc(c) < 0) {
		unmake(c, true);
		return false;
	}
	if (child_load(c, rec->image, rec->initrd, &rec->boot, err, sizeof(err))) {
		gprintf("error: vm create %s: module %s: %s\n", c->name, c->module, err);
		unmake(c, true);
		return false;
	}
	return true;
}

static void record_boot(struct child *c, const struct create_args *a,
			const struct hv_boot_module *m, const struct hv_boot_module *initrd,
			const struct mb1_boot *boot)
{
	struct boot_record *rec = &records[c->slot];

	rec->image = m;
	rec->initrd = initrd;
	rec->pc = a->pc;
	rec->boot = *boot;
	rec->boot.cmdline = rec->cmdline;
	make_cmdline(rec->cmdline, sizeof(rec->cmdline), m, a->args);
}

struct child *child_create(const struct create_args *a)
{
	static struct mb1_boot boot;
	const struct hv_boot_module *m, *initrd;
	struct child *c;

	if (!args_ok(a, &m, &initrd, &boot))
		return NULL;
	if (!(c = child_alloc())) {
		gprintf("error: hvctl manages at most %u VMs\n", CHILDREN_MAX);
		return NULL;
	}
	hv_strlcpy(c->name, a->name, sizeof(c->name));
	module_name(m, c->module, sizeof(c->module));
	c->mem = a->mem;
	c->vcpus = a->vcpus;
	c->exit_reasons = a->exit_reasons;
	c->lapic = a->lapic;
	c->cpus = a->cpus;
	c->boots = 1;
	record_boot(c, a, m, initrd, &boot);
	if (!build(c, &records[c->slot])) {
		child_free(c);
		return NULL;
	}
	if (!vmm_quiet)
		report_created(c, &records[c->slot].boot);
	return c;
}

#if HV_ABI_HEADER_REVISION >= 2 /* v1 children are never PCs */
/* A PC's CMOS is battery-backed: kept through a reboot. */
static struct rtc cmos;
static u64 cmos_now;
static bool cmos_kept;

static void cmos_save(const struct child *c)
{
	if (!(cmos_kept = c->pc != NULL))
		return;
	cmos = c->pc->rtc;
	cmos_now = pc_now_ns(c->pc);
}

static void cmos_restore(struct child *c)
{
	if (c->pc && cmos_kept)
		rtc_carry_over(&c->pc->rtc, &cmos, cmos_now);
}
#else
static void cmos_save(const struct child *c)
{
	(void)c;
}

static void cmos_restore(struct child *c)
{
	(void)c;
}
#endif

/* A PC at power-on: the vCPUs, the device state hvctl keeps (a fresh
 * UART, the scratch registers, the MMIO test device); the console's
 * state (the line being printed, typed bytes, the attachment) stays. */
static void power_on_state(struct child *c)
{
	c->state = CHILD_CREATED;
	c->end_pending = false;
	c->result = 0;
	c->why[0] = '\0';
	c->cur = 0;
	memset(c->vcpu, 0, sizeof(c->vcpu));
	memset(c->scratch, 0, sizeof(c->scratch));
	memset(c->mmio_regs, 0, sizeof(c->mmio_regs));
	c->pc = NULL;
	uart_init(&c->uart, NULL, child_out_byte, c);
}

/* A reboot that failed ends the child for good: its on_stop is not
 * done (a restart would fail again). */
static bool restart_failed(struct child *c, const char *why)
{
	child_end(c, CHILD_FAULTED, "reset: %s", why);
	c->end_pending = false;
	return false;
}

bool child_restart(struct child *c)
{
	long r;

	if (!child_take_down(c))
		return false;
	cmos_save(c);
	child_out_flush(c);
	c->boots++;
	if (!vmm_quiet)
		gprintf("vm %s: reset, restarting (boot %u)\n", c->name, c->boots);
	if (c->id != CHILD_NO_VM && (r = hv_vm_destroy(c->id)) < 0) {
		char why[48];

		hv_snprintf(why, sizeof(why), "vm_destroy: %s", err_name(r));
		return restart_failed(c, why);
	}
	power_on_state(c);
	c->going = false;
	if (!build(c, &records[c->slot]))
		return restart_failed(c, "restarting failed (see above), its VM is gone");
	cmos_restore(c);
	vm0_cpus_wake_all();
	return true;
}

long child_destroy(struct child *c)
{
	long r;

	if (!child_take_down(c))
		return -HV_EBUSY;
	r = c->id == CHILD_NO_VM ? 0 : hv_vm_destroy(c->id);
	c->going = false;
	child_out_flush(c);
	if (r)
		gprintf("error: vm destroy %s: vm_destroy: %s\n", c->name, err_name(r));
	if (!r || r == -HV_ENOENT) /* gone from the hypervisor either way */
		child_free(c);
	return r;
}
