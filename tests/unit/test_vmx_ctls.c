/* VMX control computation: (wanted | must-be-one) & may-be-one, and the
 * report of wanted bits the CPU cannot set. */
#include "check.h"
#include "../../arch/x86/vmx/vmx_ctls.h"

#define CAP(must, may) (((u64)(may) << 32) | (u32)(must))

TEST(wanted_bits_allowed)
{
	u32 out;

	CHECK_EQ(vmx_adjust_controls(CAP(0, 0xff), 0x81, &out), 0);
	CHECK_EQ(out, 0x81);
}

TEST(must_be_one_bits_added)
{
	u32 out;

	/* Bochs-like pin-based default1 bits 1, 2, 4 */
	CHECK_EQ(vmx_adjust_controls(CAP(0x16, 0x7f), 0x09, &out), 0);
	CHECK_EQ(out, 0x1f);
}

TEST(wanted_bit_the_cpu_cannot_set)
{
	u32 out;

	/* wants EPT (bit 1) and unrestricted guest (bit 7); only EPT allowed */
	CHECK_EQ(vmx_adjust_controls(CAP(0, 0x02), 0x82, &out), 0x80);
	CHECK_EQ(out, 0x02);
}

TEST(must_be_one_outside_may_be_one_is_dropped)
{
	u32 out;

	/* an inconsistent MSR: the result still never sets a forbidden bit */
	CHECK_EQ(vmx_adjust_controls(CAP(0x100, 0x0ff), 0x1, &out), 0);
	CHECK_EQ(out, 0x1);
}

TEST(true_controls_allow_clearing_default1)
{
	u32 legacy, true_ctls;

	/* legacy MSR forces CR3-load exiting (bit 15); the TRUE MSR does not */
	vmx_adjust_controls(CAP(1u << 15, 0xffffffff), 1u << 7, &legacy);
	vmx_adjust_controls(CAP(0, 0xffffffff), 1u << 7, &true_ctls);
	CHECK_EQ(legacy, (1u << 15) | (1u << 7));
	CHECK_EQ(true_ctls, 1u << 7);
}

TEST(fixed_bits)
{
	/* CR0: PE, NE, PG fixed to 1; CD/NW may be 1 */
	CHECK_EQ(vmx_apply_fixed(0x10, 0x80000021, 0xffffffff), 0x80000031);
	/* CR4: VMXE fixed to 1, bit 22 not allowed */
	CHECK_EQ(vmx_apply_fixed(0x400020, 0x2000, ~0x400000ULL), 0x2020);
}

RUN_TESTS("vmx_ctls", T(wanted_bits_allowed), T(must_be_one_bits_added),
	  T(wanted_bit_the_cpu_cannot_set),
	  T(must_be_one_outside_may_be_one_is_dropped),
	  T(true_controls_allow_clearing_default1), T(fixed_bits))
