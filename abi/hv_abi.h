/* The hypercall ABI, version 1: what a guest programs against.
 *
 * Calling convention: RAX = call number, RDI = guest-physical address of
 * the call's struct; VMCALL or VMMCALL (both work on both vendors). RAX
 * returns >= 0 on success or a negative Linux errno. No other register
 * changes.
 *
 * Input structs begin with {u32 size; u32 flags;}: the caller's size of
 * the struct. The hypervisor copies `size` bytes once; a smaller (older)
 * struct is zero-extended, a larger (newer) one must be zero past what
 * the hypervisor knows (else -E2BIG and the hypervisor's size is written
 * back into `size`), anything below the first published size is -EINVAL.
 * Unknown flag bits and non-zero reserved fields are -EINVAL.
 *
 * Output structs begin with {u32 argsz; u32 flags;}: the caller's buffer
 * size. The hypervisor fills what fits, zeroes padding, and sets argsz
 * to the size it needed. Optional information travels in capability
 * chains (struct hv_cap_header), offsets from the start of the struct.
 *
 * Every struct has its published sizes as HV_<NAME>_SIZE_VER<n>. The
 * machine-readable description used by the tracer and tools/hvdump is
 * abi/hv_abi.def. docs/abi.md is the specification. */
#ifndef ABI_HV_ABI_H
#define ABI_HV_ABI_H

#include <stdint.h>

#ifdef __cplusplus
#define HV_ABI_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define HV_ABI_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif
#define HV_ABI_OFFSET(t, f) __builtin_offsetof(t, f)

/* ---- call numbers ------------------------------------------------------ *
 * ABI_VERSION, INFO, CHECK_EXTENSION and CONSOLE_WRITE are open to every
 * VM; all others are management calls: VM 0 only, -EPERM for the rest. */

enum hv_call {
	HV_CALL_ABI_VERSION = 0,     /* no struct; returns HV_ABI_VERSION */
	HV_CALL_INFO = 1,            /* struct hv_info (output) */
	HV_CALL_CHECK_EXTENSION = 2, /* struct hv_check_extension */
	HV_CALL_FEATURE = 3,         /* struct hv_feature */
	HV_CALL_CONSOLE_WRITE = 4,   /* struct hv_console_write; any VM */
	HV_CALL_VM_CREATE = 5,       /* struct hv_vm_create; returns the VM id */
	HV_CALL_VM_DESTROY = 6,      /* struct hv_vm_destroy */
	HV_CALL_VM_ADD_MEMORY = 7,   /* struct hv_vm_memory */
	HV_CALL_VM_COPY = 8,         /* struct hv_vm_copy */
	HV_CALL_VCPU_CREATE = 9,     /* struct hv_vcpu_create; returns the vCPU id */
	HV_CALL_VCPU_GET_REGS = 10,  /* struct hv_vcpu_regs (argsz) */
	HV_CALL_VCPU_SET_REGS = 11,  /* struct hv_vcpu_regs (size) */
	HV_CALL_VCPU_RUN = 12,       /* struct hv_vcpu_run; fills struct hv_exit */
	HV_CALL_STATS = 13,          /* struct hv_stats (output) */
	HV_CALL_VCPU_RUN_PAGE_SET = 14, /* struct hv_vcpu_run_page_set */
	HV_CALL_VCPU_RUN_PAGED = 15, /* registers (struct hv_vcpu_run_paged);
				      * the exit goes to the run page */
	HV_CALL_VM_MAP_WINDOW = 16,  /* struct hv_vm_window (HV_EXT_MEM_WINDOW) */
	HV_CALL_VM_UNMAP_WINDOW = 17, /* struct hv_vm_window */
	HV_CALL_VM_SET_CPUID = 18,   /* struct hv_vm_set_cpuid (HV_EXT_CPUID_SET) */
	HV_CALL_VM_IRQ = 19,         /* struct hv_vm_irq (HV_EXT_IRQ) */
	HV_CALL_VCPU_START = 20,     /* struct hv_vcpu_start (HV_EXT_VM0_SMP) */
	HV_CALL_TRACE_READ = 21,     /* struct hv_trace_read (HV_EXT_TRACE_BUFFER);
				      * returns the records copied */
	HV_CALL_DMESG = 22,          /* struct hv_dmesg (HV_EXT_DMESG) */
	HV_CALL_VCPU_GET_LAPIC = 23, /* struct hv_vcpu_lapic (HV_EXT_LAPIC_STATE) */
	HV_CALL_VCPU_KICK = 24,      /* struct hv_vcpu_kick (HV_EXT_VM0_SMP) */
	HV_CALL_CPU_STATS = 25,      /* struct hv_cpu_stats (HV_EXT_CPU_STATS) */
	HV_CALL_VM0_IDLE = 26,       /* struct hv_vm0_idle (HV_EXT_VM0_IDLE); returns
				      * 1 when woken by a kick, 0 at the deadline */
	HV_CALL_COUNT
};

#define HV_ABI_VERSION 1u
/* This header's revision: absent in the frozen v1 copy (abi/v1/), 2 since
 * the first extension. Code built against both tests it per feature. */
#define HV_ABI_HEADER_REVISION 2

/* Errors (negated in RAX), Linux numbering. */
#define HV_EPERM 1
#define HV_ENOENT 2
#define HV_ESRCH 3 /* the VM has stopped */
#define HV_E2BIG 7
#define HV_ENOMEM 12
#define HV_EFAULT 14
#define HV_EBUSY 16
#define HV_EEXIST 17
#define HV_EINVAL 22
#define HV_ENOTTY 25
#define HV_ENOSPC 28
#define HV_ENOSYS 38

/* ---- capability chains ------------------------------------------------- */

struct hv_cap_header {
	uint16_t id;      /* HV_CAP_*; skip ids you do not know */
	uint16_t version; /* of this capability's layout */
	uint32_t next;    /* offset of the next capability from the start
			   * of the enclosing struct; 0 ends the chain */
};

/* ---- HV_CALL_INFO ------------------------------------------------------ */

#define HV_INFO_FLAG_CAPS 1u /* out: cap_offset points at a chain */

struct hv_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t abi_version;
	uint32_t cap_offset; /* first capability, 0 when none */
};
#define HV_INFO_SIZE_VER0 16

#define HV_CAP_BACKEND 1
struct hv_cap_backend {
	struct hv_cap_header header;
	char vendor[16];   /* CPU vendor string, NUL-terminated */
	char backend[8];   /* "svm" or "vmx" */
	uint32_t features; /* HV_BACKEND_* */
	uint32_t reserved;
};
#define HV_BACKEND_NPT_OR_EPT 1u
#define HV_BACKEND_NEXT_RIP 2u        /* the CPU reports instruction lengths */
#define HV_BACKEND_UNRESTRICTED 4u    /* paging-off guests can run */

#define HV_CAP_MEMORY 2
struct hv_cap_memory {
	struct hv_cap_header header;
	uint64_t page_sizes; /* bit n set: pages of 2^n bytes */
	uint64_t total_bytes;
	uint64_t free_bytes;
};

#define HV_CAP_LIMITS 3
struct hv_cap_limits {
	struct hv_cap_header header;
	uint32_t max_vms;
	uint32_t max_vcpus_per_vm;
	uint32_t max_memory_regions;
	uint32_t max_name_len;
};

/* ---- HV_CALL_CHECK_EXTENSION: returns 0 (absent) or a positive value --- */

struct hv_check_extension {
	uint32_t size;
	uint32_t flags; /* none defined */
	uint32_t extension;
	uint32_t reserved;
};
#define HV_CHECK_EXTENSION_SIZE_VER0 16

enum hv_extension {
	HV_EXT_INFO_CAPS = 1,       /* 1: hv_info carries capability chains */
	HV_EXT_FEATURE = 2,         /* 1: HV_CALL_FEATURE exists */
	HV_EXT_MAX_VMS = 3,         /* the number of VMs */
	HV_EXT_MAX_VCPUS = 4,       /* vCPUs per VM */
	HV_EXT_EXIT_HYPERCALL = 5,  /* 1: HV_EXIT_HYPERCALL can be enabled */
	HV_EXT_TRACE = 6,           /* 1: HV_FEATURE_TRACE exists */
	HV_EXT_RUN_PAGE = 7,        /* the struct hv_run_page size the hypervisor
				     * writes: run pages can be registered */
	HV_EXT_MMIO_EXIT = 8,       /* 1: HV_EXIT_MMIO can be enabled */
	HV_EXT_MEM_WINDOW = 9,      /* the windows VM 0 may have at once:
				     * HV_CALL_VM_MAP_WINDOW exists */
	HV_EXT_READONLY_MEMORY = 10, /* 1: HV_MEM_READONLY is known */
	HV_EXT_CPUID_SET = 11,      /* HV_CPUID_MAX_ENTRIES: a child's CPUID
				     * table can be set (HV_CALL_VM_SET_CPUID) */
	HV_EXT_MSR_EXIT = 12,       /* 1: HV_EXIT_MSR can be enabled */
	HV_EXT_TSC = 13,            /* the TSC frequency in kHz (also CPUID
				     * HV_CPUID_TSC EAX); children's TSCs are
				     * offset to start near 0 */
	HV_EXT_LAPIC = 14,          /* 1: HV_FEATURE_LAPIC gives a child's
				     * vCPUs a virtual local APIC */
	HV_EXT_IRQ = 15,            /* 1: HV_CALL_VM_IRQ, HV_EXIT_IRQ_WINDOW and
				     * HV_RUN_IRQ_WINDOW exist */
	HV_EXT_EOI_EXIT = 16,       /* 1: HV_EXIT_EOI can be enabled */
	HV_EXT_MODULE_MAP = 17,     /* 1: a boot module too large for VM 0's
				     * RAM is mapped read-only above it
				     * (abi/hv_boot.h) */
	HV_EXT_RUN_DEADLINE = 18,   /* 1: HV_RUN_DEADLINE, hv_vcpu_run.deadline
				     * and hv_run_page.deadline exist */
	HV_EXT_FREE_CHUNKS = 19,    /* the bytes of a chunk of VM RAM (2 MiB):
				     * hv_stats.free_chunk_bytes exists */
	HV_EXT_VM0_SMP = 20,        /* VM 0's vCPUs, one per CPU (1: only the
				     * boot vCPU); HV_CALL_VCPU_START exists */
	HV_EXT_TRACE_BUFFER = 21,   /* HV_TRACE_RECORD_SIZE: the binary trace
				     * buffer and HV_CALL_TRACE_READ exist */
	HV_EXT_DMESG = 22,          /* the bytes of the hypervisor's log ring:
				     * HV_CALL_DMESG exists, and hv_stats has
				     * guest_tsc and exit_counts (VER2) */
	HV_EXT_LAPIC_STATE = 23,    /* 1: HV_CALL_VCPU_GET_LAPIC exists */
	HV_EXT_CPU_STATS = 24,      /* the CPUs HV_CALL_CPU_STATS answers for */
	HV_EXT_VM0_IDLE = 25,       /* 1: HV_CALL_VM0_IDLE exists, and
				     * HV_CALL_VCPU_KICK wakes VM 0's vCPUs */
};

/* ---- HV_CALL_FEATURE (VFIO-style GET/SET/PROBE) ------------------------ */

#define HV_FEATURE_MASK 0xffffu
#define HV_FEATURE_GET (1u << 16)
#define HV_FEATURE_SET (1u << 17)
#define HV_FEATURE_PROBE (1u << 18)

enum hv_feature_id {
	HV_FEATURE_EXIT_REASONS = 1, /* per VM: mask of optional HV_EXIT_* bits */
	HV_FEATURE_TRACE = 2,        /* hypervisor-wide: HV_TRACE_* bits */
	HV_FEATURE_LAPIC = 3,        /* per VM: 1 = a virtual local APIC per
				      * vCPU; SET before the VM's first run */
};

#define HV_TRACE_HYPERCALLS 1u

/* flags = feature id | GET/SET/PROBE. PROBE answers 0 when the operation
 * would succeed; GET fills value; SET applies value. GET|SET without
 * PROBE is -EINVAL; an absent feature is -ENOTTY. */
struct hv_feature {
	uint32_t size;
	uint32_t flags;
	uint32_t vm;       /* per-VM features; 0 for hypervisor-wide ones */
	uint32_t reserved;
	uint64_t value;
};
#define HV_FEATURE_SIZE_VER0 24

/* ---- HV_CALL_CONSOLE_WRITE (every VM) ---------------------------------- */

#define HV_CONSOLE_MAX 4096

struct hv_console_write {
	uint32_t size;
	uint32_t flags; /* none defined */
	uint32_t len;   /* bytes at buf, at most HV_CONSOLE_MAX */
	uint32_t reserved;
	uint64_t buf;   /* guest-physical address of the text */
};
#define HV_CONSOLE_WRITE_SIZE_VER0 24

/* ---- VMs --------------------------------------------------------------- */

#define HV_NAME_MAX 32

struct hv_vm_create {
	uint32_t size;
	uint32_t flags;     /* none defined */
	uint64_t mem_size;  /* RAM at guest-physical 0, a multiple of 2 MiB */
	uint32_t vcpus;     /* vCPUs the VM may create, 1..max */
	uint32_t reserved;
	char name[HV_NAME_MAX]; /* NUL-terminated, non-empty */
	/* VER1 */
	uint32_t exit_reasons; /* optional HV_EXIT_* to report (see feature) */
	uint32_t reserved1;
};
#define HV_VM_CREATE_SIZE_VER0 56
#define HV_VM_CREATE_SIZE_VER1 64

struct hv_vm_destroy {
	uint32_t size;
	uint32_t flags; /* none defined */
	uint32_t vm;
	uint32_t reserved;
};
#define HV_VM_DESTROY_SIZE_VER0 16

#define HV_MEM_READONLY 1u /* the child may read and execute, not write
			    * (HV_EXT_READONLY_MEMORY) */

struct hv_vm_memory {
	uint32_t size;
	uint32_t flags; /* HV_MEM_READONLY */
	uint32_t vm;
	uint32_t reserved;
	uint64_t gpa;    /* 2 MiB aligned, not overlapping existing RAM */
	uint64_t length; /* a multiple of 2 MiB */
};
#define HV_VM_MEMORY_SIZE_VER0 32

#define HV_COPY_TO_VM 1u   /* caller's buffer -> the VM's memory */
#define HV_COPY_FROM_VM 2u /* the VM's memory -> caller's buffer */

struct hv_vm_copy {
	uint32_t size;
	uint32_t flags; /* exactly one of HV_COPY_TO_VM, HV_COPY_FROM_VM */
	uint32_t vm;
	uint32_t reserved;
	uint64_t vm_gpa; /* address in the target VM */
	uint64_t buf;    /* address in the caller */
	uint64_t length; /* at most HV_COPY_MAX per call */
};
#define HV_VM_COPY_SIZE_VER0 40
#define HV_COPY_MAX (1u << 20)

/* ---- windows: a child's memory in VM 0's (HV_EXT_MEM_WINDOW) ----------- *
 * MAP_WINDOW maps the child's guest-physical [vm_gpa, vm_gpa+length) at
 * VM 0's guest-physical gpa; UNMAP_WINDOW removes the window that starts
 * at gpa (vm names its child; vm_gpa and length are 0). */
#define HV_WINDOW_READONLY 1u /* VM 0 may read, not write or execute */

struct hv_vm_window {
	uint32_t size;
	uint32_t flags;  /* MAP: HV_WINDOW_READONLY; UNMAP: none */
	uint32_t vm;     /* the child */
	uint32_t reserved;
	uint64_t vm_gpa; /* in the child: 4 KiB aligned, all its RAM */
	uint64_t length; /* a non-zero multiple of 4 KiB */
	uint64_t gpa;    /* in VM 0: 4 KiB aligned, clear of its RAM and windows */
	uint64_t reserved1;
};
#define HV_VM_WINDOW_SIZE_VER0 48

/* ---- vCPUs ------------------------------------------------------------- */

struct hv_vcpu_create {
	uint32_t size;
	uint32_t flags; /* none defined */
	uint32_t vm;
	uint32_t reserved;
};
#define HV_VCPU_CREATE_SIZE_VER0 16

struct hv_segment {
	uint64_t base;
	uint32_t limit;
	uint16_t selector;
	uint16_t attr; /* access byte in bits 0-7, AVL/L/DB/G in bits 8-11 */
};

#define HV_REGS_GPRS 1u  /* gprs, rip, rflags */
#define HV_REGS_SREGS 2u /* segments, descriptor tables, control registers */

/* GET: size is the caller's buffer (argsz semantics); the hypervisor
 * fills both parts and sets size to what it needed. SET: size-versioned
 * input; flags select the parts to write. */
struct hv_vcpu_regs {
	uint32_t size;
	uint32_t flags;
	uint32_t vm;
	uint32_t vcpu;
	uint64_t gprs[16]; /* rax rbx rcx rdx rsi rdi rbp rsp r8 .. r15 */
	uint64_t rip;
	uint64_t rflags;
	struct hv_segment cs, ds, es, fs, gs, ss, tr, ldtr;
	uint64_t gdt_base, idt_base;
	uint32_t gdt_limit, idt_limit;
	uint64_t cr0, cr2, cr3, cr4, efer;
};
#define HV_VCPU_REGS_SIZE_VER0 352

/* ---- HV_CALL_VCPU_RUN and the exit record ------------------------------ */

/* With HV_RUN_COMPLETE, complete_value answers the exit the last run
 * returned: the data of an HV_EXIT_IO in or an HV_EXIT_MMIO read
 * (without it, the read gives all-ones), or the return value of an
 * HV_EXIT_HYPERCALL (without it, -ENOSYS). */
#define HV_RUN_COMPLETE 1u
/* Answers the HV_EXIT_MSR the last run returned with #GP for the guest
 * (RIP stays at the RDMSR/WRMSR); valid only for a VM with HV_EXIT_MSR
 * enabled, ignored after any other exit. */
#define HV_RUN_MSR_GP 2u
/* With HV_RUN_IRQ_WINDOW (HV_EXT_IRQ; the VM enabled HV_EXIT_IRQ_WINDOW,
 * else -EINVAL), the run returns HV_EXIT_IRQ_WINDOW as soon as the vCPU
 * can take an external interrupt (RFLAGS.IF set, no STI or MOV SS
 * shadow, no event on its way in), before its next instruction. */
#define HV_RUN_IRQ_WINDOW 4u
/* With HV_RUN_DEADLINE (HV_EXT_RUN_DEADLINE), the run returns
 * HV_EXIT_TIMESLICE no later than when VM 0's TSC (what RDTSC reads in
 * VM 0) reaches `deadline` (hv_vcpu_run.deadline, which needs size >=
 * HV_VCPU_RUN_SIZE_VER1, else -EINVAL; hv_run_page.deadline for
 * VCPU_RUN_PAGED), or earlier for any other exit. The deadline only
 * shortens the time slice, halted waiting included. A deadline already
 * reached: the call's answers (HV_RUN_COMPLETE, HV_RUN_MSR_GP) are
 * applied, the vCPU is not entered, HV_EXIT_TIMESLICE at once. */
#define HV_RUN_DEADLINE 8u

struct hv_vcpu_run {
	uint32_t size;
	uint32_t flags;
	uint32_t vm;
	uint32_t vcpu;
	uint64_t exit;           /* guest-physical address of a struct hv_exit */
	uint64_t complete_value; /* with HV_RUN_COMPLETE */
	uint64_t deadline;       /* VM 0's TSC, with HV_RUN_DEADLINE (ver 1) */
};
#define HV_VCPU_RUN_SIZE_VER0 32
#define HV_VCPU_RUN_SIZE_VER1 40

enum hv_exit_reason {
	HV_EXIT_IO = 1,           /* port I/O to a port the VMM emulates */
	HV_EXIT_HLT = 2,          /* HLT with nothing pending */
	HV_EXIT_SHUTDOWN = 3,     /* triple fault: the VM is stopped */
	HV_EXIT_STAGE2_FAULT = 4, /* access outside the VM's memory: stopped */
	HV_EXIT_FAILED = 5,       /* the VM cannot continue (reason in text) */
	HV_EXIT_TIMESLICE = 6,    /* the time slice ended; run again */
	HV_EXIT_HYPERCALL = 7,    /* optional: a hypercall the hypervisor does
				   * not implement, for the VMM (enable with
				   * HV_FEATURE_EXIT_REASONS bit 1 << 7) */
	HV_EXIT_MMIO = 8,         /* optional: a data access outside the VM's
				   * RAM, decoded for the VMM (bit 1 << 8) */
	HV_EXIT_MSR = 9,          /* optional: RDMSR/WRMSR of an MSR the
				   * hypervisor does not emulate (bit 1 << 9) */
	HV_EXIT_IRQ_WINDOW = 10,  /* optional: the vCPU can take an interrupt
				   * now (asked with HV_RUN_IRQ_WINDOW) */
	HV_EXIT_WAIT_SIPI = 11,   /* the vCPU waits for a startup IPI (an
				   * application processor of a VM with
				   * HV_FEATURE_LAPIC, or any vCPU after
				   * INIT): nothing ran; run it again once
				   * a sibling or the VMM sent one */
	HV_EXIT_EOI = 12,         /* optional: the guest's EOI of a level-
				   * triggered vector in its virtual LAPIC
				   * (bit 1 << 12) */
	HV_EXIT_KICKED = 13,      /* optional: HV_CALL_VCPU_KICK ended the run
				   * (bit 1 << 13; else HV_EXIT_TIMESLICE) */
};

#define HV_EXIT_OPTIONAL_MASK                                                \
	((1u << HV_EXIT_HYPERCALL) | (1u << HV_EXIT_MMIO) | (1u << HV_EXIT_MSR) | \
	 (1u << HV_EXIT_IRQ_WINDOW) | (1u << HV_EXIT_EOI) | (1u << HV_EXIT_KICKED))

struct hv_exit_io {
	uint16_t port;
	uint8_t size;      /* 1, 2 or 4 */
	uint8_t direction; /* 0 out, 1 in */
	uint32_t reserved;
	uint64_t value;    /* the value written, for out */
};

struct hv_exit_fault {
	uint64_t gpa;
	uint64_t rip;
	uint32_t access; /* 1 read, 2 write, 4 fetch */
	uint32_t reserved;
};

struct hv_exit_hypercall {
	uint64_t nr;
	uint64_t arg; /* the guest's RDI */
};

/* HV_EXIT_MMIO flags. A write is complete when the exit is reported
 * (RIP is past it); a read takes the value with HV_RUN_COMPLETE on the
 * next run (without it, all-ones). UNDECODED: the instruction is not
 * one the hypervisor emulates; nothing of it has happened (RIP is at
 * it) and size and data are 0. */
#define HV_MMIO_WRITE 1u
#define HV_MMIO_UNDECODED 2u

struct hv_exit_mmio {
	uint64_t gpa;     /* the guest-physical address accessed */
	uint64_t data;    /* HV_MMIO_WRITE: the value written */
	uint8_t size;     /* 1, 2, 4 or 8 bytes */
	uint8_t flags;    /* HV_MMIO_* */
	uint8_t insn_len; /* the instruction's length, 0 when unknown */
	uint8_t reserved;
	uint32_t reserved2;
	uint8_t insn[16]; /* its bytes (up to 15, as far as readable) */
};

/* HV_EXIT_MSR: RIP is at the instruction. The VMM answers on the next
 * run: a read with HV_RUN_COMPLETE and the value for EDX:EAX (0 without),
 * a write by running again; either with HV_RUN_MSR_GP for #GP. */
struct hv_exit_msr {
	uint32_t index;    /* ECX */
	uint32_t write;    /* 0 RDMSR, 1 WRMSR */
	uint64_t value;    /* WRMSR: EDX:EAX; RDMSR: 0 */
	uint64_t reserved; /* 0 */
};
#define HV_EXIT_MSR_SIZE_VER0 24

/* HV_EXIT_EOI: the EOI write (xAPIC page or x2APIC MSR) is complete, RIP
 * is past it; the VMM clears its IOAPIC's remote IRR for the vector and
 * runs the vCPU again (no answer). */
struct hv_exit_eoi {
	uint32_t vector;   /* the level-triggered vector the EOI ended */
	uint32_t reserved; /* 0 */
	uint64_t reserved1; /* 0 */
};
#define HV_EXIT_EOI_SIZE_VER0 16

struct hv_exit {
	uint32_t argsz;
	uint32_t flags;
	uint32_t reason; /* HV_EXIT_* */
	uint32_t reserved;
	uint64_t rip;
	union {
		struct hv_exit_io io;
		struct hv_exit_fault fault;
		struct hv_exit_hypercall hypercall;
		struct hv_exit_mmio mmio;
		struct hv_exit_msr msr;
		struct hv_exit_eoi eoi;
		char text[64]; /* HV_EXIT_FAILED: why */
		uint64_t room[16]; /* reserved room to grow: 128 bytes */
	} u;
};
#define HV_EXIT_SIZE_VER0 152
#define HV_EXIT_MIN_SIZE 24 /* argsz below this: -EINVAL */

/* ---- the run page (HV_EXT_RUN_PAGE) ------------------------------------ *
 * VM 0 registers one page of its own RAM per child vCPU with
 * HV_CALL_VCPU_RUN_PAGE_SET; HV_CALL_VCPU_RUN_PAGED then takes its
 * arguments in registers and the hypervisor writes the exit into the page
 * in place, like KVM's mmap'd kvm_run. */

#define HV_RUN_PAGE_CLEAR 1u /* unregister the vCPU's page (gpa must be 0) */

struct hv_vcpu_run_page_set {
	uint32_t size;
	uint32_t flags;  /* HV_RUN_PAGE_CLEAR */
	uint32_t vm;
	uint32_t vcpu;
	uint64_t gpa;    /* page-aligned, VM 0's RAM; 0 with HV_RUN_PAGE_CLEAR */
};
#define HV_VCPU_RUN_PAGE_SET_SIZE_VER0 24

/* HV_CALL_VCPU_RUN_PAGED reads no memory at RDI: RDI = vm, RSI = vcpu,
 * RDX = flags (HV_RUN_COMPLETE, the answer in hv_run_page.complete_value;
 * HV_RUN_DEADLINE, the deadline in hv_run_page.deadline).
 * Upper bits and unknown flags: -EINVAL. This struct is how the tracer
 * and hvdump show those registers. */
struct hv_vcpu_run_paged {
	uint64_t vm;    /* RDI */
	uint64_t vcpu;  /* RSI */
	uint64_t flags; /* RDX */
};
#define HV_VCPU_RUN_PAGED_SIZE_VER0 24

/* The layout of a registered page. The hypervisor fills it at
 * registration (size, vm, vcpu, exit.argsz; the rest of its first
 * `size` bytes 0) and then writes only exit.reason, exit.rip and the
 * union member the reason selects; other union bytes keep what an
 * earlier exit left. Bytes past `size` up to the page end are room to
 * grow: the hypervisor never writes them. `deadline` lies there: it is
 * the VMM's input, read only by a run with HV_RUN_DEADLINE, so `size`
 * (and HV_EXT_RUN_PAGE) stay 176. */
struct hv_run_page {
	uint32_t size;            /* the layout the hypervisor writes */
	uint32_t flags;           /* none defined: 0 */
	uint32_t vm;
	uint32_t vcpu;
	struct hv_exit exit;      /* as VCPU_RUN writes it; argsz 152 */
	uint64_t complete_value;  /* VMM: read by a run with HV_RUN_COMPLETE */
	/* past the layout the hypervisor writes (`size` stays 176): */
	uint64_t deadline;        /* VMM: read by a run with HV_RUN_DEADLINE */
};
#define HV_RUN_PAGE_SIZE_VER0 176
#define HV_RUN_PAGE_SIZE_VER1 184 /* with deadline (HV_EXT_RUN_DEADLINE) */

/* ---- HV_CALL_STATS: argsz, flags and vm are inputs, the rest output ---- */

#define HV_STATS_VM 1u /* in: statistics of `vm`; otherwise summed over all VMs */

/* hv_stats.exit_counts: the exits the hypervisor took, by what the CPU
 * reported (whatever the vendor), indexed by enum hv_trace_exit. */
#define HV_STATS_EXIT_SLOTS 24 /* 0 and 19-23 are 0 */

struct hv_stats {
	uint32_t argsz;
	uint32_t flags;
	uint32_t vm;
	uint32_t reserved;
	uint64_t exits;
	uint64_t hypercalls;
	uint64_t io_exits;
	uint64_t io_unclaimed_reads;
	uint64_t io_ignored_writes;
	uint64_t vms;         /* hypervisor: VMs alive */
	uint64_t free_bytes;  /* hypervisor: free memory */
	uint64_t vmm_exits;   /* exits handed to the VMM */
	/* HV_EXT_FREE_CHUNKS: hypervisor: the free memory that VM RAM can
	 * come from, in whole free chunks (aligned 2 MiB runs) */
	uint64_t free_chunk_bytes;
	/* HV_EXT_DMESG: */
	uint64_t guest_tsc;   /* TSC ticks the VM's vCPUs ran in guest mode
			       * (children: VM 0's own are not counted) */
	uint64_t exit_counts[HV_STATS_EXIT_SLOTS]; /* exits by enum hv_trace_exit */
};
#define HV_STATS_SIZE_VER0 80
#define HV_STATS_SIZE_VER1 88 /* with free_chunk_bytes */
#define HV_STATS_SIZE_VER2 288 /* with guest_tsc and exit_counts */

/* ---- HV_CALL_VM_SET_CPUID (HV_EXT_CPUID_SET) -------------------------- *
 * The CPUID table a child sees, set before its first run. Each entry
 * answers one leaf (every subleaf) or, with HV_CPUID_ENTRY_INDEXED, one
 * leaf and subleaf; a leaf the table does not list reads as zeros. A bit
 * the hypervisor cannot virtualize is -EINVAL (docs/abi.md says which
 * registers are values and which are feature bits); count 0 gives the
 * VM the hypervisor's default table again. */

#define HV_CPUID_MAX_ENTRIES 64
#define HV_CPUID_ENTRY_INDEXED 1u /* the entry is for `index` only */

struct hv_cpuid_entry {
	uint32_t function; /* the leaf (EAX) */
	uint32_t index;    /* the subleaf (ECX) with HV_CPUID_ENTRY_INDEXED, else 0 */
	uint32_t flags;    /* HV_CPUID_ENTRY_INDEXED */
	uint32_t eax, ebx, ecx, edx;
	uint32_t reserved;
};
#define HV_CPUID_ENTRY_SIZE_VER0 32

struct hv_vm_set_cpuid {
	uint32_t size;
	uint32_t flags;   /* none defined */
	uint32_t vm;
	uint32_t count;   /* entries at `entries`, at most HV_CPUID_MAX_ENTRIES */
	uint64_t entries; /* guest-physical address of count struct hv_cpuid_entry */
	uint64_t reserved;
};
#define HV_VM_SET_CPUID_SIZE_VER0 32

/* ---- HV_CALL_VM_IRQ (HV_EXT_IRQ) --------------------------------------- *
 * An interrupt for a child, from its VMM's devices (IOAPIC, PIC, MSI).
 * With the virtual LAPIC (HV_FEATURE_LAPIC), a message routed to the
 * LAPICs `dest` names (an APIC id, or a logical destination with
 * HV_IRQ_LOGICAL) in any delivery mode; `vcpu` must be 0. Without it, the
 * vector goes straight to vCPU `vcpu` (mode FIXED or EXTINT; NMI),
 * delivered as soon as that vCPU can take it; while one is still pending
 * there, -EBUSY. */

#define HV_IRQ_LOGICAL 1u /* dest is a logical destination */
#define HV_IRQ_LEVEL 2u   /* level-triggered (an edge otherwise) */

enum hv_irq_mode { /* the delivery modes, in the APIC's encoding */
	HV_IRQ_FIXED = 0,
	HV_IRQ_LOWEST = 1,
	HV_IRQ_NMI = 4,
	HV_IRQ_INIT = 5,
	HV_IRQ_SIPI = 6,
	HV_IRQ_EXTINT = 7,
};

struct hv_vm_irq {
	uint32_t size;
	uint32_t flags;    /* HV_IRQ_LOGICAL, HV_IRQ_LEVEL */
	uint32_t vm;
	uint32_t vcpu;     /* without the virtual LAPIC: the vCPU; else 0 */
	uint32_t dest;     /* with it: APIC id or logical destination */
	uint8_t vector;    /* 16-255 for FIXED, LOWEST and EXTINT; the page
			    * number for SIPI; 0 for NMI and INIT */
	uint8_t mode;      /* enum hv_irq_mode */
	uint16_t reserved;
	uint64_t reserved1;
	uint64_t reserved2;
};
#define HV_VM_IRQ_SIZE_VER0 40

/* ---- HV_CALL_TRACE_READ (HV_EXT_TRACE_BUFFER) ------------------------- *
 * The hypervisor records events into one ring of fixed-size records per
 * CPU, off until VM 0 sets a mask of events (xentrace's model). Each call
 * may first set what is recorded (HV_TRACE_READ_SET), then moves up to
 * len / HV_TRACE_RECORD_SIZE of the oldest records of CPU `cpu`'s ring
 * to `buf` and returns how many it moved. A full ring drops new records
 * and counts them; docs/abi.md has the events' fields. */

#define HV_TRACE_READ_SET 1u    /* apply events and the VM filter first */
#define HV_TRACE_READ_ONE_VM 2u /* with SET: record only VM `vm`'s events */

enum hv_trace_event {
	HV_TRACE_EV_EXIT = 1,      /* an exit the hypervisor handled */
	HV_TRACE_EV_HYPERCALL = 2, /* a hypercall and its result */
	HV_TRACE_EV_INJECT = 3,    /* an event injected: arg HV_TRACE_INJECT_* */
	HV_TRACE_EV_RUN_START = 4, /* VM 0's run call enters a child's vCPU */
	HV_TRACE_EV_RUN_END = 5,   /* ... and returns to VM 0 */
	HV_TRACE_EV_VM_STOP = 6,   /* a child VM stopped */
};
#define HV_TRACE_EV_ALL 0x7eu /* the bits (1 << HV_TRACE_EV_*) defined */
/* An INJECT record's arg: what its vector (code) is. */
#define HV_TRACE_INJECT_IRQ 0u       /* an external interrupt */
#define HV_TRACE_INJECT_NMI 1u       /* an NMI (vector 2) */
#define HV_TRACE_INJECT_EXCEPTION 2u /* an exception the hypervisor raised or
				      * reflected; value: its error code */

struct hv_trace_read {
	uint32_t size;
	uint32_t flags;    /* HV_TRACE_READ_* */
	uint32_t events;   /* in with SET: bits 1 << HV_TRACE_EV_*, 0 = off;
			    * out: the events recorded now */
	uint32_t vm;       /* in with SET|ONE_VM: the VM traced; out: the
			    * VM traced now, HV_TRACE_ALL_VMS for every VM */
	uint32_t cpu;      /* in: the CPU whose ring is read (0: the boot CPU) */
	uint32_t len;      /* in: bytes at buf, a multiple of HV_TRACE_RECORD_SIZE */
	uint64_t buf;      /* in: guest-physical address in VM 0 for the records */
	uint64_t lost;     /* out: records the ring dropped since its last read */
	uint64_t reserved;
};
#define HV_TRACE_READ_SIZE_VER0 48
#define HV_TRACE_ALL_VMS 0xffffffffu
#define HV_TRACE_READ_MAX (64u << 10) /* len at most */

/* The internal exit reasons a record names (HV_TRACE_EV_EXIT's code). */
enum hv_trace_exit {
	HV_TRACE_EXIT_CPUID = 1,
	HV_TRACE_EXIT_IO = 2,
	HV_TRACE_EXIT_MSR_READ = 3,
	HV_TRACE_EXIT_MSR_WRITE = 4,
	HV_TRACE_EXIT_HLT = 5,
	HV_TRACE_EXIT_HYPERCALL = 6,
	HV_TRACE_EXIT_STAGE2_FAULT = 7,
	HV_TRACE_EXIT_SHUTDOWN = 8,
	HV_TRACE_EXIT_INTR = 9,
	HV_TRACE_EXIT_NMI = 10,
	HV_TRACE_EXIT_EXCEPTION = 11,
	HV_TRACE_EXIT_XSETBV = 12,
	HV_TRACE_EXIT_CR_ACCESS = 13,
	HV_TRACE_EXIT_INVALID_OPCODE = 14,
	HV_TRACE_EXIT_IRQ_WINDOW = 15,
	HV_TRACE_EXIT_NMI_WINDOW = 16,
	HV_TRACE_EXIT_ENTRY_FAILED = 17,
	HV_TRACE_EXIT_UNKNOWN = 18,
};

/* One record. code, arg and value by type:
 *   EXIT       reason (HV_TRACE_EXIT_*), ticks from the exit to the end
 *              of its handling, the guest's RIP at the exit
 *   HYPERCALL  call number (0xffffffff: larger), 0, the result
 *   INJECT     vector, 1 for an NMI (else 0), 0
 *   RUN_START  0, 0, 0 (vm and vcpu: the child's)
 *   RUN_END    the HV_EXIT_* the run returned, 0, the child's RIP
 *   VM_STOP    the HV_EXIT_* it stopped with, 0, its RIP */
struct hv_trace_record {
	uint64_t tsc;   /* the host's TSC at the event (an exit: as the
			 * hypervisor began handling it) */
	uint32_t vm;
	uint16_t vcpu;
	uint8_t cpu;    /* the CPU it happened on */
	uint8_t type;   /* enum hv_trace_event */
	uint32_t code;
	uint32_t arg;
	uint64_t value;
};
#define HV_TRACE_RECORD_SIZE 32
/* ---- HV_CALL_DMESG (HV_EXT_DMESG) ------------------------------------- *
 * The hypervisor's log ring: every line that reached its console, each
 * behind "<N>" with N its level (0 error, 1 warning, 2 info, 3 debug).
 * Bytes are numbered from boot; the call copies up to len bytes from
 * seq on (an overwritten seq starts at the oldest byte held) and says
 * where to go on (next) and how many bytes from seq were lost to the
 * ring's wrapping. Returns the bytes copied: 0 once seq is the end. */
struct hv_dmesg {
	uint32_t size;
	uint32_t flags;     /* none defined */
	uint64_t seq;       /* the first byte wanted; 0: the oldest held */
	uint64_t buf;       /* guest-physical address of len bytes */
	uint32_t len;
	uint32_t reserved;
	uint64_t next;      /* out: seq for the next call */
	uint64_t lost;      /* out: bytes from seq overwritten before this call */
	uint64_t reserved1;
};
#define HV_DMESG_SIZE_VER0 56

/* ---- HV_CALL_VCPU_GET_LAPIC (HV_EXT_LAPIC_STATE) ----------------------- *
 * A child vCPU's virtual local APIC as the hypervisor holds it, for a
 * VMM to show (or save): the vectors requested (IRR), in service (ISR)
 * and level-triggered (TMR) as 256-bit sets, bit v of word v / 64. Like
 * VCPU_GET_REGS, size is the caller's buffer and comes back as what the
 * hypervisor filled. -ENOTTY: the VM has no virtual LAPIC. */
struct hv_vcpu_lapic {
	uint32_t size;
	uint32_t flags;         /* none defined */
	uint32_t vm;
	uint32_t vcpu;
	uint64_t apic_base;     /* out: IA32_APIC_BASE */
	uint32_t id;            /* out: the APIC id */
	uint32_t tpr;           /* out: the task priority */
	uint32_t svr;           /* out: the spurious-interrupt vector register */
	uint32_t esr;           /* out: errors latched since the last ESR write */
	uint64_t irr[4];        /* out */
	uint64_t isr[4];        /* out */
	uint64_t tmr[4];        /* out */
	uint64_t lvt[6];        /* out: timer, thermal, perf, LINT0, LINT1, error */
	uint32_t timer_initial; /* out: the timer's initial count */
	uint32_t timer_dcr;     /* out: its divide configuration */
	uint64_t reserved;
	uint64_t reserved1;
};
#define HV_VCPU_LAPIC_SIZE_VER0 208
/* ---- HV_CALL_VCPU_START (HV_EXT_VM0_SMP) ------------------------------- *
 * VM 0 has one vCPU per CPU (HV_EXT_VM0_SMP says how many), each pinned
 * to its CPU: vCPU 0 starts at the entry (abi/hv_boot.h), vCPU i > 0
 * waits until VM 0 starts it with this call, once. It starts in the
 * calling vCPU's mode: its control registers, segments, descriptor
 * tables and page tables; RIP, RSP and RDI as given, the other GPRs 0,
 * RFLAGS 2 (interrupts off). Errors: -EINVAL (flags or reserved set),
 * -ENOENT (no such vCPU, or vCPU 0), -EBUSY (started already). */

struct hv_vcpu_start {
	uint32_t size;
	uint32_t flags;    /* 0 */
	uint32_t vcpu;     /* 1 .. HV_EXT_VM0_SMP - 1 */
	uint32_t reserved;
	uint64_t rip;
	uint64_t rsp;
	uint64_t rdi;
	uint64_t reserved1;
};
#define HV_VCPU_START_SIZE_VER0 48

/* ---- HV_CALL_VCPU_KICK (HV_EXT_VM0_SMP) -------------------------------- *
 * Ends a child vCPU's run now, wherever it runs (an IPI to its CPU): the
 * run returns HV_EXIT_KICKED when the VM enabled it, else
 * HV_EXIT_TIMESLICE. A vCPU not running now ends its next run so before
 * it enters. With HV_EXT_VM0_IDLE, vm 0 names one of VM 0's own vCPUs:
 * the kick only wakes it from HV_CALL_VM0_IDLE (or its next such call).
 * Errors: -EINVAL (flags or reserved set), -ENOENT. */

struct hv_vcpu_kick {
	uint32_t size;
	uint32_t flags;    /* 0 */
	uint32_t vm;
	uint32_t vcpu;
	uint64_t reserved;
};
#define HV_VCPU_KICK_SIZE_VER0 24

/* ---- HV_CALL_CPU_STATS (HV_EXT_CPU_STATS) ------------------------------ *
 * One physical CPU's figures since the hypervisor started (start_tsc),
 * in TSC ticks where they are times. HV_EXT_CPU_STATS answers how many CPUs there are:
 * those the hypervisor started, virtualized or not, numbered as VM 0's
 * vCPUs (CPU i runs VM 0's vCPU i). Like VCPU_GET_LAPIC, size is the
 * caller's buffer and comes back as what the hypervisor filled; the first
 * 16 bytes are the input. Errors: -EINVAL (flags or reserved set, cpu not
 * below the count, size below 16), -EFAULT. */

#define HV_CPU_STATS_VIRT 1u /* state: it runs virtualized */
#define HV_CPU_STATS_VM0 2u  /* state: VM 0's vCPU runs on it (started) */

struct hv_cpu_stats {
	uint32_t size;
	uint32_t flags;     /* none defined */
	uint32_t cpu;       /* 0 .. HV_EXT_CPU_STATS - 1 */
	uint32_t reserved;
	uint32_t state;     /* out: HV_CPU_STATS_* */
	uint32_t reserved1;
	uint64_t exits;     /* out: its exits from guest mode, every VM's */
	uint64_t guest_tsc; /* out: children's vCPUs in guest mode on it
			     * (VM 0's own time is not counted) */
	uint64_t idle_tsc;  /* out: halted, waiting for work */
	uint64_t tsc;       /* out: VM 0's TSC when these were read */
	uint64_t start_tsc; /* out: VM 0's TSC when the hypervisor started:
			     * the figures cover the time since */
	uint64_t reserved2;
};
#define HV_CPU_STATS_SIZE_VER0 72

/* ---- HV_CALL_VM0_IDLE (HV_EXT_VM0_IDLE) -------------------------------- *
 * The calling VM 0 vCPU sleeps in the hypervisor, its CPU halted, until
 * another of VM 0's vCPUs wakes it (HV_CALL_VCPU_KICK naming vm 0 and this
 * vCPU): returns 1; or until VM 0's TSC reached `deadline` (0: none):
 * returns 0. A kick sent while the vCPU was not idle waits for its next
 * call, which returns 1 at once. Errors: -EINVAL (flags or reserved set);
 * another VM gets -EPERM. */

struct hv_vm0_idle {
	uint32_t size;
	uint32_t flags;    /* 0 */
	uint64_t deadline; /* VM 0's TSC; 0: no deadline */
	uint64_t reserved;
};
#define HV_VM0_IDLE_SIZE_VER0 24

/* ---- layout checks ----------------------------------------------------- */

HV_ABI_STATIC_ASSERT(sizeof(struct hv_cap_header) == 8, "hv_cap_header");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_info) == HV_INFO_SIZE_VER0, "hv_info");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_cap_backend) == 40, "hv_cap_backend");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_cap_memory) == 32, "hv_cap_memory");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_cap_limits) == 24, "hv_cap_limits");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_check_extension) == HV_CHECK_EXTENSION_SIZE_VER0, "hv_check_extension");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_feature) == HV_FEATURE_SIZE_VER0, "hv_feature");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_feature, value) == 16, "hv_feature.value");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_console_write) == HV_CONSOLE_WRITE_SIZE_VER0, "hv_console_write");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vm_create) == HV_VM_CREATE_SIZE_VER1, "hv_vm_create");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_vm_create, name) == 24, "hv_vm_create.name");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_vm_create, exit_reasons) == HV_VM_CREATE_SIZE_VER0, "hv_vm_create.exit_reasons");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vm_destroy) == HV_VM_DESTROY_SIZE_VER0, "hv_vm_destroy");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vm_memory) == HV_VM_MEMORY_SIZE_VER0, "hv_vm_memory");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vm_copy) == HV_VM_COPY_SIZE_VER0, "hv_vm_copy");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vcpu_create) == HV_VCPU_CREATE_SIZE_VER0, "hv_vcpu_create");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_segment) == 16, "hv_segment");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vcpu_regs) == HV_VCPU_REGS_SIZE_VER0, "hv_vcpu_regs");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_vcpu_regs, gprs) == 16, "hv_vcpu_regs.gprs");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_vcpu_regs, cs) == 160, "hv_vcpu_regs.cs");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_vcpu_regs, cr0) == 312, "hv_vcpu_regs.cr0");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vcpu_run) == HV_VCPU_RUN_SIZE_VER1, "hv_vcpu_run");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_vcpu_run, deadline) == HV_VCPU_RUN_SIZE_VER0, "hv_vcpu_run.deadline");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vm_irq) == HV_VM_IRQ_SIZE_VER0, "hv_vm_irq");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_exit_io) == 16, "hv_exit_io");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_exit_mmio) == 40, "hv_exit_mmio");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_exit_msr) == HV_EXIT_MSR_SIZE_VER0, "hv_exit_msr");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_exit_eoi) == HV_EXIT_EOI_SIZE_VER0, "hv_exit_eoi");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_exit) == HV_EXIT_SIZE_VER0, "hv_exit");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_exit, u) == 24, "hv_exit.u");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_stats) == HV_STATS_SIZE_VER2, "hv_stats");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_stats, guest_tsc) == HV_STATS_SIZE_VER1, "hv_stats.guest_tsc");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vcpu_run_page_set) == HV_VCPU_RUN_PAGE_SET_SIZE_VER0, "hv_vcpu_run_page_set");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vcpu_run_paged) == HV_VCPU_RUN_PAGED_SIZE_VER0, "hv_vcpu_run_paged");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_run_page) == HV_RUN_PAGE_SIZE_VER1, "hv_run_page");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_run_page, deadline) == HV_RUN_PAGE_SIZE_VER0, "hv_run_page.deadline");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_run_page, exit) == 16, "hv_run_page.exit");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_run_page, complete_value) == 168, "hv_run_page.complete_value");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vm_window) == HV_VM_WINDOW_SIZE_VER0, "hv_vm_window");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_cpuid_entry) == HV_CPUID_ENTRY_SIZE_VER0, "hv_cpuid_entry");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vm_set_cpuid) == HV_VM_SET_CPUID_SIZE_VER0, "hv_vm_set_cpuid");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_trace_read) == HV_TRACE_READ_SIZE_VER0, "hv_trace_read");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_trace_record) == HV_TRACE_RECORD_SIZE, "hv_trace_record");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_dmesg) == HV_DMESG_SIZE_VER0, "hv_dmesg");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_dmesg, next) == 32, "hv_dmesg.next");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vcpu_lapic) == HV_VCPU_LAPIC_SIZE_VER0, "hv_vcpu_lapic");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_vcpu_lapic, irr) == 40, "hv_vcpu_lapic.irr");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vcpu_start) == HV_VCPU_START_SIZE_VER0, "hv_vcpu_start");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vcpu_kick) == HV_VCPU_KICK_SIZE_VER0, "hv_vcpu_kick");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_cpu_stats) == HV_CPU_STATS_SIZE_VER0, "hv_cpu_stats");
HV_ABI_STATIC_ASSERT(HV_ABI_OFFSET(struct hv_cpu_stats, exits) == 24, "hv_cpu_stats.exits");
HV_ABI_STATIC_ASSERT(sizeof(struct hv_vm0_idle) == HV_VM0_IDLE_SIZE_VER0, "hv_vm0_idle");

#endif
