#ifndef HV_VM0_H
#define HV_VM0_H

#include "hv/boot_info.h"
#include "hv/vm.h"

/* Builds VM 0 from the first boot module (an ELF64 kernel entered in long
 * mode, or an ELF32 kernel entered in 32-bit protected mode with paging
 * off), with mem_size bytes of RAM and the remaining modules copied in.
 * Returns NULL, with the reason logged and nothing left allocated, when
 * the module is missing or unusable. */
struct vm *vm0_create(const struct boot_info *bi, u64 mem_size);

#endif
