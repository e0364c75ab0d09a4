/* For the child programs that test VMMs write in assembly: set_gate
 * installs a 64-bit interrupt gate (code selector 8) for the handler in
 * RAX at vector ECX of the IDT at address `idt` (a string); idtr is the
 * operand of the LIDT that loads that IDT (256 gates). */
#ifndef GUESTS_TEST_CHILD_GATE_H
#define GUESTS_TEST_CHILD_GATE_H

#define CHILD_SET_GATE_ASM(idt)                                              \
	"set_gate:\n"                                                        \
	"	shl $4, %ecx\n"                                              \
	"	add $" idt ", %ecx\n"                                        \
	"	mov %eax, %edx\n"                                            \
	"	and $0xffff, %edx\n"                                         \
	"	or $0x80000, %edx\n"                                         \
	"	mov %edx, (%rcx)\n"                                          \
	"	and $0xffff0000, %eax\n"                                     \
	"	or $0x8e00, %eax\n"                                          \
	"	mov %eax, 4(%rcx)\n"                                         \
	"	movq $0, 8(%rcx)\n"                                          \
	"	ret\n"

#define CHILD_IDTR_ASM(idt)                                                  \
	"idtr:\n"                                                            \
	"	.word 0xfff\n"                                               \
	"	.quad " idt "\n"

#endif
