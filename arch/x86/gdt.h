#ifndef ARCH_X86_GDT_H
#define ARCH_X86_GDT_H

#include "lib/types.h"

#define GDT_SEL_CODE 0x08
#define GDT_SEL_DATA 0x10
#define GDT_SEL_TSS 0x18

/* The descriptors at GDT_SEL_CODE and GDT_SEL_DATA, also those of the
 * boot GDT (boot/boot_tables.S). */
#define GDT_CODE64 0x00af9a000000ffffULL
#define GDT_DATA 0x00cf92000000ffffULL

/* The operand of LGDT and LIDT. */
struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

void gdt_init_this_cpu(void);

#endif
