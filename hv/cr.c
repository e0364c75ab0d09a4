/* MOV to CR0/CR4: the architectural #GP rules as data and one check per
 * register, free of any vCPU so the host unit tests run them
 * (tests/unit/test_cr.c). */
#include "hv/cr.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"

#define CR0_MP BIT(1)
#define CR0_EM BIT(2)
#define CR0_TS BIT(3)
#define CR0_AM BIT(18)
#define CR0_NW BIT(29)
#define CR0_CD BIT(30)
/* The bits a MOV to CR0 can change; other low bits are ignored, ET reads 1. */
#define CR0_WRITABLE (CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_NE | CR0_WP | CR0_AM | \
		      CR0_NW | CR0_CD | CR0_PG)
#define SEG_ATTR_L BIT(9) /* struct segment attr: the code segment is 64-bit */

/* CR4 bits present on every x86-64 CPU: TSD 2, PCE 8, OSXMMEXCPT 10. */
#define CR4_ALWAYS (BIT(2) | BIT(8) | BIT(10))

enum cpuid_reg { EBX, ECX, EDX };

/* A CR4 bit and the CPUID bit that offers its feature. */
static const struct cr4_feature {
	u8 cr4_bit;
	u8 leaf; /* 1 or 7 (subleaf 0) */
	u8 reg;
	u8 bit;
} cr4_features[] = {
	{ 0, 1, EDX, 1 },   /* VME: VME */
	{ 1, 1, EDX, 1 },   /* PVI: VME */
	{ 3, 1, EDX, 2 },   /* DE: DE */
	{ 4, 1, EDX, 3 },   /* PSE: PSE */
	{ 5, 1, EDX, 6 },   /* PAE: PAE */
	{ 6, 1, EDX, 7 },   /* MCE: MCE */
	{ 7, 1, EDX, 13 },  /* PGE: PGE */
	{ 9, 1, EDX, 24 },  /* OSFXSR: FXSR */
	{ 11, 7, ECX, 2 },  /* UMIP: UMIP */
	{ 12, 7, ECX, 16 }, /* LA57: LA57 */
	{ 13, 1, ECX, 5 },  /* VMXE: VMX */
	{ 14, 1, ECX, 6 },  /* SMXE: SMX */
	{ 16, 7, EBX, 0 },  /* FSGSBASE: FSGSBASE */
	{ 17, 1, ECX, 17 }, /* PCIDE: PCID */
	{ 18, 1, ECX, 26 }, /* OSXSAVE: XSAVE */
	{ 20, 7, EBX, 7 },  /* SMEP: SMEP */
	{ 21, 7, EBX, 20 }, /* SMAP: SMAP */
	{ 22, 7, ECX, 3 },  /* PKE: PKU */
	{ 23, 7, ECX, 7 },  /* CET: CET_SS */
	{ 24, 7, ECX, 31 }, /* PKS: PKS */
};

static u32 cpuid_reg(const struct cpuid_result *r, u8 reg)
{
	return reg == EBX ? r->ebx : reg == ECX ? r->ecx : r->edx;
}

u64 cr4_offered(const struct cpuid_result *leaf1, const struct cpuid_result *leaf7)
{
	u64 allowed = CR4_ALWAYS;

	for (u32 i = 0; i < ARRAY_SIZE(cr4_features); i++) {
		const struct cr4_feature *f = &cr4_features[i];
		const struct cpuid_result *r = f->leaf == 1 ? leaf1 : leaf7;

		if (cpuid_reg(r, f->reg) & BIT(f->bit))
			allowed |= BIT(f->cr4_bit);
	}
	return allowed;
}

u64 cr4_guest_allowed(void)
{
	static const struct cpuid_vcpu_state any_vcpu;
	struct cpuid_result l1, l7;

	guest_cpuid(&any_vcpu, 1, 0, &l1);
	guest_cpuid(&any_vcpu, 7, 0, &l7);
	return cr4_offered(&l1, &l7);
}

static bool in_64bit_mode(const struct guest_sregs *s)
{
	return (s->efer & EFER_LMA) && (s->cs.attr & SEG_ATTR_L);
}

static bool cr0_valid(const struct guest_sregs *s, u64 v)
{
	bool pg_on = (v & CR0_PG) && !(s->cr0 & CR0_PG);
	bool pg_off = !(v & CR0_PG) && (s->cr0 & CR0_PG);

	if (v >> 32)
		return false;
	if ((v & CR0_PG) && !(v & CR0_PE))
		return false;
	if ((v & CR0_NW) && !(v & CR0_CD))
		return false;
	if (pg_on && (s->efer & EFER_LME) && !(s->cr4 & CR4_PAE))
		return false;
	if (pg_off && ((s->cr4 & CR4_PCIDE) || in_64bit_mode(s)))
		return false;
	return (v & CR0_WP) || !(s->cr4 & CR4_CET);
}

static bool cr4_valid(const struct guest_sregs *s, u64 v, u64 allowed)
{
	bool long_mode = s->efer & EFER_LMA;
	bool pcide_on = (v & CR4_PCIDE) && !(s->cr4 & CR4_PCIDE);

	if (v & ~allowed)
		return false;
	if (long_mode && (!(v & CR4_PAE) || ((v ^ s->cr4) & CR4_LA57)))
		return false;
	if (pcide_on && (!long_mode || (s->cr3 & 0xfff)))
		return false;
	return !(v & CR4_CET) || (s->cr0 & CR0_WP);
}

enum cr_insn cr_decode(const u8 *b, int n, const struct guest_sregs *s, u8 cr, u8 *gpr)
{
	u8 rex = 0;

	if (n > 0 && (b[0] & 0xf0) == 0x40 && in_64bit_mode(s)) {
		rex = b[0];
		b++;
		n--;
	}
	if (n < 2 || b[0] != 0x0f)
		return CR_INSN_NONE;
	if (b[1] == 0x06)
		return cr == 0 ? CR_INSN_CLTS : CR_INSN_NONE;
	if (n < 3)
		return CR_INSN_NONE;
	*gpr = (b[2] & 7) | (rex & 1) << 3;
	if (b[1] == 0x22) /* ModRM's mod is ignored */
		return (((b[2] >> 3) & 7) | (rex & 4) << 1) == cr ? CR_INSN_MOV : CR_INSN_NONE;
	if (b[1] == 0x01 && cr == 0 && (b[2] & 0xf8) == 0xf0) /* mod 3, reg 6 */
		return CR_INSN_LMSW;
	return CR_INSN_NONE;
}

u64 cr_insn_value(enum cr_insn insn, u64 cr0, u64 src)
{
	if (insn == CR_INSN_CLTS)
		return cr0 & ~CR0_TS;
	if (insn == CR_INSN_LMSW) /* bits 0-3; PE cannot be cleared */
		return (cr0 & ~0xeULL) | (src & 0xf);
	return src;
}

bool cr_write(struct guest_sregs *s, u8 cr, u64 value, u64 cr4_allowed)
{
	if (!in_64bit_mode(s)) /* a 32-bit operand */
		value = (u32)value;
	if (cr == 4) {
		if (!cr4_valid(s, value, cr4_allowed))
			return false;
		s->cr4 = value;
		return true;
	}
	if (cr != 0 || !cr0_valid(s, value))
		return false;
	s->cr0 = (value & CR0_WRITABLE) | CR0_ET;
	if ((s->efer & EFER_LME) && (s->cr0 & CR0_PG))
		s->efer |= EFER_LMA;
	else
		s->efer &= ~EFER_LMA;
	return true;
}
