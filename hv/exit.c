/* Exit handling policy of the core: the hot, policy-free exits (CPUID,
 * hypercalls, port I/O the hypervisor owns, MSRs) are completed here;
 * anything that means the guest is broken stops that VM, never the
 * hypervisor. */
#include "hv/exit.h"
#include "hv/cpuid.h"
#include "hv/hypercall.h"
#include "hv/insn.h"
#include "hv/io.h"
#include "hv/log.h"

#define RFLAGS_IF BIT(9)
#define VEC_UD 6
#define VEC_GP 13

static const char *const exit_names[] = {
	[EXIT_NONE] = "none", [EXIT_CPUID] = "cpuid", [EXIT_IO] = "io",
	[EXIT_MSR_READ] = "rdmsr", [EXIT_MSR_WRITE] = "wrmsr", [EXIT_HLT] = "hlt",
	[EXIT_HYPERCALL] = "hypercall", [EXIT_STAGE2_FAULT] = "stage-2 fault",
	[EXIT_SHUTDOWN] = "shutdown", [EXIT_INTR] = "interrupt", [EXIT_NMI] = "nmi",
	[EXIT_EXCEPTION] = "exception", [EXIT_ENTRY_FAILED] = "entry failed",
	[EXIT_UNKNOWN] = "unknown",
};

static void inject_exception(struct vcpu *v, u8 vector, bool has_error, u32 error)
{
	struct event e = { .vector = vector, .type = EVENT_EXCEPTION,
			   .has_error = has_error, .error = error };

	virt->inject_event(v, &e);
}

static bool skip_or_stop(struct vcpu *v, const struct vm_exit *exit)
{
	if (insn_skip(v, exit))
		return true;
	vm_stop(v->vm, "cannot decode the instruction at rip 0x%llx",
		(unsigned long long)v->regs.rip);
	return false;
}

static bool handle_cpuid(struct vcpu *v, const struct vm_exit *exit)
{
	struct guest_regs *r = &v->regs;
	struct cpuid_result c;

	guest_cpuid(v->vm, (u32)r->rax, (u32)r->rcx, &c);
	r->rax = c.eax;
	r->rbx = c.ebx;
	r->rcx = c.ecx;
	r->rdx = c.edx;
	return skip_or_stop(v, exit);
}

/* Every MSR is denied by default: the guest gets #GP, as for an MSR the
 * CPU does not have. EFER, VM_HSAVE_PA and friends stay the host's. */
static bool handle_msr(struct vcpu *v, const struct vm_exit *exit)
{
	log_debug("vm %s: %s 0x%x refused", v->vm->name,
		  exit->reason == EXIT_MSR_WRITE ? "wrmsr" : "rdmsr", exit->msr);
	inject_exception(v, VEC_GP, true, 0);
	return true;
}

/* Nothing can wake a vCPU yet: HLT with interrupts enabled returns at
 * once (a spurious wake-up), HLT with them disabled would sleep forever. */
static bool handle_hlt(struct vcpu *v, const struct vm_exit *exit)
{
	if (!(v->regs.rflags & RFLAGS_IF)) {
		vm_stop(v->vm, "HLT with interrupts disabled at rip 0x%llx",
			(unsigned long long)v->regs.rip);
		return false;
	}
	return skip_or_stop(v, exit);
}

static bool handle_hypercall(struct vcpu *v, const struct vm_exit *exit)
{
	hypercall_dispatch(v);
	return skip_or_stop(v, exit);
}

static bool is_hypercall_insn(const u8 *b, int len)
{
	return len == 3 && b[0] == 0x0f && b[1] == 0x01 && (b[2] == 0xc1 || b[2] == 0xd9);
}

/* #UD: VMCALL on AMD (VMMCALL on Intel) lands here; it is a hypercall.
 * Any other #UD goes back to the guest. */
static bool handle_exception(struct vcpu *v, const struct vm_exit *exit)
{
	u8 bytes[INSN_MAX];
	int len;

	if (exit->exception.vector == VEC_UD) {
		insn_fetch(v, bytes, &len);
		if (is_hypercall_insn(bytes, len)) {
			hypercall_dispatch(v);
			v->regs.rip += len;
			return true;
		}
	}
	inject_exception(v, exit->exception.vector, exit->exception.has_error,
			 exit->exception.error);
	return true;
}

static bool handle_stage2_fault(struct vcpu *v, const struct vm_exit *exit)
{
	const struct exit_stage2 *f = &exit->stage2;

	vm_stop(v->vm, "stage-2 fault: %s of guest-physical 0x%llx (%s) at rip 0x%llx",
		f->fetch ? "fetch" : f->write ? "write" : "read",
		(unsigned long long)f->gpa,
		f->present ? "not permitted" : "not mapped",
		(unsigned long long)v->regs.rip);
	return false;
}

static bool handle_fatal(struct vcpu *v, const struct vm_exit *exit)
{
	if (exit->reason == EXIT_SHUTDOWN) {
		vm_stop(v->vm, "triple fault (shutdown) at rip 0x%llx",
			(unsigned long long)v->regs.rip);
		return false;
	}
	virt->dump(v);
	vm_stop(v->vm, "%s exit (hardware code 0x%llx) at rip 0x%llx",
		exit_names[exit->reason], (unsigned long long)exit->hw_code,
		(unsigned long long)v->regs.rip);
	return false;
}

bool exit_handle(struct vcpu *v, const struct vm_exit *exit)
{
	v->vm->stats.exits++;
	v->vm->stats.exits_by_reason[exit->reason]++;
	switch (exit->reason) {
	case EXIT_CPUID:
		return handle_cpuid(v, exit);
	case EXIT_IO:
		return io_handle(v, exit);
	case EXIT_MSR_READ:
	case EXIT_MSR_WRITE:
		return handle_msr(v, exit);
	case EXIT_HLT:
		return handle_hlt(v, exit);
	case EXIT_HYPERCALL:
		return handle_hypercall(v, exit);
	case EXIT_EXCEPTION:
		return handle_exception(v, exit);
	case EXIT_STAGE2_FAULT:
		return handle_stage2_fault(v, exit);
	case EXIT_INTR:
	case EXIT_NMI:
		return true;
	default:
		return handle_fatal(v, exit);
	}
}

void vcpu_run_until_stopped(struct vcpu *v)
{
	struct vm_exit exit;

	v->vm->state = VM_RUNNING;
	while (v->vm->state == VM_RUNNING) {
		virt->vcpu_run(v, &exit);
		if (!exit_handle(v, &exit))
			break;
	}
}
