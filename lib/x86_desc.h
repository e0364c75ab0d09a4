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

#endif
