#include "guests/lib/hv.h"
#include "lib/string.h"
#include "lib/x86_desc.h"

long hv_abi_version(void)
{
	return hv_call(HV_CALL_ABI_VERSION, NULL);
}

long hv_check_extension(u32 ext)
{
	struct hv_check_extension a = { sizeof(a), 0, ext, 0 };

	return hv_call(HV_CALL_CHECK_EXTENSION, &a);
}

long hv_console_write(const char *text, u32 len)
{
	struct hv_console_write a = { sizeof(a), 0, len, 0, (u64)text };

	return hv_call(HV_CALL_CONSOLE_WRITE, &a);
}

long hv_vm_create(const char *name, u64 mem_size, u32 vcpus, u32 exit_reasons)
{
	struct hv_vm_create a = { .size = sizeof(a), .mem_size = mem_size,
				  .vcpus = vcpus, .exit_reasons = exit_reasons };

	hv_strlcpy(a.name, name, sizeof(a.name));
	return hv_call(HV_CALL_VM_CREATE, &a);
}

long hv_vm_destroy(u32 vm)
{
	struct hv_vm_destroy a = { sizeof(a), 0, vm, 0 };

	return hv_call(HV_CALL_VM_DESTROY, &a);
}

long hv_vm_add_memory(u32 vm, u64 gpa, u64 length)
{
	struct hv_vm_memory a = { sizeof(a), 0, vm, 0, gpa, length };

	return hv_call(HV_CALL_VM_ADD_MEMORY, &a);
}

long hv_vm_copy(u32 vm, u32 flags, u64 vm_gpa, void *buf, u64 length)
{
	struct hv_vm_copy a = { sizeof(a), flags, vm, 0, vm_gpa, (u64)buf, length };

	return hv_call(HV_CALL_VM_COPY, &a);
}

long hv_vcpu_create(u32 vm)
{
	struct hv_vcpu_create a = { sizeof(a), 0, vm, 0 };

	return hv_call(HV_CALL_VCPU_CREATE, &a);
}

/* A GET call whose struct starts {size, flags, vm, vcpu}: the struct
 * zeroed, the header set, the call made. */
static long vcpu_get(u32 nr, void *s, u32 size, u32 vm, u32 vcpu)
{
	u32 header[4] = { size, 0, vm, vcpu };

	memset(s, 0, size);
	memcpy(s, header, sizeof(header));
	return hv_call(nr, s);
}

long hv_vcpu_get_regs(u32 vm, u32 vcpu, struct hv_vcpu_regs *r)
{
	return vcpu_get(HV_CALL_VCPU_GET_REGS, r, sizeof(*r), vm, vcpu);
}

long hv_vcpu_set_regs(struct hv_vcpu_regs *r)
{
	r->size = sizeof(*r);
	return hv_call(HV_CALL_VCPU_SET_REGS, r);
}

/* The VER0 struct: a run without a deadline needs no more, and reads as
 * it always did in a trace. */
/* VCPU_RUN with a, its exit record written to exit. */
static long vcpu_run(struct hv_vcpu_run *a, struct hv_exit *exit)
{
	exit->argsz = sizeof(*exit);
	return hv_call(HV_CALL_VCPU_RUN, a);
}

long hv_vcpu_run_flags(u32 vm, u32 vcpu, struct hv_exit *exit, u32 flags, u64 value)
{
	struct hv_vcpu_run a = { .size = HV_VCPU_RUN_SIZE_VER0, .flags = flags, .vm = vm,
				 .vcpu = vcpu, .exit = (u64)exit, .complete_value = value };

	return vcpu_run(&a, exit);
}

long hv_vcpu_run(u32 vm, u32 vcpu, struct hv_exit *exit, bool complete, u64 value)
{
	return hv_vcpu_run_flags(vm, vcpu, exit, complete ? HV_RUN_COMPLETE : 0, value);
}

#if HV_ABI_HEADER_REVISION >= 2 /* extensions absent from the v1 headers */
long hv_vcpu_run_page_set(u32 vm, u32 vcpu, struct hv_run_page *page)
{
	struct hv_vcpu_run_page_set a = { sizeof(a), page ? 0 : HV_RUN_PAGE_CLEAR, vm, vcpu,
					  (u64)page };

	return hv_call(HV_CALL_VCPU_RUN_PAGE_SET, &a);
}

long hv_vcpu_run_paged_flags(u32 vm, u32 vcpu, u32 flags)
{
	return hypercall3(HV_CALL_VCPU_RUN_PAGED, vm, vcpu, flags);
}

long hv_vcpu_run_paged(u32 vm, u32 vcpu, bool complete)
{
	return hv_vcpu_run_paged_flags(vm, vcpu, complete ? HV_RUN_COMPLETE : 0);
}

long hv_vcpu_run_deadline(u32 vm, u32 vcpu, struct hv_exit *exit, u32 flags, u64 value,
			  u64 deadline)
{
	struct hv_vcpu_run a = { .size = sizeof(a), .flags = flags, .vm = vm, .vcpu = vcpu,
				 .exit = (u64)exit, .complete_value = value,
				 .deadline = deadline };

	return vcpu_run(&a, exit);
}

long hv_vcpu_run_paged_deadline(u32 vm, u32 vcpu, struct hv_run_page *page, u32 flags,
				u64 deadline)
{
	page->deadline = deadline;
	return hv_vcpu_run_paged_flags(vm, vcpu, flags);
}

long hv_vm_map_window(u32 vm, u64 vm_gpa, u64 length, u64 gpa, u32 flags)
{
	struct hv_vm_window a = { sizeof(a), flags, vm, 0, vm_gpa, length, gpa, 0 };

	return hv_call(HV_CALL_VM_MAP_WINDOW, &a);
}

long hv_vm_unmap_window(u32 vm, u64 gpa)
{
	struct hv_vm_window a = { .size = sizeof(a), .vm = vm, .gpa = gpa };

	return hv_call(HV_CALL_VM_UNMAP_WINDOW, &a);
}

long hv_vm_irq(u32 vm, u32 vcpu, u32 dest, u8 vector, u8 mode, u32 flags)
{
	struct hv_vm_irq a = { .size = sizeof(a), .flags = flags, .vm = vm, .vcpu = vcpu,
			       .dest = dest, .vector = vector, .mode = mode };

	return hv_call(HV_CALL_VM_IRQ, &a);
}

long hv_vcpu_get_lapic(u32 vm, u32 vcpu, struct hv_vcpu_lapic *l)
{
	return vcpu_get(HV_CALL_VCPU_GET_LAPIC, l, sizeof(*l), vm, vcpu);
}

long hv_dmesg(u64 *seq, void *buf, u32 len, u64 *lost)
{
	struct hv_dmesg a = { .size = sizeof(a), .seq = *seq, .buf = (u64)buf, .len = len };
	long ret = hv_call(HV_CALL_DMESG, &a);

	if (ret >= 0) {
		*seq = a.next;
		*lost = a.lost;
	}
	return ret;
}

long hv_vcpu_start(u32 vcpu, u64 rip, u64 rsp, u64 rdi)
{
	struct hv_vcpu_start a = { .size = sizeof(a), .vcpu = vcpu, .rip = rip, .rsp = rsp,
				   .rdi = rdi };

	return hv_call(HV_CALL_VCPU_START, &a);
}

long hv_vcpu_kick(u32 vm, u32 vcpu)
{
	struct hv_vcpu_kick a = { .size = sizeof(a), .vm = vm, .vcpu = vcpu };

	return hv_call(HV_CALL_VCPU_KICK, &a);
}

long hv_cpu_stats(u32 cpu, struct hv_cpu_stats *s)
{
	return vcpu_get(HV_CALL_CPU_STATS, s, sizeof(*s), cpu, 0);
}

long hv_vm0_idle(u64 deadline)
{
	struct hv_vm0_idle a = { .size = sizeof(a), .deadline = deadline };

	return hv_call(HV_CALL_VM0_IDLE, &a);
}

#endif

long hv_feature(u32 flags, u32 vm, u64 *value)
{
	struct hv_feature a = { sizeof(a), flags, vm, 0, *value };
	long ret = hv_call(HV_CALL_FEATURE, &a);

	*value = a.value;
	return ret;
}

long hv_stats(u32 flags, u32 vm, struct hv_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->argsz = sizeof(*s);
	s->flags = flags;
	s->vm = vm;
	return hv_call(HV_CALL_STATS, s);
}

long hv_info(void *buf, u32 cap)
{
	struct hv_info *info = buf;
	long ret;

	memset(buf, 0, cap);
	info->argsz = sizeof(*info);
	ret = hv_call(HV_CALL_INFO, info);
	if (ret || info->argsz <= sizeof(*info))
		return ret;
	if (info->argsz > cap)
		return -HV_ENOSPC;
	info->argsz = cap; /* the hypervisor said how much it needs: ask again */
	return hv_call(HV_CALL_INFO, info);
}

const struct hv_cap_header *hv_info_find_cap(const void *info, u32 len, u16 id)
{
	u32 off = ((const struct hv_info *)info)->cap_offset;

	for (int hops = 0; off && off + sizeof(struct hv_cap_header) <= len && hops < 64; hops++) {
		const struct hv_cap_header *h = (const void *)((const u8 *)info + off);

		if (h->id == id)
			return h;
		off = h->next;
	}
	return NULL;
}

#define CHILD_GDT 0x1000
#define CHILD_PML4 0x2000
#define CHILD_PDPT 0x3000
#define CHILD_PD 0x4000
#define CHILD_STACK 0x80000

static long copy_to_child(u32 vm, u64 gpa, void *buf, u64 len)
{
	return hv_vm_copy(vm, HV_COPY_TO_VM, gpa, buf, len);
}

/* GDT and an identity map of the first GiB with 2 MiB pages. */
static long boot_tables(u32 vm)
{
	static u64 page[512] __attribute__((aligned(4096)));
	static const u64 gdt[] = { 0, X86_DESC_CODE64, X86_DESC_DATA };
	long err;

	if ((err = copy_to_child(vm, CHILD_GDT, (void *)gdt, sizeof(gdt))))
		return err;
	memset(page, 0, sizeof(page));
	page[0] = CHILD_PDPT | 3;
	if ((err = copy_to_child(vm, CHILD_PML4, page, sizeof(page))))
		return err;
	page[0] = CHILD_PD | 3;
	if ((err = copy_to_child(vm, CHILD_PDPT, page, sizeof(page))))
		return err;
	for (u64 i = 0; i < 512; i++)
		page[i] = (i << 21) | 0x83;
	return copy_to_child(vm, CHILD_PD, page, sizeof(page));
}

long hv_child_boot_long_mode(u32 vm, u32 vcpu, const void *code, u64 len)
{
	struct hv_vcpu_regs r;
	long err;

	if ((err = boot_tables(vm)) ||
	    (err = copy_to_child(vm, HV_CHILD_CODE, (void *)code, len)))
		return err;
	memset(&r, 0, sizeof(r));
	r.flags = HV_REGS_GPRS | HV_REGS_SREGS;
	r.vm = vm;
	r.vcpu = vcpu;
	r.rip = HV_CHILD_CODE;
	r.gprs[7] = CHILD_STACK; /* rsp */
	r.rflags = 2;
	r.cs = hv_flat_segment(0x08, 0xa9b);
	r.ds = r.es = r.fs = r.gs = r.ss = hv_flat_segment(0x10, 0xc93);
	r.tr = (struct hv_segment){ .attr = 0x8b, .limit = 0x67 };
	r.gdt_base = CHILD_GDT;
	r.gdt_limit = 23;
	r.cr0 = 0x80010031; /* PG WP NE ET PE */
	r.cr3 = CHILD_PML4;
	r.cr4 = 0x20;       /* PAE */
	r.efer = 0xd00;     /* NXE LMA LME */
	return hv_vcpu_set_regs(&r);
}

#define CHILD_PD_4G 0x5000
#define APIC_DEFAULT 0xfee00000ULL

long hv_child_map_apic_page(u32 vm)
{
	static u64 pd[512];
	u64 pdpt3 = CHILD_PD_4G | 3;
	long err;

	pd[(APIC_DEFAULT >> 21) & 511] = APIC_DEFAULT | 0x9b; /* P RW PWT PCD PS */
	if ((err = hv_vm_copy(vm, HV_COPY_TO_VM, CHILD_PD_4G, pd, sizeof(pd))))
		return err;
	return hv_vm_copy(vm, HV_COPY_TO_VM, CHILD_PDPT + 3 * 8, &pdpt3, 8);
}
