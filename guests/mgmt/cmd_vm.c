/* The `vm` commands: create, run, list, stop (start: sched.c, console:
 * console.c, cycle: cycle.c, cpuid: vmcpuid.c, pause, resume, reset and
 * destroy: lifecycle.c, defs and create from a definition: vmdef.c). */
#include "guests/mgmt/mgmt.h"

#define MEM_DEFAULT (16 * MIB)

#if HV_ABI_HEADER_REVISION >= 2
/* `pc`: a PC's devices (pc.h), which need the virtual LAPIC, the MMIO
 * exits of the IOAPIC page, and where the hypervisor has them the EOI
 * exits that clear its level-triggered entries' remote IRR. */
void create_args_pc(struct create_args *a)
{
	a->pc = true;
	a->lapic = true;
	a->exit_reasons |= 1u << HV_EXIT_MMIO;
	if (disc.ext[HV_EXT_MSR_EXIT] > 0)
		a->exit_reasons |= 1u << HV_EXIT_MSR;
	if (disc.ext[HV_EXT_EOI_EXIT] > 0)
		a->exit_reasons |= 1u << HV_EXIT_EOI;
}

/* reset=stop (the default: a PC child's reset ends it) or reset=restart
 * (it reboots); false, printed, for another value. */
static bool reset_option(const char *v, bool *restart)
{
	if (strcmp(v, "stop") && strcmp(v, "restart")) {
		gprintf("error: reset=%s: want reset=stop or reset=restart\n", v);
		return false;
	}
	*restart = !strcmp(v, "restart");
	return true;
}
#endif

/* mem=, vcpus=, cpus= (the CPUs its vCPUs run on, cpus.c), mmio (MMIO exits, answered by mmio_dev.c), lapic (the
 * virtual LAPIC), pc (a PC's devices and tables), reset= (what a PC
 * child's reset does), modules= (a multiboot kernel's boot modules),
 * initrd= (a Linux kernel's), cmdline="..." (one word, quoted) or args=
 * (the rest of the line): the kernel's arguments. */
static bool create_options(struct words *ws, struct create_args *a, bool *restart)
{
	static char args[LINE_MAX];
	const char *v;
	u64 n;

	for (int i = 4; i < ws->n; i++) {
		if ((v = opt_value(ws->w[i], "mem"))) {
			if (!strcmp(v, "max") ? !(a->mem = stats_vm_room()) : !parse_size(v, &a->mem)) {
				gprintf("error: mem=%s: want MiB, a size with K/M/G, or max (the most "
					"a new VM can have now, if the hypervisor says; see stats)\n", v);
				return false;
			}
		} else if ((v = opt_value(ws->w[i], "vcpus"))) {
			if (!parse_u64(v, &n) || n > 0xffffffffu) {
				gprintf("error: vcpus=%s: want a number\n", v);
				return false;
			}
			a->vcpus = (u32)n;
		} else if ((v = opt_value(ws->w[i], "cpus"))) {
			if (!cpu_list_parse(v, &a->cpus)) {
				gprintf("error: cpus=%s: want a CPU list like 0,2-3 (CPUs 0-%u)\n", v,
					VMCFG_CPUS - 1);
				return false;
			}
#if HV_ABI_HEADER_REVISION >= 2 /* v1: no MMIO exits, `mmio` is unknown */
		} else if (!strcmp(ws->w[i], "mmio")) {
			a->exit_reasons |= 1u << HV_EXIT_MMIO;
		} else if (!strcmp(ws->w[i], "lapic")) {
			a->lapic = true;
		} else if (!strcmp(ws->w[i], "pc")) {
			create_args_pc(a);
		} else if ((v = opt_value(ws->w[i], "reset"))) {
			if (!reset_option(v, restart))
				return false;
#endif
		} else if ((v = opt_value(ws->w[i], "modules"))) {
			a->modules = v;
		} else if ((v = opt_value(ws->w[i], "initrd"))) {
			a->initrd = v;
		} else if ((v = opt_value(ws->w[i], "cmdline"))) {
			a->args = v;
		} else if (opt_value(ws->w[i], "args")) {
			trim_copy(args, sizeof(args), ws->raw[i] + 5, true);
			a->args = args;
			return true;
		} else {
			gprintf("error: unknown option '%s' (mem= vcpus= cpus= mmio lapic pc reset= "
				"modules= initrd= cmdline= args=)\n", ws->w[i]);
			return false;
		}
	}
	if (*restart && !a->pc) {
		gprintf("error: reset=restart is for a pc child\n");
		return false;
	}
	return true;
}

static void vm_create(struct words *ws)
{
	struct create_args a = { NULL, NULL, MEM_DEFAULT, 1, NULL, 0, false, false, NULL, NULL, 0 };
	bool restart = false;
	struct child *c;

	if (ws->n == 3)
		return vmdef_create(ws->w[2]);
	if (ws->n < 4) {
		gprintf("error: usage: vm create NAME (defined in a config module) | vm create NAME MODULE [mem=SIZE] [vcpus=N] [cpus=LIST] [mmio] [lapic] "
			"[pc] [reset=stop|restart] [modules=M1,M2,...] [initrd=MODULE] "
			"[cmdline=\"...\"|args=...]\n");
		return;
	}
	a.name = ws->w[2];
	a.module = ws->w[3];
	if (create_options(ws, &a, &restart) && (c = child_create(&a)))
		c->reset_restarts = restart;
}

static void vm_stop(struct words *ws)
{
	struct child *c = vm_command_child(ws, 2, "vm stop NAME|ID");

	if (!c)
		return;
	if (!child_alive(c)) {
		gprintf("vm %s: already %s\n", c->name, child_state_name(c));
		return;
	}
	child_end(c, CHILD_STOPPED, "stopped by the user");
}

static void list_one(const struct child *c)
{
	char mem[24], result[16], id[12];
	const char *why = c->why[0] && !child_alive(c) ? c->why : "-";

	if (c->state == CHILD_EXITED)
		hv_snprintf(result, sizeof(result), "%u", c->result);
	else
		hv_snprintf(result, sizeof(result), "-");
	if (c->id == CHILD_NO_VM)
		hv_snprintf(id, sizeof(id), "-");
	else
		hv_snprintf(id, sizeof(id), "%u", c->id);
	gprintf("%3s %-12s %-8s %5s %5u %6s %8llu %8llu %7llu %8llu %6llu %5u %14llu %s\n", id,
		c->name, child_state_name(c), fmt_size(c->mem, mem, sizeof(mem)), c->vcpus, result,
		(unsigned long long)c->exits, (unsigned long long)c->io_exits,
		(unsigned long long)c->unclaimed_in, (unsigned long long)c->unclaimed_out,
		(unsigned long long)c->slices, c->boots, (unsigned long long)c->cpu_ticks, why);
}

static void vm_list(void)
{
	u32 n = 0;

	gprintf(" ID NAME         STATE      MEM VCPUS RESULT    EXITS IO-EXITS UNCL-IN "
		"UNCL-OUT SLICES BOOTS      CPU-TICKS WHY\n");
	for (u32 i = 0; i < CHILDREN_MAX; i++) {
		if (child_at(i)) {
			list_one(child_at(i));
			n++;
		}
	}
	gprintf("vm list: %u VM(s)\n", n);
}

void cmd_vm(struct words *ws)
{
	const char *sub = ws->n > 1 ? ws->w[1] : "";

	if (cmd_vm_lifecycle(sub, ws))
		return;
	if (!strcmp(sub, "create"))
		vm_create(ws);
	else if (!strcmp(sub, "run"))
		cmd_run(ws, 2);
	else if (!strcmp(sub, "start"))
		cmd_vm_start(ws);
	else if (!strcmp(sub, "console"))
		cmd_vm_console(ws);
	else if (!strcmp(sub, "list"))
		vm_list();
	else if (!strcmp(sub, "stop"))
		vm_stop(ws);
	else if (!strcmp(sub, "defs"))
		cmd_vm_defs(ws);
	else if (!strcmp(sub, "cycle"))
		cmd_cycle(ws);
	else if (!strcmp(sub, "cpuid"))
		cmd_vm_cpuid(ws);
	else if (!strcmp(sub, "info"))
		cmd_vm_info(ws);
	else if (!strcmp(sub, "mem"))
		cmd_vm_mem(ws);
	else if (!strcmp(sub, "stats"))
		cmd_vm_stats(ws);
	else
		gprintf("error: vm create|run|start|console|list|info|mem|stats|stop|pause|resume|"
			"reset|destroy|defs|cycle|cpuid (try help)\n");
}
