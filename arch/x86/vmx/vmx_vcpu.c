/* vCPUs under VMX: one VMCS each (controls from the capability MSRs,
 * host state of this CPU), a VPID each, entry and exit. At the end, the
 * ops table the core uses: these vCPU operations and the other files'
 * entry points, none of which comes back here. */
#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/guest_state.h"
#include "arch/x86/msr.h"
#include "arch/x86/page_alloc.h"
#include "arch/x86/percpu.h"
#include "arch/x86/tsc.h"
#include "arch/x86/vendor_common.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_ctls.h"
#include "hv/arch.h"
#include "lib/errno.h"
#include "hv/lock.h"
#include "hv/log.h"

#define VPID_MAX 4096
#define AR_UNUSABLE BIT(16)
#define INTERRUPTIBILITY_STI_MOVSS 3
#define INTERRUPTIBILITY_NMI BIT(3)
#define SEG_ATTR_P BIT(7)

extern const u8 vmx_exit_stub[];

static u8 vpid_used[VPID_MAX / 8];

/* Drops this CPU's translations tagged with the VPID. */
static void invvpid_here(u16 id)
{
	struct {
		u64 vpid, linear;
	} desc = { id, 0 };

	if (vmx_cpu.invvpid_type)
		asm volatile("invvpid %0, %1" : : "m"(desc), "r"(vmx_cpu.invvpid_type)
			     : "cc", "memory");
}

/* Makes the vCPU's VMCS the current one of this CPU for VMREAD/VMWRITE.
 * A VMCS is active on one CPU at a time (SDM 24.1): the core has the
 * CPU that used it last release it (vmx_vcpu_release, hv/vcpu_move.h)
 * before another loads it. */
static void vmcs_load(struct vmx_vcpu *x)
{
	struct percpu *pc = this_cpu();
	u64 pa = (u64)x->vmcs;

	if (pc->current_vmcs == x->vmcs)
		return;
	asm volatile("vmptrld %0" : : "m"(pa) : "cc", "memory");
	pc->current_vmcs = x->vmcs;
}

static void vmcs_clear(void *vmcs)
{
	u64 pa = (u64)vmcs;

	asm volatile("vmclear %0" : : "m"(pa) : "cc", "memory");
	if (this_cpu()->current_vmcs == vmcs)
		this_cpu()->current_vmcs = NULL;
}

/* Fields that start at zero: no MSR lists, CR3 targets or pending event,
 * an active guest with nothing blocked and no SYSENTER on either side. */
static const u32 zeroed_fields[] = {
	VMCS_CR3_TARGET_COUNT, VMCS_EXIT_MSR_STORE_COUNT, VMCS_EXIT_MSR_LOAD_COUNT,
	VMCS_ENTRY_MSR_LOAD_COUNT, VMCS_ENTRY_INTR_INFO, VMCS_GUEST_DEBUGCTL,
	VMCS_GUEST_ACTIVITY, VMCS_GUEST_INTERRUPTIBILITY, VMCS_GUEST_PENDING_DBG,
	VMCS_GUEST_SYSENTER_CS, VMCS_GUEST_SYSENTER_ESP, VMCS_GUEST_SYSENTER_EIP,
	VMCS_HOST_SYSENTER_CS, VMCS_HOST_SYSENTER_ESP, VMCS_HOST_SYSENTER_EIP,
};

/* The host selector fields in their VMCS order ES, CS, SS, DS, FS, GS,
 * TR: FS and GS null, their bases come from the MSRs. */
static const u16 host_selectors[] = {
	GDT_SEL_DATA, GDT_SEL_CODE, GDT_SEL_DATA, GDT_SEL_DATA, 0, 0, GDT_SEL_TSS,
};

static void setup_host_state(void)
{
	struct percpu *pc = this_cpu();
	struct desc_ptr idtr;

	asm volatile("sidt %0" : "=m"(idtr));
	vmwrite(VMCS_HOST_CR0, read_cr0());
	vmwrite(VMCS_HOST_CR3, read_cr3());
	vmwrite(VMCS_HOST_CR4, read_cr4());
	for (u32 i = 0; i < ARRAY_SIZE(host_selectors); i++)
		vmwrite(VMCS_HOST_ES_SEL + 2 * i, host_selectors[i]);
	vmwrite(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmwrite(VMCS_HOST_GS_BASE, (u64)pc);
	vmwrite(VMCS_HOST_TR_BASE, (u64)&pc->tss);
	vmwrite(VMCS_HOST_GDTR_BASE, (u64)pc->gdt);
	vmwrite(VMCS_HOST_IDTR_BASE, idtr.base);
	vmwrite(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	if (vmx_cpu.exit & EXIT_LOAD_PAT)
		vmwrite(VMCS_HOST_PAT, rdmsr(MSR_PAT));
	vmwrite(VMCS_HOST_RIP, (u64)vmx_exit_stub);
}

static void setup_controls(struct vm *vm, struct vmx_vcpu *x)
{
	struct vmx_vm *xv = vm->arch;

	x->preempt = !vm->privileged && (vmx_cpu.pin & PIN_PREEMPTION_TIMER);
	vmwrite(VMCS_PIN_CTLS, x->preempt ? vmx_cpu.pin : vmx_cpu.pin & ~PIN_PREEMPTION_TIMER);
	vmwrite(VMCS_PROC_CTLS, vmx_cpu.proc);
	vmwrite(VMCS_PROC_CTLS2, vmx_cpu.proc2 & ~(x->vpid ? 0 : PROC2_VPID));
	vmwrite(VMCS_EXIT_CTLS, vmx_cpu.exit);
	vmwrite(VMCS_ENTRY_CTLS, vmx_cpu.entry);
	vmwrite(VMCS_EXCEPTION_BITMAP, GUEST_EXCEPTION_EXITS);
	vmwrite(VMCS_IO_BITMAP_A, (u64)xv->s2.io_bitmap);
	vmwrite(VMCS_IO_BITMAP_B, (u64)xv->s2.io_bitmap + PAGE_SIZE);
	vmwrite(VMCS_MSR_BITMAP, (u64)xv->msr_bitmap);
	vmwrite(VMCS_EPT_POINTER, xv->eptp);
	if (x->vpid)
		vmwrite(VMCS_VPID, x->vpid);
	vmwrite(VMCS_LINK_POINTER, ~0ULL);
}

static void setup_fixed_values(void)
{
	for (u32 i = 0; i < ARRAY_SIZE(zeroed_fields); i++)
		vmwrite(zeroed_fields[i], 0);
	vmwrite(VMCS_GUEST_DR7, DR7_RESET);
	vmwrite(VMCS_GUEST_PAT, GUEST_DEFAULT_PAT);
}

/* One allocation: the vCPU's state in the first page, its VMCS in the
 * second. */
#define VCPU_PAGES 2

static int vmx_vcpu_create(struct vcpu *v)
{
	struct vmx_vcpu *x = pages_alloc(VCPU_PAGES);

	_Static_assert(sizeof(*x) <= PAGE_SIZE, "vmx_vcpu fits a page");
	if (!x)
		return -ENOMEM;
	x->vmcs = (u8 *)x + PAGE_SIZE;
	*(u32 *)x->vmcs = vmx_cpu.revision;
	x->vpid = vmx_cpu.vpid ? tag_alloc(vpid_used, VPID_MAX) : 0;
	vmcs_clear(x->vmcs);
	vmcs_load(x);
	setup_controls(v->vm, x);
	x->host_cpu = VCPU_NO_CPU; /* its first entry sets the host state */
	setup_fixed_values();
	v->arch = x;
	return 0;
}

static void vmx_vcpu_destroy(struct vcpu *v)
{
	struct vmx_vcpu *x = v->arch;

	if (!x)
		return;
	vmcs_clear(x->vmcs); /* the core took it over on this CPU first */
	if (x->vpid) {
		invvpid_here(x->vpid); /* every other CPU flushes as it enters */
		tag_free(vpid_used, x->vpid);
	}
	pages_free(x, VCPU_PAGES);
	v->arch = NULL;
}

/* Our segment attributes keep AVL/L/DB/G in bits 8-11; VMX wants them in
 * 12-15, and marks a null segment unusable. */
static u32 attr_to_ar(u16 attr)
{
	if (!(attr & SEG_ATTR_P))
		return AR_UNUSABLE;
	return (attr & 0xff) | ((u32)(attr & 0xf00) << 4);
}

static u16 ar_to_attr(u32 ar)
{
	if (ar & AR_UNUSABLE)
		return 0;
	return (ar & 0xff) | ((ar >> 4) & 0xf00);
}

static void write_segment(u32 i, const struct segment *s)
{
	vmwrite(VMCS_GUEST_ES_SEL + 2 * i, s->selector);
	vmwrite(VMCS_GUEST_ES_LIMIT + 2 * i, s->limit);
	vmwrite(VMCS_GUEST_ES_AR + 2 * i, attr_to_ar(s->attr));
	vmwrite(VMCS_GUEST_ES_BASE + 2 * i, s->base);
}

static void read_segment(u32 i, struct segment *s)
{
	s->selector = vmread(VMCS_GUEST_ES_SEL + 2 * i);
	s->limit = vmread(VMCS_GUEST_ES_LIMIT + 2 * i);
	s->attr = ar_to_attr(vmread(VMCS_GUEST_ES_AR + 2 * i));
	s->base = vmread(VMCS_GUEST_ES_BASE + 2 * i);
}

/* CR0 and CR4 as the CPU must run them (fixed bits), with the guest's own
 * values in the read shadows of the host-owned bits. */
static void write_control_registers(const struct guest_sregs *s)
{
	vmwrite(VMCS_GUEST_CR0, vmx_apply_fixed(s->cr0, vmx_cpu.guest_cr0_fixed0,
						vmx_cpu.cr0_fixed1));
	vmwrite(VMCS_CR0_MASK, vmx_cpu.cr0_owned);
	vmwrite(VMCS_CR0_SHADOW, s->cr0);
	vmwrite(VMCS_GUEST_CR4, vmx_apply_fixed(s->cr4, vmx_cpu.cr4_fixed0, vmx_cpu.cr4_fixed1));
	vmwrite(VMCS_CR4_MASK, vmx_cpu.cr4_owned);
	vmwrite(VMCS_CR4_SHADOW, s->cr4);
	vmwrite(VMCS_GUEST_CR3, s->cr3);
}

static void vmx_cancel_event(struct vcpu *v)
{
	vmcs_load(v->arch);
	vmwrite(VMCS_ENTRY_INTR_INFO, 0);
}

static int vmx_set_sregs(struct vcpu *v, const struct guest_sregs *s)
{
	struct vmx_vcpu *x = v->arch;
	bool long_mode = s->efer & EFER_LMA;

	if (!vmx_cpu.unrestricted && (s->cr0 & (CR0_PE | CR0_PG)) != (CR0_PE | CR0_PG)) {
		log_err("vmx: this CPU lacks unrestricted guest, which a guest "
			"entering with paging off needs");
		return -EOPNOTSUPP;
	}
	vmcs_load(x);
	for (u32 i = 0; i < GUEST_SEG_SLOTS; i++)
		write_segment(i, guest_sregs_slot((struct guest_sregs *)s, i));
	vmwrite(VMCS_GUEST_GDTR_BASE, s->gdt_base);
	vmwrite(VMCS_GUEST_GDTR_LIMIT, s->gdt_limit);
	vmwrite(VMCS_GUEST_IDTR_BASE, s->idt_base);
	vmwrite(VMCS_GUEST_IDTR_LIMIT, s->idt_limit);
	write_control_registers(s);
	x->cr2 = s->cr2;
	vmwrite(VMCS_GUEST_EFER, s->efer);
	vmwrite(VMCS_ENTRY_CTLS, (vmx_cpu.entry & ~ENTRY_IA32E_GUEST) |
				 (long_mode ? ENTRY_IA32E_GUEST : 0));
	return 0;
}

/* A control register as the guest sees it: the host-owned bits from the
 * read shadow. */
static u64 guest_view(struct vcpu *v, u64 actual, u64 owned, u64 shadow)
{
	vmcs_load(v->arch);
	return (vmread(actual) & ~owned) | (vmread(shadow) & owned);
}

static u64 vmx_guest_cr0(struct vcpu *v)
{
	return guest_view(v, VMCS_GUEST_CR0, vmx_cpu.cr0_owned, VMCS_CR0_SHADOW);
}

static u64 vmx_guest_cr4(struct vcpu *v)
{
	return guest_view(v, VMCS_GUEST_CR4, vmx_cpu.cr4_owned, VMCS_CR4_SHADOW);
}

static void vmx_get_fetch_sregs(struct vcpu *v, struct guest_sregs *s)
{
	s->cr0 = vmx_guest_cr0(v); /* loads the VMCS */
	s->cr4 = vmx_guest_cr4(v);
	s->cs.base = vmread(VMCS_GUEST_ES_BASE + 2 * SEG_CS);
	s->cs.attr = ar_to_attr(vmread(VMCS_GUEST_ES_AR + 2 * SEG_CS));
	s->ss.attr = ar_to_attr(vmread(VMCS_GUEST_ES_AR + 2 * SEG_SS));
	s->cr3 = vmread(VMCS_GUEST_CR3);
	s->efer = vmread(VMCS_GUEST_EFER);
}

/* The fetch subset, then the rest. */
static void vmx_get_sregs(struct vcpu *v, struct guest_sregs *s)
{
	vmx_get_fetch_sregs(v, s); /* loads the VMCS */
	for (u32 i = 0; i < GUEST_SEG_SLOTS; i++)
		read_segment(i, guest_sregs_slot(s, i));
	s->gdt_base = vmread(VMCS_GUEST_GDTR_BASE);
	s->gdt_limit = vmread(VMCS_GUEST_GDTR_LIMIT);
	s->idt_base = vmread(VMCS_GUEST_IDTR_BASE);
	s->idt_limit = vmread(VMCS_GUEST_IDTR_LIMIT);
	s->cr2 = ((struct vmx_vcpu *)v->arch)->cr2;
}

/* Under VMX the CPL is SS.DPL (SDM 27.3.4, "Saving ... segment registers"). */
static u8 vmx_guest_cpl(struct vcpu *v)
{
	vmcs_load(v->arch);
	return (vmread(VMCS_GUEST_ES_AR + 2 * SEG_SS) >> 5) & 3;
}

/* Software events need the instruction length: the CPU pushes the RIP
 * after the instruction. */
static void vmx_inject_event(struct vcpu *v, const struct event *e)
{
	vmcs_load(v->arch);
	vmwrite(VMCS_ENTRY_INTR_INFO, event_info_encode(e));
	if (e->has_error)
		vmwrite(VMCS_ENTRY_EXCEPTION_ERROR, e->error);
	if (e->type >= EVENT_SOFTWARE_INT)
		vmwrite(VMCS_ENTRY_INSN_LEN, e->insn_len);
}

/* EFER and PAT live in the VMCS (loaded and saved by entry and exit);
 * EFER.LMA never changes by WRMSR, so the IA-32e mode control stands. */
static u32 msr_field(u32 index)
{
	return index == MSR_EFER ? VMCS_GUEST_EFER : VMCS_GUEST_PAT;
}

static u64 vmx_get_msr(struct vcpu *v, u32 index)
{
	vmcs_load(v->arch);
	return vmread(msr_field(index));
}

static void vmx_set_msr(struct vcpu *v, u32 index, u64 value)
{
	vmcs_load(v->arch);
	vmwrite(msr_field(index), value);
}

/* The guest's interruptibility state at its RIP now: blocking by STI or
 * MOV SS covers one instruction, gone once the core stepped over the
 * exiting one. */
static u32 interruptibility(struct vcpu *v)
{
	struct vmx_vcpu *x = v->arch;
	u32 intr;

	vmcs_load(x);
	intr = vmread(VMCS_GUEST_INTERRUPTIBILITY);
	if (x->launched && v->regs.rip != x->exit_rip)
		intr &= ~(u32)INTERRUPTIBILITY_STI_MOVSS;
	return intr;
}

static bool vmx_interrupt_allowed(struct vcpu *v)
{
	return (v->regs.rflags & RFLAGS_IF) && !(interruptibility(v) & INTERRUPTIBILITY_STI_MOVSS);
}

/* Some CPUs refuse an NMI in an STI shadow too (SDM 26.3.1.5). */
static bool vmx_nmi_allowed(struct vcpu *v)
{
	return !(interruptibility(v) & (INTERRUPTIBILITY_STI_MOVSS | INTERRUPTIBILITY_NMI));
}

static void set_proc_control(struct vcpu *v, u32 bit, bool on)
{
	u32 proc;

	vmcs_load(v->arch);
	proc = vmread(VMCS_PROC_CTLS);
	vmwrite(VMCS_PROC_CTLS, on ? proc | bit : proc & ~bit);
}

static void vmx_set_irq_window(struct vcpu *v, bool on)
{
	set_proc_control(v, PROC_INTR_WINDOW, on);
}

/* Without virtual NMIs there is no NMI-window exit: a blocked NMI then
 * waits for the next exit of any kind (at the latest the time slice's). */
static void vmx_set_nmi_window(struct vcpu *v, bool on)
{
	if (vmx_cpu.proc_windows & PROC_NMI_WINDOW)
		set_proc_control(v, PROC_NMI_WINDOW, on);
}

/* The VMCS's state stands until the core steps past the exiting
 * instruction; only a shadow it still shows then is written away. */
static void prepare_interruptibility(struct vcpu *v, struct vmx_vcpu *x)
{
	u32 intr;

	if (!x->launched || v->regs.rip == x->exit_rip)
		return;
	intr = vmread(VMCS_GUEST_INTERRUPTIBILITY);
	if (intr & INTERRUPTIBILITY_STI_MOVSS)
		vmwrite(VMCS_GUEST_INTERRUPTIBILITY, intr & ~(u32)INTERRUPTIBILITY_STI_MOVSS);
}

/* VMCLEAR here (the VMCS's data back in memory, not current here any
 * more), so that another CPU may load it; its next entry is a launch
 * again. A shadow the core stepped past goes first: without `launched`
 * that entry would keep it. */
static void vmx_vcpu_release(struct vcpu *v)
{
	struct vmx_vcpu *x = v->arch;

	vmcs_load(x);
	prepare_interruptibility(v, x);
	vmcs_clear(x->vmcs);
	x->launched = false;
}

/* A child's host timer (its slice's end or its LAPIC timer) armed as the
 * VMX-preemption timer too, which ends the guest's run whatever its IF:
 * Bochs takes no external interrupt out of a guest with IF clear, so a
 * child spinning with interrupts off would keep the CPU for good. */
static void arm_preemption_timer(void)
{
	u64 at = arch_timer_armed_at(), now = rdtsc(), ticks = 0xffffffffULL;

	if (at)
		ticks = at > now ? (at - now) >> vmx_cpu.timer_rate : 0;
	vmwrite(VMCS_PREEMPTION_TIMER, ticks < 0xffffffffULL ? ticks : 0xffffffffULL);
}

/* The first entry on this CPU (of the vCPU, or since it ran on another):
 * the host state is this CPU's, and what this CPU may still cache for
 * its VPID and its VM's EPT from before (an INVLPG or INVEPT elsewhere,
 * a VPID given anew) goes. */
static __attribute__((noinline, cold)) void moved_here(struct vcpu *v, struct vmx_vcpu *x,
							  u32 cpu)
{
	setup_host_state();
	if (x->vpid)
		invvpid_here(x->vpid);
	vmx_invept_here(v->vm->arch);
	x->ept_gen_seen = ((struct vmx_vm *)v->vm->arch)->ept_gen; /* flushed with it */
	x->host_cpu = cpu;
}

static void vmx_vcpu_run(struct vcpu *v, struct vm_exit *exit)
{
	struct vmx_vcpu *x = v->arch;
	struct percpu *pc = this_cpu();
	int failed;

	vmcs_load(x);
	if (x->host_cpu != pc->cpu_id)
		moved_here(v, x, pc->cpu_id);
	if (x->ept_gen_seen != ((struct vmx_vm *)v->vm->arch)->ept_gen) {
		vmx_invept_here(v->vm->arch); /* changed on another CPU */
		x->ept_gen_seen = ((struct vmx_vm *)v->vm->arch)->ept_gen;
	}
	guest_state_load(v);
	prepare_interruptibility(v, x);
	vmwrite(VMCS_GUEST_RSP, v->regs.rsp);
	vmwrite(VMCS_GUEST_RIP, v->regs.rip);
	vmwrite(VMCS_GUEST_RFLAGS, v->regs.rflags);
	load_cr2(x->cr2);
	if (x->preempt)
		arm_preemption_timer();
	pc->in_guest = true;
	hv_lock_release(); /* not held in guest mode (hv/lock.h) */
	failed = vmx_enter_guest(&v->regs, x->launched);
	x->cr2 = read_cr2();
	pc->guest_exits++;
	pc->in_guest = false;
	hv_lock_acquire();
	if (failed) {
		x->insn_error = vmread(VMCS_INSN_ERROR);
		*exit = (struct vm_exit){ .reason = EXIT_ENTRY_FAILED, .hw_code = x->insn_error };
		return;
	}
	x->launched = true;
	v->regs.rsp = vmread(VMCS_GUEST_RSP);
	v->regs.rip = vmread(VMCS_GUEST_RIP);
	v->regs.rflags = vmread(VMCS_GUEST_RFLAGS);
	x->exit_rip = v->regs.rip;
	vmx_decode_exit(v, exit);
}

static void vmx_set_tsc_offset(struct vcpu *v, u64 offset)
{
	vmcs_load(v->arch);
	vmwrite(VMCS_TSC_OFFSET, offset);
}

/* The backend as the core sees it. */
const struct virt_ops vmx_ops = {
	.features = vmx_features,
	.name = "vmx",
	.cpu_enable = vmx_cpu_enable,
	.vm_init = vmx_vm_init,
	.vm_destroy = vmx_vm_destroy,
	.vcpu_create = vmx_vcpu_create,
	.vcpu_destroy = vmx_vcpu_destroy,
	.vcpu_release = vmx_vcpu_release,
	.vcpu_run = vmx_vcpu_run,
	.get_sregs = vmx_get_sregs,
	.get_fetch_sregs = vmx_get_fetch_sregs,
	.set_sregs = vmx_set_sregs,
	.guest_cpl = vmx_guest_cpl,
	.guest_cr0 = vmx_guest_cr0,
	.guest_cr4 = vmx_guest_cr4,
	.get_msr = vmx_get_msr,
	.set_msr = vmx_set_msr,
	.debug_trap = guest_state_debug_trap, /* DR6 stays in the CPU */
	.inject_event = vmx_inject_event,
	.cancel_event = vmx_cancel_event,
	.interrupt_allowed = vmx_interrupt_allowed,
	.nmi_allowed = vmx_nmi_allowed,
	.set_irq_window = vmx_set_irq_window,
	.set_nmi_window = vmx_set_nmi_window,
	.dump = vmx_dump,
	.set_tsc_offset = vmx_set_tsc_offset,
};
