/* hvctl, the management guest (VM 0): the VMM of the child VMs it creates
 * through the hypercall ABI, with a shell on COM1. One header for the
 * whole program; each .c file is one concept:
 *
 *   main.c      entry: banner, discovery, script, shell
 *   end.c       failure count, the end of the run, panic
 *   discover.c  what the hypervisor offers (CPUID, INFO, extensions)
 *   words.c     splitting lines into words, numbers, sizes, errno names
 *   tty.c       COM1 input: keys, lines, typed-ahead keys
 *   line_edit.c the line editor: history, cursor keys, Tab completion
 *               (line_edit.h; no hardware, unit-tested)
 *   console.c   `vm console`: the terminal attached to a child's UART
 *   shell.c     the command table and dispatch (help, expect, exit ...)
 *   script.c    mgmt.script="cmd; cmd" from VM 0's command line
 *   modules.c   VM 0's boot modules: the images children are made from
 *   child.c     the table of child VMs and their states
 *   vmconfig.c  VM definitions in config modules: the parser
 *               (vmconfig.h; no hardware, unit-tested)
 *   vmdef.c     the config modules, `vm create NAME` from a definition,
 *               autostart
 *   lifecycle.c `vm pause|resume|reset|destroy`, what a VM's on_stop
 *               does when it ends
 *   create.c    `vm create`'s work: checks, VM, vCPUs, load; destroy
 *   load.c      loading a child: kind of image, boot information
 *   elfload.c   copying ELF segments into a child
 *   multiboot.c multiboot (v1) kernels: header, loading, information
 *   linux_boot.c the Linux boot protocol: bzImage header, zero page,
 *               placement, 64-bit entry state (linux_boot.h)
 *   entry.c     GDT, page tables and the entry registers of a child
 *   childmem.c  bulk copies into a child, where an image may go
 *   uart.c      the 16550A UART model at 0x3f8 (uart.h)
 *   childout.c  a child's UART output on VM 0's console, line by line
 *   pc.c        `pc` children: a PC's devices, tables, clock and
 *               interrupt wiring (pc.h); pc_io.c their port and MMIO
 *               dispatch
 *   vmm.c       one slice of a child: its run call (through the run page
 *               when offered, else VCPU_RUN v1) and its exits; the
 *               exit device and the scratch registers
 *   runpage.c   the run page and `runpage` (none when built against
 *               the v1 headers, abi/v1)
 *   sched.c     round-robin over the runnable vCPUs of runnable
 *               children, bounds and keys; background children
 *   vminfo.c    `vm info`: a child and each of its vCPUs
 *   cmd_vm.c    the `vm` commands
 *   run.c       `vm run` / `run`: which children, which bound
 *   cycle.c     `vm cycle`: create/run/destroy, then a leak check
 *   stats.c     `stats` and `trace`
 *   selftest.c  `selftest`: bad pointers must give -EFAULT
 *   bench.c     `bench`: cost of a VM create + destroy
 *
 * Loading calls one way: create.c -> load.c -> the image helpers
 * (multiboot.c -> elfload.c, entry.c) -> childmem.c -> libhv.
 *
 * test/ holds two small multiboot kernels to try hvctl with (a kernel
 * that checks its multiboot information, one that never ends); they are
 * not part of mgmt.elf and have no Makefile rule yet.
 */
#ifndef GUESTS_MGMT_MGMT_H
#define GUESTS_MGMT_MGMT_H

#include "guests/lib/hv.h"
#include "guests/mgmt/linux_boot.h"
#include "guests/mgmt/uart.h"
#include "guests/mgmt/vmconfig.h"
#include "lib/printf.h"
#include "lib/string.h"

/* ---- end.c ------------------------------------------------------------- */

/* Failed `expect`, `selftest` and `cycle` checks; `exit` without a code
 * ends with 1 when this is non-zero. */
extern u32 mgmt_failures;
void mgmt_failed(void);
/* Ends the machine: the hypervisor turns VM 0's write to port 0xf4 into
 * the run's verdict (0 = PASS). */
__noreturn void mgmt_exit(u32 code);

/* ---- words.c ----------------------------------------------------------- */

#define LINE_MAX 512
#define WORDS_MAX 16

/* A line split into words. Spaces separate words, double quotes group
 * (and are removed), a backslash takes the next character literally.
 * raw[i] is where word i starts in the original line. */
struct words {
	int n;
	char *w[WORDS_MAX];
	const char *raw[WORDS_MAX];
	char buf[LINE_MAX];
};

/* False when the line has more than WORDS_MAX words or is too long. */
bool words_split(struct words *ws, const char *line);
/* Decimal or 0x-hex; false on garbage or overflow. */
bool parse_u64(const char *s, u64 *out);
/* A memory size: a number in MiB, or with a K/M/G suffix (KiB, MiB, GiB;
 * "B"/"iB" may follow). False on garbage or overflow. */
bool parse_size(const char *s, u64 *bytes);
/* "on" or "off" into *on; false for any other word. */
bool parse_on_off(const char *s, bool *on);
/* The value of a `key=value` word when the key matches, else NULL. */
const char *opt_value(const char *word, const char *key);
/* "-EFAULT" and friends; other values as "error -N". */
const char *err_name(long err);
/* 16M, 1G, 4K, or plain bytes: the largest whole unit. */
const char *fmt_size(u64 bytes, char *buf, size_t len);
/* Rounded down for people: "254 MiB", "71 KiB", "900 bytes". */
const char *fmt_human(u64 bytes, char *buf, size_t len);
/* Copies src without leading and trailing spaces; with unquote, also
 * without one pair of surrounding double quotes. */
void trim_copy(char *dst, size_t len, const char *src, bool unquote);

/* ---- discover.c -------------------------------------------------------- */

/* The last CHECK_EXTENSION id this build knows: the live header's, or
 * v1's when built against the frozen headers (abi/v1). */
#if HV_ABI_HEADER_REVISION >= 2
#define EXT_LAST HV_EXT_VM0_IDLE
#else
#define EXT_LAST HV_EXT_TRACE
#endif

struct discovery {
	bool hv_bit;            /* CPUID.1:ECX[31] */
	char signature[13];     /* CPUID 0x40000000 EBX ECX EDX */
	u32 max_leaf;
	u32 cpuid_abi;          /* CPUID 0x40000001 EAX */
	long abi_version;       /* HV_CALL_ABI_VERSION */
	long info_ret;          /* HV_CALL_INFO */
	u32 info_flags;
	struct hv_cap_backend backend;
	struct hv_cap_memory memory;
	struct hv_cap_limits limits;
	bool have_backend, have_memory, have_limits;
	long ext[EXT_LAST + 1]; /* CHECK_EXTENSION per enum hv_extension */
};

extern struct discovery disc;

void discover(void);
void print_info(void);  /* `info`: what start-up found */
void print_caps(void);  /* `caps`: the live capability chain */
const char *ext_name(u32 ext);

/* ---- tty.c ------------------------------------------------------------- */

/* True in the interactive shell; false while the script runs. */
extern bool tty_interactive;

/* A key waiting on COM1? Consumes it and returns true. */
bool tty_take_key(void);
/* The next key (typed-ahead keys first, then COM1), or -1 when none is
 * waiting. */
int tty_key(void);
/* Reads one line with the line editor (line_edit.h); an abandoned or
 * refused line reads as "". Background children run while it waits. */
void tty_readline(const char *prompt, char *buf, size_t len);
/* `type TEXT` (a test aid): TEXT becomes keys typed at VM 0's terminal,
 * ^X in it the control key X (^M Enter, ^] the console escape). */
void cmd_type(struct words *ws);
/* A child's console line is about to be printed: a prompt being edited
 * gets a line break and is shown again afterwards. */
void tty_output_begins(void);

/* ---- shell.c / script.c ------------------------------------------------ */

/* Runs one command line; errors are printed, never fatal. */
void shell_exec(const char *line);
/* The i-th command's name, NULL after the last (Tab completion). */
const char *shell_command_name(size_t i);
__noreturn void shell_interactive(void);
/* Runs mgmt.script from VM 0's command line, if any. */
void script_run(const char *cmdline);

/* ---- modules.c --------------------------------------------------------- */

/* The boot module whose first word is `name` (or whose index `name` is). */
const struct hv_boot_module *module_find(const char *name);
/* The module's name (first word) and default arguments (the rest). */
void module_name(const struct hv_boot_module *m, char *buf, size_t len);
const char *module_args(const struct hv_boot_module *m);
void modules_print(void);
/* `modules check`: a write to a module mapped above VM 0's RAM is
 * refused. */
void modules_check(void);

/* ---- child.c ----------------------------------------------------------- */

#define CHILDREN_MAX 16
#define CHILD_LINE_MAX 160
#define CONSOLE_PENDING 64 /* typed bytes its UART has no room for yet */

struct pc;

enum child_state {
	CHILD_CREATED,  /* loaded, never run */
	CHILD_RUNNING,  /* has had slices, still runnable */
	CHILD_EXITED,   /* wrote its result to port 0xf4 */
	CHILD_HALTED,   /* HLT: nothing left to do */
	CHILD_FAULTED,  /* shutdown, stage-2 fault, failed */
	CHILD_STOPPED,  /* `vm stop` */
	CHILD_POWERED_OFF, /* a PC child's ACPI S5 or shutdown port */
	CHILD_RESET,    /* a PC child's reset request */
};

/* The id of a child whose VM could not be made again after a reset
 * (create.c): no VM has it, so calls naming it get -ENOENT. */
#define CHILD_NO_VM 0xffffffffu

/* The MMIO device of children created with `mmio` (mmio_dev.c). */
#define MMIO_DEV_BASE 0xd0000000ULL
#define MMIO_DEV_SIZE 64

/* The vCPUs hvctl runs per child (the hypervisor's VM_MAX_VCPUS). */
#define CHILD_VCPUS_MAX 4

/* Where one vCPU stands, as its last exit told. */
enum vcpu_run_state {
	VCPU_READY,     /* runs when its turn comes */
	VCPU_WAIT_SIPI, /* HV_EXIT_WAIT_SIPI: polled again a round later */
	VCPU_HALTED,    /* HV_EXIT_HLT in a child with several vCPUs */
	VCPU_UNUSED,    /* an AP of a child without the virtual LAPIC:
			 * nothing can ever start it */
};

struct child_vcpu {
	enum vcpu_run_state state;
	u32 cpu;                /* the VM 0 vCPU (CPU) that runs it (cpus.c) */
	volatile bool in_run;   /* inside a run call, hvctl's lock released */
	u64 asked;              /* its child's progress when it last waited
				 * for a SIPI: asked again once that moved */
	bool complete;          /* answer the last IN on the next run */
	bool msr_gp;            /* answer the last RDMSR/WRMSR with #GP */
	u64 complete_value;
	u64 rip;                /* at its last exit */
	u64 exits;
	struct hv_run_page *page; /* its run page; NULL: VCPU_RUN v1 */
};

struct child {
	bool used;
	u32 slot;               /* its index in the table (its run page) */
	u32 id;                 /* the hypervisor's VM id, or CHILD_NO_VM */
	char name[HV_NAME_MAX];
	char module[HV_BOOT_MODULE_NAME_MAX];
	const char *format;     /* how the image was entered */
	u64 entry;
	u64 mem;
	u32 vcpus;
	enum child_state state;
	u32 result;             /* CHILD_EXITED */
	char why[96];           /* CHILD_FAULTED/HALTED: what happened */
	bool lapic;             /* HV_FEATURE_LAPIC set at creation */
	u32 cur;                /* the vCPU whose exit is being handled */
	struct child_vcpu vcpu[CHILD_VCPUS_MAX];
	u64 exits, io_exits, unclaimed_in, unclaimed_out, slices;
	u64 run_slices[CHILD_VCPUS_MAX]; /* each vCPU's in the `vm run` going on
					  * (sched_run zeroes them; a restart keeps them) */
	u64 msr_gp;             /* MSR exits answered with #GP */
	struct uart16550 uart;
	u32 out_len;            /* its UART output not yet printed */
	char out_line[CHILD_LINE_MAX];
	bool background;        /* `vm start`/`vm console`: runs while the
				 * user is at the prompt or in a console */
	u32 in_len;             /* typed, waiting for room in its UART */
	u8 in_pending[CONSOLE_PENDING];
	u8 scratch[HV_PORT_SCRATCH_SIZE];
	u32 exit_reasons;       /* optional HV_EXIT_* enabled at creation */
	u8 mmio_regs[MMIO_DEV_SIZE];
	u64 mmio_exits, mmio_unclaimed;
	struct pc *pc;          /* `pc`: its PC (pc.h), else NULL */
	bool reset_restarts;    /* `reset=restart`: a PC reset reboots it */
	u32 boots;              /* 1 at creation, one more each restart */
	bool paused;            /* `vm pause`: its vCPUs get no slices */
	u64 cpu_ticks;          /* TSC ticks spent in its slices */
	enum vm_on_stop on_stop; /* what its own end leads to (lifecycle.c) */
	bool end_pending;       /* it ended by itself; on_stop not done yet */
	u64 cpus;               /* the CPUs it runs on (cpus.c); 0: any */
	bool foreground;        /* in the set of a `vm run` going on */
	bool going;             /* being destroyed or restarted: no new
				 * runs, and exits of runs still going on
				 * are dropped */
	u64 progress;           /* slices of its vCPUs that ran (sched.c) */
};

/* While set, children's console lines and end reports are not printed
 * (`vm cycle` runs many children). */
extern bool vmm_quiet;

/* The child named, or with that hypervisor id (names are never numbers). */
struct child *child_find(const char *name);
/* As child_find, with "no VM named" printed when there is none. */
struct child *child_named(const char *name);
/* The child a `vm` command of exactly i + 1 words names in word i, or
 * NULL with the usage or the missing name printed. */
struct child *vm_command_child(struct words *ws, int i, const char *usage);
struct child *child_at(u32 i); /* NULL when the slot is free */
struct child *child_alloc(void);
void child_free(struct child *c);
/* Not ended yet (created or running, paused or not). */
bool child_alive(const struct child *c);
/* Alive and not paused: its vCPUs get slices. */
bool child_runnable(const struct child *c);
/* Runnable and not being destroyed or restarted: its vCPUs may start a
 * slice (a run going on stops at its next exit otherwise). */
bool child_runs(const struct child *c);
const char *child_state_name(const struct child *c);
/* Ends a child: sets the state, flushes its console, prints
 * "vm NAME: <what>" (unless vmm_quiet). Any end but `vm stop` leaves its
 * on_stop to be done (lifecycle_sweep). */
void child_end(struct child *c, enum child_state st, const char *fmt, ...) __printf(3, 4);

/* ---- load.c / elfload.c / multiboot.c / entry.c / childmem.c ----------- */

/* hvctl's own structures for a child sit at the top of conventional
 * memory, below the EBDA at 0x9FC00 (e820.h): the stack, the GDT, the
 * page tables and the hv_boot_info. Images may load anywhere else in a
 * PC's RAM: from 0x500 (above the real-mode IVT and the BIOS data area)
 * up to CHILD_AREA, and from 1 MiB. */
#define CHILD_AREA 0x90000      /* 0x90000-0x97fff: the stack */
#define CHILD_STACK 0x98000
#define CHILD_GDT 0x98000
#define CHILD_PML4 0x99000
#define CHILD_PDPT 0x9a000
#define CHILD_PD 0x9b000        /* 4 page directories: 0x9b000-0x9efff */
#define CHILD_PD_COUNT 4
#define CHILD_INFO 0x9f000      /* hv_boot_info (1360 bytes) */
#define CHILD_AREA_END 0x9fc00
#define CHILD_LOW_MIN 0x500     /* above the IVT and the BIOS data area */
#define CHILD_LOAD_MIN 0x100000 /* RAM above the PC's hole */
/* Multiboot: the memory map and the information block where QEMU's
 * loader puts them (its multiboot option ROM: 0x9000 and 0x9500); the
 * module list and the strings follow the kernel image (multiboot.c). */
#define CHILD_MB_MMAP 0x9000
#define CHILD_MB_INFO 0x9500
#define CHILD_MB_END 0x9600
#define CHILD_MB_MODULES_MAX 8

#define MB1_BOOT_MAGIC 0x2badb002u

struct create_args {
	const char *name;
	const char *module;
	u64 mem;
	u32 vcpus;
	const char *args; /* NULL: the module's default arguments */
	u32 exit_reasons; /* optional HV_EXIT_* (`mmio`) */
	bool lapic;       /* `lapic`: HV_FEATURE_LAPIC */
	bool pc;          /* `pc`: a PC's devices and tables (pc.h) */
	const char *modules; /* modules=M1,M2: a multiboot kernel's, or NULL */
	const char *initrd; /* initrd=: a module for a Linux child, or NULL */
	u64 cpus;           /* cpus=LIST: the CPUs its vCPUs run on; 0: any */
};

/* `pc` in a create's options: a PC's devices (pc.h), the virtual LAPIC
 * and the exits they need (cmd_vm.c). */
void create_args_pc(struct create_args *a);
/* Creates, loads and readies a child; prints what it did or why not.
 * Returns the child or NULL. */
struct child *child_create(const struct create_args *a);
/* Destroys the VM in the hypervisor and frees the slot. */
long child_destroy(struct child *c);
/* A reboot: the VM made again from the same modules and arguments and
 * entered at the kernel's entry, as a PC reboots (a PC child's reset with
 * reset=restart, `vm reset`, on_stop = restart); a PC keeps its CMOS.
 * False when that failed and the child ended instead (printed). */
bool child_restart(struct child *c);
/* Loads module m into the (new) child with b's command line (and, for a
 * multiboot kernel, b's modules; for a Linux kernel the initrd, NULL:
 * none): 0, or -1 with err filled. */
struct mb1_boot;
int child_load(struct child *c, const struct hv_boot_module *m,
	       const struct hv_boot_module *initrd, const struct mb1_boot *b,
	       char *err, size_t len);

/* A `pc` child's memory map (with its ACPI tables), else the one a PC
 * with its RAM would have (e820.h). */
struct e820_map;
const struct e820_map *child_memory_map(const struct child *c);

struct image {
	const u8 *data;
	u64 size;
	u64 entry;
	u64 end;   /* end of the highest byte loaded */
	u64 start; /* the lowest byte loaded */
};

/* childmem.c: copies len bytes from VM 0's src to the child's gpa,
 * through a window where the hypervisor has them, else in HV_COPY_MAX
 * pieces; child_zero writes zeros. 0 or -errno. */
long child_copy(u32 vm, u64 gpa, const void *src, u64 len);
long child_zero(u32 vm, u64 gpa, u64 len);
/* Checks that [gpa, gpa+len) is where an image may go in this child. */
bool child_range_ok(const struct child *c, u64 gpa, u64 len, char *err, size_t errlen);

/* elfload.c: 0, or -1 with err filled. bits is 32 or 64. */
int elf_probe(struct image *img, u8 *bits, char *err, size_t len);
int elf_copy(struct child *c, struct image *img, char *err, size_t len);

/* multiboot.c (v1): the header's offset in the image, or -1. */
long mb1_find_header(const struct image *img);
int mb1_load(struct child *c, struct image *img, long hdr, char *err, size_t len);
/* What a multiboot kernel is handed: its command line ("NAME ARGS") and
 * the modules of `modules=`, each with its string. */
struct mb1_boot {
	const char *cmdline;
	u32 nmods;
	const struct hv_boot_module *mods[CHILD_MB_MODULES_MAX];
};
int mb1_write_info(struct child *c, const struct image *img, const struct mb1_boot *b,
		   char *err, size_t len);

/* entry.c: 0 or -errno. */
long entry_tables(u32 vm);
long entry_long_mode(u32 vm, u64 rip, u64 rdi);
long entry_protected_mode(u32 vm, u64 eip, u32 eax, u32 ebx);
/* The Linux boot protocol's 64-bit entry (linux_boot.h). */
long entry_linux(u32 vm, const struct linux_entry *e);

/* ---- uart.c (uart.h), childout.c ---------------------------------------- */

#define UART_BASE 0x3f8
#define UART_PORTS 8

/* The UART's transmit callback (ctx: the child) and the printing of the
 * line so far. */
void child_out_byte(void *ctx, u8 ch);
void child_out_flush(struct child *c);
/* Prints the other children's lines kept during a console session. */
void child_out_release(void);

/* ---- console.c --------------------------------------------------------- */

#define CONSOLE_ESCAPE 0x1d /* Ctrl-] detaches */

/* `vm console NAME`: the terminal attached to the child's UART until
 * Ctrl-] (or, in a script, until the typed keys run out). */
void cmd_vm_console(struct words *ws);
/* Whether c's output goes to the terminal unprefixed. */
bool console_attached(const struct child *c);
/* Whether a console is attached (to any child). */
bool console_in_session(void);
/* Typed bytes waiting for c go into its UART as far as it has room. */
void console_feed(struct child *c);

/* ---- vmm.c / sched.c --------------------------------------------------- */

/* VMM exits one slice may take when the hypervisor does not end it with
 * HV_EXIT_TIMESLICE first. */
#define SLICE_EXITS 64
/* The bound of a scripted `vm run` without slices=. */
#define SCRIPT_SLICES_DEFAULT 10000

/* One slice of vCPU i of the child, run by VM 0's vCPU `cpu`; false
 * when it did not run (it waits for a SIPI). */
bool vmm_slice(struct child *c, u32 i, u32 cpu);
/* The vCPU whose exit is being handled. */
static inline struct child_vcpu *child_cur(struct child *c)
{
	return &c->vcpu[c->cur];
}
/* Answers a child's HV_EXIT_MMIO (mmio_dev.c); false when it ended the
 * child. */
bool mmio_dev_exit(struct child *c, const struct hv_exit *e);
/* Gives each vCPU of a new child its run page when the hypervisor offers
 * HV_EXT_RUN_PAGE and `runpage off` did not turn it off. 0 or -errno. */
long vmm_attach_run_page(struct child *c);
/* Runs the child's vCPU i through its run page; *e is the exit
 * there. */
long vmm_run_paged(struct child *c, u32 i, u32 flags, u64 deadline, struct hv_exit **e);

enum run_end { RUN_DONE, RUN_BOUND, RUN_KEY };

/* Gives every runnable child of set[] slices in turn until none is
 * runnable, max_slices rounds (0: no bound), or (interactive) a key. */
enum run_end sched_run(struct child **set, u32 n, u64 max_slices);
/* What the shell does while it waits: a background round, or, when that
 * ran nothing, a wait with hvctl's lock released (cpus.c). */
void sched_wait_round(void);
/* A worker's round (cpus.c): a slice for each due vCPU placed on CPU
 * `cpu` of every child that runs now; false when none ran. */
bool sched_cpu_round(u32 cpu);
/* Whether a vCPU placed on CPU `cpu` of a child that runs now waits for
 * a SIPI (its worker asks it again from time to time). */
bool sched_cpu_waits_sipi(u32 cpu);
/* Puts a runnable child in the background set; false (printed) if not. */
bool sched_start(struct child *c);
void cmd_vm_start(struct words *ws); /* vm start NAME... */
void cmd_idle(struct words *ws);     /* idle ROUNDS */

/* ---- cpus.c: VM 0's CPUs ----------------------------------------------- */

#define VM0_CPUS_MAX 4

/* hvctl's one lock, held whenever a vCPU of VM 0 runs hvctl code; the
 * shell's from vm0_cpus_init on. */
void vm0_lock(void);
void vm0_unlock(void);
void vm0_cpus_init(void);
/* VM 0's vCPUs that run children (1 without HV_EXT_VM0_SMP). */
u32 vm0_cpu_count(void);
/* The set of those CPUs (bit k: CPU k). */
u64 vm0_cpu_set(void);
/* Waits a little (or until woken) with the lock released. */
void vm0_wait_a_while(void);
/* Wakes every CPU's worker to look for work now. */
void vm0_cpus_wake_all(void);
/* Ends every run of c's vCPUs going on elsewhere and waits until none is
 * in a run call. */
void child_stop_runs(struct child *c);
/* Marks c as going (no new runs; exits of runs going on are dropped) and
 * stops its runs; false, printed, when it is going already. */
bool child_take_down(struct child *c);
/* Whether a CPU set (cpus=) names one of VM 0's CPUs (printed if not). */
bool placement_check(u64 cpus);
/* Places each vCPU of c on a CPU, starting the workers it needs. */
void placement_apply(struct child *c);

/* ---- vmdef.c / lifecycle.c -------------------------------------------- */

/* Reads the config modules (names ending in ".cfg", and those named by
 * mgmt.config=M1,M2 on VM 0's command line), then creates and starts
 * the autostart VMs. */
void vmdef_boot(const char *cmdline);
/* `vm create NAME` (ws->n == 3): from its definition. */
void vmdef_create(const char *name);
/* `vm defs`: the definitions read. */
void cmd_vm_defs(struct words *ws);
/* Does what each child that ended by itself asks for (its on_stop). */
void lifecycle_sweep(void);
/* vm pause|resume|reset|destroy, true when sub was one of them. */
bool cmd_vm_lifecycle(const char *sub, struct words *ws);

/* ---- commands ---------------------------------------------------------- */

void cmd_vm(struct words *ws);
void cmd_run(struct words *ws, int first); /* vm run / run */
void cmd_cycle(struct words *ws);
void cmd_vm_cpuid(struct words *ws);
void cmd_vm_info(struct words *ws);
/* inspect.c: vm mem, vm stats, and vm info's parts */
void cmd_vm_mem(struct words *ws);
void cmd_vm_stats(struct words *ws);
void inspect_print_regs(const struct hv_vcpu_regs *r);
void inspect_print_interrupts(const struct child *c);
void inspect_print_layout(const struct child *c);
void inspect_print_devices(const struct child *c);
void inspect_print_exit_stats(const struct child *c);
void cmd_dmesg(struct words *ws); /* dmesg.c */
void cmd_stats(struct words *ws);
void cmd_trace(struct words *ws);
void cmd_selftest(struct words *ws);
void cmd_bench(struct words *ws);
void cmd_runpage(struct words *ws);
/* Hypervisor-wide free bytes from HV_CALL_STATS. 0 or -errno. */
long stats_free_bytes(u64 *out);
/* The most RAM a new VM is sure to get now (`stats`, mem=max); 0 when
 * the hypervisor does not say (HV_EXT_FREE_CHUNKS) or has no room. */
u64 stats_vm_room(void);

#endif
