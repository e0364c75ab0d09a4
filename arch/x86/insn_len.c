/* x86 instruction decoder, table-driven from the opcode maps of the
 * Intel SDM (vol. 2, appendix A) and the AMD APM (vol. 3, appendix A).
 *
 * One parse of prefixes, opcode, ModRM/SIB, displacement and immediate
 * gives the length, what the prefixes of INS/OUTS say (Intel SDM vol. 2,
 * 2.1.1 and 2.2.1; AMD APM vol. 3, 1.2), and the fields the MMIO emulator
 * (insn_emul.c) reads. Opcodes that are #UD whatever follows them are rejected, and
 * so are prefixes we do not decode (EVEX, XOP, APX REX2); members of an
 * opcode group that are #UD (e.g. C7 /1) still get their length. */
#include "arch/x86/insn_len.h"
#include "lib/errno.h"

/* A map entry: the immediate kind in the low nibble, flags above it. */
enum imm_kind {
	IMM_NONE,
	IMM_B,		/* imm8 or rel8 */
	IMM_W,		/* imm16 (RET/RETF iw) */
	IMM_WB,		/* imm16 + imm8 (ENTER) */
	IMM_Z,		/* imm16, else imm32 (also with REX.W) */
	IMM_V,		/* imm16/32/64 by operand size (MOV r, imm) */
	IMM_J,		/* rel16/rel32; always rel32 in 64-bit mode */
	IMM_P,		/* far pointer: offset16/32 + selector */
	IMM_MOFFS,	/* memory offset, address size (MOV AL/eAX, moffs) */
};

#define OP_IMM_MASK	0x0f
#define OP_MODRM	0x10	/* a ModRM byte follows the opcode */
#define OP_NO64		0x20	/* invalid in 64-bit mode */
#define OP_UD		0x40	/* invalid in every mode */
#define OP_SPECIAL	0x80	/* decoded by its own function */

/* Short names for the tables only. */
#define M	OP_MODRM
#define N64	OP_NO64
#define UD	OP_UD
#define S	OP_SPECIAL
#define B	IMM_B
#define W	IMM_W
#define WB	IMM_WB
#define Z	IMM_Z
#define V	IMM_V
#define J	IMM_J
#define P	IMM_P
#define MO	IMM_MOFFS

/* One-byte map. Prefix bytes never get here; 40-4F are INC/DEC outside
 * 64-bit mode (REX in it) and, like every entry left 0, have no operand
 * bytes. */
static const u8 one_byte_map[256] = {
	/* ALU: Eb,Gb  Ev,Gv  Gb,Eb  Gv,Ev  AL,Ib  eAX,Iz */
	[0x00 ... 0x03] = M, [0x04] = B, [0x05] = Z,
	[0x08 ... 0x0b] = M, [0x0c] = B, [0x0d] = Z,
	[0x10 ... 0x13] = M, [0x14] = B, [0x15] = Z,
	[0x18 ... 0x1b] = M, [0x1c] = B, [0x1d] = Z,
	[0x20 ... 0x23] = M, [0x24] = B, [0x25] = Z,
	[0x28 ... 0x2b] = M, [0x2c] = B, [0x2d] = Z,
	[0x30 ... 0x33] = M, [0x34] = B, [0x35] = Z,
	[0x38 ... 0x3b] = M, [0x3c] = B, [0x3d] = Z,
	/* PUSH/POP segment, BCD adjust, the 0F escape */
	[0x06] = N64, [0x07] = N64, [0x0e] = N64, [0x0f] = S,
	[0x16] = N64, [0x17] = N64, [0x1e] = N64, [0x1f] = N64,
	[0x27] = N64, [0x2f] = N64, [0x37] = N64, [0x3f] = N64,
	/* PUSHA, POPA, BOUND/EVEX, ARPL/MOVSXD, PUSH/IMUL immediates */
	[0x60] = N64, [0x61] = N64, [0x62] = S | N64, [0x63] = M,
	[0x68] = Z, [0x69] = M | Z, [0x6a] = B, [0x6b] = M | B,
	/* Jcc rel8 */
	[0x70 ... 0x7f] = B,
	/* group 1, TEST, XCHG, MOV, LEA, MOV Sreg, POP Ev/XOP */
	[0x80] = M | B, [0x81] = M | Z, [0x82] = M | B | N64, [0x83] = M | B,
	[0x84 ... 0x8e] = M, [0x8f] = S,
	/* CALLF, MOV moffs, TEST eAX, MOV r, imm */
	[0x9a] = P | N64,
	[0xa0 ... 0xa3] = MO, [0xa8] = B, [0xa9] = Z,
	[0xb0 ... 0xb7] = B, [0xb8 ... 0xbf] = V,
	/* shifts, RET iw, LES/LDS/VEX, MOV Ev,imm, ENTER, RETF, INT, INTO */
	[0xc0] = M | B, [0xc1] = M | B, [0xc2] = W,
	[0xc4] = S, [0xc5] = S, [0xc6] = M | B, [0xc7] = M | Z,
	[0xc8] = WB, [0xca] = W, [0xcd] = B, [0xce] = N64,
	/* shifts, AAM, AAD, SALC, x87 */
	[0xd0 ... 0xd3] = M, [0xd4] = B | N64, [0xd5] = B | N64, [0xd6] = N64,
	[0xd8 ... 0xdf] = M,
	/* LOOP/JCXZ, IN/OUT imm8, CALL, JMP, JMPF, JMP rel8 */
	[0xe0 ... 0xe7] = B, [0xe8] = J, [0xe9] = J, [0xea] = P | N64,
	[0xeb] = B,
	/* group 3, groups 4 and 5 */
	[0xf6] = S, [0xf7] = S, [0xfe] = M, [0xff] = M,
};

/* Two-byte map, 0F xx. Entries left 0 have no operand bytes. */
static const u8 two_byte_map[256] = {
	/* groups 6/7, LAR, LSL, PREFETCHW, 3DNow! (imm8 = opcode) */
	[0x00 ... 0x03] = M, [0x04] = UD, [0x0a] = UD, [0x0c] = UD,
	[0x0d] = M, [0x0f] = M | B,
	[0x10 ... 0x1f] = M,
	/* MOV CR/DR, old MOV TR */
	[0x20 ... 0x23] = S, [0x24 ... 0x27] = UD, [0x28 ... 0x2f] = M,
	/* WRMSR..GETSEC, the three-byte escapes */
	[0x36] = UD, [0x38] = S, [0x39] = UD, [0x3a] = S,
	[0x3b ... 0x3f] = UD,
	/* CMOVcc, SSE, MMX */
	[0x40 ... 0x6f] = M, [0x70 ... 0x73] = M | B, [0x74 ... 0x76] = M,
	[0x78] = S, [0x79] = M, [0x7a] = UD, [0x7b] = UD, [0x7c ... 0x7f] = M,
	/* Jcc rel16/32, SETcc */
	[0x80 ... 0x8f] = J, [0x90 ... 0x9f] = M,
	/* BT, SHLD, BTS, SHRD, group 15, IMUL */
	[0xa3] = M, [0xa4] = M | B, [0xa5] = M, [0xa6] = UD, [0xa7] = UD,
	[0xab] = M, [0xac] = M | B, [0xad ... 0xaf] = M,
	/* CMPXCHG..MOVSX, group 8 */
	[0xb0 ... 0xb9] = M, [0xba] = M | B, [0xbb ... 0xbf] = M,
	/* XADD, CMPPS, MOVNTI, PINSRW, PEXTRW, SHUFPS, group 9; BSWAP is 0 */
	[0xc0 ... 0xc1] = M, [0xc2] = M | B, [0xc3] = M,
	[0xc4 ... 0xc6] = M | B, [0xc7] = M,
	[0xd0 ... 0xff] = M,
};

#undef M
#undef N64
#undef UD
#undef S
#undef B
#undef W
#undef WB
#undef Z
#undef V
#undef J
#undef P
#undef MO

/* 0 when n more bytes can be read; -EINVAL when they would make the
 * instruction longer than 15 bytes; -EAGAIN when the caller has not
 * fetched them. */
static int dec_need(const struct x86_insn *d, size_t n)
{
	if (d->len + n > INSN_MAX_LEN)
		return -EINVAL;
	if (d->len + n > d->avail)
		return -EAGAIN;
	return 0;
}

static int dec_skip(struct x86_insn *d, size_t n)
{
	int err = dec_need(d, n);

	if (!err)
		d->len += n;
	return err;
}

/* Consumes an immediate of n bytes and records where it is. */
static int dec_imm(struct x86_insn *d, size_t n)
{
	d->imm_pos = d->len;
	d->imm_len = n;
	return dec_skip(d, n);
}

static int dec_peek(const struct x86_insn *d, u8 *b)
{
	int err = dec_need(d, 1);

	if (!err)
		*b = d->bytes[d->len];
	return err;
}

static int dec_next(struct x86_insn *d, u8 *b)
{
	int err = dec_peek(d, b);

	if (!err)
		d->len++;
	return err;
}

/* Records a legacy prefix; false when b is not one. */
static bool note_legacy_prefix(struct x86_insn *d, u8 b)
{
	switch (b) {
	case 0x26: case 0x2e: case 0x36: case 0x3e:
		/* 001 sreg 110: ES, CS, SS or DS, ignored in 64-bit mode */
		if (d->mode != CPU_MODE_64)
			d->seg = (b >> 3) & 3;
		break;
	case 0x64: case 0x65:
		d->seg = b == 0x64 ? SEG_FS : SEG_GS;
		break;
	case 0x66: d->opsize_prefix = true; break;
	case 0x67: d->addrsize_prefix = true; break;
	case 0xf0: d->lock = true; break;
	case 0xf2: d->repne = true; break;
	case 0xf3: d->rep = true; break;
	default:
		return false;
	}
	return true;
}

/* Consumes legacy and REX prefixes and the opcode byte. A REX prefix only
 * counts when it is right before the opcode; the 15-byte limit ends any
 * run of prefixes. When a segment override repeats, the last one counts. */
static int decode_prefixes(struct x86_insn *d, u8 *op)
{
	u8 b;
	int err;

	for (;;) {
		err = dec_next(d, &b);
		if (err)
			return err;
		if (note_legacy_prefix(d, b)) {
			d->rex = 0;
		} else if (d->mode == CPU_MODE_64 && (b & 0xf0) == 0x40) {
			d->rex = b;
		} else {
			*op = b;
			return 0;
		}
	}
}

/* 66 and 67 switch between 2 and 4 bytes from the code segment's default
 * (4 in 32- and 64-bit mode); REX.W wins over 66, and 64-bit mode
 * addresses with 8 bytes, or 4 with 67. */
static void set_operand_sizes(struct x86_insn *d)
{
	bool def32 = d->mode != CPU_MODE_16;

	d->opsize = (d->rex & 8) ? 8 : def32 != d->opsize_prefix ? 4 : 2;
	if (d->mode == CPU_MODE_64)
		d->addrsize = d->addrsize_prefix ? 4 : 8;
	else
		d->addrsize = def32 != d->addrsize_prefix ? 4 : 2;
}

/* 16-bit addressing has no SIB; mod=00 rm=110 is a bare disp16. */
static size_t modrm16_disp_size(u8 mod, u8 rm)
{
	if (mod == 1)
		return 1;
	if (mod == 2 || (mod == 0 && rm == 6))
		return 2;
	return 0;
}

/* SIB and displacement of 32/64-bit addressing (mod != 11). mod=00 rm=101
 * is disp32 (RIP-relative in 64-bit mode); so is a SIB base of 101. */
static int skip_sib_disp32(struct x86_insn *d, u8 mod, u8 rm)
{
	u8 sib = 0;
	int err;

	if (rm == 4) {
		err = dec_next(d, &sib);
		if (err)
			return err;
	}
	if (mod == 1)
		return dec_skip(d, 1);
	if (mod == 2 || rm == 5 || (rm == 4 && (sib & 7) == 5))
		return dec_skip(d, 4);
	return 0;
}

/* Consumes a ModRM byte with its SIB and displacement. */
static int skip_modrm(struct x86_insn *d, u8 *modrm_out)
{
	u8 modrm, mod, rm;
	int err = dec_next(d, &modrm);

	if (err)
		return err;
	if (modrm_out)
		*modrm_out = modrm;
	d->has_modrm = true;
	d->modrm = modrm;
	mod = modrm >> 6;
	rm = modrm & 7;
	if (mod == 3)
		return 0;
	if (d->addrsize == 2)
		return dec_skip(d, modrm16_disp_size(mod, rm));
	return skip_sib_disp32(d, mod, rm);
}

static size_t imm_size(const struct x86_insn *d, unsigned int kind)
{
	size_t z = d->opsize == 2 ? 2 : 4;

	switch (kind) {
	case IMM_B: return 1;
	case IMM_W: return 2;
	case IMM_WB: return 3;
	case IMM_Z: return z;
	case IMM_V: return d->opsize;
	case IMM_J: return d->mode == CPU_MODE_64 ? 4 : z;
	case IMM_P: return z + 2;
	case IMM_MOFFS: return d->addrsize;
	}
	return 0;
}

/* A ModRM byte with its SIB and displacement, then imm immediate bytes. */
static int skip_modrm_imm(struct x86_insn *d, size_t imm)
{
	int err = skip_modrm(d, NULL);

	return err ? err : dec_imm(d, imm);
}

/* The operand bytes a plain map entry describes. */
static int decode_operands(struct x86_insn *d, u8 entry)
{
	size_t imm = imm_size(d, entry & OP_IMM_MASK);

	return (entry & OP_MODRM) ? skip_modrm_imm(d, imm) : dec_imm(d, imm);
}

/* 0F 38 xx: ModRM; 0F 3A xx: ModRM and imm8. */
static int decode_three_byte(struct x86_insn *d, u8 escape)
{
	int err = dec_next(d, &d->opcode);

	d->map = escape == 0x3a ? 3 : 2;
	return err ? err : skip_modrm_imm(d, escape == 0x3a);
}

static int decode_two_byte_special(struct x86_insn *d, u8 op)
{
	switch (op) {
	case 0x20 ... 0x23:
		/* MOV CR/DR: ModRM is always a register pair, mod ignored */
		d->has_modrm = true;
		return dec_next(d, &d->modrm);
	case 0x38: case 0x3a:
		return decode_three_byte(d, op);
	case 0x78:
		/* VMREAD Ey,Gy; with 66 (EXTRQ) or F2 (INSERTQ) it is AMD
		 * SSE4a with two imm8 */
		return skip_modrm_imm(d, (d->opsize_prefix || d->repne) ? 2 : 0);
	}
	return -EINVAL;
}

static int decode_two_byte(struct x86_insn *d)
{
	u8 op, entry;
	int err = dec_next(d, &op);

	if (err)
		return err;
	d->map = 1;
	d->opcode = op;
	entry = two_byte_map[op];
	if (entry & OP_UD)
		return -EINVAL;
	if (entry & OP_SPECIAL)
		return decode_two_byte_special(d, op);
	return decode_operands(d, entry);
}

/* VEX map 1 (0F): opcodes whose legacy form takes a ModRM, plus 77
 * (VZEROUPPER/VZEROALL), which has none. */
static int decode_vex_map1(struct x86_insn *d, u8 op)
{
	u8 entry = two_byte_map[op];

	if (op == 0x77)
		return 0;
	if (!(entry & OP_MODRM))
		return -EINVAL;
	return decode_operands(d, entry);
}

static int decode_vex_opcode(struct x86_insn *d, u8 map)
{
	u8 op;
	int err = dec_next(d, &op);

	if (err)
		return err;
	d->vex = true;
	d->map = map;
	d->opcode = op;
	if (map == 1)
		return decode_vex_map1(d, op);
	if (map == 2 || map == 3) /* as 0F 38 and 0F 3A: ModRM, imm8 in map 3 */
		return skip_modrm_imm(d, map == 3);
	return -EINVAL;
}

/* C5 RvvvvLpp, or C4 RXBmmmmm WvvvvLpp, then opcode. 66, F2, F3, LOCK and
 * REX in front of a VEX prefix are #UD. */
static int decode_vex(struct x86_insn *d, u8 op)
{
	u8 payload, map = 1;
	int err;

	if (d->rex || d->opsize_prefix || d->rep || d->repne || d->lock)
		return -EINVAL;
	err = dec_next(d, &payload);
	if (err)
		return err;
	if (op == 0xc4) {
		map = payload & 0x1f;
		err = dec_skip(d, 1);
		if (err)
			return err;
	}
	return decode_vex_opcode(d, map);
}

/* C4/C5 are always VEX in 64-bit mode. Elsewhere they are LES/LDS, unless
 * the next byte has mod=11 (invalid for LES/LDS), which makes them VEX. */
static int decode_vex_or_les(struct x86_insn *d, u8 op)
{
	u8 next;
	int err = dec_peek(d, &next);

	if (err)
		return err;
	if (d->mode != CPU_MODE_64 && (next >> 6) != 3)
		return skip_modrm(d, NULL);
	return decode_vex(d, op);
}

/* Opcodes whose next byte tells an instruction with a ModRM from a prefix
 * we do not decode. 62 outside 64-bit mode: BOUND Gv,Ma; mod=11 makes it
 * EVEX (so is 62 in 64-bit mode, always). 8F /0 is POP Ev; any other reg
 * field is an AMD XOP prefix. */
static int decode_bound_or_pop_ev(struct x86_insn *d, u8 op)
{
	u8 modrm;
	int err = dec_peek(d, &modrm);

	if (err)
		return err;
	if (op == 0x62 ? (modrm >> 6) == 3 : ((modrm >> 3) & 7) != 0)
		return -EINVAL;
	return skip_modrm(d, NULL);
}

/* Group 3: TEST (/0, /1) takes an immediate, NOT/NEG/MUL/IMUL/DIV/IDIV
 * do not. */
static int decode_group3(struct x86_insn *d, u8 op)
{
	u8 modrm;
	int err = skip_modrm(d, &modrm);

	if (err)
		return err;
	if (((modrm >> 3) & 7) >= 2)
		return 0;
	return dec_imm(d, imm_size(d, op == 0xf6 ? IMM_B : IMM_Z));
}

static int decode_one_byte_special(struct x86_insn *d, u8 op)
{
	switch (op) {
	case 0x0f:
		return decode_two_byte(d);
	case 0x62: case 0x8f:
		return decode_bound_or_pop_ev(d, op);
	case 0xc4: case 0xc5:
		return decode_vex_or_les(d, op);
	case 0xf6: case 0xf7:
		return decode_group3(d, op);
	}
	return -EINVAL;
}

static int decode_one_byte(struct x86_insn *d, u8 op)
{
	u8 entry = one_byte_map[op];

	if ((entry & OP_NO64) && d->mode == CPU_MODE_64)
		return -EINVAL;
	if (entry & OP_SPECIAL)
		return decode_one_byte_special(d, op);
	return decode_operands(d, entry);
}

/* Starts a decode: the prefixes, the opcode byte and the sizes they give. */
static int decode_start(struct x86_insn *d, const u8 *bytes, size_t avail,
			enum cpu_mode mode, u8 *op)
{
	int err;

	*d = (struct x86_insn){
		.bytes = bytes,
		.avail = bytes ? MIN(avail, (size_t)INSN_MAX_LEN) : 0,
		.mode = mode,
		.seg = SEG_DS,
	};
	if (mode != CPU_MODE_16 && mode != CPU_MODE_32 && mode != CPU_MODE_64)
		return -EINVAL;
	err = decode_prefixes(d, op);
	if (err)
		return err;
	set_operand_sizes(d);
	d->opcode = *op;
	return 0;
}

int insn_decode(const u8 *bytes, size_t avail, enum cpu_mode mode, struct x86_insn *insn)
{
	u8 op;
	int err = decode_start(insn, bytes, avail, mode, &op);

	return err ? err : decode_one_byte(insn, op);
}

u64 insn_imm(const struct x86_insn *insn)
{
	u64 v = 0;

	for (int i = insn->imm_len - 1; i >= 0; i--)
		v = v << 8 | insn->bytes[insn->imm_pos + i];
	return v;
}

int insn_length(const u8 *bytes, size_t avail, enum cpu_mode mode)
{
	struct x86_insn d;
	int err = insn_decode(bytes, avail, mode, &d);

	return err ? err : (int)d.len;
}

/* REX changes nothing for INS/OUTS. */
int string_insn_decode(const u8 *bytes, size_t avail, enum cpu_mode mode,
		       struct string_insn *out)
{
	struct x86_insn d;

	if (insn_decode(bytes, avail, mode, &d) || d.map || d.opcode < 0x6c || d.opcode > 0x6f)
		return -EINVAL;
	out->addr_size = d.addrsize;
	out->seg = d.seg;
	return 0;
}
