/* VM 0's boot modules. One that fits in VM 0's RAM after the kernel is
 * copied there. One that does not stays where the boot loader put it and
 * is mapped read-only into VM 0's guest-physical space, above its RAM and
 * below MODMAP_END, each at a 2 MiB boundary (HV_EXT_MODULE_MAP). Its
 * frames lie in a hole of the frame allocator (hv/mem.c reserves every
 * module for good), so no VM ever gets them as RAM, and no other VM's
 * tables map them. A module that ends inside a page ends in a zeroed copy
 * of that page instead, so VM 0 never reads what the loader left after
 * it. */
#include "hv/vm0_modules.h"
#include "arch/x86/stage2.h"
#include "hv/log.h"
#include "hv/mem.h"
#include "lib/errno.h"
#include "lib/string.h"

/* From 3 GiB to 4 GiB VM 0's space stays free for its windows and the
 * local APIC's page. */
#define MODMAP_END (3 * GIB)

/* The copies of partial last pages, freed with VM 0. */
static u64 tail_frames[HV_BOOT_MODULES_MAX];
static u32 tail_count;

static bool copy_module(struct vm *vm, const struct boot_module *m, u64 gpa)
{
	u64 size = m->end - m->start;

	return gpa <= vm->mem_size && size <= vm->mem_size - gpa &&
	       vm_write(vm, gpa, (const void *)m->start, size);
}

/* The last size % PAGE_SIZE bytes of m in a zeroed page of their own,
 * mapped read-only at gpa. 0 or -ENOMEM, nothing mapped on failure. */
static int map_tail(struct vm *vm, const struct boot_module *m, u64 gpa)
{
	u64 whole = ALIGN_DOWN(m->end - m->start, PAGE_SIZE);
	u64 frame = frame_alloc(&hv_frames);

	if (!frame)
		return -ENOMEM;
	memset((void *)frame, 0, PAGE_SIZE);
	memcpy((void *)frame, (const void *)(m->start + whole), m->end - m->start - whole);
	if (stage2_map(vm, gpa, frame, PAGE_SIZE, PT_R)) {
		frame_free(&hv_frames, frame, 1);
		return -ENOMEM;
	}
	tail_frames[tail_count++] = frame;
	return 0;
}

/* Maps m read-only at gpa: its whole pages where they are, the rest
 * through map_tail. 0 or -ENOMEM, nothing mapped on failure. */
static int map_module(struct vm *vm, const struct boot_module *m, u64 gpa)
{
	u64 size = m->end - m->start, whole = ALIGN_DOWN(size, PAGE_SIZE);

	if (whole && stage2_map(vm, gpa, m->start, whole, PT_R))
		return -ENOMEM;
	if (whole == size || !map_tail(vm, m, gpa + whole))
		return 0;
	if (whole)
		stage2_unmap(vm, gpa, whole);
	return -ENOMEM;
}

/* Why m cannot be mapped at gpa, or NULL when it can. */
static const char *map_problem(const struct boot_module *m, u64 gpa)
{
	u64 span = ALIGN_UP(m->end - m->start, PAGE_SIZE);

	if (m->start % PAGE_SIZE)
		return "its start is not page-aligned";
	if (gpa > MODMAP_END || span > MODMAP_END - gpa)
		return "there is no room for it below 3 GiB";
	return NULL;
}

/* Maps module i read-only at the next 2 MiB boundary of VM 0's module
 * range, which grows to cover it. Returns its gpa, or 0 when it is left
 * out (logged). */
static u64 map_above_ram(struct vm *vm, u32 i, const struct boot_module *m)
{
	u64 size = m->end - m->start;
	u64 gpa = ALIGN_UP(vm->modmap_gpa + vm->modmap_len, VM_CHUNK);
	const char *why = map_problem(m, gpa);

	if (!why && map_module(vm, m, gpa))
		why = "its mapping is out of memory";
	if (why) {
		log_warn("vm0: module %u '%s' (%llu KiB) left out: it does not fit "
			 "in VM 0's memory and %s", i, m->string,
			 (unsigned long long)(size / 1024), why);
		return 0;
	}
	vm->modmap_len = gpa + ALIGN_UP(size, PAGE_SIZE) - vm->modmap_gpa;
	log_info("vm0: module %u '%s' (%llu KiB) mapped read-only at "
		 "0x%llx-0x%llx, host 0x%llx", i, m->string,
		 (unsigned long long)(size / 1024), (unsigned long long)gpa,
		 (unsigned long long)(gpa + size), (unsigned long long)m->start);
	return gpa;
}

void vm0_modules_add(struct vm *vm, const struct boot_info *bi, u64 gpa,
		     struct hv_boot_info *info)
{
	vm->modmap_gpa = ALIGN_UP(vm->mem_size, VM_CHUNK);
	for (u32 i = 1; i < bi->module_count && info->module_count < HV_BOOT_MODULES_MAX; i++) {
		const struct boot_module *m = &bi->modules[i];
		struct hv_boot_module *out = &info->modules[info->module_count];
		u64 size = m->end - m->start, at;

		gpa = ALIGN_UP(gpa, PAGE_SIZE);
		if (copy_module(vm, m, gpa)) {
			at = gpa;
			gpa += size;
		} else if (!(at = map_above_ram(vm, i, m))) {
			continue;
		}
		*out = (struct hv_boot_module){ .gpa = at, .size = size };
		hv_strlcpy(out->name, m->string, sizeof(out->name));
		info->module_count++;
	}
}

void vm0_modules_release(void)
{
	while (tail_count)
		frame_free(&hv_frames, tail_frames[--tail_count], 1);
}
