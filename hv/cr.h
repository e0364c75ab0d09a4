/* MOV to CR0 and CR4 on a guest's behalf: which values the architecture
 * refuses with #GP (Intel SDM vol. 3A 2.5 and vol. 2 "MOV to/from
 * Control Registers", AMD APM vol. 2 3.1), and what a write it accepts
 * changes. Backends intercept only what their CPU would otherwise let
 * through or refuse at VM entry: CR4 bits the guest's CPUID does not
 * offer, and, without hardware checks of their own, the rest. */
#ifndef HV_CR_H
#define HV_CR_H

#include "hv/cpuid.h"
#include "hv/virt.h"

/* The CR4 bits a guest may set: those whose feature its CPUID offers
 * (leaf 1 and leaf 7 subleaf 0), and the few every x86-64 CPU has. */
u64 cr4_offered(const struct cpuid_result *leaf1, const struct cpuid_result *leaf7);

/* cr4_offered for the CPUID guests see. */
u64 cr4_guest_allowed(void);

/* struct exit_cr's gpr when the CPU did not report the register (SVM
 * without decode assists): the core decodes the instruction. */
#define CR_GPR_UNDECODED 0xff

/* What the n bytes at b, fetched at CS:RIP with the state in *s, write
 * to CR`cr`: MOV to CR (0F 22 /r, with a REX prefix in 64-bit mode) or,
 * for CR0, LMSW from a register (0F 01 /6) or CLTS (0F 06); *gpr is the
 * source of the first two. */
enum cr_insn { CR_INSN_NONE, CR_INSN_MOV, CR_INSN_LMSW, CR_INSN_CLTS };
enum cr_insn cr_decode(const u8 *b, int n, const struct guest_sregs *s, u8 cr, u8 *gpr);

/* The CR0 an instruction of cr_decode writes, given the current cr0 and
 * its source register's value. */
u64 cr_insn_value(enum cr_insn insn, u64 cr0, u64 src);

/* MOV to CR`cr` (0 or 4) with `value` on the state in *s: false, with *s
 * unchanged, when the write must raise #GP; else *s is the state after
 * it (CR0's reserved low bits ignored, EFER.LMA following CR0.PG). */
bool cr_write(struct guest_sregs *s, u8 cr, u64 value, u64 cr4_allowed);

#endif
