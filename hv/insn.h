/* The guest instruction at CS:RIP: fetching it, writing the registers it
 * changes, and stepping over it after an exit the hypervisor emulated. */
#ifndef HV_INSN_H
#define HV_INSN_H

#include "arch/x86/cpu.h"
#include "arch/x86/insn_emul.h"
#include "arch/x86/trap.h"
#include "hv/event.h"
#include "hv/vm.h"

/* Fetches the bytes at CS:RIP with segment and control registers the
 * caller already read; returns how many (0 when none could be read) and
 * the length the decoder found, or a negative errno. */
int insn_fetch_state(struct vcpu *v, const struct guest_sregs *s, u8 bytes[INSN_MAX_LEN],
		     int *len);

/* Whether the instruction at CS:RIP is VMMCALL (0F 01 D9) or VMCALL
 * (0F 01 C1), unprefixed: INSN_HYPERCALL_LEN bytes. */
#define INSN_HYPERCALL_LEN 3
bool insn_at_rip_is_hypercall(struct vcpu *v);

/* insn_next_rip for an exit without the CPU's next RIP. */
bool insn_next_rip_decoded(struct vcpu *v, const struct vm_exit *exit, u64 *next);

/* The RIP after the instruction that caused `exit`, RIP unchanged: the
 * CPU's saved next RIP when it has one, else the fixed length of the
 * exit's instruction when the bytes at RIP are its unprefixed form, else
 * the decoded length. When the instruction cannot be read or decoded,
 * stops the VM and returns false. */
static inline bool insn_next_rip(struct vcpu *v, const struct vm_exit *exit, u64 *next)
{
	if (!exit->next_rip_valid)
		return insn_next_rip_decoded(v, exit, next);
	*next = exit->next_rip;
	return true;
}

/* Completes an instruction the hypervisor carried out for the guest:
 * RIP moves to next_rip and, with EFLAGS.TF set, the guest gets the
 * single-step #DB (DR6.BS) the CPU would have raised after it. The one
 * place RIP advances after an exit, for every vendor; returns true. */
static inline bool vcpu_complete_insn(struct vcpu *v, u64 next_rip)
{
	v->regs.rip = next_rip;
	if (v->regs.rflags & RFLAGS_TF) {
		virt->debug_trap(v, DR6_BS);
		vcpu_inject_exception(v, VEC_DB, false, 0);
	}
	return true;
}

/* Completes the instruction of `exit` (vcpu_complete_insn). */
static inline bool insn_skip(struct vcpu *v, const struct vm_exit *exit)
{
	u64 next;

	return insn_next_rip(v, exit, &next) && vcpu_complete_insn(v, next);
}

#endif
