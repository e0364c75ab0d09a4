/* The calls that leave VMs as they are: discovery, the console, FEATURE,
 * STATS, VCPU_GET_REGS, unknown numbers, and calls from CPL 3. Each
 * builds a struct (valid, or wrong in one or more ways), works out what
 * the ABI lets the hypervisor answer, and checks what it wrote. */
#include "guests/storm/storm.h"
#include "lib/string.h"

/* The storm's own STATS, out of reach of structs and their tails */
#define CHECK_SLOT (scratch + SCRATCH_STRUCTS + TAIL_MAX_CHECKED + 64 * 1024)

static const char vm0_text[64] = "storm: console_write from vm0\n";

/* A call number: defined or not, small or huge. */
static u64 any_call_nr(void)
{
	switch (rnd_below(6)) {
	case 0:
	case 1:
	case 2:
		return rnd_below(HV_CALL_COUNT);
	case 3:
		return HV_CALL_COUNT + rnd_below(64);
	case 4:
		return (1ULL << 32) + rnd_below(HV_CALL_COUNT); /* truncates to a known one */
	default:
		return rnd() | (1ULL << 63);
	}
}

void storm_abi_version(void)
{
	struct hc c = { .nr = HV_CALL_ABI_VERSION, .rdi = chance(50) ? place_readonly(8) : rnd(),
			.allow = OK };

	if (issue(&c) >= 0 && c.ret != HV_ABI_VERSION)
		unexpected(&c, "abi_version %ld", c.ret);
}

void storm_unknown(void)
{
	u64 nr;

	do
		nr = any_call_nr();
	while (nr < HV_CALL_COUNT);
	struct hc c = { .nr = nr, .rdi = chance(50) ? place_readonly(8) : rnd(),
			.allow = E(ENOSYS) };
	issue(&c);
}

/* CPL 3: whatever the number and the struct, -EPERM and no byte of
 * guest memory written (the struct is compared before and after). */
void storm_user_call(void)
{
	static PER_VCPU u8 junk[512];
	static PER_VCPU u8 before[512];
	struct hc c = { .nr = any_call_nr(), .user = true, .allow = E(EPERM) };
	u64 len = 0;

	switch (rnd_below(3)) {
	case 0:
		for (u32 i = 0; i < sizeof(junk); i++)
			junk[i] = (u8)rnd();
		if (chance(50))
			memset(junk + 4, 0, sizeof(junk) - 4); /* a plausible small struct */
		c.rdi = place(sizeof(junk));
		put_bytes(c.rdi, junk, sizeof(junk));
		break;
	case 1:
		c.rdi = place_readonly(sizeof(junk));
		break;
	default:
		c.rdi = unmapped_gpa();
	}
	/* compared in the scratch area (the stack changes by itself, and
	 * other vCPUs change theirs) */
	len = MIN((u64)sizeof(before), own_bytes(c.rdi));
	memcpy(before, (const void *)c.rdi, len);
	issue(&c);
	if (memcmp(before, (const void *)c.rdi, len))
		unexpected(&c, "guest memory at rdi changed");
}

void storm_info(void)
{
	struct hv_info head;
	struct outbuf o;
	struct hc c = { .nr = HV_CALL_INFO };
	outcomes errs = outbuf_put(&o, &head, sizeof(head.argsz), info_needed, 8);
	struct hv_info *out = (struct hv_info *)o.gpa;

	c.rdi = o.gpa;
	c.allow = errs ? errs : OK;
	if (issue(&c) != 0)
		return;
	if (out->argsz != info_needed)
		unexpected(&c, "info argsz %u, want %u", out->argsz, info_needed);
	if (o.argsz >= 12 && (out->abi_version != HV_ABI_VERSION || out->flags != HV_INFO_FLAG_CAPS))
		unexpected(&c, "info abi_version %u flags %#x", out->abi_version, out->flags);
}

static s64 extension_value(u32 ext)
{
	switch (ext) {
	case HV_EXT_INFO_CAPS:
	case HV_EXT_FEATURE:
	case HV_EXT_EXIT_HYPERCALL:
	case HV_EXT_TRACE:
	case HV_EXT_MMIO_EXIT:
	case HV_EXT_MSR_EXIT:
	case HV_EXT_LAPIC:
	case HV_EXT_IRQ:
	case HV_EXT_EOI_EXIT:
	case HV_EXT_MODULE_MAP:
	case HV_EXT_RUN_DEADLINE:
		return 1;
	case HV_EXT_MAX_VMS:
		return max_vms;
	case HV_EXT_MAX_VCPUS:
		return max_vcpus;
	case HV_EXT_RUN_PAGE:
		return HV_RUN_PAGE_SIZE_VER0;
	case HV_EXT_MEM_WINDOW:
		return 16; /* the windows VM 0 may have */
	case HV_EXT_READONLY_MEMORY:
		return 1;
	case HV_EXT_CPUID_SET:
		return HV_CPUID_MAX_ENTRIES;
	case HV_EXT_TSC:
		return guest_cpuid(HV_CPUID_TSC, 0).eax;
	case HV_EXT_FREE_CHUNKS:
		return 2 << 20; /* the chunk VM RAM comes in */
	case HV_EXT_VM0_SMP:
		return vm0_vcpus;
	case HV_EXT_TRACE_BUFFER:
		return HV_TRACE_RECORD_SIZE;
	case HV_EXT_DMESG:
		return 16 << 10; /* the hypervisor's log ring */
	case HV_EXT_LAPIC_STATE:
		return 1;
	case HV_EXT_CPU_STATS:
		return vm0_vcpus; /* the CPUs started: one VM 0 vCPU each (up to 4) */
	case HV_EXT_VM0_IDLE:
		return 1;
	default:
		return 0;
	}
}

void storm_check_extension(void)
{
	struct hv_check_extension a = { 0, mostly_zero(), 0, mostly_zero() };
	struct sized s;
	struct hc c = { .nr = HV_CALL_CHECK_EXTENSION };

	a.extension = chance(70) ? 1 + (u32)rnd_below(HV_EXT_RUN_PAGE) : chance(70) ? (u32)rnd_below(100) : (u32)rnd();
	sized_put(&s, &a, sizeof(a), HV_CHECK_EXTENSION_SIZE_VER0);
	c.rdi = s.gpa;
	c.allow = sized_allow(&s, a.flags || a.reserved ? E(EINVAL) : OK);
	sized_snapshot(&s, sizeof(a));
	if (issue(&c) >= 0 && c.ret != extension_value(a.extension))
		unexpected(&c, "extension %u = %ld, want %lld", a.extension, c.ret,
			   (long long)extension_value(a.extension));
	sized_check(&s, &c, sizeof(a));
}

static u32 feature_flags(void)
{
	static const u32 ids[] = { HV_FEATURE_EXIT_REASONS, HV_FEATURE_EXIT_REASONS,
				   HV_FEATURE_TRACE, HV_FEATURE_TRACE, HV_FEATURE_LAPIC, 0, 4 };
	u32 id = chance(90) ? ids[rnd_below(ARRAY_SIZE(ids))] : (u32)rnd() & HV_FEATURE_MASK;
	u32 ops = (u32)rnd_below(8) << 16;

	return id | ops | (chance(8) ? (u32)BIT(19 + rnd_below(13)) : 0);
}

/* What FEATURE may answer for the struct the hypervisor sees. */
static outcomes feature_fields(const struct hv_feature *a)
{
	u32 id = a->flags & HV_FEATURE_MASK;
	u32 ops = a->flags & (HV_FEATURE_GET | HV_FEATURE_SET | HV_FEATURE_PROBE);
	bool set = ops & HV_FEATURE_SET;
	outcomes e = 0;

	if ((a->flags & ~(HV_FEATURE_MASK | ops)) || a->reserved || !ops ||
	    (ops == (HV_FEATURE_GET | HV_FEATURE_SET)))
		e |= E(EINVAL);
	if (id == HV_FEATURE_TRACE) {
		if (a->vm || (set && (a->value & ~(u64)HV_TRACE_HYPERCALLS)))
			e |= E(EINVAL);
	} else if (id == HV_FEATURE_EXIT_REASONS || id == HV_FEATURE_LAPIC) {
		u64 values = id == HV_FEATURE_LAPIC ? 1 : HV_EXIT_OPTIONAL_MASK;

		if (set && (a->value & ~values))
			e |= E(EINVAL);
		if (!a->vm)
			e |= E(EPERM);
		else if (!vm_live(a->vm))
			e |= E(ENOENT);
	} else {
		e |= E(ENOTTY);
	}
	return e;
}

static void feature_done(const struct hv_feature *a, const struct sized *s, struct hc *c)
{
	u32 id = a->flags & HV_FEATURE_MASK;
	u64 want, got;

	if (c->ret < 0 || !in_set(c->allow, c->ret) || (a->flags & HV_FEATURE_PROBE))
		return;
	if (a->flags & HV_FEATURE_SET) {
		if (id == HV_FEATURE_EXIT_REASONS)
			vm_find(a->vm)->exit_reasons = (u32)a->value;
		return;
	}
	if (id == HV_FEATURE_LAPIC)
		return; /* 0 or 1, whether an earlier SET took or not */
	want = id == HV_FEATURE_TRACE ? 0 : vm_find(a->vm)->exit_reasons;
	memcpy(&got, (const void *)(s->gpa + 16), sizeof(got));
	if (got != want)
		unexpected(c, "feature %u GET %#llx, want %#llx", id, (unsigned long long)got,
			   (unsigned long long)want);
}

void storm_feature(void)
{
	struct hv_feature a = { 0, feature_flags(), 0, mostly_zero(), rnd() };
	u32 id = a.flags & HV_FEATURE_MASK;
	bool get = (a.flags & (HV_FEATURE_GET | HV_FEATURE_PROBE)) == HV_FEATURE_GET;
	struct sized s;
	struct hc c = { .nr = HV_CALL_FEATURE };
	outcomes fields;

	a.vm = id == HV_FEATURE_TRACE && chance(85) ? 0 : pick_vm();
	if (chance(70))
		a.value = chance(50) ? 0 : HV_EXIT_OPTIONAL_MASK;
	a.value &= ~(u64)HV_TRACE_HYPERCALLS; /* never switch the tracer on */
	sized_put(&s, &a, sizeof(a), HV_FEATURE_SIZE_VER0);
	fields = feature_fields(&a);
	if (!fields && get && readable(s.gpa) < sizeof(a))
		fields = E(EFAULT); /* GET cannot write value */
	c.rdi = s.gpa;
	/* LAPIC's SET is -EBUSY once the VM has run */
	if (!fields && id == HV_FEATURE_LAPIC && (a.flags & HV_FEATURE_SET))
		fields = OK | E(EBUSY);
	c.allow = sized_allow(&s, fields ? fields : OK);
	sized_snapshot(&s, get ? 16 : sizeof(a));
	issue(&c);
	sized_check(&s, &c, sizeof(a));
	feature_done(&a, &s, &c);
}

static u32 console_len(void)
{
	switch (rnd_below(6)) {
	case 0:
		return 0;
	case 1:
		return (u32)rnd_below(HV_CONSOLE_MAX + 1);
	case 2:
		return HV_CONSOLE_MAX + 1 + (u32)rnd_below(chance(50) ? 16 : 0xffff0000u);
	default:
		return (u32)rnd_below(48);
	}
}

void storm_console_write(void)
{
	struct hv_console_write a = { 0, mostly_zero(), console_len(), mostly_zero(), 0 };
	struct sized s;
	struct hc c = { .nr = HV_CALL_CONSOLE_WRITE };
	outcomes fields = OK;

	/* The hypervisor prints every byte (a NUL as \x00), so what reaches
	 * the log stays short: VM 0's text at most its own length, other
	 * memory at most 16 bytes. A length the size checks refuse prints
	 * nothing and is kept. */
	if (chance(40)) {
		a.buf = (u64)vm0_text;
		if (!a.flags && !a.reserved && a.len <= HV_CONSOLE_MAX)
			a.len = MIN(a.len, (u32)sizeof(vm0_text));
	} else {
		a.buf = place_readonly(a.len = MIN(a.len, 16u));
	}
	sized_put(&s, &a, sizeof(a), HV_CONSOLE_WRITE_SIZE_VER0);
	if (a.flags || a.reserved || a.len > HV_CONSOLE_MAX)
		fields = E(EINVAL);
	else if (a.len && readable(a.buf) < a.len)
		fields = E(EFAULT);
	c.rdi = s.gpa;
	c.allow = sized_allow(&s, fields);
	sized_snapshot(&s, sizeof(a));
	if (issue(&c) >= 0 && c.ret != a.len)
		unexpected(&c, "console_write of %u bytes returned %ld", a.len, c.ret);
	sized_check(&s, &c, sizeof(a));
}

void storm_stats(void)
{
	struct hv_stats head = { 0 };
	struct outbuf o;
	struct hc c = { .nr = HV_CALL_STATS };
	outcomes errs, fields = 0;
	u32 r = (u32)rnd_below(10);
	bool others = others_storming();

	head.flags = r < 6 ? 0 : r < 9 ? HV_STATS_VM : (u32)rnd();
	head.vm = head.flags & HV_STATS_VM ? (chance(30) ? 0 : pick_vm()) : mostly_zero();
	head.reserved = mostly_zero();
	errs = outbuf_put(&o, &head, 16, sizeof(head), 16);
	if ((head.flags & ~HV_STATS_VM) || head.reserved || (!(head.flags & HV_STATS_VM) && head.vm))
		fields |= E(EINVAL);
	else if ((head.flags & HV_STATS_VM) && head.vm && !vm_live(head.vm))
		fields |= E(ENOENT);
	c.rdi = o.gpa;
	c.allow = o.decoded && !(errs | fields) ? OK : o.decoded ? errs | fields : errs;
	if (issue(&c) != 0)
		return;
	if (((struct hv_stats *)o.gpa)->argsz != sizeof(head))
		unexpected(&c, "stats argsz %u", ((struct hv_stats *)o.gpa)->argsz);
	if (o.argsz >= 64 && !vms_alive_ok(((struct hv_stats *)o.gpa)->vms, others))
		unexpected(&c, "stats: %llu VMs alive, the model has %u",
			   (unsigned long long)((struct hv_stats *)o.gpa)->vms,
			   live_children() + 1 + extra_vms);
}

void storm_get_regs(void)
{
	struct hv_vcpu_regs head;
	struct outbuf o;
	struct hc c = { .nr = HV_CALL_VCPU_GET_REGS };
	const struct hv_vcpu_regs *out;
	outcomes errs, fields = 0;

	head.flags = mostly_zero();
	head.vm = pick_vm();
	head.vcpu = pick_vcpu(head.vm);
	errs = outbuf_put(&o, &head, 16, sizeof(head), 16);
	if (head.flags)
		fields |= E(EINVAL);
	if (!head.vm)
		fields |= E(EPERM);
	else if (!vcpu_exists(head.vm, head.vcpu))
		fields |= E(ENOENT);
	c.rdi = o.gpa;
	c.allow = o.decoded && !(errs | fields) ? OK : o.decoded ? errs | fields : errs;
	if (issue(&c) != 0)
		return;
	out = (const struct hv_vcpu_regs *)o.gpa;
	if (out->size != sizeof(head) || (o.argsz >= 8 && out->flags != (HV_REGS_GPRS | HV_REGS_SREGS)))
		unexpected(&c, "get_regs size %u flags %#x", out->size, out->flags);
}

static s64 stats_call(u32 flags, u32 vm, struct hv_stats **out)
{
	struct hv_stats *s = (struct hv_stats *)CHECK_SLOT;
	struct hc c = { .nr = HV_CALL_STATS, .rdi = CHECK_SLOT, .allow = OK };

	memset(s, 0, sizeof(*s));
	s->argsz = sizeof(*s);
	s->flags = flags;
	s->vm = vm;
	*out = s;
	return issue(&c);
}

s64 free_bytes_now(u64 *vms_alive)
{
	struct hv_stats *s;

	if (stats_call(0, 0, &s))
		return -1;
	if (vms_alive)
		*vms_alive = s->vms;
	return (s64)s->free_bytes;
}

s64 vm_exits_now(u32 vm)
{
	struct hv_stats *s;

	return stats_call(HV_STATS_VM, vm, &s) ? -1 : (s64)s->exits;
}
