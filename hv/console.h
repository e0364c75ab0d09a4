/* The hypervisor console: the 16550 UART on COM1, optionally mirrored to
 * the 0xE9 debug port (Bochs and QEMU print what is written there). */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include "hv/types.h"

void console_init(void);
void console_set_debugcon(bool on);
/* Writes n bytes; "\n" goes out as "\r\n" on the UART. */
void console_write(const char *s, size_t n);
/* Returns once everything written has been sent (before power-off). */
void console_flush(void);

#endif
