/* Stepping over the instruction of an exit without the CPU's next RIP
 * (hv/insn.c): the unprefixed CPUID, HLT, VMMCALL/VMCALL and XSETBV are
 * recognized by their bytes, read through the vCPU's cached walk; a
 * prefixed form, another instruction, or bytes across a page go to the
 * decoder; a cached walk is not used once the tables or CR3 changed. */
#include "check.h"
#include "../../arch/x86/guest_state.h"
#include "../../arch/x86/guest_walk.c"
#include "../../arch/x86/insn_len.c"
#include "../../arch/x86/seg_addr.c"
#include "../../hv/guest_mem.c"
#include "../../hv/event.c"
#include "../../hv/insn.c"

#define RAM_SIZE 0x20000ULL
#define PML4 0x1000ULL
#define PDPT 0x2000ULL
#define PD 0x3000ULL
#define PT 0x4000ULL
#define PML4_B 0x5000ULL /* a second address space sharing PDPT */
#define RW (GW_P | GW_RW)
#define CODE 0x10000ULL   /* linear page of the code */
#define CODE_A 0x8000ULL  /* where it is mapped first */
#define CODE_B 0x9000ULL  /* where a remap sends it */
#define NEXT 0x11000ULL   /* the linear page after CODE */

static u8 ram[RAM_SIZE];
static struct vm vm;
static struct vcpu vcpu = { .vm = &vm };
static struct guest_sregs sregs;
static int fetch_sregs_calls, decoder_fetches;
static bool stopped;

void *vm_gpa_ptr(struct vm *m, u64 gpa, u64 len, bool write)
{
	(void)m;
	(void)write;
	if (len > RAM_SIZE || gpa > RAM_SIZE - len)
		return NULL;
	return ram + gpa;
}

void vm_stop(struct vm *m, u32 kind, const char *fmt, ...)
{
	(void)m;
	(void)kind;
	(void)fmt;
	stopped = true;
}

static void fake_get_sregs(struct vcpu *v, struct guest_sregs *s)
{
	(void)v;
	decoder_fetches++;
	*s = sregs;
}

static void fake_get_fetch_sregs(struct vcpu *v, struct guest_sregs *s)
{
	(void)v;
	fetch_sregs_calls++;
	s->cs = sregs.cs;
	s->ss.attr = sregs.ss.attr;
	s->cr0 = sregs.cr0;
	s->cr3 = sregs.cr3;
	s->cr4 = sregs.cr4;
	s->efer = sregs.efer;
}

static u64 fake_dr6;
static struct event injected;
static int injections;

#include "trace_stub.h"

static u64 fake_guest_cr0(struct vcpu *v)
{
	(void)v;
	return sregs.cr0;
}

static void fake_debug_trap(struct vcpu *v, u64 dr6_bits)
{
	(void)v;
	fake_dr6 = dr6_after_trap(fake_dr6, dr6_bits);
}

static void fake_inject_event(struct vcpu *v, const struct event *e)
{
	(void)v;
	injected = *e;
	injections++;
}

static const struct virt_ops fake_ops = {
	.get_sregs = fake_get_sregs,
	.get_fetch_sregs = fake_get_fetch_sregs,
	.guest_cr0 = fake_guest_cr0,
	.debug_trap = fake_debug_trap,
	.inject_event = fake_inject_event,
};
const struct virt_ops *virt = &fake_ops;

static void put_entry(u64 gpa, u64 entry)
{
	memcpy(ram + gpa, &entry, sizeof(entry));
}

static void map(u64 linear, u64 gpa)
{
	put_entry(PT + ((linear >> 12) & 511) * 8, gpa | RW);
}

/* 64-bit code at CODE, mapped to CODE_A; NEXT mapped too; NOPs. */
static void setup(void)
{
	memset(ram, 0x90, sizeof(ram));
	memset(ram + PML4, 0, 5 * PAGE_SIZE);
	put_entry(PML4, PDPT | RW);
	put_entry(PML4_B, PDPT | RW);
	put_entry(PDPT, PD | RW);
	put_entry(PD, PT | RW);
	map(CODE, CODE_A);
	map(NEXT, 0xa000);
	sregs = (struct guest_sregs){
		.cs = { .attr = 0xa9b }, /* 64-bit code */
		.cr0 = BIT(0) | BIT(16) | BIT(31),
		.cr3 = PML4,
		.cr4 = BIT(5),
		.efer = BIT(8) | BIT(10),
	};
	vcpu.walk.valid = false;
	vcpu.regs.rip = CODE + 0x100;
	fetch_sregs_calls = decoder_fetches = 0;
	stopped = false;
}

static void put_code(u64 gpa, const u8 *bytes, int n)
{
	memcpy(ram + gpa, bytes, n);
}

/* RIP after stepping over the exit of `reason` at RIP, without NRIPS. */
static u64 skip(enum exit_reason reason)
{
	struct vm_exit exit = { .reason = reason };

	return insn_skip(&vcpu, &exit) ? vcpu.regs.rip : 0;
}

TEST(unprefixed_forms_take_their_fixed_length)
{
	static const struct {
		enum exit_reason reason;
		u8 bytes[3];
		int len;
	} forms[] = {
		{ EXIT_CPUID, { 0x0f, 0xa2 }, 2 },
		{ EXIT_HLT, { 0xf4 }, 1 },
		{ EXIT_HYPERCALL, { 0x0f, 0x01, 0xd9 }, 3 },
		{ EXIT_HYPERCALL, { 0x0f, 0x01, 0xc1 }, 3 },
		{ EXIT_XSETBV, { 0x0f, 0x01, 0xd1 }, 3 },
	};

	for (unsigned i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		setup();
		put_code(CODE_A + 0x100, forms[i].bytes, forms[i].len);
		CHECK_EQ(skip(forms[i].reason), CODE + 0x100 + forms[i].len);
		CHECK_EQ(decoder_fetches, 0);
	}
}

TEST(prefixed_forms_go_to_the_decoder)
{
	static const u8 cpuid_66[] = { 0x66, 0x0f, 0xa2 };
	static const u8 vmmcall_2e[] = { 0x2e, 0x0f, 0x01, 0xd9 };
	static const u8 hlt_f3[] = { 0xf3, 0xf4 };

	setup();
	put_code(CODE_A + 0x100, cpuid_66, sizeof(cpuid_66));
	CHECK_EQ(skip(EXIT_CPUID), CODE + 0x100 + 3);
	CHECK_EQ(decoder_fetches, 1);
	setup();
	put_code(CODE_A + 0x100, vmmcall_2e, sizeof(vmmcall_2e));
	CHECK_EQ(skip(EXIT_HYPERCALL), CODE + 0x100 + 4);
	CHECK_EQ(decoder_fetches, 1);
	setup();
	put_code(CODE_A + 0x100, hlt_f3, sizeof(hlt_f3));
	CHECK_EQ(skip(EXIT_HLT), CODE + 0x100 + 2);
	CHECK_EQ(decoder_fetches, 1);
}

TEST(another_instruction_goes_to_the_decoder)
{
	static const u8 mov_rax_rbx[] = { 0x48, 0x89, 0xd8 };

	setup();
	put_code(CODE_A + 0x100, mov_rax_rbx, sizeof(mov_rax_rbx));
	CHECK_EQ(skip(EXIT_CPUID), CODE + 0x100 + 3);
	CHECK_EQ(decoder_fetches, 1);
}

TEST(bytes_across_a_page_go_to_the_decoder)
{
	setup();
	vcpu.regs.rip = NEXT - 1;
	ram[CODE_A + PAGE_SIZE - 1] = 0x0f;
	ram[0xa000] = 0xa2;
	CHECK_EQ(skip(EXIT_CPUID), NEXT + 1);
	CHECK_EQ(decoder_fetches, 1);
}

TEST(the_cpu_next_rip_wins)
{
	struct vm_exit exit = { .reason = EXIT_CPUID, .next_rip = 0x1234,
				.next_rip_valid = true };

	setup();
	CHECK(insn_skip(&vcpu, &exit));
	CHECK_EQ(vcpu.regs.rip, 0x1234);
	CHECK_EQ(fetch_sregs_calls + decoder_fetches, 0);
}

/* With EFLAGS.TF an emulated instruction ends in the single-step #DB:
 * DR6.BS set, B0-B3 cleared, RIP after the instruction; without TF
 * nothing is injected. */
TEST(single_step_traps_after_the_instruction)
{
	struct vm_exit exit = { .reason = EXIT_CPUID, .next_rip = 0x1234,
				.next_rip_valid = true };

	setup();
	injections = 0;
	vcpu.regs.rflags = RFLAGS_FIXED;
	CHECK(insn_skip(&vcpu, &exit));
	CHECK_EQ(injections, 0);
	vcpu.regs.rflags = RFLAGS_FIXED | RFLAGS_TF;
	fake_dr6 = DR6_RESET | 0x3;
	CHECK(insn_skip(&vcpu, &exit));
	CHECK_EQ(vcpu.regs.rip, 0x1234);
	CHECK_EQ(injections, 1);
	CHECK_EQ(injected.vector, VEC_DB);
	CHECK_EQ(injected.type, EVENT_EXCEPTION);
	CHECK(!injected.has_error);
	CHECK_EQ(fake_dr6, (DR6_RESET & ~0xfULL) | DR6_BS);
	CHECK(vcpu.event_queued);
}

/* An exception the hypervisor raises is an INJECT record of its vector
 * as an exception while the trace records injections, and none when not. */
TEST(an_injected_exception_is_traced)
{
	struct vm_exit exit = { .reason = EXIT_CPUID, .next_rip = 0x1234,
				.next_rip_valid = true };

	setup();
	traced = 0;
	vcpu.regs.rflags = RFLAGS_FIXED | RFLAGS_TF;
	CHECK(insn_skip(&vcpu, &exit));
	CHECK_EQ(traced, 0);
	tracebuf_events = 1u << HV_TRACE_EV_INJECT;
	CHECK(insn_skip(&vcpu, &exit));
	tracebuf_events = 0;
	CHECK_EQ(traced, 1);
	CHECK_EQ(traced_code, VEC_DB);
	CHECK_EQ(traced_arg, HV_TRACE_INJECT_EXCEPTION);
}

TEST(a_changed_table_entry_is_seen)
{
	static const u8 cpuid[] = { 0x0f, 0xa2 };
	static const u8 cpuid_f2[] = { 0xf2, 0x0f, 0xa2 };

	setup();
	put_code(CODE_A + 0x100, cpuid, sizeof(cpuid));
	put_code(CODE_B + 0x100, cpuid_f2, sizeof(cpuid_f2));
	CHECK_EQ(skip(EXIT_CPUID), CODE + 0x102);
	vcpu.regs.rip = CODE + 0x100;
	map(CODE, CODE_B); /* no exit in between: only the entry changed */
	CHECK_EQ(skip(EXIT_CPUID), CODE + 0x103);
	CHECK_EQ(decoder_fetches, 1);
}

TEST(a_changed_cr3_is_seen)
{
	static const u8 cpuid[] = { 0x0f, 0xa2 };
	static const u8 cpuid_3e[] = { 0x3e, 0x0f, 0xa2 };

	setup();
	put_code(CODE_A + 0x100, cpuid, sizeof(cpuid));
	CHECK_EQ(skip(EXIT_CPUID), CODE + 0x102);
	/* the same tables, but CR3 names another PML4 whose PDPT leads to a
	 * PT that now maps the page elsewhere */
	memset(ram + 0x6000, 0, 2 * PAGE_SIZE);
	memset(ram + 0xb000, 0, PAGE_SIZE);
	put_entry(PML4_B, 0x6000 | RW);
	put_entry(0x6000, 0x7000 | RW);
	put_entry(0x7000, 0xb000 | RW);
	put_entry(0xb000 + ((CODE >> 12) & 511) * 8, CODE_B | RW);
	put_code(CODE_B + 0x100, cpuid_3e, sizeof(cpuid_3e));
	sregs.cr3 = PML4_B;
	vcpu.regs.rip = CODE + 0x100;
	CHECK_EQ(skip(EXIT_CPUID), CODE + 0x103);
}

TEST(changed_code_bytes_are_seen)
{
	static const u8 cpuid[] = { 0x0f, 0xa2 };
	static const u8 cpuid_26[] = { 0x26, 0x0f, 0xa2 };

	setup();
	put_code(CODE_A + 0x100, cpuid, sizeof(cpuid));
	CHECK_EQ(skip(EXIT_CPUID), CODE + 0x102);
	put_code(CODE_A + 0x100, cpuid_26, sizeof(cpuid_26));
	vcpu.regs.rip = CODE + 0x100;
	CHECK_EQ(skip(EXIT_CPUID), CODE + 0x103);
}

TEST(unreadable_code_stops_the_vm)
{
	setup();
	put_entry(PT + ((CODE >> 12) & 511) * 8, 0); /* not present */
	CHECK_EQ(skip(EXIT_CPUID), 0);
	CHECK(stopped);
}

TEST(hypercall_by_vmcall_on_the_wrong_vendor)
{
	static const u8 vmcall[] = { 0x0f, 0x01, 0xc1 };
	static const u8 vmcall_66[] = { 0x66, 0x0f, 0x01, 0xc1 };

	setup();
	put_code(CODE_A + 0x100, vmcall, sizeof(vmcall));
	CHECK(insn_at_rip_is_hypercall(&vcpu));
	put_code(CODE_A + 0x100, vmcall_66, sizeof(vmcall_66));
	CHECK(!insn_at_rip_is_hypercall(&vcpu));
	/* across a page: the decoder's fetch decides */
	vcpu.regs.rip = NEXT - 2;
	put_code(CODE_A + PAGE_SIZE - 2, vmcall, 2);
	ram[0xa000] = 0xc1;
	CHECK(insn_at_rip_is_hypercall(&vcpu));
}

RUN_TESTS("insn_skip", T(unprefixed_forms_take_their_fixed_length),
	  T(prefixed_forms_go_to_the_decoder),
	  T(another_instruction_goes_to_the_decoder),
	  T(bytes_across_a_page_go_to_the_decoder),
	  T(the_cpu_next_rip_wins),
	  T(single_step_traps_after_the_instruction), T(an_injected_exception_is_traced),
	  T(a_changed_table_entry_is_seen),
	  T(a_changed_cr3_is_seen),
	  T(changed_code_bytes_are_seen),
	  T(unreadable_code_stops_the_vm),
	  T(hypercall_by_vmcall_on_the_wrong_vendor))
