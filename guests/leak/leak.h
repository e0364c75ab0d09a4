/* The register state the isolation test compares between VM 0 and a
 * child: what one VM leaves in the registers must never be what the
 * other one reads. leak_state.S saves and loads it; the same code runs in
 * VM 0 and, copied, in the child. */
#ifndef GUESTS_LEAK_LEAK_H
#define GUESTS_LEAK_LEAK_H

#define LEAK_MSR_COUNT 8
#define LEAK_STATE_SIZE 928
#define LEAK_USE_AVX 1u   /* flags: the YMM upper halves are saved/loaded */
#define LEAK_USE_XSAVE 2u /* flags: XCR0 is saved/loaded */
#define LEAK_PORT_DONE 0xe0  /* the child's first part is done */
#define LEAK_PORT_DONE2 0xe1 /* the child's second part is done */
#define LEAK_AREA 0x10000    /* child-physical: initial, pattern, after */

#ifndef __ASSEMBLY__
#include "lib/types.h"

struct leak_state {
	u8 xmm[16][16];
	u8 ymm[16][32];      /* whole YMM registers: 32-byte aligned stores */
	u32 mxcsr, reserved;
	u64 dr[4], dr6, dr7;
	u64 msr[LEAK_MSR_COUNT]; /* STAR LSTAR CSTAR SFMASK KERNEL_GS_BASE SYSENTER_CS/ESP/EIP */
	u64 cr8;
	u64 xcr0;
	u64 syscall_ok; /* the child's SYSCALL reached its own LSTAR */
	u64 pad[2];     /* keeps an array of these 32-byte aligned */
} __attribute__((aligned(32)));

_Static_assert(sizeof(struct leak_state) == LEAK_STATE_SIZE, "leak_state layout");

void leak_state_save(struct leak_state *s, u32 flags);
void leak_state_load(const struct leak_state *s, u32 flags);
extern const u8 leak_child_start[], leak_child_end[];
#endif

#endif
