/* The hypercall storm: VM 0 issues N random hypercalls (fixed-seed
 * xorshift) and checks every answer against what the ABI allows for the
 * struct it sent. One header for the program; each .c file is a concept:
 *
 *   storm.c      options, the main loop, the end: cleanup, leak check,
 *                histogram, verdict
 *   smp.c        the storm on every VM 0 vCPU at once: each vCPU's memory
 *                and thread-local block, starting the others, the print
 *                and ring-3 locks, who is still storming, the totals
 *   cross.c      calls on what another vCPU owns, and a child every vCPU
 *                runs: answers from a small set, nothing corrupted
 *   oracle.c     issuing a call (CPL 0 or 3, VMCALL or VMMCALL), the set
 *                of answers it may get, the histogram, reports
 *   place.c      VM 0's memory: the scratch area at the top of its RAM,
 *                where structs go (aligned, page-crossing, straddling the
 *                end of RAM, unmapped) and the size rules that follow
 *   model.c      what VM 0 believes exists: child VMs by their ids (never
 *                reused), their RAM, vCPUs, states; destroyed ids
 *   calls.c      the calls that do not change VMs: ABI_VERSION, INFO,
 *                CHECK_EXTENSION, FEATURE, CONSOLE_WRITE, STATS,
 *                VCPU_GET_REGS, unknown numbers, calls from CPL 3
 *   vm.c         VM_CREATE, VM_DESTROY, VM_ADD_MEMORY, VM_COPY on live,
 *                destroyed and never-existing ids; free-memory checks
 *   vcpu.c       VCPU_CREATE, VCPU_SET_REGS, loading a program, VCPU_RUN
 *   runpage.c    VCPU_RUN_PAGE_SET and VCPU_RUN_PAGED
 *   child.c      what children run: page tables and tiny programs (spin,
 *                HLT, port I/O, a stage-2 fault, a triple fault, random
 *                bytes, a loop of random hypercalls) and the
 *                checks of what they did
 *
 * Only the scratch area and the run pages (runpage.c) are ever handed to
 * the hypervisor to write; VM 0's code, stack and page tables are passed
 * only where nothing is written.
 *
 * On several CPUs every VM 0 vCPU storms at once, each with its own seed
 * and its own world: its children, scratch area, run pages and model
 * are PER_VCPU (thread-local, smp.c), so its answers stay predictable.
 * What other vCPUs change at the same time (the VM table filling up,
 * free memory, VM ids, VMs alive) is accepted as a stated set of
 * alternatives only while others still storm (others_storming()). */
#ifndef GUESTS_STORM_STORM_H
#define GUESTS_STORM_STORM_H

#include "guests/lib/hv.h"
#include "guests/lib/test.h"

/* Each VM 0 vCPU has its own copy (smp.c sets FS to its block). */
#define PER_VCPU __thread

/* ---- random numbers (xorshift64*) --------------------------------------- */

extern PER_VCPU u64 rng_state;

static inline u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static inline u64 rnd_below(u64 n)
{
	return n ? rnd() % n : 0;
}

/* True in `percent` out of 100 draws. */
static inline bool chance(u32 percent)
{
	return rnd_below(100) < percent;
}

/* A flags or reserved word: mostly zero, now and then some stray bits. */
static inline u32 mostly_zero(void)
{
	return chance(94) ? 0 : (u32)(rnd() | 1) << rnd_below(32);
}

/* ---- storm.c: options --------------------------------------------------- */

struct storm_opts {
	u64 calls; /* in all: split evenly over the vCPUs that storm */
	u64 seed;
	bool sti;  /* children only run in states with interrupts enabled */
	bool notf; /* no child may triple fault */
};

extern struct storm_opts opts;

/* ---- oracle.c ----------------------------------------------------------- */

/* A set of answers: bit 0 any success (>= 0), bit e the error -e. */
typedef u64 outcomes;
#define OK BIT(0)
#define E(e) BIT(HV_##e)

struct hc {
	u64 nr, rdi;
	u64 rsi, rdx; /* VCPU_RUN_PAGED's further arguments; 0 for the rest */
	bool user;    /* from CPL 3 */
	outcomes allow;
	long ret;
};

/* Issues the call (VMCALL or VMMCALL at random), counts its answer and
 * reports it when it is not in c->allow. Returns the answer. */
long issue(struct hc *c);
/* An answer the caller checked itself and found wrong. */
void unexpected(const struct hc *c, const char *fmt, ...) __printf(2, 3);
bool in_set(outcomes set, long ret);

/* What one vCPU counted; smp.c adds each vCPU's into the totals. */
struct tally {
	u64 calls, user_calls, unexpected, cross_calls;
	u64 ok, other, errnos[64];
	u64 runs_by_reason[8];
	u64 child_calls_checked, run_pages_set, paged_runs;
};

extern PER_VCPU struct tally tally;
void histogram_print(const struct tally *t);
const char *errno_name(long err);
/* gprintf under the print lock, "storm: " first, and on several vCPUs
 * "vCPU k: " after it. */
void say(const char *fmt, ...) __printf(1, 2);

/* ---- smp.c -------------------------------------------------------------- */

#define STORM_VCPUS_MAX 4 /* vCPUs that storm (memory: smp.c) */

extern u32 vm0_vcpus;           /* HV_EXT_VM0_SMP's answer */
extern u32 storm_vcpus;         /* how many storm */
extern bool storm_smp;          /* more than one */
extern u32 extra_vms;           /* VMs alive besides VM 0 and the models' */
extern PER_VCPU u32 self;       /* this vCPU's index */

/* vCPU 0 first: how many vCPUs storm, each one's memory, and its own
 * thread-local block (vCPU k's random numbers start from seed + k steps). */
void smp_enter(u64 seed);
/* vCPU 0: creates the shared child and starts the others, each of which
 * runs storm_share(), then tally_add() and smp_done(). */
void smp_start(void);
/* storm.c: this vCPU's share of the calls, then its children destroyed. */
void storm_share(void);
/* A vCPU's storm is over and its children are gone; vCPU 0 then waits
 * for the others and ends the shared child. */
void smp_done(void);
/* Adds this vCPU's tally to the totals. */
void tally_add(void);
extern struct tally totals;
/* Whether another vCPU is still storming (and may change global figures). */
bool others_storming(void);
/* Ring 3 is one stack and TSS for all vCPUs: one at a time. */
void user_lock(void);
void user_unlock(void);
void print_lock(void);
void print_unlock(void);
/* The highest VM id any vCPU was handed so far, and noting one. */
u32 ids_seen(void);
void id_seen(u32 id);

/* ---- cross.c ------------------------------------------------------------ */

/* vCPU 0, before the others start: the child that every vCPU runs. */
void shared_child_create(void);
void shared_child_destroy(void);
/* A call on another vCPU's VM, or a run of the shared child. */
void storm_cross(void);

/* ---- place.c ------------------------------------------------------------ */

/* VM 0's RAM is [0, ram_end); vCPU 0's scratch area is its top
 * SCRATCH_SIZE bytes, so a range starting in it either is RAM or runs off
 * the end; the other vCPUs' lie below it (smp.c). */
#define SCRATCH_SIZE (4 * MIB)
#define SCRATCH_STRUCTS (SCRATCH_SIZE - 2 * MIB) /* where structs start */
#define TAIL_MAX_CHECKED (64 * 1024) /* larger sizes: -E2BIG unchecked */

extern u64 ram_end;                /* VM 0's, shared */
extern PER_VCPU u64 scratch;       /* this vCPU's scratch area */
extern PER_VCPU u64 writable_end;  /* where this vCPU's writes must stop */

/* Whether this vCPU's scratch area ends where RAM does (vCPU 0's); the
 * others never place a struct across the end of RAM. */
bool at_ram_end(void);
/* Bytes of this vCPU's own memory from gpa on (0 outside it). */
u64 own_bytes(u64 gpa);

/* Bytes of VM 0's RAM from gpa on (0 when gpa is not RAM). */
u64 readable(u64 gpa);
/* An address VM 0 has no RAM at. */
u64 unmapped_gpa(void);
/* Somewhere in the scratch area for `len` bytes: mostly aligned, some
 * unaligned, page-crossing, straddling the end of RAM, or unmapped. */
u64 place(u32 len);
/* A range that is only read: anywhere in VM 0 (code, stack, page tables,
 * the scratch area) or not RAM. */
u64 place_readonly(u64 len);
/* Copies bytes to gpa, as far as gpa is VM 0's RAM. */
void put_bytes(u64 gpa, const void *src, u64 len);

/* An input struct (§4.1) written at a random place with a random size:
 * body holds `known` bytes and becomes what the hypervisor should see
 * (zero past a smaller size). errors are what the size rules allow;
 * decoded says whether the fields get checked at all. */
struct sized {
	u64 gpa;
	u32 size;
	u32 len;              /* bytes written at gpa (as far as RAM goes) */
	outcomes errors;
	bool decoded;
	u64 out_gpa, out_len; /* what the call wrote elsewhere, if it did */
};

void sized_put(struct sized *s, void *body, u32 known, u32 first);
/* What a sized call may answer: the size errors, or when the fields are
 * decoded, what the fields allow (OK among them when they may pass). */
outcomes sized_allow(const struct sized *s, outcomes fields);
/* A copy of the struct's first `len` bytes before the call. */
void sized_snapshot(const struct sized *s, u32 len);
/* After the call: -E2BIG wrote `known` back into size; otherwise the
 * snapshot is unchanged (unless s->out_* overlaps it). */
void sized_check(const struct sized *s, const struct hc *c, u32 known);

/* Output structs (§4.2): where it goes and its argsz. */
struct outbuf {
	u64 gpa;
	u32 argsz;
	bool decoded; /* its head is readable: field errors apply */
};

/* Places an output struct of `full` bytes whose decode reads `head_len`
 * bytes (argsz first), and writes head there with a random argsz.
 * Returns the errors the placement and argsz give (0: none). */
outcomes outbuf_put(struct outbuf *o, void *head, u32 head_len, u32 full, u32 min);

/* A child's low memory as VM 0 builds it (GDT, page tables, code,
 * result slots, structs for its hypercalls). */
#define CHILD_IMAGE_SIZE 0x8000
#define CHILD_CODE 0x5000
#define CHILD_RESULTS 0x6000
#define CHILD_STRUCTS 0x7000
#define CHILD_TEXT 0x7800
#define CHILD_STACK 0x80000
#define CHILD_NPF_GPA 0x3fe00000ULL /* mapped by its page tables, not RAM
					    * unless VM_ADD_MEMORY put some there */
#define CHILD_CALLS_MAX 8
#define CHILD_SLOT_EMPTY 0x5a5a5a5a5a5a5a5aULL

/* ---- model.c ------------------------------------------------------------ */

#define MODEL_CHILDREN 63 /* children alive at once; more VM slots: refused */
#define MODEL_VCPUS 4
#define MODEL_RANGES 1024 /* the hypervisor's VM_MAX_REGIONS */
#define VM_ID_LAST 0x7fffffffu /* the highest child id (docs/abi.md VM_CREATE) */

enum program {
	PROG_NONE,     /* never loaded: the vCPU's first state */
	PROG_SPIN,
	PROG_HLT,
	PROG_IO,
	PROG_NPF,
	PROG_TRIPLE,
	PROG_RANDOM,
	PROG_HYPERCALLS,
	PROG_CPUID,    /* exits the hypervisor handles itself, forever */
	PROG_COUNT
};

struct mvcpu {
	bool fresh;      /* its registers start the VM's current program */
	bool in_pending; /* its last exit was an IN */
	bool expect_out; /* the program's next OUT sends out_value */
	u8 out_value;
	struct hv_run_page *page; /* its registered run page, or NULL */
};

struct range {
	u64 gpa, len;
};

/* A live child; an entry with id 0 is unused. */
struct mvm {
	u32 id;
	bool stopped;
	char name[HV_NAME_MAX];
	u32 vcpus, vcpu_max, exit_reasons, chunks, nranges;
	struct range ranges[MODEL_RANGES];
	struct mvcpu vcpu[MODEL_VCPUS];
	enum program prog; /* the code in its memory, see child.c */
	bool image_ok;     /* nothing changed that image since it was loaded */
	u16 io_port;
	u32 ncalls;        /* PROG_HYPERCALLS: its calls and their answers */
	u32 calls_chunks;  /* its RAM (chunks) when the calls last started over */
	u64 slot_nr[CHILD_CALLS_MAX];
	outcomes slot_allow[CHILD_CALLS_MAX];
	s64 slot_exact[CHILD_CALLS_MAX];
	u32 slot_info_argsz[CHILD_CALLS_MAX]; /* a well-formed INFO: its argsz */
};

/* From the hypervisor's INFO at the start. */
extern u32 max_vms, max_vcpus, max_regions, info_needed;

/* The live child with this id, or NULL (also for 0, VM 0). */
struct mvm *vm_find(u32 id);
bool vm_live(u32 id);
u32 live_children(void);
/* A VM id for a call: mostly a live child, also 0, destroyed ids, ids
 * not handed out yet, ids at the end of the id space and random ones. */
u32 pick_vm(void);
/* A vCPU id of that VM: mostly one that exists. */
u32 pick_vcpu(u32 vm);
/* A live child, or 0 when there is none. */
u32 pick_live(void);
/* A live child that has not stopped and has a vCPU, or 0. */
u32 pick_running(void);
bool vcpu_exists(u32 vm, u32 vcpu);
/* Whether [gpa, gpa+len) is all RAM of the child. */
bool child_ram(u32 vm, u64 gpa, u64 len);
/* Whether VM_CREATE may answer id: the one after the last it returned,
 * or a later one when failed VM_CREATEs used some up. */
bool id_may_be_next(u32 id);
/* Before a VM_CREATE: notes the ids handed out so far. */
void model_before_create(void);
/* VM_CREATE failed with -ENOMEM: it may have used up an id. */
void model_create_failed(void);
/* The ids VM_CREATE may answer next are id_next_first()..ids_end();
 * every id it may have handed out so far is below ids_end(). */
u32 id_next_first(void);
u32 ids_end(void);
void model_created(u32 id, const char *name, u64 mem, u32 vcpus, u32 exit_reasons);
void model_destroyed(u32 id);
bool recently_destroyed(u32 id);
/* Code or memory of the VM changed under its vCPUs: none is fresh, and
 * none becomes fresh again before a new program is loaded. */
void taint_vm(struct mvm *m);
bool name_in_use(const char *name);
/* Whether STATS's count of VMs alive fits the model (`others`: other
 * vCPUs stormed when the call began). */
bool vms_alive_ok(u64 vms, bool others);
/* Another vCPU's live child (0: none known) and one it destroyed (0:
 * none); the lists are read while their owners change them. */
u32 foreign_live(void);
u32 foreign_gone(void);
/* vCPU `cpu` publishes its model for the others to read. */
void model_publish(u32 cpu);

/* ---- calls.c ------------------------------------------------------------ */

void storm_abi_version(void);
void storm_info(void);
void storm_check_extension(void);
void storm_feature(void);
void storm_console_write(void);
void storm_stats(void);
void storm_get_regs(void);
void storm_unknown(void);
void storm_user_call(void);
/* STATS without a VM: free bytes and VMs alive (-1 on failure). */
s64 free_bytes_now(u64 *vms_alive);
/* STATS of one VM: its exit count (-1 on failure). */
s64 vm_exits_now(u32 vm);

/* ---- vm.c --------------------------------------------------------------- */

void storm_vm_create(void);
void storm_vm_destroy(void);
void storm_vm_add_memory(void);
void storm_vm_copy(void);
/* VM_DESTROY for every id handed out and a few more (-ENOENT where the
 * model has no VM). */
void destroy_all(void);
/* The hypervisor's free bytes before an allocating call, and the check
 * after it: a failed call left them as they were. */
s64 free_known(void);
void free_after(const struct hc *c, s64 before);
/* What a {size, flags, vm, reserved} header allows: -EINVAL for flags or
 * reserved, -EPERM for VM 0, -ENOENT for no live child (0: fine). */
outcomes target_fields(const struct hv_vm_destroy *h);

/* ---- vcpu.c ------------------------------------------------------------- */

void storm_vcpu_create(void);
void storm_vcpu_set_regs(void);
/* A live child gets a program on one vCPU (VM_COPY + VCPU_SET_REGS). */
void storm_load_child(void);
void storm_vcpu_run(void);
/* Shared with runpage.c: a vCPU to run, what a successful run returned,
 * and the IN a run answers. */
void pick_run_target(u32 *vm, u32 *vcpu);
void run_done(const struct hc *c, struct mvm *m, u32 vcpu, const struct hv_exit *x,
	      u32 argsz);
void note_completion(struct mvcpu *v, const struct hv_vcpu_run *a);

/* ---- runpage.c ---------------------------------------------------------- */

/* VCPU_RUN_PAGE_SET with good and bad pages, and VCPU_RUN_PAGED with good
 * and bad registers; the runs are checked as VCPU_RUN's are. */
void storm_run_page_set(void);
void storm_vcpu_run_paged(void);

/* ---- child.c ------------------------------------------------------------ */

/* Builds the image for `prog` in VM 0's memory; returns it. */
const u8 *child_image(struct mvm *m, enum program prog);
/* The registers that start a loaded program. */
void child_regs(struct hv_vcpu_regs *r, u32 vm, u32 vcpu);
/* Programs this run may load (options permitting). */
enum program child_pick_program(void);
/* Whether running a vCPU in this state is allowed by the options. */
bool child_runnable(u32 vm, u32 vcpu);
/* The exit reasons a run of this vCPU may return. */
u32 child_reasons(const struct mvm *m, u32 vcpu);
outcomes run_flags_error(u64 flags, u32 vm);
/* After a HLT of a hypercall program: checks its result slots. */
void child_check_results(struct mvm *m);
/* What VM 0 answers an IN or a forwarded hypercall with (0x42xx). */
u64 complete_value(void);

#endif
