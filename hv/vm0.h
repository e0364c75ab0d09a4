#ifndef HV_VM0_H
#define HV_VM0_H

#include "boot/boot_info.h"
#include "hv/vm.h"

/* Builds VM 0 from the first boot module (an ELF64 kernel entered in long
 * mode, or an ELF32 kernel entered in 32-bit protected mode with paging
 * off), with mem_size bytes of RAM and the remaining modules copied in
 * (or mapped read-only above the RAM when they do not fit).
 * Returns 0, or a negative errno with the reason logged and nothing left
 * allocated: -EOPNOTSUPP when this CPU cannot run the kernel's entry
 * state, -ENOEXEC for an unusable module, -ENOMEM. */
int vm0_create(const struct boot_info *bi, u64 mem_size, struct vm **out);
/* Destroys VM 0 and frees what it holds beyond its RAM. */
void vm0_destroy(struct vm *vm);

#endif
