/* The ports the hypervisor completes itself (see io.c), shared by the
 * plain and the string forms of IN and OUT. */
#ifndef HV_IO_PORT_H
#define HV_IO_PORT_H

#include "hv/vm.h"

/* Reads change no device state (only statistics): unclaimed ports read
 * all-ones. */
u32 io_port_read(struct vm *vm, u16 port, u8 size);

/* Returns false when the write ended the VM. */
bool io_port_write(struct vm *vm, u16 port, u8 size, u32 v);

#endif
