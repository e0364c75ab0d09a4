/* Turns an SVM #VMEXIT into the core's normalized struct vm_exit. */
#include "arch/x86/svm/svm.h"
#include "arch/x86/vendor_common.h"
#include "hv/cr.h"

#define IOIO_IN BIT(0)
#define IOIO_STR BIT(2)
#define IOIO_REP BIT(3)
#define IOIO_SIZE_SHIFT 4
#define IOIO_ADDR_SHIFT 7
#define IOIO_SEG_SHIFT 10
#define NPF_PRESENT BIT(0)
#define NPF_WRITE BIT(1)
#define NPF_FETCH BIT(4)
#define NPF_WALK BIT(33) /* on the guest's page tables */
#define CR_INFO_MOV BIT(63) /* decode assists: a MOV, GPR in bits 3:0 */

/* The OUTS source segment, on CPUs that report it. 0 is ES or "not
 * reported" (older CPUs, QEMU): then the prefixes decide. */
static u8 outs_segment(u64 info1)
{
	u32 seg = (info1 >> IOIO_SEG_SHIFT) & 7;

	return (seg && seg <= SEG_GS) ? seg : SEG_UNKNOWN;
}

/* The string forms' address size and OUTS segment are read only for
 * them: the plain IN and OUT are the frequent exits. */
static void decode_io(u64 info1, struct exit_io *io)
{
	/* one-hot bits: 1, 2 or 4 bytes; 16-, 32- or 64-bit addresses */
	u32 size = (info1 >> IOIO_SIZE_SHIFT) & 7;
	u32 addr = (info1 >> IOIO_ADDR_SHIFT) & 7;

	io->port = info1 >> 16;
	io->in = info1 & IOIO_IN;
	io->string = info1 & IOIO_STR;
	io->size = (size & 4) ? 4 : (size & 2) ? 2 : 1;
	if (!io->string)
		return;
	io->rep = info1 & IOIO_REP;
	/* 0 when the CPU left the address size out (QEMU does) */
	io->addr_size = (addr & 4) ? 8 : addr * 2;
	io->seg = io->in ? SEG_UNKNOWN : outs_segment(info1);
}

/* With decode assists the CPU fetched the faulting instruction's bytes. */
static void decode_npf(const struct vmcb_control *c, struct exit_stage2 *f)
{
	f->gpa = c->exit_info2;
	f->present = c->exit_info1 & NPF_PRESENT;
	f->write = c->exit_info1 & NPF_WRITE;
	f->fetch = c->exit_info1 & NPF_FETCH;
	f->walk = c->exit_info1 & NPF_WALK;
	f->read = !f->write && !f->fetch;
	f->insn_len = svm_cpu.decode_assists ? MIN(c->insn_len, sizeof(c->insn)) : 0;
	f->insn = c->insn;
}

/* Exits that need nothing decoded beyond their code (the hypercall and
 * CPUID, the most frequent, have cases of their own below). */
static const struct exit_code_map simple_exits[] = {
	{ SVM_EXIT_INTR, EXIT_INTR },
	{ SVM_EXIT_HLT, EXIT_HLT },
	{ SVM_EXIT_SHUTDOWN, EXIT_SHUTDOWN },
	{ SVM_EXIT_XSETBV, EXIT_XSETBV },
	{ SVM_EXIT_RDTSCP, EXIT_INVALID_OPCODE }, /* hidden from CPUID: TSC_AUX is not switched */
	{ SVM_EXIT_MONITOR, EXIT_INVALID_OPCODE },
	{ SVM_EXIT_MWAIT, EXIT_INVALID_OPCODE },
	{ SVM_EXIT_MWAIT_ARMED, EXIT_INVALID_OPCODE },
	{ SVM_EXIT_NMI, EXIT_NMI },
	{ SVM_EXIT_VINTR, EXIT_IRQ_WINDOW },
	{ SVM_EXIT_IRET, EXIT_NMI_WINDOW },
};

/* #DF, #TS, #NP, #SS, #GP, #PF and #AC push an error code. */
#define ERROR_CODE_VECTORS (BIT(8) | BIT(10) | BIT(11) | BIT(12) | BIT(13) | \
			    BIT(14) | BIT(17))

static void decode_exception(const struct vmcb_control *c, struct vm_exit *exit)
{
	u8 vector = c->exit_code - SVM_EXIT_EXCP_BASE;

	exit->reason = EXIT_EXCEPTION;
	exit->exception.vector = vector;
	exit->exception.type = EVENT_EXCEPTION;
	exit->exception.has_error = ERROR_CODE_VECTORS & BIT(vector);
	exit->exception.error = exit->exception.has_error ? (u32)c->exit_info1 : 0;
	exit->exception.insn_len = 0;
}

#define INTINFO_VECTOR_BP 3
#define INTINFO_VECTOR_OF 4

/* EXITINTINFO: an event the exit cut short. INT n, INT3 and INTO are left
 * out: the guest's RIP still points at the instruction, which raises
 * them again. */
static void decode_interrupted(u64 info, struct vm_exit *exit)
{
	struct event *e = &exit->interrupted;

	if (!(info & EVENT_INFO_VALID))
		return;
	event_info_decode(info, e);
	if (e->type == EVENT_SOFTWARE_INT ||
	    (e->type == EVENT_EXCEPTION &&
	     (e->vector == INTINFO_VECTOR_BP || e->vector == INTINFO_VECTOR_OF)))
		return;
	e->error = info >> 32;
	exit->interrupted_valid = true;
}

static void decode_ioio(const struct vmcb_control *c, struct vm_exit *exit)
{
	exit->reason = EXIT_IO;
	decode_io(c->exit_info1, &exit->io);
	exit->next_rip = c->exit_info2; /* always saved for IOIO */
	exit->next_rip_valid = true;
}

static void decode_cr_write(const struct vmcb_control *c, u64 code, struct vm_exit *exit)
{
	exit->reason = EXIT_CR_ACCESS;
	exit->cr = (struct exit_cr){ code - SVM_EXIT_WRITE_CR0, CR_GPR_UNDECODED, true };
	if (svm_cpu.decode_assists && (c->exit_info1 & CR_INFO_MOV))
		exit->cr.gpr = c->exit_info1 & 15;
}

/* Fills what the exit's reason needs, no more: the core reads no other
 * part of the union. The switch takes the low 32 bits of the code:
 * QEMU stores only those of VMEXIT_INVALID (-1), and no other code has
 * more. */
void svm_decode_exit(struct vcpu *v, struct vm_exit *exit)
{
	const struct vmcb_control *c = &svm_vcpu(v)->vmcb->control;
	u64 code = c->exit_code;

	exit->hw_code = code;
	exit->next_rip = c->next_rip;
	exit->next_rip_valid = svm_cpu.nrips && c->next_rip;
	exit->interrupted_valid = false;
	switch ((u32)code) {
	case SVM_EXIT_VMMCALL:
		exit->reason = EXIT_HYPERCALL;
		break;
	case SVM_EXIT_CPUID:
		exit->reason = EXIT_CPUID;
		break;
	case SVM_EXIT_IOIO:
		decode_ioio(c, exit);
		break;
	case SVM_EXIT_MSR:
		exit->reason = c->exit_info1 ? EXIT_MSR_WRITE : EXIT_MSR_READ;
		exit->msr = (u32)v->regs.rcx;
		break;
	case SVM_EXIT_NPF:
		exit->reason = EXIT_STAGE2_FAULT;
		decode_npf(c, &exit->stage2);
		break;
	case SVM_EXIT_WRITE_CR0:
	case SVM_EXIT_WRITE_CR4:
		decode_cr_write(c, code, exit);
		break;
	case SVM_EXIT_EXCP_BASE ... SVM_EXIT_EXCP_BASE + 31:
		decode_exception(c, exit);
		break;
	case (u32)SVM_EXIT_INVALID:
		exit->reason = EXIT_ENTRY_FAILED;
		break;
	default:
		exit->reason = exit_code_lookup(simple_exits, ARRAY_SIZE(simple_exits), code);
	}
	decode_interrupted(c->exit_int_info, exit);
}
