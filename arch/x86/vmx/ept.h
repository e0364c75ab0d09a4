/* Intel extended page tables (EPT): the stage-2 format for VMX guests. */
#ifndef ARCH_X86_VMX_EPT_H
#define ARCH_X86_VMX_EPT_H

#include "arch/x86/pt.h"

extern const struct pt_format ept_format;

/* The VMCS EPT pointer for a 4-level table at root_pa, with write-back
 * paging-structure accesses and accessed/dirty flags disabled. */
u64 ept_pointer(u64 root_pa);

#endif
