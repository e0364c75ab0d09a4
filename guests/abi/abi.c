/* ABI compatibility test, built three ways (ABI_CALLER):
 *   0 "old"     callers: structs of the first published sizes (VER0)
 *   1 "current" callers: the sizes of this abi/hv_abi.h
 *   2 "future"  callers: structs larger than the hypervisor knows, with a
 *               zero tail (accepted) and a non-zero tail (-E2BIG, size
 *               written back)
 * Each build checks the size rules, argsz and capability chains,
 * CHECK_EXTENSION and FEATURE, then acts as the VMM of an unprivileged
 * child VM (abi_child.S) that must get -EPERM for every management call. */
#include "guests/abi/abi.h"
#include "guests/abi/abi_child.h"
#include "guests/lib/test.h"
#include "lib/string.h"

#ifndef ABI_CALLER
#define ABI_CALLER 1
#endif

#if ABI_CALLER == 0
const char test_title[] = "ABI compatibility: old caller (VER0 structs)";
#elif ABI_CALLER == 1
const char test_title[] = "ABI compatibility: current caller";
#else
const char test_title[] = "ABI compatibility: future caller (larger structs)";
#endif

/* A vm_create struct as each caller generation sees it. */
struct vm_create_future {
	struct hv_vm_create cur;
	u64 future_field;  /* a field this hypervisor does not know */
	u64 future_field2;
};

static u32 vm_create_size(void)
{
	return ABI_CALLER == 0 ? HV_VM_CREATE_SIZE_VER0 :
	       ABI_CALLER == 1 ? HV_VM_CREATE_SIZE_VER1 : sizeof(struct vm_create_future);
}

long create_child(const char *name, u32 exit_reasons, u64 tail)
{
	static struct vm_create_future a;

	memset(&a, 0, sizeof(a));
	a.cur.size = vm_create_size();
	a.cur.mem_size = CHILD_MEM_SIZE;
	a.cur.vcpus = 1;
	hv_strlcpy(a.cur.name, name, sizeof(a.cur.name));
	if (ABI_CALLER >= 1)
		a.cur.exit_reasons = exit_reasons;
	a.future_field = tail;
	return hv_call(HV_CALL_VM_CREATE, &a);
}

static void check_size_rules(void)
{
	struct hv_check_extension x = { HV_CHECK_EXTENSION_SIZE_VER0 - 1, 0, HV_EXT_FEATURE, 0 };
	struct hv_vm_destroy d = { sizeof(d), 0, 99, 0 };

	CHECK(hv_call(HV_CALL_CHECK_EXTENSION, &x) == -HV_EINVAL, "size VER0-1 accepted");
	x.size = HV_CHECK_EXTENSION_SIZE_VER0;
	CHECK(hv_call(HV_CALL_CHECK_EXTENSION, &x) == 1, "check_extension(FEATURE)");
	x.flags = 0x80;
	CHECK(hv_call(HV_CALL_CHECK_EXTENSION, &x) == -HV_EINVAL, "unknown flag accepted");
	x.flags = 0;
	x.reserved = 1;
	CHECK(hv_call(HV_CALL_CHECK_EXTENSION, &x) == -HV_EINVAL, "reserved field accepted");
	x.reserved = 0;
	x.extension = 0xdead;
	CHECK(hv_call(HV_CALL_CHECK_EXTENSION, &x) == 0, "unknown extension not 0");
	CHECK(hv_call(HV_CALL_VM_DESTROY, &d) == -HV_ENOENT, "destroy of vm 99");
	d.vm = 0;
	CHECK(hv_call(HV_CALL_VM_DESTROY, &d) == -HV_EPERM, "VM 0 destroyed through the ABI");
	gprintf("size rules: VER0-1, unknown flags, reserved fields -> -EINVAL\n");
}

/* A struct at an address that is not RAM, and one that runs off the end
 * of RAM, both -EFAULT. */
static void check_bad_pointers(void)
{
	struct hv_check_extension *edge = (void *)(VM0_RAM_END - 8);

	CHECK(hypercall(HV_CALL_CHECK_EXTENSION, 0x40000000) == -HV_EFAULT, "unmapped struct");
	edge->size = sizeof(*edge);
	edge->flags = 0;
	CHECK(hypercall(HV_CALL_CHECK_EXTENSION, (u64)edge) == -HV_EFAULT,
	      "struct running off the end of RAM");
	CHECK(hv_console_write((const char *)(VM0_RAM_END - 4), 16) == -HV_EFAULT,
	      "console text off the end of RAM");
	gprintf("bad pointers: -EFAULT\n");
}

static void check_info(void)
{
	static u8 buf[512] __attribute__((aligned(8)));
	struct hv_info small = { .argsz = sizeof(small) };
	const struct hv_cap_backend *b;
	const struct hv_cap_memory *m;

	CHECK(hv_call(HV_CALL_INFO, &small) == 0, "info with a small buffer");
	CHECK(small.argsz > sizeof(small), "argsz did not grow: %u", small.argsz);
	small.argsz = 4;
	CHECK(hv_call(HV_CALL_INFO, &small) == -HV_EINVAL, "argsz 4 accepted");
	CHECK(hv_info(buf, sizeof(buf)) == 0, "info retry");
	b = (const void *)hv_info_find_cap(buf, sizeof(buf), HV_CAP_BACKEND);
	m = (const void *)hv_info_find_cap(buf, sizeof(buf), HV_CAP_MEMORY);
	CHECK(b && m && hv_info_find_cap(buf, sizeof(buf), HV_CAP_LIMITS), "capabilities missing");
	CHECK(!hv_info_find_cap(buf, sizeof(buf), 0x7777), "unknown capability found");
	if (b && m)
		gprintf("info: argsz %u, backend %s on %s, %llu MiB free\n",
			((struct hv_info *)buf)->argsz, b->backend, b->vendor,
			(unsigned long long)(m->free_bytes >> 20));
}

static void check_feature(u32 vm)
{
	u64 v = 0;

	CHECK(hv_feature(HV_FEATURE_EXIT_REASONS | HV_FEATURE_GET | HV_FEATURE_SET, vm, &v) ==
	      -HV_EINVAL, "GET|SET without PROBE");
	CHECK(hv_feature(0x55 | HV_FEATURE_GET, 0, &v) == -HV_ENOTTY, "absent feature");
	v = 1u << HV_EXIT_HYPERCALL;
	CHECK(hv_feature(HV_FEATURE_EXIT_REASONS | HV_FEATURE_SET | HV_FEATURE_PROBE, vm, &v) == 0,
	      "PROBE of a valid SET");
	v = 1;
	CHECK(hv_feature(HV_FEATURE_EXIT_REASONS | HV_FEATURE_SET | HV_FEATURE_PROBE, vm, &v) ==
	      -HV_EINVAL, "PROBE of an invalid SET");
	v = 0;
	CHECK(hv_feature(HV_FEATURE_EXIT_REASONS | HV_FEATURE_GET, vm, &v) == 0, "GET");
	gprintf("feature: exit reasons of the child 0x%llx\n", (unsigned long long)v);
	CHECK(v == (ABI_CALLER == 0 ? 0 : 1u << HV_EXIT_HYPERCALL),
	      "exit reasons 0x%llx for this caller", (unsigned long long)v);
}

static void check_future_tail(void)
{
	static struct vm_create_future a;

	if (ABI_CALLER != 2)
		return;
	CHECK(create_child("tail", 0, 0x1234) == -HV_E2BIG, "non-zero tail accepted");
	memset(&a, 0, sizeof(a));
	a.cur.size = sizeof(a);
	a.future_field = 1;
	hv_call(HV_CALL_VM_CREATE, &a);
	CHECK(a.cur.size == HV_VM_CREATE_SIZE_VER1, "size written back: %u", a.cur.size);
	gprintf("future caller: non-zero tail -> -E2BIG, size written back %u\n", a.cur.size);
}

void test_main(void)
{
	struct hv_stats before, after;
	long vm;

	check_size_rules();
	check_bad_pointers();
	check_info();
	check_future_tail();
	hv_stats(0, 0, &before);
	vm = create_child("child", 1u << HV_EXIT_HYPERCALL, 0);
	gprintf("vm_create(size=%u) = %ld\n", vm_create_size(), vm);
	if (vm <= 0) {
		test_fail("vm_create failed: %ld", vm);
		return;
	}
	check_feature(vm);
	run_child(vm);
	CHECK(hv_vm_destroy(vm) == 0, "destroy");
	check_stale_ids();
	hv_stats(0, 0, &after);
	CHECK(after.free_bytes == before.free_bytes && after.vms == before.vms,
	      "free memory %llu -> %llu after destroy", (unsigned long long)before.free_bytes,
	      (unsigned long long)after.free_bytes);
	gprintf("child destroyed, free memory back to %llu KiB\n",
		(unsigned long long)(after.free_bytes >> 10));
}
