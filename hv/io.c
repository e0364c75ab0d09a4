/* Port I/O emulation for exits the hypervisor completes itself: the exit
 * port and the scratch device (abi/hv_boot.h), and all-ones reads /
 * ignored writes for every unclaimed port. The string forms are in
 * io_string.c. */
#include "hv/io.h"
#include "abi/hv_boot.h"
#include "hv/exit.h"
#include "hv/io_port.h"
#include "hv/io_string.h"
#include "hv/log.h"
#include "lib/string.h"

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

u32 io_port_read(struct vm *vm, u16 port, u8 size)
{
	u32 v = 0;

	if (is_scratch(port, size)) {
		memcpy(&v, &scratch[vm_slot(vm)][port - HV_PORT_SCRATCH], size);
		return v;
	}
	vm->stats.io_unclaimed_reads++;
	return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

bool io_port_write(struct vm *vm, u16 port, u8 size, u32 v)
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
		set_rax_from_in(&v->regs, io->size, io_port_read(v->vm, io->port, io->size));
	else if (!io_port_write(v->vm, io->port, io->size, (u32)v->regs.rax))
		return false;
	return exit_skip_insn(v, exit);
}
