#ifndef ARCH_X86_GDT_H
#define ARCH_X86_GDT_H

#define GDT_SEL_CODE 0x08
#define GDT_SEL_DATA 0x10
#define GDT_SEL_TSS 0x18

void gdt_init_this_cpu(void);

#endif
