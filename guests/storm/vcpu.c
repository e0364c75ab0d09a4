/* The calls on vCPUs: create, set registers (a program's start, or a
 * state the CPU may refuse), load a program into a child, and run. A run
 * must end the way the program can end, with an exit record that says
 * so; a run that fails must not have run the child. */
#include "guests/storm/storm.h"
#include "lib/string.h"

/* How much of an exit record must have come back to see a field. */
#define IO_RECORD_END (__builtin_offsetof(struct hv_exit, u.io.value) + 8)
#define FAULT_GPA_END (__builtin_offsetof(struct hv_exit, u.fault.gpa) + 8)
#define REASON_END (__builtin_offsetof(struct hv_exit, reason) + 4)

void storm_vcpu_create(void)
{
	struct hv_vcpu_create a = { 0, mostly_zero(), pick_vm(), mostly_zero() };
	struct sized s;
	struct hc c = { .nr = HV_CALL_VCPU_CREATE };
	s64 before = free_known();
	struct mvm *m = vm_find(a.vm);
	outcomes e;

	sized_put(&s, &a, sizeof(a), HV_VCPU_CREATE_SIZE_VER0);
	e = target_fields((const struct hv_vm_destroy *)&a);
	if (!e && m->vcpus >= m->vcpu_max)
		e = E(ENOSPC);
	c.rdi = s.gpa;
	c.allow = sized_allow(&s, e ? e : OK | E(ENOMEM));
	sized_snapshot(&s, sizeof(a));
	issue(&c);
	sized_check(&s, &c, sizeof(a));
	free_after(&c, before);
	if (c.ret < 0 || !in_set(c.allow, c.ret))
		return;
	if (c.ret != m->vcpus)
		unexpected(&c, "vcpu_create returned %ld, want %u", c.ret, m->vcpus);
	m->vcpu[m->vcpus++] = (struct mvcpu){ 0 };
}

/* ---- vCPU registers ----------------------------------------------------- */

/* Changes one thing a CPU may refuse or trip over; true when that was
 * segment or control state (SET may then answer -EINVAL). */
static bool corrupt_regs(struct hv_vcpu_regs *r)
{
	switch (rnd_below(8)) {
	case 0:
		r->cs.attr = (u16)rnd();
		return true;
	case 1:
		r->cr0 ^= BIT(rnd_below(32));
		return true;
	case 2:
		r->efer ^= BIT(rnd_below(16));
		return true;
	case 3:
		r->cr4 ^= BIT(rnd_below(24));
		return true;
	case 4:
		r->ss.attr = (u16)rnd();
		return true;
	case 5:
		r->rip = rnd();
		return false;
	case 6:
		r->rflags = rnd();
		return false;
	default:
		r->tr.attr = (u16)rnd();
		return true;
	}
}

static outcomes set_regs_fields(const struct hv_vcpu_regs *r, bool odd_sregs)
{
	outcomes e = 0;

	if (!r->flags || (r->flags & ~(HV_REGS_GPRS | HV_REGS_SREGS)))
		e |= E(EINVAL);
	if (!r->vm)
		e |= E(EPERM);
	else if (!vcpu_exists(r->vm, r->vcpu))
		e |= E(ENOENT);
	if (e)
		return e;
	/* what a backend makes of a strange segment or control state is its
	 * own business: it may refuse it now, or the run fails later */
	return (r->flags & HV_REGS_SREGS) && odd_sregs ? OK | E(EINVAL) : OK;
}

void storm_vcpu_set_regs(void)
{
	static PER_VCPU struct hv_vcpu_regs r;
	static const u32 flag_choices[] = { 3, 3, 3, 3, 3, 3, 1, 1, 2, 0, 4, 0x80000003 };
	u32 vm = pick_vm(), vcpu = pick_vcpu(vm);
	bool odd = false, changed = false;
	struct sized s;
	struct hc c = { .nr = HV_CALL_VCPU_SET_REGS };
	struct mvm *m;

	child_regs(&r, vm, vcpu);
	r.flags = flag_choices[rnd_below(ARRAY_SIZE(flag_choices))];
	if (chance(20)) {
		changed = true;
		odd = corrupt_regs(&r);
	}
	sized_put(&s, &r, sizeof(r), HV_VCPU_REGS_SIZE_VER0);
	c.rdi = s.gpa;
	c.allow = sized_allow(&s, set_regs_fields(&r, odd));
	sized_snapshot(&s, 64);
	issue(&c);
	sized_check(&s, &c, sizeof(r));
	if (c.ret != 0 || !vcpu_exists(r.vm, r.vcpu))
		return;
	m = vm_find(r.vm);
	/* a full, unchanged state restarts the program; anything else leaves
	 * the vCPU somewhere the model does not know */
	m->vcpu[r.vcpu] = (struct mvcpu){
		.fresh = !changed && r.flags == (HV_REGS_GPRS | HV_REGS_SREGS) && m->image_ok,
		.page = m->vcpu[r.vcpu].page };
}

/* ---- loading a program -------------------------------------------------- */

/* A valid call the storm makes for its own purposes, its struct at the
 * top of the scratch area. */
static long plain_call(u64 nr, const void *a, u32 len, outcomes allow, struct hc *c)
{
	u64 at = scratch + SCRATCH_SIZE - 2 * PAGE_SIZE;

	*c = (struct hc){ .nr = nr, .rdi = at, .allow = allow };
	put_bytes(at, a, len);
	return issue(c);
}

static bool first_vcpu(struct mvm *m)
{
	struct hv_vcpu_create a = { sizeof(a), 0, m->id, 0 };
	s64 before = free_known();
	struct hc c;

	plain_call(HV_CALL_VCPU_CREATE, &a, sizeof(a), OK | E(ENOMEM), &c);
	free_after(&c, before);
	if (c.ret != 0)
		return false;
	m->vcpu[m->vcpus++] = (struct mvcpu){ 0 };
	return true;
}

/* A live child gets a new program in its memory and one vCPU starts it
 * (VM_COPY of the image, VCPU_SET_REGS); the other vCPUs are then in
 * the middle of code that changed under them. */
void storm_load_child(void)
{
	static PER_VCPU struct hv_vcpu_regs r;
	u32 vm = pick_live(), vcpu;
	enum program prog = child_pick_program();
	struct hv_vm_copy copy = { sizeof(copy), HV_COPY_TO_VM, vm, 0, 0, 0, CHILD_IMAGE_SIZE };
	struct mvm *m = vm_find(vm);
	struct hc c;

	if (!m || (!m->vcpus && !first_vcpu(m)))
		return;
	vcpu = (u32)rnd_below(m->vcpus);
	copy.buf = (u64)child_image(m, prog);
	if (plain_call(HV_CALL_VM_COPY, &copy, sizeof(copy), OK, &c))
		return;
	taint_vm(m);
	m->prog = prog;
	m->image_ok = true;
	child_regs(&r, vm, vcpu);
	if (plain_call(HV_CALL_VCPU_SET_REGS, &r, sizeof(r), OK, &c))
		return;
	m->vcpu[vcpu] = (struct mvcpu){ .fresh = true, .page = m->vcpu[vcpu].page };
}

/* ---- VCPU_RUN ----------------------------------------------------------- */

/* A vCPU the model knows how to run, or any ids. */
void pick_run_target(u32 *vm, u32 *vcpu)
{
	if (chance(75) && (*vm = pick_running())) {
		*vcpu = (u32)rnd_below(vm_find(*vm)->vcpus);
	} else {
		*vm = pick_vm();
		*vcpu = pick_vcpu(*vm);
	}
	if (!child_runnable(*vm, *vcpu))
		*vcpu = vm_find(*vm)->vcpus; /* not this one: the run answers -ENOENT */
}

/* Unknown run flags are -EINVAL, HV_RUN_MSR_GP is for a VM with MSR exits
 * enabled only, HV_RUN_IRQ_WINDOW for one with interrupt-window exits.
 * HV_RUN_DEADLINE is always known (a deadline of 0 has passed: the run
 * returns HV_EXIT_TIMESLICE at once). */
outcomes run_flags_error(u64 flags, u32 vm)
{
	const struct mvm *m = vm_find(vm);

	if (flags & ~(u64)(HV_RUN_COMPLETE | HV_RUN_MSR_GP | HV_RUN_IRQ_WINDOW | HV_RUN_DEADLINE))
		return E(EINVAL);
	if ((flags & HV_RUN_MSR_GP) && !(m && (m->exit_reasons & BIT(HV_EXIT_MSR))))
		return E(EINVAL);
	if ((flags & HV_RUN_IRQ_WINDOW) && !(m && (m->exit_reasons & BIT(HV_EXIT_IRQ_WINDOW))))
		return E(EINVAL);
	return 0;
}

static outcomes run_fields(const struct hv_vcpu_run *a)
{
	outcomes e = run_flags_error(a->flags, a->vm);

	if ((a->flags & HV_RUN_DEADLINE) && a->size < HV_VCPU_RUN_SIZE_VER1)
		e |= E(EINVAL); /* no deadline in a 32-byte struct */
	if (!a->vm)
		e |= E(EPERM);
	else if (!vcpu_exists(a->vm, a->vcpu))
		e |= E(ENOENT);
	else if (vm_find(a->vm)->stopped)
		e |= E(ESRCH);
	return e;
}

static void check_io(const struct hc *c, struct mvcpu *v, const struct mvm *m,
		     const struct hv_exit *x)
{
	if (!v->fresh || m->prog != PROG_IO)
		return;
	if (x->u.io.size != 1 || x->u.io.port != m->io_port) {
		unexpected(c, "io exit: port %#x size %u, the program uses port %#x size 1",
			   x->u.io.port, x->u.io.size, m->io_port);
		return;
	}
	if (x->u.io.direction) {
		v->in_pending = true;
		return;
	}
	if (v->expect_out && (u8)x->u.io.value != v->out_value)
		unexpected(c, "out sent %#llx, the IN before was answered %#x",
			   (unsigned long long)x->u.io.value, v->out_value);
	v->expect_out = false;
}

/* What a successful run returned: an allowed reason, a consistent exit
 * record, and for each program what it must have done. */
void run_done(const struct hc *c, struct mvm *m, u32 vcpu, const struct hv_exit *x,
	      u32 argsz)
{
	struct mvcpu *v = &m->vcpu[vcpu];
	u32 reason = (u32)c->ret;

	tally.runs_by_reason[reason < 8 ? reason : 0]++;
	if (reason >= 32 || !(child_reasons(m, vcpu) & BIT(reason)))
		unexpected(c, "exit reason %u for program %u (%s)", reason, m->prog,
			   v->fresh ? "fresh" : "unknown state");
	if (argsz >= REASON_END && (x->reason != reason || x->argsz != HV_EXIT_SIZE_VER0))
		unexpected(c, "exit record: reason %u argsz %u", x->reason, x->argsz);
	if (reason == HV_EXIT_SHUTDOWN || reason == HV_EXIT_STAGE2_FAULT || reason == HV_EXIT_FAILED)
		m->stopped = true;
	if (reason == HV_EXIT_IO && argsz >= IO_RECORD_END) {
		check_io(c, v, m, x);
	} else if (reason == HV_EXIT_IO) { /* a record too short to say which */
		v->in_pending = false;
		v->expect_out = false;
	}
	if (reason == HV_EXIT_STAGE2_FAULT && m->prog == PROG_NPF && v->fresh &&
	    argsz >= FAULT_GPA_END &&
	    x->u.fault.gpa != CHILD_NPF_GPA)
		unexpected(c, "stage-2 fault at %#llx, the program reads %#llx",
			   (unsigned long long)x->u.fault.gpa, (unsigned long long)CHILD_NPF_GPA);
	if (reason == HV_EXIT_HLT && m->prog == PROG_HYPERCALLS && v->fresh)
		child_check_results(m);
	if (!v->fresh || m->prog == PROG_RANDOM)
		taint_vm(m); /* unknown code ran: the VM's memory is unknown too */
}

/* An IN answered by this run: the program's OUT sends it back. */
void note_completion(struct mvcpu *v, const struct hv_vcpu_run *a)
{
	if (!v->in_pending)
		return;
	v->in_pending = false;
	v->expect_out = true;
	v->out_value = a->flags & HV_RUN_COMPLETE ? (u8)a->complete_value : 0xff;
}

void storm_vcpu_run(void)
{
	struct hv_vcpu_run a = { .flags = chance(25) ? HV_RUN_COMPLETE : 0,
				 .complete_value = complete_value() };
	struct hv_vcpu_run wanted;
	struct hv_exit head;
	struct outbuf o;
	struct sized s;
	struct hc c = { .nr = HV_CALL_VCPU_RUN };
	outcomes fields, errs;
	s64 exits = -1;
	bool target;

	if (chance(4))
		a.flags |= (u32)BIT(1 + rnd_below(31));
	pick_run_target(&a.vm, &a.vcpu);
	errs = outbuf_put(&o, &head, 4, sizeof(head), HV_EXIT_MIN_SIZE);
	a.exit = o.gpa;
	wanted = a;
	do { /* the struct must not land on the exit record's argsz */
		a = wanted;
		sized_put(&s, &a, sizeof(a), HV_VCPU_RUN_SIZE_VER0);
	} while (s.gpa < o.gpa + sizeof(u32) && o.gpa < s.gpa + s.len);
	put_bytes(o.gpa, &head, sizeof(head.argsz)); /* an earlier try hit it */
	fields = run_fields(&a);
	fields |= errs;
	target = vcpu_exists(a.vm, a.vcpu) && !vm_find(a.vm)->stopped;
	c.rdi = s.gpa;
	c.allow = sized_allow(&s, fields ? fields : OK);
	if (target && !(c.allow & OK))
		exits = vm_exits_now(a.vm);
	sized_snapshot(&s, sizeof(a));
	s.out_gpa = o.gpa;
	s.out_len = MIN(o.argsz, (u32)sizeof(head));
	if (c.allow == OK)
		note_completion(&vm_find(a.vm)->vcpu[a.vcpu], &a);
	issue(&c);
	sized_check(&s, &c, sizeof(a));
	if (c.ret < 0 && exits >= 0 && vm_exits_now(a.vm) != exits)
		unexpected(&c, "the run failed, but the child ran");
	if (c.ret > 0 && in_set(c.allow, c.ret))
		run_done(&c, vm_find(a.vm), a.vcpu, (const struct hv_exit *)o.gpa, o.argsz);
}

