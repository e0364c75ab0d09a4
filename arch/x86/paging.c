/* The hypervisor's own page tables. Physical memory is identity-mapped
 * read/write and non-executable with 2 MiB pages (pt.c's tables); those
 * that hold the image are split into 4 KiB pages so each section gets
 * exactly its permissions (text R+X, rodata R, data R+W); page 0 stays
 * unmapped to catch NULL dereferences. No mapping is ever both writable and
 * executable, and arch_paging_selftest() proves it on every boot. */
#include "arch/x86/cpu.h"
#include "arch/x86/pt.h"
#include "hv/arch.h"
#include "hv/log.h"
#include "hv/panic.h"

#define PTE_ADDR 0x000ffffffffff000ULL
#define PT_ENTRIES 512
#define SIZE_2M (2 * MIB)
#define IDENTITY_MAP_MAX (512 * GIB) /* one PDPT */

extern u8 _image_start[], _image_end[];
extern u8 _text_start[], _text_end[];
extern u8 _rodata_start[], _rodata_end[];
extern u8 _data_start[], _data_end[];

/* The generic tables of pt.c in the 4-level paging entry format. */
static const struct pt_format host_format = {
	.name = "host",
	.addr = PTE_ADDR,
	.present = PTE_P,
	.table = PTE_P | PTE_RW,
	.leaf = PTE_P,
	.large = PTE_PS,
	.grant = { [PT_W_BIT] = PTE_RW },
	.deny = { [PT_X_BIT] = PTE_NX },
};

static struct pt host_pt;

/* Gives the pages of [start, end) perms, splitting 2 MiB pages. */
static void protect(const u8 *start, const u8 *end, u32 perms)
{
	u64 lo = ALIGN_DOWN((u64)start, PAGE_SIZE);

	if (pt_protect(&host_pt, lo, ALIGN_UP((u64)end, PAGE_SIZE) - lo, perms) < 0)
		panic("paging: out of memory for page tables");
}

void arch_paging_init(u64 top)
{
	top = ALIGN_UP(MAX(top, 4 * GIB), SIZE_2M);
	if (top > IDENTITY_MAP_MAX) {
		log_warn("paging: memory above %llu GiB is not mapped",
			 (unsigned long long)(IDENTITY_MAP_MAX / GIB));
		top = IDENTITY_MAP_MAX;
	}
	/* Before CR3 is loaded, table frames are reached through the boot
	 * map (4 GiB); the frame allocator hands out the lowest first. */
	if (pt_init(&host_pt, &host_format) ||
	    pt_map(&host_pt, PAGE_SIZE, PAGE_SIZE, top - PAGE_SIZE, PT_R | PT_W))
		panic("paging: out of memory for page tables");
	protect(_image_start, _image_end, PT_R); /* rodata, .ksyms */
	protect(_text_start, _text_end, PT_R | PT_X);
	protect(_data_start, _data_end, PT_R | PT_W);
	write_cr3(host_pt.root);
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
	u64 wx = count_wx_in((const u64 *)host_pt.root, 3);
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
