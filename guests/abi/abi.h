/* What the ABI test's parts (abi.c, abi_vmm.c) call in each other. */
#ifndef GUESTS_ABI_ABI_H
#define GUESTS_ABI_ABI_H

#include "guests/lib/hv.h"

#define VM0_RAM_END (64ULL << 20) /* this guest's RAM: the default vm0.mem */

/* VM_CREATE of a CHILD_MEM_SIZE, one-vCPU child with this caller
 * generation's struct size; `tail` fills a future caller's unknown field. */
long create_child(const char *name, u32 exit_reasons, u64 tail);

/* Runs the child program (abi_child.S) in `vm` as its VMM. */
void run_child(u32 vm);

/* A destroyed VM's id names nothing, even after its slot is reused. */
void check_stale_ids(void);

#endif
