/* A child's vCPU used from every CPU, with this guest as VM 0 on two CPUs
 * or more (its vCPU 1, on CPU 1, runs children on vCPU 0's orders):
 * - a child vCPU set up on CPU 0 runs on CPU 1, then CPU 0, then CPU 1...
 *   and keeps its registers, its count in memory, KERNEL_GS_BASE and
 *   STAR it wrote (the lazily switched MSRs) and XMM3 across each move;
 *   vCPU 0 reads its registers after every run, wherever it ran;
 * - reading the registers of a vCPU in guest mode on CPU 1 gets -EBUSY;
 *   after a kick ended that run, it works;
 * - a child with the virtual LAPIC: its first vCPU, run on CPU 0, starts
 *   the second with INIT-SIPI-SIPI while CPU 1 runs that one (waiting for
 *   the SIPI), then they trade fixed IPIs across the CPUs, each counting
 *   what it got, ROUNDS each way. */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"
#include "guests/test/child_gate.h"

const char test_title[] = "a child's vCPU used from any CPU: moves, -EBUSY, INIT-SIPI and IPIs";


#define HELPER_STACK 0x3010000ULL /* in VM 0's RAM above 48 MiB, unused by the image */
#define WAIT_SPINS 400000000ULL   /* a bound on waiting for vCPU 1 */
#define MOVES 6
#define TRIES 2000                /* reads to catch the spinner in guest mode */
#define ROUNDS 64

/* The children's memory. */
#define IDT 0x6000
#define ALIVE 0x7000     /* the AP is up */
#define AP_COUNT 0x7008  /* IPIs the AP got */
#define BSP_COUNT 0x7010 /* IPIs the BSP got */
#define COUNT 0x7018     /* the mover's count */
#define TRAMP 0x8000     /* the AP's start: SIPI vector 8 */
#define V_AP 0x41
#define V_BSP 0x42
#define P_STEP 0xe0      /* OUT: the mover's count, or the BSP is done */
#define P_BAD 0xe1       /* OUT: the mover found something changed */

#define STR_(x) #x
#define STR(x) STR_(x)

/* The mover: sets SSE on, writes two of the MSRs the guest reaches
 * without exits, then counts in R12, in memory and in XMM3 and checks,
 * before each OUT to P_STEP, that the MSRs and XMM3 are as it left them. */
asm(".pushsection .rodata.child, \"a\"\n"
    ".code64\n"
    "mover_start:\n"
    "	mov %cr4, %rax\n"
    "	or $0x600, %rax\n" /* OSFXSR, OSXMMEXCPT */
    "	mov %rax, %cr4\n"
    "	mov $0xc0000102, %ecx\n" /* KERNEL_GS_BASE */
    "	mov $0x12345678, %eax\n"
    "	mov $0xffff8000, %edx\n"
    "	wrmsr\n"
    "	mov $0xc0000081, %ecx\n" /* STAR */
    "	mov $0x9abcdef0, %eax\n"
    "	mov $0x00230010, %edx\n"
    "	wrmsr\n"
    "	xor %r12d, %r12d\n"
    "	pxor %xmm3, %xmm3\n"
    "1:	inc %r12\n"
    "	incq " STR(COUNT) "\n"
    "	movq %xmm3, %rax\n"
    "	inc %rax\n"
    "	cmp %rax, %r12\n"
    "	jne 2f\n"
    "	mov $0xc0000102, %ecx\n"
    "	rdmsr\n"
    "	cmp $0x12345678, %eax\n"
    "	jne 2f\n"
    "	cmp $0xffff8000, %edx\n"
    "	jne 2f\n"
    "	mov $0xc0000081, %ecx\n"
    "	rdmsr\n"
    "	cmp $0x9abcdef0, %eax\n"
    "	jne 2f\n"
    "	cmp $0x00230010, %edx\n"
    "	jne 2f\n"
    "	movq %r12, %xmm3\n"
    "	mov %r12, %rax\n"
    "	out %eax, $" STR(P_STEP) "\n"
    "	jmp 1b\n"
    "2:	out %eax, $" STR(P_BAD) "\n"
    "	jmp 2b\n"
    "mover_end:\n"
    /* the spinner: interrupts on, so that a kick reaches it on Bochs */
    "spinner_start:\n"
    "	sti\n"
    "3:	pause\n"
    "	jmp 3b\n"
    "spinner_end:\n"
    /* the first vCPU of the LAPIC child: x2APIC on, INIT-SIPI-SIPI to
     * APIC id 1, and once that one is up, ROUNDS IPIs to it, each sent
     * when the answer to the last came */
    "bsp_start:\n"
    "	lea bsp_isr(%rip), %rax\n"
    "	mov $" STR(V_BSP) ", %ecx\n"
    "	call set_gate\n"
    "	lidt idtr(%rip)\n"
    "	mov $0x1b, %ecx\n"
    "	rdmsr\n"
    "	or $0xc00, %eax\n"
    "	wrmsr\n"
    "	mov $0x80f, %ecx\n" /* SVR: enabled */
    "	mov $0x1ff, %eax\n"
    "	xor %edx, %edx\n"
    "	wrmsr\n"
    "	mov $0x830, %ecx\n" /* ICR */
    "	mov $1, %edx\n"
    "	mov $0x4500, %eax\n" /* INIT, assert */
    "	wrmsr\n"
    "	mov $(0x4600 + (" STR(TRAMP) " >> 12)), %eax\n" /* STARTUP */
    "	wrmsr\n"
    "	wrmsr\n"
    "	sti\n"
    "4:	pause\n"
    "	cmpl $0, " STR(ALIVE) "\n"
    "	je 4b\n"
    "	xor %ebx, %ebx\n"
    "5:	inc %ebx\n"
    "	mov $0x830, %ecx\n"
    "	mov $1, %edx\n"
    "	mov $(0x4000 + " STR(V_AP) "), %eax\n"
    "	wrmsr\n"
    "6:	cli\n"
    "	cmp " STR(BSP_COUNT) ", %ebx\n"
    "	jbe 7f\n"
    "	sti\n"
    "	hlt\n"
    "	jmp 6b\n"
    "7:	sti\n"
    "	cmp $" STR(ROUNDS) ", %ebx\n"
    "	jb 5b\n"
    "	out %eax, $" STR(P_STEP) "\n"
    "	jmp 7b\n"
    "bsp_isr:\n"
    "	push %rax\n"
    "	push %rcx\n"
    "	push %rdx\n"
    "	lock incl " STR(BSP_COUNT) "\n"
    "	mov $0x80b, %ecx\n" /* EOI */
    "	xor %eax, %eax\n"
    "	xor %edx, %edx\n"
    "	wrmsr\n"
    "	pop %rdx\n"
    "	pop %rcx\n"
    "	pop %rax\n"
    "	iretq\n"
    CHILD_SET_GATE_ASM(STR(IDT))
    CHILD_IDTR_ASM(STR(IDT))
    "bsp_end:\n"
    /* the second vCPU, copied to TRAMP: real mode, x2APIC on, its
     * handler in the real-mode IVT; each IPI counted and answered */
    ".code16\n"
    "ap_tramp:\n"
    "	cli\n"
    "	xorw %ax, %ax\n"
    "	movw %ax, %ds\n"
    "	movw %ax, %ss\n"
    "	movw $0x9ff0, %sp\n"
    "	movw $(ap_isr - ap_tramp), " STR(V_AP) " * 4\n"
    "	movw $(" STR(TRAMP) " >> 4), " STR(V_AP) " * 4 + 2\n"
    "	movl $0x1b, %ecx\n"
    "	rdmsr\n"
    "	orl $0xc00, %eax\n"
    "	wrmsr\n"
    "	movl $0x80f, %ecx\n"
    "	movl $0x1ff, %eax\n"
    "	xorl %edx, %edx\n"
    "	wrmsr\n"
    "	lock incl " STR(ALIVE) "\n"
    "8:	sti\n"
    "	hlt\n"
    "	jmp 8b\n"
    "ap_isr:\n"
    "	pushl %eax\n"
    "	pushl %ecx\n"
    "	pushl %edx\n"
    "	lock incl " STR(AP_COUNT) "\n"
    "	movl $0x830, %ecx\n"
    "	xorl %edx, %edx\n" /* to APIC id 0 */
    "	movl $(0x4000 + " STR(V_BSP) "), %eax\n"
    "	wrmsr\n"
    "	movl $0x80b, %ecx\n"
    "	xorl %eax, %eax\n"
    "	wrmsr\n"
    "	popl %edx\n"
    "	popl %ecx\n"
    "	popl %eax\n"
    "	iret\n"
    "ap_tramp_end:\n"
    ".code64\n"
    ".popsection\n");
extern const u8 mover_start[], mover_end[], spinner_start[], spinner_end[];
extern const u8 bsp_start[], bsp_end[], ap_tramp[], ap_tramp_end[];

/* vCPU 0's orders to vCPU 1: each runs a child vCPU. */
enum order { ORDER_NONE, ORDER_STEP, ORDER_SPIN, ORDER_AP };

static volatile u32 order, order_vm, order_vcpu;
static volatile long order_result;
static volatile u32 helper_runs; /* runs of the order so far */
static volatile u32 ap_waited;   /* the AP's run said it waits for a SIPI */
static volatile u32 ap_stop;
static struct hv_exit helper_exit;

/* Runs the child vCPU until its run ends for another reason than the
 * slice's end. */
static long run_on(u32 vm, u32 vcpu, struct hv_exit *ex)
{
	long r;

	while ((r = hv_vcpu_run(vm, vcpu, ex, false, 0)) == HV_EXIT_TIMESLICE)
		;
	return r;
}

/* The spinner until a run ends otherwise (the kick). */
static long run_spinner(u32 vm, u32 vcpu)
{
	long r;

	do {
		r = hv_vcpu_run(vm, vcpu, &helper_exit, false, 0);
		helper_runs++;
	} while (r == HV_EXIT_TIMESLICE);
	return r;
}

/* The AP: waiting for its SIPI (each run says so at once), then running,
 * halted mostly, until vCPU 0 says stop and kicks it. */
static long run_ap(u32 vm, u32 vcpu)
{
	long r;

	for (;;) {
		r = hv_vcpu_run(vm, vcpu, &helper_exit, false, 0);
		if (r == HV_EXIT_WAIT_SIPI)
			ap_waited = 1;
		else if (r != HV_EXIT_TIMESLICE || ap_stop)
			return r;
	}
}

static long obey(u32 o)
{
	switch (o) {
	case ORDER_STEP:
		return run_on(order_vm, order_vcpu, &helper_exit);
	case ORDER_SPIN:
		return run_spinner(order_vm, order_vcpu);
	default:
		return run_ap(order_vm, order_vcpu);
	}
}

/* VM 0's vCPU 1, with interrupts on (Bochs takes kicks only then). */
static __noreturn void helper_main(u64 self)
{
	(void)self;
	asm volatile("sti");
	for (;;) {
		while (!order)
			cpu_relax();
		order_result = obey(order);
		__atomic_store_n(&order, ORDER_NONE, __ATOMIC_RELEASE);
	}
}

static void give_order(u32 o, u32 vm, u32 vcpu)
{
	order_vm = vm;
	order_vcpu = vcpu;
	helper_runs = 0;
	__atomic_store_n(&order, o, __ATOMIC_RELEASE);
}

/* The order's result, or -1 when vCPU 1 did not finish it in time. */
static long order_done(void)
{
	for (u64 spin = 0; spin < WAIT_SPINS; spin++) {
		if (!__atomic_load_n(&order, __ATOMIC_ACQUIRE))
			return order_result;
		cpu_relax();
	}
	return -1;
}

static u64 child_u64(u32 vm, u64 gpa)
{
	u64 v = 0;

	hv_vm_copy(vm, HV_COPY_FROM_VM, gpa, &v, sizeof(v));
	return v;
}

/* A child whose vCPU 0 starts at `code` in long mode; `lapic`: with
 * the virtual LAPIC. */
static long new_child(const char *name, u32 vcpus, u32 exits, bool lapic, const u8 *code,
		      u64 len)
{
	long vm = hv_vm_create(name, 2 * MIB, vcpus, exits);
	u64 on = 1;

	if (vm < 0)
		return vm;
	if (lapic)
		CHECK(hv_feature(HV_FEATURE_SET | HV_FEATURE_LAPIC, (u32)vm, &on) == 0,
		      "%s: LAPIC", name);
	for (u32 i = 0; i < vcpus; i++)
		CHECK(hv_vcpu_create((u32)vm) == i, "%s: vcpu_create %u", name, i);
	CHECK(hv_child_boot_long_mode((u32)vm, 0, code, len) == 0, "%s: boot state", name);
	return vm;
}

/* Step i of the mover ran on VM 0's vCPU i % 2 (so on CPU 1, 0, 1...). */
static bool mover_step(u32 vm, u32 i)
{
	struct hv_exit ex, *e = i % 2 ? &helper_exit : &ex;
	struct hv_vcpu_regs r;
	long reason;

	if (i % 2) {
		give_order(ORDER_STEP, vm, 0);
		reason = order_done();
	} else {
		reason = run_on(vm, 0, &ex);
	}
	CHECK(reason == HV_EXIT_IO && e->u.io.port == P_STEP && e->u.io.value == i,
	      "step %u on vCPU %u: exit %ld, port 0x%x, value %llu", i, i % 2, reason,
	      e->u.io.port, (unsigned long long)e->u.io.value);
	CHECK(hv_vcpu_get_regs(vm, 0, &r) == 0, "step %u: get_regs", i);
	CHECK(r.gprs[12] == i, "step %u: R12 %llu", i, (unsigned long long)r.gprs[12]);
	CHECK(child_u64(vm, COUNT) == i, "step %u: count %llu", i,
	      (unsigned long long)child_u64(vm, COUNT));
	return reason == HV_EXIT_IO && e->u.io.port == P_STEP;
}

static void moves(void)
{
	long vm = new_child("mover", 1, 0, false, mover_start, mover_end - mover_start);
	u32 i = 1;

	if (vm < 0) {
		test_error("mover: vm_create %ld", vm);
		return;
	}
	while (i <= MOVES && mover_step((u32)vm, i))
		i++;
	CHECK(hv_vm_destroy((u32)vm) == 0, "destroy the mover");
	if (i > MOVES)
		gprintf("smpmove: a child vCPU ran %u times on CPUs 1, 0, 1, ...: R12, its count, "
			"KERNEL_GS_BASE, STAR and XMM3 kept\n", MOVES);
}

/* Reads of the spinner's registers while CPU 1 runs it: -EBUSY whenever
 * it is in guest mode there (between two runs the read takes it over). */
static bool busy_seen(u32 vm)
{
	struct hv_vcpu_regs r;

	for (u32 t = 0; t < TRIES; t++)
		if (hv_vcpu_get_regs(vm, 0, &r) == -HV_EBUSY)
			return true;
	return false;
}

/* Until *flag is set by CPU 1's helper, or WAIT_SPINS turns. */
static void wait_for(const volatile u32 *flag)
{
	for (u64 spin = 0; !*flag && spin < WAIT_SPINS; spin++)
		cpu_relax();
}

static void busy_then_kick(void)
{
	long vm = new_child("spinner", 1, 1u << HV_EXIT_KICKED, false, spinner_start,
			    spinner_end - spinner_start);
	struct hv_vcpu_regs r;
	long reason;

	if (vm < 0) {
		test_error("spinner: vm_create %ld", vm);
		return;
	}
	give_order(ORDER_SPIN, (u32)vm, 0);
	wait_for(&helper_runs);
	CHECK(busy_seen((u32)vm), "get_regs of the spinner on CPU 1 never got -EBUSY");
	CHECK(hv_vcpu_kick((u32)vm, 0) == 0, "kick the spinner");
	reason = order_done();
	CHECK(reason == HV_EXIT_KICKED, "the spinner's run ended with %ld", reason);
	CHECK(hv_vcpu_get_regs((u32)vm, 0, &r) == 0, "get_regs after the kick");
	CHECK(r.rip - HV_CHILD_CODE < (u64)(spinner_end - spinner_start),
	      "the spinner's rip 0x%llx", (unsigned long long)r.rip);
	CHECK(hv_vm_destroy((u32)vm) == 0, "destroy the spinner");
	gprintf("smpmove: get_regs of a vCPU in guest mode on CPU 1: -EBUSY; after a kick: "
		"rip 0x%llx\n", (unsigned long long)r.rip);
}

static long ipi_child(void)
{
	long vm = new_child("ipis", 2, 0, true, bsp_start, bsp_end - bsp_start);

	if (vm < 0 ||
	    hv_vm_copy((u32)vm, HV_COPY_TO_VM, TRAMP, (void *)ap_tramp, ap_tramp_end - ap_tramp))
		return -1;
	return vm;
}

static void init_sipi_and_ipis(void)
{
	long vm = ipi_child(), reason;
	u64 ap_got, bsp_got;
	struct hv_exit ex;

	if (vm < 0) {
		test_error("the LAPIC child: %ld", vm);
		return;
	}
	give_order(ORDER_AP, (u32)vm, 1);
	wait_for(&ap_waited);
	CHECK(ap_waited, "the AP's runs on CPU 1 never said it waits for a SIPI");
	reason = run_on((u32)vm, 0, &ex);
	CHECK(reason == HV_EXIT_IO && ex.u.io.port == P_STEP, "the BSP's run ended with %ld",
	      reason);
	ap_got = child_u64((u32)vm, AP_COUNT);
	bsp_got = child_u64((u32)vm, BSP_COUNT);
	CHECK(ap_got == ROUNDS && bsp_got == ROUNDS, "IPIs: the AP got %llu, the BSP %llu",
	      (unsigned long long)ap_got, (unsigned long long)bsp_got);
	ap_stop = 1;
	CHECK(hv_vcpu_kick((u32)vm, 1) == 0, "kick the AP");
	CHECK(order_done() == HV_EXIT_TIMESLICE, "the AP's last run ended with %ld",
	      order_result);
	CHECK(hv_vm_destroy((u32)vm) == 0, "destroy the LAPIC child");
	gprintf("smpmove: INIT-SIPI-SIPI from CPU 0 started the AP waiting on CPU 1; "
		"IPIs across the CPUs: the AP got %llu, the BSP %llu\n",
		(unsigned long long)ap_got, (unsigned long long)bsp_got);
}

void test_main(void)
{
	long vcpus = hv_check_extension(HV_EXT_VM0_SMP);

	if (vcpus < 2) {
		test_skip("needs 2 CPUs or more");
		return;
	}
	/* Interrupts on (none reaches VM 0): on Bochs 2.7 only then does
	 * another CPU's request for a vCPU last run here bring this CPU out
	 * of its spin loops to give it up. */
	asm volatile("sti");
	CHECK(hv_vcpu_start(1, (u64)helper_main, HELPER_STACK - 8, 1) == 0, "start vCPU 1");
	gprintf("smpmove: VM 0 has %ld vCPUs; vCPU 1 runs children on vCPU 0's orders\n",
		vcpus);
	moves();
	busy_then_kick();
	init_sipi_and_ipis();
}
