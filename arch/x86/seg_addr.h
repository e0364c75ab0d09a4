/* From segment:offset to a linear address, as the CPU forms the address of
 * a data operand: segment bases, the protected-mode type, presence and
 * limit checks (expand-down included) outside 64-bit mode, and the
 * canonical check in it. Used to emulate INS/OUTS; pure code, unit-tested
 * on the host. */
#ifndef ARCH_X86_SEG_ADDR_H
#define ARCH_X86_SEG_ADDR_H

#include "arch/x86/insn_len.h"
#include "arch/x86/msr.h"
#include "hv/virt.h"

/* One memory access of an instruction. */
struct seg_access {
	enum seg_reg seg; /* SEG_ES..SEG_GS */
	u64 offset;       /* effective address, truncated to the address size */
	u8 size;          /* bytes, 1..8 */
	bool write;
};

/* What the CPU does instead of the access: nothing, or an exception with
 * error code 0 (#SS when the segment is SS, else #GP). */
enum seg_fault { SEG_FAULT_NONE, SEG_FAULT_GP, SEG_FAULT_SS };

/* The linear address of the access's first byte, or the fault the CPU
 * raises for it. rflags matters for virtual-8086 mode. */
enum seg_fault seg_linear(const struct guest_sregs *s, u64 rflags,
			  const struct seg_access *a, u64 *linear);

#define ATTR_L BIT(9)   /* CS: a 64-bit code segment */
#define ATTR_DB BIT(10) /* CS: 32-bit default operand size */

/* The code segment's mode: 64-bit (long mode and CS.L), else CS.D. Inline:
 * every exit without the CPU's next RIP asks it. */
static inline enum cpu_mode seg_code_mode(const struct guest_sregs *s)
{
	if ((s->efer & EFER_LMA) && (s->cs.attr & ATTR_L))
		return CPU_MODE_64;
	return (s->cs.attr & ATTR_DB) ? CPU_MODE_32 : CPU_MODE_16;
}

#endif
