/* The emulated MSRs' rules (hv/msr.c) against the SDM and APM: PAT and
 * MTRR memory types, reserved bits and the physical-address width, EFER's
 * rules, APIC_BASE's reserved bits and BSP flag. A write the rules refuse
 * must leave the value as it was. The expected values come from the
 * manuals' bit positions, not from the code's masks. */
#include "check.h"
#include "../../hv/msr.c"
#include "../../hv/vlapic.c"

/* The CPUID the vCPU sees: 36-bit physical addresses; 0x80000001 EDX
 * with SYSCALL, NX and LM unless a test takes them away. */
static u32 ext_edx = (1u << 11) | (1u << 20) | (1u << 29);
static u64 cr0 = BIT(0) | BIT(31);
static u64 backend_efer, backend_pat;

void guest_cpuid(const struct cpuid_vcpu_state *st, u32 leaf, u32 subleaf,
		 struct cpuid_result *r)
{
	(void)subleaf;
	*r = (struct cpuid_result){ 0 };
	if (leaf == 0x80000008)
		r->eax = 36 | 48 << 8;
	if (leaf == 0x80000001)
		r->edx = ext_edx;
	if (leaf == 1 && st->lapic)
		r->ecx = BIT(21) | BIT(24); /* x2APIC, TSC-deadline */
}

/* The vCPU's TSC: a fixed host TSC plus its offset. */
#define HOST_TSC 1000000ULL

u64 vcpu_tsc(const struct vcpu *v)
{
	return HOST_TSC + v->tsc_offset;
}

void vcpu_set_tsc(struct vcpu *v, u64 value)
{
	v->tsc_offset = value - HOST_TSC;
}

static u64 fake_get_msr(struct vcpu *v, u32 index)
{
	(void)v;
	return index == MSR_EFER ? backend_efer : backend_pat;
}

static void fake_set_msr(struct vcpu *v, u32 index, u64 value)
{
	(void)v;
	*(index == MSR_EFER ? &backend_efer : &backend_pat) = value;
}

static u64 fake_guest_cr0(struct vcpu *v)
{
	(void)v;
	return cr0;
}

static const struct virt_ops fake_ops = {
	.get_msr = fake_get_msr,
	.set_msr = fake_set_msr,
	.guest_cr0 = fake_guest_cr0,
};
const struct virt_ops *virt = &fake_ops;

static struct vm vm;
static struct vcpu vcpu = { .vm = &vm };

static void reset(u32 id)
{
	vcpu.id = id;
	msr_reset(&vcpu.msrs, id == 0);
	backend_efer = EFER_LME | EFER_LMA | EFER_NXE;
	backend_pat = 0x0007040600070406ULL;
	cr0 = BIT(0) | BIT(31);
	ext_edx = (1u << 11) | (1u << 20) | (1u << 29);
}

static enum msr_result wr(u32 index, u64 value)
{
	return msr_access(&vcpu, index, true, &value);
}

static u64 rd(u32 index)
{
	u64 value = 0xdeadbeef;

	CHECK_EQ(msr_access(&vcpu, index, false, &value), MSR_DONE);
	return value;
}

/* A refused write: #GP and the value unchanged. */
static void refused(u32 index, u64 value)
{
	u64 before = rd(index);

	CHECK_EQ(wr(index, value), MSR_GP);
	CHECK_EQ(rd(index), before);
}

static void accepted(u32 index, u64 value, u64 reads)
{
	CHECK_EQ(wr(index, value), MSR_DONE);
	CHECK_EQ(rd(index), reads);
}

TEST(pat_takes_every_valid_type_in_every_byte)
{
	static const u8 valid[] = { 0, 1, 4, 5, 6, 7 };

	reset(0);
	CHECK_EQ(rd(0x277), 0x0007040600070406ULL);
	for (int byte = 0; byte < 8; byte++) {
		for (unsigned t = 0; t < sizeof(valid); t++)
			accepted(0x277, (u64)valid[t] << (byte * 8), (u64)valid[t] << (byte * 8));
		for (u64 t = 2; t < 256; t++)
			if (t != 4 && t != 5 && t != 6 && t != 7)
				refused(0x277, t << (byte * 8));
	}
}

TEST(mtrr_types_exclude_uc_minus)
{
	static const u32 fixed[] = { 0x250, 0x258, 0x259, 0x268, 0x26f };

	reset(0);
	for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		accepted(fixed[i], 0x0605040100010406ULL, 0x0605040100010406ULL);
		refused(fixed[i], 0x0700000000000000ULL);
		refused(fixed[i], 0x0000000000000200ULL);
		refused(fixed[i], 0x0000000000030000ULL);
	}
	accepted(0x2ff, 0xc06, 0xc06);     /* E, FE, WB */
	refused(0x2ff, 0xc07);             /* UC- */
	refused(0x2ff, 0x100);             /* reserved bit 8 */
	refused(0x2ff, BIT(12));
}

TEST(variable_mtrrs_follow_mtrrcap_and_maxphyaddr)
{
	reset(0);
	CHECK_EQ(rd(0xfe), 0x508);
	CHECK_EQ(wr(0xfe, 0x508), MSR_GP);
	accepted(0x200, 0xfff000006ULL, 0xfff000006ULL);   /* base bits up to 35 */
	accepted(0x20f, 0xff0000800ULL, 0xff0000800ULL);   /* mask 7, valid */
	refused(0x200, 0x1000000006ULL);                    /* bit 36 */
	refused(0x200, 0x106);                              /* reserved bit 8 */
	refused(0x200, 0x7);                                /* UC- */
	refused(0x201, 0x801);                              /* reserved bit 0 */
	refused(0x201, BIT(63) | 0x800);
	CHECK_EQ(wr(0x210, 0), MSR_UNKNOWN);                /* no range 8 */
	CHECK_EQ(wr(0x251, 0), MSR_UNKNOWN);
	CHECK_EQ(wr(0x25a, 0), MSR_UNKNOWN);
	CHECK_EQ(wr(0x267, 0), MSR_UNKNOWN);
	CHECK_EQ(wr(0x270, 0), MSR_UNKNOWN);
}

TEST(efer_rules)
{
	reset(0);
	CHECK_EQ(rd(MSR_EFER), 0xd00);
	accepted(MSR_EFER, 0xd01, 0xd01);                  /* SCE */
	accepted(MSR_EFER, 0x901, 0xd01);                  /* LMA is the CPU's */
	refused(MSR_EFER, 0x1d01);                         /* SVME */
	refused(MSR_EFER, 0xd03);                          /* reserved bit 1 */
	refused(MSR_EFER, 0x8d01);                         /* TCE */
	refused(MSR_EFER, 0xc01);                          /* LME off, paging on */
	cr0 = BIT(0);
	backend_efer = 0;
	accepted(MSR_EFER, EFER_LME, EFER_LME);            /* paging off: fine */
	accepted(MSR_EFER, EFER_LMA, 0);                   /* LMA cannot be set */
	ext_edx = 1u << 29;                                /* no NX, no SYSCALL */
	refused(MSR_EFER, EFER_NXE);
	refused(MSR_EFER, EFER_SCE);
	refused(MSR_EFER, BIT(14));                        /* FFXSR not offered */
	ext_edx = 0;                                       /* no long mode */
	refused(MSR_EFER, EFER_LME);
}

TEST(apic_base_rules)
{
	reset(0);
	CHECK_EQ(rd(0x1b), 0xfee00900);
	accepted(0x1b, 0xfed00800, 0xfed00900);            /* BSP kept */
	accepted(0x1b, 0xffff00000ULL, 0xffff00100ULL);    /* disabled, high base */
	refused(0x1b, 0x10fee00800ULL);                    /* bit 36 */
	refused(0x1b, 0xfee00801);
	refused(0x1b, 0xfee00a00);                         /* reserved bit 9 */
	refused(0x1b, 0xfee00c00);                         /* x2APIC */
	reset(1);
	CHECK_EQ(rd(0x1b), 0xfee00800);
	accepted(0x1b, 0xfee00900, 0xfee00800);            /* not a BSP either */
}

/* SDM vol. 3, 18.17.3: a TSC write adds its difference to TSC_ADJUST,
 * a TSC_ADJUST write its difference to the TSC. */
TEST(tsc_and_tsc_adjust_move_together)
{
	reset(0);
	vcpu.tsc_offset = 0;
	CHECK_EQ(rd(0x10), HOST_TSC);
	accepted(0x10, HOST_TSC + 500, HOST_TSC + 500);
	CHECK_EQ(rd(0x3b), 500);
	accepted(0x3b, 200, 200);
	CHECK_EQ(rd(0x10), HOST_TSC + 200);
	accepted(0x10, 0, 0); /* backwards: TSC_ADJUST goes negative */
	CHECK_EQ(rd(0x3b), -HOST_TSC);
}

TEST(misc_enable_and_unknown)
{
	reset(0);
	CHECK_EQ(rd(0x1a0), 0x1801);
	accepted(0x1a0, 0x1800, 0x1800);
	refused(0x1a0, 0x1800 | BIT(22));
	refused(0x1a0, 0x0800);
	CHECK_EQ(rd(0x3b), 0);
	CHECK_EQ(wr(0x48, 0), MSR_UNKNOWN);                /* SPEC_CTRL */
	CHECK_EQ(wr(0xc0000103, 0), MSR_UNKNOWN);          /* TSC_AUX */
	CHECK_EQ(wr(0xc0000100, 0), MSR_UNKNOWN);          /* FS_BASE: the CPU's */
}

/* With the virtual LAPIC, APIC_BASE, the x2APIC MSRs and TSC_DEADLINE go
 * to hv/vlapic.c; without it they stay as they were. */
TEST(lapic_msrs)
{
	u64 base = APIC_BASE_DEFAULT | APIC_BASE_ENABLE | APIC_BASE_BSP;

	reset(0);
	vlapic_reset(&vcpu.apic, 0, true);
	CHECK_EQ(wr(0x802, 0), MSR_UNKNOWN);
	CHECK_EQ(wr(0x6e0, 0), MSR_UNKNOWN);
	vm.lapic = true;
	CHECK_EQ(rd(0x1b), base);
	CHECK_EQ(wr(0x802, 0), MSR_GP); /* xAPIC mode */
	CHECK_EQ(wr(0x1b, base | BIT(36)), MSR_GP); /* MAXPHYADDR 36 */
	CHECK_EQ(wr(0x1b, base | BIT(10)), MSR_DONE);
	CHECK_EQ(rd(0x802), 0); /* x2APIC ID */
	CHECK_EQ(rd(0x803), 0x50014);
	CHECK_EQ(wr(0x802, 0), MSR_GP); /* read-only */
	CHECK_EQ(wr(0x1b, base), MSR_GP); /* x2APIC -> xAPIC */
	CHECK_EQ(wr(0x1b, APIC_BASE_DEFAULT), MSR_DONE);
	CHECK_EQ(vcpu.msrs.apic_base, APIC_BASE_DEFAULT | APIC_BASE_BSP);
	CHECK_EQ(wr(0x6e0, 0), MSR_DONE);
	vm.lapic = false;
}

RUN_TESTS("msr", T(pat_takes_every_valid_type_in_every_byte), T(mtrr_types_exclude_uc_minus),
	  T(variable_mtrrs_follow_mtrrcap_and_maxphyaddr), T(efer_rules), T(apic_base_rules),
	  T(tsc_and_tsc_adjust_move_together), T(misc_enable_and_unknown),
	  T(lapic_msrs))
