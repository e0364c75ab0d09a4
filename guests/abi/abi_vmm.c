/* The VMM side of the ABI test: runs the child and checks each exit. */
#include "guests/abi/abi.h"
#include "guests/abi/abi_child.h"
#include "guests/lib/test.h"
#include "lib/string.h"

#ifndef ABI_CALLER
#define ABI_CALLER 1
#endif

/* Where exits land: the v1 call's record (old callers), or the run page
 * (current and future callers, when the hypervisor offers one). */
static struct hv_exit v1_exit;
static struct hv_exit *ex = &v1_exit;
static struct hv_run_page *page;

#if HV_ABI_HEADER_REVISION >= 2 /* the run page: absent from the v1 headers */
static u8 page_store[4096] __attribute__((aligned(4096)));

static long paged_run(u32 vm, bool complete, u64 value)
{
	page->complete_value = value;
	return hv_vcpu_run_paged(vm, 0, complete);
}

static long page_set(u32 size, u32 flags, u32 vm, u32 vcpu, u64 gpa)
{
	struct hv_vcpu_run_page_set a = { size, flags, vm, vcpu, gpa };

	return hv_call(HV_CALL_VCPU_RUN_PAGE_SET, &a);
}

/* The run page's error cases (docs/abi.md), then the page the rest of the
 * child's exits land in. */
static void check_run_page(u32 vm)
{
	struct hv_run_page *p = (struct hv_run_page *)page_store;
	u64 gpa = (u64)page_store;
	u32 sz = sizeof(struct hv_vcpu_run_page_set);

	CHECK(hv_check_extension(HV_EXT_RUN_PAGE) == HV_RUN_PAGE_SIZE_VER0,
	      "HV_EXT_RUN_PAGE = %ld", hv_check_extension(HV_EXT_RUN_PAGE));
	CHECK(hv_vcpu_run_paged(vm, 0, false) == -HV_EINVAL, "paged run without a page");
	CHECK(page_set(sz - 1, 0, vm, 0, gpa) == -HV_EINVAL, "page set: size VER0-1");
	CHECK(page_set(sz, 2, vm, 0, gpa) == -HV_EINVAL, "page set: unknown flag");
	CHECK(page_set(sz, 0, vm, 0, gpa + 8) == -HV_EINVAL, "page set: unaligned");
	CHECK(page_set(sz, HV_RUN_PAGE_CLEAR, vm, 0, gpa) == -HV_EINVAL, "clear with a gpa");
	CHECK(page_set(sz, 0, vm, 0, VM0_RAM_END) == -HV_EFAULT, "page set: past RAM");
	CHECK(page_set(sz, 0, vm, 0, 0xfee00000) == -HV_EFAULT, "page set: APIC hole");
	CHECK(page_set(sz, 0, 0, 0, gpa) == -HV_EPERM, "page set: VM 0");
	CHECK(page_set(sz, 0, 9999, 0, gpa) == -HV_ENOENT, "page set: no VM");
	CHECK(page_set(sz, 0, vm, 1, gpa) == -HV_ENOENT, "page set: no vCPU");
	CHECK(hypercall3(HV_CALL_VCPU_RUN_PAGED, vm | 1ULL << 32, 0, 0) == -HV_EINVAL,
	      "paged run: upper bits of vm");
	CHECK(hypercall3(HV_CALL_VCPU_RUN_PAGED, vm, 0, 2) == -HV_EINVAL, "paged run: flag");
	CHECK(hv_vcpu_run_paged(0, 0, false) == -HV_EPERM, "paged run: VM 0");
	CHECK(hv_vcpu_run_paged(vm, 1, false) == -HV_ENOENT, "paged run: no vCPU");
	memset(page_store, 0xa5, sizeof(page_store));
	CHECK(page_set(sz, 0, vm, 0, gpa) == 0, "page set");
	CHECK(p->size == HV_RUN_PAGE_SIZE_VER0 && p->flags == 0 && p->vm == vm && p->vcpu == 0 &&
	      p->exit.argsz == HV_EXIT_SIZE_VER0 && p->exit.reason == 0 && p->complete_value == 0 &&
	      page_store[HV_RUN_PAGE_SIZE_VER0] == 0xa5, "page header after registration");
	CHECK(hv_vcpu_run_page_set(vm, 0, NULL) == 0 && hv_vcpu_run_page_set(vm, 0, NULL) == 0,
	      "clear, twice");
	CHECK(hv_vcpu_run_paged(vm, 0, false) == -HV_EINVAL, "paged run after clear");
	CHECK(hv_vcpu_run_page_set(vm, 0, p) == 0 && hv_vcpu_run_page_set(vm, 0, p) == 0,
	      "register, twice");
	page = p;
	ex = &p->exit;
	gprintf("run page: errors checked, registered at 0x%llx (%u bytes), exits land there\n",
		(unsigned long long)gpa, p->size);
}
#else
/* Built against the v1 headers (abi/v1): every exit lands in v1_exit. */
static long paged_run(u32 vm, bool complete, u64 value)
{
	(void)vm, (void)complete, (void)value;
	return -HV_ENOSYS;
}

static void check_run_page(u32 vm)
{
	(void)vm;
}
#endif

static long run(u32 vm, bool complete, u64 value)
{
	long r = page ? paged_run(vm, complete, value) : hv_vcpu_run(vm, 0, ex, complete, value);

	if (r < 0)
		test_fail("vcpu_run = %ld", r);
	return r;
}

static bool expect_out(u32 vm, u16 port, u64 value, const char *what)
{
	run(vm, false, 0);
	if (ex->reason != HV_EXIT_IO || ex->u.io.port != port || ex->u.io.direction) {
		test_fail("%s: exit %u port 0x%x", what, ex->reason, ex->u.io.port);
		return false;
	}
	CHECK(ex->u.io.value == value, "%s: 0x%llx, want 0x%llx", what,
	      (unsigned long long)ex->u.io.value, (unsigned long long)value);
	return true;
}

static void check_eperm(u32 vm)
{
	for (u32 nr = 3; nr < 14; nr++)
		if (nr != HV_CALL_CONSOLE_WRITE &&
		    !expect_out(vm, CHILD_PORT_EPERM, (u32)-HV_EPERM, "management call"))
			return;
	gprintf("child: every management call -> -EPERM\n");
	expect_out(vm, CHILD_PORT_RESULT, HV_ABI_VERSION, "child abi_version");
	expect_out(vm, CHILD_PORT_RESULT, sizeof(CHILD_MESSAGE) - 1, "child console_write");
}

/* The child's INFO shows its own RAM and nothing of the host: one
 * memory capability, no backend, no limits; CHECK_EXTENSION's host
 * limits are absent for it. */
static void check_child_info(u32 vm)
{
	static u8 buf[CHILD_INFO_SIZE] __attribute__((aligned(8)));
	u64 gpa = HV_CHILD_CODE + (u64)(child_info_buf - child_code_start);
	const struct hv_cap_memory *m;
	u32 len;

	if (!expect_out(vm, CHILD_PORT_RESULT, 0, "child info") ||
	    !expect_out(vm, CHILD_PORT_RESULT, 0, "child check_extension(MAX_VMS)"))
		return;
	if (hv_vm_copy(vm, HV_COPY_FROM_VM, gpa, buf, sizeof(buf))) {
		test_fail("cannot read the child's INFO answer");
		return;
	}
	len = ((struct hv_info *)buf)->argsz;
	m = (const void *)hv_info_find_cap(buf, sizeof(buf), HV_CAP_MEMORY);
	CHECK(len == sizeof(struct hv_info) + sizeof(struct hv_cap_memory),
	      "child info argsz %u: more than its memory capability", len);
	CHECK(!hv_info_find_cap(buf, sizeof(buf), HV_CAP_BACKEND) &&
	      !hv_info_find_cap(buf, sizeof(buf), HV_CAP_LIMITS), "host facts shown to a child");
	if (!m) {
		test_fail("child info without a memory capability");
		return;
	}
	CHECK(m->total_bytes == CHILD_MEM_SIZE && m->free_bytes == 0,
	      "child info: total %llu, free %llu", (unsigned long long)m->total_bytes,
	      (unsigned long long)m->free_bytes);
	gprintf("child: INFO shows only its own %llu MiB, free %llu\n",
		(unsigned long long)(m->total_bytes >> 20), (unsigned long long)m->free_bytes);
}

/* An exit record whose tail is not RAM: -EFAULT, and the child has not
 * run (its first exit would have been lost). */
static void check_exit_record_first(u32 vm)
{
	struct hv_exit *edge = (void *)(VM0_RAM_END - 64);
	struct hv_vcpu_regs r;
	struct hv_stats st;

	CHECK(hv_vcpu_run(vm, 0, edge, false, 0) == -HV_EFAULT,
	      "exit record running off the end of RAM");
	CHECK(hv_vcpu_get_regs(vm, 0, &r) == 0 && r.rip == HV_CHILD_CODE,
	      "the child ran: rip 0x%llx", (unsigned long long)r.rip);
	CHECK(hv_stats(HV_STATS_VM, vm, &st) == 0 && st.exits == 0,
	      "the child ran: %llu exits", (unsigned long long)st.exits);
	gprintf("child: exit record off the end of RAM -> -EFAULT, child not run\n");
}

/* IN: the child waits for our value and echoes it. */
static void check_in(u32 vm)
{
	run(vm, false, 0);
	CHECK(ex->reason == HV_EXIT_IO && ex->u.io.port == CHILD_PORT_IN && ex->u.io.direction == 1 &&
	      ex->u.io.size == 4, "IN exit: reason %u port 0x%x", ex->reason, ex->u.io.port);
	run(vm, true, 0x5a5a1234);
	CHECK(ex->reason == HV_EXIT_IO && ex->u.io.port == CHILD_PORT_ECHO &&
	      ex->u.io.value == 0x5a5a1234, "echo 0x%llx", (unsigned long long)ex->u.io.value);
	gprintf("child: IN completed by the VMM, echoed 0x%llx\n", (unsigned long long)ex->u.io.value);
}

/* The unknown hypercall reaches us only if we enabled HV_EXIT_HYPERCALL
 * (old callers cannot: their vm_create has no exit_reasons field). */
static void check_forwarding(u32 vm)
{
	run(vm, false, 0);
	if (ABI_CALLER == 0) {
		CHECK(ex->reason == HV_EXIT_IO && ex->u.io.value == (u32)-HV_ENOSYS,
		      "old caller: unknown hypercall gave reason %u value 0x%llx", ex->reason,
		      (unsigned long long)ex->u.io.value);
		gprintf("child: unknown hypercall -> -ENOSYS (no optional exits for old callers)\n");
		return;
	}
	CHECK(ex->reason == HV_EXIT_HYPERCALL && ex->u.hypercall.nr == CHILD_UNKNOWN_CALL &&
	      ex->u.hypercall.arg == CHILD_UNKNOWN_ARG, "forwarded hypercall: reason %u", ex->reason);
	run(vm, true, 42);
	CHECK(ex->reason == HV_EXIT_IO && ex->u.io.port == CHILD_PORT_FWD && ex->u.io.value == 42,
	      "forwarded hypercall result 0x%llx", (unsigned long long)ex->u.io.value);
	gprintf("child: unknown hypercall forwarded to the VMM, answered 42\n");
}

static void check_end(u32 vm)
{
	run(vm, false, 0);
	CHECK(ex->reason == HV_EXIT_HLT, "HLT exit: reason %u", ex->reason);
	run(vm, false, 0);
	CHECK(ex->reason == HV_EXIT_STAGE2_FAULT && ex->u.fault.gpa == CHILD_FAULT_GPA &&
	      ex->u.fault.access == 1, "fault exit: reason %u gpa 0x%llx", ex->reason,
	      (unsigned long long)ex->u.fault.gpa);
	gprintf("child: HLT, then stage-2 fault at 0x%llx reported to the VMM\n",
		(unsigned long long)ex->u.fault.gpa);
	CHECK(hv_vcpu_run(vm, 0, &v1_exit, false, 0) == -HV_ESRCH, "run of a stopped VM");
	if (page)
		CHECK(paged_run(vm, false, 0) == -HV_ESRCH, "paged run of a stopped VM");
}

void run_child(u32 vm)
{
	long err;

	if (hv_vcpu_create(vm) != 0 || (err = hv_child_boot_long_mode(vm, 0, child_code_start,
					child_code_end - child_code_start))) {
		test_fail("child set-up failed");
		return;
	}
	check_exit_record_first(vm);
	if (ABI_CALLER >= 1)
		check_run_page(vm);
	check_eperm(vm);
	check_child_info(vm);
	check_in(vm);
	check_forwarding(vm);
	check_end(vm);
}

/* Every call that names a VM, naming `id`: all must get -ENOENT. */
static void check_gone(u32 id)
{
	static struct hv_exit run_exit;
	struct hv_stats st;
	u64 v = 0;
	u8 byte = 0;

	run_exit.argsz = sizeof(run_exit);
	CHECK(hv_vm_destroy(id) == -HV_ENOENT, "vm_destroy of a stale id");
	CHECK(hv_vm_add_memory(id, 64 << 20, 2 << 20) == -HV_ENOENT, "vm_add_memory of a stale id");
	CHECK(hv_vm_copy(id, HV_COPY_TO_VM, 0, &byte, 1) == -HV_ENOENT, "vm_copy to a stale id");
	CHECK(hv_vcpu_create(id) == -HV_ENOENT, "vcpu_create in a stale id");
	CHECK(hv_vcpu_run(id, 0, &run_exit, false, 0) == -HV_ENOENT, "vcpu_run of a stale id");
	CHECK(hv_stats(HV_STATS_VM, id, &st) == -HV_ENOENT, "stats of a stale id");
	CHECK(hv_feature(HV_FEATURE_EXIT_REASONS | HV_FEATURE_GET, id, &v) == -HV_ENOENT,
	      "feature of a stale id");
}

/* A then B take the same slot one after the other: B must get a new id,
 * and A's id must name nothing. */
void check_stale_ids(void)
{
	struct hv_stats st;
	long a = create_child("stale-a", 0, 0), b;

	if (a <= 0 || hv_vm_destroy(a)) {
		test_fail("create and destroy A: %ld", a);
		return;
	}
	b = create_child("fresh-b", 0, 0);
	if (b <= 0) {
		test_fail("create B: %ld", b);
		return;
	}
	CHECK(b != a, "B got the destroyed A's id %ld", a);
	check_gone(a);
	CHECK(hv_vcpu_create(b) == 0, "vcpu_create in B");
	CHECK(hv_stats(HV_STATS_VM, b, &st) == 0, "stats of B");
	CHECK(hv_vm_destroy(b) == 0, "destroy B");
	check_gone(b);
	gprintf("vm ids: A %ld destroyed, B got %ld, A's id -> -ENOENT\n", a, b);
}
