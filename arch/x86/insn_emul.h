/* Emulation of the instructions a guest uses to touch memory-mapped I/O:
 * the decoded instruction as one memory access, the value a store writes,
 * and the register and flag effects that complete it. The hypervisor does
 * the access itself (or hands it to the VMM); this file never touches
 * memory. Pure code on top of the shared decoder (insn_len.c),
 * unit-tested on the host against the host CPU. */
#ifndef ARCH_X86_INSN_EMUL_H
#define ARCH_X86_INSN_EMUL_H

#include "arch/x86/insn_len.h"

/* A decoded instruction that accesses memory at one operand, as an MMIO
 * access. */
enum mem_op_kind {
	MEM_LOAD,	/* MOV/MOVZX/MOVSX/MOVSXD to a register, and
			 * reg <- reg OP mem (with flags) */
	MEM_STORE,	/* MOV from a register or an immediate */
	MEM_RMW,	/* ALU op with a memory destination: read, then write */
	MEM_CMP,	/* TEST, CMP, BT: read, flags only */
	MEM_STOS,	/* single STOS: writes rAX to ES:rDI */
	MEM_MOVS,	/* single MOVS: reads seg:rSI, writes ES:rDI */
};

struct mem_op {
	u8 len;			/* instruction length */
	u8 size;		/* bytes accessed: 1, 2, 4 or 8 */
	enum mem_op_kind kind;
	bool reads, writes;	/* whether the access reads memory, writes it
				 * (RMW and MOVS: both) */
	u8 addr_size;		/* 2, 4 or 8: width of rSI/rDI (STOS, MOVS) */
	enum seg_reg seg;	/* MOVS source segment (override, else DS) */
	/* Private to insn_emul.c. */
	u8 alu;			/* the operation, enum in insn_emul.c */
	u8 reg;			/* register operand, 0-15 */
	bool high8;		/* bits 15:8 of reg 0-3: AH..BH (8-bit, no REX) */
	bool reg_first;		/* the register is the first ALU operand */
	bool has_imm;		/* the source is imm, not reg */
	u8 dst_size;		/* register operand size (wider: MOVZX/MOVSX/MOVSXD) */
	bool sign_extend;	/* MOVSX/MOVSXD */
	u64 imm;		/* sign-extended to size */
};

/* Decodes bytes[0..avail) in `mode`; 0, or -EINVAL when it is not a form
 * this decoder emulates (the caller then reports it undecoded). */
int mem_op_decode(const u8 *bytes, size_t avail, enum cpu_mode mode, struct mem_op *op);

/* The value a store writes, for MEM_STORE/MEM_STOS (mem_value ignored),
 * MEM_MOVS (mem_value, the value read from the source) and MEM_RMW (the
 * result of the ALU operation on mem_value, the value just read). */
u64 mem_op_store_value(const struct mem_op *op, const struct guest_regs *r, u64 mem_value);

/* Completes the instruction's register and flag effects given the value
 * read (0 for pure stores): the destination register with the right
 * zero/sign extension (8/16-bit writes keep the upper bits, 32-bit writes
 * zero-extend), arithmetic flags where the instruction sets them (the
 * undefined ones left unchanged), rDI/rSI advanced by DF for STOS/MOVS.
 * RIP is NOT advanced (the caller adds op->len). */
void mem_op_complete(const struct mem_op *op, struct guest_regs *r, u64 mem_value);

/* General-purpose register n (0-15) in the encoding's order: rAX, rCX,
 * rDX, rBX, rSP, rBP, rSI, rDI, r8-r15. */
u64 *gpr_by_number(struct guest_regs *r, u8 n);

/* The low `size` bytes (1, 2, 4 or 8) of a value. */
static inline u64 size_mask(u8 size)
{
	return size == 8 ? ~0ULL : BIT(size * 8) - 1;
}

/* Writes the low `size` bytes of value to a register as an instruction
 * does: 8- and 16-bit writes keep the bits above, a 32-bit write
 * zero-extends. */
static inline void set_reg_sized(u64 *reg, u64 value, u8 size)
{
	*reg = size == 4 ? (u32)value : (*reg & ~size_mask(size)) | (value & size_mask(size));
}

#endif
