/* Per-VM SVM state: nested page tables and the I/O permission map
 * (arch/x86/stage2.c), the MSR permission map (every MSR intercepted
 * unless allowed) and the TLB generation vCPUs compare on entry. */
#include "arch/x86/guest_state.h"
#include "arch/x86/page_alloc.h"
#include "arch/x86/svm/npt.h"
#include "arch/x86/svm/svm.h"
#include "lib/errno.h"

/* The MSR permission map (APM vol. 2, 15.11): two bits per MSR (read,
 * write) for the ranges 0-0x1fff, 0xc0000000-0xc0001fff and
 * 0xc0010000-0xc0011fff, 2 KiB each. */
static void msrpm_allow(u8 *msrpm, u32 msr)
{
	static const u32 base[] = { 0, 0xc0000000, 0xc0010000 };

	for (u32 i = 0; i < 3; i++) {
		if (msr - base[i] < 0x2000) {
			u32 bit = (i * 0x2000 + (msr - base[i])) * 2;

			msrpm[bit / 8] &= ~(3u << (bit % 8));
		}
	}
}

_Static_assert(offsetof(struct svm_vm, s2) == 0, "vm->arch is a struct stage2");

/* Every vCPU flushes its ASID on its next entry. */
static void npt_flush(struct stage2 *s2)
{
	((struct svm_vm *)s2)->tlb_gen++;
}

int svm_vm_init(struct vm *vm)
{
	struct svm_vm *s = pages_alloc(1);

	_Static_assert(sizeof(*s) <= PAGE_SIZE, "svm_vm fits a page");
	if (!s)
		return -ENOMEM;
	vm->arch = s;
	s->msrpm = pages_alloc(SVM_MSRPM_PAGES);
	if (stage2_init(&s->s2, &npt_format, SVM_IOPM_PAGES, npt_flush) ||
	    !s->msrpm) {
		svm_vm_destroy(vm);
		return -ENOMEM;
	}
	memset(s->msrpm, 0xff, SVM_MSRPM_PAGES * PAGE_SIZE);
	for (u32 i = 0; i < GUEST_DIRECT_MSR_COUNT; i++)
		msrpm_allow(s->msrpm, guest_direct_msrs[i]);
	return 0;
}

void svm_vm_destroy(struct vm *vm)
{
	struct svm_vm *s = svm_vm(vm);

	if (!s)
		return;
	stage2_destroy(&s->s2);
	pages_free(s->msrpm, SVM_MSRPM_PAGES);
	pages_free(s, 1);
	vm->arch = NULL;
}
