/* `vm info NAME`: one child, each of its vCPUs with its state and
 * registers (VCPU_GET_REGS), the interrupts hvctl's devices hold
 * pending, its memory layout, its devices and its exits by reason
 * (inspect.c). */
#include "guests/mgmt/pc.h"

static const char *vcpu_state_name(const struct child *c, const struct child_vcpu *v)
{
	static const char *const names[] = {
		[VCPU_READY] = "running", [VCPU_WAIT_SIPI] = "waiting for SIPI",
		[VCPU_HALTED] = "halted", [VCPU_UNUSED] = "never started (no LAPIC)",
	};

	if (v->state == VCPU_READY && !child_runnable(c))
		return "stopped";
	if (v->state == VCPU_READY && c->state == CHILD_CREATED)
		return "created";
	return names[v->state];
}

/* ", on CPU k" where VM 0 runs children on several CPUs (cpus.c). */
static const char *cpu_text(const struct child_vcpu *v, char *buf, size_t len)
{
	if (vm0_cpu_count() == 1)
		return "";
	hv_snprintf(buf, len, ", on CPU %u", v->cpu);
	return buf;
}

static void print_vcpu(const struct child *c, u32 i)
{
	const struct child_vcpu *v = &c->vcpu[i];
	static struct hv_vcpu_regs r;
	char buf[16];
	const char *cpu = cpu_text(v, buf, sizeof(buf));
	long err = v->in_run ? -HV_EBUSY : hv_vcpu_get_regs(c->id, i, &r);

	if (err < 0) {
		gprintf("  vcpu %u: %s%s, registers: %s%s\n", i, vcpu_state_name(c, v), cpu,
			err_name(err), v->in_run ? " (it runs now: vm pause first)" : "");
		return;
	}
	gprintf("  vcpu %u: %s%s, rip 0x%llx, cs 0x%x, %llu exits\n", i, vcpu_state_name(c, v),
		cpu, (unsigned long long)r.rip, r.cs.selector, (unsigned long long)v->exits);
	inspect_print_regs(&r);
}

void cmd_vm_info(struct words *ws)
{
	struct child *c;

	if (!(c = vm_command_child(ws, 2, "vm info NAME")))
		return;
	gprintf("vm %s: id %u, %s, %u vCPU(s), virtual LAPIC %s, %llu exits\n", c->name, c->id,
		child_state_name(c), c->vcpus, c->lapic ? "on" : "off",
		(unsigned long long)c->exits);
	for (u32 i = 0; i < c->vcpus; i++)
		print_vcpu(c, i);
#if HV_ABI_HEADER_REVISION >= 2 /* v1 children are never PCs */
	if (c->pc)
		gprintf("vm %s: reset=%s, boot %u\n", c->name,
			c->reset_restarts ? "restart" : "stop", c->boots);
#endif
	inspect_print_interrupts(c);
	inspect_print_layout(c);
	inspect_print_devices(c);
	inspect_print_exit_stats(c);
}
