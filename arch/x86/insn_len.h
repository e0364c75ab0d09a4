/* x86 instruction-length decoder. Without NRIP save (QEMU's emulated SVM)
 * an intercept does not report where the next instruction starts, so the
 * length is decoded from the instruction bytes fetched from guest memory;
 * so are the INS/OUTS prefixes an exit may leave out. Pure code,
 * unit-tested on the host. */
#ifndef ARCH_X86_INSN_LEN_H
#define ARCH_X86_INSN_LEN_H

#include "hv/virt.h"

/* The architectural limit: longer encodings raise #GP. */
#define INSN_MAX_LEN 15

/* Default operand/address size of the code segment; 64 = long mode, CS.L=1. */
enum cpu_mode { CPU_MODE_16 = 16, CPU_MODE_32 = 32, CPU_MODE_64 = 64 };

/* One instruction as the decoder parsed it: prefixes, opcode, ModRM and
 * where its immediate is. The one parse behind insn_length(),
 * string_insn_decode() and the MMIO emulator (insn_emul.c). */
struct x86_insn {
	const u8 *bytes;
	size_t avail;		/* readable bytes, at most INSN_MAX_LEN */
	size_t len;		/* bytes consumed: the length once decoded */
	enum cpu_mode mode;
	u8 opsize;		/* operand size in bytes: 2, 4 or 8 */
	u8 addrsize;		/* address size in bytes: 2, 4 or 8 */
	u8 rex;			/* REX right before the opcode, or 0 */
	bool opsize_prefix;	/* 66 */
	bool addrsize_prefix;	/* 67 */
	bool lock, repne, rep;	/* F0, F2, F3 */
	bool vex;		/* a VEX prefix; map is its opcode map */
	enum seg_reg seg;	/* the segment override in effect, else DS */
	u8 map;			/* 0: one-byte, 1: 0F xx, 2: 0F 38 xx, 3: 0F 3A xx */
	u8 opcode;		/* the last opcode byte */
	bool has_modrm;
	u8 modrm;
	u8 imm_pos, imm_len;	/* offset and size of the immediate (0: none) */
};

/* Decodes the instruction at bytes[0..avail) into *insn. Returns 0,
 * -EINVAL or -EAGAIN as insn_length() does. */
int insn_decode(const u8 *bytes, size_t avail, enum cpu_mode mode, struct x86_insn *insn);

/* The immediate of a decoded instruction, zero-extended (0 when none). */
u64 insn_imm(const struct x86_insn *insn);

/* Decodes the length of the instruction at bytes[0..avail). Returns the
 * length (1..15), -EINVAL for an undecodable/invalid encoding, or -EAGAIN
 * when avail is too small to tell (the caller fetched fewer bytes, e.g. at
 * a page end, and may fetch more). Never reads past bytes[avail-1] nor
 * past 15 bytes. */
int insn_length(const u8 *bytes, size_t avail, enum cpu_mode mode);

/* The prefixes of an INS/OUTS instruction: its address size (0x67) and
 * the segment OUTS reads from (a segment-override prefix, else DS; in
 * 64-bit mode only FS and GS count). What the CPU does not report at an
 * exit is read from the instruction bytes. */
struct string_insn {
	u8 addr_size;     /* 2, 4 or 8 */
	enum seg_reg seg; /* OUTS source; INS always writes through ES */
};

/* Decodes bytes[0..avail) as insn_length does. Returns 0, or -EINVAL when
 * they are not INS/OUTS (opcodes 6C-6F) within 15 bytes. */
int string_insn_decode(const u8 *bytes, size_t avail, enum cpu_mode mode,
		       struct string_insn *out);

#endif
