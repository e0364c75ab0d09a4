/* The calls that make, grow, fill and end child VMs, on any id: live,
 * destroyed, never used, VM 0 itself, huge. The model (model.c) follows
 * their answers. A failed allocating call must leave the hypervisor's
 * free memory exactly as it was, checked while no other vCPU storms
 * (their calls allocate and free at the same time). */
#include "guests/storm/storm.h"
#include "lib/printf.h"
#include "lib/string.h"

static PER_VCPU u32 names_made;
static PER_VCPU s64 free_cache = -1; /* free bytes, or -1 when unknown */

/* -1 while other vCPUs storm: no figure to check against. Once they
 * are done they stay done, so a figure taken then holds until the check. */
s64 free_known(void)
{
	if (others_storming())
		return -1;
	if (free_cache < 0)
		free_cache = free_bytes_now(NULL);
	return free_cache;
}

void free_after(const struct hc *c, s64 before)
{
	s64 now;

	if (c->ret >= 0 || before < 0) {
		free_cache = -1;
		return;
	}
	now = free_bytes_now(NULL);
	if (now != before)
		unexpected(c, "failed, but free memory went from %lld to %lld", (long long)before,
			   (long long)now);
	free_cache = now;
}

/* ---- VM_CREATE ---------------------------------------------------------- */

static void make_name(char *name)
{
	static const char *const bad[] = { "", "a b", "tab\there", "\x01", "caf\xc3\xa9",
					   "del\x7f" };
	u32 r = (u32)rnd_below(100);
	u32 id;

	memset(name, 0, HV_NAME_MAX);
	if (r < 72) { /* names no other vCPU makes */
		if (self)
			hv_snprintf(name, HV_NAME_MAX, "v%uc%u", self, names_made++);
		else
			hv_snprintf(name, HV_NAME_MAX, "c%u", names_made++);
		if (chance(10)) /* the longest name there may be */
			for (u32 i = (u32)strlen(name); i < HV_NAME_MAX - 1; i++)
				name[i] = 'x';
	} else if (r < 82 && (id = pick_live())) {
		hv_strlcpy(name, vm_find(id)->name, HV_NAME_MAX);
	} else if (r < 86) {
		hv_strlcpy(name, "vm0", HV_NAME_MAX);
	} else if (r < 90) {
		memset(name, 'n', HV_NAME_MAX); /* no NUL */
	} else {
		hv_strlcpy(name, bad[rnd_below(ARRAY_SIZE(bad))], HV_NAME_MAX);
	}
}

static bool name_valid(const char *name)
{
	size_t len = strnlen(name, HV_NAME_MAX);

	if (!len || len == HV_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (name[i] <= ' ' || name[i] > '~')
			return false;
	return true;
}

static u64 pick_mem(void)
{
	u32 r = (u32)rnd_below(100);

	if (r < 70)
		return 2 * MIB;
	if (r < 80)
		return 4 * MIB;
	if (r < 85)
		return 2 * MIB * (1 + rnd_below(4));
	switch (rnd_below(5)) {
	case 0:
		return 0;
	case 1:
		return MIB * (1 + 2 * rnd_below(4)); /* odd MiB */
	case 2:
		return 2 * MIB * (max_regions + 1 + rnd_below(4));
	case 3:
		return 1ULL << 63;
	default:
		return rnd();
	}
}

static outcomes create_fields(const struct hv_vm_create *a)
{
	if (a->flags || a->reserved || a->reserved1 || !name_valid(a->name) || !a->mem_size ||
	    a->mem_size % (2 * MIB) || a->mem_size / (2 * MIB) > max_regions || !a->vcpus ||
	    a->vcpus > max_vcpus || (a->exit_reasons & ~HV_EXIT_OPTIONAL_MASK))
		return E(EINVAL);
	if (name_in_use(a->name))
		return E(EEXIST);
	if (live_children() + 1 + extra_vms >= max_vms)
		return E(ENOMEM); /* no free VM slot */
	return OK | E(ENOMEM); /* other vCPUs' children may fill the table */
}

void storm_vm_create(void)
{
	struct hv_vm_create a = { 0, mostly_zero(), pick_mem(), 0, mostly_zero(), { 0 }, 0,
				  mostly_zero() };
	struct sized s;
	struct hc c = { .nr = HV_CALL_VM_CREATE };
	s64 before = free_known();

	a.vcpus = chance(80) ? 1 + (u32)rnd_below(max_vcpus) : chance(50) ? 0 : (u32)rnd();
	a.exit_reasons = chance(50) ? 0 : chance(90) ? HV_EXIT_OPTIONAL_MASK : (u32)rnd();
	make_name(a.name);
	sized_put(&s, &a, sizeof(a), HV_VM_CREATE_SIZE_VER0);
	c.rdi = s.gpa;
	c.allow = sized_allow(&s, create_fields(&a));
	sized_snapshot(&s, sizeof(a));
	model_before_create();
	issue(&c);
	sized_check(&s, &c, sizeof(a));
	free_after(&c, before);
	if (c.ret == -HV_ENOMEM)
		model_create_failed();
	if (c.ret < 0 || !in_set(c.allow, c.ret))
		return;
	if (c.ret > VM_ID_LAST || !id_may_be_next((u32)c.ret)) {
		unexpected(&c, "vm_create returned id %ld, want one in %u..%u", c.ret,
			   id_next_first(), ids_end());
		return;
	}
	model_created((u32)c.ret, a.name, a.mem_size, a.vcpus, a.exit_reasons);
}

/* ---- the calls with a {size, flags, vm, reserved} header ----------------- */

outcomes target_fields(const struct hv_vm_destroy *h)
{
	outcomes e = h->flags || h->reserved ? E(EINVAL) : 0;

	if (!h->vm)
		e |= E(EPERM);
	else if (!vm_live(h->vm))
		e |= E(ENOENT);
	return e;
}

void storm_vm_destroy(void)
{
	struct hv_vm_destroy a = { 0, mostly_zero(), pick_vm(), mostly_zero() };
	struct sized s;
	struct hc c = { .nr = HV_CALL_VM_DESTROY };
	s64 before = free_known();
	outcomes e;

	sized_put(&s, &a, sizeof(a), HV_VM_DESTROY_SIZE_VER0);
	e = target_fields(&a);
	c.rdi = s.gpa;
	c.allow = sized_allow(&s, e ? e : OK);
	sized_snapshot(&s, sizeof(a));
	issue(&c);
	sized_check(&s, &c, sizeof(a));
	free_after(&c, before);
	if (c.ret == 0 && vm_live(a.vm))
		model_destroyed(a.vm);
}

/* ---- VM_ADD_MEMORY ------------------------------------------------------ */

#define STAGE2_LIMIT (1ULL << 48) /* guest-physical addresses the backends map */

static u64 ram_top(const struct mvm *m)
{
	u64 top = 0;

	for (u32 i = 0; m && i < m->nranges; i++)
		top = MAX(top, m->ranges[i].gpa + m->ranges[i].len);
	return top;
}

static u64 pick_gpa(u32 vm)
{
	const struct mvm *m = vm_find(vm);
	u32 r = (u32)rnd_below(100);

	if (r < 40)
		return ram_top(m);
	if (r < 55)
		return m ? m->ranges[rnd_below(m->nranges)].gpa : 0;
	if (r < 70)
		return 2 * MIB * rnd_below(2048);
	if (r < 82)
		return ALIGN_DOWN(1ULL << (32 + rnd_below(16)), 2 * MIB) - 2 * MIB * rnd_below(2);
	if (r < 85)
		return STAGE2_LIMIT - 2 * MIB * rnd_below(2); /* on or at the limit */
	if (r < 95)
		return 2 * MIB * rnd_below(2048) + 1 + rnd_below(2 * MIB - 1);
	return rnd();
}

static u64 pick_length(void)
{
	u32 r = (u32)rnd_below(100);

	if (r < 75)
		return 2 * MIB;
	if (r < 80)
		return 4 * MIB;
	if (r < 85)
		return rnd_below(3) * MIB; /* 0, 1 or 2 MiB */
	if (r < 87)
		return 2 * MIB * (max_regions + rnd_below(4)); /* more than fits */
	return chance(50) ? rnd() : ~0ULL - rnd_below(4 * MIB);
}

static bool overlaps_ram(const struct mvm *m, u64 gpa, u64 len)
{
	for (u32 i = 0; i < m->nranges; i++) {
		const struct range *r = &m->ranges[i];

		if (gpa < r->gpa + r->len && r->gpa < gpa + len)
			return true;
	}
	return false;
}

static outcomes add_memory_fields(const struct hv_vm_memory *a)
{
	const u64 chunk = 2 * MIB;
	/* HV_MEM_READONLY is the one flag (read-only RAM is RAM all the same) */
	struct hv_vm_destroy h = { 0, a->flags & ~HV_MEM_READONLY, a->vm, a->reserved };
	outcomes e = target_fields(&h);
	const struct mvm *m = vm_find(a->vm);

	if (e)
		return e;
	if (!a->length || a->gpa % chunk || a->length % chunk || a->gpa + a->length < a->gpa)
		e |= E(EINVAL);
	else if (overlaps_ram(m, a->gpa, a->length))
		e |= E(EEXIST);
	if (a->length / chunk > max_regions - m->chunks)
		e |= E(ENOSPC);
	if (e)
		return e;
	/* chunks go in one by one: memory may run out, and the backends map
	 * no guest-physical address from STAGE2_LIMIT on */
	if (a->gpa + a->length > STAGE2_LIMIT)
		return E(EINVAL) | E(ENOMEM);
	return OK | E(ENOMEM);
}

void storm_vm_add_memory(void)
{
	struct hv_vm_memory a = { 0, mostly_zero(), pick_vm(), mostly_zero(), 0, pick_length() };
	struct sized s;
	struct hc c = { .nr = HV_CALL_VM_ADD_MEMORY };
	s64 before = free_known();
	struct mvm *m;

	a.gpa = pick_gpa(a.vm);
	sized_put(&s, &a, sizeof(a), HV_VM_MEMORY_SIZE_VER0);
	c.rdi = s.gpa;
	c.allow = sized_allow(&s, add_memory_fields(&a));
	sized_snapshot(&s, sizeof(a));
	issue(&c);
	sized_check(&s, &c, sizeof(a));
	free_after(&c, before);
	if (c.ret != 0 || !in_set(c.allow, c.ret))
		return;
	m = vm_find(a.vm);
	m->ranges[m->nranges++] = (struct range){ a.gpa, a.length };
	m->chunks += (u32)(a.length / (2 * MIB));
}

/* ---- VM_COPY ------------------------------------------------------------ */

static u64 pick_copy_length(void)
{
	u32 r = (u32)rnd_below(100);

	if (r < 60)
		return 1 + rnd_below(256);
	if (r < 80)
		return 1 + rnd_below(PAGE_SIZE);
	if (r < 88)
		return PAGE_SIZE + rnd_below(60 * 1024);
	if (r < 90)
		return 1 + rnd_below(HV_COPY_MAX);
	if (r < 95)
		return 0;
	return HV_COPY_MAX + 1 + rnd_below(chance(50) ? 16 : ~0ULL >> 1);
}

static u64 pick_child_gpa(u32 vm, u64 len)
{
	const struct mvm *m = vm_find(vm);
	const struct range *r;

	if (!m || chance(15))
		return chance(50) ? rnd() : unmapped_gpa();
	if (chance(20))
		return CHILD_STRUCTS + rnd_below(PAGE_SIZE);
	r = &m->ranges[rnd_below(m->nranges)];
	return r->gpa + rnd_below(r->len) - (chance(50) ? MIN(len, r->len) : 0) / 2;
}

/* VM 0's side: read-only for TO_VM (any of its memory), the upper half of
 * the scratch area for FROM_VM (which writes it). */
static u64 pick_copy_buf(bool to_vm, u64 len)
{
	if (to_vm)
		return place_readonly(len);
	if (chance(85))
		return scratch + SCRATCH_STRUCTS + rnd_below(SCRATCH_SIZE - SCRATCH_STRUCTS);
	if (chance(50) || !at_ram_end())
		return unmapped_gpa();
	return ram_end - rnd_below(64);
}

void storm_vm_copy(void)
{
	static const u32 bad_flags[] = { 0, 3, 4, 0x100 };
	struct hv_vm_copy a = { 0, 0, pick_vm(), mostly_zero(), 0, 0, pick_copy_length() };
	struct sized s;
	struct hc c = { .nr = HV_CALL_VM_COPY };
	bool to_vm;
	outcomes e;

	a.flags = chance(90) ? (chance(50) ? HV_COPY_TO_VM : HV_COPY_FROM_VM) :
			       bad_flags[rnd_below(ARRAY_SIZE(bad_flags))];
	to_vm = a.flags == HV_COPY_TO_VM;
	a.vm_gpa = pick_child_gpa(a.vm, a.length);
	a.buf = pick_copy_buf(to_vm, a.length);
	sized_put(&s, &a, sizeof(a), HV_VM_COPY_SIZE_VER0);
	e = (a.flags != HV_COPY_TO_VM && a.flags != HV_COPY_FROM_VM) || a.reserved ||
	    !a.length || a.length > HV_COPY_MAX ? E(EINVAL) : 0;
	e |= target_fields((const struct hv_vm_destroy *)&a) & ~E(EINVAL);
	if (!e && (!child_ram(a.vm, a.vm_gpa, a.length) || readable(a.buf) < a.length))
		e = E(EFAULT);
	c.rdi = s.gpa;
	c.allow = sized_allow(&s, e ? e : OK);
	sized_snapshot(&s, sizeof(a));
	if (!to_vm) { /* the copy may land on the struct */
		s.out_gpa = a.buf;
		s.out_len = a.length;
	}
	issue(&c);
	sized_check(&s, &c, sizeof(a));
	if (c.ret == 0 && to_vm && a.vm_gpa < CHILD_IMAGE_SIZE)
		taint_vm(vm_find(a.vm)); /* its code, tables or slots changed */
}

/* ---- the end ------------------------------------------------------------ */

/* On several vCPUs the ids between this one's may be others' children:
 * it destroys its own and tries again those it destroyed. */
void destroy_all(void)
{
	for (u32 id = 1, end = ids_end() + 4; id < end; id++) {
		struct hv_vm_destroy a = { sizeof(a), 0, id, 0 };
		u64 at = scratch;
		struct hc c = { .nr = HV_CALL_VM_DESTROY, .rdi = at,
				.allow = vm_live(id) ? OK : E(ENOENT) };

		if (storm_smp && !vm_live(id) && !recently_destroyed(id))
			continue;

		put_bytes(at, &a, sizeof(a));
		if (issue(&c) == 0 && vm_live(id))
			model_destroyed(id);
	}
}
