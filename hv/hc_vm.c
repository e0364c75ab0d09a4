/* VM lifecycle for VM 0: create, destroy, add memory, copy data in and
 * out (how a VMM loads an image). */
#include "hv/hc.h"
#include "hv/log.h"
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

static int decode_vm_create(struct hc_ctx *c, struct hv_vm_create *a)
{
	int err = hc_copy_in(c, a, sizeof(*a), HV_VM_CREATE_SIZE_VER0);

	if (err)
		return err;
	if (a->flags || a->reserved || a->reserved1 || !name_valid(a->name) ||
	    !a->mem_size || a->mem_size % VM_CHUNK ||
	    a->mem_size / VM_CHUNK > VM_MAX_REGIONS ||
	    !a->vcpus || a->vcpus > VM_MAX_VCPUS ||
	    (a->exit_reasons & ~HV_EXIT_OPTIONAL_MASK))
		return -EINVAL;
	return name_taken(a->name) ? -EEXIST : 0;
}

s64 hc_vm_create(struct hc_ctx *c)
{
	struct hv_vm_create a;
	struct vm *vm;
	int err = decode_vm_create(c, &a);

	if (err)
		return err;
	vm = vm_create(a.name, a.mem_size, false);
	if (!vm)
		return -ENOMEM;
	vm->vcpu_max = a.vcpus;
	vm->exit_reasons = a.exit_reasons;
	return vm->id;
}

s64 hc_vm_destroy(struct hc_ctx *c)
{
	struct hv_vm_destroy a;
	struct vm *vm;
	int err = hc_decode_vm_target(c, &a, sizeof(a), HV_VM_DESTROY_SIZE_VER0, &vm);

	if (err)
		return err;
	vm_destroy(vm);
	return 0;
}

s64 hc_vm_add_memory(struct hc_ctx *c)
{
	struct hv_vm_memory a;
	struct vm *vm;
	int err = hc_decode_vm_target(c, &a, sizeof(a), HV_VM_MEMORY_SIZE_VER0, &vm);

	if (err)
		return err;
	/* a range the region table cannot take is refused before a single
	 * chunk is allocated and zeroed */
	if (a.length / VM_CHUNK > VM_MAX_REGIONS - vm->region_count)
		return -ENOSPC;
	/* vm_add_memory checks alignment and overlap before it changes anything */
	return vm_add_memory(vm, a.gpa, a.length);
}

static int decode_vm_copy(struct hc_ctx *c, struct hv_vm_copy *a, struct vm **vm)
{
	int err = hc_copy_in(c, a, sizeof(*a), HV_VM_COPY_SIZE_VER0);
	bool to_vm;

	if (err)
		return err;
	if ((a->flags != HV_COPY_TO_VM && a->flags != HV_COPY_FROM_VM) || a->reserved ||
	    !a->length || a->length > HV_COPY_MAX)
		return -EINVAL;
	if ((err = hc_child_vm(a->vm, vm)))
		return err;
	to_vm = a->flags == HV_COPY_TO_VM;
	/* both ranges are checked before any byte moves */
	if (!hc_range_is_ram(*vm, a->vm_gpa, a->length, to_vm) ||
	    !hc_range_is_ram(c->vm, a->buf, a->length, !to_vm))
		return -EFAULT;
	return 0;
}

s64 hc_vm_copy(struct hc_ctx *c)
{
	struct hv_vm_copy a;
	struct vm *vm;
	int err = decode_vm_copy(c, &a, &vm);
	bool to_vm = a.flags == HV_COPY_TO_VM;
	u64 done = 0;

	if (err)
		return err;
	while (done < a.length) {
		u64 src = (to_vm ? a.buf : a.vm_gpa) + done;
		u64 dst = (to_vm ? a.vm_gpa : a.buf) + done;
		u64 chunk = MIN(a.length - done, MIN(PAGE_SIZE - (src & (PAGE_SIZE - 1)),
						    PAGE_SIZE - (dst & (PAGE_SIZE - 1))));

		memcpy(vm_gpa_ptr(to_vm ? vm : c->vm, dst, chunk, true),
		       vm_gpa_ptr(to_vm ? c->vm : vm, src, chunk, false), chunk);
		done += chunk;
	}
	return 0;
}
