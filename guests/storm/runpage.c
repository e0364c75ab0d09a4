/* The run page: VCPU_RUN_PAGE_SET with pages that are VM 0's and pages
 * that are not, and VCPU_RUN_PAGED with good and bad registers. The model
 * keeps each vCPU's page; a paged run is checked as VCPU_RUN's are, on
 * the record in the page. */
#include "guests/storm/storm.h"

#define RUN_PAGES 4

/* VM 0's pages the hypervisor may write; vCPUs may share one. */
static PER_VCPU u8 run_pages[RUN_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static struct hv_run_page *some_page(void)
{
	return (struct hv_run_page *)run_pages[rnd_below(RUN_PAGES)];
}

/* A gpa for the call: mostly one of run_pages, else unaligned, not RAM,
 * or the local APIC's page; *e is what the ABI answers for it. */
static u64 pick_gpa(outcomes *e)
{
	*e = 0;
	switch (rnd_below(10)) {
	case 0:
		*e = E(EINVAL);
		return (u64)some_page() + 8 * (1 + rnd_below(511));
	case 1:
		*e = E(EFAULT);
		return unmapped_gpa() & ~(u64)(PAGE_SIZE - 1);
	case 2:
		*e = E(EFAULT);
		return 0xfee00000;
	default:
		return (u64)some_page();
	}
}

static outcomes page_set_fields(const struct hv_vcpu_run_page_set *a, outcomes gpa_errs)
{
	outcomes e = a->flags & ~HV_RUN_PAGE_CLEAR ? E(EINVAL) : 0;

	if (!a->vm)
		e |= E(EPERM);
	else if (!vcpu_exists(a->vm, a->vcpu))
		e |= E(ENOENT);
	if (a->flags & HV_RUN_PAGE_CLEAR)
		return e | (a->gpa ? E(EINVAL) : 0);
	return e | gpa_errs;
}

/* A registered page holds its header and an empty exit record. */
static void check_page_header(const struct hc *c, const struct hv_vcpu_run_page_set *a)
{
	const struct hv_run_page *p = (const struct hv_run_page *)a->gpa;

	if (p->size != HV_RUN_PAGE_SIZE_VER0 || p->flags || p->vm != a->vm ||
	    p->vcpu != a->vcpu || p->exit.argsz != HV_EXIT_SIZE_VER0 || p->exit.reason ||
	    p->complete_value)
		unexpected(c, "run page header: size %u vm %u vcpu %u argsz %u reason %u",
			   p->size, p->vm, p->vcpu, p->exit.argsz, p->exit.reason);
}

void storm_run_page_set(void)
{
	struct hv_vcpu_run_page_set a = { .flags = mostly_zero() };
	struct hc c = { .nr = HV_CALL_VCPU_RUN_PAGE_SET };
	struct sized s;
	outcomes gpa_errs, fields;

	if (chance(20))
		a.flags |= HV_RUN_PAGE_CLEAR;
	pick_run_target(&a.vm, &a.vcpu);
	a.gpa = pick_gpa(&gpa_errs);
	if ((a.flags & HV_RUN_PAGE_CLEAR) && chance(80))
		a.gpa = 0;
	sized_put(&s, &a, sizeof(a), HV_VCPU_RUN_PAGE_SET_SIZE_VER0);
	c.rdi = s.gpa;
	fields = page_set_fields(&a, gpa_errs);
	c.allow = sized_allow(&s, fields ? fields : OK);
	sized_snapshot(&s, sizeof(a));
	issue(&c);
	sized_check(&s, &c, sizeof(a));
	if (c.ret != 0) /* a success registered, whatever the set allowed */
		return;
	tally.run_pages_set++;
	vm_find(a.vm)->vcpu[a.vcpu].page =
		a.flags & HV_RUN_PAGE_CLEAR ? NULL : (struct hv_run_page *)a.gpa;
	if (!(a.flags & HV_RUN_PAGE_CLEAR))
		check_page_header(&c, &a);
}

/* What the ABI answers for these registers (0: the vCPU runs). */
static outcomes paged_fields(const struct hc *c)
{
	u32 vm = (u32)c->rdi, vcpu = (u32)c->rsi;
	outcomes e = (c->rdi | c->rsi) >> 32 ? E(EINVAL) : run_flags_error(c->rdx, vm);

	if (!vm)
		return e | E(EPERM);
	if (!vcpu_exists(vm, vcpu))
		return e | E(ENOENT);
	if (!vm_find(vm)->vcpu[vcpu].page)
		return e | E(EINVAL);
	return e | (vm_find(vm)->stopped ? E(ESRCH) : 0);
}

void storm_vcpu_run_paged(void)
{
	struct hc c = { .nr = HV_CALL_VCPU_RUN_PAGED };
	struct hv_vcpu_run a = { .flags = chance(25) ? HV_RUN_COMPLETE : 0,
				 .complete_value = complete_value() };
	struct hv_run_page *p = NULL;
	s64 exits = -1;

	pick_run_target(&a.vm, &a.vcpu);
	c.rdi = a.vm | (chance(3) ? BIT(32 + rnd_below(32)) : 0);
	c.rsi = a.vcpu | (chance(3) ? BIT(32 + rnd_below(32)) : 0);
	c.rdx = a.flags | (chance(4) ? BIT(1 + rnd_below(63)) : 0);
	c.allow = paged_fields(&c);
	if (!c.allow)
		c.allow = OK;
	if (vcpu_exists(a.vm, a.vcpu) && (p = vm_find(a.vm)->vcpu[a.vcpu].page)) {
		p->complete_value = a.complete_value;
		if (!vm_find(a.vm)->stopped && c.allow != OK)
			exits = vm_exits_now(a.vm);
	}
	if (c.allow == OK)
		note_completion(&vm_find(a.vm)->vcpu[a.vcpu], &a);
	issue(&c);
	if (c.ret < 0 && exits >= 0 && vm_exits_now(a.vm) != exits)
		unexpected(&c, "the paged run failed, but the child ran");
	if (c.ret > 0 && in_set(c.allow, c.ret)) {
		tally.paged_runs++;
		run_done(&c, vm_find(a.vm), a.vcpu, &p->exit, HV_EXIT_SIZE_VER0);
	}
}
