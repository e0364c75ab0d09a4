/* The run page (HV_EXT_RUN_PAGE): one page of VM 0's memory per child
 * vCPU, which the hypervisor writes each exit into in place, as KVM's
 * mmap'd kvm_run. `runpage off` makes new children use VCPU_RUN v1
 * instead, so that both paths stay tested. An hvctl built against the
 * frozen v1 headers (abi/v1) knows no run page: its children always run
 * through VCPU_RUN v1. */
#include "guests/mgmt/mgmt.h"

#if HV_ABI_HEADER_REVISION >= 2

/* One run page per child vCPU: VM 0's memory the hypervisor writes in
 * place. */
static u8 run_pages[CHILDREN_MAX][CHILD_VCPUS_MAX][4096] __attribute__((aligned(4096)));
static bool run_page_off; /* `runpage off` */

long vmm_attach_run_page(struct child *c)
{
	long r = 0;

	for (u32 i = 0; i < c->vcpus; i++)
		c->vcpu[i].page = NULL;
	if (run_page_off || disc.ext[HV_EXT_RUN_PAGE] <= 0)
		return 0;
	for (u32 i = 0; i < c->vcpus && !r; i++) {
		r = hv_vcpu_run_page_set(c->id, i, (struct hv_run_page *)run_pages[c->slot][i]);
		if (!r)
			c->vcpu[i].page = (struct hv_run_page *)run_pages[c->slot][i];
	}
	return r;
}

long vmm_run_paged(struct child *c, u32 i, u32 flags, u64 deadline, struct hv_exit **e)
{
	struct child_vcpu *v = &c->vcpu[i];

	v->page->complete_value = v->complete_value;
	*e = &v->page->exit;
	return hv_vcpu_run_paged_deadline(c->id, i, v->page, flags, deadline);
}

void cmd_runpage(struct words *ws)
{
	bool on;

	if (ws->n == 2 && parse_on_off(ws->w[1], &on))
		run_page_off = !on;
	else if (ws->n != 1)
		return (void)gprintf("error: usage: runpage [on|off]\n");
	gprintf("runpage: %s (new children %s)\n", run_page_off ? "off" : "on",
		run_page_off || disc.ext[HV_EXT_RUN_PAGE] <= 0 ?
		"run through VCPU_RUN v1" : "exit through their run page");
}

#else /* the v1 headers */

long vmm_attach_run_page(struct child *c)
{
	for (u32 i = 0; i < c->vcpus; i++)
		c->vcpu[i].page = NULL;
	return 0;
}

long vmm_run_paged(struct child *c, u32 i, u32 flags, u64 deadline, struct hv_exit **e)
{
	(void)c, (void)i, (void)flags, (void)deadline, (void)e;
	return -HV_ENOSYS;
}

void cmd_runpage(struct words *ws)
{
	(void)ws;
	gprintf("runpage: off (built against ABI v1: children run through VCPU_RUN v1)\n");
}

#endif
