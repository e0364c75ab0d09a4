/* INS and OUTS to the ports the hypervisor owns. Each element is addressed
 * as the CPU would: rDI through ES for INS, rSI through DS or an override
 * for OUTS, with the address size of the instruction (arch/x86/seg_addr.c
 * has the segment rules), then moved through the guest's own page tables.
 *
 * An element is all or nothing: a fault (#GP, #SS or #PF) is injected
 * before any of its bytes reaches memory or the port, and RCX/RSI/RDI keep
 * the iterations completed before it, as after a fault on the CPU. REP
 * forms run in bounded batches: the guest re-executes the instruction for
 * the rest. Port reads change no device state, so an INS element that
 * faults after reading its port loses nothing. */
#include "hv/io.h"
#include "arch/x86/seg_addr.h"
#include "arch/x86/trap.h"
#include "hv/event.h"
#include "hv/guest_mem.h"
#include "hv/insn.h"
#include "hv/io_port.h"

#define REP_BATCH 1024 /* iterations per exit; the guest re-executes for more */
#define RFLAGS_DF BIT(10)

/* One exit's string operation, as read once from the guest state. */
struct string_op {
	const struct exit_io *io;
	struct guest_sregs s;
	enum seg_reg seg; /* of the memory operand */
	u8 addr_size;     /* for rSI/rDI/rCX */
};

/* Reads the guest state once per exit, not once per element; what the
 * exit left out (address size, OUTS segment) comes from the instruction
 * bytes. False when the VM had to be stopped. */
static bool string_op_init(struct vcpu *v, const struct exit_io *io, struct string_op *op)
{
	struct string_insn dec;
	u8 bytes[INSN_MAX_LEN];
	int len, got;

	op->io = io;
	op->seg = io->in ? SEG_ES : io->seg;
	op->addr_size = io->addr_size;
	virt->get_sregs(v, &op->s);
	if (op->addr_size && op->seg != SEG_UNKNOWN)
		return true;
	got = insn_fetch_state(v, &op->s, bytes, &len);
	if (string_insn_decode(bytes, got, seg_code_mode(&op->s), &dec)) {
		vm_stop(v->vm, HV_EXIT_FAILED, "string I/O exit, but no INS/OUTS "
			"at rip 0x%llx", (unsigned long long)v->regs.rip);
		return false;
	}
	if (!op->addr_size)
		op->addr_size = dec.addr_size;
	if (op->seg == SEG_UNKNOWN)
		op->seg = dec.seg;
	return true;
}

/* Moves one element between the port and guest memory at `linear`. */
static enum guest_access_result move_element(struct vcpu *v, const struct string_op *op,
					     u64 linear, struct guest_fault *f)
{
	const struct exit_io *io = op->io;
	enum guest_access_result r;
	u32 val = 0;

	if (io->in) {
		val = io_port_read(v->vm, io->port, io->size);
		return guest_write_linear_state(v, &op->s, linear, &val, io->size, f);
	}
	r = guest_read_linear_state(v, &op->s, linear, &val, io->size, false, f);
	if (r == GUEST_OK)
		io_port_write(v->vm, io->port, io->size, val); /* may stop the VM */
	return r;
}

/* Injects the exception for a failed access, or stops the VM. */
static void access_failed(struct vcpu *v, struct string_op *op, enum guest_access_result r,
			  const struct guest_fault *f)
{
	if (r == GUEST_PAGE_FAULT) {
		op->s.cr2 = f->address;
		virt->set_sregs(v, &op->s); /* the state it already runs in: cannot fail */
		vcpu_inject_exception(v, VEC_PF, true, f->error);
		return;
	}
	if (r == GUEST_NOT_CANONICAL)
		vcpu_inject_exception(v, op->seg == SEG_SS ? VEC_SS : VEC_GP, true, 0);
	else
		vm_stop(v->vm, HV_EXIT_FAILED, "string I/O at port 0x%x touched "
			"guest-physical 0x%llx, which is not RAM", op->io->port,
			(unsigned long long)f->address);
}

/* One element; false when it faulted or the VM stopped. */
static bool string_step(struct vcpu *v, struct string_op *op, u64 offset)
{
	struct seg_access a = { op->seg, offset, op->io->size, op->io->in };
	enum guest_access_result r;
	struct guest_fault f;
	enum seg_fault sf;
	u64 linear;

	sf = seg_linear(&op->s, v->regs.rflags, &a, &linear);
	if (sf != SEG_FAULT_NONE) {
		vcpu_inject_exception(v, sf == SEG_FAULT_SS ? VEC_SS : VEC_GP, true, 0);
		return false;
	}
	r = move_element(v, op, linear, &f);
	if (r != GUEST_OK)
		access_failed(v, op, r, &f);
	return r == GUEST_OK && v->vm->state != VM_STOPPED;
}

bool io_string(struct vcpu *v, const struct vm_exit *exit)
{
	const struct exit_io *io = &exit->io;
	struct guest_regs *r = &v->regs;
	struct string_op op;
	u64 count, *ptr = io->in ? &r->rdi : &r->rsi;
	s64 step = (r->rflags & RFLAGS_DF) ? -(s64)io->size : io->size;

	if (!string_op_init(v, io, &op))
		return false;
	count = io->rep ? (r->rcx & size_mask(op.addr_size)) : 1;
	for (u32 done = 0; count && done < REP_BATCH; done++) {
		if (!string_step(v, &op, *ptr & size_mask(op.addr_size)))
			return v->vm->state != VM_STOPPED;
		set_reg_sized(ptr, *ptr + step, op.addr_size);
		count--;
		if (io->rep)
			set_reg_sized(&r->rcx, count, op.addr_size);
	}
	return (count && io->rep) ? true : insn_skip(v, exit);
}
