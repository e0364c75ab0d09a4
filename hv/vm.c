#include "hv/vm.h"
#include "arch/x86/guest_state.h"
#include "arch/x86/stage2.h"
#include "arch/x86/tsc.h"
#include "lib/errno.h"
#include "hv/lock.h"
#include "hv/log.h"
#include "hv/arch.h"
#include "hv/mem.h"
#include "hv/uaccess.h"
#include "hv/vcpu_move.h"
#include "lib/printf.h"
#include "lib/string.h"

/* The VM table and the VM ids: guarded by hv_lock (hv/lock.h), as is
 * each VM (its stage-2 tables included). */
static struct vm vms[VM_MAX];
static bool vm_slot_used[VM_MAX];
static u32 last_vm_id; /* the id given to the latest child VM */


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
		if (vm_slot_used[i] && vms[i].id == id && !vms[i].dying)
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
static int vm_add_chunk(struct vm *vm, u64 gpa, bool readonly)
{
	u64 hpa;
	int err;

	if (vm->region_count == VM_MAX_REGIONS)
		return -ENOSPC;
	hpa = frame_alloc_contig(&hv_frames, VM_CHUNK / PAGE_SIZE, VM_CHUNK);
	if (!hpa)
		return -ENOMEM;
	memset((void *)hpa, 0, VM_CHUNK);
	err = stage2_map(vm, gpa, hpa, VM_CHUNK, readonly ? PT_R | PT_X : PT_RWX);
	if (err) {
		frame_free(&hv_frames, hpa, VM_CHUNK / PAGE_SIZE);
		return err;
	}
	vm->regions[vm->region_count++] = (struct vm_region){ gpa, hpa, readonly };
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

/* Whether two non-empty ranges that do not wrap share a byte. */
static bool ranges_overlap(u64 a, u64 a_len, u64 b, u64 b_len)
{
	return a < b ? b - a < a_len : a - b < b_len;
}

/* Whether [gpa, gpa+len) overlaps the VM's RAM or, with windows, one of
 * its windows or its mapped modules. */
static bool vm_overlaps(const struct vm *vm, u64 gpa, u64 len, bool windows)
{
	for (u32 i = 0; i < vm->region_count; i++)
		if (ranges_overlap(vm->regions[i].gpa, VM_CHUNK, gpa, len))
			return true;
	for (u32 i = 0; windows && i < VM_MAX_WINDOWS; i++)
		if (vm->windows[i].len &&
		    ranges_overlap(vm->windows[i].gpa, vm->windows[i].len, gpa, len))
			return true;
	return windows && vm->modmap_len &&
	       ranges_overlap(vm->modmap_gpa, vm->modmap_len, gpa, len);
}

/* Whether [gpa, gpa+len) is a non-empty range of whole `align` units
 * that does not wrap. */
static bool range_valid(u64 gpa, u64 len, u64 align)
{
	return len && !(gpa % align) && !(len % align) && gpa + len > gpa;
}

int vm_check_memory(const struct vm *vm, u64 gpa, u64 len)
{
	if (!range_valid(gpa, len, VM_CHUNK))
		return -EINVAL;
	return vm_overlaps(vm, gpa, len, false) ? -EEXIST : 0;
}

int vm_check_window(const struct vm *host, u64 gpa, u64 len)
{
	if (!range_valid(gpa, len, PAGE_SIZE) || gpa + len > PT_ADDR_LIMIT)
		return -EINVAL;
	return vm_overlaps(host, gpa, len, true) ? -EEXIST : 0;
}

struct vm_window *vm_window_at(struct vm *host, u64 gpa)
{
	for (u32 i = 0; i < VM_MAX_WINDOWS; i++)
		if (host->windows[i].gpa == gpa && host->windows[i].len)
			return &host->windows[i];
	return NULL;
}

struct vm_window *vm_window_free(struct vm *host)
{
	for (u32 i = 0; i < VM_MAX_WINDOWS; i++)
		if (!host->windows[i].len)
			return &host->windows[i];
	return NULL;
}

bool vm_mem_size_valid(u64 mem_size)
{
	return mem_size && mem_size % VM_CHUNK == 0 &&
	       mem_size / VM_CHUNK <= VM_MAX_REGIONS;
}

int vm_add_memory(struct vm *vm, u64 gpa, u64 len, bool readonly)
{
	u32 keep = vm->region_count;
	int err;

	for (u64 off = 0; off < len; off += VM_CHUNK) {
		err = vm_add_chunk(vm, gpa + off, readonly);
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
	vm->tsc_offset = privileged ? 0 : -rdtsc(); /* VM 0's TSC is the host's */
	err = virt->vm_init(vm);
	if (!err)
		err = vm_add_memory(vm, 0, mem_size, false);
	if (err) {
		/* a child's creator gets the error and reports it */
		hv_log(privileged ? LOG_ERR : LOG_DEBUG, "vm %s: cannot create: error %d", name, err);
		vm_destroy(vm);
		return NULL;
	}
	return vm;
}

/* A child's frames are about to go: VM 0 must no longer reach them. */
static void vm_windows_close(const struct vm *child)
{
	struct vm *host = vm_get(0);

	for (u32 i = 0; host && i < VM_MAX_WINDOWS; i++)
		if (host->windows[i].len && host->windows[i].child == child->id)
			vm_window_unmap(host, &host->windows[i]);
}

void vm_kick(struct vm *vm)
{
	u32 here = arch_cpu_id();

	for (u32 i = 0; i < vm->vcpu_count; i++) {
		u32 cpu = vm->vcpus[i].running_on;

		if (cpu != VCPU_NO_CPU && cpu != here)
			arch_kick_cpu(cpu);
	}
}

static bool stopped_elsewhere(const void *arg)
{
	const struct vm *vm = arg;
	u32 here = arch_cpu_id();

	for (u32 i = 0; i < vm->vcpu_count; i++) {
		u32 cpu = vm->vcpus[i].running_on;

		if ((cpu != VCPU_NO_CPU && cpu != here) || vm->vcpus[i].moving)
			return false;
	}
	return true;
}

void vm_wait_stopped_elsewhere(struct vm *vm)
{
	if (stopped_elsewhere(vm))
		return;
	vm_kick(vm);
	hv_lock_wait_until(stopped_elsewhere, vm);
}

/* A vCPU's backend state is freed where it is: every other CPU gives
 * up what it holds of each first (hv/vcpu_move.h). None runs or moves
 * now, and no call reaches the dying VM, so each claim ends with the
 * vCPU here or on no CPU (-ENOENT once it waited: the VM is dying). */
static void vm_vcpus_take_here(struct vm *vm)
{
	for (u32 i = 0; i < vm->vcpu_count; i++)
		(void)vcpu_claim(&vm->vcpus[i]);
}

/* A child still running on another CPU is stopped there first (dying
 * keeps every call from reaching it meanwhile). */
void vm_destroy(struct vm *vm)
{
	vm->dying = true;
	if (vm->state != VM_STOPPED) { /* what a run still going on returns */
		vm->stop_kind = HV_EXIT_FAILED;
		hv_strlcpy(vm->stop_reason, "destroyed", sizeof(vm->stop_reason));
		vm->state = VM_STOPPED;
	}
	vm_wait_stopped_elsewhere(vm);
	vm_vcpus_take_here(vm);
	if (!vm->privileged)
		vm_windows_close(vm);
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
	vlapic_reset(&v->apic, v->id, v->id == 0); /* used when vm->lapic */
	if (guest_state_alloc(v))
		return NULL;
	if (virt->vcpu_create(v)) {
		guest_state_free(v);
		return NULL;
	}
	v->tsc_offset = vm->tsc_offset;
	virt->set_tsc_offset(v, v->tsc_offset);
	if (virt->vcpu_release) /* bound to no CPU until one uses it */
		virt->vcpu_release(v);
	v->running_on = v->home_cpu = VCPU_NO_CPU;
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
	vm_kick(vm); /* its vCPUs on other CPUs stop now */
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

/* The region table answers for stage-2: RAM is R+W+X, or R+X when
 * read-only, and windows are not RAM. */
void *vm_gpa_ptr(struct vm *vm, u64 gpa, u64 len, bool write)
{
	const struct vm_region *r = vm_region_of(vm, gpa);

	if (!r || len > VM_CHUNK - (gpa - r->gpa) || (write && r->readonly))
		return NULL;
	return (void *)(r->hpa + (gpa - r->gpa));
}

bool vm_is_ram(const struct vm *vm, u64 gpa, u64 len)
{
	u64 end = gpa + len;

	if (!len || end < gpa)
		return false;
	for (gpa = ALIGN_DOWN(gpa, VM_CHUNK); gpa < end; gpa += VM_CHUNK)
		if (!vm_region_of(vm, gpa))
			return false;
	return true;
}

int vm_window_map(struct vm *host, struct vm_window *w, struct vm *child,
		  u64 child_gpa, bool readonly)
{
	u32 perms = readonly ? PT_R : PT_RWX;

	w->child = child->id;
	for (u64 off = 0, piece; off < w->len; off += piece) {
		u64 src = child_gpa + off;
		int err;

		piece = MIN(VM_CHUNK - src % VM_CHUNK, w->len - off);
		/* RAM is identity-mapped: the host pointer is the frame */
		err = stage2_map(host, w->gpa + off,
				 (u64)(uintptr_t)vm_gpa_ptr(child, src, piece, false), piece, perms);
		if (err) {
			if (off)
				stage2_unmap(host, w->gpa, off);
			w->len = 0;
			return err;
		}
	}
	return 0;
}

/* A stage-2 mapping of vm was removed or restricted, and this CPU's TLB
 * flushed: every other CPU running one of its vCPUs leaves guest mode
 * once (kicked) before this returns, and flushes at its next entry (the
 * backends' stage-2 generations). */
static bool cpu_left_guest(const void *arg)
{
	const u64 *seen = arg; /* [cpu, exits] */

	return arch_cpu_left_guest_since((u32)seen[0], seen[1]);
}

void vm_tlb_shootdown(struct vm *vm)
{
	u32 here = arch_cpu_id();

	for (u32 i = 0; i < vm->vcpu_count; i++) {
		u32 cpu = vm->vcpus[i].running_on;
		u64 seen[2] = { cpu, 0 };

		if (cpu == VCPU_NO_CPU || cpu == here)
			continue;
		seen[1] = arch_cpu_guest_exits(cpu);
		if (cpu_left_guest(seen)) /* out of guest mode: enters flushing */
			continue;
		arch_kick_cpu(cpu);
		hv_lock_wait_until(cpu_left_guest, seen);
	}
}

void vm_window_unmap(struct vm *host, struct vm_window *w)
{
	stage2_unmap(host, w->gpa, w->len);
	w->len = 0;
	vm_tlb_shootdown(host);
}

bool vm_write(struct vm *vm, u64 gpa, const void *src, u64 len)
{
	const u8 *s = src;

	while (len) {
		u64 chunk = page_chunk(gpa, len);
		/* the VMM's write: read-only RAM too */
		u8 *p = vm_gpa_ptr(vm, gpa, chunk, false);

		if (!p)
			return false;
		memcpy(p, s, chunk);
		gpa += chunk;
		s += chunk;
		len -= chunk;
	}
	return true;
}
