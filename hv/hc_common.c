/* What every hypercall handler shares: the caller's memory as a struct
 * gmem, answers written back under the argsz rules, handle lookups, and
 * the trace switch that FEATURE and the command line set. */
#include "hv/hc.h"
#include "hv/hypercall.h"
#include "lib/string.h"

u32 hypercall_trace;

static bool caller_read(void *ctx, u64 gpa, void *buf, u32 len)
{
	void *p = vm_gpa_ptr(ctx, gpa, len, false);

	if (p)
		memcpy(buf, p, len);
	return p;
}

static bool caller_write(void *ctx, u64 gpa, const void *buf, u32 len)
{
	void *p = vm_gpa_ptr(ctx, gpa, len, true);

	if (p)
		memcpy(p, buf, len);
	return p;
}

static bool caller_writable(void *ctx, u64 gpa, u32 len)
{
	return vm_gpa_ptr(ctx, gpa, len, true);
}

void hc_vm_mem(struct gmem *m, struct vm *vm)
{
	*m = (struct gmem){ .read = caller_read, .write = caller_write,
			    .writable = caller_writable, .ctx = vm };
}

/* The tracer shows the answer whether or not it could be written. */
int hc_check_out(struct hc_ctx *c, void *src, u32 full_size, u32 min_size)
{
	c->trace = src;
	c->trace_len = full_size;
	return check_struct_out(&c->mem, c->arg, src, full_size, min_size, &c->len);
}

s64 hc_write_out(struct hc_ctx *c)
{
	gmem_write(&c->mem, c->arg, c->trace, c->len); /* checked by hc_check_out */
	return 0;
}

/* The calls whose invoke only writes back the answer their decode built. */
s64 hc_info_invoke(struct hc_ctx *c) __attribute__((alias("hc_write_out")));
s64 hc_stats_invoke(struct hc_ctx *c) __attribute__((alias("hc_write_out")));
s64 hc_vcpu_get_regs_invoke(struct hc_ctx *c) __attribute__((alias("hc_write_out")));
s64 hc_vcpu_get_lapic_invoke(struct hc_ctx *c) __attribute__((alias("hc_write_out")));
s64 hc_cpu_stats_invoke(struct hc_ctx *c) __attribute__((alias("hc_write_out")));

/* The management structs that begin {size, flags, vm, reserved} and
 * define no flags: vm_destroy, vcpu_create (and vm_memory, read as they
 * are but with a flag). VM_DESTROY's is
 * that header alone, so all three are read through it. */
_Static_assert(__builtin_offsetof(struct hv_vm_memory, vm) == 8 &&
	       __builtin_offsetof(struct hv_vcpu_create, vm) == 8 &&
	       __builtin_offsetof(struct hv_vm_memory, reserved) == 12 &&
	       __builtin_offsetof(struct hv_vcpu_create, reserved) == 12,
	       "vm target header layout");

int hc_decode_vm_target(struct hc_ctx *c)
{
	const struct hv_vm_destroy *h = &c->in.hv_vm_destroy;

	if (h->flags || h->reserved)
		return -EINVAL;
	return hc_child_vm(h->vm, &c->target);
}

/* VM_DESTROY checks only the VM it names. */
int hc_vm_destroy_decode(struct hc_ctx *c) __attribute__((alias("hc_decode_vm_target")));
