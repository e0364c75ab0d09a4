/* vCPUs for VM 0: create, registers, and the run call that makes VM 0
 * the VMM of its children. */
#include "hv/hc.h"
#include "hv/exit.h"
#include "lib/string.h"

struct vcpu_ids {
	u32 size;
	u32 flags;
	u32 vm;
	u32 vcpu;
};

s64 hc_vcpu_create(struct hc_ctx *c)
{
	struct hv_vcpu_create a;
	struct vcpu *v;
	struct vm *vm;
	int err = hc_decode_vm_target(c, &a, sizeof(a), HV_VCPU_CREATE_SIZE_VER0, &vm);

	if (err)
		return err;
	if (vm->vcpu_count >= vm->vcpu_max)
		return -ENOSPC;
	v = vm_vcpu_create(vm);
	return v ? (s64)v->id : -ENOMEM;
}

static void segment_to_abi(struct hv_segment *d, const struct segment *s)
{
	*d = (struct hv_segment){ s->base, s->limit, s->selector, s->attr };
}

static void segment_from_abi(struct segment *d, const struct hv_segment *s)
{
	*d = (struct segment){ s->selector, s->attr, s->limit, s->base };
}

/* The segment registers of both layouts, in the same order. */
#define FOR_EACH_SEGMENT(X) X(cs) X(ds) X(es) X(fs) X(gs) X(ss) X(tr) X(ldtr)

static void regs_to_abi(struct hv_vcpu_regs *r, struct vcpu *v)
{
	struct guest_sregs s;

	virt->get_sregs(v, &s);
	memcpy(r->gprs, &v->regs, sizeof(r->gprs));
	r->rip = v->regs.rip;
	r->rflags = v->regs.rflags;
#define TO_ABI(seg) segment_to_abi(&r->seg, &s.seg);
	FOR_EACH_SEGMENT(TO_ABI)
#undef TO_ABI
	r->gdt_base = s.gdt_base;
	r->gdt_limit = s.gdt_limit;
	r->idt_base = s.idt_base;
	r->idt_limit = s.idt_limit;
	r->cr0 = s.cr0, r->cr2 = s.cr2, r->cr3 = s.cr3, r->cr4 = s.cr4, r->efer = s.efer;
}

static void sregs_from_abi(struct guest_sregs *s, const struct hv_vcpu_regs *r)
{
#define FROM_ABI(seg) segment_from_abi(&s->seg, &r->seg);
	FOR_EACH_SEGMENT(FROM_ABI)
#undef FROM_ABI
	s->gdt_base = r->gdt_base;
	s->gdt_limit = r->gdt_limit;
	s->idt_base = r->idt_base;
	s->idt_limit = r->idt_limit;
	s->cr0 = r->cr0, s->cr2 = r->cr2, s->cr3 = r->cr3, s->cr4 = r->cr4, s->efer = r->efer;
}

_Static_assert(sizeof(((struct hv_vcpu_regs *)0)->gprs) ==
	       __builtin_offsetof(struct guest_regs, rip), "gprs order");

s64 hc_vcpu_get_regs(struct hc_ctx *c)
{
	struct hv_vcpu_regs r;
	struct vcpu *v;
	int err;

	memset(&r, 0, sizeof(r));
	if (!gmem_read(&c->mem, c->arg, &r, sizeof(struct vcpu_ids)))
		return -EFAULT;
	if (r.flags)
		return -EINVAL;
	if ((err = hc_child_vcpu(r.vm, r.vcpu, &v)))
		return err;
	r.flags = HV_REGS_GPRS | HV_REGS_SREGS;
	regs_to_abi(&r, v);
	return hc_copy_out(c, &r, sizeof(r), sizeof(struct vcpu_ids));
}

s64 hc_vcpu_set_regs(struct hc_ctx *c)
{
	struct hv_vcpu_regs r;
	struct guest_sregs s;
	struct vcpu *v;
	int err = hc_copy_in(c, &r, sizeof(r), HV_VCPU_REGS_SIZE_VER0);

	if (err)
		return err;
	if (!r.flags || !flags_known(r.flags, HV_REGS_GPRS | HV_REGS_SREGS))
		return -EINVAL;
	if ((err = hc_child_vcpu(r.vm, r.vcpu, &v)))
		return err;
	if (r.flags & HV_REGS_SREGS) {
		sregs_from_abi(&s, &r);
		if (virt->set_sregs(v, &s))
			return -EINVAL; /* a state this CPU cannot run (logged) */
	}
	if (r.flags & HV_REGS_GPRS) {
		memcpy(&v->regs, r.gprs, sizeof(r.gprs));
		v->regs.rip = r.rip;
		v->regs.rflags = r.rflags | 2; /* bit 1 is always set */
		/* an unanswered IN or hypercall, or an event cut short, belonged
		 * to the old RIP and RAX */
		v->pending = VMM_PENDING_NONE;
		v->reinject = false;
	}
	return 0;
}

static int decode_run(struct hc_ctx *c, struct hv_vcpu_run *a, struct vcpu **v,
		      u32 *exit_len)
{
	u32 argsz;
	int err = hc_copy_in(c, a, sizeof(*a), HV_VCPU_RUN_SIZE_VER0);

	if (err)
		return err;
	if (!flags_known(a->flags, HV_RUN_COMPLETE))
		return -EINVAL;
	if ((err = hc_child_vcpu(a->vm, a->vcpu, v)))
		return err;
	if ((*v)->vm->state == VM_STOPPED)
		return -ESRCH;
	if (read_argsz(&c->mem, a->exit, &argsz))
		return -EFAULT;
	if (argsz < HV_EXIT_MIN_SIZE)
		return -EINVAL;
	/* All of the record that will be written, before the child runs:
	 * an exit must never be lost to a bad buffer. */
	*exit_len = MIN(argsz, (u32)sizeof(struct hv_exit));
	return gmem_writable(&c->mem, a->exit, *exit_len) ? 0 : -EFAULT;
}

s64 hc_vcpu_run(struct hc_ctx *c)
{
	static struct hv_exit out;
	struct hv_vcpu_run a;
	struct vcpu *v;
	u32 exit_len;
	int err = decode_run(c, &a, &v, &exit_len);

	if (err)
		return err;
	vcpu_run_for_vmm(v, a.flags & HV_RUN_COMPLETE, a.complete_value, &out);
	out.argsz = sizeof(out);
	gmem_write(&c->mem, a.exit, &out, exit_len); /* checked by decode_run */
	return out.reason;
}
