/* Inline-assembly helper for instructions that may fault on purpose: the
 * instruction `insn` gets an .ex_table entry whose fixup clears the
 * operand named `ok` and resumes right after it (see extable.c). */
#ifndef ARCH_X86_EXTABLE_H
#define ARCH_X86_EXTABLE_H

#define EXTABLE_TRY(insn)                                                    \
	"1: " insn "\n"                                                      \
	"2:\n"                                                               \
	".pushsection .ex_table, \"a\"\n"                                    \
	".balign 8\n"                                                        \
	".quad 1b, 3f\n"                                                     \
	".popsection\n"                                                      \
	".pushsection .text.fixup, \"ax\"\n"                                 \
	"3: xorl %k[ok], %k[ok]\n"                                           \
	"jmp 2b\n"                                                           \
	".popsection\n"

#endif
