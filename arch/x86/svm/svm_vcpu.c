/* vCPUs under SVM: one VMCB each, an ASID of the CPU it runs on, entry
 * and exit. At the
 * end, the ops table the core uses: these vCPU operations and the other
 * files' entry points, none of which comes back here. */
#include "arch/x86/apic_ipi.h"
#include "arch/x86/cpu.h"
#include "arch/x86/guest_state.h"
#include "arch/x86/msr.h"
#include "arch/x86/page_alloc.h"
#include "arch/x86/percpu.h"
#include "arch/x86/svm/svm.h"
#include "arch/x86/vendor_common.h"
#include "lib/errno.h"
#include "hv/lock.h"
#include "hv/log.h"

#define ASID_NONE 0xffffffffu /* asid_cpu of a vCPU that never ran */

static void vmcb_set_intercepts(struct vmcb_control *c)
{
	c->intercepts1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI |
			 SVM_INTERCEPT_CPUID | SVM_INTERCEPT_INVD |
			 SVM_INTERCEPT_HLT | SVM_INTERCEPT_IOIO |
			 SVM_INTERCEPT_MSR | SVM_INTERCEPT_SHUTDOWN;
	c->intercepts2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL |
			 SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE |
			 SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
			 SVM_INTERCEPT_SKINIT | SVM_INTERCEPT_XSETBV |
			 SVM_INTERCEPT_RDTSCP | SVM_INTERCEPT_MONITOR |
			 SVM_INTERCEPT_MWAIT | SVM_INTERCEPT_MWAIT_ARMED;
	c->exceptions = GUEST_EXCEPTION_EXITS;
	/* CR4 writes (the CPU takes every bit it has, CPUID offered or not)
	 * and CR0 writes (QEMU's SVM skips the architectural checks):
	 * hv/cr.c decides. */
	c->cr_write_intercepts = BIT(0) | BIT(4);
}

static void vmcb_init(struct vmcb *vmcb, struct vm *vm)
{
	struct vmcb_control *c = &vmcb->control;

	vmcb_set_intercepts(c);
	c->iopm_base_pa = (u64)svm_vm(vm)->s2.io_bitmap;
	c->msrpm_base_pa = (u64)svm_vm(vm)->msrpm;
	c->int_control = SVM_INT_CONTROL_V_INTR_MASKING;
	c->np_enable = 1;
	c->n_cr3 = svm_vm(vm)->s2.pt.root;
	vmcb->save.g_pat = GUEST_DEFAULT_PAT;
	vmcb->save.dr6 = DR6_RESET;
	vmcb->save.dr7 = DR7_RESET;
	vmcb->save.efer = EFER_SVME; /* must stay set while in guest mode */
}

static void svm_vcpu_destroy(struct vcpu *v)
{
	struct svm_vcpu *s = svm_vcpu(v);

	if (!s)
		return;
	pages_free(s->vmcb, 1);
	pages_free(s, 1);
	v->arch = NULL;
}

static int svm_vcpu_create(struct vcpu *v)
{
	struct svm_vcpu *s = pages_alloc(1);

	if (!s)
		return -ENOMEM;
	v->arch = s;
	s->vmcb = pages_alloc(1);
	if (!s->vmcb) {
		svm_vcpu_destroy(v);
		return -ENOMEM;
	}
	vmcb_init(s->vmcb, v->vm);
	s->asid_cpu = ASID_NONE; /* its first entry takes one */
	return 0;
}

static void regs_to_vmcb(const struct guest_regs *r, struct vmcb_save *save)
{
	save->rax = r->rax;
	save->rsp = r->rsp;
	save->rip = r->rip;
	save->rflags = r->rflags;
}

static void regs_from_vmcb(struct guest_regs *r, const struct vmcb_save *save)
{
	r->rax = save->rax;
	r->rsp = save->rsp;
	r->rip = save->rip;
	r->rflags = save->rflags;
}

/* ASIDs are handed out per CPU: a vCPU takes a fresh one of this CPU's
 * on its first entry here after running elsewhere, when stage-2
 * permissions of its VM shrank since it last ran (entries of its old
 * one are never used again), or when this CPU's ran out since (it then
 * flushes its whole TLB and starts a new generation: flush-by-ASID is
 * not always available). So the TLB entries of an ASID of this CPU's
 * generation are those of the one vCPU that holds it, and a CPU has as
 * many vCPUs as it likes, whatever the CPU's ASID count. Nothing else
 * of a vCPU stays on a CPU it left (hv/vcpu_move.h): the VMCB clean
 * bits are never set, so each VMRUN loads the whole VMCB, and VMSAVE
 * keeps the guest's FS/GS/syscall MSRs in it. */
static void sync_asid(struct svm_vcpu *s, struct svm_vm *svm, struct percpu *pc)
{
	if (s->asid_cpu == pc->cpu_id && s->asid_gen == pc->asid_gen &&
	    s->tlb_gen_seen == svm->tlb_gen)
		return;
	if (!pc->asid_next || pc->asid_next >= svm_cpu.nasids) { /* 0 is the host's */
		pc->asid_gen++;
		pc->asid_next = 1;
		s->vmcb->control.tlb_control = SVM_TLB_FLUSH_ALL;
	}
	s->vmcb->control.asid = pc->asid_next++;
	s->asid_cpu = pc->cpu_id;
	s->asid_gen = pc->asid_gen;
	s->tlb_gen_seen = svm->tlb_gen;
}

/* The entry injects an interrupt, whose exit must come right after it on
 * QEMU's TCG (svm.c): a self-IPI, taken as an INTR exit once VMRUN set
 * GIF and delivered the event. */
static void exit_after_interrupt_injection(const struct vmcb *vmcb, const struct percpu *pc)
{
	u32 info = (u32)vmcb->control.event_inject;

	if (svm_cpu.interrupt_entry_exits && (info & EVENT_INFO_VALID) &&
	    event_info_type(info) == EVENT_EXTERNAL)
		apic_send_fixed(pc->apic_id, KICK_VECTOR);
}

/* VMRUN loads the guest's CR2 from the VMCB, except on Bochs 2.7, whose
 * guest keeps the host's CR2 (a #PF injected with its address set would
 * show a stale one). Holding the register at the VMCB's value serves both;
 * after an exit they already agree, so this is usually one read. */
static void svm_vcpu_run(struct vcpu *v, struct vm_exit *exit)
{
	struct svm_vcpu *s = svm_vcpu(v);
	struct percpu *pc = this_cpu();

	sync_asid(s, svm_vm(v->vm), pc);
	guest_state_load(v);
	if (v->regs.rip != s->vmcb->save.rip) /* the core stepped past the shadow */
		s->vmcb->control.int_state &= ~(u64)SVM_INT_STATE_SHADOW;
	regs_to_vmcb(&v->regs, &s->vmcb->save);
	load_cr2(s->vmcb->save.cr2);
	/* IF=1 with GIF=0: a host interrupt during the guest exits (INTR)
	 * and is taken right after STGI. hv_lock is not held in guest mode
	 * (hv/lock.h). */
	asm volatile("clgi; sti" ::: "memory");
	exit_after_interrupt_injection(s->vmcb, pc);
	pc->in_guest = true;
	hv_lock_release();
	svm_enter_guest((u64)s->vmcb, (u64)pc->host_vmcb, &v->regs);
	pc->guest_exits++;
	pc->in_guest = false;
	hv_lock_acquire();
	asm volatile("stgi; cli" ::: "memory");
	regs_from_vmcb(&v->regs, &s->vmcb->save);
	s->vmcb->control.tlb_control = 0;
	svm_decode_exit(v, exit);
	if (exit->reason == EXIT_NMI_WINDOW)
		svm_iret_exit(v);
}

/* The VMCB's segment in slot `slot` (order of guest_sregs_slot()). */
static const u16 vmcb_seg_offsets[GUEST_SEG_SLOTS] = {
	offsetof(struct vmcb_save, es), offsetof(struct vmcb_save, cs),
	offsetof(struct vmcb_save, ss), offsetof(struct vmcb_save, ds),
	offsetof(struct vmcb_save, fs), offsetof(struct vmcb_save, gs),
	offsetof(struct vmcb_save, ldtr), offsetof(struct vmcb_save, tr),
};

static struct vmcb_seg *vmcb_segment(struct vmcb_save *save, u32 slot)
{
	return (struct vmcb_seg *)((u8 *)save + vmcb_seg_offsets[slot]);
}

static void seg_to_vmcb(struct vmcb_seg *d, const struct segment *s)
{
	d->selector = s->selector;
	d->attrib = s->attr;
	d->limit = s->limit;
	d->base = s->base;
}

static void seg_from_vmcb(struct segment *d, const struct vmcb_seg *s)
{
	d->selector = s->selector;
	d->attr = s->attrib;
	d->limit = s->limit;
	d->base = s->base;
}

static void svm_cancel_event(struct vcpu *v)
{
	svm_vcpu(v)->vmcb->control.event_inject = 0;
}

static int svm_set_sregs(struct vcpu *v, const struct guest_sregs *s)
{
	struct vmcb_save *save = &svm_vcpu(v)->vmcb->save;


	for (u32 i = 0; i < GUEST_SEG_SLOTS; i++)
		seg_to_vmcb(vmcb_segment(save, i), guest_sregs_slot((struct guest_sregs *)s, i));
	save->gdtr = (struct vmcb_seg){ .base = s->gdt_base, .limit = s->gdt_limit };
	save->idtr = (struct vmcb_seg){ .base = s->idt_base, .limit = s->idt_limit };
	save->cpl = (s->ss.attr >> 5) & 3;
	save->cr0 = s->cr0;
	save->cr2 = s->cr2;
	save->cr3 = s->cr3;
	save->cr4 = s->cr4;
	save->efer = s->efer | EFER_SVME;
	/* paging state may have changed under the guest's TLB entries */
	svm_vcpu(v)->vmcb->control.tlb_control = SVM_TLB_FLUSH_ALL;
	return 0;
}

static void svm_get_fetch_sregs(struct vcpu *v, struct guest_sregs *s)
{
	struct vmcb_save *save = &svm_vcpu(v)->vmcb->save;

	s->cs.base = save->cs.base;
	s->cs.attr = save->cs.attrib;
	s->ss.attr = save->ss.attrib;
	s->cr0 = save->cr0;
	s->cr3 = save->cr3;
	s->cr4 = save->cr4;
	s->efer = save->efer & ~EFER_SVME; /* the guest's own view */
}

/* The fetch subset, then the rest. */
static void svm_get_sregs(struct vcpu *v, struct guest_sregs *s)
{
	struct vmcb_save *save = &svm_vcpu(v)->vmcb->save;

	svm_get_fetch_sregs(v, s);
	for (u32 i = 0; i < GUEST_SEG_SLOTS; i++)
		seg_from_vmcb(guest_sregs_slot(s, i), vmcb_segment(save, i));
	s->gdt_base = save->gdtr.base;
	s->gdt_limit = save->gdtr.limit;
	s->idt_base = save->idtr.base;
	s->idt_limit = save->idtr.limit;
	s->cr2 = save->cr2;
}

/* The VMCB keeps the CPL the guest runs at. */
static u8 svm_guest_cpl(struct vcpu *v)
{
	return svm_vcpu(v)->vmcb->save.cpl & 3;
}

static u64 svm_guest_cr0(struct vcpu *v)
{
	return svm_vcpu(v)->vmcb->save.cr0;
}

static u64 svm_guest_cr4(struct vcpu *v)
{
	return svm_vcpu(v)->vmcb->save.cr4;
}

static u64 svm_get_msr(struct vcpu *v, u32 index)
{
	const struct vmcb_save *save = &svm_vcpu(v)->vmcb->save;

	return index == MSR_EFER ? save->efer & ~EFER_SVME : save->g_pat;
}

static void svm_set_msr(struct vcpu *v, u32 index, u64 value)
{
	struct vmcb_save *save = &svm_vcpu(v)->vmcb->save;

	if (index == MSR_EFER)
		save->efer = value | EFER_SVME;
	else
		save->g_pat = value;
}

static void svm_debug_trap(struct vcpu *v, u64 dr6_bits)
{
	struct vmcb_save *save = &svm_vcpu(v)->vmcb->save;

	save->dr6 = dr6_after_trap(save->dr6, dr6_bits);
}

static void svm_set_tsc_offset(struct vcpu *v, u64 offset)
{
	svm_vcpu(v)->vmcb->control.tsc_offset = offset;
}

static void svm_inject_event(struct vcpu *v, const struct event *e)
{
	svm_vcpu(v)->vmcb->control.event_inject = event_info_encode(e) |
						  (e->has_error ? (u64)e->error << 32 : 0);
	svm_irq_injected(v, e);
}

static void svm_dump(struct vcpu *v)
{
	const struct vmcb *vmcb = svm_vcpu(v)->vmcb;

	if ((u32)vmcb->control.exit_code == (u32)SVM_EXIT_INVALID)
		log_err("svm: VMRUN refused the guest state (VMEXIT_INVALID)");
	log_err("svm: exit 0x%llx info1 0x%llx info2 0x%llx intinfo 0x%llx",
		(unsigned long long)vmcb->control.exit_code,
		(unsigned long long)vmcb->control.exit_info1,
		(unsigned long long)vmcb->control.exit_info2,
		(unsigned long long)vmcb->control.exit_int_info);
	log_err("svm: rip 0x%llx rsp 0x%llx rflags 0x%llx cr0 0x%llx cr3 0x%llx "
		"cr4 0x%llx efer 0x%llx cs %04x/%03x",
		(unsigned long long)vmcb->save.rip, (unsigned long long)vmcb->save.rsp,
		(unsigned long long)vmcb->save.rflags, (unsigned long long)vmcb->save.cr0,
		(unsigned long long)vmcb->save.cr3, (unsigned long long)vmcb->save.cr4,
		(unsigned long long)vmcb->save.efer, vmcb->save.cs.selector,
		vmcb->save.cs.attrib);
}

/* The backend as the core sees it. */
const struct virt_ops svm_ops = {
	.features = svm_features,
	.name = "svm",
	.cpu_enable = svm_cpu_enable,
	.vm_init = svm_vm_init,
	.vm_destroy = svm_vm_destroy,
	.vcpu_create = svm_vcpu_create,
	.vcpu_destroy = svm_vcpu_destroy,
	.vcpu_run = svm_vcpu_run,
	.get_sregs = svm_get_sregs,
	.get_fetch_sregs = svm_get_fetch_sregs,
	.set_sregs = svm_set_sregs,
	.guest_cpl = svm_guest_cpl,
	.guest_cr0 = svm_guest_cr0,
	.guest_cr4 = svm_guest_cr4,
	.get_msr = svm_get_msr,
	.set_msr = svm_set_msr,
	.debug_trap = svm_debug_trap,
	.inject_event = svm_inject_event,
	.cancel_event = svm_cancel_event,
	.interrupt_allowed = svm_interrupt_allowed,
	.nmi_allowed = svm_nmi_allowed,
	.set_irq_window = svm_set_irq_window,
	.set_nmi_window = svm_set_nmi_window,
	.dump = svm_dump,
	.set_tsc_offset = svm_set_tsc_offset,
};
