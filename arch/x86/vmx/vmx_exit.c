/* Turns a VMX exit into the core's normalized struct vm_exit. */
#include "arch/x86/guest_state.h"
#include "arch/x86/trap.h"
#include "arch/x86/vendor_common.h"
#include "arch/x86/vmx/vmx.h"
#include "hv/arch.h"

#define IO_SIZE_MASK 7
#define IO_IN BIT(3)
#define IO_STRING BIT(4)
#define IO_REP BIT(5)
#define EPT_READ BIT(0)
#define EPT_WRITE BIT(1)
#define EPT_FETCH BIT(2)
#define EPT_PERMS_PRESENT (BIT(3) | BIT(4) | BIT(5))
#define EPT_LINEAR_VALID BIT(7)
#define EPT_FINAL BIT(8) /* with LINEAR_VALID: not a page-table access */

/* Address size and OUTS segment from the exit instruction information,
 * when the CPU describes INS/OUTS there (IA32_VMX_BASIC bit 54). */
static void decode_string_info(struct exit_io *io)
{
	u64 info = vmread(VMCS_EXIT_INSN_INFO);
	u32 asize = (info >> 7) & 7; /* 0: 16-bit, 1: 32-bit, 2: 64-bit */
	u32 seg = (info >> 15) & 7;  /* undefined for INS */

	io->addr_size = asize <= 2 ? 2u << asize : 0;
	io->seg = (!io->in && seg <= SEG_GS) ? seg : SEG_UNKNOWN;
}

static void decode_io(u64 qual, struct exit_io *io)
{
	io->size = (qual & IO_SIZE_MASK) + 1;
	io->in = qual & IO_IN;
	io->string = qual & IO_STRING;
	io->rep = qual & IO_REP;
	io->port = qual >> 16;
	io->seg = SEG_UNKNOWN; /* addr_size stays 0 from vmx_decode_exit() */
	if (io->string && vmx_cpu.insouts_info)
		decode_string_info(io);
}

static void decode_ept_violation(u64 qual, struct exit_stage2 *f)
{
	f->gpa = vmread(VMCS_GUEST_PHYS_ADDR);
	f->read = qual & EPT_READ;
	f->write = qual & EPT_WRITE;
	f->fetch = qual & EPT_FETCH;
	f->present = qual & EPT_PERMS_PRESENT;
	f->walk = (qual & (EPT_LINEAR_VALID | EPT_FINAL)) == EPT_LINEAR_VALID;
	f->insn_len = 0;
}

#define DR7_GD BIT(13)
#define DR6_BD BIT(13)

/* An event from the exit's interruption or IDT-vectoring information. */
static void event_from_info(u32 info, u64 error_field, struct event *e)
{
	event_info_decode(info, e);
	if (e->has_error)
		e->error = vmread(error_field);
	if (e->type >= EVENT_SOFTWARE_INT)
		e->insn_len = vmread(VMCS_EXIT_INSN_LEN);
}

/* An intercepted #DB leaves DR6 alone and reports its bits in the exit
 * qualification (SDM 27.1): put them where the guest's handler looks, and
 * clear DR7.GD as delivery would. */
static void complete_debug_exception(struct vcpu *v)
{
	u64 qual = vmread(VMCS_EXIT_QUALIFICATION);

	guest_state_debug_trap(v, qual);
	if (qual & DR6_BD)
		vmwrite(VMCS_GUEST_DR7, vmread(VMCS_GUEST_DR7) & ~DR7_GD);
}

/* The table made it EXIT_EXCEPTION; an NMI is the host's instead. */
static void decode_exception(struct vcpu *v, struct vm_exit *exit)
{
	u32 info = vmread(VMCS_EXIT_INTR_INFO);

	if (event_info_type(info) == EVENT_NMI) {
		/* It arrived while the guest ran and ends in this exit instead of
		 * the host's handler: hand it to the handler as the host would
		 * see it. */
		exit->reason = EXIT_NMI;
		asm volatile("int $2" ::: "memory");
		return;
	}
	event_from_info(info, VMCS_EXIT_INTR_ERROR, &exit->exception);
	if (exit->exception.vector == VEC_DB && exit->exception.type == EVENT_EXCEPTION)
		complete_debug_exception(v);
}

/* Every exit but the last six is caused by one instruction. */
static const struct exit_code_map exits[] = {
	{ VMX_EXIT_CPUID, EXIT_CPUID },
	{ VMX_EXIT_HLT, EXIT_HLT },
	{ VMX_EXIT_VMCALL, EXIT_HYPERCALL },
	{ VMX_EXIT_IO, EXIT_IO },
	{ VMX_EXIT_RDMSR, EXIT_MSR_READ },
	{ VMX_EXIT_WRMSR, EXIT_MSR_WRITE },
	{ VMX_EXIT_XSETBV, EXIT_XSETBV },
	{ VMX_EXIT_CR_ACCESS, EXIT_CR_ACCESS },
	{ VMX_EXIT_MWAIT, EXIT_INVALID_OPCODE },
	{ VMX_EXIT_MONITOR, EXIT_INVALID_OPCODE },
	{ VMX_EXIT_EXCEPTION_NMI, EXIT_EXCEPTION },
	{ VMX_EXIT_EXTERNAL_INTR, EXIT_INTR },
	{ VMX_EXIT_PREEMPTION_TIMER, EXIT_INTR }, /* as the timer's interrupt */
	{ VMX_EXIT_TRIPLE_FAULT, EXIT_SHUTDOWN },
	{ VMX_EXIT_EPT_VIOLATION, EXIT_STAGE2_FAULT },
	{ VMX_EXIT_INTR_WINDOW, EXIT_IRQ_WINDOW },
	{ VMX_EXIT_NMI_WINDOW, EXIT_NMI_WINDOW },
};

/* An event whose delivery the exit cut short, for the core to deliver
 * again. */
static void decode_interrupted(struct vm_exit *exit)
{
	u32 info = vmread(VMCS_IDT_VECTORING_INFO);

	if (!(info & EVENT_INFO_VALID))
		return;
	event_from_info(info, VMCS_IDT_VECTORING_ERROR, &exit->interrupted);
	exit->interrupted_valid = true;
}

/* MOV to/from a control register (SDM table 28-3: CR number in bits 3:0,
 * access type in 5:4, the register in 11:8); CLTS and LMSW read as
 * neither. */
static void decode_cr_access(u64 qual, struct exit_cr *cr)
{
	cr->cr = qual & 15;
	cr->write = ((qual >> 4) & 3) == 0;
	cr->gpr = (qual >> 8) & 15;
}

/* Exits caused by one instruction (whatever vmx_decode_exit() does not
 * name): the CPU reports its length. */
static void decode_instruction(struct vcpu *v, struct vm_exit *exit)
{
	exit->next_rip = v->regs.rip + vmread(VMCS_EXIT_INSN_LEN);
	exit->next_rip_valid = true;
	if (exit->reason == EXIT_IO)
		decode_io(vmread(VMCS_EXIT_QUALIFICATION), &exit->io);
	else if (exit->reason == EXIT_CR_ACCESS)
		decode_cr_access(vmread(VMCS_EXIT_QUALIFICATION), &exit->cr);
	else if (exit->reason == EXIT_MSR_READ || exit->reason == EXIT_MSR_WRITE)
		exit->msr = (u32)v->regs.rcx;
}

void vmx_decode_exit(struct vcpu *v, struct vm_exit *exit)
{
	u32 reason = vmread(VMCS_EXIT_REASON);

	/* what the reason needs is filled below, no more */
	exit->hw_code = reason;
	exit->next_rip_valid = false;
	exit->interrupted_valid = false;
	if (reason & VMX_EXIT_ENTRY_FAILURE) {
		exit->reason = EXIT_ENTRY_FAILED;
		return;
	}
	exit->reason = exit_code_lookup(exits, ARRAY_SIZE(exits), reason & 0xffff);
	switch (exit->reason) {
	case EXIT_EXCEPTION:
		decode_exception(v, exit);
		break;
	case EXIT_INTR:
		/* acknowledged on exit: the vector is ours to handle */
		if ((reason & 0xffff) == VMX_EXIT_EXTERNAL_INTR)
			arch_irq(vmread(VMCS_EXIT_INTR_INFO) & 0xff);
		break;
	case EXIT_STAGE2_FAULT:
		decode_ept_violation(vmread(VMCS_EXIT_QUALIFICATION), &exit->stage2);
		break;
	case EXIT_SHUTDOWN:
	case EXIT_IRQ_WINDOW:
	case EXIT_NMI_WINDOW:
	case EXIT_UNKNOWN:
		break;
	default:
		decode_instruction(v, exit);
	}
	decode_interrupted(exit);
}
