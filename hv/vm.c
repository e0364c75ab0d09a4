#include "hv/vm.h"
#include "arch/x86/guest_state.h"
#include "arch/x86/stage2.h"
#include "lib/errno.h"
#include "hv/log.h"
#include "hv/mem.h"
#include "hv/uaccess.h"
#include "lib/printf.h"
#include "lib/string.h"

static struct vm vms[VM_MAX];
static bool vm_slot_used[VM_MAX];
static u32 last_vm_id; /* the id given to the latest child VM */

const struct virt_ops *virt;

u32 vm_slot(const struct vm *vm)
{
	return (u32)(vm - vms);
}

struct vm *vm_at_slot(u32 slot)
{
	return slot < VM_MAX && vm_slot_used[slot] ? &vms[slot] : NULL;
}

struct vm *vm_get(u32 id)
{
	for (u32 i = 0; i < VM_MAX; i++)
		if (vm_slot_used[i] && vms[i].id == id)
			return &vms[i];
	return NULL;
}

/* A child gets the id after the last one given, in 1..VM_ID_MAX, so an
 * id stays dead once its VM is destroyed; after the wrap, ids still in
 * use are skipped (there are fewer VMs than ids). */
static u32 vm_child_id_next(void)
{
	do
		last_vm_id = last_vm_id >= VM_ID_MAX ? 1 : last_vm_id + 1;
	while (vm_get(last_vm_id));
	return last_vm_id;
}

static struct vm *vm_slot_take(bool privileged)
{
	for (u32 i = 0; i < VM_MAX; i++) {
		if (!vm_slot_used[i]) {
			memset(&vms[i], 0, sizeof(vms[i]));
			vms[i].id = privileged ? 0 : vm_child_id_next(); /* VM 0 is 0 */
			vm_slot_used[i] = true;
			return &vms[i];
		}
	}
	return NULL;
}

/* Adds one zeroed 2 MiB chunk at gpa. */
static int vm_add_chunk(struct vm *vm, u64 gpa)
{
	u64 hpa;
	int err;

	if (vm->region_count == VM_MAX_REGIONS)
		return -ENOSPC;
	hpa = frame_alloc_contig(&hv_frames, VM_CHUNK / PAGE_SIZE, VM_CHUNK);
	if (!hpa)
		return -ENOMEM;
	memset((void *)hpa, 0, VM_CHUNK);
	err = stage2_map(vm, gpa, hpa, VM_CHUNK, PT_RWX);
	if (err) {
		frame_free(&hv_frames, hpa, VM_CHUNK / PAGE_SIZE);
		return err;
	}
	vm->regions[vm->region_count++] = (struct vm_region){ gpa, hpa };
	return 0;
}

/* Gives back the regions added after the first `keep`. */
static void vm_trim_regions(struct vm *vm, u32 keep)
{
	while (vm->region_count > keep) {
		struct vm_region *r = &vm->regions[--vm->region_count];

		stage2_unmap(vm, r->gpa, VM_CHUNK);
		frame_free(&hv_frames, r->hpa, VM_CHUNK / PAGE_SIZE);
	}
}

int vm_check_memory(const struct vm *vm, u64 gpa, u64 len)
{
	if (!len || gpa % VM_CHUNK || len % VM_CHUNK || gpa + len < gpa)
		return -EINVAL;
	/* both sides are whole chunks: overlap means a chunk starts inside */
	for (u32 i = 0; i < vm->region_count; i++)
		if (vm->regions[i].gpa >= gpa && vm->regions[i].gpa - gpa < len)
			return -EEXIST;
	return 0;
}

bool vm_mem_size_valid(u64 mem_size)
{
	return mem_size && mem_size % VM_CHUNK == 0 &&
	       mem_size / VM_CHUNK <= VM_MAX_REGIONS;
}

int vm_add_memory(struct vm *vm, u64 gpa, u64 len)
{
	u32 keep = vm->region_count;
	int err;

	for (u64 off = 0; off < len; off += VM_CHUNK) {
		err = vm_add_chunk(vm, gpa + off);
		if (err) {
			vm_trim_regions(vm, keep);
			return err;
		}
	}
	vm->mem_size += len;
	return 0;
}

struct vm *vm_create(const char *name, u64 mem_size, bool privileged)
{
	struct vm *vm;
	int err;

	if (!vm_mem_size_valid(mem_size)) {
		log_err("vm %s: memory size 0x%llx is not a multiple of 2 MiB up to %u MiB",
			name, (unsigned long long)mem_size, VM_MAX_REGIONS * 2);
		return NULL;
	}
	vm = vm_slot_take(privileged);
	if (!vm) {
		log_err("vm %s: all %u VM slots in use", name, VM_MAX);
		return NULL;
	}
	hv_strlcpy(vm->name, name, sizeof(vm->name));
	vm->privileged = privileged;
	err = virt->vm_init(vm);
	if (!err)
		err = vm_add_memory(vm, 0, mem_size);
	if (err) {
		log_err("vm %s: cannot create: error %d", name, err);
		vm_destroy(vm);
		return NULL;
	}
	return vm;
}

void vm_destroy(struct vm *vm)
{
	for (u32 i = 0; i < vm->vcpu_count; i++) {
		virt->vcpu_destroy(&vm->vcpus[i]);
		guest_state_free(&vm->vcpus[i]);
	}
	vm->vcpu_count = 0;
	/* the tables go first, whole (their flush included), so the frames
	 * need no unmapping one region at a time */
	virt->vm_destroy(vm);
	for (u32 i = 0; i < vm->region_count; i++)
		frame_free(&hv_frames, vm->regions[i].hpa, VM_CHUNK / PAGE_SIZE);
	vm->region_count = 0;
	vm_slot_used[vm_slot(vm)] = false;
}

struct vcpu *vm_vcpu_create(struct vm *vm)
{
	struct vcpu *v;

	if (vm->vcpu_count == VM_MAX_VCPUS)
		return NULL;
	v = &vm->vcpus[vm->vcpu_count];
	memset(v, 0, sizeof(*v));
	v->vm = vm;
	v->id = vm->vcpu_count;
	msr_reset(&v->msrs, v->id == 0);
	if (guest_state_alloc(v))
		return NULL;
	if (virt->vcpu_create(v)) {
		guest_state_free(v);
		return NULL;
	}
	vm->vcpu_count++;
	return v;
}

void vm_stop(struct vm *vm, u32 kind, const char *fmt, ...)
{
	va_list ap;

	vm->stop_kind = kind;
	va_start(ap, fmt);
	hv_vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
	va_end(ap);
	vm->state = VM_STOPPED;
	log_info("vm %s: stopped: %s", vm->name, vm->stop_reason);
}

/* The region holding gpa: RAM added at creation sits at index gpa/2MiB,
 * so the common case is one comparison. */
static const struct vm_region *vm_region_of(const struct vm *vm, u64 gpa)
{
	u64 idx = gpa / VM_CHUNK;

	if (idx < vm->region_count && vm->regions[idx].gpa == idx * VM_CHUNK)
		return &vm->regions[idx];
	for (u32 i = 0; i < vm->region_count; i++)
		if (gpa >= vm->regions[i].gpa && gpa - vm->regions[i].gpa < VM_CHUNK)
			return &vm->regions[i];
	return NULL;
}

void *vm_gpa_ptr(struct vm *vm, u64 gpa, u64 len, bool write)
{
	const struct vm_region *r = vm_region_of(vm, gpa);

	/* The core maps all RAM R+W+X and never narrows it, so the region
	 * table answers for stage-2 as well; a core that starts narrowing
	 * permissions must check `write` against them here. */
	(void)write;
	if (!r || len > VM_CHUNK - (gpa - r->gpa))
		return NULL;
	return (void *)(r->hpa + (gpa - r->gpa));
}

bool vm_write(struct vm *vm, u64 gpa, const void *src, u64 len)
{
	const u8 *s = src;

	while (len) {
		u64 chunk = page_chunk(gpa, len);
		u8 *p = vm_gpa_ptr(vm, gpa, chunk, true);

		if (!p)
			return false;
		memcpy(p, s, chunk);
		gpa += chunk;
		s += chunk;
		len -= chunk;
	}
	return true;
}
