/* Turns a VMX exit into the core's normalized struct vm_exit. */
#include "arch/x86/vmx/vmx.h"
#include "hv/arch.h"
#include "hv/string.h"

#define IO_SIZE_MASK 7
#define IO_IN BIT(3)
#define IO_STRING BIT(4)
#define IO_REP BIT(5)
#define EPT_READ BIT(0)
#define EPT_WRITE BIT(1)
#define EPT_FETCH BIT(2)
#define EPT_PERMS_PRESENT (BIT(3) | BIT(4) | BIT(5))
#define INTR_TYPE(info) (((info) >> 8) & 7)

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
	io->addr_size = 0;
	io->seg = SEG_UNKNOWN;
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
}

static void decode_exception(struct vm_exit *exit)
{
	u32 info = vmread(VMCS_EXIT_INTR_INFO);

	if (INTR_TYPE(info) == INTR_TYPE_NMI) {
		exit->reason = EXIT_NMI;
		return;
	}
	exit->reason = EXIT_EXCEPTION;
	exit->exception.vector = info & 0xff;
	exit->exception.has_error = info & INTR_INFO_ERROR_VALID;
	if (exit->exception.has_error)
		exit->exception.error = vmread(VMCS_EXIT_INTR_ERROR);
}

/* Exits caused by one instruction: the CPU reports its length. */
static enum exit_reason instruction_reason(u32 basic)
{
	switch (basic) {
	case VMX_EXIT_CPUID:
		return EXIT_CPUID;
	case VMX_EXIT_HLT:
		return EXIT_HLT;
	case VMX_EXIT_VMCALL:
		return EXIT_HYPERCALL;
	case VMX_EXIT_IO:
		return EXIT_IO;
	case VMX_EXIT_RDMSR:
		return EXIT_MSR_READ;
	case VMX_EXIT_WRMSR:
		return EXIT_MSR_WRITE;
	default:
		return EXIT_NONE;
	}
}

static void decode_other(u32 basic, struct vm_exit *exit)
{
	switch (basic) {
	case VMX_EXIT_EXCEPTION_NMI:
		decode_exception(exit);
		break;
	case VMX_EXIT_EXTERNAL_INTR:
		/* acknowledged on exit: the vector is ours to handle */
		exit->reason = EXIT_INTR;
		arch_irq(vmread(VMCS_EXIT_INTR_INFO) & 0xff);
		break;
	case VMX_EXIT_TRIPLE_FAULT:
		exit->reason = EXIT_SHUTDOWN;
		break;
	case VMX_EXIT_EPT_VIOLATION:
		exit->reason = EXIT_STAGE2_FAULT;
		decode_ept_violation(vmread(VMCS_EXIT_QUALIFICATION), &exit->stage2);
		break;
	default:
		exit->reason = EXIT_UNKNOWN;
	}
}

/* Remembers an event the exit interrupted, to deliver it again. */
static void save_interrupted_event(struct vmx_vcpu *x, const struct vm_exit *exit)
{
	u32 info = vmread(VMCS_IDT_VECTORING_INFO);

	if (!(info & INTR_INFO_VALID) || exit->reason == EXIT_SHUTDOWN)
		return;
	x->reinject_info = info;
	x->reinject_error = vmread(VMCS_IDT_VECTORING_ERROR);
	x->reinject_len = vmread(VMCS_EXIT_INSN_LEN);
}

void vmx_decode_exit(struct vcpu *v, struct vm_exit *exit)
{
	u32 reason = vmread(VMCS_EXIT_REASON);
	u32 basic = reason & 0xffff;

	*exit = (struct vm_exit){ 0 };
	exit->hw_code = reason;
	if (reason & VMX_EXIT_ENTRY_FAILURE) {
		exit->reason = EXIT_ENTRY_FAILED;
		return;
	}
	exit->reason = instruction_reason(basic);
	if (exit->reason != EXIT_NONE) {
		exit->next_rip = v->regs.rip + vmread(VMCS_EXIT_INSN_LEN);
		exit->next_rip_valid = true;
		if (exit->reason == EXIT_IO)
			decode_io(vmread(VMCS_EXIT_QUALIFICATION), &exit->io);
		else if (exit->reason == EXIT_MSR_READ || exit->reason == EXIT_MSR_WRITE)
			exit->msr = (u32)v->regs.rcx;
	} else {
		decode_other(basic, exit);
	}
	save_interrupted_event(vmx_vcpu(v), exit);
}
