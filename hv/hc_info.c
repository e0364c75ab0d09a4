/* Discovery and the calls every VM may make: ABI version, hypervisor
 * information with capability chains, CHECK_EXTENSION, the console; and
 * FEATURE and statistics for VM 0. */
#include "hv/hc.h"
#include "arch/x86/cpu.h"
#include "hv/console.h"
#include "hv/hypercall.h"
#include "hv/mem.h"
#include "lib/string.h"

s64 hc_abi_version(struct hc_ctx *c)
{
	(void)c;
	return HV_ABI_VERSION;
}

static void fill_backend_cap(struct hv_cap_backend *b)
{
	struct cpuid_regs r = cpuid(0, 0);

	memcpy(b->vendor, &r.ebx, 4);
	memcpy(b->vendor + 4, &r.edx, 4);
	memcpy(b->vendor + 8, &r.ecx, 4);
	hv_strlcpy(b->backend, virt->name, sizeof(b->backend));
	b->features = virt->features();
}

static void fill_memory_cap(struct hv_cap_memory *m, u64 total, u64 free)
{
	m->page_sizes = (1ULL << 12) | (1ULL << 21);
	m->total_bytes = total;
	m->free_bytes = free;
}

static void fill_limits_cap(struct hv_cap_limits *l)
{
	l->max_vms = VM_MAX;
	l->max_vcpus_per_vm = VM_MAX_VCPUS;
	l->max_memory_regions = VM_MAX_REGIONS;
	l->max_name_len = HV_NAME_MAX - 1;
}

/* VM 0 manages the machine: it sees the host's figures. */
static void add_host_caps(struct cap_chain *chain)
{
	fill_backend_cap(cap_chain_add(chain, HV_CAP_BACKEND, 1, sizeof(struct hv_cap_backend)));
	fill_memory_cap(cap_chain_add(chain, HV_CAP_MEMORY, 1, sizeof(struct hv_cap_memory)),
			hv_frames.total_frames * PAGE_SIZE, hv_frames.free_frames * PAGE_SIZE);
	fill_limits_cap(cap_chain_add(chain, HV_CAP_LIMITS, 1, sizeof(struct hv_cap_limits)));
}

/* A child sees its own RAM and nothing about the host or other VMs. */
static void add_own_caps(struct cap_chain *chain, const struct vm *vm)
{
	fill_memory_cap(cap_chain_add(chain, HV_CAP_MEMORY, 1, sizeof(struct hv_cap_memory)),
			vm->mem_size, 0);
}

s64 hc_info(struct hc_ctx *c)
{
	static u8 buf[512] __attribute__((aligned(8)));
	struct hv_info *info = (struct hv_info *)buf;
	struct cap_chain chain;

	memset(buf, 0, sizeof(buf));
	info->abi_version = HV_ABI_VERSION;
	info->flags = HV_INFO_FLAG_CAPS;
	cap_chain_init(&chain, buf, sizeof(buf), sizeof(*info), &info->cap_offset);
	if (c->vm->privileged)
		add_host_caps(&chain);
	else
		add_own_caps(&chain, c->vm);
	return hc_copy_out(c, buf, chain.len, 8);
}

/* A child has only INFO's chains: the other extensions describe the
 * management calls and the host's limits, which are VM 0's business. */
static s64 extension_value(u32 ext, bool privileged)
{
	if (!privileged)
		return ext == HV_EXT_INFO_CAPS;
	switch (ext) {
	case HV_EXT_INFO_CAPS:
	case HV_EXT_FEATURE:
	case HV_EXT_EXIT_HYPERCALL:
	case HV_EXT_TRACE:
		return 1;
	case HV_EXT_MAX_VMS:
		return VM_MAX;
	case HV_EXT_MAX_VCPUS:
		return VM_MAX_VCPUS;
	default:
		return 0;
	}
}

s64 hc_check_extension(struct hc_ctx *c)
{
	struct hv_check_extension a;
	int err = hc_copy_in(c, &a, sizeof(a), HV_CHECK_EXTENSION_SIZE_VER0);

	if (err)
		return err;
	if (a.flags || a.reserved)
		return -EINVAL;
	return extension_value(a.extension, c->vm->privileged);
}

static int decode_console_write(struct hc_ctx *c, char *text, u32 *len)
{
	struct hv_console_write a;
	int err = hc_copy_in(c, &a, sizeof(a), HV_CONSOLE_WRITE_SIZE_VER0);

	if (err)
		return err;
	if (a.flags || a.reserved || a.len > HV_CONSOLE_MAX)
		return -EINVAL;
	if (!gmem_read(&c->mem, a.buf, text, a.len))
		return -EFAULT;
	*len = a.len;
	return 0;
}

/* The text goes out line by line behind the caller's name, escaped
 * (hv/console_line.h): a guest cannot pass for the hypervisor. */
s64 hc_console_write(struct hc_ctx *c)
{
	static char text[HV_CONSOLE_MAX];
	u32 len;
	int err = decode_console_write(c, text, &len);

	if (err)
		return err;
	console_write_guest(c->vm->id, c->vm->name, text, len);
	return len;
}

static void add_vm_stats(struct hv_stats *s, const struct vm *vm)
{
	const struct vm_stats *st = &vm->stats;

	s->exits += st->exits;
	s->hypercalls += st->hypercalls;
	s->io_exits += st->exits_by_reason[EXIT_IO];
	s->io_unclaimed_reads += st->io_unclaimed_reads;
	s->io_ignored_writes += st->io_ignored_writes;
	s->vmm_exits += st->vmm_exits;
}

static int decode_stats(struct hc_ctx *c, struct hv_stats *s, struct vm **vm)
{
	memset(s, 0, sizeof(*s));
	if (!gmem_read(&c->mem, c->arg, s, 16))
		return -EFAULT;
	if (!flags_known(s->flags, HV_STATS_VM) || s->reserved)
		return -EINVAL;
	if (!(s->flags & HV_STATS_VM))
		return s->vm ? -EINVAL : 0;
	*vm = vm_get(s->vm);
	return *vm ? 0 : -ENOENT;
}

s64 hc_stats(struct hc_ctx *c)
{
	struct hv_stats s;
	struct vm *vm = NULL;
	int err = decode_stats(c, &s, &vm);

	if (err)
		return err;
	if (vm)
		add_vm_stats(&s, vm);
	for (u32 slot = 0; !vm && slot < VM_MAX; slot++)
		if (vm_at_slot(slot))
			add_vm_stats(&s, vm_at_slot(slot));
	s.vms = vm_count();
	s.free_bytes = hv_frames.free_frames * PAGE_SIZE;
	return hc_copy_out(c, &s, sizeof(s), 16);
}

/* FEATURE, with VFIO's semantics: flags = feature id | GET/SET/PROBE. */
struct feature_args {
	u32 id, ops;
	struct vm *vm; /* HV_FEATURE_EXIT_REASONS */
	u64 value;
};

static int decode_feature_target(const struct hv_feature *a, struct feature_args *f)
{
	bool set = f->ops & HV_FEATURE_SET;

	if (f->id == HV_FEATURE_TRACE) {
		if (a->vm || (set && (a->value & ~(u64)HV_TRACE_HYPERCALLS)))
			return -EINVAL;
		return 0;
	}
	if (f->id != HV_FEATURE_EXIT_REASONS)
		return -ENOTTY;
	if (set && (a->value & ~(u64)HV_EXIT_OPTIONAL_MASK))
		return -EINVAL;
	return hc_child_vm(a->vm, &f->vm);
}

static int decode_feature(struct hc_ctx *c, struct hv_feature *a, struct feature_args *f)
{
	u32 ops_mask = HV_FEATURE_GET | HV_FEATURE_SET | HV_FEATURE_PROBE;
	int err = hc_copy_in(c, a, sizeof(*a), HV_FEATURE_SIZE_VER0);

	if (err)
		return err;
	f->id = a->flags & HV_FEATURE_MASK;
	f->ops = a->flags & ops_mask;
	f->value = a->value;
	if (!flags_known(a->flags, HV_FEATURE_MASK | ops_mask) || a->reserved || !f->ops)
		return -EINVAL;
	if ((f->ops & HV_FEATURE_GET) && (f->ops & HV_FEATURE_SET) &&
	    !(f->ops & HV_FEATURE_PROBE))
		return -EINVAL;
	return decode_feature_target(a, f);
}

static u64 feature_get(const struct feature_args *f)
{
	return f->id == HV_FEATURE_TRACE ? hypercall_trace_flags() : f->vm->exit_reasons;
}

static void feature_set(const struct feature_args *f)
{
	if (f->id == HV_FEATURE_TRACE)
		hypercall_set_trace(f->value);
	else
		f->vm->exit_reasons = f->value;
}

s64 hc_feature(struct hc_ctx *c)
{
	struct hv_feature a;
	struct feature_args f;
	int err = decode_feature(c, &a, &f);

	if (err || (f.ops & HV_FEATURE_PROBE))
		return err;
	if (f.ops & HV_FEATURE_SET) {
		feature_set(&f);
		return 0;
	}
	a.value = feature_get(&f);
	return gmem_write(&c->mem, c->arg + 16, &a.value, sizeof(a.value)) ? 0 : -EFAULT;
}
