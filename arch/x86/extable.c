/* Exception fixups: pairs (faulting RIP, resume RIP) that inline assembly
 * registers in .ex_table, e.g. rdmsr_safe() or the boot-time page
 * protection probes. */
#include "arch/x86/trap.h"

struct extable_entry {
	u64 fault_rip;
	u64 fixup_rip;
};

extern const struct extable_entry _ex_table_start[], _ex_table_end[];

bool extable_fixup(struct trap_frame *f)
{
	for (const struct extable_entry *e = _ex_table_start; e < _ex_table_end;
	     e++) {
		if (e->fault_rip == f->rip) {
			f->rip = e->fixup_rip;
			return true;
		}
	}
	return false;
}
