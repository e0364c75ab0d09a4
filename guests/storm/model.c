/* What VM 0 believes the hypervisor holds: which child VMs live, under
 * which ids, their RAM, vCPUs and whether they stopped. It follows the
 * answers (a VM that VM_CREATE returned is live, one VM_DESTROY took is
 * gone), and the generators ask it which answers a call may get.
 *
 * Ids are the hypervisor's, not table indices: children count up from 1,
 * and an id is never handed out again once its VM is gone (docs/abi.md,
 * VM_CREATE). A storm creates far fewer than 2^31 - 1 VMs, so ids never
 * wrap here: every id that is not a live child's answers -ENOENT.
 *
 * On several vCPUs each models only the children it created; the ids in
 * between may be another vCPU's live children, so its calls name only
 * its own ids, 0, and ids past VM_ID_LAST (calls on the others' go
 * through cross.c, which reads their published models). */
#include "guests/storm/storm.h"
#include "lib/string.h"

#define RECENT_MAX 16

static PER_VCPU struct mvm children[MODEL_CHILDREN];
u32 max_vms, max_vcpus, max_regions, info_needed;

static PER_VCPU u32 recent[RECENT_MAX], nrecent; /* ids of VMs destroyed lately */
static PER_VCPU u32 last_id;    /* the id of the latest child VM_CREATE returned */
static PER_VCPU u32 maybe_used; /* VM_CREATEs failed since, each may have used an id */
static PER_VCPU u32 id_floor;   /* ids_seen() before this vCPU's VM_CREATE */

/* Each vCPU's children and destroyed ids, for the others to read. */
static struct mvm *published[STORM_VCPUS_MAX];
static u32 *published_gone[STORM_VCPUS_MAX];
static u32 *published_ngone[STORM_VCPUS_MAX];

struct mvm *vm_find(u32 id)
{
	for (u32 i = 0; id && i < MODEL_CHILDREN; i++)
		if (children[i].id == id)
			return &children[i];
	return NULL;
}

bool vm_live(u32 id)
{
	return vm_find(id) != NULL;
}

bool vcpu_exists(u32 vm, u32 vcpu)
{
	const struct mvm *m = vm_find(vm);

	return m && vcpu < m->vcpus;
}

u32 live_children(void)
{
	u32 n = 0;

	for (u32 i = 0; i < MODEL_CHILDREN; i++)
		n += children[i].id != 0;
	return n;
}

static bool is_live(const struct mvm *m)
{
	return m->id;
}

static bool is_running(const struct mvm *m)
{
	return m->id && !m->stopped && m->vcpus;
}

/* The id of a random child for which ok() holds, or 0. */
static u32 pick_where(bool (*ok)(const struct mvm *))
{
	u32 n = 0, k;

	for (u32 i = 0; i < MODEL_CHILDREN; i++)
		n += ok(&children[i]);
	if (!n)
		return 0;
	k = (u32)rnd_below(n);
	for (u32 i = 0; i < MODEL_CHILDREN; i++)
		if (ok(&children[i]) && !k--)
			return children[i].id;
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

/* Ids around the end of the id space: the last one a child may get and
 * those past it, which no VM ever has. */
static u32 top_id(void)
{
	switch (rnd_below(3)) {
	case 0:
		return VM_ID_LAST - (u32)rnd_below(4);
	case 1:
		return VM_ID_LAST + 1 + (u32)rnd_below(4);
	default:
		return ~0u - (u32)rnd_below(4);
	}
}

/* On several vCPUs, ids other vCPUs may hold become ids past the end. */
static u32 only_own(u32 id)
{
	return storm_smp && id <= VM_ID_LAST ? top_id() : id;
}

u32 pick_vm(void)
{
	u32 r = (u32)rnd_below(100), id;

	if (r < 55 && (id = pick_live()))
		return id;
	if (r < 63)
		return 0;
	if (r < 73 && nrecent)
		return recent[rnd_below(nrecent)];
	if (r < 80 && last_id) /* handed out: mostly destroyed */
		return only_own(1 + (u32)rnd_below(last_id));
	if (r < 90) /* after the last: perhaps used up by a failed VM_CREATE */
		return only_own(last_id + 1 + (u32)rnd_below(maybe_used + 4));
	if (r < 95)
		return top_id();
	return only_own((u32)rnd());
}

u32 pick_vcpu(u32 vm)
{
	const struct mvm *m = vm_find(vm);
	u32 n = m ? m->vcpus : 0;
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
	const struct mvm *m = vm_find(vm);

	if (!m || gpa + len < gpa)
		return false;
	while (len) {
		const struct range *r = range_of(m, gpa);
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
	for (u32 i = 0; i < MODEL_CHILDREN; i++)
		if (children[i].id && !strcmp(children[i].name, name))
			return true;
	return false;
}

/* On several vCPUs the others take ids at the same time: any id after
 * every one handed out before the call began. */
bool id_may_be_next(u32 id)
{
	if (storm_smp)
		return id > MAX(last_id, id_floor) && id <= VM_ID_LAST;
	return id > last_id && (u64)id - last_id <= 1 + (u64)maybe_used && id <= VM_ID_LAST;
}

void model_before_create(void)
{
	id_floor = ids_seen();
}

void model_create_failed(void)
{
	maybe_used++;
}

u32 id_next_first(void)
{
	return last_id + 1;
}

u32 ids_end(void)
{
	return last_id + maybe_used + 1;
}

static struct mvm *free_entry(void)
{
	for (u32 i = 0; i < MODEL_CHILDREN; i++)
		if (!children[i].id)
			return &children[i];
	return NULL;
}

void model_created(u32 id, const char *name, u64 mem, u32 vcpus, u32 exit_reasons)
{
	struct mvm *m = free_entry();

	if (!m) /* more children than VM slots: VM_CREATE's check reported it */
		return;
	memset(m, 0, sizeof(*m));
	m->id = id;
	hv_strlcpy(m->name, name, sizeof(m->name));
	m->vcpu_max = vcpus;
	m->exit_reasons = exit_reasons;
	m->chunks = (u32)(mem / (2 * MIB));
	m->nranges = 1;
	m->ranges[0] = (struct range){ 0, mem };
	last_id = id;
	maybe_used = 0;
	id_seen(id);
}

void taint_vm(struct mvm *m)
{
	m->image_ok = false;
	for (u32 i = 0; i < m->vcpus; i++)
		m->vcpu[i].fresh = false;
}

void model_destroyed(u32 id)
{
	struct mvm *m = vm_find(id);

	if (!m)
		return;
	m->id = 0;
	if (nrecent < RECENT_MAX) {
		recent[nrecent] = id;
		__atomic_store_n(&nrecent, nrecent + 1, __ATOMIC_RELEASE);
	} else {
		recent[rnd_below(RECENT_MAX)] = id;
	}
}

bool recently_destroyed(u32 id)
{
	for (u32 i = 0; i < nrecent; i++)
		if (recent[i] == id)
			return true;
	return false;
}

/* VM 0, the models' children, and if others stormed when the call
 * began, theirs too (up to the VM table's size). */
bool vms_alive_ok(u64 vms, bool others)
{
	u64 mine = live_children() + 1 + extra_vms;

	return vms == mine || (others && vms > mine && vms <= max_vms);
}

void model_publish(u32 cpu)
{
	published[cpu] = children;
	published_gone[cpu] = recent;
	published_ngone[cpu] = &nrecent;
}

static u32 other_vcpu(void)
{
	return (self + 1 + (u32)rnd_below(storm_vcpus - 1)) % storm_vcpus;
}

u32 foreign_live(void)
{
	const struct mvm *theirs = published[other_vcpu()];
	u32 start = (u32)rnd_below(MODEL_CHILDREN), id;

	for (u32 i = 0; theirs && i < MODEL_CHILDREN; i++)
		if ((id = __atomic_load_n(&theirs[(start + i) % MODEL_CHILDREN].id,
					  __ATOMIC_RELAXED)))
			return id;
	return 0;
}

/* Every entry below the published count holds an id that was destroyed:
 * it answers -ENOENT for good. */
u32 foreign_gone(void)
{
	u32 cpu = other_vcpu();
	u32 n = published_ngone[cpu] ? __atomic_load_n(published_ngone[cpu], __ATOMIC_ACQUIRE) : 0;

	return n ? __atomic_load_n(&published_gone[cpu][rnd_below(n)], __ATOMIC_RELAXED) : 0;
}
