/* Per-VM CPUID and TSC, as a VMM uses them: VM 0 sets a child's CPUID
 * table (its own vendor and hypervisor signature, a leaf with subleaves,
 * what VM 0 itself is offered), sees malformed tables and unvirtualizable
 * bits refused without effect, and the child finds exactly the table,
 * with OSXSAVE following its own CR4. The child's TSC starts at its VM's
 * creation and never goes backwards; the TSC frequency is known. */
#include "guests/cpuidset/cpuidset.h"
#include "guests/lib/hv.h"
#include "guests/lib/test.h"
#include "guests/lib/timing.h"
#include "lib/string.h"

const char test_title[] = "per-VM CPUID table and TSC";

#define L1_ECX_VMX (1u << 5)
#define L1_ECX_XSAVE (1u << 26)
#define L1_ECX_OSXSAVE (1u << 27)
#define CR4_OSXSAVE (1ull << 18)
#define VENDOR "TestVMMcpuid"
#define SIGNATURE "OwnHypervsr!"
#define TSC_READS 8

static struct hv_exit ex;
static struct hv_cpuid_entry table[16];
static u32 table_len;

static long set_cpuid(u32 vm, const struct hv_cpuid_entry *e, u32 count)
{
	struct hv_vm_set_cpuid a = { sizeof(a), 0, vm, count, (u64)e, 0 };

	return hv_call(HV_CALL_VM_SET_CPUID, &a);
}

static u32 word(const char *s)
{
	u32 w;

	memcpy(&w, s, 4);
	return w;
}

static void add(u32 leaf, u32 flags, u32 index, u32 a, u32 b, u32 c, u32 d)
{
	table[table_len++] = (struct hv_cpuid_entry){ leaf, index, flags, a, b, c, d, 0 };
}

/* VM 0's own view where the table copies it: what the hypervisor offers. */
static void add_own(u32 leaf, u32 flags)
{
	struct cpuid_out r = guest_cpuid(leaf, 0);

	add(leaf, flags, 0, r.eax, r.ebx, r.ecx, r.edx);
}

static void build_table(void)
{
	add(0, 0, 0, 7, word(VENDOR), word(VENDOR + 8), word(VENDOR + 4));
	add_own(1, 0);
	add(4, HV_CPUID_ENTRY_INDEXED, 0, 0x11, 0x12, 0x13, 0x14);
	add(4, HV_CPUID_ENTRY_INDEXED, 1, 0x21, 0x22, 0x23, 0x24);
	add_own(7, HV_CPUID_ENTRY_INDEXED);
	add(0x40000000, 0, 0, HV_CPUID_TSC, word(SIGNATURE), word(SIGNATURE + 4),
	    word(SIGNATURE + 8));
	add_own(HV_CPUID_TSC, 0);
	add(0x80000000, 0, 0, 0x80000001, 0, 0, 0);
	add_own(0x80000001, 0);
}

/* The child waits at its IN of the leaf between two questions. */
static struct cpuid_out child_cpuid(u32 vm, u32 leaf, u32 sub)
{
	u32 out[4] = { 0 };

	if (!test_run_to_io(vm, &ex, CS_PORT_SUB, true, leaf) ||
	    !test_run_to_io(vm, &ex, CS_PORT_OUT, true, sub))
		return (struct cpuid_out){ 0 };
	for (u32 i = 0; i < 4; i++) {
		out[i] = (u32)ex.u.io.value;
		if (!test_run_to_io(vm, &ex, i == 3 ? CS_PORT_LEAF : CS_PORT_OUT, false, 0))
			break;
	}
	return (struct cpuid_out){ out[0], out[1], out[2], out[3] };
}

static u64 child_tsc(u32 vm)
{
	struct cpuid_out r = child_cpuid(vm, CS_RDTSC, 0);

	return r.eax | (u64)r.ebx << 32;
}

static long start_child(u32 *vm_out)
{
	long vm = hv_vm_create("cpuid", 2 * MIB, 1, 0);

	if (vm < 0 || hv_vcpu_create(vm) != 0 ||
	    hv_child_boot_long_mode(vm, 0, cs_child_start, cs_child_end - cs_child_start))
		return -1;
	*vm_out = vm;
	return 0;
}

/* Each malformed call fails before anything changes. */
static void check_malformed(u32 vm)
{
	struct hv_vm_set_cpuid a = { sizeof(a), 0, vm, 1, (u64)table, 0 };
	struct hv_cpuid_entry bad = table[0];

	a.count = HV_CPUID_MAX_ENTRIES + 1;
	CHECK(hv_call(HV_CALL_VM_SET_CPUID, &a) == -HV_EINVAL, "count 65 accepted");
	a.count = 1;
	a.flags = 1;
	CHECK(hv_call(HV_CALL_VM_SET_CPUID, &a) == -HV_EINVAL, "unknown flag accepted");
	a.flags = 0;
	a.reserved = 1;
	CHECK(hv_call(HV_CALL_VM_SET_CPUID, &a) == -HV_EINVAL, "reserved field accepted");
	bad.flags = 4;
	CHECK(set_cpuid(vm, &bad, 1) == -HV_EINVAL, "unknown entry flag accepted");
	bad.flags = 0;
	bad.reserved = 1;
	CHECK(set_cpuid(vm, &bad, 1) == -HV_EINVAL, "entry's reserved field accepted");
	bad = (struct hv_cpuid_entry){ .function = 0xd, .flags = HV_CPUID_ENTRY_INDEXED };
	CHECK(set_cpuid(vm, &bad, 1) == -HV_EINVAL, "leaf 0xD accepted");
	CHECK(set_cpuid(vm, table, 2) == 0, "a good table refused");
	CHECK(set_cpuid(vm, (void *)(64ull << 30), 2) == -HV_EFAULT, "entries outside RAM");
	CHECK(set_cpuid(0, table, 2) == -HV_EPERM, "VM 0's table set");
	CHECK(set_cpuid(999, table, 2) == -HV_ENOENT, "VM 999's table set");
	gprintf("refused: count 65, flags, reserved, entry flags and reserved, leaf 0xD -> "
		"-EINVAL; entries outside RAM -> -EFAULT\n");
}

/* The full table goes in; one with a bit the hypervisor cannot offer
 * (VMX) is refused and leaves it in place. */
static void set_tables(u32 vm)
{
	static struct hv_cpuid_entry vmx[16];

	CHECK(set_cpuid(vm, table, table_len) == 0, "the table was refused");
	memcpy(vmx, table, sizeof(table));
	vmx[1].ecx |= L1_ECX_VMX;
	CHECK(set_cpuid(vm, vmx, table_len) == -HV_EINVAL, "VMX accepted");
	gprintf("table of %u entries set; one offering VMX -> -EINVAL\n", table_len);
}

static void check_child_view(u32 vm)
{
	struct cpuid_out v = child_cpuid(vm, 0, 0), h = child_cpuid(vm, 0x40000000, 0);
	struct cpuid_out l1 = child_cpuid(vm, 1, 0), own = guest_cpuid(1, 0);
	char vendor[13] = { 0 }, sig[13] = { 0 };

	memcpy(vendor, &v.ebx, 4);
	memcpy(vendor + 4, &v.edx, 4);
	memcpy(vendor + 8, &v.ecx, 4);
	memcpy(sig, &h.ebx, 12);
	CHECK(v.eax == 7 && !strcmp(vendor, VENDOR), "leaf 0: max 0x%x vendor '%s'", v.eax,
	      vendor);
	CHECK(h.eax == HV_CPUID_TSC && !strcmp(sig, SIGNATURE), "hypervisor leaf '%s'", sig);
	CHECK(l1.eax == own.eax && l1.edx == own.edx && l1.ebx == own.ebx, "leaf 1 differs");
	CHECK(child_cpuid(vm, 4, 0).ebx == 0x12 && child_cpuid(vm, 4, 1).edx == 0x24,
	      "leaf 4's subleaves");
	CHECK(!child_cpuid(vm, 4, 2).eax && !child_cpuid(vm, 2, 0).eax &&
	      !child_cpuid(vm, 0x40000001, 0).eax, "an unlisted leaf is not zero");
	CHECK(child_cpuid(vm, 7, 0).ebx == guest_cpuid(7, 0).ebx, "leaf 7 differs");
	CHECK(child_cpuid(vm, HV_CPUID_TSC, 0).eax == (u32)hv_check_extension(HV_EXT_TSC),
	      "TSC leaf");
	gprintf("child sees: vendor '%s', hypervisor '%s', leaf 4 subleaves, unlisted leaves "
		"zero\n", vendor, sig);
}

static bool set_child_cr4(u32 vm, u64 set, u64 clear)
{
	struct hv_vcpu_regs r;

	if (hv_vcpu_get_regs(vm, 0, &r))
		return false;
	r.size = sizeof(r);
	r.flags = HV_REGS_SREGS;
	r.cr4 = (r.cr4 | set) & ~clear;
	return hv_vcpu_set_regs(&r) == 0;
}

static void check_osxsave(u32 vm)
{
	if (!(table[1].ecx & L1_ECX_XSAVE)) {
		gprintf("OSXSAVE: no XSAVE offered, not checked\n");
		return;
	}
	CHECK(!(child_cpuid(vm, 1, 0).ecx & L1_ECX_OSXSAVE), "OSXSAVE with CR4.OSXSAVE clear");
	CHECK(set_child_cr4(vm, CR4_OSXSAVE, 0), "setting the child's CR4.OSXSAVE");
	CHECK(child_cpuid(vm, 1, 0).ecx & L1_ECX_OSXSAVE, "no OSXSAVE with CR4.OSXSAVE set");
	CHECK(set_child_cr4(vm, 0, CR4_OSXSAVE), "clearing the child's CR4.OSXSAVE");
	CHECK(!(child_cpuid(vm, 1, 0).ecx & L1_ECX_OSXSAVE), "OSXSAVE after clearing CR4");
	gprintf("OSXSAVE follows the child's CR4.OSXSAVE\n");
}

/* The child's TSC counts from its VM's creation: less than VM 0 saw
 * pass since just before it, and never backwards over later runs. */
static void check_tsc(u32 vm, u64 before_create)
{
	u64 first = child_tsc(vm), now = rdtsc_ordered(), last = first;
	bool monotonic = true;

	CHECK(first < now - before_create, "child TSC %llu, VM 0 saw only %llu pass",
	      (unsigned long long)first, (unsigned long long)(now - before_create));
	for (u32 i = 0; i < TSC_READS; i++) {
		u64 t = child_tsc(vm);

		monotonic &= t >= last;
		last = t;
	}
	CHECK(monotonic, "the child's TSC went backwards");
	gprintf("child TSC starts at its creation, monotonic over %u runs\n", TSC_READS);
}

void test_main(void)
{
	long khz = hv_check_extension(HV_EXT_TSC);
	u64 before_create = rdtsc_ordered();
	u32 vm = 0;

	CHECK(hv_check_extension(HV_EXT_CPUID_SET) == HV_CPUID_MAX_ENTRIES, "CPUID_SET");
	CHECK(khz > 0 && (u32)khz == guest_cpuid(HV_CPUID_TSC, 0).eax, "TSC %ld kHz", khz);
	gprintf("extensions: CPUID_SET %ld entries, TSC %s\n",
		hv_check_extension(HV_EXT_CPUID_SET), khz > 0 ? "known" : "unknown");
	if (start_child(&vm)) {
		test_fail("cannot start the child");
		return;
	}
	build_table();
	check_malformed(vm);
	set_tables(vm);
	if (!test_run_to_io(vm, &ex, CS_PORT_LEAF, false, 0))
		return;
	check_tsc(vm, before_create);
	check_child_view(vm);
	CHECK(set_cpuid(vm, table, table_len) == -HV_EBUSY, "table set after the first run");
	gprintf("set after the first run: -EBUSY\n");
	check_osxsave(vm);
	CHECK(hv_vm_destroy(vm) == 0, "destroying the child failed");
}
