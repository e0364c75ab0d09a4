/* The virtual local APIC's registers and modes, as a child sees them: VM 0
 * switches HV_FEATURE_LAPIC on for a child, which then reads and writes
 * its xAPIC page and x2APIC MSRs on request (vlapic.h): reset values,
 * software enable, TPR/PPR, ESR, the timer's count, the ICR; relocation
 * of the page; the xAPIC -> x2APIC -> disabled -> xAPIC transitions and
 * their #GP cases; CPUID's APIC, x2APIC and TSC-deadline bits. In x2APIC
 * mode the page is not decoded: the access reaches the VMM as MMIO. */
#include "guests/vlapic/vlapic.h"
#include "guests/lib/hv.h"
#include "guests/lib/test.h"
#include "lib/string.h"

const char test_title[] = "virtual local APIC: registers and modes";

#define CHILD_CODE 0x100000
#define CHILD_PDPT 0x3000 /* hv_child_boot_long_mode's tables */
#define CHILD_PD_4G 0x5000 /* ours: maps the default APIC page */
#define CHILD_IDT 0x6000
#define APIC 0xfee00000u
#define APIC_MOVED 0x3ff00000u /* below 1 GiB, not RAM */
#define MSR_APIC_BASE 0x1b
#define BASE_EN (1u << 11)
#define BASE_EXTD (1u << 10)
#define BASE_BSP (1u << 8)

static struct hv_exit ex;

struct reply {
	u64 value;
	bool gp;
};

/* Hands the child a request; it waits at its IN of the operation. */
static bool request(u32 vm, u32 op, u32 addr, u64 value)
{
	return test_run_to_io(vm, &ex, VL_PORT_ADDR, true, op) &&
	       test_run_to_io(vm, &ex, VL_PORT_LO, true, addr) &&
	       test_run_to_io(vm, &ex, VL_PORT_HI, true, (u32)value);
}

/* The three OUTs of a reply, the first one already reached. */
static struct reply collect(u32 vm)
{
	struct reply r = { ex.u.io.value, false };

	if (test_run_to_io(vm, &ex, VL_PORT_OUT, false, 0))
		r.value |= (u64)(u32)ex.u.io.value << 32;
	if (test_run_to_io(vm, &ex, VL_PORT_OUT, false, 0))
		r.gp = ex.u.io.value;
	test_run_to_io(vm, &ex, VL_PORT_OP, false, 0);
	return r;
}

static struct reply op(u32 vm, u32 what, u32 addr, u64 value)
{
	if (!request(vm, what, addr, value) ||
	    !test_run_to_io(vm, &ex, VL_PORT_OUT, true, value >> 32))
		return (struct reply){ 0, true };
	return collect(vm);
}

static u32 rd(u32 vm, u32 addr)
{
	return (u32)op(vm, VL_OP_READ, addr, 0).value;
}

static void wr(u32 vm, u32 addr, u32 value)
{
	op(vm, VL_OP_WRITE, addr, value);
}

/* RDMSR: the value, or ~0 after #GP. */
static u64 rdmsr(u32 vm, u32 msr)
{
	struct reply r = op(vm, VL_OP_RDMSR, msr, 0);

	return r.gp ? ~0ull : r.value;
}

/* WRMSR: true when it did not #GP. */
static bool wrmsr(u32 vm, u32 msr, u64 value)
{
	return !op(vm, VL_OP_WRMSR, msr, value).gp;
}

static long set_feature(u32 id, u32 vm, u64 value)
{
	return hv_feature(id | HV_FEATURE_SET, vm, &value);
}

/* The identity map of the first GiB plus the 2 MiB page holding the
 * default APIC page, and an IDT whose #GP gate reaches vl_child_gp. */
static long child_tables(u32 vm)
{
	static u64 pd[512] __attribute__((aligned(4096)));
	static u64 idt[2 * 14];
	u64 handler = CHILD_CODE + (u64)(vl_child_gp - vl_child_start);
	u64 pdpt3 = CHILD_PD_4G | 3;
	struct hv_vcpu_regs r;
	long err;

	pd[(APIC >> 21) & 511] = APIC | 0x83;
	idt[2 * 13] = (handler & 0xffff) | 0x08 << 16 | 0x8e00ull << 32 |
		      (handler >> 16 & 0xffff) << 48;
	idt[2 * 13 + 1] = handler >> 32;
	if ((err = hv_vm_copy(vm, HV_COPY_TO_VM, CHILD_PD_4G, pd, sizeof(pd))) ||
	    (err = hv_vm_copy(vm, HV_COPY_TO_VM, CHILD_PDPT + 3 * 8, &pdpt3, 8)) ||
	    (err = hv_vm_copy(vm, HV_COPY_TO_VM, CHILD_IDT, idt, sizeof(idt))) ||
	    (err = hv_vcpu_get_regs(vm, 0, &r)))
		return err;
	r.size = sizeof(r);
	r.flags = HV_REGS_SREGS;
	r.idt_base = CHILD_IDT;
	r.idt_limit = sizeof(idt) - 1;
	return hv_vcpu_set_regs(&r);
}

static long start_child(u32 *vm_out)
{
	long vm = hv_vm_create("apic", 2 * MIB, 1, 0);
	u64 v = 1;

	if (vm < 0 || hv_vcpu_create(vm) != 0 ||
	    hv_child_boot_long_mode(vm, 0, vl_child_start, vl_child_end - vl_child_start) ||
	    child_tables(vm))
		return -1;
	CHECK(hv_feature(HV_FEATURE_LAPIC | HV_FEATURE_GET, vm, &v) == 0 && v == 0,
	      "LAPIC on before SET (%llu)", (unsigned long long)v);
	CHECK(set_feature(HV_FEATURE_LAPIC, vm, 2) == -HV_EINVAL, "LAPIC value 2 accepted");
	CHECK(set_feature(HV_FEATURE_LAPIC | HV_FEATURE_PROBE, vm, 1) == 0, "PROBE refused");
	CHECK(set_feature(HV_FEATURE_LAPIC, vm, 1) == 0, "LAPIC SET refused");
	CHECK(hv_feature(HV_FEATURE_LAPIC | HV_FEATURE_GET, vm, &v) == 0 && v == 1,
	      "LAPIC GET after SET: %llu", (unsigned long long)v);
	CHECK(set_feature(HV_FEATURE_EXIT_REASONS, vm, 1u << HV_EXIT_MMIO) == 0, "MMIO exits");
	*vm_out = vm;
	return test_run_to_io(vm, &ex, VL_PORT_OP, false, 0) ? 0 : -1;
}

static void check_cpuid(u32 vm)
{
	u64 l1 = op(vm, VL_OP_CPUID, 1, 0).value;
	u64 tsc = op(vm, VL_OP_CPUID_AB, HV_CPUID_TSC, 0).value;

	CHECK((l1 >> 32) & (1u << 9), "no APIC bit");
	CHECK(l1 & (1u << 21), "no x2APIC bit");
	CHECK(l1 & (1u << 24), "no TSC-deadline bit");
	CHECK((u32)(tsc >> 32) == (u32)tsc && (u32)tsc, "bus kHz %u, TSC kHz %u",
	      (u32)(tsc >> 32), (u32)tsc);
	gprintf("cpuid: APIC, x2APIC, TSC-deadline offered; timer bus %u kHz\n",
		(u32)(tsc >> 32));
}

static void check_reset_state(u32 vm)
{
	u64 base = rdmsr(vm, MSR_APIC_BASE);

	CHECK(base == (APIC | BASE_EN | BASE_BSP), "APIC_BASE 0x%llx", (unsigned long long)base);
	CHECK(rd(vm, APIC + 0x20) == 0, "ID 0x%x", rd(vm, APIC + 0x20));
	CHECK(rd(vm, APIC + 0x30) == 0x50014, "version 0x%x", rd(vm, APIC + 0x30));
	CHECK(rd(vm, APIC + 0xf0) == 0xff, "SVR 0x%x", rd(vm, APIC + 0xf0));
	CHECK(rd(vm, APIC + 0xe0) == 0xffffffff, "DFR 0x%x", rd(vm, APIC + 0xe0));
	CHECK(rd(vm, APIC + 0x320) == 0x10000, "LVT timer 0x%x", rd(vm, APIC + 0x320));
	CHECK(rdmsr(vm, 0x802) == ~0ull, "x2APIC MSR readable in xAPIC mode");
	gprintf("reset: APIC_BASE 0x%llx, ID 0, version 0x50014, SVR 0xff, LVTs masked; "
		"x2APIC MSRs #GP\n", (unsigned long long)base);
}

static void check_registers(u32 vm)
{
	u32 c1, c2;

	wr(vm, APIC + 0xf0, 0x1ff);
	CHECK(rd(vm, APIC + 0xf0) == 0x1ff, "SVR 0x%x", rd(vm, APIC + 0xf0));
	wr(vm, APIC + 0x320, 0x30040);
	CHECK(rd(vm, APIC + 0x320) == 0x30040, "LVT timer 0x%x", rd(vm, APIC + 0x320));
	wr(vm, APIC + 0x80, 0x25);
	CHECK(rd(vm, APIC + 0xa0) == 0x25, "PPR 0x%x after TPR 0x25", rd(vm, APIC + 0xa0));
	wr(vm, APIC + 0xd0, 0x12345678);
	CHECK(rd(vm, APIC + 0xd0) == 0x12000000, "LDR 0x%x", rd(vm, APIC + 0xd0));
	rd(vm, APIC + 0x40); /* reserved */
	wr(vm, APIC + 0x280, 0);
	CHECK(rd(vm, APIC + 0x280) == 0x80, "ESR 0x%x", rd(vm, APIC + 0x280));
	wr(vm, APIC + 0x3e0, 0xb);
	wr(vm, APIC + 0x380, 0x40000000);
	c1 = rd(vm, APIC + 0x390);
	c2 = rd(vm, APIC + 0x390);
	CHECK(c1 && c1 <= 0x40000000 && c2 <= c1, "current count 0x%x then 0x%x", c1, c2);
	wr(vm, APIC + 0x380, 0);
	wr(vm, APIC + 0x310, 0x01000000);
	wr(vm, APIC + 0x300, 0x4040); /* fixed vector 0x40 to APIC 1 */
	CHECK((rd(vm, APIC + 0x300) & ~0x1000u) == 0x4040, "ICR 0x%x", rd(vm, APIC + 0x300));
	CHECK(rd(vm, APIC + 0x310) == 0x01000000, "ICR high 0x%x", rd(vm, APIC + 0x310));
	gprintf("registers: SVR, TPR->PPR, LDR, ESR illegal register, timer count 0x%x then "
		"0x%x, ICR\n", c1, c2);
}

static void check_relocation(u32 vm)
{
	u64 base = APIC | BASE_EN | BASE_BSP;

	CHECK(wrmsr(vm, MSR_APIC_BASE, APIC_MOVED | BASE_EN), "relocation refused");
	CHECK(rdmsr(vm, MSR_APIC_BASE) == (APIC_MOVED | BASE_EN | BASE_BSP), "moved base 0x%llx",
	      (unsigned long long)rdmsr(vm, MSR_APIC_BASE));
	CHECK(rd(vm, APIC_MOVED + 0x30) == 0x50014, "version at the new base");
	CHECK(rd(vm, APIC_MOVED + 0x80) == 0x25, "TPR at the new base");
	CHECK(wrmsr(vm, MSR_APIC_BASE, base), "moving back refused");
	CHECK(!wrmsr(vm, MSR_APIC_BASE, base | (1u << 9)), "reserved bit 9 accepted");
	CHECK(!wrmsr(vm, MSR_APIC_BASE, base | (1ull << 52)), "base above MAXPHYADDR accepted");
	gprintf("relocated to 0x%x and back; reserved bits #GP\n", APIC_MOVED);
}

/* In x2APIC mode the xAPIC page is plain MMIO, for the VMM. */
static void check_page_not_decoded(u32 vm)
{
	long r;

	if (!request(vm, VL_OP_READ, APIC + 0x30, 0))
		return;
	r = hv_vcpu_run(vm, 0, &ex, true, 0);
	CHECK(r == HV_EXIT_MMIO && ex.u.mmio.gpa == APIC + 0x30, "exit %ld gpa 0x%llx", r,
	      (unsigned long long)ex.u.mmio.gpa);
	if (r == HV_EXIT_MMIO && test_run_to_io(vm, &ex, VL_PORT_OUT, true, 0x1234))
		CHECK(collect(vm).value == 0x1234, "the VMM's value");
}

static void check_modes(u32 vm)
{
	const u64 x2 = APIC | BASE_EN | BASE_EXTD, xapic = APIC | BASE_EN, off = APIC;

	CHECK(!wrmsr(vm, MSR_APIC_BASE, APIC | BASE_EXTD), "EXTD without EN accepted");
	CHECK(wrmsr(vm, MSR_APIC_BASE, x2), "xAPIC -> x2APIC refused");
	CHECK(rdmsr(vm, 0x802) == 0, "x2APIC ID 0x%llx", (unsigned long long)rdmsr(vm, 0x802));
	CHECK(rdmsr(vm, 0x803) == 0x50014, "x2APIC version");
	CHECK(rdmsr(vm, 0x80d) == 1, "x2APIC LDR 0x%llx", (unsigned long long)rdmsr(vm, 0x80d));
	CHECK(rdmsr(vm, 0x808) == 0x25, "TPR kept across the switch");
	CHECK(!wrmsr(vm, 0x802, 0), "ID written");
	CHECK(rdmsr(vm, 0x80b) == ~0ull, "EOI read");
	CHECK(rdmsr(vm, 0x80e) == ~0ull, "DFR read in x2APIC mode");
	CHECK(wrmsr(vm, 0x808, 0x10) && rdmsr(vm, 0x808) == 0x10, "x2APIC TPR");
	check_page_not_decoded(vm);
	CHECK(!wrmsr(vm, MSR_APIC_BASE, xapic), "x2APIC -> xAPIC accepted");
	CHECK(wrmsr(vm, MSR_APIC_BASE, off), "x2APIC -> disabled refused");
	CHECK(!wrmsr(vm, MSR_APIC_BASE, x2), "disabled -> x2APIC accepted");
	CHECK(rdmsr(vm, 0x808) == ~0ull, "x2APIC MSR while disabled");
	CHECK(!(op(vm, VL_OP_CPUID, 1, 0).value >> 32 & (1u << 9)), "APIC bit while disabled");
	CHECK(wrmsr(vm, MSR_APIC_BASE, xapic), "disabled -> xAPIC refused");
	CHECK(rd(vm, APIC + 0xf0) == 0xff && rd(vm, APIC + 0x80) == 0,
	      "state after re-enable: SVR 0x%x TPR 0x%x", rd(vm, APIC + 0xf0),
	      rd(vm, APIC + 0x80));
	CHECK(rdmsr(vm, 0x6e0) == 0, "TSC_DEADLINE outside its mode");
	gprintf("modes: xAPIC -> x2APIC -> disabled -> xAPIC; EXTD alone, x2APIC -> xAPIC, "
		"disabled -> x2APIC #GP; page not decoded in x2APIC mode; reset on re-enable\n");
}

void test_main(void)
{
	u32 vm = 0;

	CHECK(hv_check_extension(HV_EXT_LAPIC) == 1, "HV_EXT_LAPIC");
	if (start_child(&vm)) {
		test_fail("cannot start the child");
		return;
	}
	CHECK(set_feature(HV_FEATURE_LAPIC, vm, 0) == -HV_EBUSY, "LAPIC SET after the run");
	gprintf("feature: LAPIC set before the first run, -EBUSY after\n");
	check_cpuid(vm);
	check_reset_state(vm);
	check_registers(vm);
	check_relocation(vm);
	check_modes(vm);
	CHECK(hv_vm_destroy(vm) == 0, "destroying the child failed");
}
