#include "arch/x86/stage2.h"
#include "hv/mem.h"

static u64 stage2_alloc_page(void *ctx)
{
	(void)ctx;
	return frame_alloc(&hv_frames);
}

static void stage2_free_page(void *ctx, u64 pa)
{
	(void)ctx;
	frame_free(&hv_frames, pa, 1);
}

static void *stage2_to_virt(void *ctx, u64 pa)
{
	(void)ctx;
	return (void *)pa; /* the hypervisor identity-maps RAM */
}

const struct pt_mem stage2_pt_mem = {
	.alloc_page = stage2_alloc_page,
	.free_page = stage2_free_page,
	.to_virt = stage2_to_virt,
};

bool stage2_lookup(const struct pt *pt, u64 gpa, u64 *hpa, u32 *perms)
{
	u64 page_size;
	u32 p;

	if (!pt_lookup(pt, gpa, hpa, &p, &page_size))
		return false;
	*perms = pt_to_s2(p);
	return true;
}

void io_bitmap_allow(u8 *bitmap, u16 port, u16 count)
{
	for (u32 p = port; p < (u32)port + count; p++)
		bitmap[p / 8] &= ~(1u << (p % 8));
}
