/* Unit tests for VM memory in hv/vm.c over the real frame allocator
 * (hv/frame.c). RAM is a host buffer whose addresses stand in for
 * physical ones, as the hypervisor identity-maps RAM; stage-2 and the
 * backend are stubs that count. The invariant under test: every frame
 * handed to a VM reads as zeros, whatever the hypervisor or an earlier
 * VM left in it, and destroying a VM gives back every frame it held. */
#include "check.h"
#include "../../hv/frame.c"
#include "../../lib/printf.c"
#include "../../hv/vm.c"
#include "../../hv/virt.c"
#include "../../hv/vlapic.c"

#define RAM_SIZE (16 * MIB)
#define JUNK 0xa5

static u8 *ram;
static long mapped;        /* bytes the stage-2 stub holds mapped */
static int map_fail_after; /* stage2_map calls left before failing; < 0: never */
static int vms_live;

#include "vm_stubs.h"

int stage2_map(struct vm *vm, u64 gpa, u64 hpa, u64 size, u32 perms)
{
	(void)vm, (void)gpa, (void)hpa, (void)perms;
	if (map_fail_after == 0)
		return -ENOMEM;
	if (map_fail_after > 0)
		map_fail_after--;
	mapped += (long)size;
	return 0;
}

long stage2_unmap(struct vm *vm, u64 gpa, u64 size)
{
	(void)vm, (void)gpa;
	mapped -= (long)size;
	return (long)(size / PAGE_SIZE);
}

static int stub_vm_init(struct vm *vm)
{
	(void)vm;
	vms_live++;
	return 0;
}

/* The backend's destroy drops the whole stage-2 table. */
static void stub_vm_destroy(struct vm *vm)
{
	mapped -= (long)(vm->region_count * VM_CHUNK);
	vms_live--;
}

static const struct virt_ops stub_ops = {
	.vm_init = stub_vm_init,
	.vm_destroy = stub_vm_destroy,
};

/* RAM full of junk (what firmware or the hypervisor left there) and an
 * allocator over all of it. */
static void setup(void)
{
	if (!ram)
		ram = aligned_alloc(VM_CHUNK, RAM_SIZE);
	memset(ram, JUNK, RAM_SIZE);
	frames_over(ram, RAM_SIZE);
	virt = &stub_ops;
	mapped = 0;
	map_fail_after = -1;
}

static bool all_zero(struct vm *vm)
{
	for (u64 gpa = 0; gpa < vm->mem_size; gpa += VM_CHUNK) {
		const u8 *p = vm_gpa_ptr(vm, gpa, VM_CHUNK, false);

		for (u64 i = 0; p && i < VM_CHUNK; i++)
			if (p[i])
				return false;
		if (!p)
			return false;
	}
	return true;
}

static void fill(struct vm *vm, u8 byte)
{
	for (u64 gpa = 0; gpa < vm->mem_size; gpa += VM_CHUNK)
		memset(vm_gpa_ptr(vm, gpa, VM_CHUNK, true), byte, VM_CHUNK);
}

TEST(new_vm_memory_is_zero)
{
	struct vm *vm;

	setup();
	vm = vm_create("a", 3 * VM_CHUNK, false);
	CHECK(vm);
	if (!vm)
		return;
	CHECK(all_zero(vm));
	CHECK_EQ(mapped, 3 * VM_CHUNK);
	vm_destroy(vm);
}

/* Two VMs at a time take all of RAM, each filling its memory; every
 * later VM gets those very frames back and must see zeros. */
TEST(memory_of_a_destroyed_vm_never_reaches_the_next)
{
	u64 n = RAM_SIZE / VM_CHUNK / 2;
	u64 first_hpa[2];

	setup();
	for (int round = 0; round < 4; round++) {
		struct vm *a = vm_create("a", n * VM_CHUNK, false);
		struct vm *b = vm_create("b", n * VM_CHUNK, false);

		CHECK(a && b);
		if (!a || !b)
			return;
		CHECK_EQ(hv_frames.free_frames, 0);
		CHECK(all_zero(a) && all_zero(b));
		if (!round) {
			first_hpa[0] = a->regions[0].hpa;
			first_hpa[1] = b->regions[0].hpa;
		}
		CHECK(first_hpa[0] == a->regions[0].hpa || first_hpa[0] == b->regions[0].hpa ||
		      first_hpa[1] == a->regions[0].hpa || first_hpa[1] == b->regions[0].hpa);
		fill(a, (u8)(0x11 * (round + 1)));
		fill(b, 0xff);
		vm_destroy(b);
		vm_destroy(a);
	}
}

TEST(destroy_gives_back_every_frame)
{
	u64 before;
	struct vm *vm;

	setup();
	before = hv_frames.free_frames;
	vm = vm_create("a", 2 * VM_CHUNK, false);
	CHECK(vm && !vm_add_memory(vm, 8 * VM_CHUNK, 2 * VM_CHUNK, false));
	CHECK_EQ(hv_frames.free_frames, before - 4 * VM_CHUNK / PAGE_SIZE);
	if (vm)
		vm_destroy(vm);
	CHECK_EQ(hv_frames.free_frames, before);
	CHECK_EQ(mapped, 0);
	CHECK_EQ(vms_live, 0);
}

/* A failure part way through adding memory keeps nothing of it. */
TEST(failed_add_memory_keeps_nothing)
{
	struct vm *vm;
	u64 before;

	setup();
	vm = vm_create("a", VM_CHUNK, false);
	CHECK(vm);
	if (!vm)
		return;
	before = hv_frames.free_frames;
	map_fail_after = 2;
	CHECK_EQ(vm_add_memory(vm, 4 * VM_CHUNK, 3 * VM_CHUNK, false), -ENOMEM);
	CHECK_EQ(vm->region_count, 1);
	CHECK_EQ(hv_frames.free_frames, before);
	CHECK_EQ(mapped, VM_CHUNK);
	map_fail_after = -1;
	CHECK_EQ(vm_add_memory(vm, 4 * VM_CHUNK, RAM_SIZE, false), -ENOMEM); /* too much */
	CHECK_EQ(hv_frames.free_frames, before);
	vm_destroy(vm);
	CHECK_EQ(mapped, 0);
}

/* Read-only RAM: the VM may not write it through the hypervisor, its
 * VMM may (vm_write), and it is RAM for every range check. */
TEST(readonly_memory)
{
	struct vm *vm;
	u8 byte = 0x5a;

	setup();
	vm = vm_create("a", VM_CHUNK, false);
	CHECK(vm && !vm_add_memory(vm, 4 * VM_CHUNK, VM_CHUNK, true));
	if (!vm)
		return;
	CHECK(!vm_gpa_ptr(vm, 4 * VM_CHUNK + 8, 8, true));
	CHECK(vm_gpa_ptr(vm, 4 * VM_CHUNK + 8, 8, false));
	CHECK(vm_gpa_ptr(vm, 8, 8, true));
	CHECK(vm_write(vm, 4 * VM_CHUNK + 8, &byte, 1));
	CHECK_EQ(*(u8 *)vm_gpa_ptr(vm, 4 * VM_CHUNK + 8, 1, false), 0x5a);
	CHECK(vm_is_ram(vm, 4 * VM_CHUNK, VM_CHUNK));
	CHECK(vm_is_ram(vm, VM_CHUNK - 1, 1));
	CHECK(!vm_is_ram(vm, VM_CHUNK - 1, 2));
	CHECK(!vm_is_ram(vm, 0, 0));
	CHECK(!vm_is_ram(vm, ~0ULL, 2));
	vm_destroy(vm);
}

/* Where a window may go in VM 0: whole pages, clear of its RAM and of
 * its other windows, within what stage-2 maps. */
TEST(window_ranges)
{
	struct vm *host, *child;
	struct vm_window *w;

	setup();
	host = vm_create("0", 2 * VM_CHUNK, true);
	child = vm_create("c", 2 * VM_CHUNK, false);
	CHECK(host && child);
	if (!host || !child)
		return;
	CHECK_EQ(vm_check_window(host, 0x1000, 0x1000), -EEXIST);
	CHECK_EQ(vm_check_window(host, 2 * VM_CHUNK - 0x1000, 0x2000), -EEXIST);
	CHECK_EQ(vm_check_window(host, 2 * VM_CHUNK, 0), -EINVAL);
	CHECK_EQ(vm_check_window(host, 2 * VM_CHUNK + 1, 0x1000), -EINVAL);
	CHECK_EQ(vm_check_window(host, 2 * VM_CHUNK, 0x1001), -EINVAL);
	CHECK_EQ(vm_check_window(host, ~0xfffULL, 0x2000), -EINVAL);
	CHECK_EQ(vm_check_window(host, PT_ADDR_LIMIT - 0x1000, 0x2000), -EINVAL);
	CHECK_EQ(vm_check_window(host, PT_ADDR_LIMIT - 0x1000, 0x1000), 0);
	CHECK_EQ(vm_check_window(host, 2 * VM_CHUNK, 0x1000), 0);
	w = vm_window_free(host);
	CHECK(w);
	if (!w)
		return;
	*w = (struct vm_window){ .gpa = 8 * VM_CHUNK, .len = 0x3000 };
	CHECK_EQ(vm_window_map(host, w, child, VM_CHUNK - 0x1000, false), 0);
	CHECK_EQ(mapped, 4 * VM_CHUNK + 0x3000);
	CHECK(vm_window_at(host, 8 * VM_CHUNK) == w && !vm_window_at(host, 0));
	CHECK_EQ(vm_check_window(host, 8 * VM_CHUNK + 0x2000, 0x1000), -EEXIST);
	CHECK_EQ(vm_check_window(host, 8 * VM_CHUNK - 0x1000, 0x2000), -EEXIST);
	CHECK_EQ(vm_check_window(host, 8 * VM_CHUNK - 0x1000, 0x1000), 0);
	CHECK_EQ(vm_check_window(host, 8 * VM_CHUNK + 0x3000, 0x1000), 0);
	vm_window_unmap(host, w);
	CHECK_EQ(vm_check_window(host, 8 * VM_CHUNK, 0x1000), 0);
	CHECK_EQ(mapped, 4 * VM_CHUNK);
	vm_destroy(child);
	vm_destroy(host);
}

/* A window that cannot be mapped whole leaves nothing; the end of its
 * child closes a window and gives back every frame. */
TEST(window_failure_and_teardown)
{
	struct vm *host, *child;
	struct vm_window *w;
	u64 before;

	setup();
	before = hv_frames.free_frames;
	host = vm_create("0", VM_CHUNK, true);
	child = vm_create("c", 2 * VM_CHUNK, false);
	CHECK(host && child);
	if (!host || !child)
		return;
	w = vm_window_free(host);
	CHECK(w);
	if (!w)
		return;
	*w = (struct vm_window){ .gpa = 4 * VM_CHUNK, .len = 2 * VM_CHUNK };
	map_fail_after = 1; /* the second chunk fails */
	CHECK_EQ(vm_window_map(host, w, child, 0x1000, true), -ENOMEM);
	CHECK_EQ(mapped, 3 * VM_CHUNK);
	CHECK(!w->len && vm_window_free(host) == w);
	map_fail_after = -1;
	*w = (struct vm_window){ .gpa = 4 * VM_CHUNK, .len = 2 * VM_CHUNK };
	CHECK_EQ(vm_window_map(host, w, child, 0, false), 0);
	CHECK_EQ(w->child, child->id);
	vm_destroy(child);
	CHECK(!w->len);
	CHECK_EQ(mapped, VM_CHUNK);
	vm_destroy(host);
	CHECK_EQ(hv_frames.free_frames, before);
	CHECK_EQ(mapped, 0);
}

RUN_TESTS("vm_mem",
	  T(new_vm_memory_is_zero), T(memory_of_a_destroyed_vm_never_reaches_the_next),
	  T(destroy_gives_back_every_frame), T(failed_add_memory_keeps_nothing),
	  T(readonly_memory), T(window_ranges), T(window_failure_and_teardown))
