/* The hypercall handlers' shared context and helpers (hv/hc_*.c).
 *
 * Every hypercall is two functions, named by its ABI_HANDLER row in
 * abi/hv_abi.def: hc_<name>_decode makes every check and may fail, but
 * changes nothing; hc_<name>_invoke acts on what decode found and
 * cannot fail, except for running out of memory or VM slots, which it
 * undoes (-ENOMEM). The dispatcher (hv/hypercall.c) has already read the
 * call's struct into c->in. A call that only answers works out its
 * answer in decode, and checks there that it can be written back. */
#ifndef HV_HC_H
#define HV_HC_H

#include "abi/hv_abi.h"
#include "lib/errno.h"
#include "hv/uaccess.h"
#include "hv/vm.h"

/* Every struct of the ABI, one of which is the call's. */
union hc_struct {
#define ABI_STRUCT(type, first_size) struct type type;
#include "abi/hv_abi.def"
};

/* What an INPUT HEADER call reads: {argsz, flags, vm, vcpu or reserved}. */
#define HC_HEADER_SIZE 16

struct hc_ctx {
	struct vcpu *vcpu;
	struct vm *vm;          /* the caller's VM */
	u64 arg;                /* RDI: the struct's guest-physical address */
	struct gmem mem;        /* the caller's memory */
	union hc_struct in;     /* the struct as read at RDI */
	/* what decode found, for invoke */
	struct vm *target;      /* the child VM the call names */
	struct vcpu *target_vcpu;
	u32 len;                /* bytes invoke writes (at RDI, or the exit record) */
	/* the struct for the tracer: as read in, or as written back (an
	 * answer hc_write_out writes at RDI is the one traced) */
	const void *trace;
	u32 trace_len;
};

/* Sets m to a VM's memory (c->mem is the caller's); filled in place, as
 * every hypercall does this for its caller. */
void hc_vm_mem(struct gmem *m, struct vm *vm);

/* Decode's last step for a call that answers in its struct: checks that
 * src (full_size bytes, argsz first) can go back to RDI under the argsz
 * rules, writing nothing; hc_write_out (in invoke) then writes it. */
int hc_check_out(struct hc_ctx *c, void *src, u32 full_size, u32 min_size);
s64 hc_write_out(struct hc_ctx *c);

/* For a struct that begins {size, flags, vm, reserved} (no flags
 * defined): the checks, and c->target is the child VM it names. */
int hc_decode_vm_target(struct hc_ctx *c);


/* The child VM (never VM 0) or vCPU a management call names; inline,
 * as the paged run looks its vCPU up on every call. */
static inline int hc_child_vm(u32 id, struct vm **out)
{
	struct vm *vm = vm_get(id);

	if (!vm)
		return -ENOENT;
	if (vm->privileged)
		return -EPERM; /* VM 0 is not managed through the ABI */
	*out = vm;
	return 0;
}

static inline int hc_child_vcpu(u32 vm_id, u32 vcpu_id, struct vcpu **out)
{
	struct vm *vm;
	int err = hc_child_vm(vm_id, &vm);

	if (err)
		return err;
	if (vcpu_id >= vm->vcpu_count)
		return -ENOENT;
	*out = &vm->vcpus[vcpu_id];
	return 0;
}

/* The handlers, hv/hc_info.c, hv/hc_vm.c and hv/hc_vcpu.c; those that
 * are one of the helpers above are its aliases (hv/hc_common.c). */
#define ABI_HANDLER(nr, name, caller, input)      \
	int hc_##name##_decode(struct hc_ctx *c); \
	s64 hc_##name##_invoke(struct hc_ctx *c);
#include "abi/hv_abi.def"

/* VCPU_RUN's second half, once the child has run: writes the exit record
 * back and returns the call's value (the exit reason). VCPU_RUN_PAGED's
 * needs none of it: its exit is in the run page already. */
s64 hc_vcpu_run_complete(struct hc_ctx *c);

#endif
