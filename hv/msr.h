/* The MSRs a guest sees: a fixed set emulated per vCPU with the
 * architecture's rules (Intel SDM vol. 3 and 4, AMD APM vol. 2), the
 * SYSCALL/SYSENTER/segment-base MSRs that the CPU switches itself
 * (guest_direct_msrs), and #GP, or an exit to the VMM, for any other. */
#ifndef HV_MSR_H
#define HV_MSR_H

#include "lib/types.h"

struct vcpu;

#define MTRR_VAR_COUNT 8    /* variable ranges, as MTRRcap reports */
#define MTRR_FIXED_COUNT 11 /* 64K_00000, 16K_80000/A0000, 4K_C0000..F8000 */

/* The emulated MSRs' values that live nowhere else (EFER and PAT are in
 * the backend's guest state, the TSC in the CPU with the VM's offset). */
struct vcpu_msrs {
	u64 apic_base;
	u64 tsc_adjust;
	u64 misc_enable;
	u64 mtrr_def_type;
	u64 mtrr_fixed[MTRR_FIXED_COUNT];
	u64 mtrr_var[2 * MTRR_VAR_COUNT]; /* PHYSBASE0, PHYSMASK0, PHYSBASE1... */
};

#define APIC_BASE_BSP BIT(8)
#define APIC_BASE_ENABLE BIT(11)
#define APIC_BASE_DEFAULT 0xfee00000ULL

/* Fast strings reads back set and may be cleared; BTS and PEBS read as
 * unavailable; every other bit reads 0 and #GPs when set. */
#define MISC_ENABLE_FAST_STRING BIT(0)
#define MISC_ENABLE_RESET (MISC_ENABLE_FAST_STRING | BIT(11) | BIT(12))

/* The values at reset, for the bootstrap processor (vCPU 0) or not. */
static inline void msr_reset(struct vcpu_msrs *m, bool bsp)
{
	*m = (struct vcpu_msrs){
		.apic_base = APIC_BASE_DEFAULT | APIC_BASE_ENABLE | (bsp ? APIC_BASE_BSP : 0),
		.misc_enable = MISC_ENABLE_RESET,
	};
}

enum msr_result {
	MSR_DONE,    /* read into *value, or written */
	MSR_GP,      /* the architecture's #GP: reserved bits, invalid value */
	MSR_UNKNOWN, /* not an MSR the hypervisor emulates */
};

/* RDMSR (write false: *value gets the result) or WRMSR of *value. */
enum msr_result msr_access(struct vcpu *v, u32 index, bool write, u64 *value);

#endif
