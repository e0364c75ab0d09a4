/* The emulated MSRs: one table row per MSR or run of MSRs, with the rule
 * that accepts a write and where the value lives. Writes that set a
 * reserved bit or an invalid memory type get #GP, as on the CPU. */
#include "hv/msr.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "hv/cpuid.h"
#include "hv/tsc.h"
#include "hv/vm.h"

#define MSR_TSC 0x10
#define MSR_APIC_BASE 0x1b
#define MSR_TSC_ADJUST 0x3b
#define MSR_MTRRCAP 0xfe
#define MSR_MISC_ENABLE 0x1a0
#define MSR_MTRR_PHYSBASE0 0x200
#define MSR_MTRR_FIX64K 0x250
#define MSR_MTRR_FIX16K 0x258
#define MSR_MTRR_FIX4K 0x268
#define MSR_MTRR_DEF_TYPE 0x2ff

#define APIC_BASE_LOW_RESERVED 0x6ffULL /* 0-7, 9, and 10 (x2APIC, not offered) */

#define MTRRCAP_VALUE (MTRR_VAR_COUNT | BIT(8) | BIT(10)) /* fixed ranges, WC */
#define MTRR_DEF_TYPE_BITS (0xffULL | BIT(10) | BIT(11)) /* type, FE, E */

#define EFER_SCE BIT(0)
#define EFER_FFXSR BIT(14)

/* CPUID 0x80000001 EDX: what decides the EFER bits a guest may set. */
#define X1_EDX_SYSCALL BIT(11)
#define X1_EDX_NX BIT(20)
#define X1_EDX_FFXSR BIT(25)
#define X1_EDX_LM BIT(29)

/* CPUID as this vCPU sees it (leaves without dynamic bits). */
static struct cpuid_result guest_leaf(struct vcpu *v, u32 leaf)
{
	struct cpuid_vcpu_state st = { .vcpu_id = v->id, .xcr0 = v->xcr0,
				       .lapic = v->vm->lapic, .table = &v->vm->cpuid };
	struct cpuid_result r;

	guest_cpuid(&st, leaf, 0, &r);
	return r;
}

/* Bits at and above the guest's physical-address width. */
static u64 above_maxphyaddr(struct vcpu *v)
{
	u32 bits = guest_leaf(v, 0x80000008).eax & 0xff;

	return bits && bits < 64 ? ~0ULL << bits : 0;
}

/* Memory types as bit sets: MTRRs take UC, WC, WT, WP and WB (0, 1, 4,
 * 5, 6), PAT entries those and UC- (7). */
#define MTRR_TYPES 0x73u
#define PAT_TYPES 0xf3u

static bool types_valid(u64 value, unsigned int bytes, u32 allowed)
{
	for (unsigned int i = 0; i < bytes; i++, value >>= 8) {
		if ((value & 0xff) >= 8 || !(allowed >> (value & 0xff) & 1))
			return false;
	}
	return true;
}

/* ---- rules beyond reserved bits and memory types ---- */

static bool read_only(struct vcpu *v, u32 index, u64 value)
{
	(void)v, (void)index, (void)value;
	return false;
}

static bool misc_enable_valid(struct vcpu *v, u32 index, u64 value)
{
	(void)index;
	return !((value ^ v->msrs.misc_enable) & ~MISC_ENABLE_FAST_STRING);
}

/* EFER: only the bits of features CPUID offers (never SVME); LME cannot
 * change while paging is on. LMA is the CPU's: writes leave it alone. */
static bool efer_valid(struct vcpu *v, u32 index, u64 value)
{
	u32 edx = guest_leaf(v, 0x80000001).edx;
	u64 allowed = (edx & X1_EDX_SYSCALL ? EFER_SCE : 0) |
		      (edx & X1_EDX_LM ? EFER_LME | EFER_LMA : 0) |
		      (edx & X1_EDX_NX ? EFER_NXE : 0) | (edx & X1_EDX_FFXSR ? EFER_FFXSR : 0);
	u64 old = virt->get_msr(v, index);

	if (value & ~allowed)
		return false;
	return !((value ^ old) & EFER_LME) || !(virt->guest_cr0(v) & CR0_PG);
}

/* ---- reads and writes that do more than store ---- */
static u64 read_tsc(struct vcpu *v, u32 index)
{
	(void)index;
	return vcpu_tsc(v);
}

/* Writing the TSC moves TSC_ADJUST by as much, and the other way round
 * (SDM vol. 3, 18.17.3). */
static void write_tsc(struct vcpu *v, u32 index, u64 value)
{
	u64 now = vcpu_tsc(v);
	u64 delta = index == MSR_TSC ? value - now : value - v->msrs.tsc_adjust;

	vcpu_set_tsc(v, now + delta);
	v->msrs.tsc_adjust += delta;
}

static u64 read_mtrrcap(struct vcpu *v, u32 index)
{
	(void)v, (void)index;
	return MTRRCAP_VALUE;
}

/* The BSP flag is the platform's: a write keeps it. */
static void write_apic_base(struct vcpu *v, u32 index, u64 value)
{
	(void)index;
	v->msrs.apic_base = (value & ~APIC_BASE_BSP) | (v->msrs.apic_base & APIC_BASE_BSP);
}

static u64 read_backend(struct vcpu *v, u32 index)
{
	return virt->get_msr(v, index);
}

static void write_backend(struct vcpu *v, u32 index, u64 value)
{
	if (index == MSR_EFER)
		value = (value & ~EFER_LMA) | (virt->get_msr(v, index) & EFER_LMA);
	virt->set_msr(v, index, value);
}

/* ---- the table ---- */

#define STORED(field) offsetof(struct vcpu_msrs, field)
#define NOT_STORED 0xffff

struct msr_rule {
	u32 index;
	u8 count, stride;  /* the row covers `count` MSRs `stride` apart */
	u16 slot;          /* STORED(the first one's value) or NOT_STORED */
	u64 reserved;      /* bits a write must leave clear */
	bool phys;         /* and those at and above MAXPHYADDR */
	u8 type_bytes;     /* low bytes that each hold a memory type, */
	u8 types;          /* one of these (MTRR_TYPES, PAT_TYPES) */
	bool (*valid)(struct vcpu *v, u32 index, u64 value); /* more rules */
	u64 (*read)(struct vcpu *v, u32 index);              /* NULL: stored */
	void (*write)(struct vcpu *v, u32 index, u64 value); /* NULL: store */
};

#define ONE(msr, where) .index = (msr), .count = 1, .stride = 1, .slot = (where)
#define MTRR_TYPE(n) .type_bytes = (n), .types = MTRR_TYPES

static const struct msr_rule msr_rules[] = {
	{ ONE(MSR_TSC, NOT_STORED), .read = read_tsc, .write = write_tsc },
	{ ONE(MSR_APIC_BASE, STORED(apic_base)), .reserved = APIC_BASE_LOW_RESERVED,
	  .phys = true, .write = write_apic_base },
	{ ONE(MSR_TSC_ADJUST, STORED(tsc_adjust)), .write = write_tsc },
	{ ONE(MSR_MTRRCAP, NOT_STORED), .valid = read_only, .read = read_mtrrcap },
	{ ONE(MSR_MISC_ENABLE, STORED(misc_enable)), .valid = misc_enable_valid },
	{ .index = MSR_MTRR_PHYSBASE0, .count = MTRR_VAR_COUNT, .stride = 2,
	  .slot = STORED(mtrr_var[0]), .reserved = 0xf00, .phys = true, MTRR_TYPE(1) },
	{ .index = MSR_MTRR_PHYSBASE0 + 1, .count = MTRR_VAR_COUNT, .stride = 2, /* PHYSMASK */
	  .slot = STORED(mtrr_var[1]), .reserved = 0x7ff, .phys = true },
	{ ONE(MSR_MTRR_FIX64K, STORED(mtrr_fixed[0])), MTRR_TYPE(8) },
	{ .index = MSR_MTRR_FIX16K, .count = 2, .stride = 1, .slot = STORED(mtrr_fixed[1]),
	  MTRR_TYPE(8) },
	{ .index = MSR_MTRR_FIX4K, .count = 8, .stride = 1, .slot = STORED(mtrr_fixed[3]),
	  MTRR_TYPE(8) },
	{ ONE(MSR_PAT, NOT_STORED), .type_bytes = 8, .types = PAT_TYPES, .read = read_backend,
	  .write = write_backend },
	{ ONE(MSR_MTRR_DEF_TYPE, STORED(mtrr_def_type)), .reserved = ~MTRR_DEF_TYPE_BITS,
	  MTRR_TYPE(1) },
	{ ONE(MSR_EFER, NOT_STORED), .valid = efer_valid, .read = read_backend,
	  .write = write_backend },
};

static const struct msr_rule *find_rule(u32 index)
{
	for (u32 i = 0; i < ARRAY_SIZE(msr_rules); i++) {
		const struct msr_rule *r = &msr_rules[i];
		u32 d = index - r->index;

		if (d % r->stride == 0 && d / r->stride < r->count)
			return r;
	}
	return NULL;
}

static bool write_valid(struct vcpu *v, const struct msr_rule *r, u32 index, u64 value)
{
	u64 reserved = r->reserved | (r->phys ? above_maxphyaddr(v) : 0);

	return !(value & reserved) && types_valid(value, r->type_bytes, r->types) &&
	       (!r->valid || r->valid(v, index, value));
}

static u64 *stored(struct vcpu *v, const struct msr_rule *r, u32 index)
{
	return (u64 *)((u8 *)&v->msrs + r->slot) + (index - r->index);
}

/* ---- the virtual LAPIC's MSRs (HV_FEATURE_LAPIC, hv/vlapic.c) ---- */

#define L1_ECX_X2APIC BIT(21)
#define L1_ECX_TSC_DEADLINE BIT(24)

/* IA32_APIC_BASE, the x2APIC range, and TSC_DEADLINE when CPUID offers it. */
static bool lapic_msr(struct vcpu *v, u32 index)
{
	return index == MSR_APIC_BASE || (index >= MSR_X2APIC_FIRST && index <= MSR_X2APIC_LAST) ||
	       (index == MSR_TSC_DEADLINE && (guest_leaf(v, 1).ecx & L1_ECX_TSC_DEADLINE));
}

/* A write to IA32_APIC_BASE; msrs.apic_base mirrors the result for
 * CPUID's APIC bit. */
static bool lapic_set_base(struct vcpu *v, u64 value)
{
	u32 bits = guest_leaf(v, 0x80000008).eax & 0xff;
	bool ok;

	v->apic.phys_bits = bits ? (u8)bits : 36;
	ok = vlapic_set_base(&v->apic, value, guest_leaf(v, 1).ecx & L1_ECX_X2APIC);
	v->msrs.apic_base = vlapic_base(&v->apic);
	return ok;
}

static enum msr_result lapic_msr_access(struct vcpu *v, u32 index, bool write, u64 *value)
{
	bool ok;

	if (index == MSR_APIC_BASE && !write) {
		*value = vlapic_base(&v->apic);
		return MSR_DONE;
	}
	if (index == MSR_APIC_BASE)
		ok = lapic_set_base(v, *value);
	else if (write)
		ok = vlapic_msr_write(&v->apic, index, *value, vcpu_tsc(v));
	else
		ok = vlapic_msr_read(&v->apic, index, value, vcpu_tsc(v));
	return ok ? MSR_DONE : MSR_GP;
}

enum msr_result msr_access(struct vcpu *v, u32 index, bool write, u64 *value)
{
	const struct msr_rule *r = find_rule(index);

	if (v->vm->lapic && lapic_msr(v, index))
		return lapic_msr_access(v, index, write, value);
	if (!r)
		return MSR_UNKNOWN;
	if (!write) {
		*value = r->read ? r->read(v, index) : *stored(v, r, index);
		return MSR_DONE;
	}
	if (!write_valid(v, r, index, *value))
		return MSR_GP;
	if (r->write)
		r->write(v, index, *value);
	else
		*stored(v, r, index) = *value;
	return MSR_DONE;
}
