/* What VM 0 believes the hypervisor holds: which child VMs live, their
 * RAM, vCPUs and whether they stopped. It follows the answers (a VM that
 * VM_CREATE returned is live, one VM_DESTROY took is gone), and the
 * generators ask it which answers a call may get. */
#include "guests/storm/storm.h"
#include "hv/string.h"

#define RECENT_MAX 8

struct mvm vms[MODEL_VMS];
u32 max_vms, max_vcpus, max_regions, info_needed;

static u32 recent[RECENT_MAX], nrecent;

bool vm_live(u32 id)
{
	return id && id < MODEL_VMS && vms[id].live;
}

bool vcpu_exists(u32 vm, u32 vcpu)
{
	return vm_live(vm) && vcpu < vms[vm].vcpus;
}

u32 live_children(void)
{
	u32 n = 0;

	for (u32 id = 1; id < MODEL_VMS; id++)
		n += vms[id].live;
	return n;
}

static bool is_live(const struct mvm *m)
{
	return m->live;
}

static bool is_running(const struct mvm *m)
{
	return m->live && !m->stopped && m->vcpus;
}

/* A random child for which ok() holds, or 0. */
static u32 pick_where(bool (*ok)(const struct mvm *))
{
	u32 n = 0, k;

	for (u32 id = 1; id < MODEL_VMS; id++)
		n += ok(&vms[id]);
	if (!n)
		return 0;
	k = (u32)rnd_below(n);
	for (u32 id = 1; id < MODEL_VMS; id++)
		if (ok(&vms[id]) && !k--)
			return id;
	return 0;
}

u32 pick_live(void)
{
	return pick_where(is_live);
}

u32 pick_running(void)
{
	return pick_where(is_running);
}

u32 pick_vm(void)
{
	u32 r = (u32)rnd_below(100), id;

	if (r < 60 && (id = pick_live()))
		return id;
	if (r < 68)
		return 0;
	if (r < 78 && nrecent)
		return recent[rnd_below(nrecent)];
	if (r < 88)
		return (u32)rnd_below(max_vms);
	if (r < 95)
		return max_vms + (u32)rnd_below(1000);
	return (u32)rnd();
}

u32 pick_vcpu(u32 vm)
{
	u32 n = vm_live(vm) ? vms[vm].vcpus : 0;
	u32 r = (u32)rnd_below(100);

	if (r < 80 && n)
		return (u32)rnd_below(n);
	if (r < 90)
		return n;
	if (r < 95)
		return (u32)rnd_below(MODEL_VCPUS + 2);
	return (u32)rnd();
}

static const struct range *range_of(const struct mvm *m, u64 gpa)
{
	for (u32 i = 0; i < m->nranges; i++)
		if (gpa >= m->ranges[i].gpa && gpa - m->ranges[i].gpa < m->ranges[i].len)
			return &m->ranges[i];
	return NULL;
}

bool child_ram(u32 vm, u64 gpa, u64 len)
{
	if (!vm_live(vm) || gpa + len < gpa)
		return false;
	while (len) {
		const struct range *r = range_of(&vms[vm], gpa);
		u64 n;

		if (!r)
			return false;
		n = MIN(len, r->gpa + r->len - gpa);
		gpa += n;
		len -= n;
	}
	return true;
}

bool name_in_use(const char *name)
{
	if (!strcmp(name, "vm0"))
		return true;
	for (u32 id = 1; id < MODEL_VMS; id++)
		if (vms[id].live && !strcmp(vms[id].name, name))
			return true;
	return false;
}

void model_created(u32 id, const char *name, u64 mem, u32 vcpus, u32 exit_reasons)
{
	struct mvm *m = &vms[id];

	memset(m, 0, sizeof(*m));
	m->live = true;
	hv_strlcpy(m->name, name, sizeof(m->name));
	m->vcpu_max = vcpus;
	m->exit_reasons = exit_reasons;
	m->chunks = (u32)(mem / (2 * MIB));
	m->nranges = 1;
	m->ranges[0] = (struct range){ 0, mem };
}

void taint_vm(u32 vm)
{
	vms[vm].image_ok = false;
	for (u32 i = 0; i < vms[vm].vcpus; i++)
		vms[vm].vcpu[i].fresh = false;
}

void model_destroyed(u32 id)
{
	vms[id].live = false;
	if (nrecent < RECENT_MAX)
		recent[nrecent++] = id;
	else
		recent[rnd_below(RECENT_MAX)] = id;
}
