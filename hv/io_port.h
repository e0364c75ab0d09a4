/* The ports the hypervisor completes itself: the exit port and the
 * scratch device (abi/hv_boot.h), and all-ones reads / ignored writes for
 * every unclaimed port. Shared by the plain (io.c) and the string
 * (io_string.c) forms of IN and OUT. */
#ifndef HV_IO_PORT_H
#define HV_IO_PORT_H

#include "hv/vm.h"

/* Reads change no device state (only statistics): unclaimed ports read
 * all-ones. */
u32 io_port_read(struct vm *vm, u16 port, u8 size);

/* Returns false when the write ended the VM. */
bool io_port_write(struct vm *vm, u16 port, u8 size, u32 v);

/* Resets the per-boot I/O devices of a VM (the scratch registers). */
void io_reset(struct vm *vm);

#endif
