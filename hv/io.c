/* Port I/O emulation for exits the hypervisor completes itself: the exit
 * port and the scratch device (abi/hv_boot.h), and all-ones reads /
 * ignored writes for every unclaimed port. String forms move data through
 * the guest's own page tables; REP forms run in bounded batches. */
#include "hv/io.h"
#include "abi/hv_boot.h"
#include "hv/guest_mem.h"
#include "hv/exit.h"
#include "hv/insn.h"
#include "hv/log.h"
#include "hv/string.h"

#define REP_BATCH 1024 /* iterations per exit; the guest re-executes for more */
#define RFLAGS_DF BIT(10)
#define PF_VECTOR 14

static u8 scratch[VM_MAX][HV_PORT_SCRATCH_SIZE];

void io_reset(struct vm *vm)
{
	memset(scratch[vm_slot(vm)], 0, HV_PORT_SCRATCH_SIZE);
}

static bool is_scratch(u16 port, u8 size)
{
	return port >= HV_PORT_SCRATCH &&
	       port + size <= HV_PORT_SCRATCH + HV_PORT_SCRATCH_SIZE;
}

static u32 port_read(struct vm *vm, u16 port, u8 size)
{
	u32 v = 0;

	if (is_scratch(port, size)) {
		memcpy(&v, &scratch[vm_slot(vm)][port - HV_PORT_SCRATCH], size);
		return v;
	}
	vm->stats.io_unclaimed_reads++;
	return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

/* Returns false when the write ended the VM. */
static bool port_write(struct vm *vm, u16 port, u8 size, u32 v)
{
	if (port == HV_PORT_EXIT && vm->privileged) {
		vm->exit_code = v;
		vm->exit_code_set = true;
		vm_stop(vm, HV_EXIT_FAILED, "exit(%u) through port 0x%x", v, port);
		return false;
	}
	if (is_scratch(port, size)) {
		memcpy(&scratch[vm_slot(vm)][port - HV_PORT_SCRATCH], &v, size);
		return true;
	}
	vm->stats.io_ignored_writes++;
	return true;
}

static void set_rax_from_in(struct guest_regs *r, u8 size, u32 v)
{
	if (size == 4)
		r->rax = v; /* a 32-bit destination zero-extends */
	else if (size == 2)
		r->rax = (r->rax & ~0xffffULL) | (v & 0xffff);
	else
		r->rax = (r->rax & ~0xffULL) | (v & 0xff);
}

static void inject_page_fault(struct vcpu *v, const struct guest_fault *f)
{
	struct guest_sregs s;
	struct event e = { .vector = PF_VECTOR, .type = EVENT_EXCEPTION,
			   .has_error = true, .error = f->error };

	virt->get_sregs(v, &s);
	s.cr2 = f->address;
	virt->set_sregs(v, &s); /* the state it already runs in: cannot fail */
	vcpu_inject_event(v, &e);
}

/* One element of INS/OUTS; false when the VM stopped or faulted. */
static bool string_step(struct vcpu *v, const struct guest_sregs *s,
			const struct exit_io *io, u64 addr, bool *faulted)
{
	struct guest_fault f;
	enum guest_access_result r;
	u32 val = 0;

	if (io->in) {
		val = port_read(v->vm, io->port, io->size);
		r = guest_write_linear_state(v, s, addr, &val, io->size, &f);
	} else {
		r = guest_read_linear_state(v, s, addr, &val, io->size, false, &f);
		if (r == GUEST_OK && !port_write(v->vm, io->port, io->size, val))
			return false;
	}
	if (r == GUEST_PAGE_FAULT) {
		inject_page_fault(v, &f);
		*faulted = true;
	} else if (r == GUEST_NOT_RAM) {
		vm_stop(v->vm, HV_EXIT_FAILED, "string I/O at port 0x%x touched guest-physical 0x%llx, "
			"which is not RAM", io->port, (unsigned long long)f.address);
		return false;
	}
	return !*faulted;
}

static u64 addr_mask(u8 addr_size)
{
	return addr_size == 8 ? ~0ULL : (1ULL << (addr_size * 8)) - 1;
}

static void set_masked(u64 *reg, u64 value, u64 mask)
{
	*reg = (*reg & ~mask) | (value & mask);
}

/* The address size of a string instruction the CPU did not describe: the
 * code segment's default (an 0x67 prefix is not honoured then). */
static u8 default_addr_size(const struct guest_sregs *s)
{
	if ((s->efer & BIT(10)) && (s->cs.attr & BIT(9)))
		return 8;
	return (s->cs.attr & BIT(10)) ? 4 : 2;
}

static bool io_string(struct vcpu *v, const struct vm_exit *exit)
{
	const struct exit_io *io = &exit->io;
	struct guest_regs *r = &v->regs;
	struct guest_sregs s;
	u64 mask, count, *ptr = io->in ? &r->rdi : &r->rsi;
	s64 step = (r->rflags & RFLAGS_DF) ? -(s64)io->size : io->size;
	bool faulted = false;

	virt->get_sregs(v, &s); /* once per exit, not once per element */
	mask = addr_mask(io->addr_size ? io->addr_size : default_addr_size(&s));
	count = io->rep ? (r->rcx & mask) : 1;
	for (u32 done = 0; count && done < REP_BATCH; done++) {
		if (!string_step(v, &s, io, *ptr & mask, &faulted))
			return v->vm->state != VM_STOPPED;
		set_masked(ptr, *ptr + step, mask);
		count--;
		if (io->rep)
			set_masked(&r->rcx, count, mask);
	}
	return (count && io->rep) ? true : exit_skip_insn(v, exit);
}

bool io_complete_in(struct vcpu *v, const struct vm_exit *exit, u64 value)
{
	set_rax_from_in(&v->regs, exit->io.size, (u32)value);
	return exit_skip_insn(v, exit);
}

/* A child's port I/O is its VMM's business: an OUT is complete once the
 * VMM has the value, an IN waits for the VMM's answer on the next run. */
static bool io_to_vmm(struct vcpu *v, const struct vm_exit *exit)
{
	struct hv_exit *out = v->vmm_exit;
	const struct exit_io *io = &exit->io;

	if (io->string) {
		vm_stop(v->vm, HV_EXIT_FAILED, "string I/O to port 0x%x: not "
			"supported for VMM-emulated ports", io->port);
		return false;
	}
	out->reason = HV_EXIT_IO;
	out->rip = v->regs.rip;
	out->u.io.port = io->port;
	out->u.io.size = io->size;
	out->u.io.direction = io->in;
	v->vm->stats.vmm_exits++;
	if (io->in) {
		v->pending = VMM_PENDING_IN;
		v->pending_exit = *exit;
		return false;
	}
	out->u.io.value = (u32)v->regs.rax & (io->size == 4 ? ~0u : (1u << (io->size * 8)) - 1);
	exit_skip_insn(v, exit);
	return false;
}

bool io_handle(struct vcpu *v, const struct vm_exit *exit)
{
	const struct exit_io *io = &exit->io;

	if (v->vmm_exit)
		return io_to_vmm(v, exit);
	if (io->string)
		return io_string(v, exit);
	if (io->in)
		set_rax_from_in(&v->regs, io->size, port_read(v->vm, io->port, io->size));
	else if (!port_write(v->vm, io->port, io->size, (u32)v->regs.rax))
		return false;
	return exit_skip_insn(v, exit);
}
