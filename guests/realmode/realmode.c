/* Exceptions are injected the way the guest's mode requires: a real-mode
 * child whose RDMSR the hypervisor refuses gets a #GP without an error
 * code (VMX refuses to enter with one, and a real-mode handler finds
 * FLAGS, CS and IP on its stack, nothing more). */
#include "guests/realmode/realmode.h"
#include "guests/lib/hv.h"
#include "guests/lib/test.h"
#include "lib/string.h"

const char test_title[] = "real mode: #GP without an error code";

static struct hv_exit ex;

static struct hv_segment real_segment(u16 attr)
{
	return (struct hv_segment){ .base = 0, .limit = 0xffff, .selector = 0, .attr = attr };
}

static long start_child(u32 *vm_out)
{
	struct hv_vcpu_regs r;
	long vm = hv_vm_create("realmode", 2 * MIB, 1, 0);

	if (vm < 0 || hv_vcpu_create(vm) != 0 ||
	    hv_vm_copy(vm, HV_COPY_TO_VM, RM_CODE, (void *)rm_child_start,
		       rm_child_end - rm_child_start))
		return -1;
	memset(&r, 0, sizeof(r));
	r.flags = HV_REGS_GPRS | HV_REGS_SREGS;
	r.vm = vm;
	r.rip = RM_CODE;
	r.gprs[7] = RM_STACK;
	r.rflags = 2;
	r.cs = real_segment(0x9b);
	r.ds = r.es = r.fs = r.gs = r.ss = real_segment(0x93);
	r.tr = real_segment(0x8b);
	r.idt_limit = 0x3ff;
	r.gdt_limit = 0xffff;
	r.cr0 = 0x10; /* ET: real mode */
	*vm_out = vm;
	return hv_vcpu_set_regs(&r);
}

/* The value the child writes to `port` next. */
static bool reported(u32 vm, u16 port, u64 *value)
{
	if (!test_run_to_io(vm, &ex, port, false, 0))
		return false;
	*value = ex.u.io.value;
	return true;
}

void test_main(void)
{
	u64 rdmsr_ip = RM_CODE + (rm_child_rdmsr - rm_child_start), sp, ip;
	u32 vm = 0;

	if (start_child(&vm)) {
		test_fail("cannot start the real-mode child");
		return;
	}
	if (reported(vm, RM_PORT_SP, &sp) && reported(vm, RM_PORT_IP, &ip)) {
		CHECK(sp == RM_STACK - 6, "#GP frame of %llu bytes, want 6 (FLAGS, CS, IP)",
		      (unsigned long long)(RM_STACK - sp));
		CHECK(ip == rdmsr_ip, "#GP pushed IP 0x%llx, want 0x%llx (the RDMSR)",
		      (unsigned long long)ip, (unsigned long long)rdmsr_ip);
		if (sp == RM_STACK - 6 && ip == rdmsr_ip)
			gprintf("real-mode RDMSR: #GP delivered, 6-byte frame, no error code\n");
	}
	CHECK(hv_vm_destroy(vm) == 0, "destroying the child failed");
}
