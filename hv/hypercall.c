#include "hv/hypercall.h"
#include "hv/trace_format.h"
#include "hv/hc.h"
#include "hv/log.h"

static u32 trace_flags;

void hypercall_set_trace(u32 flags)
{
	trace_flags = flags;
}

u32 hypercall_trace_flags(void)
{
	return trace_flags;
}

struct hc_entry {
	hc_fn fn;
	bool management; /* VM 0 only */
};

static const struct hc_entry hypercalls[HV_CALL_COUNT] = {
	[HV_CALL_ABI_VERSION] = { hc_abi_version, false },
	[HV_CALL_INFO] = { hc_info, false },
	[HV_CALL_CHECK_EXTENSION] = { hc_check_extension, false },
	[HV_CALL_FEATURE] = { hc_feature, true },
	[HV_CALL_CONSOLE_WRITE] = { hc_console_write, false },
	[HV_CALL_VM_CREATE] = { hc_vm_create, true },
	[HV_CALL_VM_DESTROY] = { hc_vm_destroy, true },
	[HV_CALL_VM_ADD_MEMORY] = { hc_vm_add_memory, true },
	[HV_CALL_VM_COPY] = { hc_vm_copy, true },
	[HV_CALL_VCPU_CREATE] = { hc_vcpu_create, true },
	[HV_CALL_VCPU_GET_REGS] = { hc_vcpu_get_regs, true },
	[HV_CALL_VCPU_SET_REGS] = { hc_vcpu_set_regs, true },
	[HV_CALL_VCPU_RUN] = { hc_vcpu_run, true },
	[HV_CALL_STATS] = { hc_stats, true },
};

bool hypercall_known(u64 nr)
{
	return nr < HV_CALL_COUNT && hypercalls[nr].fn;
}

static void trace_call(const struct hc_ctx *c, u64 nr, s64 ret)
{
	char line[1280]; /* vcpu_set_regs lines are the longest */

	abi_format_call(nr < ~0u ? (u32)nr : ~0u, c->trace_bytes, c->trace_len, ret,
			line, sizeof(line));
	log_info("trace: vm %s: %s", c->vm->name, line);
}

void hypercall_dispatch(struct vcpu *v, bool user)
{
	struct hc_ctx c; /* not zeroed: the trace buffer stays cold */
	u64 nr = v->regs.rax;
	s64 ret;

	c.vcpu = v;
	c.vm = v->vm;
	c.arg = v->regs.rdi;
	c.trace_len = 0;
	hc_ctx_init_mem(&c);
	v->vm->stats.hypercalls++;
	if (user)
		ret = -EPERM; /* decided before any guest memory is read */
	else if (!hypercall_known(nr))
		ret = -ENOSYS;
	else if (hypercalls[nr].management && !v->vm->privileged)
		ret = -EPERM;
	else
		ret = hypercalls[nr].fn(&c);
	if (trace_flags & HV_TRACE_HYPERCALLS)
		trace_call(&c, nr, ret);
	v->regs.rax = (u64)ret;
}
