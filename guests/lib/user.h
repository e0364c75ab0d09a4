/* Ring 3 inside a guest. user_init() gives the guest its own GDT (the
 * hypervisor's kernel segments plus ring-3 code and data and a 64-bit
 * TSS whose RSP0 brings traps from ring 3 back onto a kernel stack), sets
 * the User bit in every entry of the page tables the guest runs on, and
 * installs a DPL-3 gate at USER_RETURN_VECTOR. run_user() then calls a
 * function at CPL 3 and hands its result back to CPL 0 through that
 * gate. Ring-3 code may not touch I/O ports (IOPL 0, no I/O bitmap), so
 * it cannot print; it returns what it found. */
#ifndef GUESTS_LIB_USER_H
#define GUESTS_LIB_USER_H

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_DS (0x20 | 3)
#define USER_CS (0x28 | 3)
#define TSS_SEL 0x30

#define USER_RETURN_VECTOR 0x80

#ifndef __ASSEMBLY__
#include "lib/types.h"

void user_init(void);

/* Interrupt stack `n` (1-7) of the runtime's TSS, for IDT gates that name
 * it; after user_init(). */
void user_set_ist(u32 n, u64 stack_top);

/* Runs fn(arg) at CPL 3 on the runtime's user stack, with interrupts
 * disabled, and returns its result at CPL 0. Not re-entrant. */
u64 run_user(u64 (*fn)(u64), u64 arg);

/* The privilege level the caller runs at (CS.RPL). */
static inline u32 current_cpl(void)
{
	u16 cs;

	asm volatile("mov %%cs, %0" : "=r"(cs));
	return cs & 3;
}
#endif

#endif
