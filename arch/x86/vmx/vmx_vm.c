/* Per-VM VMX state: EPT tables and the I/O and MSR bitmaps (every port
 * and MSR exits unless allowed). Shrinking stage-2 permissions is
 * followed by INVEPT so no vCPU keeps a stale translation. */
#include "arch/x86/guest_state.h"
#include "arch/x86/page_alloc.h"
#include "arch/x86/stage2.h"
#include "arch/x86/vmx/ept.h"
#include "arch/x86/vmx/vmx.h"
#include "lib/errno.h"

#define INVEPT_SINGLE 1
#define INVEPT_ALL 2
#define IO_BITMAP_PAGES 2

static void invept(struct vmx_vm *x)
{
	struct {
		u64 eptp, reserved;
	} desc = { x->eptp, 0 };
	u64 type = vmx_cpu.invept_single ? INVEPT_SINGLE : INVEPT_ALL;

	asm volatile("invept %0, %1" : : "m"(desc), "r"(type) : "cc", "memory");
}

/* The MSR bitmap (SDM 25.6.9): read bitmaps for 0-0x1fff and
 * 0xc0000000-0xc0001fff at 0 and 1 KiB, the write bitmaps at 2 and 3 KiB;
 * a clear bit lets the access through. */
static void msr_bitmap_allow(u8 *bitmap, u32 msr)
{
	u32 index = msr & 0x1fff, high = (msr >> 30) ? 1024 : 0;

	if (msr > 0x1fff && msr - 0xc0000000 > 0x1fff)
		return;
	bitmap[high + index / 8] &= ~(1u << (index % 8));
	bitmap[2048 + high + index / 8] &= ~(1u << (index % 8));
}

int vmx_vm_init(struct vm *vm)
{
	struct vmx_vm *x = pages_alloc(1);

	_Static_assert(sizeof(*x) <= PAGE_SIZE, "vmx_vm fits a page");
	if (!x)
		return -ENOMEM;
	vm->arch = x;
	x->io_bitmaps = pages_alloc(IO_BITMAP_PAGES);
	x->msr_bitmap = pages_alloc(1);
	if (!x->io_bitmaps || !x->msr_bitmap || pt_init(&x->ept, &ept_format, &stage2_pt_mem)) {
		vmx_vm_destroy(vm);
		return -ENOMEM;
	}
	memset(x->io_bitmaps, 0xff, IO_BITMAP_PAGES * PAGE_SIZE);
	memset(x->msr_bitmap, 0xff, PAGE_SIZE);
	for (u32 i = 0; i < GUEST_DIRECT_MSR_COUNT; i++)
		msr_bitmap_allow(x->msr_bitmap, guest_direct_msrs[i]);
	x->eptp = ept_pointer(x->ept.root);
	return 0;
}

void vmx_vm_destroy(struct vm *vm)
{
	struct vmx_vm *x = vmx_vm(vm);

	if (!x)
		return;
	if (x->ept.root) {
		invept(x);
		pt_destroy(&x->ept);
	}
	pages_free(x->io_bitmaps, IO_BITMAP_PAGES);
	pages_free(x->msr_bitmap, 1);
	pages_free(x, 1);
	vm->arch = NULL;
}

int vmx_stage2_map(struct vm *vm, u64 gpa, u64 hpa, u64 size, u32 perms)
{
	return pt_map(&vmx_vm(vm)->ept, gpa, hpa, size, s2_to_pt(perms));
}

long vmx_stage2_unmap(struct vm *vm, u64 gpa, u64 size)
{
	long n = pt_unmap(&vmx_vm(vm)->ept, gpa, size);

	invept(vmx_vm(vm));
	return n;
}

long vmx_stage2_protect(struct vm *vm, u64 gpa, u64 size, u32 perms)
{
	long n = pt_protect(&vmx_vm(vm)->ept, gpa, size, s2_to_pt(perms));

	invept(vmx_vm(vm));
	return n;
}

bool vmx_stage2_lookup(struct vm *vm, u64 gpa, u64 *hpa, u32 *perms)
{
	return stage2_lookup(&vmx_vm(vm)->ept, gpa, hpa, perms);
}

void vmx_io_allow(struct vm *vm, u16 port, u16 count)
{
	io_bitmap_allow(vmx_vm(vm)->io_bitmaps, port, count); /* A then B */
}
