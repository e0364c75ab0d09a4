/* HV_CALL_TRACE_READ: VM 0 sets what the binary trace buffer records and
 * drains one CPU's ring (hv/tracebuf.h, docs/abi.md). */
#include "hv/hc.h"
#include "hv/tracebuf.h"

#define READ_FLAGS (HV_TRACE_READ_SET | HV_TRACE_READ_ONE_VM)
#define OUT_EVENTS HV_ABI_OFFSET(struct hv_trace_read, events) /* events, vm */
#define OUT_LOST HV_ABI_OFFSET(struct hv_trace_read, lost)

/* Without SET, events and vm are outputs only: their input is ignored. */
static bool filter_valid(const struct hv_trace_read *a)
{
	if (!(a->flags & HV_TRACE_READ_SET))
		return !(a->flags & HV_TRACE_READ_ONE_VM);
	return !(a->events & ~HV_TRACE_EV_ALL) &&
	       (!(a->flags & HV_TRACE_READ_ONE_VM) || a->vm != HV_TRACE_ALL_VMS);
}

int hc_trace_read_decode(struct hc_ctx *c)
{
	const struct hv_trace_read *a = &c->in.hv_trace_read;

	if (!flags_known(a->flags, READ_FLAGS) || a->reserved || !filter_valid(a) ||
	    a->len % HV_TRACE_RECORD_SIZE || a->len > HV_TRACE_READ_MAX)
		return -EINVAL;
	if (a->len && a->cpu >= tracebuf_cpus())
		return -ENOENT;
	if ((a->len && !gmem_writable(&c->mem, a->buf, a->len)) ||
	    !gmem_writable(&c->mem, c->arg + OUT_EVENTS, 2 * sizeof(u32)) ||
	    !gmem_writable(&c->mem, c->arg + OUT_LOST, sizeof(u64)))
		return -EFAULT;
	return 0;
}

s64 hc_trace_read_invoke(struct hc_ctx *c)
{
	const struct hv_trace_read *a = &c->in.hv_trace_read;
	u32 now[2], n = 0;
	u64 lost = 0;

	if (a->flags & HV_TRACE_READ_SET)
		tracebuf_set(a->events, a->flags & HV_TRACE_READ_ONE_VM ? a->vm : HV_TRACE_ALL_VMS);
	if (a->len)
		n = tracebuf_read(a->cpu, &c->mem, a->buf, a->len / HV_TRACE_RECORD_SIZE, &lost);
	now[0] = tracebuf_events;
	now[1] = tracebuf_vm();
	gmem_write(&c->mem, c->arg + OUT_EVENTS, now, sizeof(now)); /* checked */
	gmem_write(&c->mem, c->arg + OUT_LOST, &lost, sizeof(lost));
	return n;
}
