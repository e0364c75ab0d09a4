/* `selftest`: every call that takes a struct, given one VM 0 does not own
 * (beyond its RAM, in the APIC hole, at the top of the address space, or
 * straddling the end of its RAM), and every embedded buffer pointer
 * given such an address, must fail with -EFAULT. The calls go out raw:
 * libhv's wrappers would touch the bad memory themselves. */
#include "guests/mgmt/mgmt.h"

#define ST_NAME "selftest-tmp"

static u32 checks, failed;

static void check(const char *what, u64 addr, long got)
{
	checks++;
	if (got == -HV_EFAULT)
		return;
	failed++;
	gprintf("selftest: FAILED %s at 0x%llx: got %s, want -EFAULT\n", what,
		(unsigned long long)addr, err_name(got));
}

static u64 ram_end(void)
{
	const struct hv_boot_mem_range *m = &boot_info->memmap[0];

	return boot_info->memmap_count ? m->base + m->length : 0;
}

/* Addresses of memory VM 0 does not own. */
static u32 bad_addrs(u64 *a)
{
	u64 end = ram_end();

	a[0] = MAX(end, (u64)0x40000000);
	a[1] = 0xfee00000; /* the local APIC's page, never RAM */
	a[2] = 0xfffffffffffff000ULL;
	return 3;
}

/* Every call of the headers this hvctl is built against (abi/hv_abi.def):
 * its name and how it takes its argument (a number no row names: none). */
enum call_arg { ARG_NOARG, ARG_REGS, ARG_IN, ARG_OUT, ARG_INOUT };
static const struct call {
	const char *name;
	enum call_arg arg;
} calls[HV_CALL_COUNT] = {
#define ABI_CALL(nr, name, type, dir) [nr] = { name, ARG_##dir },
#define ABI_CALL_NOARG(nr, name) [nr] = { name, ARG_NOARG },
#include "abi/hv_abi.def"
};

/* The struct itself at a bad address, for every call that takes one. */
static void bad_structs(void)
{
	u64 bad[4];
	u32 n = bad_addrs(bad);

	for (u32 nr = 0; nr < HV_CALL_COUNT; nr++)
		for (u32 i = 0; calls[nr].arg >= ARG_IN && i < n; i++)
			check(calls[nr].name, bad[i], hypercall(nr, bad[i]));
}

/* A struct whose first 8 bytes are VM 0's last ones: the size/argsz is
 * readable, the rest is not. */
static void straddling_structs(void)
{
	static const u32 straddle[] = { HV_CALL_INFO, HV_CALL_VM_CREATE, HV_CALL_VM_COPY,
					HV_CALL_VCPU_SET_REGS, HV_CALL_STATS };
	volatile u32 *p = (volatile u32 *)(ram_end() - 8);
	u32 saved[2] = { p[0], p[1] };

	for (u32 i = 0; i < ARRAY_SIZE(straddle); i++) {
		p[0] = straddle[i] == HV_CALL_VM_CREATE ? HV_VM_CREATE_SIZE_VER1 : 352;
		p[1] = 0;
		check(calls[straddle[i]].name, (u64)p, hypercall(straddle[i], (u64)p));
	}
	p[0] = saved[0];
	p[1] = saved[1];
}

static void bad_console_buf(u64 buf, u32 len)
{
	struct hv_console_write a = { sizeof(a), 0, len, 0, buf };

	check("console_write buf", buf, hv_call(HV_CALL_CONSOLE_WRITE, &a));
}

static void bad_copy(u32 vm, u32 flags, u64 gpa, u64 buf, u64 len, const char *what)
{
	struct hv_vm_copy a = { sizeof(a), flags, vm, 0, gpa, buf, len };

	check(what, buf, hv_call(HV_CALL_VM_COPY, &a));
}

static void bad_run_exit(u32 vm, u64 exit)
{
	struct hv_vcpu_run a = { .size = sizeof(a), .vm = vm, .exit = exit };

	check("vcpu_run exit", exit, hv_call(HV_CALL_VCPU_RUN, &a));
}

#if HV_ABI_HEADER_REVISION >= 2
/* A run page VM 0 does not own (every bad address is page-aligned). */
static void bad_run_page(u32 vm, u64 page)
{
	struct hv_vcpu_run_page_set a = { sizeof(a), 0, vm, 0, page };

	check("vcpu_run_page_set gpa", page, hv_call(HV_CALL_VCPU_RUN_PAGE_SET, &a));
}
#else /* the v1 headers: no run page */
static void bad_run_page(u32 vm, u64 page)
{
	(void)vm, (void)page;
}
#endif

/* Embedded pointers: console text, VM_COPY's buffer and child range,
 * VCPU_RUN's exit record, the run page. */
static void bad_buffers(u32 vm)
{
	static u8 good[64];
	u64 bad[4], end = ram_end();
	u32 n = bad_addrs(bad);

	for (u32 i = 0; i < n; i++) {
		bad_console_buf(bad[i], 16);
		bad_copy(vm, HV_COPY_TO_VM, 0x100000, bad[i], 16, "vm_copy to_vm buf");
		bad_copy(vm, HV_COPY_FROM_VM, 0x100000, bad[i], 16, "vm_copy from_vm buf");
		bad_run_exit(vm, bad[i]);
		bad_run_page(vm, bad[i]);
	}
	bad_console_buf(end - 4, 16);
	bad_copy(vm, HV_COPY_TO_VM, 0x100000, end - 4, 16, "vm_copy to_vm buf");
	bad_copy(vm, HV_COPY_FROM_VM, 0x100000, end - 4, 16, "vm_copy from_vm buf");
	checks++;
	if (hv_vm_copy(vm, HV_COPY_TO_VM, 0x40000000, good, sizeof(good)) != -HV_EFAULT) {
		failed++;
		gprintf("selftest: FAILED vm_copy to child 0x40000000 (beyond its RAM)\n");
	}
}

static void with_child(void)
{
	long vm = hv_vm_create(ST_NAME, 2 * MIB, 1, 0);

	if (vm < 0 || hv_vcpu_create((u32)vm) < 0) {
		gprintf("selftest: FAILED: cannot create the helper VM: %s\n", err_name(vm));
		failed++;
		if (vm >= 0)
			hv_vm_destroy((u32)vm);
		return;
	}
	bad_buffers((u32)vm);
	hv_vm_destroy((u32)vm);
}

void cmd_selftest(struct words *ws)
{
	(void)ws;
	checks = failed = 0;
	bad_structs();
	straddling_structs();
	with_child();
	if (hv_abi_version() != HV_ABI_VERSION) {
		failed++;
		gprintf("selftest: FAILED: the hypervisor no longer answers abi_version\n");
	}
	gprintf("selftest: %u checks\n", checks);
	if (failed) {
		gprintf("selftest: bad pointers -> -EFAULT: %u FAILED\n", failed);
		mgmt_failed();
	} else {
		gprintf("selftest: bad pointers -> -EFAULT: ok\n");
	}
}
