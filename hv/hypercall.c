#include "hv/hypercall.h"
#include "hv/trace_format.h"
#include "hv/hc.h"
#include "hv/log.h"
#include "hv/tracebuf.h"
#include "lib/abi_text.h"
#include "lib/string.h"

enum hc_caller { HC_CALLER_ANY, HC_CALLER_VM0 };
enum hc_input { HC_INPUT_NONE, HC_INPUT_STRUCT, HC_INPUT_HEADER };

struct hc_entry {
	int (*decode)(struct hc_ctx *c);
	s64 (*invoke)(struct hc_ctx *c);
	const struct abi_struct *s; /* its size and VER0 size; NULL without one */
	enum hc_caller caller;
	enum hc_input input;
};

/* Each ABI_CALL row gives its call's struct, each ABI_HANDLER row the
 * rest of the entry. */
static const struct hc_entry hypercalls[HV_CALL_COUNT] = {
#define ABI_CALL(nr, name, type, dir) \
	[nr].s = &abi_struct_##type,
#define ABI_HANDLER(nr, name, who, in) \
	[nr].decode = hc_##name##_decode, [nr].invoke = hc_##name##_invoke, \
	[nr].caller = HC_CALLER_##who, [nr].input = HC_INPUT_##in,
#include "abi/hv_abi.def"
};

/* Every call in abi/hv_abi.def has its ABI_HANDLER row. */
enum {
#define ABI_CALL(nr, name, type, dir) | 1ull << (nr)
#define ABI_CALL_NOARG(nr, name) | 1ull << (nr)
	HC_CALLS = 0
#include "abi/hv_abi.def"
	,
#define ABI_HANDLER(nr, name, who, in) | 1ull << (nr)
	HC_HANDLERS = 0
#include "abi/hv_abi.def"
};
_Static_assert(HC_CALLS == HC_HANDLERS, "an ABI_CALL without an ABI_HANDLER row");

bool hypercall_known(u64 nr)
{
	return nr < HV_CALL_COUNT && hypercalls[nr].decode;
}

/* The call's struct at RDI into c->in, before its decode sees it. */
static int read_struct(struct hc_ctx *c, const struct hc_entry *e)
{
	u32 caller_size;
	int err;

	switch (e->input) {
	case HC_INPUT_STRUCT:
		err = copy_struct_in(&c->mem, c->arg, &c->in, e->s->size,
				     e->s->first_size, &caller_size);
		if (!err) {
			/* ctx_init set this already; stored again because
			 * without it GCC keeps &c->in in a saved register and
			 * every hypercall pays a push and pop (make bench) */
			c->trace = &c->in;
			c->trace_len = MIN(caller_size, e->s->size);
		}
		return err;
	case HC_INPUT_HEADER:
		memset(&c->in, 0, e->s->size);
		return gmem_read(&c->mem, c->arg, &c->in, HC_HEADER_SIZE) ? 0 : -EFAULT;
	default:
		return 0;
	}
}

static s64 dispatch(struct hc_ctx *c, u64 nr, bool user)
{
	const struct hc_entry *e;
	int err;

	if (user)
		return -EPERM; /* decided before any guest memory is read */
	if (!hypercall_known(nr))
		return -ENOSYS;
	e = &hypercalls[nr];
	if (e->caller == HC_CALLER_VM0 && !c->vm->privileged)
		return -EPERM;
	if (e->s) /* a call without a struct never reaches guest memory */
		hc_vm_mem(&c->mem, c->vm);
	err = read_struct(c, e);
	if (!err)
		err = e->decode(c);
	return err ? err : e->invoke(c);
}

static void ctx_init(struct hc_ctx *c, struct vcpu *v)
{
	c->vcpu = v;
	c->vm = v->vm;
	c->arg = v->regs.rdi;
	c->target = NULL;
	c->trace = &c->in;
	c->trace_len = 0; /* the tracer shows `name()` until a struct is read */
}

/* The call as a record of the binary trace and as a line of the text
 * trace, whichever is on; out of line, so that neither costs the calls
 * anything but the test while both are off (make bench). */
static __attribute__((noinline, cold)) void trace_call(struct vcpu *v, u64 nr, const void *s,
						       u32 len, s64 ret)
{
	char line[1280]; /* vcpu_set_regs lines are the longest */

	if (tracebuf_wants(HV_TRACE_EV_HYPERCALL))
		tracebuf_put(HV_TRACE_EV_HYPERCALL, v, nr < ~0u ? (u32)nr : ~0u, 0, (u64)ret);
	if (hypercall_trace & HV_TRACE_HYPERCALLS) {
		abi_format_call(nr < ~0u ? (u32)nr : ~0u, s, len, ret, line, sizeof(line));
		log_info("trace: vm %s: %s", v->vm->name, line);
	}
}

/* The call's value to RAX, traced first with the call's struct s.
 * HV_TRACE_HYPERCALLS is the one bit hypercall_trace may hold (FEATURE
 * refuses others), so one test covers both traces. */
static void finish(struct vcpu *v, u64 nr, const void *s, u32 len, s64 ret)
{
	if (__builtin_expect(hypercall_trace | tracebuf_events, 0))
		trace_call(v, nr, s, len, ret);
	v->regs.rax = (u64)ret;
}

/* VCPU_RUN_PAGED's struct for the tracer is its registers, still VM 0's
 * own when the call completes (VM 0 has not run since). */
static void finish_run_paged(struct vcpu *v, s64 ret)
{
	const struct hv_vcpu_run_paged a = { .vm = v->regs.rdi, .vcpu = v->regs.rsi,
					     .flags = v->regs.rdx };

	finish(v, HV_CALL_VCPU_RUN_PAGED, &a, sizeof(a), ret);
}

/* The binary trace's run events: a VCPU_RUN call enters its child ... */
static void trace_run_start(const struct vcpu *v)
{
	if (tracebuf_wants(HV_TRACE_EV_RUN_START))
		tracebuf_put(HV_TRACE_EV_RUN_START, v->run_call.child, 0, 0, 0);
}

#define RUN_END_EVENTS (1u << HV_TRACE_EV_RUN_END | 1u << HV_TRACE_EV_VM_STOP)

/* ... and returns to VM 0 with the exit reason; the child's VM may have
 * stopped in the run. */
static __attribute__((noinline, cold)) void trace_run_end(const struct vmm_run_call *r)
{
	const struct vcpu *child = r->child;

	if (tracebuf_wants(HV_TRACE_EV_RUN_END))
		tracebuf_put(HV_TRACE_EV_RUN_END, child, r->out->reason, 0, child->regs.rip);
	if (tracebuf_wants(HV_TRACE_EV_VM_STOP) && child->vm->state == VM_STOPPED)
		tracebuf_put(HV_TRACE_EV_VM_STOP, child, child->vm->stop_kind, 0, child->regs.rip);
}

void hypercall_dispatch(struct vcpu *v, bool user)
{
	struct hc_ctx c; /* not zeroed: c.in is read in first */
	u64 nr = v->regs.rax;
	s64 ret;

	v->vm->stats.hypercalls++;
	c.vcpu = v;
	/* VM 0's paged run, the hot call: its decode and invoke use no more
	 * of the context than the two vCPUs, so none is built. Any other
	 * caller fails the table's privilege check below. */
	if (nr == HV_CALL_VCPU_RUN_PAGED && !user && v->vm->privileged) {
		if ((ret = hc_vcpu_run_paged_decode(&c))) {
			finish_run_paged(v, ret);
		} else {
			hc_vcpu_run_paged_invoke(&c); /* hypercall_complete_run finishes it */
			trace_run_start(v);
		}
		return;
	}
	ctx_init(&c, v);
	ret = dispatch(&c, nr, user);
	if (v->run_call.child) {
		trace_run_start(v);
		return; /* a VCPU_RUN call: hypercall_complete_run finishes it */
	}
	finish(v, nr, c.trace, c.trace_len, ret);
}

void hypercall_complete_run(struct vcpu *v)
{
	struct vmm_run_call *r = &v->run_call;
	struct hc_ctx c;

	if (__builtin_expect(tracebuf_events & RUN_END_EVENTS, 0))
		trace_run_end(r);
	r->child = NULL;
	if (r->nr == HV_CALL_VCPU_RUN_PAGED) { /* the exit is in the page already */
		finish_run_paged(v, r->out->reason);
		return;
	}
	ctx_init(&c, v);
	hc_vm_mem(&c.mem, c.vm); /* v1: the record is copied out */
	finish(v, r->nr, &r->args, r->args_len, hc_vcpu_run_complete(&c));
}
