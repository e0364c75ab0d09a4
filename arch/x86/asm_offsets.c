/* The constants and struct offsets the assembly files need, taken from
 * the C headers so they are never typed twice. This file is only compiled
 * to assembly: each DEFINE leaves a marked line there, which the Makefile
 * turns into "#define NAME value" in $(BUILD)/include/asm_offsets.h. */
#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/io.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/vmcs.h"
#include "drivers/debugcon.h"
#include "drivers/uart16550.h"
#include "hv/verdict.h"
#include "hv/virt.h"

#define DEFINE(name, value) \
	asm volatile("\n.ascii \"@asm_offsets " #name " %0\"" : : "i"((u64)(value)))
#define GUEST_REG(name, field) DEFINE(name, __builtin_offsetof(struct guest_regs, field))

void asm_offsets(void);

void asm_offsets(void)
{
	DEFINE(CR0_PE, CR0_PE);
	DEFINE(CR0_NE, CR0_NE);
	DEFINE(CR0_WP, CR0_WP);
	DEFINE(CR0_PG, CR0_PG);
	DEFINE(CR4_PAE, CR4_PAE);
	DEFINE(CR4_PCIDE, CR4_PCIDE);
	DEFINE(CR4_SMEP, CR4_SMEP);
	DEFINE(CR4_SMAP, CR4_SMAP);
	DEFINE(CR4_PKE, CR4_PKE);
	DEFINE(CR4_CET, CR4_CET);
	DEFINE(MSR_EFER, MSR_EFER);
	DEFINE(EFER_LME, EFER_LME);
	DEFINE(EFER_NXE, EFER_NXE);
	DEFINE(PTE_P, PTE_P);
	DEFINE(PTE_RW, PTE_RW);
	DEFINE(PTE_PS, PTE_PS);
	DEFINE(PAGE_SIZE, PAGE_SIZE);
	DEFINE(LARGE_PAGE_SIZE, 2 * MIB);
	DEFINE(GDT_SEL_CODE, GDT_SEL_CODE);
	DEFINE(GDT_SEL_DATA, GDT_SEL_DATA);
	DEFINE(GDT_CODE64, GDT_CODE64);
	DEFINE(GDT_DATA, GDT_DATA);

	DEFINE(COM1_PORT, COM1_PORT);
	DEFINE(UART_REG_LCR, UART_REG_LCR);
	DEFINE(UART_REG_LSR, UART_REG_LSR);
	DEFINE(UART_LCR_8N1, UART_LCR_8N1);
	DEFINE(UART_LSR_THR_EMPTY, UART_LSR_THR_EMPTY);
	DEFINE(DEBUGCON_PORT, DEBUGCON_PORT);
	DEFINE(QEMU_DEBUG_EXIT_PORT, QEMU_DEBUG_EXIT_PORT);
	DEFINE(BOCHS_SHUTDOWN_PORT, BOCHS_SHUTDOWN_PORT);
	DEFINE(VERDICT_CODE_UNSUPPORTED, VERDICT_CODE_UNSUPPORTED);

	DEFINE(VMCS_HOST_RSP, VMCS_HOST_RSP);
	GUEST_REG(GR_RAX, rax);
	GUEST_REG(GR_RBX, rbx);
	GUEST_REG(GR_RCX, rcx);
	GUEST_REG(GR_RDX, rdx);
	GUEST_REG(GR_RSI, rsi);
	GUEST_REG(GR_RDI, rdi);
	GUEST_REG(GR_RBP, rbp);
	GUEST_REG(GR_R8, r8);
	GUEST_REG(GR_R9, r9);
	GUEST_REG(GR_R10, r10);
	GUEST_REG(GR_R11, r11);
	GUEST_REG(GR_R12, r12);
	GUEST_REG(GR_R13, r13);
	GUEST_REG(GR_R14, r14);
	GUEST_REG(GR_R15, r15);
}
