/* Hypercalls from ring 3 of VM 0: every number, defined or not, through
 * VMCALL and VMMCALL, answers -EPERM, and the hypervisor neither reads
 * nor writes the struct RDI points at. The same calls from CPL 0 show
 * that the check can fail: there they fill or size-check the struct, and
 * an unmapped struct gets -EFAULT. */
#include "guests/lib/hv.h"
#include "guests/lib/test.h"
#include "guests/lib/user.h"
#include "lib/string.h"

const char test_title[] = "Hypercalls from CPL 3: -EPERM, guest memory untouched";

#define FILL 0xa5
#define UNKNOWN_CALLS 6

static const u64 unknown_calls[UNKNOWN_CALLS] = {
	HV_CALL_COUNT, 0x100, 0xdead, 0x80000000ULL, 1ULL << 32, ~0ULL,
};

/* The numbers below HV_CALL_COUNT that are calls (there may be gaps). */
static const bool defined_calls[HV_CALL_COUNT] = {
#define ABI_CALL(nr, name, type, dir) [nr] = true,
#define ABI_CALL_NOARG(nr, name) [nr] = true,
#include "abi/hv_abi.def"
};

static u8 arg[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static u8 before[PAGE_SIZE];

struct call {
	u64 nr, rdi;
	bool vmmcall;
};

static u64 user_hypercall(u64 p)
{
	const struct call *c = (const struct call *)p;

	return (u64)(c->vmmcall ? hypercall_vmmcall(c->nr, c->rdi) :
				  hypercall_vmcall(c->nr, c->rdi));
}

static long call_at(bool user, u64 nr, u64 rdi, bool vmmcall)
{
	struct call c = { nr, rdi, vmmcall };

	return user ? (long)run_user(user_hypercall, (u64)&c) : (long)user_hypercall((u64)&c);
}

static u64 user_cpl(u64 unused)
{
	(void)unused;
	return current_cpl();
}

/* A recognizable struct that every call would act on from CPL 0: the
 * output structs get an argsz that fits; for the rest, the fill pattern
 * as `size` is a larger, non-zero-tailed struct: -E2BIG with the size
 * written back. */
static void prepare_arg(u64 nr)
{
	memset(arg, FILL, sizeof(arg));
	if (nr == HV_CALL_INFO) {
		((struct hv_info *)arg)->argsz = sizeof(arg);
	} else if (nr == HV_CALL_STATS) {
		struct hv_stats *s = (struct hv_stats *)arg;

		s->argsz = sizeof(*s);
		s->flags = s->vm = s->reserved = 0;
	}
	memcpy(before, arg, sizeof(arg));
}

static bool arg_unchanged(void)
{
	return !memcmp(arg, before, sizeof(arg));
}

/* Guest-physical memory VM 0 does not have: past its RAM. */
static u64 unmapped_gpa(void)
{
	const struct hv_boot_mem_range *m = &boot_info->memmap[0];

	return MAX(m->base + m->length, (u64)0x40000000);
}

static u32 user_calls, user_ok;

static void check_user_call(u64 nr, bool vmmcall)
{
	const char *insn = vmmcall ? "vmmcall" : "vmcall";
	long r;

	prepare_arg(nr);
	r = call_at(true, nr, (u64)arg, vmmcall);
	CHECK(r == -HV_EPERM, "CPL 3 %s %#llx: %ld, want -EPERM", insn, (unsigned long long)nr, r);
	CHECK(arg_unchanged(), "CPL 3 %s %#llx changed its struct", insn, (unsigned long long)nr);
	user_ok += r == -HV_EPERM && arg_unchanged();
	r = call_at(true, nr, unmapped_gpa(), vmmcall);
	CHECK(r == -HV_EPERM, "CPL 3 %s %#llx, unmapped struct: %ld, want -EPERM", insn,
	      (unsigned long long)nr, r);
	user_ok += r == -HV_EPERM;
	user_calls += 2;
}

/* What the same struct gets from CPL 0. */
static void check_kernel_call(u64 nr, bool vmmcall)
{
	bool known = nr < HV_CALL_COUNT && defined_calls[nr];
	bool writes = nr == HV_CALL_INFO || nr == HV_CALL_STATS;
	/* the calls that read a 16-byte header refuse its flags, no size */
	bool header = nr == HV_CALL_VCPU_GET_REGS || nr == HV_CALL_VCPU_GET_LAPIC ||
		      nr == HV_CALL_CPU_STATS;
	long want = nr == HV_CALL_ABI_VERSION ? (long)HV_ABI_VERSION : !known ? -HV_ENOSYS :
		    writes ? 0 : header ? -HV_EINVAL : -HV_E2BIG;
	long want_unmapped = known && nr != HV_CALL_ABI_VERSION ? -HV_EFAULT : want;
	long r;

	prepare_arg(nr);
	if (nr == HV_CALL_VCPU_RUN_PAGED) { /* registers only: RDI is no VM */
		r = call_at(false, nr, (u64)arg, vmmcall);
		CHECK((r == -HV_ENOENT || r == -HV_EINVAL) && arg_unchanged(),
		      "CPL 0 vcpu_run_paged with an address as vm: %ld", r);
		return;
	}
	r = call_at(false, nr, (u64)arg, vmmcall);
	CHECK(r == want, "CPL 0 call %#llx: %ld, want %ld", (unsigned long long)nr, r, want);
	/* -E2BIG writes the hypervisor's size back; INFO and STATS answer */
	CHECK(arg_unchanged() == (want != 0 && want != -HV_E2BIG),
	      "CPL 0 call %#llx: struct %s", (unsigned long long)nr,
	      arg_unchanged() ? "untouched" : "changed");
	r = call_at(false, nr, unmapped_gpa(), vmmcall);
	CHECK(r == want_unmapped, "CPL 0 call %#llx, unmapped struct: %ld, want %ld",
	      (unsigned long long)nr, r, want_unmapped);
}

static void for_each_call(void (*fn)(u64 nr, bool vmmcall))
{
	for (int vmmcall = 0; vmmcall < 2; vmmcall++) {
		for (u64 nr = 0; nr < HV_CALL_COUNT; nr++)
			fn(nr, vmmcall);
		for (int i = 0; i < UNKNOWN_CALLS; i++)
			fn(unknown_calls[i], vmmcall);
	}
}

static void set_trace(u64 on)
{
	long r = hv_feature(HV_FEATURE_TRACE | HV_FEATURE_SET, 0, &on);

	CHECK(r == 0, "FEATURE trace set: %ld", r);
}

void test_main(void)
{
	u64 cpl;

	user_init();
	cpl = run_user(user_cpl, 0);
	gprintf("run_user: the function ran at CPL %llu, back at CPL %u\n",
		(unsigned long long)cpl, current_cpl());
	CHECK(cpl == 3 && current_cpl() == 0, "CPL %llu in run_user, %u after",
	      (unsigned long long)cpl, current_cpl());

	set_trace(HV_TRACE_HYPERCALLS); /* the trace shows no struct was copied */
	for_each_call(check_user_call);
	set_trace(0);
	gprintf("CPL 3: %u of %u calls (%u numbers x vmcall, vmmcall x struct, unmapped) "
		"-> -EPERM, struct untouched\n", user_ok, user_calls,
		HV_CALL_COUNT + UNKNOWN_CALLS);
	CHECK(user_ok == user_calls, "%u CPL 3 calls misbehaved", user_calls - user_ok);

	for_each_call(check_kernel_call);
	gprintf("CPL 0: abi_version = %ld (vmcall), %ld (vmmcall); info and stats filled, "
		"sized calls -E2BIG with the size written back, unmapped -> -EFAULT\n",
		call_at(false, HV_CALL_ABI_VERSION, 0, false),
		call_at(false, HV_CALL_ABI_VERSION, 0, true));
	CHECK(call_at(false, HV_CALL_ABI_VERSION, 0, true) == HV_ABI_VERSION,
	      "abi_version from CPL 0");
}
