/* The child of the vlapic test: a 64-bit loop that does one access for
 * its VMM at a time (a 32-bit load or store, RDMSR, WRMSR, CPUID) and
 * reports the result and whether it raised #GP. */
#ifndef GUESTS_VLAPIC_VLAPIC_H
#define GUESTS_VLAPIC_VLAPIC_H

#define VL_PORT_OP 0xe0   /* IN: what to do (VL_OP_*) */
#define VL_PORT_ADDR 0xe1 /* IN: the address, MSR or CPUID leaf */
#define VL_PORT_LO 0xe2   /* IN: the value's low half */
#define VL_PORT_HI 0xe3   /* IN: its high half */
#define VL_PORT_OUT 0xe4  /* OUT three times: result low, high, #GP (1) */

#define VL_OP_READ 0   /* 32-bit load: low */
#define VL_OP_WRITE 1  /* 32-bit store of low */
#define VL_OP_RDMSR 2  /* low, high */
#define VL_OP_WRMSR 3
#define VL_OP_CPUID 4  /* leaf: low ECX, high EDX */
#define VL_OP_CPUID_AB 5 /* leaf: low EAX, high EBX */

#ifndef __ASSEMBLY__
#include "lib/types.h"

extern const u8 vl_child_start[], vl_child_gp[], vl_child_end[];
#endif

#endif
