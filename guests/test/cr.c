/* MOV to CR0 and CR4: reserved bits, CR4 bits for features CPUID does not
 * offer and combinations the architecture forbids raise #GP and leave
 * the register as it was; legal writes take effect (and CPUID's OSXSAVE
 * follows CR4). */
#include "guests/lib/test.h"

const char test_title[] = "Control registers: forbidden writes #GP, legal ones stick";

#define CR0_PE BIT(0)
#define CR0_MP BIT(1)
#define CR0_TS BIT(3)
#define CR0_NE BIT(5)
#define CR0_WP BIT(16)
#define CR0_AM BIT(18)
#define CR0_NW BIT(29)
#define CR0_CD BIT(30)
#define CR0_PG BIT(31)
#define CR4_MCE BIT(6)
#define CR4_PGE BIT(7)
#define CR4_PAE BIT(5)
#define CR4_LA57 BIT(12)
#define CR4_VMXE BIT(13)
#define CR4_SMXE BIT(14)
#define CR4_OSXSAVE BIT(18)
#define CR4_PKE BIT(22)
#define CR4_CET BIT(23)
#define L1_ECX_VMX BIT(5)
#define L1_ECX_SMX BIT(6)
#define L1_ECX_XSAVE BIT(26)
#define L1_ECX_OSXSAVE BIT(27)
#define L1_EDX_MCE BIT(7)
#define L7_ECX_PKU BIT(3)
#define L7_ECX_CET_SS BIT(7)
#define L7_ECX_LA57 BIT(16)

static u64 read_cr(int cr)
{
	u64 v;

	if (cr == 0)
		asm volatile("mov %%cr0, %0" : "=r"(v));
	else
		asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* MOV to CR0 or CR4 from R9 (a REX-prefixed form): false when it faulted. */
static bool write_cr_safe(int cr, u64 v)
{
	register u64 r9 asm("r9") = v;
	int ok = 1;

	if (cr == 0)
		asm volatile(FIXUP_ASM("mov %%r9, %%cr0") : [ok] "+r"(ok) : "r"(r9) : "memory");
	else
		asm volatile(FIXUP_ASM("mov %%r9, %%cr4") : [ok] "+r"(ok) : "r"(r9) : "memory");
	return ok;
}

/* A write the architecture refuses: #GP, the register unchanged. */
static void refused(int cr, u64 v, const char *what)
{
	u64 before = read_cr(cr), after;
	bool faulted;

	last_fixup_vector = -1;
	faulted = !write_cr_safe(cr, v);
	after = read_cr(cr);
	if (faulted && last_fixup_vector == 13 && after == before)
		return (void)gprintf("CR%d %s: #GP, unchanged\n", cr, what);
	test_fail("CR%d %s (0x%llx): %s vector %d, CR%d 0x%llx, was 0x%llx", cr, what,
		  (unsigned long long)v, faulted ? "fault" : "accepted", last_fixup_vector, cr,
		  (unsigned long long)after, (unsigned long long)before);
}

/* A legal write of `bits` on, then off again (or off, then on). */
static void toggled(int cr, u64 bits, const char *what)
{
	u64 before = read_cr(cr);

	bool ok = write_cr_safe(cr, before ^ bits);
	u64 after = read_cr(cr);

	if (ok && after == (before ^ bits) && write_cr_safe(cr, before) && read_cr(cr) == before)
		return (void)gprintf("CR%d %s: toggled\n", cr, what);
	test_fail("CR%d %s: %s, 0x%llx after writing 0x%llx", cr, what, ok ? "no fault" : "#GP",
		  (unsigned long long)after, (unsigned long long)(before ^ bits));
}

/* CR4 bits whose feature the guest's CPUID does not offer. */
static void unoffered_cr4(void)
{
	struct cpuid_out l1 = guest_cpuid(1, 0), l7 = guest_cpuid(7, 0);
	u64 cr4 = read_cr(4);

	if (!(l1.ecx & L1_ECX_VMX))
		refused(4, cr4 | CR4_VMXE, "VMXE without VMX in CPUID");
	if (!(l1.ecx & L1_ECX_SMX))
		refused(4, cr4 | CR4_SMXE, "SMXE without SMX in CPUID");
	if (!(l1.edx & L1_EDX_MCE))
		refused(4, cr4 | CR4_MCE, "MCE without MCE in CPUID");
	if (!(l7.ecx & L7_ECX_PKU))
		refused(4, cr4 | CR4_PKE, "PKE without PKU in CPUID");
	if (!(l7.ecx & L7_ECX_CET_SS))
		refused(4, cr4 | CR4_CET, "CET without CET_SS in CPUID");
	if (!(l7.ecx & L7_ECX_LA57))
		refused(4, cr4 | CR4_LA57, "LA57 without LA57 in CPUID");
}

/* OSXSAVE off and on, with CPUID's OSXSAVE following it. */
static void osxsave(void)
{
	u64 cr4 = read_cr(4);

	if (!(guest_cpuid(1, 0).ecx & L1_ECX_XSAVE))
		return test_skip("no XSAVE in CPUID: OSXSAVE not tried");
	CHECK(write_cr_safe(4, cr4 | CR4_OSXSAVE), "CR4.OSXSAVE set: #GP");
	CHECK(guest_cpuid(1, 0).ecx & L1_ECX_OSXSAVE, "CPUID OSXSAVE clear with CR4.OSXSAVE");
	CHECK(write_cr_safe(4, cr4 & ~CR4_OSXSAVE), "CR4.OSXSAVE clear: #GP");
	CHECK(!(guest_cpuid(1, 0).ecx & L1_ECX_OSXSAVE), "CPUID OSXSAVE set without CR4.OSXSAVE");
	CHECK(write_cr_safe(4, cr4), "CR4 restore: #GP");
	gprintf("CR4 OSXSAVE: toggled, CPUID OSXSAVE follows\n");
}

/* CLTS, and LMSW, which loads CR0 bits 0-3 but cannot clear PE. */
static void clts_lmsw(void)
{
	u64 cr0 = read_cr(0);

	CHECK(write_cr_safe(0, cr0 | CR0_TS), "CR0.TS set: #GP");
	asm volatile("clts" ::: "memory");
	CHECK(!(read_cr(0) & CR0_TS), "CLTS left TS set");
	asm volatile("lmsw %w0" : : "r"((u16)CR0_MP) : "memory");
	CHECK(read_cr(0) == ((cr0 & ~0xfULL) | CR0_PE | CR0_MP), "LMSW: CR0 0x%llx",
	      (unsigned long long)read_cr(0));
	CHECK(write_cr_safe(0, cr0), "CR0 restore: #GP");
	gprintf("CLTS clears TS; LMSW loads MP and keeps PE\n");
}

void test_main(void)
{
	u64 cr0 = read_cr(0), cr4 = read_cr(4);

	refused(0, cr0 | BIT(32), "bit 32 (reserved)");
	refused(0, (cr0 & ~CR0_CD) | CR0_NW, "NW without CD");
	refused(0, cr0 & ~CR0_PE, "PG without PE");
	refused(0, cr0 & ~CR0_PG, "PG clear in 64-bit mode");
	refused(4, cr4 | BIT(15), "bit 15 (reserved)");
	refused(4, cr4 | BIT(32), "bit 32 (reserved)");
	refused(4, cr4 & ~CR4_PAE, "PAE clear in long mode");
	unoffered_cr4();
	toggled(0, CR0_WP, "WP");
	toggled(0, CR0_TS, "TS");
	toggled(0, CR0_MP, "MP");
	toggled(0, CR0_AM, "AM");
	toggled(0, CR0_NE, "NE");
	toggled(0, CR0_CD | CR0_NW, "CD and NW"); /* Bochs's VMX entry keeps the host's */
	toggled(4, CR4_PGE, "PGE");
	clts_lmsw();
	osxsave();
}
