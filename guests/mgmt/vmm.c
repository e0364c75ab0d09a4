/* The VMM loop of one child, like a KVM user-space VMM: run the vCPU,
 * then act on struct hv_exit, which is in the child's run page when it
 * has one (runpage.c), else in VCPU_RUN v1's record. Port I/O: the UART
 * at 0x3f8, the exit device at 0xf4, the scratch registers at
 * 0x5a0-0x5af (abi/hv_boot.h: what the hypervisor gives VM 0, here given
 * to each child), and every other port unclaimed (IN reads all-ones, OUT
 * is ignored, both counted). A `pc` child's PC (pc.h) sees its port and
 * MMIO exits first and is brought up to date before each run. */
#include "guests/mgmt/pc.h"

#define EXIT_PORT 0xf4

/* VM 0's memory: the v1 call's record, one per CPU of VM 0 */
static struct hv_exit ex[VM0_CPUS_MAX];

static u64 io_mask(u8 size)
{
	return size >= 4 ? 0xffffffffULL : (1ULL << (size * 8)) - 1;
}

static bool is_uart(u16 port)
{
	return port >= UART_BASE && port < UART_BASE + UART_PORTS;
}

static bool is_scratch(u16 port, u8 size)
{
	return port >= HV_PORT_SCRATCH && port + size <= HV_PORT_SCRATCH + HV_PORT_SCRATCH_SIZE;
}

/* An IN: the answer goes back with the next run (HV_RUN_COMPLETE). */
static void io_in(struct child *c, const struct hv_exit_io *io)
{
	u64 v = io_mask(io->size);

	if (is_uart(io->port)) {
		v = uart_read(&c->uart, io->port - UART_BASE, io->size);
	} else if (is_scratch(io->port, io->size)) {
		v = 0;
		memcpy(&v, &c->scratch[io->port - HV_PORT_SCRATCH], io->size);
	} else {
		c->unclaimed_in++;
	}
	child_cur(c)->complete = true;
	child_cur(c)->complete_value = v;
}

/* An OUT; false when it ended the child. */
static bool io_out(struct child *c, const struct hv_exit_io *io)
{
	u64 v = io->value & io_mask(io->size);

	if (is_uart(io->port)) {
		uart_write(&c->uart, io->port - UART_BASE, io->size, (u32)v);
		return true;
	}
	if (is_scratch(io->port, io->size)) {
		memcpy(&c->scratch[io->port - HV_PORT_SCRATCH], &v, io->size);
		return true;
	}
	if (io->port == EXIT_PORT) {
		c->result = (u32)v;
		child_end(c, CHILD_EXITED, "exited with %u", c->result);
		return false;
	}
	c->unclaimed_out++;
	return true;
}

#if HV_ABI_HEADER_REVISION >= 2 /* v1 children are never PCs */
/* A PC child's ports first; true when the PC claimed the access, with
 * *goes_on telling whether the slice goes on. */
static bool pc_io(struct child *c, const struct hv_exit_io *io, bool *goes_on)
{
	enum pc_io r = c->pc ? pc_port_io(c, io) : PC_IO_UNCLAIMED;

	*goes_on = r == PC_IO_DONE;
	return r != PC_IO_UNCLAIMED;
}

static bool handle_mmio(struct child *c, const struct hv_exit *e)
{
	if (c->pc && pc_mmio(c, &e->u.mmio))
		return true;
	return mmio_dev_exit(c, e);
}

static void before_run(struct child *c)
{
	if (c->pc)
		pc_before_run(c);
}

/* A PC child's run returns by its next device event (HV_RUN_DEADLINE),
 * so that a child spinning on its TSC gets its timer interrupts on time;
 * 0 for no deadline, else HV_RUN_DEADLINE joins *flags. */
static u64 run_deadline(const struct child *c, u32 *flags)
{
	u64 deadline = c->pc && disc.ext[HV_EXT_RUN_DEADLINE] > 0 ? pc_run_deadline(c->pc) : 0;

	if (deadline)
		*flags |= HV_RUN_DEADLINE;
	return deadline;
}

/* VCPU_RUN of vCPU i with the struct, a deadline in its VER1 field. */
static long run_struct(struct child *c, u32 i, struct hv_exit *e, u32 flags, u64 value,
		       u64 deadline)
{
	if (flags & HV_RUN_DEADLINE)
		return hv_vcpu_run_deadline(c->id, i, e, flags, value, deadline);
	return hv_vcpu_run_flags(c->id, i, e, flags, value);
}

/* Enabled only for PC children (cmd_vm.c); the EOI is done, the child
 * goes on. */
static void handle_eoi(struct child *c, const struct hv_exit_eoi *e)
{
	if (c->pc)
		pc_eoi(c, (u8)e->vector);
}
#else
static bool pc_io(struct child *c, const struct hv_exit_io *io, bool *goes_on)
{
	(void)c, (void)io, (void)goes_on;
	return false;
}

static void before_run(struct child *c)
{
	(void)c;
}

static u64 run_deadline(const struct child *c, u32 *flags)
{
	(void)c, (void)flags;
	return 0;
}

static long run_struct(struct child *c, u32 i, struct hv_exit *e, u32 flags, u64 value,
		       u64 deadline)
{
	(void)deadline;
	return hv_vcpu_run_flags(c->id, i, e, flags, value);
}
#endif

static bool handle_io(struct child *c, const struct hv_exit_io *io)
{
	bool goes_on;

	c->io_exits++;
	if (pc_io(c, io, &goes_on))
		return goes_on;
	if (io->direction) {
		io_in(c, io);
		return true;
	}
	return io_out(c, io);
}

static const char *access_name(u32 access)
{
	return access == 4 ? "fetch" : access == 2 ? "write" : access == 1 ? "read" : "access";
}

static void handle_fault(struct child *c, const struct hv_exit *e)
{
	char text[sizeof(e->u.text) + 1];

	switch (e->reason) {
	case HV_EXIT_SHUTDOWN:
#if HV_ABI_HEADER_REVISION >= 2 /* a PC's chipset resets on it; v1 has no PCs */
		if (c->reset_restarts) {
			gprintf("vm %s: shutdown (triple fault) at rip 0x%llx\n", c->name,
				(unsigned long long)e->rip);
			child_restart(c);
			break;
		}
#endif
		child_end(c, CHILD_FAULTED, "shutdown (triple fault) at rip 0x%llx",
			  (unsigned long long)e->rip);
		break;
	case HV_EXIT_STAGE2_FAULT:
		child_end(c, CHILD_FAULTED, "stage-2 fault: %s of guest-physical 0x%llx at rip 0x%llx",
			  access_name(e->u.fault.access), (unsigned long long)e->u.fault.gpa,
			  (unsigned long long)e->u.fault.rip);
		break;
	default:
		memcpy(text, e->u.text, sizeof(e->u.text));
		text[sizeof(e->u.text)] = '\0';
		child_end(c, CHILD_FAULTED, "failed: %s", text);
		break;
	}
}

/* HLT ends a child with one running vCPU; with several, the vCPU stays
 * halted and the child ends when all have. */
static void handle_hlt(struct child *c, const struct hv_exit *e)
{
	u32 halted = 0;

	child_cur(c)->state = VCPU_HALTED;
	for (u32 i = 0; i < c->vcpus; i++)
		halted += c->vcpu[i].state == VCPU_HALTED || c->vcpu[i].state == VCPU_UNUSED;
	if (halted == c->vcpus)
		child_end(c, CHILD_HALTED, "halted at rip 0x%llx", (unsigned long long)e->rip);
}

/* Acts on one exit; true when the slice goes on. */
static bool handle_exit(struct child *c, const struct hv_exit *e)
{
	switch (e->reason) {
	case HV_EXIT_IO:
		return handle_io(c, &e->u.io);
	case HV_EXIT_HLT:
		handle_hlt(c, e);
		return false;
	case HV_EXIT_TIMESLICE:
		return false;
#if HV_ABI_HEADER_REVISION >= 2 /* v1 children never have MMIO exits */
	case HV_EXIT_KICKED: /* child_stop_runs: the slice ends */
		return false;
	case HV_EXIT_MMIO:
		return handle_mmio(c, e);
	case HV_EXIT_EOI:
		handle_eoi(c, &e->u.eoi);
		return true;
	case HV_EXIT_WAIT_SIPI: /* asked again once a sibling ran (sched.c) */
		child_cur(c)->state = VCPU_WAIT_SIPI;
		return false;
	case HV_EXIT_MSR:
		pc_msr(c, &e->u.msr);
		return true;
#endif
	case HV_EXIT_HYPERCALL: /* never enabled; answer as the hypervisor would */
		child_cur(c)->complete = true;
		child_cur(c)->complete_value = (u64)-HV_ENOSYS;
		return true;
	case HV_EXIT_SHUTDOWN:
	case HV_EXIT_STAGE2_FAULT:
	case HV_EXIT_FAILED:
		handle_fault(c, e);
		return false;
	default:
		child_end(c, CHILD_FAULTED, "failed: unknown exit reason %u at rip 0x%llx",
			  e->reason, (unsigned long long)e->rip);
		return false;
	}
}

/* One run call of vCPU i by VM 0's vCPU `cpu`, hvctl's lock released
 * meanwhile: the answer to the last exit goes in the run page or in the
 * v1 call's struct; *e is where the exit lands. */
static long run_once(struct child *c, u32 i, u32 cpu, u32 flags, struct hv_exit **e)
{
	struct child_vcpu *v = &c->vcpu[i];
	u64 deadline = run_deadline(c, &flags);
	long r;

	v->in_run = true;
	vm0_unlock();
	if (v->page) {
		r = vmm_run_paged(c, i, flags, deadline, e);
	} else {
		*e = &ex[cpu];
		r = run_struct(c, i, *e, flags, v->complete_value, deadline);
	}
	vm0_lock();
	v->in_run = false;
	return r;
}

/* The answer to the vCPU's last exit as HV_RUN_* flags, taken once. */
static u32 take_answer(struct child_vcpu *v)
{
	u32 flags = v->complete ? HV_RUN_COMPLETE : 0;

#if HV_ABI_HEADER_REVISION >= 2 /* MSR exits came after v1 */
	if (v->msr_gp)
		flags = HV_RUN_MSR_GP;
#endif
	v->complete = false;
	v->msr_gp = false;
	return flags;
}

bool vmm_slice(struct child *c, u32 i, u32 cpu)
{
	struct child_vcpu *v = &c->vcpu[i];

	c->state = CHILD_RUNNING;
	c->slices++;
	c->run_slices[i]++;
	v->state = VCPU_READY;
	v->asked = c->progress;
	/* another vCPU's exit (or the shell) may pause, end or begin to take
	 * down the child while this one runs */
	for (u32 n = 0; n < SLICE_EXITS && child_runs(c); n++) {
		u32 flags = take_answer(v);
		struct hv_exit *e;
		long r;

		c->cur = i;
		before_run(c);
		r = run_once(c, i, cpu, flags, &e);
		if (c->going || !child_alive(c))
			break; /* its exit goes with it */
		c->cur = i;
		if (r < 0) {
			child_end(c, CHILD_FAULTED, "failed: vcpu_run: %s", err_name(r));
			return true;
		}
		c->exits++;
		v->exits++;
		v->rip = e->rip;
		if (!handle_exit(c, e))
			break;
	}
	return v->state != VCPU_WAIT_SIPI;
}
