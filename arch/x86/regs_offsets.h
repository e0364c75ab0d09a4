/* Offsets into struct guest_regs (hv/virt.h) for the VM-entry stubs.
 * Checked against the C layout by static assertions in vcpu_regs.c. */
#ifndef ARCH_X86_REGS_OFFSETS_H
#define ARCH_X86_REGS_OFFSETS_H

#define GR_RAX 0
#define GR_RBX 8
#define GR_RCX 16
#define GR_RDX 24
#define GR_RSI 32
#define GR_RDI 40
#define GR_RBP 48
#define GR_RSP 56
#define GR_R8 64
#define GR_R9 72
#define GR_R10 80
#define GR_R11 88
#define GR_R12 96
#define GR_R13 104
#define GR_R14 112
#define GR_R15 120

#endif
