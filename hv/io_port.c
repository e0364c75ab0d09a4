#include "hv/io_port.h"
#include "abi/hv_boot.h"
#include "drivers/uart16550.h"
#include "hv/console.h"
#include "hv/insn.h"
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

/* The low `size` bytes (1, 2 or 4) of v to p, a move of that width: the
 * port exit's size is one of the three, and a memcpy of a variable
 * length would cost its length dispatch on every OUT (make bench). */
static void store_sized(u8 *p, u32 v, u8 size)
{
	if (size == 4)
		memcpy(p, &v, 4);
	else if (size == 2)
		memcpy(p, &v, 2);
	else
		*p = (u8)v;
}

u32 io_port_read(struct vm *vm, u16 port, u8 size)
{
	u32 v = 0;

	if (is_scratch(port, size)) {
		memcpy(&v, &scratch[vm_slot(vm)][port - HV_PORT_SCRATCH], size);
		return v;
	}
	if (port == COM1_PORT && vm->privileged) /* exits only with debugcon=1 */
		return console_vm0_com1_read(size);
	vm->stats.io_unclaimed_reads++;
	return (u32)size_mask(size);
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
		store_sized(&scratch[vm_slot(vm)][port - HV_PORT_SCRATCH], v, size);
		return true;
	}
	if (port == COM1_PORT && vm->privileged) {
		console_vm0_com1_write(vm->id, vm->name, size, v);
		return true;
	}
	vm->stats.io_ignored_writes++;
	return true;
}
