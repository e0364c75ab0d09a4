/* The MMIO device hvctl emulates for children created with `mmio`
 * (HV_EXIT_MMIO enabled): MMIO_DEV_SIZE bytes of registers at
 * MMIO_DEV_BASE, above any child's RAM. A write stores its bytes, a read
 * returns them, at any size and offset inside the device; reads
 * elsewhere give all-ones and writes elsewhere are dropped (both
 * counted), as for unclaimed ports. An instruction the hypervisor did
 * not decode is shown with its bytes and stepped over through
 * GET/SET_REGS, as a VMM that does not emulate it might do. */
#include "guests/mgmt/mgmt.h"

#if HV_ABI_HEADER_REVISION >= 2 /* MMIO exits are not in the v1 headers */

static bool in_device(const struct hv_exit_mmio *m)
{
	return m->gpa >= MMIO_DEV_BASE && m->gpa + m->size <= MMIO_DEV_BASE + MMIO_DEV_SIZE;
}

/* Skips the undecoded instruction; false when it cannot (the child
 * ended). */
static bool skip_undecoded(struct child *c, const struct hv_exit *e)
{
	const struct hv_exit_mmio *m = &e->u.mmio;
	struct hv_vcpu_regs r;
	char hex[2 * sizeof(m->insn) + 1];
	long err;

	for (u32 i = 0; i < m->insn_len; i++)
		hv_snprintf(hex + 2 * i, 3, "%02x", m->insn[i]);
	hex[2 * m->insn_len] = '\0';
	gprintf("vm %s: undecoded MMIO access to 0x%llx at rip 0x%llx: %s, skipped\n", c->name,
		(unsigned long long)m->gpa, (unsigned long long)e->rip, hex);
	if (!m->insn_len || (err = hv_vcpu_get_regs(c->id, c->cur, &r)) < 0) {
		child_end(c, CHILD_FAULTED, "undecoded MMIO access at rip 0x%llx",
			  (unsigned long long)e->rip);
		return false;
	}
	r.flags = HV_REGS_GPRS;
	r.rip += m->insn_len;
	if ((err = hv_vcpu_set_regs(&r)) < 0) {
		child_end(c, CHILD_FAULTED, "failed: vcpu_set_regs: %s", err_name(err));
		return false;
	}
	return true;
}

bool mmio_dev_exit(struct child *c, const struct hv_exit *e)
{
	const struct hv_exit_mmio *m = &e->u.mmio;
	u64 v = ~0ULL;

	c->mmio_exits++;
	if (m->flags & HV_MMIO_UNDECODED)
		return skip_undecoded(c, e);
	if (!in_device(m)) {
		c->mmio_unclaimed++;
	} else if (m->flags & HV_MMIO_WRITE) {
		memcpy(&c->mmio_regs[m->gpa - MMIO_DEV_BASE], &m->data, m->size);
	} else {
		v = 0;
		memcpy(&v, &c->mmio_regs[m->gpa - MMIO_DEV_BASE], m->size);
	}
	child_cur(c)->complete = !(m->flags & HV_MMIO_WRITE);
	child_cur(c)->complete_value = v;
	return true;
}
#endif
