/* The one interface between the vendor-neutral core and a virtualization
 * backend (SVM or VMX), in the spirit of Linux's kvm_x86_ops. The core
 * calls these through `virt`, set once at boot, and never learns which
 * vendor answers. Exits come back normalized as struct vm_exit. */
#ifndef HV_VIRT_H
#define HV_VIRT_H

#include "lib/types.h"

struct vm;
struct vcpu;

enum exit_reason {
	EXIT_NONE,
	EXIT_CPUID,
	EXIT_IO,
	EXIT_MSR_READ,
	EXIT_MSR_WRITE,
	EXIT_HLT,
	EXIT_HYPERCALL,     /* VMCALL or VMMCALL, whichever vendor */
	EXIT_STAGE2_FAULT,  /* nested page fault / EPT violation */
	EXIT_SHUTDOWN,      /* triple fault */
	EXIT_INTR,          /* a host interrupt arrived */
	EXIT_NMI,
	EXIT_EXCEPTION,     /* an intercepted guest exception */
	EXIT_XSETBV,        /* the guest loads an XCR (ECX) with EDX:EAX */
	EXIT_CR_ACCESS,     /* MOV to/from a control register (VMX: CR8) */
	EXIT_INVALID_OPCODE, /* an intercepted instruction the guest lacks */
	EXIT_IRQ_WINDOW,    /* the guest can take an interrupt now */
	EXIT_NMI_WINDOW,    /* it may be able to take an NMI now */
	EXIT_ENTRY_FAILED,  /* the CPU refused the guest state */
	EXIT_UNKNOWN,
};

/* Segment registers in the CPU's own numbering: the reg field of MOV
 * Sreg, VMX exit instruction information, SVM IOIO EXITINFO1. */
enum seg_reg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_UNKNOWN = 7 };

struct exit_io {
	u16 port;
	u8 size;      /* 1, 2 or 4 */
	u8 addr_size; /* 2, 4 or 8 for string forms; 0 = not reported */
	u8 seg;       /* OUTS: segment of the source (enum seg_reg); SEG_UNKNOWN
		       * when the CPU did not report it */
	bool in, string, rep;
};

struct exit_stage2 {
	u64 gpa;
	bool read, write, fetch;
	bool present; /* a mapping exists but forbids the access */
	bool walk;    /* on the guest's own page-table access, not the
		       * address the instruction accessed */
	u8 insn_len;  /* bytes at insn the CPU fetched (SVM decode
		       * assists), 0 when it gave none */
	const u8 *insn; /* valid until the next entry */
};

enum event_type {
	EVENT_EXTERNAL = 0,
	EVENT_NMI = 2,
	EVENT_EXCEPTION = 3,
	EVENT_SOFTWARE_INT = 4,          /* INT n */
	EVENT_PRIV_SOFTWARE_EXCEPTION = 5, /* INT1 (ICEBP), VMX only */
	EVENT_SOFTWARE_EXCEPTION = 6,    /* INT3, INTO, VMX only */
};

struct event {
	u8 vector;
	u8 type; /* enum event_type */
	bool has_error;
	u32 error;
	u8 insn_len; /* software events: the length of the instruction */
};

struct exit_cr {
	u8 cr;
	u8 gpr;     /* register number in instruction encoding (0 = RAX) */
	bool write; /* MOV to CR */
};

struct vm_exit {
	enum exit_reason reason;
	u64 hw_code;       /* the vendor's raw exit code, for diagnostics */
	u64 next_rip;      /* valid when next_rip_valid */
	bool next_rip_valid;
	union {
		struct exit_io io;
		struct exit_stage2 stage2;
		struct event exception; /* type EVENT_EXCEPTION unless software */
		struct exit_cr cr;
		u32 msr;
	};
	/* An event whose delivery the exit interrupted: delivered again on
	 * the next entry unless the core injects one of its own. */
	struct event interrupted;
	bool interrupted_valid;
};

/* Guest state the core reads and writes, in one typed view. The backend
 * loads it before every entry and stores it after every exit. */
struct guest_regs {
	u64 rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rip, rflags;
};

/* In the layout of the ABI's struct hv_segment. */
struct segment {
	u64 base;
	u32 limit;
	u16 selector;
	u16 attr; /* access byte in bits 0-7, AVL/L/DB/G in bits 8-11 */
};

/* In the layout of struct hv_vcpu_regs from cs to efer: hv/hc_vcpu.c
 * copies it whole. */
struct guest_sregs {
	struct segment cs, ds, es, fs, gs, ss, tr, ldtr;
	u64 gdt_base, idt_base;
	u32 gdt_limit, idt_limit; /* 16-bit registers */
	u64 cr0, cr2, cr3, cr4, efer;
};

/* Guest registers that VM entry and exit leave in the CPU, kept per vCPU
 * and switched lazily (arch/x86/guest_state.c). */
#define LAZY_MSR_COUNT 5

struct vcpu_lazy {
	void *xsave;            /* XSAVE image (FXSAVE image without XSAVE) */
	u64 dr[4];              /* DR0-DR3 */
	u64 dr6;
	u64 msr[LAZY_MSR_COUNT]; /* where the backend does not switch them */
};

struct virt_ops {
	const char *name;
	/* Turns virtualization on for the calling CPU; negative errno and a
	 * logged reason when it cannot. */
	int (*cpu_enable)(void);

	int (*vm_init)(struct vm *vm);     /* stage-2 root, ASID/VPID pool... */
	void (*vm_destroy)(struct vm *vm);

	int (*vcpu_create)(struct vcpu *v);
	void (*vcpu_destroy)(struct vcpu *v);
	/* Lets another CPU run the vCPU next: VMX's VMCLEAR on this CPU;
	 * NULL where nothing binds a vCPU to a CPU (SVM). */
	void (*vcpu_release)(struct vcpu *v);
	/* Runs the vCPU until the next exit, described in *exit. */
	void (*vcpu_run)(struct vcpu *v, struct vm_exit *exit);
	void (*get_sregs)(struct vcpu *v, struct guest_sregs *s);
	/* Fills only what a fetch at CS:RIP reads, cheaper than get_sregs:
	 * the base and attributes of CS, those of SS (the CPL), CR0, CR3,
	 * CR4 and EFER. */
	void (*get_fetch_sregs)(struct vcpu *v, struct guest_sregs *s);
	/* Negative errno when this CPU cannot run the guest in that state
	 * (e.g. paging off without VMX unrestricted guest), logged. */
	int (*set_sregs)(struct vcpu *v, const struct guest_sregs *s);
	/* The guest's current privilege level (0-3), and CR0 and CR4 as the
	 * guest sees them, cheaply. */
	u8 (*guest_cpl)(struct vcpu *v);
	u64 (*guest_cr0)(struct vcpu *v);
	u64 (*guest_cr4)(struct vcpu *v);
	/* The MSRs kept in the backend's guest state, EFER (as the guest
	 * sees it) and PAT, by their MSR numbers; set_msr takes values the
	 * core checked. */
	u64 (*get_msr)(struct vcpu *v, u32 index);
	void (*set_msr)(struct vcpu *v, u32 index, u64 value);
	/* Sets DR6 as a #DB trap the core raises for v would (the B0-B3
	 * bits replaced, BD and BS added), wherever the backend keeps it. */
	void (*debug_trap)(struct vcpu *v, u64 dr6_bits);
	/* Queues an event for delivery at the next entry. */
	void (*inject_event)(struct vcpu *v, const struct event *e);
	/* Takes back what inject_event queued, before an entry delivered it. */
	void (*cancel_event)(struct vcpu *v);
	/* Whether an external interrupt (RFLAGS.IF set, no STI or MOV SS
	 * shadow) or an NMI (not blocked by one, no shadow) can be injected
	 * now: at the guest's RIP, after what the core emulated. */
	bool (*interrupt_allowed)(struct vcpu *v);
	bool (*nmi_allowed)(struct vcpu *v);
	/* Arms or disarms the exit (EXIT_IRQ_WINDOW, EXIT_NMI_WINDOW) at
	 * the first instruction boundary where the guest can take one; the
	 * NMI one may come early (check nmi_allowed again). */
	void (*set_irq_window)(struct vcpu *v, bool on);
	void (*set_nmi_window)(struct vcpu *v, bool on);
	/* HV_BACKEND_* bits of abi/hv_abi.h, after cpu_enable. */
	u32 (*features)(void);
	/* Prints the backend's view of the vCPU for failure reports. */
	void (*dump)(struct vcpu *v);
	/* The guest's TSC reads the host's plus offset (mod 2^64) from the
	 * next entry on. */
	void (*set_tsc_offset)(struct vcpu *v, u64 offset);
};

/* The backend in use; NULL until virt_init() succeeded. */
extern const struct virt_ops *virt;

#endif
