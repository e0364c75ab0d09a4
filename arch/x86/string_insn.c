/* Prefix decoding for INS/OUTS (Intel SDM vol. 2, 2.1.1 and 2.2.1; AMD
 * APM vol. 3, 1.2). Of the legacy prefixes only the address-size and the
 * segment overrides matter here; REX (64-bit mode) changes nothing for
 * INS/OUTS. In 64-bit mode the ES, CS, SS and DS overrides are ignored.
 * When a group repeats, the last prefix is taken. */
#include "arch/x86/string_insn.h"
#include "lib/errno.h"

#define OP_INSB 0x6c
#define OP_OUTSD 0x6f

/* The segment an override prefix names, or SEG_UNKNOWN for other bytes. */
static enum seg_reg override_segment(u8 b)
{
	switch (b) {
	case 0x26: return SEG_ES;
	case 0x2e: return SEG_CS;
	case 0x36: return SEG_SS;
	case 0x3e: return SEG_DS;
	case 0x64: return SEG_FS;
	case 0x65: return SEG_GS;
	default:   return SEG_UNKNOWN;
	}
}

static bool is_other_prefix(u8 b, enum cpu_mode mode)
{
	if (mode == CPU_MODE_64 && (b & 0xf0) == 0x40)
		return true; /* REX */
	return b == 0x66 || b == 0xf0 || b == 0xf2 || b == 0xf3;
}

static void note_override(struct string_insn *out, enum seg_reg seg, enum cpu_mode mode)
{
	if (mode != CPU_MODE_64 || seg == SEG_FS || seg == SEG_GS)
		out->seg = seg;
}

static u8 address_size(enum cpu_mode mode, bool prefix_67)
{
	switch (mode) {
	case CPU_MODE_16: return prefix_67 ? 4 : 2;
	case CPU_MODE_32: return prefix_67 ? 2 : 4;
	default:          return prefix_67 ? 4 : 8;
	}
}

int string_insn_decode(const u8 *bytes, size_t avail, enum cpu_mode mode,
		       struct string_insn *out)
{
	bool prefix_67 = false;

	out->seg = SEG_DS;
	for (size_t i = 0; i < MIN(avail, (size_t)INSN_MAX_LEN); i++) {
		u8 b = bytes[i];
		enum seg_reg seg = override_segment(b);

		if (seg != SEG_UNKNOWN) {
			note_override(out, seg, mode);
		} else if (b == 0x67) {
			prefix_67 = true;
		} else if (!is_other_prefix(b, mode)) {
			out->addr_size = address_size(mode, prefix_67);
			return (b >= OP_INSB && b <= OP_OUTSD) ? 0 : -EINVAL;
		}
	}
	return -EINVAL;
}
