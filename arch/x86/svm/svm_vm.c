/* Per-VM SVM state: nested page tables and the I/O and MSR permission
 * maps (every port and MSR intercepted unless allowed). */
#include "arch/x86/guest_state.h"
#include "arch/x86/page_alloc.h"
#include "arch/x86/stage2.h"
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

int svm_vm_init(struct vm *vm)
{
	struct svm_vm *s = pages_alloc(1);

	_Static_assert(sizeof(*s) <= PAGE_SIZE, "svm_vm fits a page");
	if (!s)
		return -ENOMEM;
	vm->arch = s;
	s->iopm = pages_alloc(SVM_IOPM_PAGES);
	s->msrpm = pages_alloc(SVM_MSRPM_PAGES);
	if (!s->iopm || !s->msrpm || pt_init(&s->npt, &npt_format, &stage2_pt_mem)) {
		svm_vm_destroy(vm);
		return -ENOMEM;
	}
	memset(s->iopm, 0xff, SVM_IOPM_PAGES * PAGE_SIZE);
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
	if (s->npt.root)
		pt_destroy(&s->npt);
	pages_free(s->iopm, SVM_IOPM_PAGES);
	pages_free(s->msrpm, SVM_MSRPM_PAGES);
	pages_free(s, 1);
	vm->arch = NULL;
}

int svm_stage2_map(struct vm *vm, u64 gpa, u64 hpa, u64 size, u32 perms)
{
	return pt_map(&svm_vm(vm)->npt, gpa, hpa, size, s2_to_pt(perms));
}

long svm_stage2_unmap(struct vm *vm, u64 gpa, u64 size)
{
	long n = pt_unmap(&svm_vm(vm)->npt, gpa, size);

	svm_vm(vm)->tlb_gen++;
	return n;
}

long svm_stage2_protect(struct vm *vm, u64 gpa, u64 size, u32 perms)
{
	long n = pt_protect(&svm_vm(vm)->npt, gpa, size, s2_to_pt(perms));

	svm_vm(vm)->tlb_gen++;
	return n;
}

bool svm_stage2_lookup(struct vm *vm, u64 gpa, u64 *hpa, u32 *perms)
{
	return stage2_lookup(&svm_vm(vm)->npt, gpa, hpa, perms);
}

void svm_io_allow(struct vm *vm, u16 port, u16 count)
{
	io_bitmap_allow(svm_vm(vm)->iopm, port, count);
}
