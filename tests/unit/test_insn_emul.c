/* The MMIO instruction emulator (arch/x86/insn_emul.c): a table of forms,
 * prefixes and rejections in each mode; register write-back with its
 * zero/sign extension and AH..BH against SPL..DIL; the string forms'
 * index registers; the ALU results and flags against the host CPU
 * executing the same instruction; and the decoded length, access size
 * and register operand of generated encodings against objdump (skipped
 * when objdump is missing). */
#include "check.h"
#include "../../arch/x86/insn_len.c"
#include "../../arch/x86/insn_emul.c"

#include <stdbool.h>
#include <unistd.h>

#define M16 CPU_MODE_16
#define M32 CPU_MODE_32
#define M64 CPU_MODE_64
#define EI (-EINVAL)

/* xorshift64: reproducible operand values and random bytes. */
static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* --- forms, prefixes, rejections -------------------------------------- */

enum { R = 1, W = 2, RW = 3 };

struct form_case {
	enum cpu_mode mode;
	int rc;
	u8 len, size;
	enum mem_op_kind kind;
	u8 rw;
	u8 reg;	/* register operand for forms with one */
	bool high8;
	size_t n;
	u8 b[16];
};

#define F(mode, len, size, kind, rw, reg, high8, ...)                        \
	{ mode, 0, len, size, kind, rw, reg, high8,                          \
	  sizeof((const u8[]){ __VA_ARGS__ }), { __VA_ARGS__ } }
#define REJECT(mode, ...)                                                    \
	{ mode, EI, 0, 0, 0, 0, 0, 0,                                        \
	  sizeof((const u8[]){ __VA_ARGS__ }), { __VA_ARGS__ } }

static const struct form_case form_cases[] = {
	/* MOV r/m <- r in every size; AH..BH without REX, SPL..DIL with */
	F(M64, 2, 1, MEM_STORE, W, 0, 0, 0x88, 0x00),
	F(M64, 2, 1, MEM_STORE, W, 0, 1, 0x88, 0x20),		/* AH */
	F(M64, 3, 1, MEM_STORE, W, 4, 0, 0x40, 0x88, 0x20),	/* SPL */
	F(M64, 3, 1, MEM_STORE, W, 7, 0, 0x40, 0x88, 0x38),	/* DIL */
	F(M64, 2, 1, MEM_STORE, W, 3, 1, 0x88, 0x38),		/* BH */
	F(M64, 3, 1, MEM_STORE, W, 12, 0, 0x44, 0x88, 0x20),	/* R12B */
	F(M64, 3, 2, MEM_STORE, W, 1, 0, 0x66, 0x89, 0x08),
	F(M64, 2, 4, MEM_STORE, W, 1, 0, 0x89, 0x08),
	F(M64, 3, 8, MEM_STORE, W, 1, 0, 0x48, 0x89, 0x08),
	F(M64, 3, 8, MEM_STORE, W, 9, 0, 0x4c, 0x89, 0x08),
	F(M64, 4, 8, MEM_STORE, W, 1, 0, 0x66, 0x48, 0x89, 0x08), /* W wins */
	F(M64, 3, 4, MEM_STORE, W, 1, 0, 0x41, 0x89, 0x08),	/* [r8] */
	F(M64, 4, 4, MEM_STORE, W, 1, 0, 0x42, 0x89, 0x0c, 0x08), /* [rax+r9] */
	F(M64, 6, 4, MEM_STORE, W, 0, 0, 0x89, 0x05, 0x78, 0x56, 0x34, 0x12),
	F(M64, 4, 4, MEM_STORE, W, 0, 0, 0x64, 0x67, 0x89, 0x00),	/* fs, 67 */
	F(M64, 4, 4, MEM_STORE, W, 0, 0, 0x2e, 0x89, 0x40, 0x10),	/* cs, disp8 */
	/* MOV r <- r/m */
	F(M64, 2, 1, MEM_LOAD, R, 0, 1, 0x8a, 0x20),
	F(M64, 3, 1, MEM_LOAD, R, 4, 0, 0x40, 0x8a, 0x20),
	F(M64, 3, 2, MEM_LOAD, R, 2, 0, 0x66, 0x8b, 0x10),
	F(M64, 2, 4, MEM_LOAD, R, 2, 0, 0x8b, 0x10),
	F(M64, 3, 8, MEM_LOAD, R, 15, 0, 0x4c, 0x8b, 0x38),
	F(M32, 2, 4, MEM_LOAD, R, 2, 0, 0x8b, 0x10),
	F(M32, 3, 2, MEM_LOAD, R, 2, 0, 0x66, 0x8b, 0x10),
	F(M32, 3, 4, MEM_LOAD, R, 2, 0, 0x67, 0x8b, 0x10),	/* [bx+si] */
	F(M32, 2, 1, MEM_LOAD, R, 2, 1, 0x8a, 0x30),		/* DH */
	F(M16, 2, 2, MEM_LOAD, R, 2, 0, 0x8b, 0x10),
	F(M16, 3, 4, MEM_LOAD, R, 2, 0, 0x66, 0x8b, 0x10),
	F(M16, 4, 2, MEM_LOAD, R, 0, 0, 0x8b, 0x06, 0x34, 0x12),	/* [disp16] */
	F(M16, 4, 2, MEM_LOAD, R, 0, 0, 0x67, 0x8b, 0x40, 0x10),	/* [eax+0x10] */
	/* MOV r/m, imm */
	F(M64, 3, 1, MEM_STORE, W, 0, 0, 0xc6, 0x00, 0x12),
	F(M64, 5, 2, MEM_STORE, W, 0, 0, 0x66, 0xc7, 0x00, 0x34, 0x12),
	F(M64, 6, 4, MEM_STORE, W, 0, 0, 0xc7, 0x00, 0x78, 0x56, 0x34, 0x12),
	F(M64, 7, 8, MEM_STORE, W, 0, 0, 0x48, 0xc7, 0x00, 0x78, 0x56, 0x34, 0x82),
	F(M16, 4, 2, MEM_STORE, W, 0, 0, 0xc7, 0x00, 0x34, 0x12),
	/* moffs */
	F(M64, 9, 1, MEM_LOAD, R, 0, 0, 0xa0, 1, 2, 3, 4, 5, 6, 7, 8),
	F(M64, 10, 8, MEM_LOAD, R, 0, 0, 0x48, 0xa1, 1, 2, 3, 4, 5, 6, 7, 8),
	F(M64, 6, 4, MEM_STORE, W, 0, 0, 0x67, 0xa3, 1, 2, 3, 4),
	F(M32, 6, 2, MEM_STORE, W, 0, 0, 0x66, 0xa3, 1, 2, 3, 4),
	F(M16, 3, 2, MEM_LOAD, R, 0, 0, 0xa1, 1, 2),
	/* MOVZX/MOVSX/MOVSXD */
	F(M64, 3, 1, MEM_LOAD, R, 0, 0, 0x0f, 0xb6, 0x00),
	F(M64, 3, 2, MEM_LOAD, R, 0, 0, 0x0f, 0xb7, 0x00),
	F(M64, 4, 1, MEM_LOAD, R, 4, 0, 0x66, 0x0f, 0xbe, 0x20),	/* SP, not AH */
	F(M64, 4, 2, MEM_LOAD, R, 8, 0, 0x4c, 0x0f, 0xbf, 0x00),
	F(M64, 3, 4, MEM_LOAD, R, 0, 0, 0x48, 0x63, 0x00),
	F(M64, 3, 4, MEM_LOAD, R, 10, 0, 0x4c, 0x63, 0x10),
	/* ALU with a memory destination, reg <- reg OP mem, CMP, TEST */
	F(M64, 2, 1, MEM_RMW, RW, 0, 1, 0x00, 0x20),
	F(M64, 2, 4, MEM_RMW, RW, 1, 0, 0x09, 0x08),
	F(M64, 3, 8, MEM_RMW, RW, 1, 0, 0x48, 0x21, 0x08),
	F(M64, 3, 2, MEM_RMW, RW, 1, 0, 0x66, 0x29, 0x08),
	F(M64, 2, 1, MEM_RMW, RW, 1, 0, 0x30, 0x08),
	F(M64, 2, 4, MEM_LOAD, R, 1, 0, 0x03, 0x08),
	F(M64, 2, 1, MEM_LOAD, R, 1, 0, 0x0a, 0x08),
	F(M64, 2, 4, MEM_LOAD, R, 1, 0, 0x23, 0x08),
	F(M64, 2, 4, MEM_LOAD, R, 1, 0, 0x2b, 0x08),
	F(M64, 3, 8, MEM_LOAD, R, 9, 0, 0x4c, 0x33, 0x08),
	F(M64, 2, 1, MEM_CMP, R, 1, 0, 0x38, 0x08),
	F(M64, 2, 4, MEM_CMP, R, 1, 0, 0x39, 0x08),
	F(M64, 2, 1, MEM_CMP, R, 1, 0, 0x3a, 0x08),
	F(M64, 3, 8, MEM_CMP, R, 1, 0, 0x48, 0x3b, 0x08),
	F(M64, 3, 1, MEM_RMW, RW, 0, 0, 0x80, 0x08, 0x01),
	F(M64, 6, 4, MEM_RMW, RW, 0, 0, 0x81, 0x20, 1, 2, 3, 4),
	F(M64, 5, 2, MEM_RMW, RW, 0, 0, 0x66, 0x81, 0x28, 1, 2),
	F(M64, 4, 8, MEM_RMW, RW, 0, 0, 0x48, 0x83, 0x30, 0xff),
	F(M64, 3, 4, MEM_CMP, R, 0, 0, 0x83, 0x38, 0x01),
	F(M64, 3, 4, MEM_RMW, RW, 0, 0, 0x83, 0x00, 0x01),
	F(M32, 3, 1, MEM_RMW, RW, 0, 0, 0x82, 0x00, 0x01),
	F(M64, 2, 1, MEM_CMP, R, 1, 0, 0x84, 0x08),
	F(M64, 3, 2, MEM_CMP, R, 1, 0, 0x66, 0x85, 0x08),
	F(M64, 3, 1, MEM_CMP, R, 0, 0, 0xf6, 0x00, 0x80),
	F(M64, 7, 8, MEM_CMP, R, 0, 0, 0x48, 0xf7, 0x00, 1, 2, 3, 4),
	F(M16, 4, 2, MEM_CMP, R, 0, 0, 0xf7, 0x00, 1, 2),
	/* BT */
	F(M64, 3, 4, MEM_CMP, R, 1, 0, 0x0f, 0xa3, 0x08),
	F(M64, 4, 2, MEM_CMP, R, 1, 0, 0x66, 0x0f, 0xa3, 0x08),
	F(M64, 4, 8, MEM_CMP, R, 9, 0, 0x4c, 0x0f, 0xa3, 0x08),
	F(M64, 4, 4, MEM_CMP, R, 0, 0, 0x0f, 0xba, 0x20, 0x05),
	/* single STOS and MOVS */
	F(M64, 1, 1, MEM_STOS, W, 0, 0, 0xaa),
	F(M64, 1, 4, MEM_STOS, W, 0, 0, 0xab),
	F(M64, 2, 2, MEM_STOS, W, 0, 0, 0x66, 0xab),
	F(M64, 2, 8, MEM_STOS, W, 0, 0, 0x48, 0xab),
	F(M64, 1, 1, MEM_MOVS, RW, 0, 0, 0xa4),
	F(M64, 2, 8, MEM_MOVS, RW, 0, 0, 0x48, 0xa5),
	F(M32, 2, 2, MEM_MOVS, RW, 0, 0, 0x66, 0xa5),
	F(M16, 1, 2, MEM_MOVS, RW, 0, 0, 0xa5),
	/* rejected: LOCK, REP string forms, other opcodes, register forms */
	REJECT(M64, 0xf0, 0x87, 0x08),			/* LOCK XCHG */
	REJECT(M64, 0x87, 0x08),			/* XCHG */
	REJECT(M64, 0xf0, 0x01, 0x08),			/* LOCK ADD */
	REJECT(M64, 0x0f, 0xb1, 0x08),			/* CMPXCHG */
	REJECT(M64, 0x0f, 0x10, 0x00),			/* MOVUPS */
	REJECT(M64, 0x66, 0x0f, 0x6f, 0x00),		/* MOVDQA */
	REJECT(M64, 0xc5, 0xf8, 0x10, 0x00),		/* VMOVUPS */
	REJECT(M64, 0xf3, 0xaa), REJECT(M64, 0xf3, 0x48, 0xa5),
	REJECT(M64, 0xf2, 0xa4),
	REJECT(M64, 0xf3, 0x89, 0x08),
	REJECT(M64, 0x11, 0x08), REJECT(M64, 0x19, 0x08),	/* ADC, SBB */
	REJECT(M64, 0x83, 0x10, 0x01), REJECT(M64, 0x80, 0x18, 0x01),
	REJECT(M64, 0xc7, 0x08, 1, 2, 3, 4),		/* C7 /1 */
	REJECT(M64, 0xf6, 0x10),			/* NOT */
	REJECT(M64, 0xf7, 0x18),			/* NEG */
	REJECT(M64, 0x63, 0x00),			/* MOVSXD without REX.W */
	REJECT(M32, 0x63, 0x00),			/* ARPL */
	REJECT(M64, 0x0f, 0xba, 0x28, 0x01),		/* BTS */
	REJECT(M64, 0x0f, 0xab, 0x08),			/* BTS */
	REJECT(M64, 0x89, 0xc8), REJECT(M64, 0x01, 0xc8),	/* mod=11 */
	REJECT(M64, 0x8b, 0xc1), REJECT(M64, 0x0f, 0xb6, 0xc1),
	REJECT(M64, 0x8e, 0x00), REJECT(M64, 0x8c, 0x00),	/* MOV Sreg */
	REJECT(M64, 0xac), REJECT(M64, 0xa6),		/* LODS, CMPS */
	REJECT(M64, 0xff, 0x00), REJECT(M64, 0x8d, 0x00),	/* INC, LEA */
	REJECT(M64, 0x90), REJECT(M64, 0x0f, 0xa2),
	REJECT(M64, 0x89),				/* truncated */
	REJECT(M64, 0x48, 0xc7, 0x00, 1, 2, 3),
};

TEST(forms)
{
	for (size_t i = 0; i < sizeof(form_cases) / sizeof(form_cases[0]); i++) {
		const struct form_case *c = &form_cases[i];
		u8 *buf = malloc(c->n); /* exact size: ASan sees overreads */
		struct mem_op op;
		int rc;

		memcpy(buf, c->b, c->n);
		rc = mem_op_decode(buf, c->n, c->mode, &op);
		free(buf);
		if (rc != c->rc || (!rc && (op.len != c->len || op.size != c->size)))
			printf("  case %zu\n", i);
		CHECK_EQ(rc, c->rc);
		if (rc)
			continue;
		CHECK_EQ(op.len, c->len);
		CHECK_EQ(op.size, c->size);
		CHECK_EQ(op.kind, c->kind);
		CHECK_EQ(op.reads, !!(c->rw & R));
		CHECK_EQ(op.writes, !!(c->rw & W));
		if (!op.has_imm) {
			CHECK_EQ(op.reg, c->reg);
			CHECK_EQ(op.high8, c->high8);
		}
	}
}

TEST(prefixes_give_addr_size_and_segment)
{
	struct mem_op op;
	static const u8 movs_fs[] = { 0x64, 0xa5 }, stos_67[] = { 0x67, 0xaa };
	static const u8 movs_es_32[] = { 0x26, 0xa4 }, movs_67_16[] = { 0x67, 0xa4 };

	CHECK_EQ(mem_op_decode(movs_fs, 2, M64, &op), 0);
	CHECK_EQ(op.seg, SEG_FS);
	CHECK_EQ(op.addr_size, 8);
	CHECK_EQ(mem_op_decode(stos_67, 2, M64, &op), 0);
	CHECK_EQ(op.addr_size, 4);
	CHECK_EQ(op.seg, SEG_DS);
	CHECK_EQ(mem_op_decode(movs_es_32, 2, M32, &op), 0);
	CHECK_EQ(op.seg, SEG_ES);
	CHECK_EQ(op.addr_size, 4);
	CHECK_EQ(mem_op_decode(movs_es_32, 2, M64, &op), 0); /* ignored in 64-bit */
	CHECK_EQ(op.seg, SEG_DS);
	CHECK_EQ(mem_op_decode(movs_67_16, 2, M16, &op), 0);
	CHECK_EQ(op.addr_size, 4);
	CHECK_EQ(mem_op_decode(movs_67_16 + 1, 1, M16, &op), 0);
	CHECK_EQ(op.addr_size, 2);
}

/* Random bytes in exactly-sized heap buffers: no read past them (ASan),
 * and what is accepted has the length decoder's length. */
TEST(random_bytes_agree_with_insn_length)
{
	static const enum cpu_mode modes[] = { M16, M32, M64 };
	int accepted = 0;

	for (int i = 0; i < 300000; i++) {
		size_t n = 1 + rng() % INSN_MAX_LEN;
		u8 *b = malloc(n);
		struct mem_op op;
		enum cpu_mode mode = modes[i % 3];

		for (size_t k = 0; k < n; k++)
			b[k] = rng();
		if (mem_op_decode(b, n, mode, &op) == 0) {
			CHECK_EQ(op.len, insn_length(b, n, mode));
			CHECK(op.size == 1 || op.size == 2 || op.size == 4 || op.size == 8);
			accepted++;
		}
		free(b);
	}
	CHECK(accepted > 1000);
}

/* --- register write-back ---------------------------------------------- */

#define JUNK 0x1122334455667788ULL

static struct guest_regs junk_regs(void)
{
	struct guest_regs r;

	for (int i = 0; i < 16; i++)
		*gpr_by_number(&r, i) = JUNK + i;
	r.rip = 0x1000;
	r.rflags = 0x2;
	return r;
}

/* Decodes b in mode, completes it with mem_value, and checks every
 * register but `reg` is untouched and `reg` holds `expect`. */
static void check_load(enum cpu_mode mode, const u8 *b, size_t n, u64 mem_value, u8 reg,
		       u64 expect)
{
	struct guest_regs r = junk_regs(), before = r;
	struct mem_op op;

	CHECK_EQ(mem_op_decode(b, n, mode, &op), 0);
	CHECK_EQ(op.kind, MEM_LOAD);
	mem_op_complete(&op, &r, mem_value);
	for (int i = 0; i < 16; i++) {
		u64 want = i == reg ? expect : *gpr_by_number(&before, i);

		CHECK_EQ(*gpr_by_number(&r, i), want);
	}
	CHECK_EQ(r.rip, before.rip);
	CHECK_EQ(r.rflags, before.rflags);
}

#define LOAD(mode, mem, reg, expect, ...)                                    \
	check_load(mode, (const u8[]){ __VA_ARGS__ },                        \
		   sizeof((const u8[]){ __VA_ARGS__ }), mem, reg, expect)

TEST(load_writeback)
{
	const u64 v = 0xfedcba9876543210ULL;

	/* 8-bit: AL..BL, AH..BH without REX, SPL..DIL and R8B.. with */
	LOAD(M64, v, 0, (JUNK & ~0xffULL) | 0x10, 0x8a, 0x00);
	LOAD(M64, v, 0, (JUNK & ~0xff00ULL) | 0x1000, 0x8a, 0x20);	/* AH */
	LOAD(M64, v, 1, ((JUNK + 1) & ~0xff00ULL) | 0x1000, 0x8a, 0x28); /* CH */
	LOAD(M64, v, 3, ((JUNK + 3) & ~0xff00ULL) | 0x1000, 0x8a, 0x38); /* BH */
	LOAD(M64, v, 4, ((JUNK + 4) & ~0xffULL) | 0x10, 0x40, 0x8a, 0x20); /* SPL */
	LOAD(M64, v, 7, ((JUNK + 7) & ~0xffULL) | 0x10, 0x40, 0x8a, 0x38); /* DIL */
	LOAD(M64, v, 12, ((JUNK + 12) & ~0xffULL) | 0x10, 0x44, 0x8a, 0x20);
	LOAD(M32, v, 2, (JUNK & ~0xff00ULL) + 2 + 0x1000, 0x8a, 0x30);	/* DH */
	/* 16 keeps the bits above, 32 zero-extends, 64 replaces */
	LOAD(M64, v, 1, ((JUNK + 1) & ~0xffffULL) | 0x3210, 0x66, 0x8b, 0x08);
	LOAD(M64, v, 1, 0x76543210, 0x8b, 0x08);
	LOAD(M64, v, 1, v, 0x48, 0x8b, 0x08);
	LOAD(M64, v, 9, v, 0x4c, 0x8b, 0x08);
	LOAD(M16, v, 1, ((JUNK + 1) & ~0xffffULL) | 0x3210, 0x8b, 0x08);
	LOAD(M16, v, 1, 0x76543210, 0x66, 0x8b, 0x08);
	/* moffs into AL/AX/EAX/RAX */
	LOAD(M64, v, 0, (JUNK & ~0xffULL) | 0x10, 0xa0, 1, 2, 3, 4, 5, 6, 7, 8);
	LOAD(M64, v, 0, 0x76543210, 0xa1, 1, 2, 3, 4, 5, 6, 7, 8);
	LOAD(M64, v, 0, v, 0x48, 0xa1, 1, 2, 3, 4, 5, 6, 7, 8);
	LOAD(M32, v, 0, (JUNK & ~0xffffULL) | 0x3210, 0x66, 0xa1, 1, 2, 3, 4);
	/* MOVZX */
	LOAD(M64, 0x80, 1, 0x80, 0x0f, 0xb6, 0x08);
	LOAD(M64, 0xff80, 1, 0x80, 0x48, 0x0f, 0xb6, 0x08);
	LOAD(M64, 0xff80, 1, ((JUNK + 1) & ~0xffffULL) | 0x80, 0x66, 0x0f, 0xb6, 0x08);
	LOAD(M64, 0x8000, 1, 0x8000, 0x0f, 0xb7, 0x08);
	LOAD(M64, 0x8000, 4, 0x8000, 0x0f, 0xb7, 0x20);	/* ESP, not AH */
	/* MOVSX, MOVSXD */
	LOAD(M64, 0x80, 1, 0xffffff80, 0x0f, 0xbe, 0x08);
	LOAD(M64, 0x7f, 1, 0x7f, 0x0f, 0xbe, 0x08);
	LOAD(M64, 0x80, 1, ~0x7fULL, 0x48, 0x0f, 0xbe, 0x08);
	LOAD(M64, 0x80, 1, ((JUNK + 1) & ~0xffffULL) | 0xff80, 0x66, 0x0f, 0xbe, 0x08);
	LOAD(M64, 0x8000, 1, 0xffff8000, 0x0f, 0xbf, 0x08);
	LOAD(M64, 0x8000, 11, ~0x7fffULL, 0x4c, 0x0f, 0xbf, 0x18);
	LOAD(M64, 0x80000000, 1, ~0x7fffffffULL, 0x48, 0x63, 0x08);
	LOAD(M64, 0x7fffffff, 1, 0x7fffffff, 0x48, 0x63, 0x08);
	LOAD(M32, 0x80, 1, 0xffffff80, 0x0f, 0xbe, 0x08);
	LOAD(M16, 0x80, 1, ((JUNK + 1) & ~0xffffULL) | 0xff80, 0x0f, 0xbe, 0x08);
}

static u64 store_value(enum cpu_mode mode, const u8 *b, size_t n, const struct guest_regs *r)
{
	struct mem_op op;
	struct guest_regs after = *r;

	CHECK_EQ(mem_op_decode(b, n, mode, &op), 0);
	CHECK(op.kind == MEM_STORE || op.kind == MEM_STOS);
	mem_op_complete(&op, &after, 0);
	if (op.kind == MEM_STORE)
		CHECK(!memcmp(&after, r, sizeof(after)));
	return mem_op_store_value(&op, r, 0x5a5a5a5a5a5a5a5aULL);
}

#define STORE(mode, r, ...)                                                  \
	store_value(mode, (const u8[]){ __VA_ARGS__ },                       \
		    sizeof((const u8[]){ __VA_ARGS__ }), r)

TEST(store_values)
{
	struct guest_regs r = junk_regs();

	CHECK_EQ(STORE(M64, &r, 0x88, 0x00), 0x88);
	CHECK_EQ(STORE(M64, &r, 0x88, 0x20), 0x77);		/* AH */
	CHECK_EQ(STORE(M64, &r, 0x88, 0x38), 0x77);		/* BH */
	CHECK_EQ(STORE(M64, &r, 0x40, 0x88, 0x20), 0x8c);	/* SPL */
	CHECK_EQ(STORE(M64, &r, 0x45, 0x88, 0x38), 0x97);	/* R15B */
	CHECK_EQ(STORE(M64, &r, 0x66, 0x89, 0x08), 0x7789);
	CHECK_EQ(STORE(M64, &r, 0x89, 0x08), 0x55667789);
	CHECK_EQ(STORE(M64, &r, 0x48, 0x89, 0x08), JUNK + 1);
	CHECK_EQ(STORE(M64, &r, 0x4c, 0x89, 0x30), JUNK + 14);
	CHECK_EQ(STORE(M16, &r, 0x89, 0x08), 0x7789);
	CHECK_EQ(STORE(M16, &r, 0x66, 0x89, 0x08), 0x55667789);
	CHECK_EQ(STORE(M64, &r, 0xa2, 1, 2, 3, 4, 5, 6, 7, 8), 0x88);
	CHECK_EQ(STORE(M64, &r, 0x48, 0xa3, 1, 2, 3, 4, 5, 6, 7, 8), JUNK);
	/* immediates: imm32 sign-extended to 64 bits with REX.W */
	CHECK_EQ(STORE(M64, &r, 0xc6, 0x00, 0x80), 0x80);
	CHECK_EQ(STORE(M64, &r, 0x66, 0xc7, 0x00, 0x00, 0x80), 0x8000);
	CHECK_EQ(STORE(M64, &r, 0xc7, 0x00, 0x00, 0x00, 0x00, 0x80), 0x80000000);
	CHECK_EQ(STORE(M64, &r, 0x48, 0xc7, 0x00, 0x00, 0x00, 0x00, 0x80),
		 0xffffffff80000000ULL);
	CHECK_EQ(STORE(M64, &r, 0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0x7f), 0x7fffffff);
	CHECK_EQ(STORE(M64, &r, 0xc7, 0x44, 0x24, 0x08, 1, 2, 3, 4), 0x04030201);
	CHECK_EQ(STORE(M16, &r, 0xc7, 0x06, 0x34, 0x12, 0xcd, 0xab), 0xabcd);
	/* STOS stores AL/AX/EAX/RAX */
	CHECK_EQ(STORE(M64, &r, 0xaa), 0x88);
	CHECK_EQ(STORE(M64, &r, 0x66, 0xab), 0x7788);
	CHECK_EQ(STORE(M64, &r, 0xab), 0x55667788);
	CHECK_EQ(STORE(M64, &r, 0x48, 0xab), JUNK);
}

/* STOS/MOVS: rDI (and rSI) step by the size, backwards with DF, within
 * the address size; MOVS stores what it read. */
static void check_string(enum cpu_mode mode, const u8 *b, size_t n, bool df, u64 rsi,
			 u64 rdi, u64 want_rsi, u64 want_rdi)
{
	struct guest_regs r = junk_regs();
	struct mem_op op;

	r.rsi = rsi;
	r.rdi = rdi;
	r.rflags = df ? 0x402 : 0x2;
	CHECK_EQ(mem_op_decode(b, n, mode, &op), 0);
	if (op.kind == MEM_MOVS)
		CHECK_EQ(mem_op_store_value(&op, &r, 0x1122334455667788ULL),
			 0x1122334455667788ULL & size_mask(op.size));
	mem_op_complete(&op, &r, 0x1122334455667788ULL);
	CHECK_EQ(r.rsi, want_rsi);
	CHECK_EQ(r.rdi, want_rdi);
	CHECK_EQ(r.rax, JUNK);
	CHECK_EQ(r.rflags, df ? 0x402ULL : 0x2ULL);
}

#define STR(mode, df, rsi, rdi, want_rsi, want_rdi, ...)                     \
	check_string(mode, (const u8[]){ __VA_ARGS__ },                      \
		     sizeof((const u8[]){ __VA_ARGS__ }), df, rsi, rdi, want_rsi, want_rdi)

TEST(string_index_registers)
{
	STR(M64, false, 0x100, 0x200, 0x100, 0x201, 0xaa);
	STR(M64, true, 0x100, 0x200, 0x100, 0x1fc, 0xab);
	STR(M64, false, 0x100, 0x200, 0x100, 0x202, 0x66, 0xab);
	STR(M64, false, 0x100, 0x200, 0x100, 0x208, 0x48, 0xab);
	STR(M64, false, 0x100, 0x200, 0x101, 0x201, 0xa4);
	STR(M64, true, 0x100, 0x200, 0xf8, 0x1f8, 0x48, 0xa5);
	STR(M64, true, 0, 0, ~3ULL, ~3ULL, 0xa5);
	/* 67: 32-bit index registers, zero-extended */
	STR(M64, false, 0x1fffffffcULL, 0x2fffffffcULL, 0, 0, 0x67, 0xa5);
	/* 16-bit addressing wraps within SI/DI and keeps the bits above */
	STR(M16, false, 0xabcdfffe, 0x1234ffff, 0xabcd0000, 0x12340001, 0xa5);
	STR(M32, true, 0x10000, 0x10001, 0x1fffe, 0x1ffff, 0x67, 0x66, 0xa5);
	STR(M32, false, 0xfffffffc, 0x10, 0, 0x14, 0xa5);
}

/* --- ALU results and flags against the host CPU ----------------------- */

/* The host executes `insn y, x` (Intel: insn x, y) with RFLAGS = fl and
 * returns the RFLAGS after it; *res is x after it. The red zone is
 * stepped over before pushing. */
#define HOST_OP(name, insn, T)                                               \
	static u64 name(u64 x_in, u64 y_in, u64 fl, u64 *res)                \
	{                                                                    \
		T x = x_in, y = y_in;                                        \
		u64 f;                                                       \
		asm volatile("lea -128(%%rsp), %%rsp\n\t"                    \
			     "push %[fl]\n\tpopfq\n\t"                       \
			     insn " %[y], %[x]\n\t"                          \
			     "pushfq\n\tpop %[f]\n\t"                        \
			     "lea 128(%%rsp), %%rsp"                         \
			     : [x] "+r"(x), [f] "=&r"(f)                     \
			     : [y] "r"(y), [fl] "r"(fl)                      \
			     : "cc", "memory");                              \
		*res = x;                                                    \
		return f;                                                    \
	}

#define HOST_OPS(insn)                                                       \
	HOST_OP(host_##insn##_1, #insn, u8) HOST_OP(host_##insn##_2, #insn, u16) \
	HOST_OP(host_##insn##_4, #insn, u32) HOST_OP(host_##insn##_8, #insn, u64)
HOST_OPS(add) HOST_OPS(or) HOST_OPS(and) HOST_OPS(sub) HOST_OPS(xor)
HOST_OPS(cmp) HOST_OPS(test)
HOST_OP(host_bt_2, "bt", u16) HOST_OP(host_bt_4, "bt", u32) HOST_OP(host_bt_8, "bt", u64)

typedef u64 (*host_fn)(u64 x, u64 y, u64 fl, u64 *res);

enum host_op { H_ADD, H_OR, H_AND, H_SUB, H_XOR, H_CMP, H_TEST, H_BT, H_COUNT };

#define HOST_ROW(insn) { NULL, host_##insn##_1, host_##insn##_2, NULL, host_##insn##_4, \
			 NULL, NULL, NULL, host_##insn##_8 }
static const host_fn host_ops[H_COUNT][9] = {
	[H_ADD] = HOST_ROW(add), [H_OR] = HOST_ROW(or), [H_AND] = HOST_ROW(and),
	[H_SUB] = HOST_ROW(sub), [H_XOR] = HOST_ROW(xor), [H_CMP] = HOST_ROW(cmp),
	[H_TEST] = HOST_ROW(test),
	[H_BT] = { NULL, NULL, host_bt_2, NULL, host_bt_4, NULL, NULL, NULL, host_bt_8 },
};

/* What the SDM defines: AF is undefined after logic ops and TEST, all but
 * CF after BT. */
static u64 defined_flags(enum host_op h)
{
	if (h == H_BT)
		return FL_CF;
	if (h == H_OR || h == H_AND || h == H_XOR || h == H_TEST)
		return FL_ARITH & ~FL_AF;
	return FL_ARITH;
}

/* The opcode family (bits 5:3) of 00-3F and group-1 ModRM.reg. */
static const u8 family_of[] = { [H_ADD] = 0, [H_OR] = 1, [H_AND] = 4, [H_SUB] = 5,
				[H_XOR] = 6, [H_CMP] = 7 };

/* The shapes an ALU op is encoded in: memory destination with a
 * register source, register destination with a memory source, and a
 * memory destination with an immediate (imm8 or full). */
enum alu_form { FORM_MEM_REG, FORM_REG_MEM, FORM_IMM, FORM_IMM8, FORM_COUNT };

/* Encodes op in form at [rax] with RCX as the register operand; false
 * when that combination does not exist. */
static bool encode_alu(enum host_op h, enum alu_form form, u8 size, u64 imm, u8 *b, size_t *n)
{
	size_t i = 0;
	bool byte = size == 1;

	if (size == 2)
		b[i++] = 0x66;
	if (size == 8)
		b[i++] = 0x48;
	if (h == H_BT) {
		if (byte || form == FORM_REG_MEM || form == FORM_IMM)
			return false;
		b[i++] = 0x0f;
		b[i++] = form == FORM_IMM8 ? 0xba : 0xa3;
		b[i++] = form == FORM_IMM8 ? 0x20 : 0x08;
	} else if (h == H_TEST) {
		if (form == FORM_REG_MEM || form == FORM_IMM8)
			return false;
		b[i++] = form == FORM_IMM ? 0xf6 + !byte : 0x84 + !byte;
		b[i++] = form == FORM_IMM ? 0x00 : 0x08;
	} else if (form == FORM_MEM_REG || form == FORM_REG_MEM) {
		b[i++] = family_of[h] * 8 + (form == FORM_REG_MEM ? 2 : 0) + !byte;
		b[i++] = 0x08;
	} else {
		if (byte && form == FORM_IMM8)
			return false;
		b[i++] = byte ? 0x80 : form == FORM_IMM8 ? 0x83 : 0x81;
		b[i++] = family_of[h] << 3;
	}
	if (form == FORM_IMM8 || (form == FORM_IMM && byte)) {
		b[i++] = imm;
	} else if (form == FORM_IMM) {
		for (int k = 0; k < (size == 2 ? 2 : 4); k++)
			b[i++] = imm >> (8 * k);
	}
	*n = i;
	return true;
}

/* The immediate as the CPU uses it: sign-extended to the operand size. */
static u64 imm_operand(enum alu_form form, u8 size, u64 imm)
{
	u8 imm_size = form == FORM_IMM8 || size == 1 ? 1 : size == 2 ? 2 : 4;

	return sign_extend(imm & size_mask(imm_size), imm_size) & size_mask(size);
}

#define N_VALUES 48
static u64 values[N_VALUES];

static void make_values(void)
{
	static const u64 edges[] = {
		0, 1, 2, 0x0f, 0x10, 0x7f, 0x80, 0x81, 0xff, 0x100, 0x7fff, 0x8000,
		0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL, ~1ULL,
	};
	size_t k = sizeof(edges) / sizeof(edges[0]);

	memcpy(values, edges, sizeof(edges));
	for (size_t i = k; i < N_VALUES; i++)
		values[i] = rng() >> (rng() & 63);
}

static int alu_checks;

/* One op, form and size with memory value m and the other operand o (the
 * register, or the immediate), with the arithmetic flags all clear or all
 * set before. */
static void check_alu_case(enum host_op h, enum alu_form form, u8 size, u64 m, u64 o,
			   u64 fl_in)
{
	u8 b[16];
	size_t n;
	struct mem_op op;
	struct guest_regs r = junk_regs(), before;
	u64 host_res, host_fl, x, y, want_mem, mask = size_mask(size);
	bool imm = form == FORM_IMM || form == FORM_IMM8;

	if (!encode_alu(h, form, size, o, b, &n))
		return;
	if (mem_op_decode(b, n, M64, &op)) {
		CHECK(!"decode");
		return;
	}
	if (imm)
		o = imm_operand(form, size, o);
	r.rcx = imm ? JUNK : (JUNK & ~mask) | (o & mask);
	r.rflags = fl_in;
	before = r;
	x = form == FORM_REG_MEM ? o : m;
	y = form == FORM_REG_MEM ? m : o;
	host_fl = host_ops[h][size](x & mask, y & mask, fl_in, &host_res);
	host_res &= mask;
	alu_checks++;

	want_mem = m & mask;
	if (op.kind == MEM_RMW)
		want_mem = host_res;
	CHECK_EQ(op.kind == MEM_RMW, h <= H_XOR && form != FORM_REG_MEM);
	if (op.writes)
		CHECK_EQ(mem_op_store_value(&op, &r, m), want_mem);
	mem_op_complete(&op, &r, m);
	/* flags: the defined ones as the host, the others unchanged */
	CHECK_EQ(r.rflags & defined_flags(h), host_fl & defined_flags(h));
	CHECK_EQ(r.rflags & ~defined_flags(h), fl_in & ~defined_flags(h));
	/* the register: the result for reg <- reg OP mem, else untouched */
	if (form == FORM_REG_MEM && h != H_CMP)
		set_reg_sized(&before.rcx, host_res, size);
	CHECK_EQ(r.rcx, before.rcx);
	r.rflags = before.rflags;
	CHECK(!memcmp(&r, &before, sizeof(r)));
}

TEST(alu_flags_against_host_cpu)
{
	static const u8 sizes[] = { 1, 2, 4, 8 };
	static const u64 fl_ins[] = { 0x2, 0x2 | FL_ARITH };

	make_values();
	for (int h = 0; h < H_COUNT; h++)
		for (int form = 0; form < FORM_COUNT; form++)
			for (size_t s = 0; s < 4; s++)
				for (size_t i = 0; i < N_VALUES; i++)
					for (size_t j = 0; j < N_VALUES; j++)
						check_alu_case(h, form, sizes[s], values[i],
							       values[j], fl_ins[(i + j) & 1]);
	CHECK(alu_checks > 100000);
	printf("  %d ALU cases checked against the host CPU\n", alu_checks);
}

/* --- against objdump -------------------------------------------------- */

/* Generated encodings: each form with prefix, REX and ModRM variants,
 * concatenated per mode and disassembled in one objdump run. */
struct gen_form {
	u8 map, opcode;
	s8 sub;		/* fixed ModRM.reg, or -1 for any register */
	u8 imm;		/* 0, 1 (imm8) or 'z' (imm16/32) */
	bool modrm;
};

static const struct gen_form gen_forms[] = {
	{ 0, 0x00, -1, 0, 1 }, { 0, 0x01, -1, 0, 1 }, { 0, 0x02, -1, 0, 1 }, { 0, 0x03, -1, 0, 1 },
	{ 0, 0x08, -1, 0, 1 }, { 0, 0x09, -1, 0, 1 }, { 0, 0x0a, -1, 0, 1 }, { 0, 0x0b, -1, 0, 1 },
	{ 0, 0x20, -1, 0, 1 }, { 0, 0x21, -1, 0, 1 }, { 0, 0x22, -1, 0, 1 }, { 0, 0x23, -1, 0, 1 },
	{ 0, 0x28, -1, 0, 1 }, { 0, 0x29, -1, 0, 1 }, { 0, 0x2a, -1, 0, 1 }, { 0, 0x2b, -1, 0, 1 },
	{ 0, 0x30, -1, 0, 1 }, { 0, 0x31, -1, 0, 1 }, { 0, 0x32, -1, 0, 1 }, { 0, 0x33, -1, 0, 1 },
	{ 0, 0x38, -1, 0, 1 }, { 0, 0x39, -1, 0, 1 }, { 0, 0x3a, -1, 0, 1 }, { 0, 0x3b, -1, 0, 1 },
	{ 0, 0x80, 0, 1, 1 }, { 0, 0x80, 1, 1, 1 }, { 0, 0x80, 4, 1, 1 }, { 0, 0x80, 5, 1, 1 },
	{ 0, 0x80, 6, 1, 1 }, { 0, 0x80, 7, 1, 1 },
	{ 0, 0x81, 0, 'z', 1 }, { 0, 0x81, 1, 'z', 1 }, { 0, 0x81, 4, 'z', 1 },
	{ 0, 0x81, 5, 'z', 1 }, { 0, 0x81, 6, 'z', 1 }, { 0, 0x81, 7, 'z', 1 },
	{ 0, 0x83, 0, 1, 1 }, { 0, 0x83, 1, 1, 1 }, { 0, 0x83, 4, 1, 1 }, { 0, 0x83, 5, 1, 1 },
	{ 0, 0x83, 6, 1, 1 }, { 0, 0x83, 7, 1, 1 },
	{ 0, 0x84, -1, 0, 1 }, { 0, 0x85, -1, 0, 1 },
	{ 0, 0x88, -1, 0, 1 }, { 0, 0x89, -1, 0, 1 }, { 0, 0x8a, -1, 0, 1 }, { 0, 0x8b, -1, 0, 1 },
	{ 0, 0xc6, 0, 1, 1 }, { 0, 0xc7, 0, 'z', 1 }, { 0, 0xf6, 0, 1, 1 }, { 0, 0xf7, 0, 'z', 1 },
	{ 0, 0x63, -1, 0, 1 },
	{ 1, 0xb6, -1, 0, 1 }, { 1, 0xb7, -1, 0, 1 }, { 1, 0xbe, -1, 0, 1 }, { 1, 0xbf, -1, 0, 1 },
	{ 1, 0xa3, -1, 0, 1 }, { 1, 0xba, 4, 1, 1 },
	{ 0, 0xa0, 0, 'm', 0 }, { 0, 0xa1, 0, 'm', 0 }, { 0, 0xa2, 0, 'm', 0 },
	{ 0, 0xa3, 0, 'm', 0 },
	{ 0, 0xa4, 0, 0, 0 }, { 0, 0xa5, 0, 0, 0 }, { 0, 0xaa, 0, 0, 0 }, { 0, 0xab, 0, 0, 0 },
};

/* ModRM (reg field 0) with SIB and displacement, by address size. */
struct gen_modrm {
	u8 n, b[6];
};
static const struct gen_modrm modrm32[] = {
	{ 1, { 0x00 } }, { 2, { 0x04, 0x24 } }, { 6, { 0x04, 0x25, 1, 2, 3, 4 } },
	{ 5, { 0x05, 1, 2, 3, 4 } }, { 2, { 0x43, 0x7f } }, { 5, { 0x86, 1, 2, 3, 4 } },
	{ 3, { 0x44, 0x48, 0x80 } }, { 6, { 0x84, 0xc8, 1, 2, 3, 4 } },
};
static const struct gen_modrm modrm16[] = {
	{ 1, { 0x00 } }, { 3, { 0x06, 0x34, 0x12 } }, { 2, { 0x47, 0x80 } },
	{ 3, { 0x82, 0x34, 0x12 } }, { 1, { 0x07 } },
};

struct gen_buf {
	u8 *b;
	size_t n, cap;
	struct gen_insn { size_t at; struct mem_op op; } *insns;
	size_t count, insn_cap;
};

static void gen_put(struct gen_buf *g, const u8 *b, size_t n, enum cpu_mode mode)
{
	struct mem_op op;

	if (mem_op_decode(b, n, mode, &op))
		return; /* e.g. MOVSXD without REX.W; lengths are test_insn_len's */
	CHECK_EQ(op.len, n);
	CHECK_EQ(insn_length(b, n, mode), n);
	if (g->n + n > g->cap)
		g->b = realloc(g->b, g->cap = 2 * g->cap + 64);
	if (g->count == g->insn_cap)
		g->insns = realloc(g->insns, (g->insn_cap = 2 * g->insn_cap + 64) *
						     sizeof(*g->insns));
	g->insns[g->count++] = (struct gen_insn){ g->n, op };
	memcpy(g->b + g->n, b, n);
	g->n += n;
}

/* One form with one prefix set and one ModRM variant, every register. */
static void gen_one(struct gen_buf *g, enum cpu_mode mode, const struct gen_form *f,
		    const u8 *pre, size_t npre, const struct gen_modrm *m)
{
	bool def32 = mode != M16, p66 = memchr(pre, 0x66, npre), p67 = memchr(pre, 0x67, npre);
	bool rexw = mode == M64 && npre && (pre[npre - 1] & 0xf8) == 0x48;
	u8 opsize = rexw ? 8 : def32 != p66 ? 4 : 2;
	u8 addrsize = mode == M64 ? (p67 ? 4 : 8) : def32 != p67 ? 4 : 2;
	int regs = f->sub >= 0 ? 1 : 8;

	for (int reg = 0; reg < regs; reg++) {
		u8 b[24];
		size_t n = npre, imm;

		memcpy(b, pre, npre);
		if (f->map)
			b[n++] = 0x0f;
		b[n++] = f->opcode;
		if (f->modrm) {
			memcpy(b + n, m->b, m->n);
			b[n] |= (f->sub >= 0 ? f->sub : reg) << 3;
			n += m->n;
		}
		imm = f->imm == 'z' ? (opsize == 2 ? 2 : 4) : f->imm == 'm' ? addrsize : f->imm;
		for (size_t k = 0; k < imm; k++)
			b[n++] = 0x81 + k;
		if (n <= INSN_MAX_LEN)
			gen_put(g, b, n, mode);
	}
}

static void gen_mode(struct gen_buf *g, enum cpu_mode mode)
{
	static const u8 legacy[][3] = {
		{ 0 }, { 1, 0x66 }, { 1, 0x67 }, { 2, 0x66, 0x67 }, { 1, 0x2e }, { 1, 0x26 },
		{ 1, 0x64 }, { 2, 0x65, 0x66 },
	};
	static const u8 rexes[] = { 0, 0x40, 0x41, 0x42, 0x44, 0x48, 0x4c, 0x4f, 0x49 };
	size_t nrex = mode == M64 ? sizeof(rexes) : 1;

	for (size_t fi = 0; fi < sizeof(gen_forms) / sizeof(gen_forms[0]); fi++) {
		for (size_t li = 0; li < sizeof(legacy) / sizeof(legacy[0]); li++) {
			for (size_t ri = 0; ri < nrex; ri++) {
				u8 pre[4];
				size_t npre = legacy[li][0];
				bool a16 = (mode == M16) != (npre && (legacy[li][1] == 0x67 ||
								       legacy[li][2] == 0x67));
				const struct gen_modrm *mm = a16 && mode != M64 ? modrm16 : modrm32;
				size_t nm = a16 && mode != M64 ? sizeof(modrm16) / sizeof(modrm16[0])
							       : sizeof(modrm32) / sizeof(modrm32[0]);

				memcpy(pre, legacy[li] + 1, npre);
				if (rexes[ri])
					pre[npre++] = rexes[ri];
				for (size_t mi = 0; mi < (gen_forms[fi].modrm ? nm : 1); mi++)
					gen_one(g, mode, &gen_forms[fi], pre, npre, &mm[mi]);
			}
		}
	}
}

/* Intel-syntax register names by encoding number. */
static const char *const reg_names[4][16] = {
	{ "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
	  "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b" },
	{ "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
	  "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w" },
	{ "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
	  "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" },
	{ "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	  "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" },
};
static const char *const high8_names[4] = { "ah", "ch", "dh", "bh" };

/* The register operand objdump names: the operand without a memory
 * reference. Returns its size, or 0 when there is none. */
static int find_reg_operand(const char *operands, u8 *num, bool *high8)
{
	char buf[128];
	char *save, *tok;

	snprintf(buf, sizeof(buf), "%s", operands);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (strchr(tok, '[') || strchr(tok, ':') || strncmp(tok, "0x", 2) == 0)
			continue;
		for (int i = 0; i < 4; i++) {
			if (strcmp(tok, high8_names[i]) == 0) {
				*num = i;
				*high8 = true;
				return 1;
			}
		}
		for (int s = 0; s < 4; s++)
			for (int i = 0; i < 16; i++)
				if (strcmp(tok, reg_names[s][i]) == 0) {
					*num = i;
					*high8 = false;
					return 1 << s;
				}
	}
	return 0;
}

/* The memory access size objdump shows ("BYTE PTR" ...), else that of the
 * register operand (moffs forms). */
static int mem_size_of(const char *text, int reg_size)
{
	static const char *const ptrs[] = { "BYTE PTR", "WORD PTR", "DWORD PTR", "QWORD PTR" };
	const char *best = NULL;
	int size = reg_size;

	for (int s = 0; s < 4; s++) {
		const char *p = strstr(text, ptrs[s]);

		if (p && (!best || p < best) && (p == text || (p[-1] != 'D' && p[-1] != 'Q'))) {
			best = p;
			size = 1 << s;
		}
	}
	return size;
}

/* The operands after the prefix words ("rex.W", "data16", "addr32", a
 * segment name) and the mnemonic objdump prints. */
static const char *operands_of(const char *text)
{
	static const char *const prefix_words[] = { "rex", "data", "addr", "cs ", "ds ",
						    "es ", "fs ", "gs ", "ss " };
	size_t i;

	do {
		for (i = 0; i < sizeof(prefix_words) / sizeof(prefix_words[0]); i++)
			if (!strncmp(text, prefix_words[i], strlen(prefix_words[i])))
				break;
		text += strcspn(text, " ");
		text += strspn(text, " ");
	} while (i < sizeof(prefix_words) / sizeof(prefix_words[0]));
	return text;
}

static void check_objdump_line(const struct gen_insn *in, const char *text, const u8 *b,
			       enum cpu_mode mode)
{
	const char *ops = operands_of(text);
	u8 num = 0xff;
	bool high8 = false;
	int reg_size, mem_size;

	reg_size = find_reg_operand(ops, &num, &high8);
	mem_size = mem_size_of(text, reg_size);
	if (mem_size != in->op.size || (reg_size && !in->op.has_imm &&
					(num != in->op.reg || high8 != in->op.high8))) {
		printf("  mode %d at 0x%zx: %s: size %u reg %u%s\n  bytes", mode, in->at, text,
		       in->op.size, in->op.reg, in->op.high8 ? " (high 8)" : "");
		for (u8 k = 0; k < in->op.len; k++)
			printf(" %02x", b[in->at + k]);
		printf("\n");
		CHECK(!"objdump disagrees");
	}
}

/* Runs objdump over g's bytes; -1 when it cannot be run. */
static int objdump_check(const struct gen_buf *g, enum cpu_mode mode)
{
	char path[] = "/tmp/test_insn_emul.XXXXXX", cmd[256], line[512];
	const char *arch = mode == M64 ? "i386:x86-64" : mode == M32 ? "i386" : "i8086";
	int fd = mkstemp(path);
	size_t next = 0;
	FILE *p;

	if (fd < 0)
		return -1;
	if (write(fd, g->b, g->n) != (ssize_t)g->n) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "objdump -D -b binary -m%s -M intel --insn-width=16 %s 2>/dev/null", arch, path);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p)) {
		unsigned long at;
		char *tab = strchr(line, '\t'), *text;

		if (sscanf(line, " %lx:", &at) != 1 || !tab || !(text = strchr(tab + 1, '\t')))
			continue;
		text[strcspn(text, "\n")] = 0;
		if (next >= g->count || g->insns[next].at != at) {
			printf("  mode %d: objdump starts an instruction at 0x%lx: %s\n", mode,
			       at, text + 1);
			CHECK(!"length differs from objdump");
			break;
		}
		check_objdump_line(&g->insns[next++], text + 1, g->b, mode);
	}
	if (!p || pclose(p) != 0 || next == 0) {
		unlink(path);
		return -1;
	}
	unlink(path);
	CHECK_EQ(next, g->count);
	printf("  mode %d: %zu encodings agree with objdump\n", mode, next);
	return 0;
}

TEST(lengths_sizes_registers_against_objdump)
{
	static const enum cpu_mode modes[] = { M64, M32, M16 };

	if (system("objdump --version >/dev/null 2>&1") != 0) {
		printf("  objdump missing: skipped\n");
		return;
	}
	for (size_t i = 0; i < 3; i++) {
		struct gen_buf g = { 0 };

		gen_mode(&g, modes[i]);
		CHECK(g.count > 1000);
		CHECK_EQ(objdump_check(&g, modes[i]), 0);
		free(g.b);
		free(g.insns);
	}
}

RUN_TESTS("insn_emul", T(forms), T(random_bytes_agree_with_insn_length),
	  T(prefixes_give_addr_size_and_segment), T(load_writeback),
	  T(store_values), T(string_index_registers), T(alu_flags_against_host_cpu),
	  T(lengths_sizes_registers_against_objdump))
