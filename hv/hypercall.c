#include "hv/hypercall.h"
#include "hv/trace_format.h"
#include "hv/hc.h"
#include "hv/log.h"
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

static void trace_call(const struct hc_ctx *c, u64 nr, s64 ret)
{
	char line[1280]; /* vcpu_set_regs lines are the longest */

	abi_format_call(nr < ~0u ? (u32)nr : ~0u, c->trace, c->trace_len, ret,
			line, sizeof(line));
	log_info("trace: vm %s: %s", c->vm->name, line);
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

/* The call's value to RAX, traced first. */
static void finish(const struct hc_ctx *c, u64 nr, s64 ret)
{
	if (hypercall_trace & HV_TRACE_HYPERCALLS)
		trace_call(c, nr, ret);
	c->vcpu->regs.rax = (u64)ret;
}

void hypercall_dispatch(struct vcpu *v, bool user)
{
	struct hc_ctx c; /* not zeroed: c.in is read in first */
	u64 nr = v->regs.rax;
	s64 ret;

	ctx_init(&c, v);
	v->vm->stats.hypercalls++;
	ret = dispatch(&c, nr, user);
	if (v->run_call.child)
		return; /* a VCPU_RUN call: hypercall_complete_run finishes it */
	finish(&c, nr, ret);
}

void hypercall_complete_run(struct vcpu *v)
{
	struct hc_ctx c;

	ctx_init(&c, v);
	if (v->run_call.nr == HV_CALL_VCPU_RUN)
		hc_vm_mem(&c.mem, c.vm); /* v1: the record is copied out */
	finish(&c, v->run_call.nr, hc_vcpu_run_complete(&c)); /* VCPU_RUN or _PAGED */
}
