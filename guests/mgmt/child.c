/* The table of child VMs: what the VMM knows about each one (its
 * hypervisor id, its state, its result, its counters, its UART). */
#include "guests/mgmt/mgmt.h"

static struct child children[CHILDREN_MAX];
bool vmm_quiet;

struct child *child_at(u32 i)
{
	return i < CHILDREN_MAX && children[i].used ? &children[i] : NULL;
}

struct child *child_find(const char *name)
{
	char id[12];

	for (u32 i = 0; i < CHILDREN_MAX; i++)
		if (children[i].used && !strcmp(children[i].name, name))
			return &children[i];
	for (u32 i = 0; i < CHILDREN_MAX; i++) {
		if (!children[i].used || children[i].id == CHILD_NO_VM)
			continue;
		hv_snprintf(id, sizeof(id), "%u", children[i].id);
		if (!strcmp(id, name))
			return &children[i];
	}
	return NULL;
}

struct child *child_named(const char *name)
{
	struct child *c = child_find(name);

	if (!c)
		gprintf("error: no VM named '%s' and none with that id (see vm list)\n", name);
	return c;
}

struct child *vm_command_child(struct words *ws, int i, const char *usage)
{
	if (ws->n != i + 1) {
		gprintf("error: usage: %s\n", usage);
		return NULL;
	}
	return child_named(ws->w[i]);
}

struct child *child_alloc(void)
{
	for (u32 i = 0; i < CHILDREN_MAX; i++) {
		if (!children[i].used) {
			memset(&children[i], 0, sizeof(children[i]));
			children[i].used = true;
			children[i].slot = i;
			uart_init(&children[i].uart, NULL, child_out_byte,
				  &children[i]);
			return &children[i];
		}
	}
	return NULL;
}

void child_free(struct child *c)
{
	c->used = false;
}

bool child_alive(const struct child *c)
{
	return c->state == CHILD_CREATED || c->state == CHILD_RUNNING;
}

bool child_runnable(const struct child *c)
{
	return child_alive(c) && !c->paused;
}

bool child_runs(const struct child *c)
{
	return child_runnable(c) && !c->going;
}

const char *child_state_name(const struct child *c)
{
	static const char *const names[] = {
		[CHILD_CREATED] = "created", [CHILD_RUNNING] = "running",
		[CHILD_EXITED] = "exited",   [CHILD_HALTED] = "halted",
		[CHILD_FAULTED] = "fault",   [CHILD_STOPPED] = "stopped",
		[CHILD_POWERED_OFF] = "poweroff", [CHILD_RESET] = "reset",
	};

	return c->paused && child_alive(c) ? "paused" : names[c->state];
}

void child_end(struct child *c, enum child_state st, const char *fmt, ...)
{
	va_list ap;

	child_out_flush(c);
	c->state = st;
	c->paused = false;
	c->end_pending = st != CHILD_STOPPED;
	va_start(ap, fmt);
	hv_vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	if (!vmm_quiet)
		gprintf("vm %s: %s\n", c->name, c->why);
}
