/* Windows onto a child's memory and read-only child RAM, with this guest
 * as VM 0: it maps a child's RAM into its own address space and writes
 * it, the child sees that and answers through the same window; a
 * read-only window and an address with neither RAM nor a window give
 * VM 0 #GP(0) and VM 0 goes on; read-only child RAM is filled by VM_COPY
 * and a window, read by the child, and the child's write to it stops the
 * child with a stage-2 fault; every refusal has its errno; a destroyed
 * child's window is gone; 200 create-map-destroy cycles give back every
 * byte. */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"

const char test_title[] = "Windows onto child memory, read-only child RAM";

#define CHILD_MEM (4 * MIB)
#define CHILD_DATA 0x200000ULL /* child RAM the windows show */
#define CHILD_ROM 0x400000ULL  /* read-only child RAM, 2 MiB */
#define WIN 0x40000000ULL      /* VM 0's windows: 1 GiB, far above its RAM */
#define WIN_RO (WIN + 0x100000)
#define WIN_ROM (WIN + 0x200000)
#define NO_RAM 0x80000000ULL   /* neither RAM nor a window */
#define ROM_VALUE 0x1234ULL
#define CYCLES 200

/* The child: reads what VM 0 wrote at CHILD_DATA, answers it plus one
 * behind it with the ROM's first word, halts; then writes its ROM. */
asm(".pushsection .rodata.child, \"a\"\n"
    ".code64\n"
    "child_start:\n"
    "	movl $0x200000, %edi\n"
    "	movq (%rdi), %rax\n"
    "	incq %rax\n"
    "	movq %rax, 8(%rdi)\n"
    "	movl $0x400000, %esi\n"
    "	movq (%rsi), %rax\n"
    "	movq %rax, 16(%rdi)\n"
    "	hlt\n"
    "	movq $1, (%rsi)\n"
    "	hlt\n"
    "child_end:\n"
    ".popsection\n");
extern const u8 child_start[], child_end[];

static volatile u64 *at(u64 gpa)
{
	return (volatile u64 *)gpa;
}

/* A read or write of VM 0's own address that may fault: false when it
 * did, with the vector and error code it got checked to be #GP(0). */
static bool access_ok(u64 gpa, bool write)
{
	int ok = 1;
	u64 v = 0;

	last_fixup_vector = -1;
	if (write)
		asm volatile(FIXUP_ASM("movq %[v], (%[p])")
			     : [ok] "+r"(ok) : [v] "r"(v), [p] "r"(gpa) : "memory");
	else
		asm volatile(FIXUP_ASM("movq (%[p]), %[v]")
			     : [ok] "+r"(ok), [v] "+r"(v) : [p] "r"(gpa) : "memory");
	if (!ok)
		CHECK(last_fixup_vector == 13 && last_fixup_error == 0,
		      "fault at 0x%llx: vector %d error 0x%llx, not #GP(0)",
		      (unsigned long long)gpa, last_fixup_vector,
		      (unsigned long long)last_fixup_error);
	return ok;
}

static long add_rom(u32 vm)
{
	struct hv_vm_memory a = { sizeof(a), HV_MEM_READONLY, vm, 0, CHILD_ROM, 2 * MIB };

	return hv_call(HV_CALL_VM_ADD_MEMORY, &a);
}

static u64 free_bytes(void)
{
	struct hv_stats s = { .argsz = sizeof(s) };

	return hv_stats(0, 0, &s) ? 0 : s.free_bytes;
}

#define EXPECT(call, want)                                                   \
	do {                                                                 \
		long r_ = (call);                                            \
		CHECK(r_ == (want), "%s = %ld, expected %ld", #call, r_,    \
		      (long)(want));                                         \
	} while (0)

/* Every refusal of MAP_WINDOW and UNMAP_WINDOW, with the window at WIN
 * mapped onto child `vm`. */
static void refusals(u32 vm)
{
	EXPECT(hv_vm_map_window(vm, CHILD_DATA, 0x1000, 0x1000, 0), -HV_EEXIST);
	EXPECT(hv_vm_map_window(vm, CHILD_DATA, 0x1000, WIN + 0x1000, 0), -HV_EEXIST);
	EXPECT(hv_vm_map_window(vm, CHILD_DATA, 0x2000, WIN - 0x1000, 0), -HV_EEXIST);
	EXPECT(hv_vm_map_window(vm, CHILD_DATA, 0x1000, WIN + 0x10, 0), -HV_EINVAL);
	EXPECT(hv_vm_map_window(vm, CHILD_DATA + 8, 0x1000, NO_RAM, 0), -HV_EINVAL);
	EXPECT(hv_vm_map_window(vm, CHILD_DATA, 0, NO_RAM, 0), -HV_EINVAL);
	EXPECT(hv_vm_map_window(vm, CHILD_DATA, 0x1800, NO_RAM, 0), -HV_EINVAL);
	EXPECT(hv_vm_map_window(vm, CHILD_DATA, 0x2000, ~0xfffULL, 0), -HV_EINVAL);
	EXPECT(hv_vm_map_window(vm, CHILD_DATA, 0x1000, 1ULL << 48, 0), -HV_EINVAL);
	EXPECT(hv_vm_map_window(vm, CHILD_DATA, 0x1000, NO_RAM, 2), -HV_EINVAL);
	EXPECT(hv_vm_map_window(vm, 0x600000, 0x1000, NO_RAM, 0), -HV_EFAULT);
	EXPECT(hv_vm_map_window(vm, 0x5ff000, 0x2000, NO_RAM, 0), -HV_EFAULT);
	EXPECT(hv_vm_map_window(999, CHILD_DATA, 0x1000, NO_RAM, 0), -HV_ENOENT);
	EXPECT(hv_vm_map_window(0, CHILD_DATA, 0x1000, NO_RAM, 0), -HV_EPERM);
	EXPECT(hv_vm_unmap_window(vm, NO_RAM), -HV_ENOENT);
	EXPECT(hv_vm_unmap_window(vm, WIN + 0x1000), -HV_ENOENT);
	EXPECT(hv_vm_unmap_window(999, WIN), -HV_ENOENT);
}

/* The windows VM 0 may have, and not one more. */
static void window_limit(u32 vm)
{
	long n = hv_check_extension(HV_EXT_MEM_WINDOW);
	long i, used = 3; /* WIN, WIN_RO and WIN_ROM */

	for (i = used; i < n; i++)
		EXPECT(hv_vm_map_window(vm, CHILD_DATA, 0x1000, NO_RAM + (u64)i * 0x1000, 0), 0);
	EXPECT(hv_vm_map_window(vm, CHILD_DATA, 0x1000, NO_RAM + (u64)i * 0x1000, 0), -HV_ENOSPC);
	for (i = used; i < n; i++)
		EXPECT(hv_vm_unmap_window(vm, NO_RAM + (u64)i * 0x1000), 0);
}

static long run(u32 vm, struct hv_exit *e)
{
	*e = (struct hv_exit){ .argsz = sizeof(*e) };
	return hv_vcpu_run(vm, 0, e, false, 0);
}

/* VM 0 and the child see each other's writes through the windows. */
static void share(u32 vm)
{
	struct hv_exit e;
	u64 rom = ROM_VALUE;

	EXPECT(hv_vm_copy(vm, HV_COPY_TO_VM, CHILD_ROM, &rom, sizeof(rom)), 0);
	EXPECT(hv_vm_map_window(vm, CHILD_DATA, 0x2000, WIN, 0), 0);
	EXPECT(hv_vm_map_window(vm, CHILD_DATA, 0x1000, WIN_RO, HV_WINDOW_READONLY), 0);
	EXPECT(hv_vm_map_window(vm, CHILD_ROM, 0x1000, WIN_ROM, 0), 0);
	*at(WIN) = 41;
	CHECK(*at(WIN_RO) == 41, "the read-only window shows 0x%llx",
	      (unsigned long long)*at(WIN_RO));
	CHECK(!access_ok(WIN_RO, true), "a write to the read-only window went through");
	CHECK(*at(WIN_ROM) == ROM_VALUE, "the ROM holds 0x%llx", (unsigned long long)*at(WIN_ROM));
	*at(WIN_ROM + 8) = 77; /* the VMM may write the child's ROM */
	refusals((u32)vm);
	window_limit((u32)vm);
	EXPECT(run(vm, &e), HV_EXIT_HLT);
	CHECK(*at(WIN + 8) == 42, "the child answered 0x%llx", (unsigned long long)*at(WIN + 8));
	CHECK(*at(WIN + 16) == ROM_VALUE, "the child read 0x%llx from its ROM",
	      (unsigned long long)*at(WIN + 16));
	EXPECT(run(vm, &e), HV_EXIT_STAGE2_FAULT);
	CHECK(e.u.fault.gpa == CHILD_ROM && e.u.fault.access == 2,
	      "the ROM write faulted at 0x%llx access %u", (unsigned long long)e.u.fault.gpa,
	      e.u.fault.access);
	CHECK(*at(WIN_ROM) == ROM_VALUE && *at(WIN_ROM + 8) == 77, "the child's write reached its ROM");
	EXPECT(hv_vm_unmap_window(vm, WIN_RO), 0);
	CHECK(!access_ok(WIN_RO, false), "an unmapped window still reads");
}

/* Creates a child with its code and ROM; its id or 0. */
static u32 child(void)
{
	long vm = hv_vm_create("c", CHILD_MEM, 1, 0);

	if (vm <= 0 || add_rom((u32)vm) || hv_vcpu_create((u32)vm) ||
	    hv_child_boot_long_mode((u32)vm, 0, child_start, (u64)child_end - (u64)child_start)) {
		test_error("cannot set up the child (%ld)", vm);
		return 0;
	}
	return (u32)vm;
}

static void cycles(void)
{
	u64 before = free_bytes();

	for (int i = 0; i < CYCLES; i++) {
		long vm = hv_vm_create("c", 2 * MIB, 1, 0);

		if (vm <= 0 || hv_vm_map_window((u32)vm, 0, 2 * MIB, WIN, 0)) {
			test_fail("cycle %d: vm %ld", i, vm);
			return;
		}
		*at(WIN) = (u64)i;
		hv_vm_destroy((u32)vm);
	}
	CHECK(free_bytes() == before, "free memory 0x%llx before %d cycles, 0x%llx after",
	      (unsigned long long)before, CYCLES, (unsigned long long)free_bytes());
	gprintf("%d create-map-destroy cycles: free memory unchanged\n", CYCLES);
}

void test_main(void)
{
	u32 vm;

	if (hv_check_extension(HV_EXT_MEM_WINDOW) < 4 ||
	    hv_check_extension(HV_EXT_READONLY_MEMORY) != 1) {
		test_fail("extensions missing");
		return;
	}
	CHECK(!access_ok(NO_RAM, false), "an address without RAM reads");
	if (!(vm = child()))
		return;
	share(vm);
	EXPECT(hv_vm_destroy(vm), 0);
	CHECK(!access_ok(WIN, false), "the window outlived its child");
	CHECK(!access_ok(WIN_ROM, true), "the ROM window outlived its child");
	EXPECT(hv_vm_unmap_window(vm, WIN), -HV_ENOENT);
	gprintf("windows: shared, read-only, refused and torn down as expected\n");
	cycles();
}
