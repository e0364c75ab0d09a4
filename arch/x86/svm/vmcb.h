/* The VMCB (AMD APM vol. 2, appendix B): a 4 KiB page, control area at
 * 0x000, state-save area at 0x400. Offsets are asserted below. */
#ifndef ARCH_X86_SVM_VMCB_H
#define ARCH_X86_SVM_VMCB_H

#include "lib/types.h"

struct vmcb_seg {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
} __packed;

struct vmcb_control {
	u16 cr_read_intercepts;         /* 0x000: bit n = CRn */
	u16 cr_write_intercepts;        /* 0x002 */
	u8 reserved0[0x008 - 0x004];    /* DR intercepts */
	u32 exceptions;                 /* 0x008 */
	u32 intercepts1;                /* 0x00c */
	u32 intercepts2;                /* 0x010 */
	u8 reserved1[0x040 - 0x014];
	u64 iopm_base_pa;               /* 0x040 */
	u64 msrpm_base_pa;              /* 0x048 */
	u64 tsc_offset;                 /* 0x050 */
	u32 asid;                       /* 0x058 */
	u8 tlb_control;                 /* 0x05c */
	u8 reserved3[3];
	u64 int_control;                /* 0x060 */
	u64 int_state;                  /* 0x068: bit 0 interrupt shadow */
	u64 exit_code;                  /* 0x070 */
	u64 exit_info1;                 /* 0x078 */
	u64 exit_info2;                 /* 0x080 */
	u64 exit_int_info;              /* 0x088 */
	u64 np_enable;                  /* 0x090 */
	u8 reserved5[0x0a8 - 0x098];
	u64 event_inject;               /* 0x0a8 */
	u64 n_cr3;                      /* 0x0b0 */
	u8 reserved6[0x0c8 - 0x0b8];    /* LBR virtualization, clean bits */
	u64 next_rip;                   /* 0x0c8 */
	u8 insn_len;                    /* 0x0d0: decode assists */
	u8 insn[15];                    /* 0x0d1 */
	u8 reserved7[0x400 - 0x0e0];
} __packed;

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs; /* 0x400 */
	struct vmcb_seg gdtr, ldtr, idtr, tr;   /* 0x460 */
	u8 reserved0[0x4cb - 0x4a0];
	u8 cpl;                                 /* 0x4cb */
	u32 reserved1;
	u64 efer;                               /* 0x4d0 */
	u8 reserved2[0x548 - 0x4d8];
	u64 cr4;                                /* 0x548 */
	u64 cr3;                                /* 0x550 */
	u64 cr0;                                /* 0x558 */
	u64 dr7;                                /* 0x560 */
	u64 dr6;                                /* 0x568 */
	u64 rflags;                             /* 0x570 */
	u64 rip;                                /* 0x578 */
	u8 reserved3[0x5d8 - 0x580];
	u64 rsp;                                /* 0x5d8 */
	u8 reserved4[0x5f8 - 0x5e0];
	u64 rax;                                /* 0x5f8 */
	u8 reserved5[0x640 - 0x600];            /* SYSCALL, SYSENTER MSRs */
	u64 cr2;                                /* 0x640 */
	u8 reserved6[0x668 - 0x648];
	u64 g_pat;                              /* 0x668 */
} __packed;

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
	u8 reserved[4096 - 0x400 - sizeof(struct vmcb_save)];
} __packed;

#define VMCB_OFF(f) __builtin_offsetof(struct vmcb, f)
_Static_assert(sizeof(struct vmcb) == 4096, "VMCB is one page");
_Static_assert(VMCB_OFF(control.iopm_base_pa) == 0x040, "VMCB layout");
_Static_assert(VMCB_OFF(control.asid) == 0x058, "VMCB layout");
_Static_assert(VMCB_OFF(control.int_state) == 0x068, "VMCB layout");
_Static_assert(VMCB_OFF(control.exit_code) == 0x070, "VMCB layout");
_Static_assert(VMCB_OFF(control.np_enable) == 0x090, "VMCB layout");
_Static_assert(VMCB_OFF(control.event_inject) == 0x0a8, "VMCB layout");
_Static_assert(VMCB_OFF(control.next_rip) == 0x0c8, "VMCB layout");
_Static_assert(VMCB_OFF(control.insn_len) == 0x0d0, "VMCB layout");
_Static_assert(VMCB_OFF(save.es) == 0x400, "VMCB layout");
_Static_assert(VMCB_OFF(save.tr) == 0x490, "VMCB layout");
_Static_assert(VMCB_OFF(save.cpl) == 0x4cb, "VMCB layout");
_Static_assert(VMCB_OFF(save.efer) == 0x4d0, "VMCB layout");
_Static_assert(VMCB_OFF(save.cr4) == 0x548, "VMCB layout");
_Static_assert(VMCB_OFF(save.rip) == 0x578, "VMCB layout");
_Static_assert(VMCB_OFF(save.rsp) == 0x5d8, "VMCB layout");
_Static_assert(VMCB_OFF(save.rax) == 0x5f8, "VMCB layout");
_Static_assert(VMCB_OFF(save.cr2) == 0x640, "VMCB layout");
_Static_assert(VMCB_OFF(save.g_pat) == 0x668, "VMCB layout");

/* intercepts1 (vector 3) */
#define SVM_INTERCEPT_INTR BIT(0)
#define SVM_INTERCEPT_NMI BIT(1)
#define SVM_INTERCEPT_VINTR BIT(4)
#define SVM_INTERCEPT_CPUID BIT(18)
#define SVM_INTERCEPT_INVD BIT(22)
#define SVM_INTERCEPT_IRET BIT(20)
#define SVM_INTERCEPT_HLT BIT(24)
#define SVM_INTERCEPT_IOIO BIT(27)
#define SVM_INTERCEPT_MSR BIT(28)
#define SVM_INTERCEPT_SHUTDOWN BIT(31)
/* intercepts2 (vector 4) */
#define SVM_INTERCEPT_VMRUN BIT(0)
#define SVM_INTERCEPT_VMMCALL BIT(1)
#define SVM_INTERCEPT_VMLOAD BIT(2)
#define SVM_INTERCEPT_VMSAVE BIT(3)
#define SVM_INTERCEPT_STGI BIT(4)
#define SVM_INTERCEPT_CLGI BIT(5)
#define SVM_INTERCEPT_SKINIT BIT(6)
#define SVM_INTERCEPT_RDTSCP BIT(7)
#define SVM_INTERCEPT_MONITOR BIT(10)
#define SVM_INTERCEPT_MWAIT BIT(11)
#define SVM_INTERCEPT_MWAIT_ARMED BIT(12)
#define SVM_INTERCEPT_XSETBV BIT(13)

#define SVM_EXIT_WRITE_CR0 0x10 /* + n for CRn */
#define SVM_EXIT_WRITE_CR4 0x14
#define SVM_EXIT_EXCP_BASE 0x40
#define SVM_EXIT_INTR 0x60
#define SVM_EXIT_NMI 0x61
#define SVM_EXIT_VINTR 0x64
#define SVM_EXIT_IRET 0x74
#define SVM_EXIT_CPUID 0x72
#define SVM_EXIT_HLT 0x78
#define SVM_EXIT_IOIO 0x7b
#define SVM_EXIT_MSR 0x7c
#define SVM_EXIT_SHUTDOWN 0x7f
#define SVM_EXIT_VMMCALL 0x81
#define SVM_EXIT_RDTSCP 0x87
#define SVM_EXIT_MONITOR 0x8a
#define SVM_EXIT_MWAIT 0x8b
#define SVM_EXIT_MWAIT_ARMED 0x8c
#define SVM_EXIT_XSETBV 0x8d
#define SVM_EXIT_NPF 0x400
#define SVM_EXIT_INVALID ((u64)-1)

#define SVM_INT_CONTROL_V_IRQ BIT(8)
#define SVM_INT_CONTROL_V_PRIO_MAX (15u << 16)
#define SVM_INT_CONTROL_V_IGN_TPR BIT(20)
#define SVM_INT_CONTROL_V_INTR_MASKING BIT(24)
#define SVM_INT_STATE_SHADOW BIT(0)
#define SVM_TLB_FLUSH_ALL 1

#endif
