/* VMX control values from the capability MSRs: the low half lists the
 * bits that must be 1, the high half the bits that may be 1. A control
 * is (wanted | must-be-one) & may-be-one, never hard-coded. Pure;
 * unit-tested. */
#ifndef ARCH_X86_VMX_VMX_CTLS_H
#define ARCH_X86_VMX_VMX_CTLS_H

#include "lib/types.h"

/* Computes the control value into *out. Returns the wanted bits the CPU
 * cannot set (0 when every wanted bit is available). */
static inline u32 vmx_adjust_controls(u64 cap_msr, u32 wanted, u32 *out)
{
	u32 must_be_one = (u32)cap_msr;
	u32 may_be_one = (u32)(cap_msr >> 32);

	*out = (wanted | must_be_one) & may_be_one;
	return wanted & ~may_be_one;
}

/* Applies CR0/CR4 fixed-bit MSRs: bits set in fixed0 must be 1, bits
 * clear in fixed1 must be 0. */
static inline u64 vmx_apply_fixed(u64 value, u64 fixed0, u64 fixed1)
{
	return (value | fixed0) & fixed1;
}

#endif
