/* The MSRs a guest sees: the emulated ones read back what was written
 * and raise #GP for reserved bits and invalid memory types as the CPU
 * does; the segment-base, SYSCALL and SYSENTER MSRs are the guest's own;
 * host-critical and unknown MSRs raise #GP for reads and writes alike. */
#include "guests/lib/test.h"

const char test_title[] = "MSRs: emulated read-back, #GP rules, host-critical refused";

#define VEC_GP 13
#define MSR_TSC 0x10
#define MSR_APIC_BASE 0x1b
#define MSR_TSC_ADJUST 0x3b
#define MSR_MTRRCAP 0xfe
#define MSR_MISC_ENABLE 0x1a0
#define MSR_PAT 0x277
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MSR_EFER 0xc0000080
#define EFER_SCE BIT(0)
#define EFER_LME BIT(8)
#define EFER_LMA BIT(10)
#define EFER_SVME BIT(12)
#define NONCANONICAL 0x0000800000000000ULL

static const struct {
	u32 msr;
	const char *name;
} refused[] = {
	{ 0xc0010117, "VM_HSAVE_PA" },
	{ 0xc0010114, "VM_CR" },
	{ 0x3a, "IA32_FEATURE_CONTROL" },
	{ 0x48, "SPEC_CTRL" },
	{ 0x49, "PRED_CMD" },
	{ 0xc0000103, "TSC_AUX (no RDTSCP)" },
	{ 0x12345678, "an unknown MSR" },
};

/* A write that must succeed and read back as `want`. */
static void write_reads(u32 msr, u64 value, u64 want)
{
	u64 got = 0;

	CHECK(wrmsr_safe(msr, value), "wrmsr 0x%x <- 0x%llx: #%d", msr,
	      (unsigned long long)value, last_fixup_vector);
	CHECK(rdmsr_safe(msr, &got) && got == want, "rdmsr 0x%x: 0x%llx, want 0x%llx", msr,
	      (unsigned long long)got, (unsigned long long)want);
}

static u64 read(u32 msr)
{
	u64 v = 0;

	CHECK(rdmsr_safe(msr, &v), "rdmsr 0x%x: #%d", msr, last_fixup_vector);
	return v;
}

/* A write that must raise #GP and leave the MSR as it was. */
static void write_gp(u32 msr, u64 value)
{
	u64 before = read(msr);

	last_fixup_vector = -1;
	CHECK(!wrmsr_safe(msr, value) && last_fixup_vector == VEC_GP,
	      "wrmsr 0x%x <- 0x%llx: vector %d, want #GP", msr, (unsigned long long)value,
	      last_fixup_vector);
	CHECK(read(msr) == before, "wrmsr 0x%x <- 0x%llx changed it", msr,
	      (unsigned long long)value);
}

static void check_refused(void)
{
	for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		u64 v = 0;

		last_fixup_vector = -1;
		CHECK(!wrmsr_safe(refused[i].msr, 0) && last_fixup_vector == VEC_GP,
		      "wrmsr %s: vector %d, want #GP", refused[i].name, last_fixup_vector);
		last_fixup_vector = -1;
		CHECK(!rdmsr_safe(refused[i].msr, &v) && last_fixup_vector == VEC_GP,
		      "rdmsr %s: vector %d, want #GP", refused[i].name, last_fixup_vector);
	}
	gprintf("refused: host-critical, speculation, TSC_AUX and unknown MSRs #GP\n");
}

/* The bits at and above the guest's physical-address width. */
static u64 above_maxphyaddr(void)
{
	u32 a, b, c, d;

	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000008), "c"(0));
	return ~0ULL << (a & 0xff);
}

static void check_pat(void)
{
	u64 reset = read(MSR_PAT);

	CHECK(reset == 0x0007040600070406ULL, "PAT at reset 0x%llx", (unsigned long long)reset);
	write_reads(MSR_PAT, 0x0706050401000706ULL, 0x0706050401000706ULL);
	write_gp(MSR_PAT, 0x0000000000000002ULL); /* type 2 */
	write_gp(MSR_PAT, 0x0300000000000000ULL); /* type 3 in the top byte */
	write_gp(MSR_PAT, 0x0000000000000800ULL); /* reserved bit of a byte */
	write_reads(MSR_PAT, reset, reset);
	gprintf("PAT: read-back, invalid types #GP\n");
}

static void check_mtrrs(void)
{
	static const u32 fixed[] = { 0x250, 0x258, 0x259, 0x268, 0x269, 0x26a,
				     0x26b, 0x26c, 0x26d, 0x26e, 0x26f };
	u64 cap = read(MSR_MTRRCAP);
	u32 count = cap & 0xff;

	CHECK(cap == 0x508, "MTRRcap 0x%llx, want 8 ranges, fixed, WC", (unsigned long long)cap);
	write_gp(MSR_MTRRCAP, cap);
	write_reads(MSR_MTRR_DEF_TYPE, 0xc06, 0xc06);
	write_gp(MSR_MTRR_DEF_TYPE, 0x200); /* reserved bit 9 */
	write_gp(MSR_MTRR_DEF_TYPE, 0x007); /* UC- is PAT's only */
	write_reads(MSR_MTRR_DEF_TYPE, 0, 0);
	for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		u64 types = i & 1 ? 0x0605040100010406ULL : 0x0001040506060606ULL;

		write_reads(fixed[i], types, types);
		write_gp(fixed[i], 0x0200000000000000ULL);
	}
	for (u32 i = 0; i < count; i++) {
		u32 base = 0x200 + 2 * i;

		write_reads(base, 0x80000006 + i * 0x1000, 0x80000006 + i * 0x1000);
		write_reads(base + 1, 0xf0000800, 0xf0000800);
		write_gp(base, 0x80000002);           /* type 2 */
		write_gp(base, 0x80000106);           /* reserved bit 8 */
		write_gp(base, above_maxphyaddr() | 6);
		write_gp(base + 1, 0xf0000801);       /* reserved bit 0 */
		write_gp(base + 1, above_maxphyaddr() | 0x800);
	}
	last_fixup_vector = -1; /* past the ranges MTRRcap reports: no MSR */
	CHECK(!wrmsr_safe(0x200 + 2 * count, 0) && last_fixup_vector == VEC_GP,
	      "MTRR range %u exists", count);
	gprintf("MTRRs: %u variable ranges, fixed ranges, default type: read-back, "
		"reserved bits and invalid types #GP\n", count);
}

static void check_apic_base(void)
{
	u64 reset = read(MSR_APIC_BASE);

	CHECK(reset == 0xfee00900, "APIC_BASE at reset 0x%llx", (unsigned long long)reset);
	write_reads(MSR_APIC_BASE, 0xfed00800, 0xfed00900); /* BSP stays */
	write_reads(MSR_APIC_BASE, 0xfee00000, 0xfee00100); /* disabled */
	write_gp(MSR_APIC_BASE, 0xfee00801);                /* reserved bit 0 */
	write_gp(MSR_APIC_BASE, 0xfee00a00);                /* reserved bit 9 */
	write_gp(MSR_APIC_BASE, 0xfee00c00);                /* x2APIC, not offered */
	write_gp(MSR_APIC_BASE, above_maxphyaddr() | 0xfee00800);
	write_reads(MSR_APIC_BASE, reset, reset);
	gprintf("APIC_BASE: read-back, BSP kept, reserved bits #GP\n");
}

static void check_misc_enable(void)
{
	u64 reset = read(MSR_MISC_ENABLE);

	CHECK(reset == 0x1801, "MISC_ENABLE at reset 0x%llx", (unsigned long long)reset);
	write_reads(MSR_MISC_ENABLE, reset & ~1ULL, reset & ~1ULL); /* fast strings off */
	write_gp(MSR_MISC_ENABLE, reset | BIT(22));
	write_gp(MSR_MISC_ENABLE, reset & ~BIT(11));
	write_reads(MSR_MISC_ENABLE, reset, reset);
	gprintf("MISC_ENABLE: fast strings writable, other bits #GP\n");
}

/* A TSC write moves TSC_ADJUST by as much, and a TSC_ADJUST write the
 * TSC (SDM vol. 3, 18.17.3). */
static void check_tsc(void)
{
	u64 t1 = read(MSR_TSC), t2 = read(MSR_TSC), ahead = 1ULL << 40;
	u64 adjust = read(MSR_TSC_ADJUST);

	CHECK(t2 > t1, "TSC not monotonic: 0x%llx then 0x%llx", (unsigned long long)t1,
	      (unsigned long long)t2);
	CHECK(adjust == 0, "TSC_ADJUST at reset 0x%llx", (unsigned long long)adjust);
	CHECK(wrmsr_safe(MSR_TSC, t2 + ahead), "TSC write: #%d", last_fixup_vector);
	adjust = read(MSR_TSC_ADJUST);
	CHECK(adjust > ahead - (1ULL << 36) && adjust <= ahead,
	      "TSC_ADJUST after a TSC write 0x%llx", (unsigned long long)adjust);
	CHECK(read(MSR_TSC) >= t2 + ahead, "TSC behind what was written");
	write_reads(MSR_TSC_ADJUST, 0, 0);
	CHECK(read(MSR_TSC) < t2 + ahead, "TSC_ADJUST write did not move the TSC back");
	gprintf("TSC: read, written; TSC and TSC_ADJUST move together\n");
}

static void check_efer(void)
{
	u64 efer = read(MSR_EFER);

	CHECK((efer & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA) && !(efer & EFER_SVME),
	      "EFER 0x%llx", (unsigned long long)efer);
	write_reads(MSR_EFER, efer | EFER_SCE, efer | EFER_SCE);
	write_reads(MSR_EFER, (efer | EFER_SCE) & ~EFER_LMA, efer | EFER_SCE); /* LMA read-only */
	write_gp(MSR_EFER, efer | EFER_SVME);
	write_gp(MSR_EFER, efer | BIT(1));    /* reserved */
	write_gp(MSR_EFER, efer | BIT(15));   /* TCE */
	write_gp(MSR_EFER, efer & ~EFER_LME); /* LME while paging is on */
	write_reads(MSR_EFER, efer, efer);
	gprintf("EFER: read-back, LMA read-only; SVME, reserved bits, LME change #GP\n");
}

/* The guest's own MSRs, switched by the CPU and not intercepted: any
 * canonical value reads back; a non-canonical base is the CPU's to
 * refuse (real CPUs and Bochs raise #GP, QEMU's TCG takes it). */
static void check_direct(void)
{
	static const u32 bases[] = { 0xc0000100, 0xc0000101, 0xc0000102, 0xc0000082,
				     0xc0000083 };
	static const u32 plain[] = { 0x174, 0x175, 0x176, 0xc0000081, 0xc0000084 };
	unsigned taken = 0;

	for (unsigned i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		u64 before = read(bases[i]);

		write_reads(bases[i], 0xffff800012345000ULL + i, 0xffff800012345000ULL + i);
		last_fixup_vector = -1;
		if (wrmsr_safe(bases[i], NONCANONICAL))
			taken++;
		else
			CHECK(last_fixup_vector == VEC_GP, "wrmsr 0x%x non-canonical: vector %d",
			      bases[i], last_fixup_vector);
		write_reads(bases[i], before, before);
	}
	for (unsigned i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		u64 before = read(plain[i]);

		write_reads(plain[i], 0x10 + i, 0x10 + i);
		write_reads(plain[i], before, before);
	}
	gprintf("FS/GS/KERNEL_GS_BASE, SYSCALL and SYSENTER MSRs: read-back\n");
	gprintf("non-canonical bases: %s\n", taken ? "taken by this CPU" : "#GP");
}

void test_main(void)
{
	check_refused();
	check_pat();
	check_mtrrs();
	check_apic_base();
	check_misc_enable();
	check_tsc();
	check_efer();
	check_direct();
}
