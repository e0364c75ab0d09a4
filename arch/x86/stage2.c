#include "arch/x86/stage2.h"
#include "arch/x86/page_alloc.h"
#include "hv/vm.h"
#include "lib/errno.h"

static struct stage2 *vm_stage2(struct vm *vm)
{
	return vm->arch;
}

int stage2_init(struct stage2 *s2, const struct pt_format *fmt, u32 io_pages,
		void (*flush)(struct stage2 *s2))
{
	s2->flush = flush;
	s2->io_pages = io_pages;
	/* all ones, so not zeroed first as pages_alloc would */
	s2->io_bitmap = (u8 *)frame_alloc_contig(&hv_frames, io_pages, PAGE_SIZE);
	if (pt_init(&s2->pt, fmt) || !s2->io_bitmap)
		return -ENOMEM;
	memset(s2->io_bitmap, 0xff, io_pages * PAGE_SIZE);
	return 0;
}

void stage2_destroy(struct stage2 *s2)
{
	if (s2->pt.root) {
		s2->flush(s2);
		pt_destroy(&s2->pt);
	}
	pages_free(s2->io_bitmap, s2->io_pages);
}

int stage2_map(struct vm *vm, u64 gpa, u64 hpa, u64 size, u32 perms)
{
	return pt_map(&vm_stage2(vm)->pt, gpa, hpa, size, perms);
}

long stage2_unmap(struct vm *vm, u64 gpa, u64 size)
{
	struct stage2 *s2 = vm_stage2(vm);
	long n = pt_unmap(&s2->pt, gpa, size);

	s2->flush(s2);
	return n;
}

void stage2_io_allow(struct vm *vm, u16 port, u16 count)
{
	u8 *bitmap = vm_stage2(vm)->io_bitmap;

	for (u32 p = port; p < (u32)port + count; p++)
		bitmap[p / 8] &= ~(1u << (p % 8));
}
