/* The hypervisor console: the 16550 UART on COM1, optionally mirrored to
 * the 0xE9 debug port (Bochs and QEMU print what is written there). Guest
 * text goes through console_write_guest, which marks it as the guest's
 * (hv/console_line.h). */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include "lib/types.h"

void console_init(void);
void console_set_debugcon(bool on);
/* Writes n bytes of the hypervisor's own text; "\n" goes out as "\r\n"
 * on the UART. An unfinished guest line is ended first. */
void console_write(const char *s, size_t n);
/* Writes n bytes a guest (VM id `vm`, named `name`) asked for: each line
 * prefixed "[name] ", control and non-ASCII bytes as \xNN. */
void console_write_guest(u32 vm, const char *name, const char *s, size_t n);
/* Ends an unfinished line, so the next text starts one. */
void console_begin_line(void);
/* Returns once everything written has been sent (before power-off). */
void console_flush(void);

/* With debugcon=1 the mirror carries VM 0's own COM1 output too: COM1's
 * first port (transmit and receive) then exits for VM 0 (hv/vm0.c) and
 * comes here; its text is mirrored as a guest's, "[vm0] ...". */
bool console_mirrors_vm0(void);
u32 console_vm0_com1_read(u8 size);
void console_vm0_com1_write(u32 vm, const char *name, u8 size, u32 v);

#endif
