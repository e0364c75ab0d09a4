#include "arch/x86/vmx/vmx_ctls.h"

u32 vmx_adjust_controls(u64 cap_msr, u32 wanted, u32 *out)
{
	u32 must_be_one = (u32)cap_msr;
	u32 may_be_one = (u32)(cap_msr >> 32);

	*out = (wanted | must_be_one) & may_be_one;
	return wanted & ~may_be_one;
}

u64 vmx_apply_fixed(u64 value, u64 fixed0, u64 fixed1)
{
	return (value | fixed0) & fixed1;
}
