/* Interrupts for a child without the virtual LAPIC, as its VMM delivers
 * them (HV_CALL_VM_IRQ, HV_EXT_IRQ): a vector injected while the child
 * has interrupts enabled arrives at once; one raised while they are off
 * waits until STI and the instruction in its shadow; HV_RUN_IRQ_WINDOW
 * ends the run with HV_EXIT_IRQ_WINDOW exactly where the window opens
 * (and at once when it is open); an NMI arrives, and a second one waits
 * for the first one's IRET. Malformed calls are refused. */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"

const char test_title[] = "interrupt injection and the interrupt window";

#define VECTOR 0x40
#define IDT 0x6000
#define IRQ_COUNT 0x7000 /* the child's handlers count here */
#define NMI_COUNT 0x7008
#define P_STEP 0xe0  /* OUT: the child reached its next step */
#define P_VALUE 0xe1 /* OUT: a value for the VMM to check */

#define STR_(x) #x
#define STR(x) STR_(x)

/* The child: its IDT (vector VECTOR and NMI), then the steps the VMM
 * drives. Each OUT to P_STEP waits for the VMM's next move. */
asm(".pushsection .rodata.child, \"a\"\n"
    ".code64\n"
    "child_start:\n"
    "	lea irq_handler(%rip), %rax\n"
    "	mov $" STR(VECTOR) ", %ecx\n"
    "	call set_gate\n"
    "	lea nmi_handler(%rip), %rax\n"
    "	mov $2, %ecx\n"
    "	call set_gate\n"
    "	lidt idtr(%rip)\n"
    /* 1: interrupts on: the vector arrives right after the OUT */
    "	sti\n"
    "	out %al, $" STR(P_STEP) "\n"
    "	mov " STR(IRQ_COUNT) ", %eax\n"
    "	out %eax, $" STR(P_VALUE) "\n"
    /* 2: interrupts off: held until STI and its shadow */
    "	cli\n"
    "	out %al, $" STR(P_STEP) "\n"
    "	mov " STR(IRQ_COUNT) ", %eax\n"
    "	out %eax, $" STR(P_VALUE) "\n"
    "	sti\n"
    "	mov " STR(IRQ_COUNT) ", %ebx\n"
    "	mov " STR(IRQ_COUNT) ", %ecx\n"
    "	mov %ebx, %eax\n"
    "	out %eax, $" STR(P_VALUE) "\n"
    "	mov %ecx, %eax\n"
    "	out %eax, $" STR(P_VALUE) "\n"
    /* 3: the VMM asks for the window with interrupts off */
    "	cli\n"
    "	out %al, $" STR(P_STEP) "\n"
    "	nop\n"
    "	sti\n"
    "	nop\n"
    "window_opens:\n"
    "	mov " STR(IRQ_COUNT) ", %eax\n"
    "	out %eax, $" STR(P_VALUE) "\n"
    /* 4: and with them on */
    "	out %al, $" STR(P_STEP) "\n"
    "window_open:\n"
    "	nop\n"
    /* 5: NMIs */
    "	out %al, $" STR(P_STEP) "\n"
    "	mov " STR(NMI_COUNT) ", %eax\n"
    "	out %eax, $" STR(P_VALUE) "\n"
    "	hlt\n"
    /* rax: handler, ecx: vector; a 64-bit interrupt gate, code selector 8 */
    "set_gate:\n"
    "	shl $4, %ecx\n"
    "	add $" STR(IDT) ", %ecx\n"
    "	mov %eax, %edx\n"
    "	and $0xffff, %edx\n"
    "	or $0x80000, %edx\n"
    "	mov %edx, (%rcx)\n"
    "	and $0xffff0000, %eax\n"
    "	or $0x8e00, %eax\n"
    "	mov %eax, 4(%rcx)\n"
    "	movq $0, 8(%rcx)\n"
    "	ret\n"
    "irq_handler:\n"
    "	incq " STR(IRQ_COUNT) "\n"
    "	iretq\n"
    /* the first NMI reports from inside its handler, where a second one
     * must wait */
    "nmi_handler:\n"
    "	incq " STR(NMI_COUNT) "\n"
    "	cmpq $1, " STR(NMI_COUNT) "\n"
    "	jne 1f\n"
    "	out %al, $" STR(P_STEP) "\n"
    "	mov " STR(NMI_COUNT) ", %eax\n"
    "	out %eax, $" STR(P_VALUE) "\n"
    "1:	iretq\n"
    "idtr:\n"
    "	.word 0xfff\n"
    "	.quad " STR(IDT) "\n"
    "child_end:\n"
    ".popsection\n");
extern const u8 child_start[], child_end[], window_opens[], window_open[];

static struct hv_exit ex;

/* The child's address of a label in its code. */
static u64 child_rip(const u8 *label)
{
	return HV_CHILD_CODE + (u64)(label - child_start);
}

/* Runs the child until an exit other than the end of a time slice. */
static long run(u32 vm, u32 flags)
{
	long r;

	do
		r = hv_vcpu_run_flags(vm, 0, &ex, flags, 0);
	while (r == HV_EXIT_TIMESLICE);
	return r;
}

static bool run_to_out(u32 vm, u32 flags, u16 port)
{
	long r = run(vm, flags);

	if (r != HV_EXIT_IO || ex.u.io.port != port) {
		test_fail("child exit %ld (port 0x%x) at rip 0x%llx, want OUT to 0x%x", r,
			  ex.u.io.port, (unsigned long long)ex.rip, port);
		return false;
	}
	return true;
}

/* The next value the child reports. */
static u64 child_value(u32 vm)
{
	return run_to_out(vm, 0, P_VALUE) ? ex.u.io.value : ~0ull;
}

static long inject(u32 vm, u8 vector)
{
	return hv_vm_irq(vm, 0, 0, vector, HV_IRQ_FIXED, 0);
}

static void check_refused(u32 vm)
{
	struct hv_vm_irq a = { .size = sizeof(a), .vm = vm, .vector = VECTOR };

	CHECK(inject(vm, 15) == -HV_EINVAL, "vector 15 accepted");
	CHECK(hv_vm_irq(vm, 0, 0, VECTOR, HV_IRQ_INIT, 0) == -HV_EINVAL, "INIT accepted");
	CHECK(hv_vm_irq(vm, 0, 0, 1, HV_IRQ_NMI, 0) == -HV_EINVAL, "NMI with a vector accepted");
	CHECK(hv_vm_irq(vm, 0, 1, VECTOR, HV_IRQ_FIXED, 0) == -HV_EINVAL, "a destination accepted");
	CHECK(hv_vm_irq(vm, 0, 0, VECTOR, HV_IRQ_FIXED, 4) == -HV_EINVAL, "flag 4 accepted");
	CHECK(hv_vm_irq(vm, 1, 0, VECTOR, HV_IRQ_FIXED, 0) == -HV_ENOENT, "vCPU 1 accepted");
	CHECK(hv_vm_irq(0, 0, 0, VECTOR, HV_IRQ_FIXED, 0) == -HV_EPERM, "VM 0 accepted");
	a.reserved2 = 1;
	CHECK(hv_call(HV_CALL_VM_IRQ, &a) == -HV_EINVAL, "reserved field accepted");
	CHECK(hv_vcpu_run_flags(vm, 0, &ex, HV_RUN_IRQ_WINDOW, 0) == -HV_EINVAL,
	      "HV_RUN_IRQ_WINDOW without HV_EXIT_IRQ_WINDOW enabled");
	gprintf("refused: vector 15, INIT, NMI with a vector, dest, flags, reserved -> -EINVAL; "
		"window run without the exit -> -EINVAL\n");
}

/* Steps 1 and 2: at once with IF=1; with IF=0 after STI's shadow. */
static void check_delivery(u32 vm)
{
	u64 held, in_shadow, after;

	if (!run_to_out(vm, 0, P_STEP))
		return;
	CHECK(inject(vm, VECTOR) == 0, "inject refused");
	CHECK(child_value(vm) == 1, "vector not delivered with IF=1");
	if (!run_to_out(vm, 0, P_STEP))
		return;
	CHECK(inject(vm, VECTOR) == 0, "inject refused");
	CHECK(inject(vm, VECTOR) == -HV_EBUSY, "a second pending vector accepted");
	held = child_value(vm);
	in_shadow = child_value(vm);
	after = child_value(vm);
	CHECK(held == 1 && in_shadow == 1 && after == 2,
	      "IF=0: count %llu, in STI shadow %llu, after %llu (want 1 1 2)",
	      (unsigned long long)held, (unsigned long long)in_shadow,
	      (unsigned long long)after);
	gprintf("delivered at once with IF=1; with IF=0 held past STI and its shadow\n");
}

/* Steps 3 and 4: the window exit where it opens, no instruction lost. */
static void check_window(u32 vm)
{
	u64 feature = (1u << HV_EXIT_IRQ_WINDOW);
	long r;

	CHECK(hv_feature(HV_FEATURE_SET | HV_FEATURE_EXIT_REASONS, vm, &feature) == 0,
	      "enabling HV_EXIT_IRQ_WINDOW");
	if (!run_to_out(vm, 0, P_STEP))
		return;
	r = run(vm, HV_RUN_IRQ_WINDOW);
	CHECK(r == HV_EXIT_IRQ_WINDOW && ex.rip == child_rip(window_opens),
	      "window exit %ld at 0x%llx, want at 0x%llx", r, (unsigned long long)ex.rip,
	      (unsigned long long)child_rip(window_opens));
	CHECK(inject(vm, VECTOR) == 0, "inject refused");
	CHECK(child_value(vm) == 3, "vector not delivered in the window");
	if (!run_to_out(vm, 0, P_STEP))
		return;
	r = run(vm, HV_RUN_IRQ_WINDOW);
	CHECK(r == HV_EXIT_IRQ_WINDOW && ex.rip == child_rip(window_open),
	      "open window: exit %ld at 0x%llx", r, (unsigned long long)ex.rip);
	gprintf("HV_EXIT_IRQ_WINDOW after STI's shadow, and at once when open\n");
}

/* Step 5: an NMI, and a second one held until the first one's IRET. */
static void check_nmi(u32 vm)
{
	if (!run_to_out(vm, 0, P_STEP))
		return;
	CHECK(hv_vm_irq(vm, 0, 0, 0, HV_IRQ_NMI, 0) == 0, "NMI refused");
	if (!run_to_out(vm, 0, P_STEP))
		return;
	CHECK(hv_vm_irq(vm, 0, 0, 0, HV_IRQ_NMI, 0) == 0, "second NMI refused");
	CHECK(child_value(vm) == 1, "an NMI inside the NMI handler");
	CHECK(child_value(vm) == 2, "the second NMI did not follow the IRET");
	CHECK(run(vm, 0) == HV_EXIT_HLT, "child did not reach its HLT");
	gprintf("NMI delivered; a second one blocked until IRET\n");
}

void test_main(void)
{
	long vm = hv_vm_create("irq", 2 * MIB, 1, 0);

	CHECK(hv_check_extension(HV_EXT_IRQ) == 1, "HV_EXT_IRQ");
	if (vm < 0 || hv_vcpu_create(vm) != 0 ||
	    hv_child_boot_long_mode(vm, 0, child_start, child_end - child_start)) {
		test_fail("cannot start the child");
		return;
	}
	check_refused(vm);
	check_delivery(vm);
	check_window(vm);
	check_nmi(vm);
	CHECK(hv_vm_destroy(vm) == 0, "destroying the child failed");
}
