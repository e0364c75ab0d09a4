/* Discovery and the calls every VM may make: ABI version, hypervisor
 * information with capability chains, CHECK_EXTENSION, the console; and
 * FEATURE and statistics for VM 0. */
#include "hv/hc.h"
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"
#include "hv/console.h"
#include "hv/cpustats.h"
#include "hv/hypercall.h"
#include "hv/log.h"
#include "hv/mem.h"
#include "lib/string.h"

int hc_abi_version_decode(struct hc_ctx *c)
{
	(void)c;
	return 0;
}

s64 hc_abi_version_invoke(struct hc_ctx *c)
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

static void fill_limits_cap(struct hv_cap_limits *l)
{
	l->max_vms = VM_MAX;
	l->max_vcpus_per_vm = VM_MAX_VCPUS;
	l->max_memory_regions = VM_MAX_REGIONS;
	l->max_name_len = HV_NAME_MAX - 1;
}

/* The most INFO's answer can take: VM 0's chain (add_caps, keep in
 * step), each entry 8-byte aligned. A child's chain is shorter. */
#define CAP_ROOM(type) ALIGN_UP(sizeof(struct type), 8)
#define INFO_MAX (CAP_ROOM(hv_info) + CAP_ROOM(hv_cap_backend) + \
		  CAP_ROOM(hv_cap_memory) + CAP_ROOM(hv_cap_limits))

/* VM 0 manages the machine: it sees the host's figures. A child sees
 * its own RAM and nothing about the host or other VMs. */
static void add_caps(struct cap_chain *chain, const struct vm *vm)
{
	bool host = vm->privileged;
	struct hv_cap_memory *m;

	if (host)
		fill_backend_cap(cap_chain_add(chain, HV_CAP_BACKEND, 1,
					       sizeof(struct hv_cap_backend)));
	m = cap_chain_add(chain, HV_CAP_MEMORY, 1, sizeof(*m));
	m->page_sizes = (1ULL << 12) | (1ULL << 21);
	m->total_bytes = host ? hv_frames.total_frames * PAGE_SIZE : vm->mem_size;
	m->free_bytes = host ? hv_frames.free_frames * PAGE_SIZE : 0;
	if (host)
		fill_limits_cap(cap_chain_add(chain, HV_CAP_LIMITS, 1,
					      sizeof(struct hv_cap_limits)));
}

/* The answer is built here so that decode can check where it goes. */
int hc_info_decode(struct hc_ctx *c)
{
	static u8 buf[512] __attribute__((aligned(8)));
	struct hv_info *info = (struct hv_info *)buf;
	struct cap_chain chain;

	/* The chain never overflows, so chain.len is the answer's size. */
	_Static_assert(INFO_MAX <= sizeof(buf), "INFO's capability chain overflows buf");
	/* cap_chain_add zero-fills each entry and the gap before it; argsz
	 * stays zero for the tracer when the caller's cannot be read. */
	*info = (struct hv_info){ .flags = HV_INFO_FLAG_CAPS, .abi_version = HV_ABI_VERSION };
	cap_chain_init(&chain, buf, sizeof(buf), sizeof(*info), &info->cap_offset);
	add_caps(&chain, c->vm);
	return hc_check_out(c, buf, chain.len, 8);
}

/* What CHECK_EXTENSION answers VM 0; 0 for extensions not listed. */
static const s64 host_extensions[] = {
	[HV_EXT_INFO_CAPS] = 1, [HV_EXT_FEATURE] = 1,
	[HV_EXT_MAX_VMS] = VM_MAX, [HV_EXT_MAX_VCPUS] = VM_MAX_VCPUS,
	[HV_EXT_EXIT_HYPERCALL] = 1, [HV_EXT_TRACE] = 1,
	[HV_EXT_RUN_PAGE] = HV_RUN_PAGE_SIZE_VER0,
	[HV_EXT_MMIO_EXIT] = 1,
	[HV_EXT_MEM_WINDOW] = VM_MAX_WINDOWS, [HV_EXT_READONLY_MEMORY] = 1,
	[HV_EXT_CPUID_SET] = HV_CPUID_MAX_ENTRIES,
	[HV_EXT_MSR_EXIT] = 1,
	[HV_EXT_TSC] = 1, /* answered with the frequency below */
	[HV_EXT_LAPIC] = 1,
	[HV_EXT_IRQ] = 1,
	[HV_EXT_EOI_EXIT] = 1,
	[HV_EXT_MODULE_MAP] = 1,
	[HV_EXT_RUN_DEADLINE] = 1,
	[HV_EXT_FREE_CHUNKS] = VM_CHUNK,
	[HV_EXT_VM0_SMP] = 1, /* answered with the count below */
	[HV_EXT_TRACE_BUFFER] = HV_TRACE_RECORD_SIZE,
	[HV_EXT_DMESG] = LOG_RING_SIZE,
	[HV_EXT_LAPIC_STATE] = 1,
	[HV_EXT_CPU_STATS] = 1, /* answered with the count below */
	[HV_EXT_VM0_IDLE] = 1,
};

int hc_check_extension_decode(struct hc_ctx *c)
{
	const struct hv_check_extension *a = &c->in.hv_check_extension;

	return a->flags || a->reserved ? -EINVAL : 0;
}

/* A child has only INFO's chains: the other extensions describe the
 * management calls and the host's limits, which are VM 0's business. */
s64 hc_check_extension_invoke(struct hc_ctx *c)
{
	u32 ext = c->in.hv_check_extension.extension;

	if (!c->vm->privileged)
		return ext == HV_EXT_INFO_CAPS;
	if (ext == HV_EXT_TSC)
		return tsc_khz();
	if (ext == HV_EXT_VM0_SMP)
		return c->vm->vcpu_count; /* VM 0's, one per CPU (hv/vm0_smp.h) */
	if (ext == HV_EXT_CPU_STATS)
		return cpustats_cpu_count();
	return ext < ARRAY_SIZE(host_extensions) ? host_extensions[ext] : 0;
}

/* The text, read in by decode and written out by invoke. */
static char console_text[HV_CONSOLE_MAX];

int hc_console_write_decode(struct hc_ctx *c)
{
	const struct hv_console_write *a = &c->in.hv_console_write;

	if (a->flags || a->reserved || a->len > HV_CONSOLE_MAX)
		return -EINVAL;
	return gmem_read(&c->mem, a->buf, console_text, a->len) ? 0 : -EFAULT;
}

/* The text goes out line by line behind the caller's name, escaped
 * (hv/console_line.h): a guest cannot pass for the hypervisor. */
s64 hc_console_write_invoke(struct hc_ctx *c)
{
	u32 len = c->in.hv_console_write.len;

	console_write_guest(c->vm->id, c->vm->name, console_text, len);
	return len;
}

/* exit_counts is indexed by enum hv_trace_exit, the core's exit reasons
 * (hv/tracebuf.c checks that they agree). */
_Static_assert(EXIT_UNKNOWN < HV_STATS_EXIT_SLOTS, "hv_stats.exit_counts is too short");

static void add_vm_stats(struct hv_stats *s, const struct vm *vm)
{
	const struct vm_stats *st = &vm->stats;

	for (u32 r = 0; r <= EXIT_UNKNOWN; r++)
		s->exit_counts[r] += st->exits_by_reason[r];
	s->guest_tsc += st->guest_tsc;

	s->exits += st->exits;
	s->hypercalls += st->hypercalls;
	s->io_exits += st->exits_by_reason[EXIT_IO];
	s->io_unclaimed_reads += st->io_unclaimed_reads;
	s->io_ignored_writes += st->io_ignored_writes;
	s->vmm_exits += st->vmm_exits;
}

/* The header is read in (the rest of the struct zeroed); the answer is
 * built here so that decode can check where it goes. */
int hc_stats_decode(struct hc_ctx *c)
{
	struct hv_stats *s = &c->in.hv_stats;
	struct vm *vm = NULL;

	if (!flags_known(s->flags, HV_STATS_VM) || s->reserved)
		return -EINVAL;
	if (s->flags & HV_STATS_VM) {
		vm = vm_get(s->vm);
		if (!vm)
			return -ENOENT;
	} else if (s->vm) {
		return -EINVAL;
	}
	for (u32 slot = 0; slot < VM_MAX; slot++) {
		struct vm *each = vm_at_slot(slot);

		s->vms += each != NULL;
		if (each && (!vm || each == vm))
			add_vm_stats(s, each);
	}
	s->free_bytes = hv_frames.free_frames * PAGE_SIZE;
	s->free_chunk_bytes = frame_free_runs(&hv_frames, VM_CHUNK / PAGE_SIZE) * VM_CHUNK;
	return hc_check_out(c, s, sizeof(*s), HC_HEADER_SIZE);
}

/* FEATURE, with VFIO's semantics: flags = feature id | GET/SET/PROBE. */
#define FEATURE_OPS (HV_FEATURE_GET | HV_FEATURE_SET | HV_FEATURE_PROBE)

/* The values a feature takes; 0 for an id that is no feature. */
static u64 feature_values(u32 id)
{
	return id == HV_FEATURE_TRACE	     ? HV_TRACE_HYPERCALLS :
	       id == HV_FEATURE_EXIT_REASONS ? HV_EXIT_OPTIONAL_MASK :
	       id == HV_FEATURE_LAPIC	     ? 1 : 0;
}

/* EXIT_REASONS and LAPIC are a child VM's (c->target), LAPIC settable
 * only before its first run; TRACE is hypervisor-wide and takes vm 0.
 * Only GET answers, in `value`. */
int hc_feature_decode(struct hc_ctx *c)
{
	const struct hv_feature *a = &c->in.hv_feature;
	u32 id = a->flags & HV_FEATURE_MASK, ops = a->flags & FEATURE_OPS;
	int err;

	if (!flags_known(a->flags, HV_FEATURE_MASK | FEATURE_OPS) || a->reserved || !ops ||
	    ops == (HV_FEATURE_GET | HV_FEATURE_SET))
		return -EINVAL;
	if (!feature_values(id))
		return -ENOTTY;
	if ((ops & HV_FEATURE_SET) && (a->value & ~feature_values(id)))
		return -EINVAL;
	err = id == HV_FEATURE_TRACE ? (a->vm ? -EINVAL : 0) : hc_child_vm(a->vm, &c->target);
	if (!err && id == HV_FEATURE_LAPIC && (ops & HV_FEATURE_SET) &&
	    c->target->state != VM_CREATED)
		err = -EBUSY;
	if (!err && ops == HV_FEATURE_GET &&
	    !gmem_writable(&c->mem, c->arg + HV_ABI_OFFSET(struct hv_feature, value),
			   sizeof(a->value)))
		return -EFAULT;
	return err;
}

s64 hc_feature_invoke(struct hc_ctx *c)
{
	const struct hv_feature *a = &c->in.hv_feature;
	u32 id = a->flags & HV_FEATURE_MASK, ops = a->flags & FEATURE_OPS;
	u64 value;

	if (ops == HV_FEATURE_GET) {
		value = !c->target ? hypercall_trace :
			id == HV_FEATURE_LAPIC ? c->target->lapic : c->target->exit_reasons;
		gmem_write(&c->mem, c->arg + HV_ABI_OFFSET(struct hv_feature, value),
			   &value, sizeof(value)); /* checked */
	} else if (ops == HV_FEATURE_SET && id == HV_FEATURE_LAPIC) {
		c->target->lapic = a->value;
	} else if (ops == HV_FEATURE_SET && c->target) {
		c->target->exit_reasons = a->value;
	} else if (ops == HV_FEATURE_SET) {
		hypercall_trace = a->value;
	}
	return 0;
}
