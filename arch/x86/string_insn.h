/* The prefixes of an INS/OUTS instruction: its address size (0x67) and
 * the segment OUTS reads from (a segment-override prefix, else DS). What
 * the CPU does not report at an exit is read from the instruction bytes.
 * Pure code, unit-tested on the host. */
#ifndef ARCH_X86_STRING_INSN_H
#define ARCH_X86_STRING_INSN_H

#include "arch/x86/insn_len.h"
#include "hv/virt.h"

struct string_insn {
	u8 addr_size;     /* 2, 4 or 8 */
	enum seg_reg seg; /* OUTS source; INS always writes through ES */
};

/* Decodes bytes[0..avail) for a code segment in `mode`. Returns 0, or
 * -EINVAL when they are not INS/OUTS (opcodes 6C-6F) within 15 bytes. */
int string_insn_decode(const u8 *bytes, size_t avail, enum cpu_mode mode,
		       struct string_insn *out);

#endif
