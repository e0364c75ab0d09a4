/* The 0xE9 debug port of Bochs and QEMU (-debugcon): one byte out, printed
 * by the emulator. Harmless on hardware without it. */
#ifndef DRIVERS_DEBUGCON_H
#define DRIVERS_DEBUGCON_H

#include "arch/x86/io.h"

#define DEBUGCON_PORT 0xe9

static inline void debugcon_putc(char c)
{
	outb(DEBUGCON_PORT, (u8)c);
}

static inline void debugcon_puts(const char *s)
{
	while (*s)
		debugcon_putc(*s++);
}

#endif
