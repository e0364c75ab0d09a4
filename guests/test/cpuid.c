/* CPUID inside a VM: the hypervisor's leaves are there, and only what
 * the hypervisor virtualizes is offered: no VMX/SVM, no local APIC
 * features, no host topology, no performance monitoring, no speculation
 * controls; OSXSAVE follows the guest's own CR4. Runs as VM 0 vCPU 0. */
#include "guests/lib/test.h"
#include "lib/string.h"

const char test_title[] = "CPUID: hypervisor leaves present, only virtualized features offered";

#define BIT32(n) (1u << (n))
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXSAVE (1ull << 18)
#define L1_ECX_MONITOR BIT32(3)
#define L1_ECX_VMX BIT32(5)
#define L1_ECX_PDCM BIT32(15)
#define L1_ECX_X2APIC BIT32(21)
#define L1_ECX_XSAVE BIT32(26)
#define L1_ECX_OSXSAVE BIT32(27)
#define L1_ECX_HYPERVISOR BIT32(31)
#define L1_EDX_HTT BIT32(28)
#define L7_EDX_MD_CLEAR BIT32(10)
#define L7_EDX_SPEC_CTRL_FAMILY 0xfc000000u /* bits 26-31 */
#define X8_EBX_SPEC_CTRL_FAMILY (BIT32(12) | BIT32(14) | BIT32(15) | BIT32(24) | BIT32(25))
#define XSAVE_AREA_X87_ONLY 576u
#define XCR0_X87 1u
#define XCR0_SSE 2u
#define XCR0_AVX 4u

static bool osxsave_reported(void)
{
	return guest_cpuid(1, 0).ecx & L1_ECX_OSXSAVE;
}

static void check_signature(void)
{
	struct cpuid_out r = guest_cpuid(HV_CPUID_BASE, 0);
	char sig[13];

	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = '\0';
	gprintf("leaf 0x40000000: max 0x%x signature '%s'\n", r.eax, sig);
	CHECK(!memcmp(sig, HV_CPUID_SIGNATURE, 12), "signature '%s'", sig);
	CHECK(r.eax >= HV_CPUID_VERSION, "max hypervisor leaf 0x%x", r.eax);
	r = guest_cpuid(HV_CPUID_VERSION, 0);
	CHECK(r.eax == HV_ABI_VERSION, "ABI version %u", r.eax);
}

static void check_max_leaves(void)
{
	u32 basic = guest_cpuid(0, 0).eax, ext = guest_cpuid(0x80000000, 0).eax;

	gprintf("max leaves: basic 0x%x, extended 0x%x\n", basic, ext);
	CHECK(basic <= 0xd, "max basic leaf 0x%x above 0xd", basic);
	CHECK(ext <= 0x80000008, "max extended leaf 0x%x above 0x80000008", ext);
}

static void check_virt_hidden(void)
{
	struct cpuid_out l1 = guest_cpuid(1, 0);
	struct cpuid_out x1 = guest_cpuid(0x80000001, 0);
	struct cpuid_out s = guest_cpuid(0x8000000a, 0);

	CHECK(l1.ecx & L1_ECX_HYPERVISOR, "hypervisor-present bit clear (ecx 0x%x)", l1.ecx);
	CHECK(!(l1.ecx & L1_ECX_VMX), "VMX visible (ecx 0x%x)", l1.ecx);
	CHECK(!(x1.ecx & BIT32(2)), "SVM visible (ecx 0x%x)", x1.ecx);
	CHECK(!(s.eax | s.ebx | s.ecx | s.edx), "SVM leaf not empty");
	gprintf("VMX and SVM hidden\n");
}

static void check_leaf1_hidden(void)
{
	struct cpuid_out l1 = guest_cpuid(1, 0);

	CHECK(!(l1.ecx & L1_ECX_X2APIC), "x2APIC visible (ecx 0x%x)", l1.ecx);
	CHECK(!(l1.ecx & L1_ECX_MONITOR), "MONITOR visible (ecx 0x%x)", l1.ecx);
	CHECK(!(l1.ecx & L1_ECX_PDCM), "PDCM visible (ecx 0x%x)", l1.ecx);
	CHECK(!(l1.edx & L1_EDX_HTT), "HTT visible (edx 0x%x)", l1.edx);
	gprintf("leaf 1: x2APIC, MONITOR, PDCM, HTT hidden (ecx 0x%x edx 0x%x)\n",
		l1.ecx, l1.edx);
}

static void check_apic_id(void)
{
	u32 ebx = guest_cpuid(1, 0).ebx;

	CHECK(ebx >> 24 == 0, "initial APIC id %u on vCPU 0", ebx >> 24);
	CHECK((ebx >> 16 & 0xff) == 1, "%u logical CPUs", ebx >> 16 & 0xff);
	gprintf("leaf 1: APIC id %u, %u logical CPU\n", ebx >> 24, ebx >> 16 & 0xff);
}

static void check_pmu_hidden(void)
{
	struct cpuid_out a = guest_cpuid(0xa, 0);

	CHECK(!(a.eax | a.ebx | a.ecx | a.edx), "leaf 0xA: eax 0x%x edx 0x%x", a.eax, a.edx);
	gprintf("leaf 0xA (performance monitoring) empty\n");
}

static void check_spec_ctrl_hidden(void)
{
	u32 l7_edx = guest_cpuid(7, 0).edx, x8_ebx = guest_cpuid(0x80000008, 0).ebx;

	CHECK(!(l7_edx & (L7_EDX_SPEC_CTRL_FAMILY | L7_EDX_MD_CLEAR)),
	      "leaf 7 edx 0x%x offers speculation controls", l7_edx);
	CHECK(!(x8_ebx & X8_EBX_SPEC_CTRL_FAMILY),
	      "leaf 0x80000008 ebx 0x%x offers speculation controls", x8_ebx);
	gprintf("SPEC_CTRL bits clear (7.edx 0x%x, 0x80000008.ebx 0x%x)\n", l7_edx, x8_ebx);
}

static void check_xsave_leaf(void)
{
	struct cpuid_out d = guest_cpuid(0xd, 0);

	if (!(guest_cpuid(1, 0).ecx & L1_ECX_XSAVE))
		return;
	gprintf("leaf 0xD: XCR0 offered 0x%x, area %u bytes now, %u for all\n",
		d.eax, d.ebx, d.ecx);
	CHECK(!(d.eax & ~0xe7u) && !d.edx, "XCR0 components 0x%x:%x offered", d.edx, d.eax);
	CHECK(d.ebx == XSAVE_AREA_X87_ONLY, "area for XCR0 x87 is %u bytes", d.ebx);
}

/* Leaf 0xD's EBX is the area for the components XCR0 has now, right
 * after XSETBV (with or without an exit for it): x87+SSE, then with AVX
 * where offered (its offset and size from sub-leaf 2). XCR0 ends x87. */
static void check_area_follows_xcr0(void)
{
	u32 offered = guest_cpuid(0xd, 0).eax, sse, avx;
	struct cpuid_out c2 = guest_cpuid(0xd, 2);

	CHECK(xsetbv_safe(0, XCR0_X87 | XCR0_SSE), "XSETBV x87+SSE refused");
	sse = guest_cpuid(0xd, 0).ebx;
	CHECK(sse == XSAVE_AREA_X87_ONLY, "area for XCR0 x87+SSE is %u bytes", sse);
	if (offered & XCR0_AVX) {
		CHECK(xsetbv_safe(0, XCR0_X87 | XCR0_SSE | XCR0_AVX), "XSETBV AVX refused");
		avx = guest_cpuid(0xd, 0).ebx;
		CHECK(avx == c2.ebx + c2.eax, "area for XCR0 x87+SSE+AVX is %u bytes, not %u",
		      avx, c2.ebx + c2.eax);
		gprintf("leaf 0xD follows XCR0: %u bytes with SSE, %u with AVX\n", sse, avx);
	}
	CHECK(xsetbv_safe(0, XCR0_X87), "XSETBV x87 refused");
}

/* CR4.OSXSAVE (with CR4.OSFXSR, which it goes with) shows in leaf 1 while
 * set and not before or after; CR4 is restored. */
static void check_osxsave(void)
{
	u64 cr4 = read_cr4();
	bool before, during, after;

	if (!(guest_cpuid(1, 0).ecx & L1_ECX_XSAVE)) {
		gprintf("XSAVE not offered: OSXSAVE not checked\n");
		return;
	}
	CHECK(!(cr4 & CR4_OSXSAVE), "CR4.OSXSAVE set at entry (cr4 0x%llx)",
	      (unsigned long long)cr4);
	before = osxsave_reported();
	write_cr4(cr4 | CR4_OSFXSR | CR4_OSXSAVE);
	during = osxsave_reported();
	check_area_follows_xcr0();
	write_cr4(cr4);
	after = osxsave_reported();
	CHECK(!before, "OSXSAVE reported before CR4.OSXSAVE was set");
	CHECK(during, "OSXSAVE not reported with CR4.OSXSAVE set");
	CHECK(!after, "OSXSAVE still reported after CR4.OSXSAVE was cleared");
	gprintf("OSXSAVE follows CR4: %u before, %u set, %u cleared\n", before, during, after);
}

void test_main(void)
{
	check_signature();
	check_max_leaves();
	check_virt_hidden();
	check_leaf1_hidden();
	check_apic_id();
	check_pmu_hidden();
	check_spec_ctrl_hidden();
	check_xsave_leaf();
	check_osxsave();
}
