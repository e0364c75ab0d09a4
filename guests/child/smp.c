/* A child with several vCPUs and the virtual LAPIC (`vm create NAME smp
 * vcpus=N lapic args=cpus=N`): the first vCPU starts the others with
 * INIT-SIPI-SIPI through its xAPIC's ICR, each application processor
 * reports its APIC id (CPUID leaf 1 EBX[31:24] and the APIC ID register)
 * and sends the first one an IPI, then fixed IPIs go out in physical and
 * logical destination mode and as the two broadcasts. Every IPI is
 * counted per vector and per receiving vCPU and must arrive exactly once.
 * Then INIT-SIPI restarts the first AP. Last, with work=N on its command
 * line, every vCPU runs the same CPU-bound loop of N steps at once (an
 * IPI starts the APs' share) and the first one prints the TSC ticks from
 * the start until all are done: run with its vCPUs on one CPU and spread
 * over several (hvctl's cpus=), the two figures give the speed-up.
 *
 * The application processors start in real mode at TRAMP_BASE (SIPI
 * vector TRAMP_BASE >> 12), switch to 32-bit protected mode with paging
 * off (no MSR write needed) and stay there: their part is a few lines of
 * assembly below, halted with interrupts enabled between the IPIs that
 * wake them. Waits have no time bound: the VMM's slice bound ends a
 * child that hangs. */
#include "guests/lib/test.h"
#include "guests/lib/timing.h"
#include "lib/string.h"

const char test_title[] = "SMP: INIT-SIPI-SIPI, APIC ids, IPIs in every destination mode";

#define TRAMP_BASE 0x20000u /* below 1 MiB, page aligned: SIPI vector 0x20 */
#define CPUS_MAX 4

#define APIC_BASE 0xfee00000ULL
#define APIC_ID 0x20
#define APIC_EOI 0xb0
#define APIC_LDR 0xd0
#define APIC_DFR 0xe0
#define APIC_SVR 0xf0
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310

#define ICR_BUSY (1u << 12)
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_LOGICAL (1u << 11)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_SELF_AND_OTHERS (2u << 18)
#define ICR_OTHERS (3u << 18)

/* The vectors, in the order of the counts' rows. */
#define VEC_PHYS 0x40
#define VEC_LOGICAL 0x41
#define VEC_OTHERS 0x42
#define VEC_ALL 0x43
#define VEC_TO_BSP 0x44
#define VEC_COUNT 5
#define VEC_WORK 0x45 /* the parallel work starts (not counted) */
#define VEC_DONE 0x46 /* an AP finished its work (not counted) */

/* Written by the APs (assembly below) and the first vCPU's handlers. */
volatile u32 ap_alive;
volatile u32 ap_apic_id[CPUS_MAX], ap_cpuid_id[CPUS_MAX];
volatile u32 ipi_count[VEC_COUNT][CPUS_MAX];
u64 ap_idt[256];
u8 ap_stacks[CPUS_MAX][1024] __attribute__((aligned(16)));
extern const u8 smp_tramp_start[], smp_tramp_end[];
extern const u8 ap_isr_table[];
extern const u8 bsp_isr_all[], bsp_isr_to_bsp[];
extern const u8 ap_isr_wake[], bsp_eoi[];
/* The parallel work: the APs start a round when work_go moves past the
 * round they last did, and each leaves its loop's result. */
volatile u32 work_go, work_done, work_steps;
volatile u32 ap_work_seen[CPUS_MAX], ap_work_result[CPUS_MAX];

/* The trampoline, copied to TRAMP_BASE: real mode with CS = the SIPI
 * vector << 8, IP 0. Its GDT stays in use by the AP afterwards. */
asm(".section .rodata\n"
    ".code16\n"
    ".globl smp_tramp_start, smp_tramp_end\n"
    "	.balign 16\n" /* the GDT's alignment below holds in the copy too */
    "smp_tramp_start:\n"
    "	cli\n"
    "	movw %cs, %ax\n"
    "	movw %ax, %ds\n"
    "	lgdtl tramp_gdtr - smp_tramp_start\n"
    "	movl %cr0, %eax\n"
    "	andl $0x9fffffff, %eax\n" /* caches on: clear CD and NW */
    "	orl $1, %eax\n"
    "	movl %eax, %cr0\n"
    "	ljmpl *(tramp_far - smp_tramp_start)\n"
    ".code32\n"
    "tramp_pm:\n"
    "	movw $0x10, %ax\n"
    "	movw %ax, %ds\n"
    "	movw %ax, %es\n"
    "	movw %ax, %ss\n"
    "	movl $ap_entry32, %eax\n"
    "	jmp *%eax\n"
    "	.balign 8\n"
    "tramp_gdt:\n"
    "	.quad 0, 0x00cf9a000000ffff, 0x00cf92000000ffff\n"
    "tramp_gdtr:\n"
    "	.word 23\n"
    "	.long 0x20000 + (tramp_gdt - smp_tramp_start)\n"
    "tramp_far:\n"
    "	.long 0x20000 + (tramp_pm - smp_tramp_start)\n"
    "	.word 0x08\n"
    "smp_tramp_end:\n"
    ".code64\n"
    ".previous\n");

/* An AP in 32-bit protected mode, paging off: its stack by its APIC id,
 * its ids recorded, its LAPIC software-enabled with a flat logical id
 * 1 << id, then "alive", an IPI to the first vCPU, and HLT with
 * interrupts on until the next IPI. Each ISR counts its vector for the APIC id it runs on. */
asm(".text\n"
    ".code32\n"
    "ap_entry32:\n"
    "	lidt ap_idtr\n"
    "	movl $1, %eax\n"
    "	cpuid\n"
    "	shrl $24, %ebx\n"
    "	movl %ebx, %esi\n"
    "	leal 1(%esi), %esp\n"
    "	shll $10, %esp\n"
    "	addl $ap_stacks, %esp\n"
    "	movl %esi, ap_cpuid_id(,%esi,4)\n"
    "	movl 0xfee00020, %eax\n"
    "	shrl $24, %eax\n"
    "	movl %eax, ap_apic_id(,%esi,4)\n"
    "	movl $0x1ff, 0xfee000f0\n"
    "	movl $0xffffffff, 0xfee000e0\n"
    "	movl %esi, %ecx\n"
    "	movl $0x01000000, %eax\n"
    "	shll %cl, %eax\n"
    "	movl %eax, 0xfee000d0\n"
    "	lock incl ap_alive\n"
    "	movl $0, 0xfee00310\n"
    "	movl $0x44, 0xfee00300\n"
    "1:	cli\n" /* no wake-up lost between the check and HLT */
    "	movl work_go, %eax\n"
    "	cmpl ap_work_seen(,%esi,4), %eax\n"
    "	jne 2f\n"
    "	sti\n"
    "	hlt\n"
    "	jmp 1b\n"
    "2:	movl %eax, ap_work_seen(,%esi,4)\n"
    "	sti\n"
    "	movl work_steps, %ecx\n"
    "	xorl %eax, %eax\n"
    "3:	imull $1103515245, %eax, %eax\n" /* the loop of work_round() */
    "	addl $12345, %eax\n"
    "	decl %ecx\n"
    "	jnz 3b\n"
    "	movl %eax, ap_work_result(,%esi,4)\n"
    "	lock incl work_done\n"
    "	movl $0, 0xfee00310\n" /* wake vCPU 0 (APIC id 0) */
    "	movl $0x46, 0xfee00300\n"
    "	jmp 1b\n"
    ".globl ap_isr_wake\n"
    "ap_isr_wake:\n"
    "	movl $0, 0xfee000b0\n"
    "	iret\n"
    "ap_isr_common:\n" /* EDX: the row (vector - 0x40) * CPUS_MAX */
    "	movl 0xfee00020, %eax\n"
    "	shrl $24, %eax\n"
    "	addl %edx, %eax\n"
    "	lock incl ipi_count(,%eax,4)\n"
    "	movl $0, 0xfee000b0\n"
    "	popl %edx\n"
    "	popl %eax\n"
    "	iret\n"
    ".globl ap_isr_table\n"
    "	.balign 16\n"
    "ap_isr_table:\n" /* five 16-byte stubs, one per vector from 0x40 */
    ".irp row, 0, 1, 2, 3, 4\n"
    "	pushl %eax\n"
    "	pushl %edx\n"
    "	movl $(\\row * 4), %edx\n"
    "	jmp ap_isr_common\n"
    "	.balign 16\n"
    ".endr\n"
    ".code64\n"
    ".data\n"
    "ap_idtr:\n"
    "	.word 256 * 8 - 1\n"
    "	.long ap_idt\n"
    ".text\n"
    /* the first vCPU's handlers (64-bit), for its two vectors */
    ".globl bsp_isr_all, bsp_isr_to_bsp\n"
    "bsp_isr_all:\n"
    "	lock incl ipi_count + (3 * 4 * 4)(%rip)\n"
    "	jmp bsp_eoi\n"
    "bsp_isr_to_bsp:\n"
    "	lock incl ipi_count + (4 * 4 * 4)(%rip)\n"
    ".globl bsp_eoi\n"
    "bsp_eoi:\n"
    "	pushq %rax\n"
    "	movl $0xfee000b0, %eax\n"
    "	movl $0, (%rax)\n"
    "	popq %rax\n"
    "	iretq\n");

static volatile u32 *apic(u32 reg)
{
	return (volatile u32 *)(APIC_BASE + reg);
}

static void send_ipi(u32 dest, u32 low)
{
	*apic(APIC_ICR_HI) = dest << 24;
	*apic(APIC_ICR_LO) = low;
	while (*apic(APIC_ICR_LO) & ICR_BUSY)
		asm volatile("pause");
}

static void wait_count(volatile u32 *p, u32 want)
{
	while (*p < want)
		asm volatile("pause");
}

static u32 cpus_from_cmdline(void)
{
	for (const char *p = boot_info->cmdline; *p; p++)
		if (!strncmp(p, "cpus=", 5) && p[5] >= '2' && p[5] <= '0' + CPUS_MAX)
			return (u32)(p[5] - '0');
	return 2;
}

static void set_ap_gate(u32 vector, const u8 *isr)
{
	u32 off = (u32)(u64)isr;

	ap_idt[vector] = (off & 0xffff) | (0x08ULL << 16) | (0x8eULL << 40) |
			 ((u64)(off >> 16) << 48);
}

/* 32-bit interrupt gates for the APs: selector 0x08 of the trampoline's
 * GDT. */
static void build_ap_idt(void)
{
	for (u32 i = 0; i < VEC_COUNT; i++)
		set_ap_gate(VEC_PHYS + i, ap_isr_table + 16 * i);
	set_ap_gate(VEC_WORK, ap_isr_wake);
}

static void bsp_setup(void)
{
	CHECK(guest_cpuid(1, 0).ebx >> 24 == 0, "vCPU 0: CPUID APIC id %u",
	      guest_cpuid(1, 0).ebx >> 24);
	CHECK(*apic(APIC_ID) >> 24 == 0, "vCPU 0: APIC ID register 0x%x", *apic(APIC_ID));
	*apic(APIC_SVR) = 0x1ff;
	*apic(APIC_DFR) = 0xffffffff;
	*apic(APIC_LDR) = 1u << 24;
	traps_set_gate(VEC_ALL, bsp_isr_all, 0);
	traps_set_gate(VEC_TO_BSP, bsp_isr_to_bsp, 0);
	traps_set_gate(VEC_DONE, bsp_eoi, 0);
	memcpy((void *)(u64)TRAMP_BASE, smp_tramp_start,
	       (u64)smp_tramp_end - (u64)smp_tramp_start);
	build_ap_idt();
}

/* INIT, then SIPI twice (the second one finds the AP running and is
 * ignored); each AP must come up exactly once. Its IPI to vCPU 0 is
 * awaited before the next AP starts: the same vector from several APs
 * at once would be one IRR bit, one interrupt. */
static void start_aps(u32 cpus)
{
	asm volatile("sti");
	for (u32 id = 1; id < cpus; id++) {
		send_ipi(id, ICR_INIT | ICR_LEVEL_ASSERT);
		send_ipi(id, ICR_STARTUP | ICR_LEVEL_ASSERT | (TRAMP_BASE >> 12));
		send_ipi(id, ICR_STARTUP | ICR_LEVEL_ASSERT | (TRAMP_BASE >> 12));
		wait_count(&ap_alive, id);
		wait_count(&ipi_count[VEC_TO_BSP - VEC_PHYS][0], id);
		CHECK(ap_apic_id[id] == id && ap_cpuid_id[id] == id,
		      "AP %u: APIC ID register %u, CPUID %u", id, ap_apic_id[id], ap_cpuid_id[id]);
		gprintf("AP %u up: APIC id %u, CPUID id %u\n", id, ap_apic_id[id], ap_cpuid_id[id]);
	}
	CHECK(ap_alive == cpus - 1, "%u APs alive, want %u", ap_alive, cpus - 1);
}

static void wait_row(u32 row, u32 cpus, u32 first)
{
	for (u32 id = first; id < cpus; id++)
		wait_count(&ipi_count[row][id], 1);
}

static void send_ipis(u32 cpus)
{
	for (u32 id = 1; id < cpus; id++)
		send_ipi(id, VEC_PHYS);
	wait_row(0, cpus, 1);
	send_ipi(((1u << cpus) - 1) & ~1u, ICR_LOGICAL | VEC_LOGICAL);
	wait_row(1, cpus, 1);
	send_ipi(0, ICR_OTHERS | VEC_OTHERS);
	wait_row(2, cpus, 1);
	send_ipi(0, ICR_SELF_AND_OTHERS | VEC_ALL);
	wait_row(3, cpus, 0);
}

/* Exactly once per vector and receiver: none lost, none twice, none to
 * a vCPU it was not for. */
static void check_counts(u32 cpus)
{
	static const char *const names[VEC_COUNT] = {
		"physical", "logical", "all-but-self", "all-including-self", "AP to vCPU 0",
	};

	for (u32 row = 0; row < VEC_COUNT; row++) {
		for (u32 id = 0; id < cpus; id++) {
			u32 want = row == 4 ? (id ? 0 : cpus - 1) : row == 3 || id ? 1 : 0;

			CHECK(ipi_count[row][id] == want, "%s IPI (vector 0x%x) on APIC id %u: %u, want %u",
			      names[row], VEC_PHYS + row, id, ipi_count[row][id], want);
		}
		gprintf("%s IPIs (vector 0x%x) arrived as sent\n", names[row], VEC_PHYS + row);
	}
}

/* INIT to a running (halted) AP puts it back to wait for a SIPI; one
 * SIPI starts it again from the trampoline, with its LAPIC reset (it
 * enables it again) and its IPI to vCPU 0 once more. */
static void restart_ap(u32 cpus)
{
	asm volatile("sti");
	send_ipi(1, ICR_INIT | ICR_LEVEL_ASSERT);
	send_ipi(1, ICR_STARTUP | ICR_LEVEL_ASSERT | (TRAMP_BASE >> 12));
	wait_count(&ap_alive, cpus);
	wait_count(&ipi_count[VEC_TO_BSP - VEC_PHYS][0], cpus);
	asm volatile("cli");
	CHECK(ap_alive == cpus && ap_apic_id[1] == 1, "restart of AP 1: %u alive, APIC id %u",
	      ap_alive, ap_apic_id[1]);
	gprintf("AP 1 restarted by INIT-SIPI: up again with APIC id %u\n", ap_apic_id[1]);
}

/* work=N on the command line: N steps per vCPU; 0: no parallel work. */
static u32 work_from_cmdline(void)
{
	u32 n = 0;

	for (const char *p = boot_info->cmdline; *p; p++)
		if (!strncmp(p, "work=", 5))
			for (p += 5; *p >= '0' && *p <= '9'; p++)
				n = n * 10 + (u32)(*p - '0');
	return n;
}

/* Waits halted, as the APs do, so that vCPUs sharing a CPU get it; each
 * AP's VEC_DONE wakes this one. Returns with interrupts off. */
static void halt_until(volatile u32 *p, u32 want)
{
	for (;;) {
		asm volatile("cli" ::: "memory");
		if (*p >= want)
			return;
		asm volatile("sti; hlt" ::: "memory");
	}
}

/* The APs' loop, in C: a linear congruential generator from 0. */
static u32 work_round(u32 steps)
{
	u32 x = 0;

	while (steps--)
		asm volatile("imull $1103515245, %0, %0; addl $12345, %0" : "+r"(x));
	return x;
}

static void parallel_work(u32 cpus, u32 steps)
{
	u64 t0, t1;
	u32 mine;

	work_steps = steps;
	work_done = 0;
	asm volatile("sti");
	t0 = rdtsc_ordered();
	__atomic_add_fetch(&work_go, 1, __ATOMIC_SEQ_CST);
	send_ipi(0, ICR_OTHERS | VEC_WORK);
	mine = work_round(steps);
	halt_until(&work_done, cpus - 1);
	t1 = rdtsc_ordered();
	for (u32 id = 1; id < cpus; id++)
		CHECK(ap_work_result[id] == mine, "AP %u's work: 0x%x, want 0x%x", id,
		      ap_work_result[id], mine);
	gprintf("parallel work: %u vCPUs x %u steps in %llu TSC ticks\n", cpus, steps,
		(unsigned long long)(t1 - t0));
}

void test_main(void)
{
	u32 cpus = cpus_from_cmdline();
	u32 steps = work_from_cmdline();

	gprintf("%u vCPUs\n", cpus);
	bsp_setup();
	start_aps(cpus);
	send_ipis(cpus);
	asm volatile("cli");
	check_counts(cpus);
	restart_ap(cpus);
	if (steps)
		parallel_work(cpus, steps);
}
