/* Guest state that VM entry and exit leave in the CPU's registers: the
 * x87/SSE/AVX registers with XCR0, the debug registers DR0-DR3 (and DR6
 * where the backend does not switch it) and, where the backend asks, the
 * SYSCALL/SWAPGS MSRs. Each vCPU has its own copy (struct vcpu_lazy in
 * hv/virt.h) and this file moves it in and out of the CPU. */
#ifndef ARCH_X86_GUEST_STATE_H
#define ARCH_X86_GUEST_STATE_H

#include "hv/vm.h"

/* What the backend's VM entry and exit do not switch themselves. */
struct guest_state_policy {
	bool dr6;          /* DR6 stays in the CPU (VMX; SVM keeps it in the VMCB) */
	bool syscall_msrs; /* STAR/LSTAR/CSTAR/SFMASK/KERNEL_GS_BASE (VMX) */
};

/* MSRs a guest reads and writes without exits: the segment-base,
 * SYSCALL, SWAPGS and SYSENTER MSRs, each vCPU's own (switched by VM
 * entry/exit, VMLOAD/VMSAVE or guest_state_load). */
#define GUEST_DIRECT_MSR_COUNT 10
extern const u32 guest_direct_msrs[GUEST_DIRECT_MSR_COUNT];

/* Once per CPU, before any vCPU exists: enables FXSAVE/XSAVE in the
 * host's CR4 and learns the XSAVE layout. */
void guest_state_cpu_init(const struct guest_state_policy *p);

/* A vCPU's copy: allocated at creation (negative errno), freed with it. */
int guest_state_alloc(struct vcpu *v);
void guest_state_free(struct vcpu *v);

/* Right before entering v: puts v's values into the CPU unless they are
 * still there from its last run on this CPU. */
void guest_state_load(struct vcpu *v);

/* v leaves this CPU for another (hv/vcpu_move.h): its values, if the
 * registers hold them, are saved into v, and no vCPU owns the registers
 * here any more, so the next one to run here loads all of its own. */
void guest_state_unload(struct vcpu *v);

#define DR6_TRAP_BITS 0xfULL /* B0-B3: cleared by each #DB, then set */
#define DR6_STICKY_BITS (BIT(13) | BIT(14)) /* BD, BS */

/* DR6 after a #DB that reports dr6_bits: B0-B3 replaced, BD and BS added. */
static inline u64 dr6_after_trap(u64 dr6, u64 dr6_bits)
{
	return (dr6 & ~DR6_TRAP_BITS) | (dr6_bits & (DR6_TRAP_BITS | DR6_STICKY_BITS));
}

/* Sets the B0-B3/BD/BS bits of the guest's DR6 that a #DB reported in
 * the exit instead of in DR6 (VMX); v is the vCPU that just ran. */
void guest_state_debug_trap(struct vcpu *v, u64 dr6_bits);

/* XSETBV from the guest (v is the vCPU that just ran): true when the
 * value was valid and is now v's XCR0; false means #GP for the guest. */
bool guest_state_set_xcr0(struct vcpu *v, u64 value, u64 allowed);
/* v's XCR0 as the guest last set it, read back from the CPU when v's
 * state is loaded: a CPU that does not intercept XSETBV (QEMU 7.2's SVM)
 * lets the guest change it without an exit. */
u64 guest_state_xcr0(struct vcpu *v);

#endif
