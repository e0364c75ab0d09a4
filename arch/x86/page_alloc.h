/* Zeroed, physically contiguous pages for hardware structures (VMCBs,
 * permission maps, page tables) and small per-object state. */
#ifndef ARCH_X86_PAGE_ALLOC_H
#define ARCH_X86_PAGE_ALLOC_H

#include "hv/mem.h"
#include "lib/string.h"

static inline void *pages_alloc(u64 count)
{
	u64 pa = frame_alloc_contig(&hv_frames, count, PAGE_SIZE);

	if (pa)
		memset((void *)pa, 0, count * PAGE_SIZE);
	return (void *)pa;
}

static inline void pages_free(void *p, u64 count)
{
	if (p)
		frame_free(&hv_frames, (u64)p, count);
}

#endif
