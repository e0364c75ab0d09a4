/* A VM's life after `vm create`: `vm pause` and `vm resume`, `vm reset`
 * (a reboot from the kernel's entry, create.c's child_restart), `vm
 * destroy NAME|all`, and what a VM's on_stop (vmconfig.h) does once it
 * has ended by itself.
 *
 * Pausing takes the child out of the scheduler and nothing else: its VM,
 * its memory and its devices stay as they are. Its clock does not stop:
 * a PC child's devices run on VM 0's TSC (pc.c) as its own TSC does, so
 * after a resume its time has moved on by the pause. The device models
 * then catch up in one step, and a timer that fell due any number of
 * times during the pause raises its interrupt once (the PIT's IRQ 0 is
 * one edge, the RTC's flags are set once, the ACPI PM timer's overflow
 * is one status bit; the hypervisor's LAPIC timer skips the periods it
 * missed): interrupts do not pile up, the ticks missed are lost, as on a
 * PC whose interrupts were masked that long. */
#include "guests/mgmt/mgmt.h"

static void vm_pause(struct child *c)
{
	if (!child_alive(c))
		return (void)gprintf("error: vm %s is %s: only a live VM pauses\n", c->name,
				     child_state_name(c));
	if (c->paused)
		return (void)gprintf("vm %s: already paused\n", c->name);
	c->paused = true;
	child_stop_runs(c); /* none of its vCPUs runs once this returns */
	child_out_flush(c);
	gprintf("vm %s: paused\n", c->name);
}

static void vm_resume(struct child *c)
{
	if (!c->paused)
		return (void)gprintf("error: vm %s is %s, not paused\n", c->name,
				     child_state_name(c));
	c->paused = false;
	vm0_cpus_wake_all();
	gprintf("vm %s: resumed%s\n", c->name, c->background ? "" : " (vm start or vm run runs it)");
}

/* Whatever state it is in: the VM made again and entered at its kernel's
 * entry; a paused VM stays paused, one in the background stays there. */
static void vm_reset(struct child *c)
{
	if (child_restart(c))
		gprintf("vm %s: back at its kernel's entry\n", c->name);
}

static void destroy_one(struct child *c)
{
	char name[HV_NAME_MAX];

	hv_strlcpy(name, c->name, sizeof(name));
	if (!child_destroy(c))
		gprintf("vm %s: destroyed\n", name);
}

static void destroy_all(void)
{
	u32 n = 0;

	for (u32 i = 0; i < CHILDREN_MAX; i++) {
		if (child_at(i)) {
			destroy_one(child_at(i));
			n++;
		}
	}
	gprintf("vm destroy all: %u VM(s)\n", n);
}

/* What child c's on_stop asks for, now that it has ended by itself. */
static void on_stop(struct child *c)
{
	switch (c->on_stop) {
	case ON_STOP_KEEP:
		break;
	case ON_STOP_RESTART:
		gprintf("vm %s: on_stop = restart\n", c->name);
		child_restart(c);
		break;
	case ON_STOP_DESTROY:
		gprintf("vm %s: on_stop = destroy\n", c->name);
		destroy_one(c);
		break;
	case ON_STOP_STOP_MACHINE:
		gprintf("vm %s: on_stop = stop-machine: the machine ends with %u\n", c->name,
			c->state == CHILD_EXITED ? c->result : 1);
		mgmt_exit(c->state == CHILD_EXITED ? c->result : 1);
	}
}

void lifecycle_sweep(void)
{
	struct child *c;

	for (u32 i = 0; i < CHILDREN_MAX; i++) {
		if (!(c = child_at(i)) || !c->end_pending || console_attached(c))
			continue;
		c->end_pending = false;
		on_stop(c);
	}
}

static const struct {
	const char *sub;
	void (*fn)(struct child *c);
} commands[] = {
	{ "pause", vm_pause },
	{ "resume", vm_resume },
	{ "reset", vm_reset },
	{ "destroy", destroy_one },
};

bool cmd_vm_lifecycle(const char *sub, struct words *ws)
{
	char usage[32];
	struct child *c;

	for (u32 i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(sub, commands[i].sub))
			continue;
		hv_snprintf(usage, sizeof(usage), "vm %s NAME|ID%s", sub,
			    strcmp(sub, "destroy") ? "" : "|all");
		if (!strcmp(sub, "destroy") && ws->n == 3 && !strcmp(ws->w[2], "all"))
			destroy_all();
		else if ((c = vm_command_child(ws, 2, usage)))
			commands[i].fn(c);
		return true;
	}
	return false;
}
