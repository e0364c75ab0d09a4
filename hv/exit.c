/* Exit handling policy of the core: the hot, policy-free exits (CPUID,
 * hypercalls, port I/O the hypervisor owns, MSRs) are completed here;
 * anything that means the guest is broken stops that VM, never the
 * hypervisor. A child VM's device exits go to its VMM (VM 0) as an
 * exit record, like KVM_RUN. */
#include "hv/exit.h"
#include "hv/arch.h"
#include "arch/x86/cpu.h"
#include "arch/x86/guest_state.h"
#include "arch/x86/trap.h"
#include "arch/x86/tsc.h"
#include "hv/cpuid.h"
#include "hv/cpustats.h"
#include "hv/cr.h"
#include "hv/event.h"
#include "hv/hypercall.h"
#include "hv/insn.h"
#include "hv/io.h"
#include "hv/irq.h"
#include "hv/log.h"
#include "hv/mmio.h"
#include "hv/msr.h"
#include "hv/tracebuf.h"
#include "hv/vcpu_move.h"
#include "hv/vcpu_mp.h"
#include "hv/vcpu_wait.h"
#include "lib/string.h"

u32 vm_timeslice_ticks = VM_TIMESLICE_DEFAULT;

/* The exits handle_fatal reports: the ones nothing else handles. */
static const char *const fatal_exit_names[] = {
	[EXIT_NONE] = "none", [EXIT_CR_ACCESS] = "cr access",
	[EXIT_ENTRY_FAILED] = "entry failed", [EXIT_UNKNOWN] = "unknown",
};

/* One entry into the guest. An event whose delivery the previous exit
 * cut short is delivered again, unless the core queued an exception of
 * its own: that one comes from the instruction the guest is at, which
 * raises the cut-short exception again once it runs. Without either,
 * an interrupt waiting for the vCPU may go in (hv/irq.c). */
static void vcpu_enter(struct vcpu *v, struct vm_exit *exit)
{
	if (v->reinject && !v->event_queued)
		virt->inject_event(v, &v->interrupted);
	if (!irq_idle(&v->irq, v->vm->lapic))
		irq_before_entry(v, v->reinject || v->event_queued);
	v->reinject = false;
	v->event_queued = false;
	vcpu_moves_serve(); /* what other CPUs asked of this one */
	virt->vcpu_run(v, exit);
	if (exit->interrupted_valid && exit->reason != EXIT_SHUTDOWN) {
		v->interrupted = exit->interrupted;
		v->reinject = true;
	}
}

/* The policy's answer for the vCPU (hv/cpuid.h). CR4 matters to leaves 1
 * and 7 only (OSXSAVE, OSPKE); reading it costs VMREADs. XCR0 matters to
 * leaf 0xD only. The APIC bit follows IA32_APIC_BASE's enable. */
static void vcpu_cpuid(struct vcpu *v, u32 leaf, u32 subleaf, struct cpuid_result *c)
{
	struct cpuid_vcpu_state st = {
		.vcpu_id = v->id, .cr4 = leaf == 1 || leaf == 7 ? virt->guest_cr4(v) : 0,
		.xcr0 = leaf == 0xd ? guest_state_xcr0(v) : v->xcr0, .apic_enabled = v->msrs.apic_base & APIC_BASE_ENABLE,
		.lapic = v->vm->lapic, .table = &v->vm->cpuid };

	guest_cpuid(&st, leaf, subleaf, c);
	cpuid_memo_put(&v->cpuid_memo, leaf, subleaf, c);
}

static bool handle_cpuid(struct vcpu *v, const struct vm_exit *exit)
{
	struct guest_regs *r = &v->regs;
	u32 leaf = (u32)r->rax, subleaf = (u32)r->rcx;
	struct cpuid_result c;

	if (!cpuid_memo_get(&v->cpuid_memo, leaf, subleaf, &c))
		vcpu_cpuid(v, leaf, subleaf, &c);
	r->rax = c.eax;
	r->rbx = c.ebx;
	r->rcx = c.ecx;
	r->rdx = c.edx;
	return insn_skip(v, exit);
}

/* The instruction behind `exit` waits for the VMM's answer (`what`),
 * then completes at next_rip (complete_pending). */
static void park_for_vmm(struct vcpu *v, const struct vm_exit *exit, enum vmm_pending what,
			 u64 next_rip)
{
	v->pending = what;
	v->pending_exit = *exit;
	v->pending_exit.next_rip = next_rip;
}

/* EDX:EAX, as RDMSR returns and WRMSR and XSETBV take a 64-bit value. */
static u64 edx_eax(const struct guest_regs *r)
{
	return (u32)r->rax | (u64)(u32)r->rdx << 32;
}

/* An MSR hv/msr.c does not emulate, for the VMM: the instruction
 * completes when the VMM runs the vCPU again (complete_msr). */
static bool msr_exit_to_vmm(struct vcpu *v, const struct vm_exit *exit, bool write, u64 value)
{
	u64 next;

	if (!insn_next_rip(v, exit, &next))
		return false;
	park_for_vmm(v, exit, write ? VMM_PENDING_WRMSR : VMM_PENDING_RDMSR, next);
	v->vmm_exit->u.msr = (struct hv_exit_msr){ .index = exit->msr, .write = write,
						   .value = write ? value : 0 };
	return vcpu_exit_to_vmm(v, HV_EXIT_MSR);
}

static void set_edx_eax(struct guest_regs *r, u64 value)
{
	r->rax = (u32)value;
	r->rdx = value >> 32;
}

/* RDMSR and WRMSR (the CPU refuses them at CPL > 0 itself): the MSRs of
 * hv/msr.c; any other gets #GP, as an MSR the CPU does not have, or goes
 * to the VMM that enabled HV_EXIT_MSR. EFER's SVME, VM_HSAVE_PA and
 * friends stay the host's. */
static bool handle_msr(struct vcpu *v, const struct vm_exit *exit)
{
	bool write = exit->reason == EXIT_MSR_WRITE;
	u64 value = edx_eax(&v->regs);
	enum msr_result res = msr_access(v, exit->msr, write, &value);

	if (res == MSR_UNKNOWN && v->vmm_exit && (v->vm->exit_reasons & BIT(HV_EXIT_MSR)))
		return msr_exit_to_vmm(v, exit, write, value);
	if (res != MSR_DONE) {
		log_debug("vm %s: %s 0x%x refused", v->vm->name, write ? "wrmsr" : "rdmsr",
			  exit->msr);
		return vcpu_inject_exception(v, VEC_GP, true, 0);
	}
	if (!write)
		set_edx_eax(&v->regs, value);
	return insn_skip(v, exit);
}

/* A child's HLT with interrupts enabled, in a VM with the virtual LAPIC,
 * waits here (hv/vcpu_wait.h); any other child's goes to its VMM. VM 0's
 * HLT with interrupts enabled returns at once (a spurious wake-up); with
 * them disabled it would sleep forever, so VM 0 is stopped. */
static bool handle_hlt(struct vcpu *v, const struct vm_exit *exit)
{
	if (vcpu_hlt_waits(v)) {
		v->halted = true;
		return insn_skip(v, exit);
	}
	if (v->vmm_exit)
		return insn_skip(v, exit) && vcpu_exit_to_vmm(v, HV_EXIT_HLT);
	if (!(v->regs.rflags & RFLAGS_IF)) {
		vm_stop(v->vm, HV_EXIT_FAILED, "HLT with interrupts disabled at rip 0x%llx",
			(unsigned long long)v->regs.rip);
		return false;
	}
	return insn_skip(v, exit);
}

/* A child's hypercall the hypervisor does not implement goes to its VMM
 * when the VMM enabled HV_EXIT_HYPERCALL; anything else is answered here
 * (-ENOSYS for unknown numbers, -EPERM for every call from CPL > 0). */
static bool run_hypercall(struct vcpu *v, const struct vm_exit *exit, u64 next_rip)
{
	bool user = virt->guest_cpl(v) != 0;
	bool forward = !user && v->vmm_exit && !hypercall_known(v->regs.rax) &&
		       (v->vm->exit_reasons & (1u << HV_EXIT_HYPERCALL));

	if (!forward) {
		hypercall_dispatch(v, user);
		return vcpu_complete_insn(v, next_rip);
	}
	park_for_vmm(v, exit, VMM_PENDING_HYPERCALL, next_rip);
	v->vmm_exit->u.hypercall = (struct hv_exit_hypercall){ v->regs.rax, v->regs.rdi };
	return vcpu_exit_to_vmm(v, HV_EXIT_HYPERCALL);
}

/* VMMCALL on AMD, VMCALL on Intel. */
static bool handle_hypercall(struct vcpu *v, const struct vm_exit *exit)
{
	u64 next;

	return insn_next_rip(v, exit, &next) && run_hypercall(v, exit, next);
}

/* #UD: VMCALL on AMD (VMMCALL on Intel) lands here; it is a hypercall.
 * Any other #UD goes back to the guest. */
static bool handle_exception(struct vcpu *v, const struct vm_exit *exit)
{
	if (exit->exception.vector == VEC_UD && insn_at_rip_is_hypercall(v))
		return run_hypercall(v, exit, v->regs.rip + INSN_HYPERCALL_LEN);
	return vcpu_inject_event(v, &exit->exception);
}

/* XSETBV: only XCR0, only from CPL 0, only values the SDM allows for the
 * components CPUID offers; #UD while CR4.OSXSAVE is clear. */
static bool handle_xsetbv(struct vcpu *v, const struct vm_exit *exit)
{
	struct guest_regs *r = &v->regs;
	u64 value = edx_eax(r);

	if (!(virt->guest_cr4(v) & CR4_OSXSAVE))
		return vcpu_inject_exception(v, VEC_UD, false, 0);
	if (virt->guest_cpl(v) || (u32)r->rcx ||
	    !guest_state_set_xcr0(v, value, cpuid_guest_xcr0_mask()))
		return vcpu_inject_exception(v, VEC_GP, true, 0);
	return insn_skip(v, exit);
}

static bool handle_fatal(struct vcpu *v, const struct vm_exit *exit)
{
	if (exit->reason == EXIT_SHUTDOWN) {
		vm_stop(v->vm, HV_EXIT_SHUTDOWN, "triple fault (shutdown) at rip 0x%llx",
			(unsigned long long)v->regs.rip);
		return false;
	}
	virt->dump(v);
	vm_stop(v->vm, HV_EXIT_FAILED, "%s exit (hardware code 0x%llx) at rip 0x%llx",
		fatal_exit_names[exit->reason], (unsigned long long)exit->hw_code,
		(unsigned long long)v->regs.rip);
	return false;
}

/* A write of CR0/CR4 the backend intercepts: #GP for what the
 * architecture or the guest's CPUID refuses (hv/cr.c), else the new
 * state. The instruction is decoded when the CPU did not name the
 * register. */
static bool handle_mov_to_cr(struct vcpu *v, const struct vm_exit *exit)
{
	struct guest_sregs s;
	u8 bytes[INSN_MAX_LEN], gpr = exit->cr.gpr;
	enum cr_insn insn = CR_INSN_MOV;
	u64 value;
	int len;

	virt->get_sregs(v, &s);
	if (gpr == CR_GPR_UNDECODED)
		insn = cr_decode(bytes, insn_fetch_state(v, &s, bytes, &len), &s, exit->cr.cr, &gpr);
	if (insn == CR_INSN_NONE)
		return handle_fatal(v, exit);
	value = cr_insn_value(insn, s.cr0, *gpr_by_number(&v->regs, gpr));
	if (!cr_write(&s, exit->cr.cr, value, cr4_guest_allowed()))
		return vcpu_inject_exception(v, VEC_GP, true, 0);
	return virt->set_sregs(v, &s) == 0 ? insn_skip(v, exit) : handle_fatal(v, exit);
}

/* CR8 (the task priority) where the backend intercepts it: the guest's
 * own value, never the host's; CR0 and CR4 writes above. */
static bool handle_cr_access(struct vcpu *v, const struct vm_exit *exit)
{
	u64 *reg = gpr_by_number(&v->regs, exit->cr.gpr);

	if (exit->cr.write && (exit->cr.cr == 0 || exit->cr.cr == 4))
		return handle_mov_to_cr(v, exit);
	if (exit->cr.cr != 8)
		return handle_fatal(v, exit);
	if (exit->cr.write) {
		if (*reg >> 4) /* reserved bits */
			return vcpu_inject_exception(v, VEC_GP, true, 0);
		v->tpr = *reg & 15;
	} else {
		*reg = v->tpr;
	}
	return insn_skip(v, exit);
}

/* VM 0 touched guest-physical memory that is neither its RAM nor a
 * window it may use that way (a window closed by its child's end, a write
 * to a read-only one): the access gets #GP(0) in VM 0, which goes on. */
static bool vm0_stage2_fault(struct vcpu *v, const struct exit_stage2 *f)
{
	log_debug("vm %s: %s of guest-physical 0x%llx (%s) at rip 0x%llx: #GP",
		  v->vm->name, f->fetch ? "fetch" : f->write ? "write" : "read",
		  (unsigned long long)f->gpa, f->present ? "not permitted" : "not mapped",
		  (unsigned long long)v->regs.rip);
	return vcpu_inject_exception(v, VEC_GP, true, 0);
}

static bool handle_stage2_fault(struct vcpu *v, const struct vm_exit *exit)
{
	const struct exit_stage2 *f = &exit->stage2;

	if (v->vm->privileged)
		return vm0_stage2_fault(v, f);
	if (mmio_lapic_wanted(v, exit))
		return mmio_lapic(v, exit);
	if (mmio_exit_wanted(v, exit))
		return mmio_exit(v, exit);
	vm_stop(v->vm, HV_EXIT_STAGE2_FAULT,
		"stage-2 fault: %s of guest-physical 0x%llx (%s) at rip 0x%llx",
		f->fetch ? "fetch" : f->write ? "write" : "read",
		(unsigned long long)f->gpa,
		f->present ? "not permitted" : "not mapped",
		(unsigned long long)v->regs.rip);
	if (v->vmm_exit) {
		v->vmm_exit->u.fault.gpa = f->gpa;
		v->vmm_exit->u.fault.rip = v->regs.rip;
		v->vmm_exit->u.fault.access = f->fetch ? 4 : f->write ? 2 : 1;
	}
	return false;
}

static bool handle_exit_reason(struct vcpu *v, const struct vm_exit *exit)
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
	case EXIT_XSETBV:
		return handle_xsetbv(v, exit);
	case EXIT_CR_ACCESS:
		return handle_cr_access(v, exit);
	case EXIT_INVALID_OPCODE:
		return vcpu_inject_exception(v, VEC_UD, false, 0);
	case EXIT_STAGE2_FAULT:
		return handle_stage2_fault(v, exit);
	case EXIT_IRQ_WINDOW:
	case EXIT_NMI_WINDOW:
		return irq_window_exit(v);
	case EXIT_INTR: /* handled; a child's slice end is seen below */
	case EXIT_NMI:
		return true;
	default:
		return handle_fatal(v, exit);
	}
}

/* The VMM's answer to an MSR exit: #GP (HV_RUN_MSR_GP), or the access
 * done, a read with its value (HV_RUN_COMPLETE; 0 without it). */
static bool complete_msr(struct vcpu *v, enum vmm_pending p, const struct hv_vcpu_run *a)
{
	if (a->flags & HV_RUN_MSR_GP)
		return vcpu_inject_exception(v, VEC_GP, true, 0);
	if (p == VMM_PENDING_RDMSR)
		set_edx_eax(&v->regs, a->flags & HV_RUN_COMPLETE ? a->complete_value : 0);
	return vcpu_complete_insn(v, v->pending_exit.next_rip);
}

/* Then, with the virtual LAPIC, an IPI the exit's emulation queued (an
 * ICR write) goes out, and a level-triggered EOI may end the run
 * (HV_EXIT_EOI). */
static bool handle_exit(struct vcpu *v, const struct vm_exit *exit)
{
	bool go_on = handle_exit_reason(v, exit);

	return v->vm->lapic ? irq_after_exit(v, go_on) : go_on;
}

bool exit_handle(struct vcpu *v, const struct vm_exit *exit)
{
	if (tracebuf_wants(HV_TRACE_EV_EXIT))
		return tracebuf_exit(v, exit, handle_exit);
	return handle_exit(v, exit);
}

/* Applies the VMM's answer (HV_RUN_COMPLETE) to what the last exit left
 * pending. */
static bool complete_pending(struct vcpu *v, const struct hv_vcpu_run *a)
{
	enum vmm_pending p = v->pending;
	bool have_value = a->flags & HV_RUN_COMPLETE;
	u64 value = a->complete_value;

	v->pending = VMM_PENDING_NONE;
	if (p == VMM_PENDING_IN)
		return io_complete_in(v, &v->pending_exit, have_value ? value : ~0ULL);
	if (p == VMM_PENDING_MMIO)
		return mmio_complete_read(v, have_value ? value : ~0ULL);
	if (p == VMM_PENDING_HYPERCALL) {
		v->regs.rax = have_value ? value : (u64)-HV_ENOSYS;
		return vcpu_complete_insn(v, v->pending_exit.next_rip);
	}
	if (p == VMM_PENDING_RDMSR || p == VMM_PENDING_WRMSR)
		return complete_msr(v, p, a);
	return true;
}

/* Whether the slice ending at host TSC slice_end is over. Read after
 * every exit, not only an INTR exit (SVM takes the timer's interrupt in
 * the host right after an exit for another reason, Bochs 2.7 takes none
 * out of a guest that has IF clear): a child that exits without end (an
 * exception loop) still gives its VMM the CPU back on time. */
static bool slice_ended(struct vcpu *v, u64 slice_end)
{
	bool over = tsc_reached(slice_end);

	if (over)
		vcpu_exit_to_vmm(v, HV_EXIT_TIMESLICE);
	return over;
}

/* A kick (HV_CALL_VCPU_KICK) ends the run before the next entry: with
 * HV_EXIT_KICKED where the VMM enabled it, else as a slice's end. */
static bool kicked(struct vcpu *v)
{
	bool kicks_reported = v->vm->exit_reasons & BIT(HV_EXIT_KICKED);

	if (!v->kicked)
		return false;
	v->kicked = false;
	vcpu_exit_to_vmm(v, kicks_reported ? HV_EXIT_KICKED : HV_EXIT_TIMESLICE);
	return true;
}

/* One time slice of the child, with the host timer armed for its end or
 * the child's LAPIC timer, whichever comes first; a due LAPIC timer's
 * interrupt is pending before each entry. A halted child waits instead
 * of running, through slice ends (HV_EXIT_TIMESLICE) until it wakes.
 * The VMM's deadline (HV_RUN_DEADLINE) ends the slice early; one already
 * reached ends it before the child is entered. */
static void vcpu_run_slice(struct vcpu *v, const struct vmm_run_call *call)
{
	u64 slice_end = rdtsc() + arch_timer_ticks_to_tsc(vm_timeslice_ticks);
	struct vm_exit exit;

	if (call->args.flags & HV_RUN_DEADLINE) {
		if ((s64)(call->deadline - slice_end) < 0)
			slice_end = call->deadline;
		if (slice_ended(v, slice_end))
			return;
	}

	/* a kick since the last run; later ones are seen after each exit */
	for (bool go = !kicked(v); go;) {
		u32 still_halted;
		u64 entered, ran;

		vcpu_timer_check(v);
		still_halted = v->halted ? vcpu_wait(v, slice_end) : 0;
		if (still_halted) {
			if (!kicked(v)) /* a kick woke it */
				vcpu_exit_to_vmm(v, still_halted);
			break;
		}
		vcpu_timer_arm(v, slice_end);
		entered = rdtsc();
		vcpu_enter(v, &exit);
		ran = rdtsc() - entered;
		v->vm->stats.guest_tsc += ran;
		cpustats_add_guest(v->running_on, ran); /* this CPU's (hv/cpustats.h) */
		/* stopped: maybe by another CPU, which kicked this one out */
		go = exit_handle(v, &exit) && v->vm->state != VM_STOPPED && !kicked(v) &&
		     !slice_ended(v, slice_end);
	}
	arch_timer_disarm();
}

/* Runs the child of VM 0's VCPU_RUN call until its VMM must act or the
 * VM stops, and describes why in the call's exit record. */
static void vcpu_run_for_vmm(struct vmm_run_call *call)
{
	struct vcpu *v = call->child;
	struct hv_exit *out = call->out; /* cleared by the v1 call, not the page */

	v->vmm_exit = out;
	v->running_on = v->home_cpu = arch_cpu_id();
	/* a runnable vCPU waits for no SIPI: no call to learn it */
	if (v->mp_state != VCPU_MP_RUNNABLE && vcpu_waits_for_sipi(v))
		vcpu_exit_to_vmm(v, HV_EXIT_WAIT_SIPI);
	else if (complete_pending(v, &call->args) &&
		 (irq_idle(&v->irq, v->vm->lapic) || irq_run_start(v))) {
		v->vm->state = VM_RUNNING;
		vcpu_run_slice(v, call);
	}
	v->vmm_exit = NULL;
	v->running_on = VCPU_NO_CPU;
	if (v->vm->state == VM_STOPPED) {
		out->reason = v->vm->stop_kind;
		out->rip = v->regs.rip;
		if (out->reason == HV_EXIT_FAILED)
			hv_strlcpy(out->u.text, v->vm->stop_reason, sizeof(out->u.text));
	}
}

/* VM 0's vCPUs, each on its own CPU: the first one to run starts VM 0,
 * the run of each ends when VM 0 stops. */
void vcpu_run_until_stopped(struct vcpu *v)
{
	struct vm_exit exit;

	if (v->vm->state == VM_CREATED)
		v->vm->state = VM_RUNNING;
	v->running_on = v->home_cpu = arch_cpu_id();
	while (v->vm->state == VM_RUNNING) {
		vcpu_enter(v, &exit);
		if (!exit_handle(v, &exit))
			break;
		if (v->run_call.child) {
			vcpu_run_for_vmm(&v->run_call);
			hypercall_complete_run(v);
		}
	}
	v->running_on = VCPU_NO_CPU;
}
