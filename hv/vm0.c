/* VM 0: the first boot module, loaded into its own guest-physical memory
 * (never host addresses) with a small boot-information block and the
 * other boot modules (hv/vm0_modules.c).
 *
 * Guest-physical layout below the kernel:
 *   0x1000 GDT   0x2000 PML4   0x3000 PDPT   0x4000-0x7fff page directories
 *   (identity map of the first 4 GiB with 2 MiB pages, long-mode guests)
 *   0x8000 struct hv_boot_info   stack below 0x80000   kernel from 1 MiB
 * Above the RAM, below 3 GiB: boot modules too large for it, read-only. */
#include "hv/vm0.h"
#include "hv/vm0_modules.h"
#include "hv/vm0_smp.h"
#include "abi/hv_boot.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/stage2.h"
#include "drivers/uart16550.h"
#include "lib/elf.h"
#include "lib/errno.h"
#include "hv/console.h"
#include "hv/io_port.h"
#include "hv/log.h"
#include "lib/string.h"
#include "lib/x86_desc.h"

#define GUEST_GDT 0x1000
#define GUEST_PML4 0x2000
#define GUEST_PDPT 0x3000
#define GUEST_PD 0x4000
#define GUEST_PD_COUNT 4
#define GUEST_BOOT_INFO 0x8000
#define GUEST_STACK_TOP 0x80000
#define GUEST_KERNEL_MIN 0x100000

#define SEL_CODE64 0x08
#define SEL_DATA 0x10
#define SEL_CODE32 0x18
#define ATTR_CODE64 0xa9b /* P, DPL0, code exec/read accessed, L, G */
#define ATTR_CODE32 0xc9b /* P, DPL0, code exec/read accessed, D, G */
#define ATTR_DATA 0xc93   /* P, DPL0, data read/write accessed, B, G */
#define ATTR_TSS64_BUSY 0x08b

#define PTE_P_RW (PTE_P | PTE_RW)
#define PDE_2M_P_RW (PTE_P | PTE_RW | PTE_PS)

static const u64 guest_gdt[] = {
	0,
	X86_DESC_CODE64, /* 0x08 */
	X86_DESC_DATA,   /* 0x10 */
	X86_DESC_CODE32, /* 0x18 */
};

/* elf_load's callback; ctx is the VM. */
static int load_segment(void *ctx, u64 paddr, const u8 *src, u64 filesz, u64 memsz)
{
	struct vm *vm = ctx;

	if (paddr < GUEST_KERNEL_MIN || paddr > vm->mem_size ||
	    memsz > vm->mem_size - paddr) {
		log_err("vm0: segment at 0x%llx+0x%llx outside 1 MiB..%llu MiB",
			(unsigned long long)paddr, (unsigned long long)memsz,
			(unsigned long long)(vm->mem_size / MIB));
		return -ENOEXEC;
	}
	return vm_write(vm, paddr, src, filesz) ? 0 : -EFAULT;
}

/* Identity map of the first 4 GiB for a guest entering in long mode. The
 * tables lie back to back in VM 0's first chunk up to the boot
 * information, so one host pointer reaches them all. */
static bool build_guest_page_tables(struct vm *vm)
{
	u64 *pml4 = vm_gpa_ptr(vm, GUEST_PML4, GUEST_BOOT_INFO - GUEST_PML4, true);
	u64 *pdpt, *pd;

	if (!pml4)
		return false;
	pdpt = pml4 + (GUEST_PDPT - GUEST_PML4) / 8;
	pd = pml4 + (GUEST_PD - GUEST_PML4) / 8;
	pml4[0] = GUEST_PDPT | PTE_P_RW;
	for (u64 i = 0; i < GUEST_PD_COUNT; i++)
		pdpt[i] = (GUEST_PD + i * PAGE_SIZE) | PTE_P_RW;
	for (u64 i = 0; i < GUEST_PD_COUNT * 512; i++)
		pd[i] = (i << 21) | PDE_2M_P_RW;
	return true;
}

static bool write_boot_info(struct vm *vm, const struct boot_info *bi, u64 kernel_end)
{
	static struct hv_boot_info info;

	memset(&info, 0, sizeof(info));
	info.magic = HV_BOOT_MAGIC;
	info.size = sizeof(info);
	info.memmap_count = 1;
	info.memmap[0] = (struct hv_boot_mem_range){ 0, vm->mem_size, HV_BOOT_MEM_RAM, 0 };
	hv_strlcpy(info.cmdline, bi->modules[0].string, sizeof(info.cmdline));
	vm0_modules_add(vm, bi, kernel_end, &info);
	return vm_write(vm, GUEST_BOOT_INFO, &info, sizeof(info));
}

static struct segment seg(u16 sel, u16 attr)
{
	return (struct segment){ .selector = sel, .attr = attr, .limit = 0xffffffff };
}

static void entry_state(const struct elf_info *elf, struct guest_sregs *s,
			struct guest_regs *r)
{
	bool lm = elf->bits == 64;
	struct segment data = seg(SEL_DATA, ATTR_DATA);

	memset(s, 0, sizeof(*s));
	s->cs = lm ? seg(SEL_CODE64, ATTR_CODE64) : seg(SEL_CODE32, ATTR_CODE32);
	s->ds = s->es = s->fs = s->gs = s->ss = data;
	s->tr = (struct segment){ .attr = ATTR_TSS64_BUSY, .limit = 0x67 };
	/* ldtr stays null: no LDT */
	s->gdt_base = GUEST_GDT;
	s->gdt_limit = sizeof(guest_gdt) - 1;
	s->cr0 = lm ? CR0_PE | CR0_ET | CR0_NE | CR0_WP | CR0_PG : CR0_PE | CR0_ET | CR0_NE;
	s->cr3 = lm ? GUEST_PML4 : 0;
	s->cr4 = lm ? CR4_PAE : 0;
	s->efer = lm ? EFER_LME | EFER_LMA | EFER_NXE : 0;
	memset(r, 0, sizeof(*r));
	r->rip = elf->entry;
	r->rsp = GUEST_STACK_TOP;
	r->rflags = RFLAGS_FIXED;
	if (lm)
		r->rdi = GUEST_BOOT_INFO;
	else
		r->rbx = GUEST_BOOT_INFO, r->rax = HV_BOOT_MAGIC;
}

static bool load_kernel(struct vm *vm, const struct boot_info *bi, struct elf_info *elf)
{
	const struct boot_module *m = &bi->modules[0];
	char err[96];

	if (elf_load((const u8 *)m->start, m->end - m->start, load_segment, vm,
		     elf, err, sizeof(err))) {
		log_err("vm0: module 0 '%s' is not a loadable kernel: %s", m->string, err);
		return false;
	}
	return vm_write(vm, GUEST_GDT, guest_gdt, sizeof(guest_gdt)) &&
	       (elf->bits == 32 || build_guest_page_tables(vm)) &&
	       write_boot_info(vm, bi, elf->highest_paddr);
}

static int start_vcpu(struct vm *vm, const struct elf_info *elf)
{
	struct vcpu *v = vm_vcpu_create(vm);
	struct guest_sregs s;

	if (!v)
		return -ENOMEM;
	entry_state(elf, &s, &v->regs);
	return virt->set_sregs(v, &s);
}

int vm0_create(const struct boot_info *bi, u64 mem_size, struct vm **out)
{
	struct elf_info elf;
	struct vm *vm;
	int err;

	vm = vm_create("vm0", mem_size, true);
	if (!vm)
		return -ENOMEM;
	err = load_kernel(vm, bi, &elf) ? 0 : -ENOEXEC;
	if (!err)
		err = start_vcpu(vm, &elf);
	if (!err)
		vm0_smp_create(vm);
	if (err) {
		vm0_destroy(vm);
		return err;
	}
	io_reset(vm);
	/* VM 0 drives the serial port itself; with debugcon=1 its first port
	 * exits, to be mirrored (hv/console.h). */
	stage2_io_allow(vm, COM1_PORT + console_mirrors_vm0(), 8 - console_mirrors_vm0());
	log_info("vm0: '%s' loaded, %u-bit entry at 0x%llx, %llu MiB",
		 bi->modules[0].string, elf.bits, (unsigned long long)elf.entry,
		 (unsigned long long)(mem_size / MIB));
	*out = vm;
	return 0;
}

void vm0_destroy(struct vm *vm)
{
	vm_destroy(vm);
	vm0_modules_release();
}
