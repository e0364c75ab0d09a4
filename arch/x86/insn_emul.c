/* Emulation of the memory-operand instructions of MMIO accesses (see
 * insn_emul.h), on the one parse of insn_len.c. Operand sizes, the
 * direction bit and the ALU groups follow the opcode maps of the Intel SDM
 * (vol. 2, appendix A) and the AMD APM (vol. 3, appendix A); flags follow
 * the SDM's description of each instruction. */
#include "arch/x86/insn_emul.h"
#include "lib/errno.h"

enum alu_op { ALU_NONE, ALU_ADD, ALU_OR, ALU_AND, ALU_SUB, ALU_XOR, ALU_BT };

#define FL_CF BIT(0)
#define FL_PF BIT(2)
#define FL_AF BIT(4)
#define FL_ZF BIT(6)
#define FL_SF BIT(7)
#define FL_DF BIT(10)
#define FL_OF BIT(11)
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)

/* The operation of the 00-3F families (opcode bits 5:3) and of group 1
 * (80-83, ModRM.reg): ADD OR ADC SBB AND SUB XOR CMP. ADC and SBB are not
 * emulated; CMP is SUB without the write. */
static const u8 group1_alu[8] = {
	ALU_ADD, ALU_OR, ALU_NONE, ALU_NONE, ALU_AND, ALU_SUB, ALU_XOR, ALU_SUB,
};

/* The flags each operation writes; AF is undefined after AND/OR/XOR/TEST,
 * everything but CF after BT (ZF unchanged), so they stay as they were. */
static const u64 alu_flags_written[] = {
	[ALU_ADD] = FL_ARITH, [ALU_SUB] = FL_ARITH,
	[ALU_AND] = FL_ARITH & ~FL_AF, [ALU_OR] = FL_ARITH & ~FL_AF,
	[ALU_XOR] = FL_ARITH & ~FL_AF, [ALU_BT] = FL_CF,
};

u64 *gpr_by_number(struct guest_regs *r, u8 n)
{
#define GPR(reg) offsetof(struct guest_regs, reg)
	static const u8 offsets[16] = { GPR(rax), GPR(rcx), GPR(rdx), GPR(rbx),
					GPR(rsp), GPR(rbp), GPR(rsi), GPR(rdi),
					GPR(r8),  GPR(r9),  GPR(r10), GPR(r11),
					GPR(r12), GPR(r13), GPR(r14), GPR(r15) };
#undef GPR
	return (u64 *)((u8 *)r + offsets[n & 15]);
}

static u64 sign_extend(u64 v, u8 size)
{
	unsigned int shift = 64 - size * 8;

	return (u64)((s64)(v << shift) >> shift);
}

/* --- decode ---------------------------------------------------------- */

/* The ModRM.reg register operand (a form with an immediate ignores it),
 * dst_size bytes wide: without REX, 8-bit numbers 4-7 are AH, CH, DH,
 * BH, bits 15:8 of registers 0-3. */
static void set_reg_operand(struct mem_op *op, const struct x86_insn *d)
{
	op->reg = ((d->modrm >> 3) & 7) | ((d->rex & 4) ? 8 : 0);
	op->high8 = op->dst_size == 1 && !d->rex && op->reg >= 4;
	if (op->high8)
		op->reg -= 4;
}

static int set_imm_operand(struct mem_op *op, const struct x86_insn *d)
{
	op->has_imm = true;
	op->imm = sign_extend(insn_imm(d), d->imm_len) & size_mask(op->size);
	return 0;
}

/* 00-3B with a memory operand: the ALU op, its direction (bit 1: the
 * register is the destination) and CMP (family 7), which writes nothing. */
static int decode_alu_family(struct mem_op *op, const struct x86_insn *d)
{
	bool cmp = (d->opcode >> 3) == 7;

	op->alu = group1_alu[d->opcode >> 3];
	op->reg_first = d->opcode & 2;
	op->kind = cmp ? MEM_CMP : op->reg_first ? MEM_LOAD : MEM_RMW;
	return op->alu ? 0 : -EINVAL;
}

/* 80-83: group 1 with an immediate (imm8 sign-extended for 83). */
static int decode_group1_imm(struct mem_op *op, const struct x86_insn *d)
{
	u8 sub = (d->modrm >> 3) & 7;

	op->alu = group1_alu[sub];
	op->kind = sub == 7 ? MEM_CMP : MEM_RMW;
	set_imm_operand(op, d);
	return op->alu ? 0 : -EINVAL;
}

/* The one-byte opcodes that address memory through ModRM. */
static int decode_modrm_one_byte(struct mem_op *op, const struct x86_insn *d)
{
	u8 sub = (d->modrm >> 3) & 7;

	switch (d->opcode) {
	case 0x00 ... 0x3f:
		return (d->opcode & 7) < 4 ? decode_alu_family(op, d) : -EINVAL;
	case 0x63: /* MOVSXD Gq, Ed */
		if (!(d->rex & 8))
			return -EINVAL;
		op->size = 4;
		op->dst_size = 8;
		op->sign_extend = true;
		op->kind = MEM_LOAD;
		return 0;
	case 0x80 ... 0x83:
		return decode_group1_imm(op, d);
	case 0x84: case 0x85: /* TEST Ev, Gv */
		op->alu = ALU_AND;
		op->kind = MEM_CMP;
		return 0;
	case 0x88 ... 0x8b: /* MOV Ev, Gv and Gv, Ev */
		op->kind = (d->opcode & 2) ? MEM_LOAD : MEM_STORE;
		return 0;
	case 0xc6: case 0xc7: /* MOV Ev, Iz (/0) */
		op->kind = MEM_STORE;
		return sub == 0 ? set_imm_operand(op, d) : -EINVAL;
	case 0xf6: case 0xf7: /* TEST Ev, Iz (/0) */
		op->alu = ALU_AND;
		op->kind = MEM_CMP;
		return sub == 0 ? set_imm_operand(op, d) : -EINVAL;
	}
	return -EINVAL;
}

/* 0F xx: MOVZX/MOVSX Gv, Eb/Ew; BT Ev, Gv; BT Ev, Ib (group 8 /4). The
 * CPU accesses the operand-sized unit holding the bit, displaced by a
 * register bit offset; the faulting access is that unit, and the bit
 * within it is the offset modulo the operand size. */
static int decode_modrm_two_byte(struct mem_op *op, const struct x86_insn *d)
{
	switch (d->opcode) {
	case 0xb6: case 0xb7: case 0xbe: case 0xbf:
		op->size = (d->opcode & 1) ? 2 : 1;
		op->sign_extend = d->opcode & 8;
		op->kind = MEM_LOAD;
		op->dst_size = d->opsize;
		return 0;
	case 0xa3:
		op->alu = ALU_BT;
		op->kind = MEM_CMP;
		return 0;
	case 0xba:
		op->alu = ALU_BT;
		op->kind = MEM_CMP;
		return ((d->modrm >> 3) & 7) == 4 ? set_imm_operand(op, d) : -EINVAL;
	}
	return -EINVAL;
}

/* The one-byte opcodes without ModRM: MOV AL/rAX to and from moffs,
 * single MOVS and STOS. */
static int decode_implicit(struct mem_op *op, const struct x86_insn *d)
{
	switch (d->opcode) {
	case 0xa0 ... 0xa3:
		op->kind = (d->opcode & 2) ? MEM_STORE : MEM_LOAD;
		return 0;
	case 0xa4: case 0xa5:
		op->kind = MEM_MOVS;
		return d->rep || d->repne ? -EINVAL : 0;
	case 0xaa: case 0xab:
		op->kind = MEM_STOS;
		return d->rep || d->repne ? -EINVAL : 0;
	}
	return -EINVAL;
}

static int decode_form(struct mem_op *op, const struct x86_insn *d)
{
	if (d->vex || d->lock || d->map > 1)
		return -EINVAL;
	if (!d->has_modrm)
		return d->map == 0 ? decode_implicit(op, d) : -EINVAL;
	if ((d->modrm >> 6) == 3 || d->rep || d->repne)
		return -EINVAL;
	return d->map == 0 ? decode_modrm_one_byte(op, d) : decode_modrm_two_byte(op, d);
}

int mem_op_decode(const u8 *bytes, size_t avail, enum cpu_mode mode, struct mem_op *op)
{
	struct x86_insn d;
	int err = insn_decode(bytes, avail, mode, &d);

	if (err)
		return -EINVAL;
	/* Even opcodes of the byte forms access 1 byte, odd ones the
	 * operand size; the 0F forms set their own. */
	*op = (struct mem_op){
		.len = d.len,
		.size = (d.opcode & 1) || d.map ? d.opsize : 1,
		.addr_size = d.addrsize,
		.seg = d.seg,
	};
	err = decode_form(op, &d);
	if (err)
		return err;
	if (!op->dst_size)
		op->dst_size = op->size;
	if (d.has_modrm)
		set_reg_operand(op, &d);
	op->reads = op->kind != MEM_STORE && op->kind != MEM_STOS;
	op->writes = op->kind == MEM_STORE || op->kind == MEM_STOS ||
		     op->kind == MEM_RMW || op->kind == MEM_MOVS;
	return 0;
}

/* --- execute --------------------------------------------------------- */

static u64 reg_read(const struct mem_op *op, const struct guest_regs *r)
{
	u64 v = *gpr_by_number((struct guest_regs *)r, op->reg);

	return (op->high8 ? v >> 8 : v) & size_mask(op->size);
}

static void reg_write(const struct mem_op *op, struct guest_regs *r, u64 v, u8 size)
{
	u64 *reg = gpr_by_number(r, op->reg);

	if (op->high8)
		*reg = (*reg & ~0xff00ULL) | (v & 0xff) << 8;
	else
		set_reg_sized(reg, v, size);
}

/* The operands of the ALU op in the instruction's order: memory first,
 * unless the register is the destination (reg <- reg OP mem). */
static void alu_operands(const struct mem_op *op, const struct guest_regs *r, u64 mem,
			 u64 *a, u64 *b)
{
	u64 src = op->has_imm ? op->imm : reg_read(op, r);

	mem &= size_mask(op->size);
	*a = op->reg_first ? src : mem;
	*b = op->reg_first ? mem : src;
}

static u64 alu_result(u8 alu, u64 a, u64 b, u8 size)
{
	switch (alu) {
	case ALU_ADD: return (a + b) & size_mask(size);
	case ALU_SUB: return (a - b) & size_mask(size);
	case ALU_AND: return a & b;
	case ALU_OR: return a | b;
	case ALU_XOR: return a ^ b;
	}
	return 0;
}

/* PF: set when the low byte of the result has an even number of ones. */
static u64 parity_flag(u64 res)
{
	u8 p = res;

	p ^= p >> 4;
	p ^= p >> 2;
	p ^= p >> 1;
	return (p & 1) ? 0 : FL_PF;
}

/* The arithmetic flags of a OP b = res (all masked to size); the caller
 * keeps only those the operation writes. */
static u64 alu_flags(u8 alu, u64 a, u64 b, u64 res, u8 size)
{
	u64 top = BIT(size * 8 - 1);
	u64 f = parity_flag(res) | (res ? 0 : FL_ZF) | ((res & top) ? FL_SF : 0);

	if (alu == ALU_BT)
		return (a >> (b & (size * 8 - 1))) & 1 ? FL_CF : 0;
	f |= (a ^ b ^ res) & 0x10 ? FL_AF : 0;
	if (alu == ALU_ADD)
		return f | (res < a ? FL_CF : 0) | ((a ^ res) & (b ^ res) & top ? FL_OF : 0);
	if (alu == ALU_SUB)
		return f | (a < b ? FL_CF : 0) | ((a ^ b) & (a ^ res) & top ? FL_OF : 0);
	return f;
}

u64 mem_op_store_value(const struct mem_op *op, const struct guest_regs *r, u64 mem_value)
{
	u64 a, b;

	switch (op->kind) {
	case MEM_STORE:
		return op->has_imm ? op->imm : reg_read(op, r);
	case MEM_STOS:
		return r->rax & size_mask(op->size);
	case MEM_MOVS:
		return mem_value & size_mask(op->size);
	case MEM_RMW:
		alu_operands(op, r, mem_value, &a, &b);
		return alu_result(op->alu, a, b, op->size);
	default:
		return 0;
	}
}

/* rDI (and rSI for MOVS) step by the access size, down when DF is set,
 * wrapping at the address size. */
static void advance_string_regs(const struct mem_op *op, struct guest_regs *r)
{
	u64 step = (r->rflags & FL_DF) ? -(u64)op->size : op->size;

	set_reg_sized(&r->rdi, r->rdi + step, op->addr_size);
	if (op->kind == MEM_MOVS)
		set_reg_sized(&r->rsi, r->rsi + step, op->addr_size);
}

static void complete_alu(const struct mem_op *op, struct guest_regs *r, u64 mem_value)
{
	u64 a, b, res, written = alu_flags_written[op->alu];

	alu_operands(op, r, mem_value, &a, &b);
	res = alu_result(op->alu, a, b, op->size);
	r->rflags = (r->rflags & ~written) | (alu_flags(op->alu, a, b, res, op->size) & written);
	if (op->kind == MEM_LOAD)
		reg_write(op, r, res, op->size);
}

void mem_op_complete(const struct mem_op *op, struct guest_regs *r, u64 mem_value)
{
	u64 v = mem_value & size_mask(op->size);

	if (op->kind == MEM_STOS || op->kind == MEM_MOVS)
		advance_string_regs(op, r);
	else if (op->alu != ALU_NONE)
		complete_alu(op, r, mem_value);
	else if (op->kind == MEM_LOAD)
		reg_write(op, r, op->sign_extend ? sign_extend(v, op->size) : v, op->dst_size);
}
