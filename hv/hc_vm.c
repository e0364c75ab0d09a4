/* VM lifecycle for VM 0: create, destroy, add memory, copy data in and
 * out (how a VMM loads an image). */
#include "hv/hc.h"
#include "lib/string.h"

static bool name_valid(const char *name)
{
	size_t len = strnlen(name, HV_NAME_MAX);

	if (!len || len == HV_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (name[i] <= ' ' || name[i] > '~')
			return false;
	return true;
}

static bool name_taken(const char *name)
{
	for (u32 i = 0; i < VM_MAX; i++) {
		struct vm *vm = vm_at_slot(i);

		if (vm && !strcmp(vm->name, name))
			return true;
	}
	return false;
}

int hc_vm_create_decode(struct hc_ctx *c)
{
	const struct hv_vm_create *a = &c->in.hv_vm_create;

	if (a->flags || a->reserved || a->reserved1 || !name_valid(a->name) ||
	    !vm_mem_size_valid(a->mem_size) ||
	    !a->vcpus || a->vcpus > VM_MAX_VCPUS ||
	    (a->exit_reasons & ~HV_EXIT_OPTIONAL_MASK))
		return -EINVAL;
	return name_taken(a->name) ? -EEXIST : 0;
}

s64 hc_vm_create_invoke(struct hc_ctx *c)
{
	const struct hv_vm_create *a = &c->in.hv_vm_create;
	struct vm *vm = vm_create(a->name, a->mem_size, false);

	if (!vm)
		return -ENOMEM; /* nothing is left allocated */
	vm->vcpu_max = a->vcpus;
	vm->exit_reasons = a->exit_reasons;
	return vm->id;
}

s64 hc_vm_destroy_invoke(struct hc_ctx *c)
{
	vm_destroy(c->target);
	return 0;
}

int hc_vm_add_memory_decode(struct hc_ctx *c)
{
	const struct hv_vm_memory *a = &c->in.hv_vm_memory;
	int err;

	if (!flags_known(a->flags, HV_MEM_READONLY) || a->reserved)
		return -EINVAL;
	if ((err = hc_child_vm(a->vm, &c->target)))
		return err;
	/* a range the region table cannot take is refused before a single
	 * chunk is allocated and zeroed */
	if (a->length / VM_CHUNK > VM_MAX_REGIONS - c->target->region_count)
		return -ENOSPC;
	return vm_check_memory(c->target, a->gpa, a->length);
}

s64 hc_vm_add_memory_invoke(struct hc_ctx *c)
{
	const struct hv_vm_memory *a = &c->in.hv_vm_memory;

	/* 0 or -ENOMEM */
	return vm_add_memory(c->target, a->gpa, a->length, a->flags & HV_MEM_READONLY);
}

int hc_vm_copy_decode(struct hc_ctx *c)
{
	const struct hv_vm_copy *a = &c->in.hv_vm_copy;
	bool to_vm = a->flags == HV_COPY_TO_VM;
	int err;

	if ((!to_vm && a->flags != HV_COPY_FROM_VM) || a->reserved ||
	    !a->length || a->length > HV_COPY_MAX)
		return -EINVAL;
	if ((err = hc_child_vm(a->vm, &c->target)))
		return err;
	/* both ranges are checked before any byte moves: the child's must
	 * be RAM (read-only RAM too: the VMM fills ROMs), VM 0's its RAM */
	if (!vm_is_ram(c->target, a->vm_gpa, a->length) ||
	    !gmem_writable(&c->mem, a->buf, a->length))
		return -EFAULT;
	return 0;
}

s64 hc_vm_copy_invoke(struct hc_ctx *c)
{
	const struct hv_vm_copy *a = &c->in.hv_vm_copy;
	bool to_vm = a->flags == HV_COPY_TO_VM;
	struct vm *src_vm = to_vm ? c->vm : c->target;
	struct vm *dst_vm = to_vm ? c->target : c->vm;
	u64 done = 0;

	/* page by page of the source; vm_write splits at the target's pages */
	while (done < a->length) {
		u64 src = (to_vm ? a->buf : a->vm_gpa) + done;
		u64 dst = (to_vm ? a->vm_gpa : a->buf) + done;
		u32 chunk = page_chunk(src, a->length - done);

		vm_write(dst_vm, dst, vm_gpa_ptr(src_vm, src, chunk, false), chunk);
		done += chunk;
	}
	return 0;
}
