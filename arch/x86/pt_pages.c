/* Where the hypervisor's stage-2 tables (arch/x86/pt.c) get their pages:
 * the frame allocator; RAM is identity-mapped, so a table is read at its
 * physical address. The unit tests link their own pair instead. */
#include "arch/x86/pt.h"
#include "hv/mem.h"

u64 pt_page_alloc(void)
{
	return frame_alloc(&hv_frames);
}

void pt_page_free(u64 pa)
{
	frame_free(&hv_frames, pa, 1);
}
