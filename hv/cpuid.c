#include "hv/cpuid.h"
#include "abi/hv_boot.h"
#include "arch/x86/cpu.h"
#include "hv/string.h"

#define LEAF1_ECX_VMX BIT(5)
#define LEAF1_ECX_HYPERVISOR BIT(31)
#define EXT1_ECX_SVM BIT(2)
#define LEAF_SVM 0x8000000a
#define HV_LEAF_LAST HV_CPUID_VERSION

static void hypervisor_leaf(u32 leaf, struct cpuid_result *r)
{
	const char *sig = HV_CPUID_SIGNATURE;

	memset(r, 0, sizeof(*r));
	if (leaf == HV_CPUID_BASE) {
		r->eax = HV_LEAF_LAST;
		memcpy(&r->ebx, sig, 4);
		memcpy(&r->ecx, sig + 4, 4);
		memcpy(&r->edx, sig + 8, 4);
	} else if (leaf == HV_CPUID_VERSION) {
		r->eax = HV_ABI_VERSION;
	}
}

void guest_cpuid(struct vm *vm, u32 leaf, u32 subleaf, struct cpuid_result *r)
{
	struct cpuid_regs h;

	(void)vm; /* one view for every VM until VMs get their own tables */
	if ((leaf & 0xffff0000) == HV_CPUID_BASE) {
		hypervisor_leaf(leaf, r);
		return;
	}
	h = cpuid(leaf, subleaf);
	*r = (struct cpuid_result){ h.eax, h.ebx, h.ecx, h.edx };
	if (leaf == 1)
		r->ecx = (r->ecx & ~LEAF1_ECX_VMX) | LEAF1_ECX_HYPERVISOR;
	else if (leaf == 0x80000001)
		r->ecx &= ~EXT1_ECX_SVM;
	else if (leaf == LEAF_SVM)
		memset(r, 0, sizeof(*r));
}

/* x87, SSE, AVX and the AVX-512 state, of those the CPU has. */
u64 cpuid_guest_xcr0_mask(void)
{
	struct cpuid_regs d = cpuid(0xd, 0);

	return (d.eax | (u64)d.edx << 32) & 0xe7;
}
