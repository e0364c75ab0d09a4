/* Unit tests for VM 0's boot modules (hv/vm0_modules.c) over hv/vm.c and
 * the real frame allocator. RAM and the modules are host buffers whose
 * addresses stand in for physical ones; stage-2 is a stub that records
 * what is mapped. A module that fits is copied into VM 0's RAM as it
 * always was; one that does not is mapped read-only above the RAM, its
 * partial last page as a zeroed copy; one that cannot be mapped is left
 * out with nothing mapped and no frame kept. */
#include "check.h"
#include "../../hv/frame.c"
#include "../../lib/printf.c"
#include "../../hv/vm.c"
#include "../../hv/virt.c"
#include "../../hv/vlapic.c"
#include "../../hv/vm0_modules.c"

#define RAM_SIZE (16 * MIB)
#define MOD_SIZE (16 * MIB)
#define VM0_MEM (4 * MIB)
#define MAPS_MAX 8

static u8 *ram, *mods;
static int map_fail_after; /* stage2_map calls left before failing; < 0: never */

static struct map { u64 gpa, hpa, size; u32 perms; } maps[MAPS_MAX];
static u32 nmaps;

#include "vm_stubs.h"

/* RAM chunks (PT_RWX) are not recorded: only what else gets mapped. */
int stage2_map(struct vm *vm, u64 gpa, u64 hpa, u64 size, u32 perms)
{
	(void)vm;
	if (map_fail_after == 0)
		return -ENOMEM;
	if (map_fail_after > 0)
		map_fail_after--;
	if (perms != PT_RWX && nmaps < MAPS_MAX)
		maps[nmaps++] = (struct map){ gpa, hpa, size, perms };
	return 0;
}

long stage2_unmap(struct vm *vm, u64 gpa, u64 size)
{
	(void)vm;
	for (u32 i = 0; i < nmaps; i++)
		if (maps[i].gpa == gpa && maps[i].size == size)
			maps[i] = maps[--nmaps];
	return (long)(size / PAGE_SIZE);
}

static int stub_vm_init(struct vm *vm)
{
	(void)vm;
	return 0;
}

static void stub_vm_destroy(struct vm *vm)
{
	(void)vm;
	nmaps = 0;
}

static const struct virt_ops stub_ops = {
	.vm_init = stub_vm_init,
	.vm_destroy = stub_vm_destroy,
};

static struct boot_info bi;
static struct hv_boot_info info;

static struct vm *setup(void)
{
	struct vm *vm;

	if (!ram) {
		ram = aligned_alloc(VM_CHUNK, RAM_SIZE);
		mods = aligned_alloc(VM_CHUNK, MOD_SIZE);
	}
	for (u64 i = 0; i < MOD_SIZE; i++)
		mods[i] = (u8)(i * 7 + (i >> 12));
	frames_over(ram, RAM_SIZE);
	virt = &stub_ops;
	map_fail_after = -1;
	nmaps = 0;
	memset(&bi, 0, sizeof(bi));
	memset(&info, 0, sizeof(info));
	bi.module_count = 1; /* module 0 is VM 0's kernel */
	vm = vm_create("vm0", VM0_MEM, true);
	CHECK(vm);
	return vm;
}

/* Module `len` bytes at offset off of the module buffer. */
static void add_module(u64 off, u64 len, const char *name)
{
	struct boot_module *m = &bi.modules[bi.module_count++];

	m->start = (u64)(uintptr_t)mods + off;
	m->end = m->start + len;
	snprintf(m->string, sizeof(m->string), "%s", name);
}

static void teardown(struct vm *vm, u64 free_before)
{
	vm_destroy(vm);
	vm0_modules_release();
	CHECK_EQ(hv_frames.free_frames, free_before);
}

TEST(fitting_modules_are_copied_a_large_one_mapped_read_only)
{
	struct vm *vm = setup();
	u64 free0 = hv_frames.free_frames + VM0_MEM / PAGE_SIZE;
	u64 big = 6 * MIB + 100;
	const u8 *tail;

	add_module(0, 5000, "small one");
	add_module(2 * MIB, big, "big");
	add_module(12 * MIB, 3000, "after");
	vm0_modules_add(vm, &bi, MIB, &info);
	CHECK_EQ(info.module_count, 3);
	CHECK_EQ(info.modules[0].gpa, MIB);
	CHECK(!memcmp(vm_gpa_ptr(vm, MIB, 5000, false), mods, 5000));
	CHECK_EQ(info.modules[1].gpa, VM0_MEM);
	CHECK_EQ(info.modules[1].size, big);
	CHECK(!strcmp(info.modules[1].name, "big"));
	CHECK_EQ(info.modules[2].gpa, MIB + 8192); /* copied, after the first */
	CHECK(!memcmp(vm_gpa_ptr(vm, MIB + 8192, 3000, false), mods + 12 * MIB, 3000));
	CHECK_EQ(nmaps, 2);
	CHECK_EQ(maps[0].gpa, VM0_MEM);
	CHECK_EQ(maps[0].hpa, (u64)(uintptr_t)mods + 2 * MIB);
	CHECK_EQ(maps[0].size, 6 * MIB);
	CHECK_EQ(maps[0].perms, PT_R);
	CHECK_EQ(maps[1].gpa, VM0_MEM + 6 * MIB);
	CHECK_EQ(maps[1].size, PAGE_SIZE);
	CHECK_EQ(maps[1].perms, PT_R);
	tail = (const u8 *)(uintptr_t)maps[1].hpa;
	CHECK(!memcmp(tail, mods + 2 * MIB + 6 * MIB, 100));
	for (u32 i = 100; i < PAGE_SIZE; i++)
		CHECK_EQ(tail[i], 0);
	CHECK(!vm_gpa_ptr(vm, VM0_MEM, 1, false)); /* not RAM */
	teardown(vm, free0);
}

TEST(no_window_over_the_mapped_modules)
{
	struct vm *vm = setup();
	u64 free0 = hv_frames.free_frames + VM0_MEM / PAGE_SIZE;

	add_module(0, 3 * MIB + 1, "a"); /* 1 byte more than the RAM left */
	add_module(4 * MIB, 5 * MIB, "b");
	vm0_modules_add(vm, &bi, MIB, &info);
	CHECK_EQ(info.module_count, 2);
	CHECK_EQ(info.modules[0].gpa, VM0_MEM);
	CHECK_EQ(info.modules[1].gpa, VM0_MEM + 4 * MIB); /* next 2 MiB boundary */
	CHECK_EQ(vm_check_window(vm, VM0_MEM + 8 * MIB, PAGE_SIZE), -EEXIST);
	CHECK_EQ(vm_check_window(vm, VM0_MEM + 3 * MIB, PAGE_SIZE), -EEXIST);
	CHECK_EQ(vm_check_window(vm, VM0_MEM + 9 * MIB, PAGE_SIZE), 0);
	CHECK_EQ(vm_check_window(vm, 3 * GIB, PAGE_SIZE), 0);
	teardown(vm, free0);
}

TEST(modules_that_cannot_be_mapped_are_left_out)
{
	struct vm *vm = setup();
	u64 free0 = hv_frames.free_frames + VM0_MEM / PAGE_SIZE;
	struct boot_module *huge;

	add_module(100, 5 * MIB, "unaligned");
	add_module(0, 5 * MIB, "huge"); /* made 3 GiB below, never read */
	huge = &bi.modules[bi.module_count - 1];
	huge->end = huge->start + 3 * GIB;
	add_module(0, 4000, "fits");
	vm0_modules_add(vm, &bi, MIB, &info);
	CHECK_EQ(info.module_count, 1);
	CHECK(!strcmp(info.modules[0].name, "fits"));
	CHECK_EQ(nmaps, 0);
	CHECK_EQ(vm->modmap_len, 0);
	teardown(vm, free0);
}

/* The tail page's mapping fails: the whole pages are unmapped again and
 * the tail frame is freed. */
TEST(a_failed_mapping_leaves_nothing)
{
	struct vm *vm = setup();
	u64 free0 = hv_frames.free_frames + VM0_MEM / PAGE_SIZE;
	u64 free_mid = hv_frames.free_frames;

	add_module(0, 5 * MIB + 1, "big");
	map_fail_after = 1;
	vm0_modules_add(vm, &bi, MIB, &info);
	CHECK_EQ(info.module_count, 0);
	CHECK_EQ(nmaps, 0);
	CHECK_EQ(hv_frames.free_frames, free_mid);
	teardown(vm, free0);
}

RUN_TESTS("vm0_modules",
	  T(fitting_modules_are_copied_a_large_one_mapped_read_only),
	  T(no_window_over_the_mapped_modules), T(modules_that_cannot_be_mapped_are_left_out),
	  T(a_failed_mapping_leaves_nothing))
