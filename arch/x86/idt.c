/* The interrupt descriptor table: every vector gets a stub from
 * trap_entry.S; NMI, double fault and machine check run on IST stacks. */
#include "arch/x86/gdt.h"
#include "arch/x86/percpu.h"
#include "arch/x86/trap.h"
#include "hv/panic.h"

#define IDT_VECTORS 256
#define TRAP_STUB_SIZE 16
#define IDT_INTERRUPT_GATE 0x8e

struct idt_entry {
	u16 offset_lo;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_hi;
	u32 reserved;
} __packed;

extern const u8 trap_stubs[], trap_stubs_end[];

static struct idt_entry idt[IDT_VECTORS] __attribute__((aligned(16)));

_Static_assert(sizeof(struct idt_entry) == 16, "IDT entry layout");

/* The vectors that run on an IST stack; all others use the current one. */
static const u8 ist_for_vector[IDT_VECTORS] = {
	[VEC_NMI] = IST_NMI,
	[VEC_DF] = IST_DOUBLE_FAULT,
	[VEC_MC] = IST_MACHINE_CHECK,
};

static void idt_set_gate(unsigned vec, u64 handler, u8 ist)
{
	idt[vec] = (struct idt_entry){
		.offset_lo = handler & 0xffff,
		.selector = GDT_SEL_CODE,
		.ist = ist,
		.type_attr = IDT_INTERRUPT_GATE,
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_hi = handler >> 32,
	};
}

static void idt_fill(void)
{
	if (trap_stubs_end - trap_stubs != IDT_VECTORS * TRAP_STUB_SIZE)
		panic("idt: trap stubs are not %u bytes each", TRAP_STUB_SIZE);
	for (unsigned vec = 0; vec < IDT_VECTORS; vec++)
		idt_set_gate(vec, (u64)trap_stubs + vec * TRAP_STUB_SIZE,
			     ist_for_vector[vec]);
}

void idt_init_this_cpu(void)
{
	struct desc_ptr p = { sizeof(idt) - 1, (u64)idt };

	if (!idt[0].type_attr)
		idt_fill();
	asm volatile("lidt %0" : : "m"(p));
}
