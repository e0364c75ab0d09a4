/* A PC child's MSRs that the hypervisor leaves to its VMM (HV_EXIT_MSR,
 * enabled for `pc` children when offered): the few a kernel for QEMU's pc
 * machine touches without checking, answered as that machine does: reads
 * as zero, writes ignored. Any other MSR is #GP, as on a CPU without it. */
#include "guests/mgmt/pc.h"

#if HV_ABI_HEADER_REVISION >= 2 /* MSR exits came after v1 */

struct pc_msr_row {
	u32 index;
	const char *name;
};

static const struct pc_msr_row pc_msrs[] = {
	/* AMD's northbridge configuration: Linux sets its bit 46 (extended
	 * PCI configuration through 0xCF8) on every AMD CPU of family 10h
	 * and later as each comes online. */
	{ 0xc001001f, "NB_CFG" },
};

static const struct pc_msr_row *pc_msr_find(u32 index)
{
	for (size_t i = 0; i < ARRAY_SIZE(pc_msrs); i++)
		if (pc_msrs[i].index == index)
			return &pc_msrs[i];
	return NULL;
}

void pc_msr(struct child *c, const struct hv_exit_msr *m)
{
	struct child_vcpu *v = child_cur(c);

	if (!pc_msr_find(m->index)) {
		c->msr_gp++;
		v->msr_gp = true;
		return;
	}
	v->complete = !m->write;
	v->complete_value = 0;
}

#endif
