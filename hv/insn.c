#include "hv/insn.h"
#include "arch/x86/seg_addr.h"
#include "lib/errno.h"
#include "hv/guest_mem.h"
#include "hv/uaccess.h"

/* Reads as many of the INSN_MAX_LEN bytes as are readable, page by page. */
int insn_fetch_state(struct vcpu *v, const struct guest_sregs *s, u8 bytes[INSN_MAX_LEN],
		     int *len)
{
	enum cpu_mode mode = seg_code_mode(s);
	u64 linear = mode == CPU_MODE_64 ? v->regs.rip : (u32)(s->cs.base + v->regs.rip);
	struct guest_fault fault;
	int got, chunk;

	for (got = 0; got < INSN_MAX_LEN; got += chunk) {
		chunk = page_chunk(linear + got, INSN_MAX_LEN - got);
		if (guest_read_linear_state(v, s, linear + got, bytes + got, chunk, true,
					    &fault) != GUEST_OK)
			break;
	}
	*len = got ? insn_length(bytes, got, mode) : -EFAULT;
	return got;
}

int insn_fetch(struct vcpu *v, u8 bytes[INSN_MAX_LEN], int *len)
{
	struct guest_sregs s;

	virt->get_sregs(v, &s);
	return insn_fetch_state(v, &s, bytes, len);
}

bool insn_next_rip(struct vcpu *v, const struct vm_exit *exit, u64 *next)
{
	u8 bytes[INSN_MAX_LEN];
	int len;

	if (exit->next_rip_valid) {
		*next = exit->next_rip;
		return true;
	}
	insn_fetch(v, bytes, &len);
	if (len <= 0) {
		vm_stop(v->vm, HV_EXIT_FAILED, "cannot decode the instruction at rip 0x%llx",
			(unsigned long long)v->regs.rip);
		return false;
	}
	*next = v->regs.rip + len;
	return true;
}

bool insn_skip(struct vcpu *v, const struct vm_exit *exit)
{
	return insn_next_rip(v, exit, &v->regs.rip);
}
