/* What every hypercall handler shares: the caller's memory as a struct
 * gmem, struct copies that the tracer can see, and handle lookups. */
#include "hv/hc.h"
#include "hv/hypercall.h"
#include "lib/string.h"

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

void hc_ctx_init_mem(struct hc_ctx *c)
{
	c->mem = (struct gmem){ .read = caller_read, .write = caller_write,
				.writable = caller_writable, .ctx = c->vm };
}

/* Keeps the struct for the tracer, which prints after the call. */
static void hc_remember(struct hc_ctx *c, const void *bytes, u32 len)
{
	if (!(hypercall_trace_flags() & HV_TRACE_HYPERCALLS))
		return;
	c->trace_len = MIN(len, (u32)HC_TRACE_MAX);
	memcpy(c->trace_bytes, bytes, c->trace_len);
}

int hc_copy_in(struct hc_ctx *c, void *dst, u32 known, u32 first)
{
	u32 caller_size;
	int err = copy_struct_in(&c->mem, c->arg, dst, known, first, &caller_size);

	if (!err)
		hc_remember(c, dst, MIN(caller_size, known));
	return err;
}

int hc_copy_out(struct hc_ctx *c, void *src, u32 full, u32 min)
{
	int err = copy_struct_out(&c->mem, c->arg, src, full, min);

	hc_remember(c, src, full);
	return err;
}

bool hc_range_is_ram(struct vm *vm, u64 gpa, u64 len, bool write)
{
	while (len) {
		u64 chunk = MIN(len, PAGE_SIZE - (gpa & (PAGE_SIZE - 1)));

		if (!vm_gpa_ptr(vm, gpa, chunk, write))
			return false;
		gpa += chunk;
		len -= chunk;
	}
	return true;
}

int hc_child_vm(u32 id, struct vm **out)
{
	struct vm *vm = vm_get(id);

	if (!vm)
		return -ENOENT;
	if (vm->privileged)
		return -EPERM; /* VM 0 is not managed through the ABI */
	*out = vm;
	return 0;
}

int hc_child_vcpu(u32 vm_id, u32 vcpu_id, struct vcpu **out)
{
	struct vm *vm;
	int err = hc_child_vm(vm_id, &vm);

	if (err)
		return err;
	if (vcpu_id >= vm->vcpu_count)
		return -ENOENT;
	*out = &vm->vcpus[vcpu_id];
	return 0;
}

/* The management structs that begin {size, flags, vm, reserved} and
 * define no flags: vm_destroy, vm_memory, vcpu_create. */
struct vm_target_header {
	u32 size, flags, vm, reserved;
};

_Static_assert(__builtin_offsetof(struct hv_vm_destroy, vm) == 8 &&
	       __builtin_offsetof(struct hv_vm_memory, vm) == 8 &&
	       __builtin_offsetof(struct hv_vcpu_create, vm) == 8 &&
	       __builtin_offsetof(struct hv_vm_memory, reserved) == 12,
	       "vm target header layout");

int hc_decode_vm_target(struct hc_ctx *c, void *a, u32 known, u32 first, struct vm **vm)
{
	const struct vm_target_header *h = a;
	int err = hc_copy_in(c, a, known, first);

	if (err)
		return err;
	if (h->flags || h->reserved)
		return -EINVAL;
	return hc_child_vm(h->vm, vm);
}
