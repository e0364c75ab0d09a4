/* MSR exits (HV_EXIT_MSR): a child whose VMM enabled them hands an MSR
 * the hypervisor does not emulate to the VMM, which answers a read with
 * a value, completes a write by running again, or answers #GP
 * (HV_RUN_MSR_GP, through VCPU_RUN and through the run page); emulated
 * MSRs never reach it, and a single-stepped RDMSR the VMM completed ends
 * in #DB. Without the extension the same MSR is #GP, and HV_RUN_MSR_GP
 * is refused. */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"

const char test_title[] = "MSR exits: VMM-answered reads, writes and #GP";

#define UNKNOWN1 0x4b564d01
#define UNKNOWN2 0x4b564d02
#define MSR_PAT 0x277
#define PORT_LO 0x10   /* RDMSR's EAX */
#define PORT_HI 0x11   /* RDMSR's EDX */
#define PORT_WROTE 0x12 /* after the WRMSR */
#define PORT_GP 0x13   /* #GP handler: the faulting RIP */
#define PORT_PAT 0x14  /* RDMSR of PAT, emulated: EAX */
#define PORT_DR6 0x15  /* #DB handler: DR6, then the RIP */
#define PORT_DB_RIP 0x16
#define DR6_BS BIT(14)

/* The child: an IDT with #DB and #GP handlers that report to ports and
 * go on after the instruction (the RDMSR/WRMSR of a #GP is 2 bytes). */
asm(".pushsection .rodata.msrexit, \"a\"\n"
    ".code64\n"
    "child_start:\n"
    "	leaq idt(%rip), %rdi\n"
    "	leaq db_handler(%rip), %rax\n"
    "	leaq 1*16(%rdi), %rsi\n"
    "	call set_gate\n"
    "	leaq gp_handler(%rip), %rax\n"
    "	leaq 13*16(%rdi), %rsi\n"
    "	call set_gate\n"
    "	movq %rdi, idtr+2(%rip)\n"
    "	lidt idtr(%rip)\n"
    /* a read the VMM answers (#GP without the extension) */
    "	movl $0x4b564d01, %ecx\n"
    "first_rdmsr:\n"
    "	rdmsr\n"
    "	outl %eax, $0x10\n"
    "	movl %edx, %eax\n"
    "	outl %eax, $0x11\n"
    /* a write the VMM completes */
    "	movl $0xaabbccdd, %eax\n"
    "	movl $0x01020304, %edx\n"
    "	wrmsr\n"
    "	outl %eax, $0x12\n"
    /* a read and a write the VMM answers with #GP */
    "	movl $0x4b564d02, %ecx\n"
    "	rdmsr\n"
    "	wrmsr\n"
    /* an emulated MSR: no exit */
    "	movl $0x277, %ecx\n"
    "	rdmsr\n"
    "	outl %eax, $0x14\n"
    /* single-stepped RDMSR the VMM completes */
    "	movl $0x4b564d01, %ecx\n"
    "	pushfq; orq $0x100, (%rsp); popfq\n"
    "	rdmsr\n"
    "	hlt\n"
    /* %rax: handler, %rsi: gate; selector 0x08, present interrupt gate */
    "set_gate:\n"
    "	movw %ax, (%rsi)\n"
    "	movw $0x08, 2(%rsi)\n"
    "	movw $0x8e00, 4(%rsi)\n"
    "	shrq $16, %rax\n"
    "	movw %ax, 6(%rsi)\n"
    "	shrq $16, %rax\n"
    "	movl %eax, 8(%rsi)\n"
    "	movl $0, 12(%rsi)\n"
    "	ret\n"
    "gp_handler:\n"
    "	movq 8(%rsp), %rax\n"
    "	outl %eax, $0x13\n"
    "	addq $2, 8(%rsp)\n"
    "	addq $8, %rsp\n"
    "	iretq\n"
    "db_handler:\n"
    "	movq %dr6, %rax\n"
    "	outl %eax, $0x15\n"
    "	movq (%rsp), %rax\n"
    "	outl %eax, $0x16\n"
    "	andq $~0x100, 16(%rsp)\n"
    "	iretq\n"
    ".balign 16\n"
    "idt: .skip 14 * 16\n"
    "idtr: .word 14 * 16 - 1\n"
    "	.quad 0\n"
    "child_end:\n"
    ".popsection\n");

extern const u8 child_start[], child_end[], first_rdmsr[];

static struct hv_exit v1_exit;
static struct hv_exit *ex = &v1_exit;
static struct hv_run_page *page;
static u8 page_store[4096] __attribute__((aligned(4096)));

/* VCPU_RUN with any flags, through the run page once one is registered. */
static long run(u32 vm, u32 flags, u64 value)
{
	struct hv_vcpu_run a = { .size = sizeof(a), .flags = flags, .vm = vm,
				 .exit = (u64)&v1_exit, .complete_value = value };

	if (page) {
		page->complete_value = value;
		return hypercall3(HV_CALL_VCPU_RUN_PAGED, vm, 0, flags);
	}
	v1_exit.argsz = sizeof(v1_exit);
	return hv_call(HV_CALL_VCPU_RUN, &a);
}

static bool expect_out(u32 vm, u32 flags, u64 value, u16 port, u64 *out)
{
	long r = run(vm, flags, value);

	if (r != HV_EXIT_IO || ex->u.io.port != port || ex->u.io.direction) {
		test_fail("exit %ld (reason %u port 0x%x rip 0x%llx), want OUT 0x%x", r,
			  ex->reason, ex->u.io.port, (unsigned long long)ex->rip, port);
		return false;
	}
	*out = ex->u.io.value;
	return true;
}

static bool expect_msr(u32 vm, u32 flags, u64 value, u32 index, u32 write, u64 *rip)
{
	long r = run(vm, flags, value);

	if (r != HV_EXIT_MSR || ex->u.msr.index != index || ex->u.msr.write != write) {
		test_fail("exit %ld (reason %u rip 0x%llx), want the MSR exit 0x%x", r,
			  ex->reason, (unsigned long long)ex->rip, index);
		return false;
	}
	*rip = ex->rip;
	return true;
}

static long start_child(u32 exit_reasons)
{
	long vm = hv_vm_create("msrexit", 2 * MIB, 1, exit_reasons);

	if (vm < 0 || hv_vcpu_create(vm) ||
	    hv_child_boot_long_mode(vm, 0, child_start, child_end - child_start)) {
		test_fail("child set-up: %ld", vm);
		return -1;
	}
	return vm;
}

/* Read answered, write completed with its value seen. */
static bool check_answers(u32 vm)
{
	u64 rip, v;

	if (!expect_msr(vm, 0, 0, UNKNOWN1, 0, &rip) ||
	    !expect_out(vm, HV_RUN_COMPLETE, 0x1122334455667788ULL, PORT_LO, &v))
		return false;
	CHECK(v == 0x55667788, "RDMSR EAX 0x%llx", (unsigned long long)v);
	CHECK(expect_out(vm, 0, 0, PORT_HI, &v) && v == 0x11223344, "RDMSR EDX 0x%llx",
	      (unsigned long long)v);
	if (!expect_msr(vm, 0, 0, UNKNOWN1, 1, &rip))
		return false;
	CHECK(ex->u.msr.value == 0x01020304aabbccddULL && ex->u.msr.reserved == 0,
	      "WRMSR value 0x%llx", (unsigned long long)ex->u.msr.value);
	CHECK(expect_out(vm, 0, 0, PORT_WROTE, &v), "WRMSR not completed");
	gprintf("msr exit: read answered 0x1122334455667788, write 0x%llx completed\n",
		(unsigned long long)0x01020304aabbccddULL);
	return true;
}

/* #GP answers: the read through VCPU_RUN, the write through the run page. */
static bool check_gp(u32 vm)
{
	u64 rip, v;

	if (!expect_msr(vm, 0, 0, UNKNOWN2, 0, &rip) ||
	    !expect_out(vm, HV_RUN_MSR_GP, 0, PORT_GP, &v))
		return false;
	CHECK(v == (u32)rip, "#GP at 0x%llx, RDMSR at 0x%llx", (unsigned long long)v,
	      (unsigned long long)rip);
	page = (struct hv_run_page *)page_store;
	if (hv_vcpu_run_page_set(vm, 0, page)) {
		test_fail("run page");
		return false;
	}
	ex = &page->exit;
	if (!expect_msr(vm, 0, 0, UNKNOWN2, 1, &rip) ||
	    !expect_out(vm, HV_RUN_MSR_GP, 0, PORT_GP, &v))
		return false;
	CHECK(v == (u32)rip, "#GP at 0x%llx, WRMSR at 0x%llx", (unsigned long long)v,
	      (unsigned long long)rip);
	gprintf("msr exit: #GP answers at the instruction (VCPU_RUN and run page)\n");
	return true;
}

static void check_emulated_and_step(u32 vm)
{
	u64 rip, v, dr6;

	CHECK(expect_out(vm, 0, 0, PORT_PAT, &v) && v == 0x00070406,
	      "PAT low half 0x%llx, not emulated", (unsigned long long)v);
	if (!expect_msr(vm, 0, 0, UNKNOWN1, 0, &rip) ||
	    !expect_out(vm, HV_RUN_COMPLETE, 7, PORT_DR6, &dr6) ||
	    !expect_out(vm, 0, 0, PORT_DB_RIP, &v))
		return;
	CHECK((dr6 & DR6_BS) && v == (u32)rip + 2, "#DB: DR6 0x%llx at 0x%llx, RDMSR at 0x%llx",
	      (unsigned long long)dr6, (unsigned long long)v, (unsigned long long)rip);
	CHECK(run(vm, 0, 0) == HV_EXIT_HLT, "no HLT: reason %u", ex->reason);
	gprintf("msr exit: PAT emulated; single-stepped RDMSR completed by the VMM -> #DB\n");
}

/* Without the extension: #GP at once, and HV_RUN_MSR_GP refused. */
static void check_without(void)
{
	long vm = start_child(0);
	u64 v;

	if (vm < 0)
		return;
	CHECK(run(vm, HV_RUN_MSR_GP, 0) == -HV_EINVAL, "HV_RUN_MSR_GP without the extension");
	CHECK(hypercall3(HV_CALL_VCPU_RUN_PAGED, vm, 0, HV_RUN_MSR_GP) == -HV_EINVAL,
	      "paged HV_RUN_MSR_GP without the extension");
	CHECK(expect_out(vm, 0, 0, PORT_GP, &v) &&
	      v == HV_CHILD_CODE + (u64)(first_rdmsr - child_start),
	      "without the extension: #GP at 0x%llx", (unsigned long long)v);
	CHECK(hv_vm_destroy(vm) == 0, "destroy");
	gprintf("no msr exit: unknown MSR #GP, HV_RUN_MSR_GP -> -EINVAL\n");
}

void test_main(void)
{
	long vm;

	CHECK(hv_check_extension(HV_EXT_MSR_EXIT) == 1, "HV_EXT_MSR_EXIT = %ld",
	      hv_check_extension(HV_EXT_MSR_EXIT));
	check_without();
	vm = start_child(1u << HV_EXIT_MSR);
	if (vm < 0)
		return;
	if (check_answers(vm) && check_gp(vm))
		check_emulated_and_step(vm);
	CHECK(hv_vm_destroy(vm) == 0, "destroy");
}
