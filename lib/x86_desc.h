/* Segment descriptors and the 64-bit TSS as the SDM lays them out
 * (vol. 3, 3.4.5 and 8.7): one definition for the hypervisor and the
 * guests that build their own GDTs. */
#ifndef LIB_X86_DESC_H
#define LIB_X86_DESC_H

#include "lib/types.h"

/* Flat (base 0, limit 4 GiB, G) descriptors, present, DPL 0, accessed. */
#define X86_DESC_CODE64 0x00af9b000000ffffULL /* execute/read, L */
#define X86_DESC_CODE32 0x00cf9b000000ffffULL /* execute/read, D */
#define X86_DESC_DATA 0x00cf93000000ffffULL   /* read/write, B */
#define X86_DESC_DPL3 (3ULL << 45)

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS layout");

/* The two GDT slots of an available (not busy) 64-bit TSS at tss. */
static inline void x86_tss_descriptor(u64 slot[2], const struct tss64 *tss)
{
	u64 base = (u64)tss, limit = sizeof(*tss) - 1;

	slot[0] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ULL << 40 |
		  ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	slot[1] = base >> 32;
}

#endif
