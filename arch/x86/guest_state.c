/* Per-vCPU copies of the registers VM entry and exit do not switch. The
 * hypervisor itself never touches the FPU/SSE/AVX registers (it is built
 * with -mgeneral-regs-only), the debug registers or the SYSCALL MSRs, so
 * the switch is lazy: the registers keep the values of the vCPU that ran
 * last on this CPU until a different vCPU is about to run here. Then the
 * old vCPU's values are saved and the new one's loaded, every component
 * of each (XCR0 is widened to all components for the save and restore),
 * so nothing of one vCPU survives in the registers into another. */
#include "arch/x86/guest_state.h"
#include "arch/x86/cpu.h"
#include "arch/x86/page_alloc.h"
#include "arch/x86/percpu.h"
#include "arch/x86/xcr0.h"
#include "lib/errno.h"
#include "hv/log.h"

#define CR4_OSFXSR BIT(9)
#define CR4_OSXMMEXCPT BIT(10)
#define CPUID1_ECX_XSAVE BIT(26)
#define FXSAVE_SIZE 512
#define FXSAVE_FCW_INIT 0x37f
#define FXSAVE_MXCSR_OFFSET 24
#define MXCSR_INIT 0x1f80
#define MSR_PRED_CMD 0x49
#define PRED_CMD_IBPB BIT(0)
#define CPUID7_EDX_IBRS_IBPB BIT(26)
#define CPUID_80000008_EBX_IBPB BIT(12)

/* The FS and GS bases and SYSENTER MSRs, then the SYSCALL/SWAPGS ones
 * that guest_state_load switches where the backend does not (the last
 * LAZY_MSR_COUNT). The CPU applies their rules (#GP for non-canonical
 * bases) itself. */
const u32 guest_direct_msrs[GUEST_DIRECT_MSR_COUNT] = {
	0xc0000100, 0xc0000101, /* FS_BASE, GS_BASE */
	0x174, 0x175, 0x176, /* SYSENTER_CS, _ESP, _EIP */
	0xc0000081, /* STAR */
	0xc0000082, /* LSTAR */
	0xc0000083, /* CSTAR */
	0xc0000084, /* SFMASK */
	0xc0000102, /* KERNEL_GS_BASE */
};

/* The switches below are inlined into guest_state_load, which runs
 * whenever another vCPU runs on this CPU, even where guest_state_unload
 * calls them too. */
#define INLINE_ALWAYS inline __attribute__((always_inline))

static const u32 *const lazy_msrs =
	guest_direct_msrs + GUEST_DIRECT_MSR_COUNT - LAZY_MSR_COUNT;

static struct {
	struct guest_state_policy policy;
	bool xsave;
	bool ibpb;      /* the CPU has the indirect branch prediction barrier */
	u64 xcr0_all;   /* every XCR0 component this CPU has */
	u32 area_pages; /* one vCPU's XSAVE/FXSAVE image */
} gs;

static void xsetbv(u64 value)
{
	asm volatile("xsetbv" : : "c"(0), "a"((u32)value), "d"((u32)(value >> 32)));
}

static bool cpu_has_ibpb(void)
{
	u32 max = cpuid(0, 0).eax, max_ext = cpuid(0x80000000, 0).eax;

	return (max >= 7 && (cpuid(7, 0).edx & CPUID7_EDX_IBRS_IBPB)) ||
	       (max_ext >= 0x80000008 && (cpuid(0x80000008, 0).ebx & CPUID_80000008_EBX_IBPB));
}

void guest_state_cpu_init(const struct guest_state_policy *p)
{
	u64 cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	u32 size = FXSAVE_SIZE;

	gs.policy = *p;
	gs.xsave = cpuid(1, 0).ecx & CPUID1_ECX_XSAVE;
	if (gs.xsave) {
		struct cpuid_regs d = cpuid(0xd, 0);

		gs.xcr0_all = d.eax | (u64)d.edx << 32;
		size = d.ecx; /* the image of every supported component */
		cr4 |= CR4_OSXSAVE;
	}
	write_cr4(cr4);
	gs.area_pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	gs.ibpb = cpu_has_ibpb();
	this_cpu()->last_vm_id = ~0u;
	hv_log(this_cpu()->cpu_id ? LOG_DEBUG : LOG_INFO, "guest state: %s image of "
	       "%u bytes, IBPB between VMs %s, return stack refilled on every exit",
	       gs.xsave ? "XSAVE" : "FXSAVE", size, gs.ibpb ? "yes" : "no (the CPU has none)");
}

/* A fresh image: every component in its initial state (XSTATE_BV = 0),
 * and the control words XRSTOR/FXRSTOR load regardless at theirs. */
static void init_image(u8 *image)
{
	u16 fcw = FXSAVE_FCW_INIT;
	u32 mxcsr = MXCSR_INIT;

	memcpy(image, &fcw, sizeof(fcw));
	memcpy(image + FXSAVE_MXCSR_OFFSET, &mxcsr, sizeof(mxcsr));
}

int guest_state_alloc(struct vcpu *v)
{
	v->lazy.xsave = pages_alloc(gs.area_pages);
	if (!v->lazy.xsave)
		return -ENOMEM;
	init_image(v->lazy.xsave);
	v->lazy.dr6 = DR6_RESET;
	v->xcr0 = XCR0_X87;
	return 0;
}

/* No CPU may keep v's registers: v goes (every CPU's lazy_owner is read
 * under hv_lock only). */
void guest_state_free(struct vcpu *v)
{
	for (u32 cpu = 0; cpu < PERCPU_MAX; cpu++) {
		struct percpu *pc = percpu_of(cpu);

		if (pc && pc->lazy_owner == v)
			pc->lazy_owner = NULL;
	}
	pages_free(v->lazy.xsave, gs.area_pages);
	v->lazy.xsave = NULL;
}

static u64 xgetbv(void)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (u64)hi << 32 | lo;
}

/* The old vCPU's x87/SSE/AVX state out, the new one's in, with XCR0
 * widened to every component once for both: components the new image
 * does not hold are initialized, so none of the old vCPU's values
 * survive. The old XCR0 is read back too: a CPU that does not intercept
 * XSETBV (QEMU 7.2's SVM) lets the guest change it behind the
 * hypervisor's back. */
static INLINE_ALWAYS void switch_extended(struct vcpu *old, struct vcpu *v)
{
	u32 all_lo = (u32)gs.xcr0_all, all_hi = (u32)(gs.xcr0_all >> 32);

	if (!gs.xsave) {
		if (old)
			asm volatile("fxsave64 (%0)" : : "r"(old->lazy.xsave) : "memory");
		asm volatile("fxrstor64 (%0)" : : "r"(v->lazy.xsave) : "memory");
		return;
	}
	if (old)
		old->xcr0 = xgetbv();
	xsetbv(gs.xcr0_all);
	if (old)
		asm volatile("xsave64 (%0)" : : "r"(old->lazy.xsave), "a"(all_lo),
			     "d"(all_hi) : "memory");
	asm volatile("xrstor64 (%0)" : : "r"(v->lazy.xsave), "a"(all_lo), "d"(all_hi)
		     : "memory");
	xsetbv(v->xcr0);
}

/* MOV from and to debug register n (a constant in the instruction). */
#define READ_DR(n, x) asm volatile("mov %%dr" #n ", %0" : "=r"(x))
#define WRITE_DR(n, x) asm volatile("mov %0, %%dr" #n : : "r"(x))

/* As switch_extended, for DR0-DR3 (and DR6 where the backend leaves it). */
static INLINE_ALWAYS void switch_debug(struct vcpu *old, struct vcpu *v)
{
	if (old) {
		READ_DR(0, old->lazy.dr[0]);
		READ_DR(1, old->lazy.dr[1]);
		READ_DR(2, old->lazy.dr[2]);
		READ_DR(3, old->lazy.dr[3]);
		if (gs.policy.dr6)
			READ_DR(6, old->lazy.dr6);
	}
	WRITE_DR(0, v->lazy.dr[0]);
	WRITE_DR(1, v->lazy.dr[1]);
	WRITE_DR(2, v->lazy.dr[2]);
	WRITE_DR(3, v->lazy.dr[3]);
	if (gs.policy.dr6)
		WRITE_DR(6, v->lazy.dr6);
}

/* As switch_extended, for the SYSCALL MSRs where the backend leaves them. */
static INLINE_ALWAYS void switch_msrs(struct vcpu *old, struct vcpu *v)
{
	for (u32 i = 0; gs.policy.syscall_msrs && i < LAZY_MSR_COUNT; i++) {
		if (old)
			old->lazy.msr[i] = rdmsr(lazy_msrs[i]);
		wrmsr(lazy_msrs[i], v->lazy.msr[i]);
	}
}

/* Branch predictions one VM trained must not steer another (Spectre v2):
 * a barrier whenever this CPU switches to a different VM, as KVM does. */
static void barrier_between_vms(struct percpu *pc, const struct vm *vm)
{
	if (pc->last_vm_id == vm->id)
		return;
	if (gs.ibpb)
		wrmsr(MSR_PRED_CMD, PRED_CMD_IBPB);
	pc->last_vm_id = vm->id;
}

void guest_state_load(struct vcpu *v)
{
	struct percpu *pc = this_cpu();
	struct vcpu *old = pc->lazy_owner;

	if (old == v)
		return;
	barrier_between_vms(pc, v->vm);
	switch_extended(old, v);
	switch_debug(old, v);
	switch_msrs(old, v);
	pc->lazy_owner = v;
}

/* Switching v to itself saves its values (and loads them back). */
void guest_state_unload(struct vcpu *v)
{
	struct percpu *pc = this_cpu();

	if (pc->lazy_owner != v)
		return;
	switch_extended(v, v);
	switch_debug(v, v);
	switch_msrs(v, v);
	pc->lazy_owner = NULL;
}

void guest_state_debug_trap(struct vcpu *v, u64 dr6_bits)
{
	u64 dr6;

	if (this_cpu()->lazy_owner != v) { /* a vCPU completed for its VMM */
		v->lazy.dr6 = dr6_after_trap(v->lazy.dr6, dr6_bits);
		return;
	}
	READ_DR(6, dr6);
	WRITE_DR(6, dr6_after_trap(dr6, dr6_bits));
}

u64 guest_state_xcr0(struct vcpu *v)
{
	if (gs.xsave && this_cpu()->lazy_owner == v)
		v->xcr0 = xgetbv();
	return v->xcr0;
}

bool guest_state_set_xcr0(struct vcpu *v, u64 value, u64 allowed)
{
	if (!gs.xsave || !xcr0_valid(value, allowed & gs.xcr0_all))
		return false;
	v->xcr0 = value;
	if (this_cpu()->lazy_owner == v)
		xsetbv(value);
	return true;
}
