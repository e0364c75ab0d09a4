/* The guest side of ring 3: descriptor tables, the TSS and the page-table
 * User bits that run_user() (user_entry.S) needs. */
#include "guests/lib/user.h"
#include "guests/lib/guest.h"
#include "lib/x86_desc.h"

#define PTE_P BIT(0)
#define PTE_U BIT(2)
#define PTE_PS BIT(7)
#define PTE_ADDR 0x000ffffffffff000ULL
#define PT_LEVELS 4

#define STACK_SIZE 16384

static struct tss64 tss __attribute__((aligned(16)));
/* 0x08, 0x10, 0x18 as the hypervisor set them up; 0x20 user data, 0x28
 * user code (SYSRET's order); 0x30 the TSS, two slots. */
static u64 gdt[8] __attribute__((aligned(16)));
static u8 kernel_stack[STACK_SIZE] __attribute__((aligned(16)));
static u8 user_stack[STACK_SIZE] __attribute__((aligned(16)));

/* Read by user_entry.S. */
u64 user_stack_top = (u64)(user_stack + STACK_SIZE);

void user_return_entry(void);

/* Loads the new GDT, reloads CS through a far return, the data and
 * stack segments, and the task register. */
static void load_gdt(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed gdtr = { sizeof(gdt) - 1, (u64)gdt };

	asm volatile("lgdt %0\n\t"
		     "pushq %1\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\tmovl %2, %%eax\n\t"
		     "movl %%eax, %%ds\n\t"
		     "movl %%eax, %%es\n\t"
		     "movl %%eax, %%ss\n\t"
		     "ltr %w3"
		     : : "m"(gdtr), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(TSS_SEL)
		     : "rax", "memory");
}

static void setup_descriptors(void)
{
	gdt[KERNEL_CS / 8] = X86_DESC_CODE64;
	gdt[KERNEL_DS / 8] = X86_DESC_DATA;
	gdt[3] = X86_DESC_CODE32;
	gdt[USER_DS / 8] = X86_DESC_DATA | X86_DESC_DPL3;
	gdt[USER_CS / 8] = X86_DESC_CODE64 | X86_DESC_DPL3;
	tss.rsp[0] = (u64)(kernel_stack + STACK_SIZE);
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: ring 3 gets no ports */
	x86_tss_descriptor(&gdt[TSS_SEL / 8], &tss);
	load_gdt();
}

/* Sets the User bit in every present entry of the table at `table` (an
 * identity-mapped guest-physical address) and of the tables below it. */
static void allow_user(u64 table, int level)
{
	u64 *e = (u64 *)table;

	for (int i = 0; i < 512; i++) {
		if (!(e[i] & PTE_P))
			continue;
		e[i] |= PTE_U;
		if (level > 1 && !(level < PT_LEVELS && (e[i] & PTE_PS)))
			allow_user(e[i] & PTE_ADDR, level - 1);
	}
}

static void allow_user_pages(void)
{
	u64 cr3;

	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	allow_user(cr3 & PTE_ADDR, PT_LEVELS);
	asm volatile("mov %0, %%cr3" : : "r"(cr3) : "memory"); /* flush the TLB */
}

void user_init(void)
{
	setup_descriptors();
	allow_user_pages();
	traps_set_gate(USER_RETURN_VECTOR, user_return_entry, 3);
}

void user_return_from_cpl0(void);

/* INT $USER_RETURN_VECTOR is only for ring-3 code ending run_user(). */
void user_return_from_cpl0(void)
{
	guest_panic("int $0x%x at CPL 0", USER_RETURN_VECTOR);
}

void user_set_ist(u32 n, u64 stack_top)
{
	tss.ist[n - 1] = stack_top;
}
