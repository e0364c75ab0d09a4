/* The machine state a child starts in: a GDT with 64-bit code, data and
 * 32-bit code descriptors; an identity map of the first 4 GiB in 2 MiB
 * pages (as the hypervisor's loader gives VM 0, so that a child's access
 * beyond its RAM is a stage-2 fault, not a #PF); and the registers of
 * vCPU 0: the values of hv_child_boot_long_mode, flat 32-bit protected
 * mode with paging off, or what linux_boot.c describes for a bzImage
 * (its own GDT and page tables, copied by load.c). */
#include "guests/mgmt/mgmt.h"
#include "lib/x86_desc.h"

#define SEL_CODE64 0x08
#define SEL_DATA 0x10
#define SEL_CODE32 0x18
#define ATTR_CODE64 0xa9b
#define ATTR_CODE32 0xc9b
#define ATTR_DATA 0xc93
#define ATTR_TSS_BUSY 0x8b

static const u64 gdt[] = {
	0,
	X86_DESC_CODE64, /* 0x08 */
	X86_DESC_DATA,   /* 0x10 */
	X86_DESC_CODE32, /* 0x18 */
};

/* One page directory: GiB number `gib` in 2 MiB pages. */
static long copy_pd(u32 vm, u64 *page, u64 gib)
{
	for (u64 i = 0; i < 512; i++)
		page[i] = (gib << 30) | (i << 21) | 0x83; /* present, writable, 2 MiB */
	return child_copy(vm, CHILD_PD + gib * 4096, page, 4096);
}

long entry_tables(u32 vm)
{
	static u64 page[512] __attribute__((aligned(4096)));
	long err;

	if ((err = child_copy(vm, CHILD_GDT, gdt, sizeof(gdt))))
		return err;
	memset(page, 0, sizeof(page));
	page[0] = CHILD_PDPT | 3;
	if ((err = child_copy(vm, CHILD_PML4, page, sizeof(page))))
		return err;
	for (u64 i = 0; i < CHILD_PD_COUNT; i++)
		page[i] = (CHILD_PD + i * 4096) | 3;
	if ((err = child_copy(vm, CHILD_PDPT, page, sizeof(page))))
		return err;
	for (u64 gib = 0; gib < CHILD_PD_COUNT && !err; gib++)
		err = copy_pd(vm, page, gib);
	return err;
}

static void common_state(struct hv_vcpu_regs *r, u32 vm, u64 rip)
{
	memset(r, 0, sizeof(*r));
	r->flags = HV_REGS_GPRS | HV_REGS_SREGS;
	r->vm = vm;
	r->vcpu = 0;
	r->rip = rip;
	r->gprs[7] = CHILD_STACK; /* rax rbx rcx rdx rsi rdi rbp rsp: [7] */
	r->rflags = 2;
	r->ds = r->es = r->fs = r->gs = r->ss = hv_flat_segment(SEL_DATA, ATTR_DATA);
	r->tr = (struct hv_segment){ .attr = ATTR_TSS_BUSY, .limit = 0x67 };
	r->gdt_base = CHILD_GDT;
	r->gdt_limit = sizeof(gdt) - 1;
}

long entry_long_mode(u32 vm, u64 rip, u64 rdi)
{
	static struct hv_vcpu_regs r;

	common_state(&r, vm, rip);
	r.gprs[4] = vm; /* RSI: the child's own VM id (guests/lib/start.S) */
	r.gprs[5] = rdi;
	r.cs = hv_flat_segment(SEL_CODE64, ATTR_CODE64);
	r.cr0 = 0x80010031; /* PG WP NE ET PE */
	r.cr3 = CHILD_PML4;
	r.cr4 = 0x20;       /* PAE */
	r.efer = 0xd00;     /* NXE LMA LME */
	return hv_vcpu_set_regs(&r);
}

long entry_linux(u32 vm, const struct linux_entry *e)
{
	static struct hv_vcpu_regs r;

	common_state(&r, vm, e->rip);
	r.gprs[4] = e->rsi;
	r.rflags = e->rflags;
	r.cs = hv_flat_segment(e->cs, ATTR_CODE64);
	r.ds = r.es = r.fs = r.gs = r.ss = hv_flat_segment(e->ds, ATTR_DATA);
	r.gdt_base = e->gdt_base;
	r.gdt_limit = e->gdt_limit;
	r.cr0 = e->cr0;
	r.cr3 = e->cr3;
	r.cr4 = e->cr4;
	r.efer = e->efer;
	return hv_vcpu_set_regs(&r);
}

long entry_protected_mode(u32 vm, u64 eip, u32 eax, u32 ebx)
{
	static struct hv_vcpu_regs r;

	common_state(&r, vm, eip);
	r.gprs[0] = eax;
	r.gprs[1] = ebx;
	r.cs = hv_flat_segment(SEL_CODE32, ATTR_CODE32);
	r.cr0 = 0x31; /* NE ET PE */
	return hv_vcpu_set_regs(&r);
}
