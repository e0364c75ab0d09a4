/* Start-up of the vendor-neutral core: options, memory, the hypervisor's
 * own page tables, boot self-checks and the virtualization check. */
#include "hv/hv.h"
#include "hv/arch.h"
#include "hv/cmdline.h"
#include "hv/console.h"
#include "hv/lock.h"
#include "hv/log.h"
#include "hv/mem.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "hv/verdict.h"
#include "lib/errno.h"
#include "hv/exit.h"
#include "hv/hypercall.h"
#include "hv/vm0.h"
#include "hv/vm0_smp.h"

#define HV_VERSION "0.1"

static const char *const known_options[] = {
	"loglevel",   /* err|warn|info|debug or 0-3 */
	"debugcon",   /* mirror the console to port 0xE9 */
	"onidle",     /* halt (default) or exit: what to do with nothing to run */
	"test.fault", /* ud|gp|pf: raise an exception to test the handlers */
	"vm0.mem",    /* RAM of VM 0, a multiple of 2 MiB (default 64M) */
	"test.bad-entry", /* corrupt VM 0's entry state to test the diagnostics */
	"trace",      /* hypercalls: log every hypercall, decoded */
	"timeslice",  /* local-APIC ticks (bus clock / 16) per child time slice */
	"cpus",       /* how many CPUs to run on, the boot CPU included (default all) */
};

#define VM0_MEM_DEFAULT (64 * MIB)

static struct cmdline hv_cmdline;

static void warn_unknown_option(const char *key, void *ctx)
{
	(void)ctx;
	log_warn("cmdline: unknown option '%s' ignored", key);
}

static void apply_log_options(struct cmdline *cl)
{
	const char *v;
	enum log_level level;
	bool on;

	if ((v = cmdline_get(cl, "loglevel"))) {
		if (log_parse_level(v, &level))
			log_set_level(level);
		else
			log_warn("cmdline: loglevel=%s is not err|warn|info|debug|0-3", v);
	}
	if ((v = cmdline_get(cl, "debugcon"))) {
		if (!*v || cmdline_parse_bool(v, &on))
			console_set_debugcon(!*v || on);
		else
			log_warn("cmdline: debugcon=%s is not a boolean", v);
	}
}

static void apply_timeslice_option(struct cmdline *cl)
{
	const char *v = cmdline_get(cl, "timeslice");
	u64 ticks;

	if (!v)
		return;
	if (cmdline_parse_u64(v, &ticks) && ticks && ticks <= 0xffffffffu)
		vm_timeslice_ticks = ticks;
	else
		log_warn("cmdline: timeslice=%s is not a tick count", v);
}

static void apply_trace_option(struct cmdline *cl)
{
	const char *v = cmdline_get(cl, "trace");

	if (!v)
		return;
	if (!strcmp(v, "hypercalls"))
		hypercall_trace = HV_TRACE_HYPERCALLS;
	else
		log_warn("cmdline: trace=%s: only trace=hypercalls exists", v);
}

static void parse_options(const struct boot_info *bi)
{
	struct cmdline *cl = &hv_cmdline;

	cmdline_parse(cl, bi->cmdline);
	apply_log_options(cl);
	apply_trace_option(cl);
	apply_timeslice_option(cl);
	cmdline_check_known(cl, known_options, ARRAY_SIZE(known_options),
			    warn_unknown_option, NULL);
	if (cl->truncated)
		log_warn("cmdline: longer than %u bytes, truncated", CMDLINE_BUF);
	if (cl->dropped)
		log_warn("cmdline: %u words beyond the first %u ignored",
			 cl->dropped, CMDLINE_MAX_ARGS);
	if (cl->bad_quote)
		log_warn("cmdline: unterminated quote");
}

static void report_boot_info(const struct boot_info *bi)
{
	log_info("boot: loader '%s', %u module(s)%s", bi->loader_name,
		 bi->module_count, bi->modules_dropped ? " (some dropped)" : "");
	for (u32 i = 0; i < bi->module_count; i++)
		log_info("boot: module %u 0x%llx-0x%llx '%s'", i,
			 (unsigned long long)bi->modules[i].start,
			 (unsigned long long)bi->modules[i].end,
			 bi->modules[i].string);
	if (bi->rsdp_revision)
		log_info("boot: ACPI %s RSDP, OEM '%.6s'",
			 bi->rsdp_revision >= 2 ? "2.0+" : "1.0",
			 (const char *)bi->rsdp + 9);
	else
		log_info("boot: no ACPI RSDP handed over");
	if (bi->fb.type != FB_NONE)
		log_info("boot: framebuffer %ux%u %u bpp at 0x%llx", bi->fb.width,
			 bi->fb.height, bi->fb.bpp, (unsigned long long)bi->fb.addr);
	if (bi->efi_system_table)
		log_info("boot: EFI system table at 0x%llx",
			 (unsigned long long)bi->efi_system_table);
}

static void run_boot_selftests(void)
{
	bool paging_ok = arch_paging_selftest();
	bool mem_ok = mem_selftest();

	if (!paging_ok || !mem_ok)
		hv_finish(VERDICT_FAIL, "boot self-test failed (%s)",
			  !paging_ok ? "page protections" : "frame allocator");
}

static const struct virt_ops *check_virtualization(void)
{
	struct virt_report rep;

	arch_virt_detect(&rep);
	log_info("%s", rep.summary);
	if (!rep.ops) {
		log_err("hv: cannot run guests: %s", rep.missing);
		hv_finish(VERDICT_UNSUPPORTED, "%s", rep.missing);
	}
	return rep.ops;
}

/* `cpus=N`: at most N CPUs, N >= 1; all of them without it. */
static u32 cpu_limit(struct cmdline *cl)
{
	const char *v = cmdline_get(cl, "cpus");
	u64 n;

	if (!v)
		return UINT32_MAX;
	if (cmdline_parse_u64(v, &n) && n >= 1)
		return n > UINT32_MAX ? UINT32_MAX : (u32)n;
	log_warn("cmdline: cpus=%s is not a CPU count of 1 or more; using all CPUs", v);
	return UINT32_MAX;
}

/* On the boot CPU, then on the others it starts. */
static void enable_virtualization(const struct boot_info *bi, const struct virt_ops *ops)
{
	int err = ops->cpu_enable();

	if (err)
		hv_finish(VERDICT_UNSUPPORTED, "%s: cannot enable virtualization (%d)",
			  ops->name, err);
	virt = ops;
	arch_timer_init();
	hv_verdict_set_cpus(arch_smp_start(bi, cpu_limit(&hv_cmdline), ops->cpu_enable,
					   vm0_smp_cpu_main));
}

static u64 vm0_mem_size(struct cmdline *cl)
{
	const char *v = cmdline_get(cl, "vm0.mem");
	u64 size;

	if (!v)
		return VM0_MEM_DEFAULT;
	if (cmdline_parse_u64(v, &size) && size && size % (2 * MIB) == 0)
		return size;
	log_warn("cmdline: vm0.mem=%s is not a multiple of 2 MiB; using %llu MiB",
		 v, (unsigned long long)(VM0_MEM_DEFAULT / MIB));
	return VM0_MEM_DEFAULT;
}

static void report_vm_stats(const struct vm *vm)
{
	const struct vm_stats *st = &vm->stats;

	log_info("vm %s: %llu exits: cpuid %llu, io %llu, msr %llu, hlt %llu, "
		 "hypercall %llu, exception %llu; io unclaimed reads %llu, "
		 "ignored writes %llu", vm->name,
		 (unsigned long long)st->exits,
		 (unsigned long long)st->exits_by_reason[EXIT_CPUID],
		 (unsigned long long)st->exits_by_reason[EXIT_IO],
		 (unsigned long long)(st->exits_by_reason[EXIT_MSR_READ] +
				      st->exits_by_reason[EXIT_MSR_WRITE]),
		 (unsigned long long)st->exits_by_reason[EXIT_HLT],
		 (unsigned long long)st->hypercalls,
		 (unsigned long long)st->exits_by_reason[EXIT_EXCEPTION],
		 (unsigned long long)st->io_unclaimed_reads,
		 (unsigned long long)st->io_ignored_writes);
}

/* Long mode without CR4.PAE: every CPU must refuse to enter this state,
 * which exercises the backends' entry-failure reports. */
static void corrupt_entry_state(struct vcpu *v)
{
	struct guest_sregs s;

	virt->get_sregs(v, &s);
	s.cr4 &= ~BIT(5);
	virt->set_sregs(v, &s);
	log_info("hv: test.bad-entry: VM 0 will enter long mode with CR4.PAE clear");
}

/* VM 0's children cannot outlive their VMM. */
static void destroy_children(struct vm *vm0)
{
	for (u32 slot = 0; slot < VM_MAX; slot++) {
		struct vm *vm = vm_at_slot(slot);

		if (vm && vm != vm0) {
			log_info("hv: destroying vm %s, left behind by vm0", vm->name);
			vm_destroy(vm);
		}
	}
}

/* Runs VM 0 to its end, destroys it and checks that every frame it held
 * came back. Returns the outcome: PASS when VM 0 exited with 0. */
static enum verdict run_vm0(struct vm *vm, u64 frames_before, char *reason,
			    size_t len)
{
	bool clean_exit;

	vcpu_run_until_stopped(&vm->vcpus[0]);
	vm_wait_stopped_elsewhere(vm); /* VM 0's vCPUs on other CPUs too */
	report_vm_stats(vm);
	destroy_children(vm);
	clean_exit = vm->exit_code_set && vm->exit_code == 0;
	hv_snprintf(reason, len, "vm0 %s", clean_exit ? "exited 0" : vm->stop_reason);
	vm0_destroy(vm);
	if (hv_frames.free_frames != frames_before) {
		hv_snprintf(reason, len, "vm0 leaked %lld frames",
			    (long long)(frames_before - hv_frames.free_frames));
		return VERDICT_FAIL;
	}
	log_info("hv: vm0 destroyed, all its frames returned (%llu free)",
		 (unsigned long long)hv_frames.free_frames);
	log_info("hv: vm0 result: %s", reason);
	return clean_exit ? VERDICT_PASS : VERDICT_FAIL;
}

/* With nothing (left) to run: `onidle=exit` ends the run with the
 * verdict, the default halts so the user can read the console. */
static __noreturn void idle(struct cmdline *cl, enum verdict v, const char *reason)
{
	const char *onidle = cmdline_get(cl, "onidle");

	if (onidle && !strcmp(onidle, "exit"))
		hv_finish(v, "%s", reason);
	if (onidle && strcmp(onidle, "halt"))
		log_warn("cmdline: onidle=%s is not halt|exit", onidle);
	log_info("hv: nothing to run; halted (in QEMU: Ctrl-A X quits)");
	for (;;)
		arch_halt();
}

void hv_main(struct boot_info *bi)
{
	const struct virt_ops *ops;
	const char *fault;
	struct vm *vm0;
	char reason[200];
	enum verdict v;
	u64 frames;
	int err;

	hv_printf("hv: microhypervisor %s starting\n", HV_VERSION);
	parse_options(bi);
	log_info("hv: command line '%s'", bi->cmdline);
	report_boot_info(bi);
	arch_paging_init(mem_init(bi));
	run_boot_selftests();
	ops = check_virtualization();
	if ((fault = cmdline_get(&hv_cmdline, "test.fault")))
		arch_raise_test_fault(fault);
	if (!bi->module_count)
		idle(&hv_cmdline, VERDICT_PASS, "");
	enable_virtualization(bi, ops);
	hv_lock_acquire(); /* held from here on but in guest mode (hv/lock.h) */
	frames = hv_frames.free_frames;
	err = vm0_create(bi, vm0_mem_size(&hv_cmdline), &vm0);
	if (err == -EOPNOTSUPP)
		hv_finish(VERDICT_UNSUPPORTED, "vm0's entry state needs a CPU "
			  "feature this CPU lacks (see the error above)");
	if (err)
		hv_finish(VERDICT_FAIL, "vm0 could not be created (%d)", err);
	if (cmdline_get(&hv_cmdline, "test.bad-entry"))
		corrupt_entry_state(&vm0->vcpus[0]);
	v = run_vm0(vm0, frames, reason, sizeof(reason));
	idle(&hv_cmdline, v, v == VERDICT_PASS ? "" : reason);
}
