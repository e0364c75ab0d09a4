/* vCPUs for VM 0: create, registers, and the run call that makes VM 0
 * the VMM of its children. */
#include "hv/hc.h"
#include "arch/x86/cpu.h"
#include "hv/arch.h"
#include "hv/event.h"
#include "hv/irq.h"
#include "hv/log.h"
#include "hv/tsc.h"
#include "hv/vcpu_move.h"
#include "hv/vcpu_mp.h"
#include "hv/vm0_idle.h"
#include "lib/string.h"

/* A child vCPU whose backend state this CPU may touch: taken over from
 * the CPU that used it last (hv/vcpu_move.h), -EBUSY while it runs on
 * another CPU. The start state an INIT or SIPI gave it is loaded first.
 * Neither changes what the VMM sees: decode may do both. */
static int hc_child_vcpu_here(u32 vm, u32 vcpu, struct vcpu **out)
{
	int err = hc_child_vcpu(vm, vcpu, out);

	if (!err)
		err = vcpu_claim(*out);
	if (!err)
		vcpu_start(*out);
	return err;
}

int hc_vcpu_create_decode(struct hc_ctx *c)
{
	int err = hc_decode_vm_target(c);

	if (err)
		return err;
	return c->target->vcpu_count >= c->target->vcpu_max ? -ENOSPC : 0;
}

s64 hc_vcpu_create_invoke(struct hc_ctx *c)
{
	struct vcpu *v = vm_vcpu_create(c->target);

	return v ? (s64)v->id : -ENOMEM;
}

#define SEGMENT_FIELD_MATCHES(f) \
	(__builtin_offsetof(struct segment, f) == __builtin_offsetof(struct hv_segment, f))
#define SREGS_FIELD_MATCHES(f)                        \
	(__builtin_offsetof(struct guest_sregs, f) == \
	 __builtin_offsetof(struct hv_vcpu_regs, f) - __builtin_offsetof(struct hv_vcpu_regs, cs))

_Static_assert(sizeof(struct segment) == sizeof(struct hv_segment) &&
	       SEGMENT_FIELD_MATCHES(base) && SEGMENT_FIELD_MATCHES(limit) &&
	       SEGMENT_FIELD_MATCHES(selector) && SEGMENT_FIELD_MATCHES(attr),
	       "segment layout");
_Static_assert(SREGS_FIELD_MATCHES(ldtr) && SREGS_FIELD_MATCHES(gdt_base) &&
	       SREGS_FIELD_MATCHES(idt_base) && SREGS_FIELD_MATCHES(gdt_limit) &&
	       SREGS_FIELD_MATCHES(idt_limit) && SREGS_FIELD_MATCHES(cr0) &&
	       SREGS_FIELD_MATCHES(efer) && sizeof(struct hv_vcpu_regs) ==
	       __builtin_offsetof(struct hv_vcpu_regs, cs) + sizeof(struct guest_sregs),
	       "guest_sregs layout");
_Static_assert(sizeof(((struct hv_vcpu_regs *)0)->gprs) ==
	       __builtin_offsetof(struct guest_regs, rip), "gprs order");

static void regs_to_abi(struct hv_vcpu_regs *r, struct vcpu *v)
{
	struct guest_sregs s;

	virt->get_sregs(v, &s);
	memcpy(r->gprs, &v->regs, sizeof(r->gprs));
	r->rip = v->regs.rip;
	r->rflags = v->regs.rflags;
	memcpy(&r->cs, &s, sizeof(s));
}

/* The header is read in; the registers are read here so that decode
 * can check where they go. */
int hc_vcpu_get_regs_decode(struct hc_ctx *c)
{
	struct hv_vcpu_regs *r = &c->in.hv_vcpu_regs;
	int err;

	if (r->flags)
		return -EINVAL;
	if ((err = hc_child_vcpu_here(r->vm, r->vcpu, &c->target_vcpu)))
		return err;
	r->flags = HV_REGS_GPRS | HV_REGS_SREGS;
	regs_to_abi(r, c->target_vcpu);
	return hc_check_out(c, r, sizeof(*r), HC_HEADER_SIZE);
}

/* Paging off needs a CPU that runs such guests (VMX's unrestricted
 * guest; SVM always can). */
static bool sregs_runnable(const struct hv_vcpu_regs *r)
{
	return (virt->features() & HV_BACKEND_UNRESTRICTED) ||
	       (r->cr0 & (CR0_PE | CR0_PG)) == (CR0_PE | CR0_PG);
}

int hc_vcpu_set_regs_decode(struct hc_ctx *c)
{
	const struct hv_vcpu_regs *r = &c->in.hv_vcpu_regs;
	int err;

	if (!r->flags || !flags_known(r->flags, HV_REGS_GPRS | HV_REGS_SREGS))
		return -EINVAL;
	if ((err = hc_child_vcpu_here(r->vm, r->vcpu, &c->target_vcpu)))
		return err;
	if ((r->flags & HV_REGS_SREGS) && !sregs_runnable(r)) {
		log_err("vm %s: vcpu_set_regs: this CPU lacks unrestricted guest, "
			"which a guest with paging off needs", c->vm->name);
		return -EINVAL;
	}
	return 0;
}

s64 hc_vcpu_set_regs_invoke(struct hc_ctx *c)
{
	const struct hv_vcpu_regs *r = &c->in.hv_vcpu_regs;
	struct vcpu *v = c->target_vcpu;
	struct guest_sregs s;

	vcpu_cancel_queued_event(v); /* it belonged to the old state */
	if (r->flags & HV_REGS_SREGS) {
		memcpy(&s, &r->cs, sizeof(s));
		s.gdt_limit &= 0xffff; /* 16-bit registers */
		s.idt_limit &= 0xffff;
		virt->set_sregs(v, &s); /* cannot fail: decode checked the state */
		vcpu_started_by_vmm(v);
	}
	if (r->flags & HV_REGS_GPRS) {
		memcpy(&v->regs, r->gprs, sizeof(r->gprs));
		v->regs.rip = r->rip;
		v->regs.rflags = r->rflags | 2; /* bit 1 is always set */
		/* an unanswered IN or hypercall, or an event cut short, belonged
		 * to the old RIP and RAX (as did a queued one, dropped above) */
		v->pending = VMM_PENDING_NONE;
		v->reinject = false;
	}
	return 0;
}

/* HV_RUN_MSR_GP only for a child whose VMM enabled HV_EXIT_MSR, and
 * HV_RUN_IRQ_WINDOW only for one that enabled HV_EXIT_IRQ_WINDOW: an old
 * VMM never sees either. */
static bool run_flags_allowed(u32 flags, const struct vcpu *child)
{
	u32 enabled = child->vm->exit_reasons;

	return (!(flags & HV_RUN_MSR_GP) || (enabled & BIT(HV_EXIT_MSR))) &&
	       (!(flags & HV_RUN_IRQ_WINDOW) || (enabled & BIT(HV_EXIT_IRQ_WINDOW)));
}

#define RUN_FLAGS (HV_RUN_COMPLETE | HV_RUN_MSR_GP | HV_RUN_IRQ_WINDOW | HV_RUN_DEADLINE)

int hc_vcpu_run_decode(struct hc_ctx *c)
{
	const struct hv_vcpu_run *a = &c->in.hv_vcpu_run;
	int err;

	if (!flags_known(a->flags, RUN_FLAGS))
		return -EINVAL;
	/* a caller of the 32-byte struct has no deadline to give */
	if ((a->flags & HV_RUN_DEADLINE) && a->size < HV_VCPU_RUN_SIZE_VER1)
		return -EINVAL;
	if ((err = hc_child_vcpu_here(a->vm, a->vcpu, &c->target_vcpu)))
		return err;
	if (!run_flags_allowed(a->flags, c->target_vcpu))
		return -EINVAL;
	if (c->target_vcpu->vm->state == VM_STOPPED)
		return -ESRCH;
	/* All of the record that will be written, before the child runs:
	 * an exit must never be lost to a bad buffer. */
	return check_struct_out(&c->mem, a->exit, &c->vcpu->run_call.exit,
				sizeof(struct hv_exit), HV_EXIT_MIN_SIZE, &c->len);
}

/* Records the call only: VM 0's run loop runs the child once this
 * hypercall has returned, then completes it (hc_vcpu_run_complete). */
s64 hc_vcpu_run_invoke(struct hc_ctx *c)
{
	struct vmm_run_call *r = &c->vcpu->run_call;

	r->child = c->target_vcpu;
	r->nr = HV_CALL_VCPU_RUN;
	r->args = c->in.hv_vcpu_run;
	r->child->irq.window_exit = r->args.flags & HV_RUN_IRQ_WINDOW;
	if (r->args.flags & HV_RUN_DEADLINE)
		r->deadline = vcpu_tsc_to_host(c->vcpu, r->args.deadline);
	r->args_len = c->trace_len;
	r->exit_len = c->len;
	r->exit = (struct hv_exit){ .argsz = sizeof(r->exit) };
	r->out = &r->exit;
	return 0;
}

s64 hc_vcpu_run_complete(struct hc_ctx *c)
{
	struct vmm_run_call *r = &c->vcpu->run_call;

	gmem_write(&c->mem, r->args.exit, &r->exit, r->exit_len); /* checked by decode */
	return r->exit.reason;
}

/* The run page (HV_EXT_RUN_PAGE): VM 0 registers a page of its own RAM
 * for a child vCPU, or clears it. VM 0's RAM stays VM 0's for the
 * hypervisor's lifetime, so the host pointer stays valid; it goes with
 * the vCPU when the child is destroyed. */
int hc_vcpu_run_page_set_decode(struct hc_ctx *c)
{
	const struct hv_vcpu_run_page_set *a = &c->in.hv_vcpu_run_page_set;
	int err;

	if (!flags_known(a->flags, HV_RUN_PAGE_CLEAR))
		return -EINVAL;
	if ((err = hc_child_vcpu(a->vm, a->vcpu, &c->target_vcpu)))
		return err;
	if (a->flags & HV_RUN_PAGE_CLEAR)
		return a->gpa ? -EINVAL : 0;
	if (a->gpa & (PAGE_SIZE - 1))
		return -EINVAL;
	/* VM 0's own RAM regions only: not a hole, and never a window onto
	 * a child's memory, which must not outlive the child */
	return vm_gpa_ptr(c->vm, a->gpa, PAGE_SIZE, true) ? 0 : -EFAULT;
}

/* Registering fills the page's header and clears its exit record, so the
 * VMM never reads what the page held before: the layout the hypervisor
 * writes only (HV_RUN_PAGE_SIZE_VER0), not the VMM's deadline past it. */
s64 hc_vcpu_run_page_set_invoke(struct hc_ctx *c)
{
	const struct hv_vcpu_run_page_set *a = &c->in.hv_vcpu_run_page_set;
	struct hv_run_page *p = NULL;

	if (!(a->flags & HV_RUN_PAGE_CLEAR)) {
		p = vm_gpa_ptr(c->vm, a->gpa, PAGE_SIZE, true); /* checked by decode */
		memset(p, 0, HV_RUN_PAGE_SIZE_VER0);
		p->size = HV_RUN_PAGE_SIZE_VER0;
		p->vm = a->vm;
		p->vcpu = a->vcpu;
		p->exit.argsz = sizeof(p->exit);
	}
	c->target_vcpu->run_page = p;
	return 0;
}

/* VCPU_RUN with the run page: the arguments come in registers, so nothing
 * is copied in, and decode and invoke need no more of the context than
 * the two vCPUs (the dispatcher calls them directly). */
int hc_vcpu_run_paged_decode(struct hc_ctx *c)
{
	const struct guest_regs *r = &c->vcpu->regs;
	int err;

	if ((r->rdi | r->rsi | r->rdx) >> 32 ||
	    !flags_known((u32)r->rdx, RUN_FLAGS))
		return -EINVAL;
	if ((err = hc_child_vcpu_here((u32)r->rdi, (u32)r->rsi, &c->target_vcpu)))
		return err;
	if (!run_flags_allowed((u32)r->rdx, c->target_vcpu))
		return -EINVAL;
	if (!c->target_vcpu->run_page)
		return -EINVAL;
	return c->target_vcpu->vm->state == VM_STOPPED ? -ESRCH : 0;
}

/* As hc_vcpu_run_invoke, with the page's record as the exit record and
 * its completion value read once. */
s64 hc_vcpu_run_paged_invoke(struct hc_ctx *c)
{
	struct vmm_run_call *r = &c->vcpu->run_call;
	struct hv_run_page *p = c->target_vcpu->run_page;

	r->child = c->target_vcpu;
	r->nr = HV_CALL_VCPU_RUN_PAGED;
	r->args.flags = (u32)c->vcpu->regs.rdx;
	r->child->irq.window_exit = r->args.flags & HV_RUN_IRQ_WINDOW;
	r->args.complete_value = *(volatile u64 *)&p->complete_value;
	if (r->args.flags & HV_RUN_DEADLINE)
		r->deadline = vcpu_tsc_to_host(c->vcpu, *(volatile u64 *)&p->deadline);
	r->out = &p->exit;
	return 0;
}

/* A child's vCPU; or one of the caller's own, VM 0's (the only caller),
 * which the kick only wakes from HV_CALL_VM0_IDLE (before that call
 * existed, naming VM 0 got -EPERM). */
int hc_vcpu_kick_decode(struct hc_ctx *c)
{
	const struct hv_vcpu_kick *a = &c->in.hv_vcpu_kick;

	if (a->flags || a->reserved)
		return -EINVAL;
	if (a->vm == c->vm->id) { /* VM 0: the only caller */
		if (a->vcpu >= c->vm->vcpu_count)
			return -ENOENT;
		c->target_vcpu = &c->vm->vcpus[a->vcpu];
		return 0;
	}
	return hc_child_vcpu(a->vm, a->vcpu, &c->target_vcpu);
}

/* Its CPU, if another, leaves guest mode or wakes from HLT at once; the
 * run loop sees the flag before the next entry (hv/exit.c). */
s64 hc_vcpu_kick_invoke(struct hc_ctx *c)
{
	struct vcpu *v = c->target_vcpu;

	if (v->vm->privileged) {
		vm0_idle_wake(v);
		return 0;
	}
	v->kicked = true;
	vcpu_kick_cpu(v);
	return 0;
}
