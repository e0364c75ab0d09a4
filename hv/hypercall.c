#include "hv/hypercall.h"
#include "abi/hv_boot.h"
#include "hv/errno.h"
#include "hv/log.h"

typedef s64 (*hypercall_fn)(struct vcpu *v);

static s64 hc_abi_version(struct vcpu *v)
{
	(void)v;
	return HV_ABI_VERSION;
}

static const hypercall_fn hypercalls[] = {
	[HC_ABI_VERSION] = hc_abi_version,
};

void hypercall_dispatch(struct vcpu *v)
{
	u64 nr = v->regs.rax;
	s64 ret = -ENOSYS;

	v->vm->stats.hypercalls++;
	if (nr < ARRAY_SIZE(hypercalls) && hypercalls[nr])
		ret = hypercalls[nr](v);
	log_debug("vm %s: hypercall %llu = %lld", v->vm->name,
		  (unsigned long long)nr, (long long)ret);
	v->regs.rax = (u64)ret;
}
