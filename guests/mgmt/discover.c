/* Discovery: the hypervisor's CPUID leaves, ABI version, INFO with its
 * capability chain, and CHECK_EXTENSION for every known extension. */
#include "guests/mgmt/mgmt.h"

struct discovery disc;

/* INFO answers land here; 8-byte aligned for the capability structs. */
static u8 info_buf[1024] __attribute__((aligned(8)));

const char *ext_name(u32 ext)
{
	static const char *const names[] = {
		[HV_EXT_INFO_CAPS] = "info-caps",
		[HV_EXT_FEATURE] = "feature",
		[HV_EXT_MAX_VMS] = "max-vms",
		[HV_EXT_MAX_VCPUS] = "max-vcpus",
		[HV_EXT_EXIT_HYPERCALL] = "exit-hypercall",
		[HV_EXT_TRACE] = "trace",
#if HV_ABI_HEADER_REVISION >= 2 /* extensions after v1 */
		[HV_EXT_RUN_PAGE] = "run-page",
		[HV_EXT_MMIO_EXIT] = "mmio-exit",
		[HV_EXT_MEM_WINDOW] = "mem-window",
		[HV_EXT_READONLY_MEMORY] = "readonly-memory",
		[HV_EXT_CPUID_SET] = "cpuid-set",
		[HV_EXT_MSR_EXIT] = "msr-exit",
		[HV_EXT_TSC] = "tsc-khz",
		[HV_EXT_LAPIC] = "lapic",
		[HV_EXT_IRQ] = "irq",
		[HV_EXT_EOI_EXIT] = "eoi-exit",
		[HV_EXT_MODULE_MAP] = "module-map",
		[HV_EXT_RUN_DEADLINE] = "run-deadline",
		[HV_EXT_FREE_CHUNKS] = "free-chunks",
		[HV_EXT_VM0_SMP] = "vm0-smp",
		[HV_EXT_TRACE_BUFFER] = "trace-buffer",
		[HV_EXT_DMESG] = "dmesg",
		[HV_EXT_LAPIC_STATE] = "lapic-state",
		[HV_EXT_CPU_STATS] = "cpu-stats",
		[HV_EXT_VM0_IDLE] = "vm0-idle",
#endif
	};

	return ext < ARRAY_SIZE(names) && names[ext] ? names[ext] : "unknown";
}

static void discover_cpuid(void)
{
	struct cpuid_out l1 = guest_cpuid(1, 0);
	struct cpuid_out h = guest_cpuid(HV_CPUID_BASE, 0);

	disc.hv_bit = (l1.ecx >> 31) & 1;
	memcpy(disc.signature, &h.ebx, 4);
	memcpy(disc.signature + 4, &h.ecx, 4);
	memcpy(disc.signature + 8, &h.edx, 4);
	disc.signature[12] = '\0';
	for (int i = 0; i < 12; i++)
		if (disc.signature[i] < ' ' || disc.signature[i] > '~')
			disc.signature[i] = '.';
	disc.max_leaf = h.eax;
	if (h.eax >= HV_CPUID_VERSION && h.eax < HV_CPUID_BASE + 0x100)
		disc.cpuid_abi = guest_cpuid(HV_CPUID_VERSION, 0).eax;
}

/* Copies the capability `id` out of an INFO answer when it is whole. */
static bool take_cap(u32 len, u16 id, void *dst, u32 size)
{
	const struct hv_cap_header *h = hv_info_find_cap(info_buf, len, id);

	if (!h || (const u8 *)h + size > info_buf + len)
		return false;
	memcpy(dst, h, size);
	return true;
}

static u32 info_len(void)
{
	return MIN(((struct hv_info *)info_buf)->argsz, (u32)sizeof(info_buf));
}

static void discover_info(void)
{
	u32 len;

	disc.info_ret = hv_info(info_buf, sizeof(info_buf));
	if (disc.info_ret < 0)
		return;
	len = info_len();
	disc.info_flags = ((struct hv_info *)info_buf)->flags;
	if (!(disc.info_flags & HV_INFO_FLAG_CAPS))
		return;
	disc.have_backend = take_cap(len, HV_CAP_BACKEND, &disc.backend, sizeof(disc.backend));
	disc.have_memory = take_cap(len, HV_CAP_MEMORY, &disc.memory, sizeof(disc.memory));
	disc.have_limits = take_cap(len, HV_CAP_LIMITS, &disc.limits, sizeof(disc.limits));
	disc.backend.vendor[sizeof(disc.backend.vendor) - 1] = '\0';
	disc.backend.backend[sizeof(disc.backend.backend) - 1] = '\0';
}

void discover(void)
{
	discover_cpuid();
	disc.abi_version = hv_abi_version();
	discover_info();
	for (u32 e = 1; e < ARRAY_SIZE(disc.ext); e++)
		disc.ext[e] = hv_check_extension(e);
}

static const char *backend_features(u32 f, char *buf, size_t len)
{
	hv_snprintf(buf, len, "%s%s%s", f & HV_BACKEND_NPT_OR_EPT ? " npt/ept" : "",
		    f & HV_BACKEND_NEXT_RIP ? " next-rip" : "",
		    f & HV_BACKEND_UNRESTRICTED ? " unrestricted" : "");
	return buf[0] ? buf + 1 : "none";
}

static const char *page_sizes(u64 bits, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int n = 0; n < 64 && at < len; n++) {
		char s[16];

		if (bits & (1ULL << n))
			at += (size_t)hv_snprintf(buf + at, len - at, "%s%s", at ? " " : "",
						  fmt_size(1ULL << n, s, sizeof(s)));
	}
	return buf;
}

static void print_backend(const struct hv_cap_backend *b)
{
	char f[48];

	gprintf("hvctl: backend %s, cpu vendor %s, features 0x%x (%s)\n", b->backend,
		b->vendor, b->features, backend_features(b->features, f, sizeof(f)));
}

static void print_memory(const struct hv_cap_memory *m)
{
	char t[24], fr[24], ps[64];

	gprintf("hvctl: memory total %llu bytes (%s), free %llu bytes (%s), pages %s\n",
		(unsigned long long)m->total_bytes, fmt_human(m->total_bytes, t, sizeof(t)),
		(unsigned long long)m->free_bytes, fmt_human(m->free_bytes, fr, sizeof(fr)),
		page_sizes(m->page_sizes, ps, sizeof(ps)));
}

static void print_limits(const struct hv_cap_limits *l)
{
	gprintf("hvctl: limits: %u VMs (VM 0 included), %u vCPUs per VM, %u memory "
		"regions per VM (%llu MiB), names up to %u chars\n", l->max_vms,
		l->max_vcpus_per_vm, l->max_memory_regions,
		(unsigned long long)l->max_memory_regions * 2, l->max_name_len);
}

static void print_extensions(void)
{
	for (u32 e = 1; e < ARRAY_SIZE(disc.ext); e++)
		if (strcmp(ext_name(e), "unknown")) /* ids hvctl has no name for yet */
			gprintf("hvctl: extension %u %s = %ld%s\n", e, ext_name(e), disc.ext[e],
				disc.ext[e] < 0 ? " (error)" : disc.ext[e] ? "" : " (absent)");
}

static void print_vm0(void)
{
	char s[24];

	gprintf("hvctl: VM 0: %s RAM, %u boot module(s), command line '%s'\n",
		fmt_size(boot_info->memmap_count ? boot_info->memmap[0].length : 0, s,
			 sizeof(s)),
		boot_info->module_count, boot_info->cmdline);
	modules_print();
}

void print_info(void)
{
	gprintf("hvctl: cpuid 0x40000000: signature '%s', max leaf 0x%x, "
		"hypervisor bit %u\n", disc.signature, disc.max_leaf, disc.hv_bit);
	if (disc.max_leaf >= HV_CPUID_VERSION)
		gprintf("hvctl: cpuid 0x40000001: abi version %u\n", disc.cpuid_abi);
	gprintf("hvctl: abi version %ld\n", disc.abi_version);
	if (disc.info_ret < 0)
		gprintf("hvctl: info: %s\n", err_name(disc.info_ret));
	else if (!(disc.info_flags & HV_INFO_FLAG_CAPS))
		gprintf("hvctl: info: no capability chain\n");
	if (disc.have_backend)
		print_backend(&disc.backend);
	if (disc.have_memory)
		print_memory(&disc.memory);
	if (disc.have_limits)
		print_limits(&disc.limits);
	print_extensions();
	print_vm0();
}

static void print_cap(const struct hv_cap_header *h, u32 off, u32 len)
{
	gprintf("caps: offset %u id %u version %u next %u\n", off, h->id, h->version, h->next);
	if (h->id == HV_CAP_BACKEND && off + sizeof(struct hv_cap_backend) <= len)
		print_backend((const void *)h);
	else if (h->id == HV_CAP_MEMORY && off + sizeof(struct hv_cap_memory) <= len)
		print_memory((const void *)h);
	else if (h->id == HV_CAP_LIMITS && off + sizeof(struct hv_cap_limits) <= len)
		print_limits((const void *)h);
	else
		gprintf("caps: (unknown or cut-short capability, skipped)\n");
}

void print_caps(void)
{
	long ret = hv_info(info_buf, sizeof(info_buf));
	const struct hv_info *info = (const void *)info_buf;
	u32 len, off;
	int hops = 0;

	if (ret < 0) {
		gprintf("caps: info: %s\n", err_name(ret));
		return;
	}
	len = info_len();
	gprintf("caps: info argsz %u flags 0x%x abi_version %u cap_offset %u\n",
		info->argsz, info->flags, info->abi_version, info->cap_offset);
	off = (info->flags & HV_INFO_FLAG_CAPS) ? info->cap_offset : 0;
	for (; off && off + sizeof(struct hv_cap_header) <= len && hops < 64; hops++) {
		const struct hv_cap_header *h = (const void *)(info_buf + off);

		print_cap(h, off, len);
		off = h->next;
	}
#if HV_ABI_HEADER_REVISION >= 2 /* the TSC leaf came after v1 */
	if (guest_cpuid(HV_CPUID_BASE, 0).eax >= HV_CPUID_TSC)
		gprintf("caps: cpuid 0x%x: tsc %u kHz\n", HV_CPUID_TSC,
			guest_cpuid(HV_CPUID_TSC, 0).eax);
#endif
	print_extensions();
}
