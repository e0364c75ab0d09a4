/* Interrupts for a child without the virtual LAPIC, as its VMM delivers
 * them (HV_CALL_VM_IRQ, HV_EXT_IRQ): a vector injected while the child
 * has interrupts enabled arrives at once; one raised while they are off
 * waits until STI and the instruction in its shadow; HV_RUN_IRQ_WINDOW
 * ends the run with HV_EXIT_IRQ_WINDOW exactly where the window opens
 * (and at once when it is open); an NMI arrives, and a second one waits
 * for the first one's IRET. Malformed calls are refused. With the
 * virtual LAPIC (a two-vCPU child): an MSI reaches the vCPU it names and
 * the next one follows its EOI; a self IPI; ExtINT through LINT0. */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"
#include "guests/test/child_gate.h"

const char test_title[] = "interrupt injection and the interrupt window";

#define VECTOR 0x40
#define IDT 0x6000
#define IRQ_COUNT 0x7000 /* the child's handlers count here */
#define NMI_COUNT 0x7008
#define MSI_COUNT 0x7100 /* with the LAPIC: per APIC id */
#define SELF_COUNT 0x7140
#define EXTINT_COUNT 0x7180
#define SELF_VECTOR 0x50
#define EXTINT_VECTOR 0x30
#define APIC 0xfee00000
#define VCPU1_STACK 0x70000
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
    CHILD_SET_GATE_ASM(STR(IDT))
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
    /* With the virtual LAPIC (its page mapped at APIC by the VMM): each
     * vCPU counts each vector per APIC id and EOIs (ExtINT needs none) */
    "apic_start:\n"
    "	lea apic_msi(%rip), %rax\n"
    "	mov $" STR(VECTOR) ", %ecx\n"
    "	call set_gate\n"
    "	lea apic_self(%rip), %rax\n"
    "	mov $" STR(SELF_VECTOR) ", %ecx\n"
    "	call set_gate\n"
    "	lea apic_extint(%rip), %rax\n"
    "	mov $" STR(EXTINT_VECTOR) ", %ecx\n"
    "	call set_gate\n"
    "	lidt idtr(%rip)\n"
    "	mov $" STR(APIC) ", %esi\n"
    "	movl $0x1ff, 0xf0(%rsi)\n" /* SVR: enabled, spurious vector 0xff */
    "	mov 0x20(%rsi), %ebp\n"
    "	shr $24, %ebp\n"           /* the APIC id */
    "	sti\n"
    "	out %al, $" STR(P_STEP) "\n"
    "	mov " STR(MSI_COUNT) "(,%rbp,8), %eax\n"
    "	out %eax, $" STR(P_VALUE) "\n"
    "	out %al, $" STR(P_STEP) "\n"
    "	mov " STR(MSI_COUNT) "(,%rbp,8), %eax\n"
    "	out %eax, $" STR(P_VALUE) "\n"
    "	movl $0x40000 + " STR(SELF_VECTOR) ", 0x300(%rsi)\n" /* ICR: fixed, self */
    "	mov " STR(SELF_COUNT) "(,%rbp,8), %eax\n"
    "	out %eax, $" STR(P_VALUE) "\n"
    "	movl $0x700, 0x350(%rsi)\n" /* LVT LINT0: ExtINT, unmasked */
    "	out %al, $" STR(P_STEP) "\n"
    "	mov " STR(EXTINT_COUNT) "(,%rbp,8), %eax\n"
    "	out %eax, $" STR(P_VALUE) "\n"
    "	cli\n"           /* HLT with IF set would wait for an interrupt */
    "	hlt\n"
    "apic_msi:\n"
    "	incq " STR(MSI_COUNT) "(,%rbp,8)\n"
    "	movl $0, 0xb0(%rsi)\n"
    "	iretq\n"
    "apic_self:\n"
    "	incq " STR(SELF_COUNT) "(,%rbp,8)\n"
    "	movl $0, 0xb0(%rsi)\n"
    "	iretq\n"
    "apic_extint:\n"
    "	incq " STR(EXTINT_COUNT) "(,%rbp,8)\n"
    "	iretq\n"
    CHILD_IDTR_ASM(STR(IDT))
    "child_end:\n"
    ".popsection\n");
extern const u8 child_start[], child_end[], window_opens[], window_open[], apic_start[];

static struct hv_exit ex;
static struct hv_run_page page __attribute__((aligned(4096)));

/* The child's address of a label in its code. */
static u64 child_rip(const u8 *label)
{
	return HV_CHILD_CODE + (u64)(label - child_start);
}

/* Runs a vCPU of the child until an exit other than the end of a time
 * slice. */
static long run_vcpu(u32 vm, u32 vcpu, u32 flags)
{
	long r;

	do
		r = hv_vcpu_run_flags(vm, vcpu, &ex, flags, 0);
	while (r == HV_EXIT_TIMESLICE);
	return r;
}

static long run(u32 vm, u32 flags)
{
	return run_vcpu(vm, 0, flags);
}

static bool vcpu_to_out(u32 vm, u32 vcpu, u16 port)
{
	long r = run_vcpu(vm, vcpu, 0);

	if (r != HV_EXIT_IO || ex.u.io.port != port) {
		test_fail("vCPU %u: exit %ld (port 0x%x) at rip 0x%llx, want OUT to 0x%x", vcpu, r,
			  ex.u.io.port, (unsigned long long)ex.rip, port);
		return false;
	}
	return true;
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

/* The next value a vCPU of the child reports. */
static u64 vcpu_value(u32 vm, u32 vcpu)
{
	return vcpu_to_out(vm, vcpu, P_VALUE) ? ex.u.io.value : ~0ull;
}

static u64 child_value(u32 vm)
{
	return vcpu_value(vm, 0);
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
	CHECK(hv_vcpu_run_page_set(vm, 0, &page) == 0, "run page refused");
	CHECK(hypercall3(HV_CALL_VCPU_RUN_PAGED, vm, 0, HV_RUN_IRQ_WINDOW) == -HV_EINVAL,
	      "paged HV_RUN_IRQ_WINDOW without HV_EXIT_IRQ_WINDOW enabled");
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

/* Steps 3 and 4: the window exit where it opens, no instruction lost;
 * the paged run takes the flag in RDX. */
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
	r = hypercall3(HV_CALL_VCPU_RUN_PAGED, vm, 0, HV_RUN_IRQ_WINDOW);
	CHECK(r == HV_EXIT_IRQ_WINDOW && page.exit.rip == child_rip(window_open),
	      "open window: paged exit %ld at 0x%llx", r, (unsigned long long)page.exit.rip);
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

/* vCPU `vcpu` of a LAPIC child starts at apic_start (vCPU 1 with its
 * own stack). */
static long boot_apic_vcpu(u32 vm, u32 vcpu)
{
	struct hv_vcpu_regs r;
	long err;

	if ((err = hv_vcpu_create(vm)) < 0 ||
	    (err = hv_child_boot_long_mode(vm, vcpu, child_start, child_end - child_start)) ||
	    (err = hv_vcpu_get_regs(vm, vcpu, &r)))
		return err;
	r.flags = HV_REGS_GPRS;
	r.rip = child_rip(apic_start);
	if (vcpu)
		r.gprs[7] = VCPU1_STACK;
	return hv_vcpu_set_regs(&r);
}

static long start_apic_child(u32 *vm_out)
{
	long vm = hv_vm_create("irqapic", 2 * MIB, 2, 0);
	u64 on = 1;

	if (vm < 0 || hv_feature(HV_FEATURE_SET | HV_FEATURE_LAPIC, vm, &on) ||
	    boot_apic_vcpu(vm, 0) || boot_apic_vcpu(vm, 1) || hv_child_map_apic_page(vm))
		return -1;
	*vm_out = vm;
	return 0;
}

/* Both vCPUs to their next step. */
static bool both_to_step(u32 vm)
{
	return vcpu_to_out(vm, 0, P_STEP) && vcpu_to_out(vm, 1, P_STEP);
}

/* An MSI to APIC id 1 reaches vCPU 1 alone, twice (its handler's EOI
 * lets the second in); a self IPI comes back to its sender; ExtINT goes
 * to the vCPU whose LINT0 takes it (both do: the lower id). */
static void check_apic(void)
{
	u32 vm;
	u64 v0, v1;

	if (start_apic_child(&vm)) {
		test_fail("cannot start the LAPIC child");
		return;
	}
	CHECK(hv_vm_irq(vm, 1, 1, VECTOR, HV_IRQ_FIXED, 0) == -HV_EINVAL, "vcpu set with LAPIC");
	for (u32 round = 1; round <= 2; round++) {
		if (!both_to_step(vm))
			return;
		CHECK(hv_vm_irq(vm, 0, 1, VECTOR, HV_IRQ_FIXED, 0) == 0, "MSI refused");
		v1 = vcpu_value(vm, 1);
		v0 = vcpu_value(vm, 0);
		CHECK(v1 == round && v0 == 0, "MSI to APIC id 1, round %u: vCPU 1 %llu, vCPU 0 %llu",
		      round, (unsigned long long)v1, (unsigned long long)v0);
	}
	v1 = vcpu_value(vm, 1);
	v0 = vcpu_value(vm, 0);
	CHECK(v0 == 1 && v1 == 1, "self IPI: vCPU 0 %llu, vCPU 1 %llu", (unsigned long long)v0,
	      (unsigned long long)v1);
	if (!both_to_step(vm))
		return;
	CHECK(hv_vm_irq(vm, 0, 0, EXTINT_VECTOR, HV_IRQ_EXTINT, 0) == 0, "ExtINT refused");
	CHECK(hv_vm_irq(vm, 0, 0, EXTINT_VECTOR, HV_IRQ_EXTINT, 0) == -HV_EBUSY,
	      "a second ExtINT while one is pending");
	v0 = vcpu_value(vm, 0);
	v1 = vcpu_value(vm, 1);
	CHECK(v0 == 1 && v1 == 0, "ExtINT: vCPU 0 %llu, vCPU 1 %llu", (unsigned long long)v0,
	      (unsigned long long)v1);
	CHECK(run_vcpu(vm, 0, 0) == HV_EXIT_HLT && run_vcpu(vm, 1, 0) == HV_EXIT_HLT,
	      "the LAPIC child did not reach its HLTs");
	gprintf("LAPIC: MSI to vCPU 1 only, EOI lets the next in; self IPI; ExtINT through "
		"LINT0 to vCPU 0\n");
	CHECK(hv_vm_destroy(vm) == 0, "destroying the LAPIC child failed");
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
	check_apic();
}
