/* Port I/O exits: a child's go to its VMM, the rest are completed here
 * on the hypervisor's own ports (io_port.c); the string forms are in
 * io_string.c. */
#include "hv/io.h"
#include "hv/event.h"
#include "hv/insn.h"
#include "hv/io_port.h"

bool io_complete_in(struct vcpu *v, const struct vm_exit *exit, u64 value)
{
	set_reg_sized(&v->regs.rax, (u32)value, exit->io.size);
	return insn_skip(v, exit);
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
	vcpu_exit_to_vmm(v, HV_EXIT_IO);
	out->u.io.port = io->port;
	out->u.io.size = io->size;
	out->u.io.direction = io->in;
	if (io->in) {
		v->pending = VMM_PENDING_IN;
		v->pending_exit = *exit;
		return false;
	}
	out->u.io.value = (u32)(v->regs.rax & size_mask(io->size));
	insn_skip(v, exit);
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
		set_reg_sized(&v->regs.rax, io_port_read(v->vm, io->port, io->size), io->size);
	else if (!io_port_write(v->vm, io->port, io->size, (u32)v->regs.rax))
		return false;
	return insn_skip(v, exit);
}
