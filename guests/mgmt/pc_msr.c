/* A PC child's MSRs that the hypervisor leaves to its VMM (HV_EXIT_MSR,
 * enabled for `pc` children when offered): the few a kernel for QEMU's pc
 * machine touches without checking, answered as that machine does: reads
 * as zero, writes ignored. Any other MSR is #GP, as on a CPU without it. */
#include "guests/mgmt/pc.h"

#if HV_ABI_HEADER_REVISION >= 2 /* MSR exits came after v1 */

static const u32 pc_msrs[] = {
	/* The microcode revision (Intel's IA32_BIOS_SIGN_ID, AMD's
	 * PATCH_LEVEL): none loaded. Intel's protocol writes 0 to it before
	 * the CPUID that latches the revision; Xen reads it at boot. */
	0x8b, /* UCODE_REV */
	/* AMD's northbridge configuration: Linux sets its bit 46 (extended
	 * PCI configuration through 0xCF8) on every AMD CPU of family 10h
	 * and later as each comes online. */
	0xc001001f, /* NB_CFG */
	/* AMD's system configuration (MTRR extensions, memory encryption):
	 * all off. Xen reads it while identifying an AMD CPU. */
	0xc0010010, /* SYSCFG */
	/* AMD's SMM memory range and the MMIO configuration base: none. */
	0xc0010058, /* MMIO_CONF_BASE */
	0xc0010112, /* TSEG_ADDR */
	0xc0010113, /* TSEG_MASK */
	/* AMD's bus unit and data cache configuration, which kernels adjust
	 * for errata on some families. */
	0xc0011022, /* DC_CFG */
	0xc001102a, /* BU_CFG2 */
};

static bool pc_msr_known(u32 index)
{
	for (size_t i = 0; i < ARRAY_SIZE(pc_msrs); i++)
		if (pc_msrs[i] == index)
			return true;
	return false;
}

void pc_msr(struct child *c, const struct hv_exit_msr *m)
{
	struct child_vcpu *v = child_cur(c);

	if (!pc_msr_known(m->index)) {
		c->msr_gp++;
		v->msr_gp = true;
		return;
	}
	v->complete = !m->write;
	v->complete_value = 0;
}

#endif
