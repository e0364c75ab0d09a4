/* libFuzzer target: the instruction-length decoder (arch/x86/insn_len.c)
 * against Zydis, an independent full x86 decoder, in 16-, 32- and 64-bit
 * code segments. Built with clang -fsanitize=fuzzer,address,undefined and
 * linked with the system's libZydis (make fuzz).
 *
 * Input: byte 0 chooses how many bytes were fetched (avail, its low four
 * bits) and which Zydis machine mode stands for each code-segment size
 * (its high four bits: real, protected or compatibility mode for 16 bits;
 * protected or compatibility mode for 32 bits). The next 15 bytes are the
 * instruction, padded with zeros.
 *
 * What must hold, in each mode:
 *
 * 1. Given all 15 bytes, insn_length() returns 1..15 or -EINVAL, never
 *    -EAGAIN: no instruction is longer than 15 bytes.
 * 2. Given only the first avail bytes, in a heap buffer of exactly that
 *    size (ASan reports any read past it), the result agrees with the
 *    15-byte one: the same length when avail covers it, else -EAGAIN; for
 *    an invalid encoding -EINVAL or -EAGAIN. So a length never exceeds
 *    the bytes given.
 * 3. When both decoders accept the 15 bytes, the lengths are equal.
 * 4. When Zydis accepts what insn_length() rejects, Zydis must have
 *    decoded an encoding insn_length.c documents it does not decode
 *    (EVEX, XOP, and Knights Corner's MVEX and its VEX mask branches
 *    JKZD/JKNZD, VEX 0F 84/85, of Xeon Phi coprocessors only), or an
 *    opcode that is #UD on every Intel and AMD CPU whatever follows it
 *    (0F A6/A7: VIA PadLock). Any other case is an opcode the decoder is
 *    missing.
 * 5. When insn_length() accepts what Zydis rejects, Zydis must have
 *    rejected it for a rule the length decoder does not check: an
 *    undefined opcode, group member or prefix/opcode combination
 *    (DECODING_ERROR), an impossible register operand such as MOV CS or
 *    CR9 (BAD_REGISTER), or a prefix the opcode does not allow
 *    (ILLEGAL_LEGACY_PFX, ILLEGAL_REX). A LOCK prefix Zydis refuses
 *    (ILLEGAL_LOCK) is turned into a DS prefix, of the same length, and
 *    the comparison is repeated. Zydis asking for more bytes than
 *    insn_length() counted (NO_MORE_DATA, INSTRUCTION_TOO_LONG) is a
 *    length disagreement.
 *
 * Zydis runs with its Intel branch semantics (66 E8/E9 take rel32 in
 * 64-bit mode), as insn_length.c does, and without the KNC mode. */
#include "../../arch/x86/insn_len.c"

#include <Zydis/Zydis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct zydis_result {
	ZyanStatus status;
	ZydisDecodedInstruction insn;
};

/* The Zydis machine modes each code-segment size can stand for. */
static const ZydisMachineMode modes16[] = {
	ZYDIS_MACHINE_MODE_REAL_16, ZYDIS_MACHINE_MODE_LEGACY_16,
	ZYDIS_MACHINE_MODE_LONG_COMPAT_16,
};
static const ZydisMachineMode modes32[] = {
	ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_MACHINE_MODE_LONG_COMPAT_32,
};
static const ZydisMachineMode modes64[] = { ZYDIS_MACHINE_MODE_LONG_64 };

static ZydisMachineMode zydis_mode(enum cpu_mode mode, unsigned int pick)
{
	switch (mode) {
	case CPU_MODE_16:
		return modes16[pick % ARRAY_SIZE(modes16)];
	case CPU_MODE_32:
		return modes32[pick % ARRAY_SIZE(modes32)];
	default:
		return modes64[pick % ARRAY_SIZE(modes64)];
	}
}

static ZydisStackWidth zydis_stack_width(enum cpu_mode mode)
{
	switch (mode) {
	case CPU_MODE_16:
		return ZYDIS_STACK_WIDTH_16;
	case CPU_MODE_32:
		return ZYDIS_STACK_WIDTH_32;
	default:
		return ZYDIS_STACK_WIDTH_64;
	}
}

static void zydis_decode(enum cpu_mode mode, unsigned int pick, const u8 *b,
			 struct zydis_result *z)
{
	ZydisDecoder dec;

	if (!ZYAN_SUCCESS(ZydisDecoderInit(&dec, zydis_mode(mode, pick),
					   zydis_stack_width(mode))) ||
	    !ZYAN_SUCCESS(ZydisDecoderEnableMode(&dec, ZYDIS_DECODER_MODE_AMD_BRANCHES, 0)) ||
	    !ZYAN_SUCCESS(ZydisDecoderEnableMode(&dec, ZYDIS_DECODER_MODE_KNC, 0)))
		abort();
	z->status = ZydisDecoderDecodeInstruction(&dec, NULL, b, INSN_MAX_LEN, &z->insn);
}

static __noreturn void mismatch(const char *rule, enum cpu_mode mode, unsigned int pick,
				const u8 *b, int ours, const struct zydis_result *z)
{
	fprintf(stderr, "rule %s: mode %d (zydis mode %d):", rule, mode,
		zydis_mode(mode, pick));
	for (int i = 0; i < INSN_MAX_LEN; i++)
		fprintf(stderr, " %02x", b[i]);
	fprintf(stderr, "\n  insn_length %d, zydis status 0x%x", ours, z->status);
	if (ZYAN_SUCCESS(z->status))
		fprintf(stderr, " length %u %s", z->insn.length,
			ZydisMnemonicGetString(z->insn.mnemonic));
	fprintf(stderr, "\n");
	abort();
}

static bool is_via_padlock(const ZydisDecodedInstruction *insn)
{
	return insn->encoding == ZYDIS_INSTRUCTION_ENCODING_LEGACY &&
	       insn->opcode_map == ZYDIS_OPCODE_MAP_0F &&
	       (insn->opcode == 0xa6 || insn->opcode == 0xa7);
}

/* Rule 4: what insn_length.c rejects on purpose. */
static bool rejected_on_purpose(const ZydisDecodedInstruction *insn)
{
	switch (insn->encoding) {
	case ZYDIS_INSTRUCTION_ENCODING_EVEX:
	case ZYDIS_INSTRUCTION_ENCODING_MVEX:
	case ZYDIS_INSTRUCTION_ENCODING_XOP:
		return true;
	default:
		return insn->mnemonic == ZYDIS_MNEMONIC_JKZD ||
		       insn->mnemonic == ZYDIS_MNEMONIC_JKNZD || is_via_padlock(insn);
	}
}

/* Rule 5: validity checks a length decoder does not need. */
static bool validity_rejection(ZyanStatus status)
{
	return status == ZYDIS_STATUS_DECODING_ERROR ||
	       status == ZYDIS_STATUS_BAD_REGISTER ||
	       status == ZYDIS_STATUS_ILLEGAL_LEGACY_PFX ||
	       status == ZYDIS_STATUS_ILLEGAL_REX;
}

static bool is_prefix(enum cpu_mode mode, u8 b)
{
	switch (b) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
		return true;
	}
	return mode == CPU_MODE_64 && (b & 0xf0) == 0x40;
}

/* Replaces each LOCK prefix by DS, which takes the same one byte. */
static void unlock(enum cpu_mode mode, const u8 *b, u8 *out)
{
	memcpy(out, b, INSN_MAX_LEN);
	for (int i = 0; i < INSN_MAX_LEN && is_prefix(mode, out[i]); i++)
		if (out[i] == 0xf0)
			out[i] = 0x3e;
}

/* Rules 3 to 5 for the 15 bytes at b; ours is insn_length()'s result. */
static void compare(enum cpu_mode mode, unsigned int pick, const u8 *b, int ours,
		    bool may_unlock)
{
	struct zydis_result z;
	u8 unlocked[INSN_MAX_LEN];

	zydis_decode(mode, pick, b, &z);
	if (ZYAN_SUCCESS(z.status)) {
		if (ours > 0 && ours != z.insn.length)
			mismatch("3 (lengths differ)", mode, pick, b, ours, &z);
		if (ours <= 0 && !rejected_on_purpose(&z.insn))
			mismatch("4 (only zydis decodes it)", mode, pick, b, ours, &z);
		return;
	}
	if (ours <= 0)
		return;
	if (z.status == ZYDIS_STATUS_ILLEGAL_LOCK && may_unlock) {
		unlock(mode, b, unlocked);
		compare(mode, pick, unlocked, ours, false);
		return;
	}
	if (!validity_rejection(z.status))
		mismatch("5 (zydis rejects it for its length)", mode, pick, b, ours, &z);
}

/* Rules 1 and 2: the full decode, then the first avail bytes alone. */
static int decode_ours(enum cpu_mode mode, const u8 *b, size_t avail)
{
	int full = insn_length(b, INSN_MAX_LEN, mode);
	u8 *copy = malloc(avail ? avail : 1);
	int part;
	bool ok;

	memcpy(copy, b, avail);
	part = insn_length(copy, avail, mode);
	free(copy);
	if (full > 0)
		ok = full <= INSN_MAX_LEN && part == ((size_t)full <= avail ? full : -EAGAIN);
	else
		ok = full == -EINVAL && (part == -EINVAL || part == -EAGAIN);
	if (!ok) {
		fprintf(stderr, "rule 1/2: mode %d avail %zu: full %d, part %d\n",
			mode, avail, full, part);
		abort();
	}
	return full;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const enum cpu_mode cpu_modes[] = { CPU_MODE_16, CPU_MODE_32, CPU_MODE_64 };
	u8 b[INSN_MAX_LEN] = { 0 };
	size_t avail;
	unsigned int pick;

	if (size < 2)
		return 0;
	avail = data[0] & 0x0f;
	pick = data[0] >> 4;
	memcpy(b, data + 1, MIN(size - 1, sizeof(b)));
	for (size_t m = 0; m < ARRAY_SIZE(cpu_modes); m++)
		compare(cpu_modes[m], pick, b, decode_ours(cpu_modes[m], b, avail), true);
	return 0;
}
