/* Per-VM VMX state: EPT tables and the I/O bitmaps (arch/x86/stage2.c)
 * and the MSR bitmap (every MSR exits unless allowed). Shrinking stage-2
 * permissions is followed by INVEPT so no vCPU keeps a stale
 * translation. */
#include "arch/x86/guest_state.h"
#include "arch/x86/page_alloc.h"
#include "arch/x86/vmx/ept.h"
#include "arch/x86/vmx/vmx.h"
#include "lib/errno.h"

#define IO_BITMAP_PAGES 2

_Static_assert(offsetof(struct vmx_vm, s2) == 0, "vm->arch is a struct stage2");

void vmx_invept_here(const struct vmx_vm *x)
{
	struct {
		u64 eptp, reserved;
	} desc = { x->eptp, 0 };

	asm volatile("invept %0, %1" : : "m"(desc), "r"(vmx_cpu.invept_type) : "cc", "memory");
}

/* INVEPT reaches this CPU only: the others flush at their vCPUs' next
 * entry (ept_gen), which the core waits for where it must. */
static void invept(struct stage2 *s2)
{
	struct vmx_vm *x = (struct vmx_vm *)s2;

	x->ept_gen++;
	vmx_invept_here(x);
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

/* One allocation: the VM's state in the first page, its MSR bitmap in
 * the second. */
#define VM_PAGES 2

int vmx_vm_init(struct vm *vm)
{
	struct vmx_vm *x = pages_alloc(VM_PAGES);
	int err;

	_Static_assert(sizeof(*x) <= PAGE_SIZE, "vmx_vm fits a page");
	if (!x)
		return -ENOMEM;
	vm->arch = x;
	x->msr_bitmap = (u8 *)x + PAGE_SIZE;
	err = stage2_init(&x->s2, &ept_format, IO_BITMAP_PAGES, invept);
	x->eptp = ept_pointer(x->s2.pt.root);
	if (err) {
		vmx_vm_destroy(vm);
		return -ENOMEM;
	}
	memset(x->msr_bitmap, 0xff, PAGE_SIZE);
	for (u32 i = 0; i < GUEST_DIRECT_MSR_COUNT; i++)
		msr_bitmap_allow(x->msr_bitmap, guest_direct_msrs[i]);
	return 0;
}

void vmx_vm_destroy(struct vm *vm)
{
	struct vmx_vm *x = vm->arch;

	if (!x)
		return;
	stage2_destroy(&x->s2);
	pages_free(x, VM_PAGES);
	vm->arch = NULL;
}
