/* What both backends share for stage-2 tables: table pages from the
 * hypervisor's frame allocator, and the core's S2_* permissions in the
 * builder's PT_* terms. */
#ifndef ARCH_X86_STAGE2_H
#define ARCH_X86_STAGE2_H

#include "arch/x86/pt.h"
#include "hv/virt.h"

extern const struct pt_mem stage2_pt_mem;

static inline u32 s2_to_pt(u32 perms)
{
	return ((perms & S2_R) ? PT_R : 0) | ((perms & S2_W) ? PT_W : 0) |
	       ((perms & S2_X) ? PT_X : 0);
}

static inline u32 pt_to_s2(u32 perms)
{
	return ((perms & PT_R) ? S2_R : 0) | ((perms & PT_W) ? S2_W : 0) |
	       ((perms & PT_X) ? S2_X : 0);
}

/* Clears the intercept bits of ports [port, port+count) in an I/O
 * permission bitmap (one bit per port, as SVM's IOPM and VMX's bitmaps
 * A+B lay them out). */
void io_bitmap_allow(u8 *bitmap, u16 port, u16 count);

/* pt_lookup in S2_* terms. */
bool stage2_lookup(const struct pt *pt, u64 gpa, u64 *hpa, u32 *perms);

#endif
