/* What the storm's children run. VM 0 builds a child's low memory in one
 * buffer (GDT, an identity map of 1 GiB, a tiny program, result slots,
 * structs and text for its hypercalls) and copies it in with VM_COPY.
 * The programs are hand-assembled x86-64:
 *
 *   spin        jmp .                       (needs preemption)
 *   hlt         hlt; jmp .-1
 *   io          mov dx, PORT; 1: in al, dx; out dx, al; jmp 1b
 *   npf         mov rax, [CHILD_NPF_GPA]; jmp .   (not RAM: stage-2 fault)
 *   triple      ud2 with no IDT
 *   random      random bytes
 *   hypercalls  up to CHILD_CALLS_MAX times: random RAX, RDI and other
 *               registers, VMCALL or VMMCALL, RAX into a result slot;
 *               then hlt and jmp back to the start
 *
 * A child runs at CPL 0 of a VM that is not VM 0: its management calls
 * get -EPERM, unknown numbers -ENOSYS (or go to VM 0 as HV_EXIT_HYPERCALL
 * when enabled; VM 0 answers 0x42xx), the open calls work on its own
 * memory. */
#include "guests/storm/storm.h"
#include "lib/string.h"
#include "lib/x86_desc.h"

#define CHILD_GDT 0x1000
#define CHILD_PML4 0x2000
#define CHILD_PDPT 0x3000
#define CHILD_PD 0x4000
#define SLOT_STRIDE 256
#define CHILD_INFO_SIZE 48 /* hv_info and one hv_cap_memory: all a child gets */
#define PAGE_SIZES ((1ULL << 12) | (1ULL << 21))
#define COMPLETE_TAG 0x4200u /* VM 0 answers forwarded calls with 0x42xx */

static PER_VCPU u8 image[CHILD_IMAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static PER_VCPU bool tables_built;

static const char child_text[] = "child console_write\n";

static void put64(u8 *p, u64 v)
{
	memcpy(p, &v, sizeof(v));
}

static void build_tables(void)
{
	static const u64 gdt[] = { 0, X86_DESC_CODE64, X86_DESC_DATA };

	memcpy(image + CHILD_GDT, gdt, sizeof(gdt));
	put64(image + CHILD_PML4, CHILD_PDPT | 3);
	put64(image + CHILD_PDPT, CHILD_PD | 3);
	for (u64 i = 0; i < 512; i++)
		put64(image + CHILD_PD + 8 * i, (i << 21) | 0x83);
	memcpy(image + CHILD_TEXT, child_text, sizeof(child_text));
	tables_built = true;
}

/* An instruction stream at image + CHILD_CODE. */
struct code {
	u8 *p;
	u32 at;
};

static void emit(struct code *c, const u8 *bytes, u32 n)
{
	memcpy(c->p + c->at, bytes, n);
	c->at += n;
}

static void emit_mov_imm64(struct code *c, u8 rex, u8 op, u64 imm)
{
	u8 b[10] = { rex, op };

	put64(b + 2, imm);
	emit(c, b, sizeof(b));
}

static void emit_store_rax(struct code *c, u64 addr)
{
	emit_mov_imm64(c, 0x48, 0xa3, addr); /* mov [moffs64], rax */
}

/* ---- the hypercall program ---------------------------------------------- */

static const u32 management_calls[] = {
	HV_CALL_FEATURE, HV_CALL_VM_CREATE, HV_CALL_VM_DESTROY, HV_CALL_VM_ADD_MEMORY,
	HV_CALL_VM_COPY, HV_CALL_VCPU_CREATE, HV_CALL_VCPU_GET_REGS,
	HV_CALL_VCPU_SET_REGS, HV_CALL_VCPU_RUN, HV_CALL_STATS,
	HV_CALL_VCPU_RUN_PAGE_SET, HV_CALL_VCPU_RUN_PAGED, HV_CALL_VM_SET_CPUID,
};

static u64 child_call_nr(void)
{
	u32 r = (u32)rnd_below(100);

	if (r < 30)
		return management_calls[rnd_below(ARRAY_SIZE(management_calls))];
	if (r < 40)
		return HV_CALL_ABI_VERSION;
	if (r < 55)
		return HV_CALL_INFO;
	if (r < 68)
		return HV_CALL_CHECK_EXTENSION;
	if (r < 75)
		return HV_CALL_CONSOLE_WRITE;
	return chance(50) ? HV_CALL_COUNT + rnd_below(32) : rnd() | (1ULL << 40);
}

static bool is_management(u64 nr)
{
	for (u32 i = 0; i < ARRAY_SIZE(management_calls); i++)
		if (nr == management_calls[i])
			return true;
	return false;
}

/* The argsz of a well-formed INFO: room to spare, just enough, or so
 * little that the answer is cut short. */
static u32 info_argsz(void)
{
	u32 r = (u32)rnd_below(100);

	if (r < 70)
		return SLOT_STRIDE;
	if (r < 80)
		return CHILD_INFO_SIZE;
	return 8 + (u32)rnd_below(CHILD_INFO_SIZE - 8);
}

/* An extension id: mostly defined ones, which a child must see absent
 * all but HV_EXT_INFO_CAPS. */
static u32 any_extension(void)
{
	if (chance(70))
		return 1 + (u32)rnd_below(HV_EXT_RUN_PAGE);
	return chance(50) ? (u32)rnd_below(100) : (u32)rnd();
}

/* Writes the struct slot i's call uses (valid, garbage or none) and
 * returns what the call may answer; *exact is the one answer it must
 * give, or -1 when several are fine. */
static outcomes child_slot(struct mvm *m, u32 i, u64 nr, u64 *rdi, s64 *exact)
{
	u8 *slot = image + CHILD_STRUCTS + i * SLOT_STRIDE;
	u32 r = (u32)rnd_below(100);

	*exact = -1;
	m->slot_info_argsz[i] = 0;
	*rdi = CHILD_STRUCTS + i * SLOT_STRIDE;
	memset(slot, 0, SLOT_STRIDE);
	if (nr == HV_CALL_ABI_VERSION) {
		*rdi = rnd();
		*exact = HV_ABI_VERSION;
		return OK;
	}
	if (is_management(nr))
		return E(EPERM);
	if (nr >= HV_CALL_COUNT)
		return E(ENOSYS) | OK; /* or VM 0's answer, checked by the caller */
	if (r < 15) { /* never any VM's RAM: above the stage-2 limit */
		*rdi = (1ULL << 48) + rnd_below(1ULL << 40);
		return E(EFAULT);
	}
	if (r < 40) { /* garbage */
		for (u32 b = 0; b < SLOT_STRIDE - 128; b++)
			slot[b] = (u8)rnd();
		return OK | E(EINVAL) | E(E2BIG) | E(EFAULT);
	}
	if (nr == HV_CALL_INFO) {
		struct hv_info a = { info_argsz(), 0, 0, 0 };

		memcpy(slot, &a, sizeof(a));
		m->slot_info_argsz[i] = a.argsz;
		*exact = 0;
	} else if (nr == HV_CALL_CHECK_EXTENSION) {
		struct hv_check_extension a = { sizeof(a), 0, any_extension(), 0 };

		memcpy(slot, &a, sizeof(a));
		/* a child learns of INFO's capability chains only */
		*exact = a.extension == HV_EXT_INFO_CAPS ? 1 : 0;
	} else {
		struct hv_console_write a = { sizeof(a), 0, (u32)rnd_below(sizeof(child_text)), 0,
					      CHILD_TEXT };

		memcpy(slot, &a, sizeof(a));
		*exact = a.len;
	}
	return OK;
}

static void emit_call(struct code *c, struct mvm *m, u32 i)
{
	static const u8 vmcall[] = { 0x0f, 0x01, 0xc1 }, vmmcall[] = { 0x0f, 0x01, 0xd9 };
	u64 nr = child_call_nr(), rdi;

	m->slot_allow[i] = child_slot(m, i, nr, &rdi, &m->slot_exact[i]);
	m->slot_nr[i] = nr;
	emit_mov_imm64(c, 0x48, 0xb8, nr);    /* rax */
	emit_mov_imm64(c, 0x48, 0xbf, rdi);   /* rdi */
	emit_mov_imm64(c, 0x48, 0xbe, rnd()); /* rsi */
	emit_mov_imm64(c, 0x48, 0xba, rnd()); /* rdx */
	emit_mov_imm64(c, 0x48, 0xbb, rnd()); /* rbx */
	emit_mov_imm64(c, 0x49, 0xb8, rnd()); /* r8 */
	emit(c, rnd() & 1 ? vmcall : vmmcall, 3);
	emit_store_rax(c, CHILD_RESULTS + 8 * i);
}

static void emit_hypercalls(struct code *c, struct mvm *m)
{
	u8 jmp[5] = { 0xe9 };
	s32 back;

	m->ncalls = 1 + (u32)rnd_below(CHILD_CALLS_MAX);
	for (u32 i = 0; i < m->ncalls; i++)
		emit_call(c, m, i);
	emit(c, (const u8[]){ 0xf4 }, 1); /* hlt */
	back = -(s32)(c->at + sizeof(jmp));
	memcpy(jmp + 1, &back, sizeof(back));
	emit(c, jmp, sizeof(jmp));
}

/* ---- the other programs ------------------------------------------------- */

static void emit_program(struct code *c, struct mvm *m, enum program prog)
{
	u8 io[8] = { 0x66, 0xba, 0, 0, 0xec, 0xee, 0xeb, 0xfc };
	u8 npf[12] = { 0x48, 0xa1 };

	switch (prog) {
	case PROG_SPIN:
		emit(c, (const u8[]){ 0xeb, 0xfe }, 2);
		break;
	case PROG_HLT:
		emit(c, (const u8[]){ 0xf4, 0xeb, 0xfd }, 3);
		break;
	case PROG_IO:
		m->io_port = (u16)rnd();
		memcpy(io + 2, &m->io_port, 2);
		emit(c, io, sizeof(io));
		break;
	case PROG_NPF:
		put64(npf + 2, CHILD_NPF_GPA);
		npf[10] = 0xeb;
		npf[11] = 0xfe;
		emit(c, npf, sizeof(npf));
		break;
	case PROG_TRIPLE:
		emit(c, (const u8[]){ 0x0f, 0x0b }, 2);
		break;
	case PROG_RANDOM:
		for (u32 i = 0; i < 256; i++)
			c->p[c->at++] = (u8)rnd();
		break;
	case PROG_HYPERCALLS:
		emit_hypercalls(c, m);
		break;
	case PROG_CPUID:
		emit(c, (const u8[]){ 0x0f, 0xa2, 0xeb, 0xfc }, 4);
		break;
	default:
		break;
	}
}

const u8 *child_image(struct mvm *m, enum program prog)
{
	struct code c = { image + CHILD_CODE, 0 };

	if (!tables_built)
		build_tables();
	memset(image + CHILD_CODE, 0, CHILD_IMAGE_SIZE - CHILD_CODE);
	memcpy(image + CHILD_TEXT, child_text, sizeof(child_text));
	for (u32 i = 0; i < CHILD_CALLS_MAX; i++)
		put64(image + CHILD_RESULTS + 8 * i, CHILD_SLOT_EMPTY);
	m->ncalls = 0;
	m->calls_chunks = m->chunks;
	emit_program(&c, m, prog);
	return image;
}

enum program child_pick_program(void)
{
	static const u8 weights[PROG_COUNT] = {
		[PROG_SPIN] = 8, [PROG_HLT] = 14, [PROG_IO] = 16, [PROG_NPF] = 7,
		[PROG_TRIPLE] = 6, [PROG_RANDOM] = 8, [PROG_HYPERCALLS] = 35, [PROG_CPUID] = 6,
	};
	u32 total = 0, r;

	for (u32 p = 0; p < PROG_COUNT; p++)
		total += weights[p];
	for (;;) {
		r = (u32)rnd_below(total);
		for (u32 p = 0; p < PROG_COUNT; p++) {
			if (r < weights[p]) {
				if ((p == PROG_TRIPLE && opts.notf) ||
				    (p == PROG_RANDOM && (opts.notf || opts.sti)))
					break; /* draw again */
				return (enum program)p;
			}
			r -= weights[p];
		}
	}
}

static struct hv_segment flat(u16 sel, u16 attr)
{
	return (struct hv_segment){ .selector = sel, .attr = attr, .limit = 0xffffffff };
}

void child_regs(struct hv_vcpu_regs *r, u32 vm, u32 vcpu)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->flags = HV_REGS_GPRS | HV_REGS_SREGS;
	r->vm = vm;
	r->vcpu = vcpu;
	for (u32 i = 0; i < 16; i++)
		r->gprs[i] = rnd();
	r->gprs[7] = CHILD_STACK; /* rsp */
	r->rip = CHILD_CODE;
	r->rflags = 0x202;        /* IF: Bochs preempts only guests with IF set */
	r->cs = flat(0x08, 0xa9b);
	r->ds = r->es = r->fs = r->gs = r->ss = flat(0x10, 0xc93);
	r->tr = (struct hv_segment){ .attr = 0x8b, .limit = 0x67 };
	r->gdt_base = CHILD_GDT;
	r->gdt_limit = 23;
	r->cr0 = 0x80010031; /* PG WP NE ET PE */
	r->cr3 = CHILD_PML4;
	r->cr4 = 0x20;       /* PAE */
	r->efer = 0xd00;     /* NXE LMA LME */
}

/* A vCPU whose code is not known may do anything: with `sti` it might
 * spin with interrupts off (Bochs would never preempt it), with `notf`
 * it might triple fault. */
bool child_runnable(u32 vm, u32 vcpu)
{
	const struct mvm *m = vm_find(vm);

	if (!vcpu_exists(vm, vcpu))
		return true; /* the run fails; nothing runs */
	if (!opts.sti && !opts.notf)
		return true;
	return m->vcpu[vcpu].fresh && m->prog != PROG_RANDOM && m->prog != PROG_NONE;
}

#define R(x) BIT(HV_EXIT_##x)

static u32 program_reasons(const struct mvm *m, u32 vcpu)
{
	u32 call = m->exit_reasons & (R(HYPERCALL) | R(MSR)), mmio = m->exit_reasons & R(MMIO);

	if (!m->vcpu[vcpu].fresh)
		return R(IO) | R(HLT) | R(SHUTDOWN) | R(STAGE2_FAULT) | R(FAILED) | R(TIMESLICE) |
		       call | mmio;
	switch (m->prog) {
	case PROG_SPIN:
	case PROG_CPUID:
		return R(TIMESLICE);
	case PROG_HLT:
		return R(HLT) | R(TIMESLICE);
	case PROG_IO:
		return R(IO) | R(TIMESLICE);
	case PROG_NPF:
		/* with MMIO exits the read completes and the program spins */
		return (child_ram(m->id, CHILD_NPF_GPA, 8) ? 0 : mmio ? mmio : R(STAGE2_FAULT)) |
		       R(TIMESLICE);
	case PROG_TRIPLE:
		return R(SHUTDOWN) | R(TIMESLICE);
	case PROG_HYPERCALLS:
		return R(HLT) | R(TIMESLICE) | call;
	default:
		return R(IO) | R(HLT) | R(SHUTDOWN) | R(STAGE2_FAULT) | R(FAILED) | R(TIMESLICE) |
		       call | mmio;
	}
}

/* A run may end with HV_EXIT_IRQ_WINDOW wherever the VM enabled it (the
 * run asked for it with HV_RUN_IRQ_WINDOW). */
u32 child_reasons(const struct mvm *m, u32 vcpu)
{
	return program_reasons(m, vcpu) | (m->exit_reasons & R(IRQ_WINDOW));
}

/* A well-formed INFO from the child: hv_info and one hv_cap_memory with
 * its own RAM, as it was at some point since its calls started over,
 * cut at argsz; nothing written past that. */
static void check_info(const struct hc *copy, const struct mvm *m, u32 i, const u8 *slot)
{
	struct {
		struct hv_info info;
		struct hv_cap_memory mem;
	} want = { { CHILD_INFO_SIZE, HV_INFO_FLAG_CAPS, HV_ABI_VERSION, sizeof(want.info) },
		   { { HV_CAP_MEMORY, 1, 0 }, PAGE_SIZES, 0, 0 } };
	u32 n = MIN(m->slot_info_argsz[i], (u32)CHILD_INFO_SIZE);

	_Static_assert(sizeof(want) == CHILD_INFO_SIZE, "a child's INFO answer");
	for (u32 b = n; b < SLOT_STRIDE; b++) {
		if (slot[b]) {
			unexpected(copy, "child %s: info with argsz %u wrote byte %u", m->name,
				   m->slot_info_argsz[i], b);
			return;
		}
	}
	for (u32 chunks = m->calls_chunks; chunks <= m->chunks; chunks++) {
		want.mem.total_bytes = (u64)chunks * 2 * MIB;
		if (!memcmp(slot, &want, n))
			return;
	}
	unexpected(copy, "child %s: info (argsz %u) is not its own %u..%u MiB of RAM alone",
		   m->name, m->slot_info_argsz[i], 2 * m->calls_chunks, 2 * m->chunks);
}

static void check_slot(const struct hc *copy, const struct mvm *m, u32 i, u64 got,
		       const u8 *slot)
{
	long v = (long)got;
	bool ok;

	if (got == CHILD_SLOT_EMPTY) {
		unexpected(copy, "child %s: call %u (nr %#llx) never returned", m->name, i,
			   (unsigned long long)m->slot_nr[i]);
		return;
	}
	if (m->slot_nr[i] >= HV_CALL_COUNT)
		ok = v == -HV_ENOSYS || (got & ~0xffULL) == COMPLETE_TAG;
	else if (m->slot_exact[i] >= 0)
		ok = v == m->slot_exact[i];
	else
		ok = in_set(m->slot_allow[i], v);
	if (!ok)
		unexpected(copy, "child %s: call %u (nr %#llx) answered %ld", m->name, i,
			   (unsigned long long)m->slot_nr[i], v);
	else if (m->slot_info_argsz[i])
		check_info(copy, m, i, slot);
	tally.child_calls_checked++;
}

/* After a HLT of a hypercall program: every call ran since it was loaded
 * or since the HLT before; VM_COPY brings the result slots and the
 * structs back for checking. The next round of calls finds INFO's argsz
 * as the hypervisor wrote it, and RAM no smaller than now. */
void child_check_results(struct mvm *m)
{
	u64 buf = scratch + SCRATCH_STRUCTS + 2 * PAGE_SIZE;
	const u8 *slots = (const u8 *)buf + (CHILD_STRUCTS - CHILD_RESULTS);
	struct hv_vm_copy a = { sizeof(a), HV_COPY_FROM_VM, m->id, 0, CHILD_RESULTS, buf,
				CHILD_STRUCTS - CHILD_RESULTS + SLOT_STRIDE * m->ncalls };
	u64 at = scratch + SCRATCH_STRUCTS + PAGE_SIZE;
	struct hc c = { .nr = HV_CALL_VM_COPY, .rdi = at, .allow = OK };

	put_bytes(at, &a, sizeof(a));
	if (issue(&c))
		return;
	for (u32 i = 0; i < m->ncalls; i++) {
		check_slot(&c, m, i, ((const u64 *)buf)[i], slots + i * SLOT_STRIDE);
		if (m->slot_info_argsz[i])
			m->slot_info_argsz[i] = CHILD_INFO_SIZE;
	}
	m->calls_chunks = m->chunks;
}

u64 complete_value(void)
{
	return COMPLETE_TAG | rnd_below(256);
}
