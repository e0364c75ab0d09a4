/* MMIO exits: with HV_EXIT_MMIO enabled, a child's data access to a
 * guest-physical address that is not its RAM (or a write its stage-2
 * mapping forbids) goes to its VMM instead of stopping it. The
 * instruction is decoded (arch/x86/insn_emul.c) into one access. A write
 * is reported with its value and completed at once, as an OUT is; a read
 * waits for the VMM's value on the next run (HV_RUN_COMPLETE), then the
 * instruction completes; a read-modify-write is a read exit, then a
 * write exit with the computed value. MOVS copies between the MMIO
 * address and guest RAM, which the hypervisor reads or writes itself.
 * An instruction the decoder does not emulate is reported with its
 * bytes and left undone (RIP at it), for the VMM to emulate or refuse. */
#include "hv/mmio.h"
#include "arch/x86/seg_addr.h"
#include "hv/event.h"
#include "hv/guest_mem.h"
#include "hv/insn.h"
#include "hv/tsc.h"
#include "lib/string.h"

bool mmio_exit_wanted(const struct vcpu *v, const struct vm_exit *exit)
{
	const struct exit_stage2 *f = &exit->stage2;

	return v->vmm_exit && (v->vm->exit_reasons & BIT(HV_EXIT_MMIO)) && !f->fetch &&
	       !f->walk && !exit->interrupted_valid;
}

/* The instruction's bytes: those the CPU fetched with the exit (SVM
 * decode assists), else read at CS:RIP. Returns how many, its length in
 * *len (negative when unknown). */
static int fetch_insn(struct vcpu *v, const struct exit_stage2 *f,
		      const struct guest_sregs *s, u8 bytes[INSN_MAX_LEN], int *len)
{
	if (!f->insn_len)
		return insn_fetch_state(v, s, bytes, len);
	memcpy(bytes, f->insn, f->insn_len);
	*len = insn_length(bytes, f->insn_len, seg_code_mode(s));
	return f->insn_len;
}

/* The faulting instruction fetched (bytes, *len as fetch_insn gives
 * them) and decoded into *op; false when it cannot be. */
static bool decode_fault(struct vcpu *v, const struct vm_exit *exit, struct guest_sregs *s,
			 u8 bytes[INSN_MAX_LEN], int *len, struct mem_op *op)
{
	int got;

	virt->get_sregs(v, s);
	got = fetch_insn(v, &exit->stage2, s, bytes, len);
	return got && !mem_op_decode(bytes, got, seg_code_mode(s), op);
}

/* Register and flag effects, then RIP past the instruction through the
 * one place RIP moves after an exit. */
static bool finish(struct vcpu *v, const struct mem_op *op, u64 value)
{
	struct vm_exit done = { .reason = EXIT_STAGE2_FAULT,
				.next_rip = v->regs.rip + op->len, .next_rip_valid = true };

	mem_op_complete(op, &v->regs, value);
	return insn_skip(v, &done);
}

static bool report(struct vcpu *v)
{
	v->vmm_exit->u.mmio = v->mmio;
	return vcpu_exit_to_vmm(v, HV_EXIT_MMIO);
}

static bool report_undecoded(struct vcpu *v)
{
	v->mmio.flags = HV_MMIO_UNDECODED;
	v->mmio.size = 0;
	return report(v);
}

static bool report_read(struct vcpu *v)
{
	v->pending = VMM_PENDING_MMIO;
	return report(v);
}

/* A write, complete once reported: `read` is what the instruction read
 * before (read-modify-write, MOVS), for its register effects. */
static bool report_write(struct vcpu *v, u64 data, u64 read)
{
	v->mmio.flags |= HV_MMIO_WRITE;
	v->mmio.data = data & size_mask(v->mmio_op.size);
	report(v);
	finish(v, &v->mmio_op, read);
	return false;
}

/* The linear address of MOVS's source (DS or its override, rSI) or
 * destination (ES:rDI); false on a segment fault. */
static bool movs_linear(const struct vcpu *v, const struct guest_sregs *s, bool dest,
			u64 *linear)
{
	const struct mem_op *op = &v->mmio_op;
	struct seg_access a = { dest ? SEG_ES : op->seg,
				(dest ? v->regs.rdi : v->regs.rsi) & size_mask(op->addr_size),
				op->size, dest };

	return seg_linear(s, v->regs.rflags, &a, linear) == SEG_FAULT_NONE;
}

/* MOVS with one side in RAM: from RAM, a write exit with the value
 * read; to RAM, a read exit whose value is stored on completion.
 * Anything else (both sides outside RAM, a fault) is left to the VMM. */
static bool movs_exit(struct vcpu *v, const struct guest_sregs *s)
{
	u64 src, dst, value = 0;
	struct guest_fault f;
	enum guest_access_result r;

	if (!movs_linear(v, s, false, &src) || !movs_linear(v, s, true, &dst))
		return report_undecoded(v);
	r = guest_read_linear_state(v, s, src, &value, v->mmio_op.size, false, &f);
	if (r == GUEST_OK)
		return report_write(v, mem_op_store_value(&v->mmio_op, &v->regs, value), value);
	if (r == GUEST_NOT_RAM &&
	    guest_read_linear_state(v, s, dst, &value, v->mmio_op.size, false, &f) == GUEST_OK)
		return report_read(v);
	return report_undecoded(v);
}

bool mmio_exit(struct vcpu *v, const struct vm_exit *exit)
{
	struct hv_exit_mmio *m = &v->mmio;
	struct mem_op *op = &v->mmio_op;
	u8 bytes[INSN_MAX_LEN] = { 0 };
	struct guest_sregs s;
	int len;
	bool decoded = decode_fault(v, exit, &s, bytes, &len, op);

	*m = (struct hv_exit_mmio){ .gpa = exit->stage2.gpa, .insn_len = len > 0 ? len : 0 };
	memcpy(m->insn, bytes, sizeof(bytes));
	if (!decoded)
		return report_undecoded(v);
	m->size = op->size;
	if (op->kind == MEM_MOVS)
		return movs_exit(v, &s);
	if (!op->reads)
		return report_write(v, mem_op_store_value(op, &v->regs, 0), 0);
	return report_read(v);
}

/* MOVS from the MMIO address: the value goes to ES:rDI, which was RAM
 * when the exit was reported. */
static bool movs_store(struct vcpu *v, u64 value)
{
	struct guest_sregs s;
	struct guest_fault f;
	u64 dst;

	virt->get_sregs(v, &s);
	if (movs_linear(v, &s, true, &dst) &&
	    guest_write_linear_state(v, &s, dst, &value, v->mmio_op.size, &f) == GUEST_OK)
		return true;
	vm_stop(v->vm, HV_EXIT_FAILED, "MOVS from MMIO at rip 0x%llx: destination not writable",
		(unsigned long long)v->regs.rip);
	return false;
}

bool mmio_complete_read(struct vcpu *v, u64 value)
{
	const struct mem_op *op = &v->mmio_op;

	value &= size_mask(op->size);
	if (op->kind == MEM_MOVS)
		return movs_store(v, value) && finish(v, op, value);
	if (op->writes)
		return report_write(v, mem_op_store_value(op, &v->regs, value), value);
	return finish(v, op, value);
}

bool mmio_lapic_wanted(const struct vcpu *v, const struct vm_exit *exit)
{
	const struct exit_stage2 *f = &exit->stage2;

	return v->vm->lapic && (f->gpa & PAGE_MASK) == vlapic_mmio_page(&v->apic) && !f->fetch &&
	       !f->walk && !exit->interrupted_valid;
}

/* The xAPIC's registers are 32 bits wide at 16-byte strides: a read takes
 * the bytes it covers (0 beyond the register), a write that is not one
 * aligned dword is dropped. MOVS and what the decoder does not know stop
 * the VM. */
bool mmio_lapic(struct vcpu *v, const struct vm_exit *exit)
{
	u32 off = exit->stage2.gpa & ~PAGE_MASK;
	u8 bytes[INSN_MAX_LEN] = { 0 };
	struct guest_sregs s;
	struct mem_op op;
	u64 value = 0;
	int len;

	if (!decode_fault(v, exit, &s, bytes, &len, &op) || op.kind == MEM_MOVS) {
		vm_stop(v->vm, HV_EXIT_FAILED, "LAPIC access at rip 0x%llx: not emulated",
			(unsigned long long)v->regs.rip);
		return false;
	}
	if (op.reads)
		value = vlapic_mmio_read(&v->apic, off & ~3u, vcpu_tsc(v)) >> (8 * (off & 3));
	if (op.writes && op.size == 4 && !(off & 3))
		vlapic_mmio_write(&v->apic, off, (u32)mem_op_store_value(&op, &v->regs, value),
				  vcpu_tsc(v));
	return finish(v, &op, value);
}
