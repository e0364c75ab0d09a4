/* Port I/O. */
#ifndef ARCH_X86_IO_H
#define ARCH_X86_IO_H

#include "lib/types.h"

/* Where a run ends in an emulator (arch/x86/power.c): QEMU's
 * isa-debug-exit device and the Bochs shutdown port. */
#define QEMU_DEBUG_EXIT_PORT 0xf4
#define BOCHS_SHUTDOWN_PORT 0x8900

static inline void outb(u16 port, u8 v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#endif
