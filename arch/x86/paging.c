/* The hypervisor's own page tables. Physical memory is identity-mapped
 * read/write and non-executable with 2 MiB pages; the 2 MiB regions that
 * hold the image are split into 4 KiB pages so each section gets exactly
 * its permissions (text R+X, rodata R, data R+W); page 0 stays unmapped to
 * catch NULL dereferences. No mapping is ever both writable and
 * executable, and arch_paging_selftest() proves it on every boot. */
#include "arch/x86/cpu.h"
#include "hv/arch.h"
#include "hv/frame.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "lib/string.h"

#define PTE_ADDR 0x000ffffffffff000ULL
#define PT_ENTRIES 512
#define SIZE_2M (2 * MIB)
#define IDENTITY_MAP_MAX (512 * GIB) /* one PDPT */

extern u8 _image_start[], _image_end[];
extern u8 _text_start[], _text_end[];
extern u8 _rodata_start[], _rodata_end[];
extern u8 _data_start[], _data_end[];

static struct frame_alloc *pt_frames;
static u64 *pml4;

static u64 *table_alloc(void)
{
	u64 pa = frame_alloc(pt_frames);

	if (!pa)
		panic("paging: out of memory for page tables");
	if (pa >= 4 * GIB)
		panic("paging: page table frame 0x%llx above the boot map",
		      (unsigned long long)pa);
	memset((void *)pa, 0, PAGE_SIZE);
	return (u64 *)pa;
}

/* The table the entry points to, created on first use. */
static u64 *table_next(u64 *table, unsigned idx)
{
	if (!(table[idx] & PTE_P))
		table[idx] = (u64)table_alloc() | PTE_P | PTE_RW;
	return (u64 *)(table[idx] & PTE_ADDR);
}

static unsigned idx(u64 va, int level)
{
	return (va >> (12 + 9 * level)) & (PT_ENTRIES - 1);
}

static bool in_section(u64 pa, const u8 *start, const u8 *end)
{
	return pa >= (u64)start && pa < ALIGN_UP((u64)end, PAGE_SIZE);
}

/* Leaf flags for one 4 KiB page of the first 2 MiB regions. */
static u64 page_flags(u64 pa)
{
	if (pa == 0)
		return 0;
	if (in_section(pa, _text_start, _text_end))
		return PTE_P;
	if (in_section(pa, _rodata_start, _rodata_end))
		return PTE_P | PTE_NX;
	if (in_section(pa, _data_start, _data_end))
		return PTE_P | PTE_RW | PTE_NX;
	if (in_section(pa, _image_start, _image_end))
		return PTE_P | PTE_NX; /* .ksyms */
	return PTE_P | PTE_RW | PTE_NX;
}

static bool needs_4k_pages(u64 base)
{
	u64 img_lo = ALIGN_DOWN((u64)_image_start, SIZE_2M);
	u64 img_hi = ALIGN_UP((u64)_image_end, SIZE_2M);

	return base == 0 || (base >= img_lo && base < img_hi);
}

/* The page directory for the 1 GiB around base, created on first use. */
static u64 *pd_for(u64 base)
{
	return table_next(table_next(pml4, idx(base, 3)), idx(base, 2));
}

static void map_region_4k(u64 base)
{
	u64 *pt = table_next(pd_for(base), idx(base, 1));

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		u64 pa = base + i * PAGE_SIZE;
		u64 flags = page_flags(pa);

		pt[i] = flags ? pa | flags : 0;
	}
}

static void map_region_2m(u64 base)
{
	pd_for(base)[idx(base, 1)] = base | PTE_P | PTE_RW | PTE_NX | PTE_PS;
}

void arch_paging_init(struct frame_alloc *fa, u64 top)
{
	pt_frames = fa;
	top = ALIGN_UP(MAX(top, 4 * GIB), SIZE_2M);
	if (top > IDENTITY_MAP_MAX) {
		log_warn("paging: memory above %llu GiB is not mapped",
			 (unsigned long long)(IDENTITY_MAP_MAX / GIB));
		top = IDENTITY_MAP_MAX;
	}
	pml4 = table_alloc();
	for (u64 base = 0; base < top; base += SIZE_2M) {
		if (needs_4k_pages(base))
			map_region_4k(base);
		else
			map_region_2m(base);
	}
	write_cr3((u64)pml4);
	log_info("paging: identity map 0-%llu MiB, image text %llu KiB R+X, "
		 "rodata %llu KiB R, data %llu KiB R+W",
		 (unsigned long long)(top / MIB),
		 (unsigned long long)((_text_end - _text_start) / 1024),
		 (unsigned long long)((_rodata_end - _rodata_start) / 1024),
		 (unsigned long long)((_data_end - _data_start) / 1024));
}

/* Leaf mappings that are writable and executable: must stay zero. */
static u64 count_wx_in(const u64 *table, int level)
{
	u64 n = 0;

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		u64 e = table[i];

		if (!(e & PTE_P))
			continue;
		if (level == 0 || (e & PTE_PS))
			n += (e & PTE_RW) && !(e & PTE_NX);
		else
			n += count_wx_in((const u64 *)(e & PTE_ADDR), level - 1);
	}
	return n;
}

/* Writes a byte back to itself; false when the write faulted. */
static bool write_succeeds(volatile u8 *p)
{
	int ok = 1;

	asm volatile("movb (%[p]), %%al\n"
		     EXTABLE_TRY("movb %%al, (%[p])")
		     : [ok] "+r"(ok)
		     : [p] "r"(p)
		     : "rax", "memory");
	return ok;
}

/* A `ret` in .data: calling it must fault on the instruction fetch. The
 * fixup drops the return address the call pushed. */
static u8 data_ret_insn[16] __attribute__((aligned(16))) = { 0xc3 };

static bool data_executes(void)
{
	int ok = 1;

	asm volatile("call *%1\n"
		     "2:\n"
		     ".pushsection .ex_table, \"a\"\n"
		     ".balign 8\n"
		     ".quad %c2, 3f\n"
		     ".popsection\n"
		     ".pushsection .text.fixup, \"ax\"\n"
		     "3: addq $8, %%rsp\n"
		     "xorl %0, %0\n"
		     "jmp 2b\n"
		     ".popsection\n"
		     : "+r"(ok)
		     : "r"(data_ret_insn), "i"(data_ret_insn)
		     : "memory");
	return ok;
}

bool arch_paging_selftest(void)
{
	u64 wx = count_wx_in(pml4, 3);
	bool text_ro = !write_succeeds((volatile u8 *)_text_start);
	bool rodata_ro = !write_succeeds((volatile u8 *)_rodata_start);
	bool data_nx = !data_executes();

	log_info("paging: %llu W+X mappings, text %s, rodata %s, data %s",
		 (unsigned long long)wx,
		 text_ro ? "write-protected" : "WRITABLE",
		 rodata_ro ? "write-protected" : "WRITABLE",
		 data_nx ? "non-executable" : "EXECUTABLE");
	return wx == 0 && text_ro && rodata_ro && data_nx;
}
