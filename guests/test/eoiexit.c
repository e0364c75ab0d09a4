/* HV_EXIT_EOI (HV_EXT_EOI_EXIT): a child with the virtual LAPIC takes
 * interrupts from its VMM (HV_CALL_VM_IRQ) and EOIs them. With the exit
 * enabled, the EOI of a level-triggered vector ends the run with
 * HV_EXIT_EOI and that vector, the EOI write done (xAPIC page and x2APIC
 * MSR, through VCPU_RUN and the run page); an edge-triggered one gives
 * none. Without the exit a level EOI is not reported, then or after the
 * VMM enables it. Malformed enables are refused as for every optional
 * exit. VCPU_GET_LAPIC (HV_EXT_LAPIC_STATE) shows the level vector
 * requested and level-triggered before the child takes it, and nothing
 * pending once it is EOIed; it refuses a VM without the LAPIC. */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"
#include "guests/test/child_gate.h"

const char test_title[] = "EOI exits for level-triggered interrupts";

#define LEVEL_VECTOR 0x60 /* xAPIC handler */
#define EDGE_VECTOR 0x61  /* xAPIC handler */
#define X2_VECTOR 0x62    /* x2APIC handler */
#define IDT 0x6000
#define COUNT 0x7000 /* the child's handlers count here */
#define APIC 0xfee00000
#define P_STEP 0xe0        /* OUT: the child reached its next step */
#define P_VALUE 0xe1       /* OUT: its count, after the step's interrupt */
#define EOI_BIT (1u << HV_EXIT_EOI)

#define STR_(x) #x
#define STR(x) STR_(x)

/* The child: three steps, each an OUT to P_STEP (the VMM sends an
 * interrupt) and its count to P_VALUE; x2APIC mode before the third. */
asm(".pushsection .rodata.child, \"a\"\n"
    ".code64\n"
    "child_start:\n"
    "	lea xapic_handler(%rip), %rax\n"
    "	mov $" STR(LEVEL_VECTOR) ", %ecx\n"
    "	call set_gate\n"
    "	lea xapic_handler(%rip), %rax\n"
    "	mov $" STR(EDGE_VECTOR) ", %ecx\n"
    "	call set_gate\n"
    "	lea x2apic_handler(%rip), %rax\n"
    "	mov $" STR(X2_VECTOR) ", %ecx\n"
    "	call set_gate\n"
    "	lidt idtr(%rip)\n"
    "	mov $" STR(APIC) ", %esi\n"
    "	movl $0x1ff, 0xf0(%rsi)\n" /* SVR: enabled, spurious vector 0xff */
    "	sti\n"
    "	call child_step\n"
    "	call child_step\n"
    "	mov $0x1b, %ecx\n"         /* IA32_APIC_BASE: x2APIC mode */
    "	rdmsr\n"
    "	or $0x400, %eax\n"
    "	wrmsr\n"
    "	call child_step\n"
    "	cli\n"
    "	hlt\n"
    "child_step:\n"
    "	out %al, $" STR(P_STEP) "\n"
    "	mov " STR(COUNT) ", %eax\n"
    "	out %eax, $" STR(P_VALUE) "\n"
    "	ret\n"
    CHILD_SET_GATE_ASM(STR(IDT))
    "xapic_handler:\n"
    "	incq " STR(COUNT) "\n"
    "	movl $0, 0xb0(%rsi)\n"
    "xapic_eoi_done:\n"
    "	iretq\n"
    "x2apic_handler:\n"
    "	push %rax\n"
    "	push %rcx\n"
    "	push %rdx\n"
    "	incq " STR(COUNT) "\n"
    "	xor %eax, %eax\n"
    "	xor %edx, %edx\n"
    "	mov $0x80b, %ecx\n"        /* x2APIC EOI */
    "	wrmsr\n"
    "x2apic_eoi_done:\n"
    "	pop %rdx\n"
    "	pop %rcx\n"
    "	pop %rax\n"
    "	iretq\n"
    CHILD_IDTR_ASM(STR(IDT))
    "child_end:\n"
    ".popsection\n");
extern const u8 child_start[], child_end[], xapic_eoi_done[], x2apic_eoi_done[];

static struct hv_exit ex;
static struct hv_run_page page __attribute__((aligned(4096)));

static u64 child_rip(const u8 *label)
{
	return HV_CHILD_CODE + (u64)(label - child_start);
}

/* One run (VCPU_RUN, or the run page's call) past time slice ends; the
 * exit in *e. flags and value answer nothing after an EOI exit: sent to
 * show they are taken and ignored. */
static long run(u32 vm, bool paged, const struct hv_exit **e)
{
	long r;

	*e = paged ? &page.exit : &ex;
	do {
		if (paged) {
			page.complete_value = 0x1234;
			r = hypercall3(HV_CALL_VCPU_RUN_PAGED, vm, 0, HV_RUN_COMPLETE);
		} else {
			r = hv_vcpu_run_flags(vm, 0, &ex, HV_RUN_COMPLETE, 0x1234);
		}
	} while (r == HV_EXIT_TIMESLICE);
	return r;
}

static bool run_to_out(u32 vm, u16 port, u64 *value)
{
	const struct hv_exit *e;
	long r = run(vm, false, &e);

	if (r != HV_EXIT_IO || e->u.io.port != port) {
		test_fail("exit %ld (port 0x%x) at rip 0x%llx, want OUT to 0x%x", r, e->u.io.port,
			  (unsigned long long)e->rip, port);
		return false;
	}
	*value = e->u.io.value;
	return true;
}

static long start_child(const char *name, u32 exit_reasons)
{
	long vm = hv_vm_create(name, 2 * MIB, 1, exit_reasons);
	u64 on = 1;

	if (vm < 0 || hv_feature(HV_FEATURE_SET | HV_FEATURE_LAPIC, vm, &on) ||
	    hv_vcpu_create(vm) < 0 ||
	    hv_child_boot_long_mode(vm, 0, child_start, child_end - child_start) ||
	    hv_child_map_apic_page(vm) || hv_vcpu_run_page_set(vm, 0, &page)) {
		test_fail("cannot start child %s", name);
		return -1;
	}
	return vm;
}

static bool vector_in(const u64 set[4], u8 vector)
{
	return set[vector / 64] >> (vector % 64) & 1;
}

static bool vectors_none(const u64 set[4])
{
	return !(set[0] | set[1] | set[2] | set[3]);
}

/* What VCPU_GET_LAPIC says of the child's LAPIC: `vector` requested
 * (and level-triggered when `level`) with nothing in service, or, with
 * vector 0, nothing pending at all; the SVR the child wrote. */
static void check_lapic_state(u32 vm, u8 vector, bool level)
{
	struct hv_vcpu_lapic l;
	long r = hv_vcpu_get_lapic(vm, 0, &l);
	bool ok = r == 0 && l.size == sizeof(l) && l.svr == 0x1ff && vectors_none(l.isr);

	if (vector)
		ok = ok && vector_in(l.irr, vector) && vector_in(l.tmr, vector) == level;
	else
		ok = ok && vectors_none(l.irr);
	CHECK(ok, "VCPU_GET_LAPIC %ld: svr 0x%x irr 0x%llx:%llx isr 0x%llx:%llx tmr 0x%llx:%llx, "
	      "want vector 0x%x %s", r, l.svr, (unsigned long long)l.irr[1],
	      (unsigned long long)l.irr[0], (unsigned long long)l.isr[1],
	      (unsigned long long)l.isr[0], (unsigned long long)l.tmr[1],
	      (unsigned long long)l.tmr[0], vector, level ? "level" : "edge");
}

/* The child's next step with one interrupt (level or edge); want_eoi:
 * the EOI exit expected first, at eoi_rip. The count it reports after. */
static u64 step(u32 vm, u8 vector, bool level, bool want_eoi, bool paged, const u8 *eoi_rip)
{
	const struct hv_exit *e;
	u64 count = ~0ull;
	long r;

	if (!run_to_out(vm, P_STEP, &count))
		return ~0ull;
	CHECK(hv_vm_irq(vm, 0, 0, vector, HV_IRQ_FIXED, level ? HV_IRQ_LEVEL : 0) == 0,
	      "VM_IRQ vector 0x%x refused", vector);
	check_lapic_state(vm, vector, level);
	if (want_eoi) {
		r = run(vm, paged, &e);
		CHECK(r == HV_EXIT_EOI && e->reason == HV_EXIT_EOI && e->u.eoi.vector == vector &&
			      e->rip == child_rip(eoi_rip) && !e->u.eoi.reserved &&
			      !e->u.eoi.reserved1,
		      "vector 0x%x: exit %ld vector 0x%x at 0x%llx, want HV_EXIT_EOI at 0x%llx",
		      vector, r, e->u.eoi.vector, (unsigned long long)e->rip,
		      (unsigned long long)child_rip(eoi_rip));
	}
	if (!run_to_out(vm, P_VALUE, &count))
		return ~0ull;
	check_lapic_state(vm, 0, false);
	return count;
}

/* VCPU_GET_LAPIC of `vm` (a VM without the LAPIC and, at first, without
 * vCPUs), of VM 0, and with a flag. */
static void check_lapic_refusals(u32 vm)
{
	struct hv_vcpu_lapic l;
	long flagged;

	CHECK(hv_check_extension(HV_EXT_LAPIC_STATE) == 1, "HV_EXT_LAPIC_STATE = %ld",
	      hv_check_extension(HV_EXT_LAPIC_STATE));
	CHECK(hv_vcpu_get_lapic(vm, 0, &l) == -HV_ENOENT, "VCPU_GET_LAPIC of a vCPU not created");
	CHECK(hv_vcpu_create(vm) == 0, "vcpu_create");
	CHECK(hv_vcpu_get_lapic(vm, 0, &l) == -HV_ENOTTY, "VCPU_GET_LAPIC without the LAPIC");
	CHECK(hv_vcpu_get_lapic(0, 0, &l) == -HV_EPERM, "VCPU_GET_LAPIC of VM 0");
	l = (struct hv_vcpu_lapic){ .size = sizeof(l), .flags = 1, .vm = vm };
	flagged = hv_call(HV_CALL_VCPU_GET_LAPIC, &l);
	CHECK(flagged == -HV_EINVAL, "VCPU_GET_LAPIC with flags 1: %ld", flagged);
	gprintf("VCPU_GET_LAPIC refused: no LAPIC -ENOTTY, no vCPU -ENOENT, VM 0 -EPERM, "
		"flags -EINVAL\n");
}

/* Malformed enables: bits outside HV_EXIT_OPTIONAL_MASK at creation and
 * through FEATURE, VM 0 as the target. A VM without the LAPIC takes the
 * bit (its LAPIC may come later) and never sees the exit. */
static void check_enables(void)
{
	u64 bad = EOI_BIT | (1u << 31), eoi = EOI_BIT, got = 0; /* 31: no exit reason */
	long vm;

	CHECK(hv_vm_create("eoibad", 2 * MIB, 1, (u32)bad) == -HV_EINVAL,
	      "creation with bit 31 accepted");
	CHECK(hv_feature(HV_FEATURE_SET | HV_FEATURE_EXIT_REASONS, 0, &eoi) == -HV_EPERM,
	      "EOI exit for VM 0 accepted");
	vm = hv_vm_create("eoinolapic", 2 * MIB, 1, 0);
	if (vm < 0) {
		test_fail("cannot create a VM");
		return;
	}
	CHECK(hv_feature(HV_FEATURE_SET | HV_FEATURE_EXIT_REASONS, vm, &bad) == -HV_EINVAL,
	      "FEATURE SET with bit 31 accepted");
	CHECK(hv_feature(HV_FEATURE_PROBE | HV_FEATURE_SET | HV_FEATURE_EXIT_REASONS, vm, &eoi) ==
		      0,
	      "PROBE of the EOI exit refused");
	CHECK(hv_feature(HV_FEATURE_SET | HV_FEATURE_EXIT_REASONS, vm, &eoi) == 0 &&
		      hv_feature(HV_FEATURE_GET | HV_FEATURE_EXIT_REASONS, vm, &got) == 0 &&
		      got == EOI_BIT,
	      "EOI exit without the LAPIC: GET 0x%llx", (unsigned long long)got);
	check_lapic_refusals(vm);
	CHECK(hv_vm_destroy(vm) == 0, "destroy");
	gprintf("refused: bit 31 at creation and in FEATURE -> -EINVAL, VM 0 -> -EPERM; "
		"taken without the LAPIC\n");
}

/* Enabled at creation: level through the xAPIC page (VCPU_RUN), edge,
 * level through the x2APIC MSR (the run page). */
static void check_enabled(void)
{
	long vm = start_child("eoion", EOI_BIT);
	u64 c1, c2, c3;

	if (vm < 0)
		return;
	c1 = step(vm, LEVEL_VECTOR, true, true, false, xapic_eoi_done);
	gprintf("level vector 0x%x, xAPIC EOI: HV_EXIT_EOI with it, count %llu\n", LEVEL_VECTOR,
		(unsigned long long)c1);
	c2 = step(vm, EDGE_VECTOR, false, false, false, NULL);
	gprintf("edge vector 0x%x: no EOI exit, count %llu\n", EDGE_VECTOR,
		(unsigned long long)c2);
	c3 = step(vm, X2_VECTOR, true, true, true, x2apic_eoi_done);
	gprintf("level vector 0x%x, x2APIC EOI, run page: HV_EXIT_EOI with it, count %llu\n",
		X2_VECTOR, (unsigned long long)c3);
	CHECK(c1 == 1 && c2 == 2 && c3 == 3, "counts %llu %llu %llu, want 1 2 3",
	      (unsigned long long)c1, (unsigned long long)c2, (unsigned long long)c3);
	CHECK(run(vm, false, &(const struct hv_exit *){ NULL }) == HV_EXIT_HLT,
	      "the child did not reach its HLT");
	CHECK(hv_vm_destroy(vm) == 0, "destroy");
}

/* Not enabled: a level EOI goes unreported; enabled afterwards, that old
 * EOI is not reported either, the next one is. */
static void check_not_enabled(void)
{
	long vm = start_child("eoioff", 0);
	u64 eoi = EOI_BIT, c1, c2, c3;

	if (vm < 0)
		return;
	c1 = step(vm, LEVEL_VECTOR, true, false, false, NULL);
	gprintf("not enabled: level vector 0x%x, no EOI exit, count %llu\n", LEVEL_VECTOR,
		(unsigned long long)c1);
	CHECK(hv_feature(HV_FEATURE_SET | HV_FEATURE_EXIT_REASONS, vm, &eoi) == 0,
	      "enabling the EOI exit");
	c2 = step(vm, EDGE_VECTOR, false, false, false, NULL);
	c3 = step(vm, X2_VECTOR, true, true, false, x2apic_eoi_done);
	CHECK(c1 == 1 && c2 == 2 && c3 == 3, "counts %llu %llu %llu, want 1 2 3",
	      (unsigned long long)c1, (unsigned long long)c2, (unsigned long long)c3);
	gprintf("enabled later: the old EOI unreported, the next level EOI exits\n");
	CHECK(hv_vm_destroy(vm) == 0, "destroy");
}

void test_main(void)
{
	CHECK(hv_check_extension(HV_EXT_EOI_EXIT) == 1, "HV_EXT_EOI_EXIT = %ld",
	      hv_check_extension(HV_EXT_EOI_EXIT));
	check_enables();
	check_enabled();
	check_not_enabled();
}
