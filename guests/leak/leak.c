/* Nothing of one VM's register state reaches another: VM 0 fills the
 * x87/SSE/AVX registers, MXCSR, XCR0, DR0-DR3/DR6/DR7, the SYSCALL,
 * SWAPGS and SYSENTER MSRs and CR8 with its own values, runs a child that
 * reads all of them and sets its own, and checks both ways: the child
 * starts from reset values, VM 0 finds its own values after the child
 * ran, the child finds its own after VM 0 changed everything again, and
 * a component the child enables later starts clean. XSETBV takes only
 * the values the SDM allows. */
#include "guests/leak/leak.h"
#include "guests/lib/hv.h"
#include "guests/lib/test.h"
#include "lib/string.h"

const char test_title[] = "isolation: no register state leaks between VM 0 and a child";

#define CR4_OSFXSR BIT(9)
#define CR4_OSXMMEXCPT BIT(10)
#define CR4_OSXSAVE BIT(18)
#define CPUID1_XSAVE BIT(26)
#define CPUID1_AVX BIT(28)
#define DR6_RESET 0xffff0ff0ULL
#define DR7_RESET 0x400ULL

static const char *const msr_names[LEAK_MSR_COUNT] = {
	"STAR", "LSTAR", "CSTAR", "SFMASK", "KERNEL_GS_BASE",
	"SYSENTER_CS", "SYSENTER_ESP", "SYSENTER_EIP",
};

static struct leak_state state_a, state_b, state_c, seen, child_view[3];
static u32 flags;
static struct hv_exit ex;

/* A recognisable pattern per VM: every byte says whose it is. Addresses
 * stay canonical, DR7 enables no breakpoint. */
static void make_pattern(struct leak_state *s, u8 tag, u64 xcr0)
{
	memset(s, 0, sizeof(*s));
	for (u32 i = 0; i < 16; i++) {
		memset(s->xmm[i], tag ^ i, 16);
		memset(s->ymm[i], tag ^ i, 16);
		if (flags & LEAK_USE_AVX)
			memset(s->ymm[i] + 16, tag ^ (0x80 | i), 16);
	}
	s->mxcsr = 0x1f80 | ((u32)(tag & 3) << 13); /* rounding control */
	for (u32 i = 0; i < 4; i++)
		s->dr[i] = 0x7f000000 + tag * 0x1000 + i * 8;
	s->dr6 = DR6_RESET | (tag & 0xf);
	s->dr7 = DR7_RESET | ((u64)(tag & 0x55) << 16); /* RW/LEN only */
	for (u32 i = 0; i < LEAK_MSR_COUNT; i++)
		s->msr[i] = 0xffff800000000000ULL + tag * 0x10000 + i * 0x100;
	s->msr[3] = tag * 0x10101;        /* SFMASK: 32 bits */
	s->msr[5] = (tag * 0x101) & 0xfff8; /* SYSENTER_CS: a selector */
	s->cr8 = tag & 0xf;
	s->xcr0 = xcr0;
}

static void reset_state(struct leak_state *s)
{
	memset(s, 0, sizeof(*s));
	s->mxcsr = 0x1f80;
	s->dr6 = DR6_RESET;
	s->dr7 = DR7_RESET;
	s->xcr0 = 1;
}

/* Field by field, naming the first difference in each group. */
static bool same_state(const char *who, const struct leak_state *got,
		       const struct leak_state *want, u32 f)
{
	u32 fails = 0;

	for (u32 i = 0; i < 16; i++)
		if (memcmp(got->xmm[i], want->xmm[i], 16) && ++fails)
			test_fail("%s: xmm%u is 0x%02x.., want 0x%02x..", who, i,
				  got->xmm[i][0], want->xmm[i][0]);
	for (u32 i = 0; (f & LEAK_USE_AVX) && i < 16; i++)
		if (memcmp(got->ymm[i] + 16, want->ymm[i] + 16, 16) && ++fails)
			test_fail("%s: ymm%u upper half is 0x%02x.., want 0x%02x..", who, i,
				  got->ymm[i][16], want->ymm[i][16]);
	if (got->mxcsr != want->mxcsr && ++fails)
		test_fail("%s: MXCSR 0x%x, want 0x%x", who, got->mxcsr, want->mxcsr);
	for (u32 i = 0; i < 4; i++)
		if (got->dr[i] != want->dr[i] && ++fails)
			test_fail("%s: DR%u 0x%llx, want 0x%llx", who, i,
				  (unsigned long long)got->dr[i], (unsigned long long)want->dr[i]);
	if ((got->dr6 & 0xf) != (want->dr6 & 0xf) && ++fails)
		test_fail("%s: DR6 0x%llx, want 0x%llx", who, (unsigned long long)got->dr6,
			  (unsigned long long)want->dr6);
	if (got->dr7 != want->dr7 && ++fails)
		test_fail("%s: DR7 0x%llx, want 0x%llx", who, (unsigned long long)got->dr7,
			  (unsigned long long)want->dr7);
	for (u32 i = 0; i < LEAK_MSR_COUNT; i++)
		if (got->msr[i] != want->msr[i] && ++fails)
			test_fail("%s: %s 0x%llx, want 0x%llx", who, msr_names[i],
				  (unsigned long long)got->msr[i], (unsigned long long)want->msr[i]);
	if (got->cr8 != want->cr8 && ++fails)
		test_fail("%s: CR8 %llu, want %llu", who, (unsigned long long)got->cr8,
			  (unsigned long long)want->cr8);
	if ((f & LEAK_USE_XSAVE) && got->xcr0 != want->xcr0 && ++fails)
		test_fail("%s: XCR0 0x%llx, want 0x%llx", who, (unsigned long long)got->xcr0,
			  (unsigned long long)want->xcr0);
	return fails == 0;
}

/* `noavx` on the command line: QEMU 7.2's TCG raises #UD for VEX
 * instructions after a MOV to DR2, DR3 or DR6 even with no exit in
 * between, so its run leaves the YMM registers to the Bochs runs. */
static bool avx_wanted(void)
{
	const char *c = boot_info->cmdline;

	for (; *c; c++)
		if (!strncmp(c, "noavx", 5))
			return false;
	return true;
}

static void enable_extended_state(void)
{
	struct cpuid_out l1 = guest_cpuid(1, 0);
	u64 cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;

	if (l1.ecx & CPUID1_XSAVE) {
		flags |= LEAK_USE_XSAVE;
		cr4 |= CR4_OSXSAVE;
		if ((l1.ecx & CPUID1_AVX) && (guest_cpuid(0xd, 0).eax & 4) && avx_wanted())
			flags |= LEAK_USE_AVX;
	}
	write_cr4(cr4);
	gprintf("extended state: %s%s\n", (flags & LEAK_USE_XSAVE) ? "XSAVE" : "FXSAVE only",
		(flags & LEAK_USE_AVX) ? ", AVX" : "");
}

/* The SDM's rules for XSETBV: x87 always on, AVX only with SSE, nothing
 * CPUID does not offer, XCR0 only. */
static void check_xsetbv_rules(void)
{
	u64 offered = guest_cpuid(0xd, 0).eax | (u64)guest_cpuid(0xd, 0).edx << 32;
	static const struct {
		u32 xcr;
		u64 value;
		const char *what;
	} bad[] = {
		{ 0, 0, "x87 off" }, { 0, 2, "SSE without x87" }, { 0, 5, "AVX without SSE" },
		{ 1, 1, "XCR1" }, { 0, 3 | BIT(9), "PKRU, never offered" },
		{ 0, 3 | BIT(62), "bit 62" },
	};

	if (!(flags & LEAK_USE_XSAVE))
		return;
	for (u32 i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		last_fixup_vector = -1;
		CHECK(!xsetbv_safe(bad[i].xcr, bad[i].value) && last_fixup_vector == 13,
		      "XSETBV %s accepted (vector %d)", bad[i].what, last_fixup_vector);
	}
	CHECK(xsetbv_safe(0, offered & 7), "XSETBV of the offered x87/SSE/AVX refused");
	gprintf("xsetbv: invalid values -> #GP, offered 0x%llx accepted\n",
		(unsigned long long)offered);
}

static long run_child_to(u32 vm, u16 port, const char *what)
{
	long r = hv_vcpu_run(vm, 0, &ex, false, 0);

	if (r != HV_EXIT_IO || ex.u.io.port != port) {
		test_fail("%s: child exit %ld (reason %u, port 0x%x, rip 0x%llx)", what, r,
			  ex.reason, ex.u.io.port, (unsigned long long)ex.rip);
		return -1;
	}
	return 0;
}

static long start_child(u32 *vm_out)
{
	struct hv_vcpu_regs r;
	long vm = hv_vm_create("leaky", 2 * MIB, 1, 0);

	if (vm < 0 || hv_vcpu_create(vm) != 0 ||
	    hv_child_boot_long_mode(vm, 0, leak_child_start, leak_child_end - leak_child_start) ||
	    hv_vcpu_get_regs(vm, 0, &r))
		return vm < 0 ? vm : -1;
	r.flags = HV_REGS_GPRS | HV_REGS_SREGS;
	r.gprs[5] = LEAK_AREA; /* rdi */
	r.gprs[4] = flags;     /* rsi */
	r.efer |= 1;           /* SCE: the child uses SYSCALL */
	*vm_out = vm;
	return hv_vcpu_set_regs(&r) ? -1 :
	       hv_vm_copy(vm, HV_COPY_TO_VM, LEAK_AREA + LEAK_STATE_SIZE, &state_b,
			  sizeof(state_b));
}

static bool child_views(u32 vm)
{
	return hv_vm_copy(vm, HV_COPY_FROM_VM, LEAK_AREA, child_view, sizeof(child_view)) == 0;
}

static void check_both_ways(u32 vm)
{
	struct leak_state fresh, after;

	if (run_child_to(vm, LEAK_PORT_DONE, "first part"))
		return;
	leak_state_save(&seen, flags);
	if (same_state("VM 0 after the child ran", &seen, &state_a, flags))
		gprintf("VM 0 keeps its registers while a child runs\n");
	leak_state_load(&state_c, flags); /* VM 0 changes everything again */
	if (run_child_to(vm, LEAK_PORT_DONE2, "second part") || !child_views(vm))
		return;
	reset_state(&fresh);
	if (same_state("child at start", &child_view[0], &fresh, flags & LEAK_USE_XSAVE))
		gprintf("child starts with reset values, none of VM 0's\n");
	CHECK(child_view[0].syscall_ok == 1, "child's SYSCALL did not reach its own LSTAR");
	after = state_b;
	after.xcr0 = (flags & LEAK_USE_AVX) ? 7 : 3;
	for (u32 i = 0; i < 16; i++) /* enabled later: clean */
		memset(after.ymm[i] + 16, 0, 16);
	if (same_state("child after VM 0 ran", &child_view[2], &after, flags))
		gprintf("child keeps its registers while VM 0 runs; AVX enabled later starts clean\n");
	leak_state_save(&seen, flags);
	if (same_state("VM 0 at the end", &seen, &state_c, flags))
		gprintf("VM 0 sees its own values at the end\n");
}

void test_main(void)
{
	u32 vm = 0;

	enable_extended_state();
	check_xsetbv_rules();
	make_pattern(&state_a, 0xa5, (flags & LEAK_USE_AVX) ? 7 : 3);
	make_pattern(&state_b, 0x3c, 3);
	make_pattern(&state_c, 0xc3, (flags & LEAK_USE_AVX) ? 7 : 3);
	leak_state_load(&state_a, flags);
	leak_state_save(&seen, flags);
	if (!same_state("VM 0 reading back its own values", &seen, &state_a, flags))
		return;
	if (start_child(&vm)) {
		test_fail("cannot start the child");
		return;
	}
	check_both_ways(vm);
	CHECK(hv_vm_destroy(vm) == 0, "destroying the child failed");
}
