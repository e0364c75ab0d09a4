/* A PC child's BIOS calls (bios.h) as hvctl answers them: the IVT and
 * the stubs written at creation, and each stub's OUT turned into the
 * call on the vCPU's registers and the FLAGS image on its stack. */
#include "guests/mgmt/pc.h"
#include "guests/mgmt/bda.h"

#if HV_ABI_HEADER_REVISION >= 2 /* PC children are post-v1 */

/* struct hv_vcpu_regs's gprs: rax rbx rcx rdx rsi rdi rbp rsp r8-r15 */
#define REG_RAX 0
#define REG_RBX 1
#define REG_RCX 2
#define REG_RDX 3
#define REG_RDI 5
#define REG_RSP 7
#define CR0_PE 1u
#define FLAGS_OFFSET 4 /* IP, CS, then FLAGS: what the INT pushed */
#define PIC_OCW2_EOI 0x20 /* non-specific EOI */
#define NS_PER_DAY (86400ULL * 1000000000ULL)

long bios_place(struct child *c)
{
	u8 ivt[BIOS_IVT_SIZE], stubs[BIOS_STUBS_SIZE];
	long r;

	bios_build_ivt(ivt);
	bios_build_stubs(stubs);
	if ((r = child_copy(c->id, BIOS_IVT_GPA, ivt, sizeof(ivt))) < 0)
		return r;
	return child_copy(c->id, BIOS_STUBS_GPA, stubs, sizeof(stubs));
}

static long read_child(struct child *c, u64 gpa, void *buf, u64 len)
{
	return hv_vm_copy(c->id, HV_COPY_FROM_VM, gpa, buf, len);
}

static long write_child(struct child *c, u64 gpa, const void *buf, u64 len)
{
	return hv_vm_copy(c->id, HV_COPY_TO_VM, gpa, (void *)buf, len);
}

/* The RTC's time of day (it starts at PC_RTC_START_SECS, a midnight). */
static u64 day_ns(const struct pc *p)
{
	return (PC_RTC_START_SECS % 86400 * 1000000000ULL + pc_now_ns(p)) % NS_PER_DAY;
}

/* The EOIs a vector in the PIC's range ends with (bios.h). */
static void irq_eois(struct pc *p, u8 vector)
{
	unsigned chips = bios_irq_eois(vector, p->pic.chip[0].base, p->pic.chip[1].base);

	if (chips & 2)
		pic_io_write(&p->pic, PIC_SLAVE_PORT, 1, PIC_OCW2_EOI);
	if (chips & 1)
		pic_io_write(&p->pic, PIC_MASTER_PORT, 1, PIC_OCW2_EOI);
}

/* The call on the registers; the FLAGS image read and written at
 * SS:SP+4, E820's entry stored at ES:DI. */
static long answer(struct child *c, struct hv_vcpu_regs *r, u8 vector)
{
	struct pc *p = c->pc;
	u64 flags_at = r->ss.base + (u16)(r->gprs[REG_RSP] + FLAGS_OFFSET);
	struct bios_env env = { .map = &p->e820, .secs_of_day_ns = day_ns(p) };
	struct bios_call call = {
		.eax = (u32)r->gprs[REG_RAX], .ebx = (u32)r->gprs[REG_RBX],
		.ecx = (u32)r->gprs[REG_RCX], .edx = (u32)r->gprs[REG_RDX],
	};
	long err;

	if ((err = read_child(c, flags_at, &call.flags, 2)) < 0 ||
	    (err = read_child(c, BDA_GPA + BDA_EQUIPMENT, &env.equipment, 2)) < 0)
		return err;
	bios_service(vector, &call, &env);
	if (call.out_len &&
	    (err = write_child(c, r->es.base + (u16)r->gprs[REG_RDI], call.out, call.out_len)) < 0)
		return err;
	if ((err = write_child(c, flags_at, &call.flags, 2)) < 0)
		return err;
	irq_eois(p, vector);
	r->gprs[REG_RAX] = call.eax;
	r->gprs[REG_RBX] = call.ebx;
	r->gprs[REG_RCX] = call.ecx;
	r->gprs[REG_RDX] = call.edx;
	r->flags = HV_REGS_GPRS;
	return hv_vcpu_set_regs(r);
}

bool bios_port_exit(struct child *c)
{
	struct bios *b = &c->pc->bios;
	struct hv_vcpu_regs r;
	long err = hv_vcpu_get_regs(c->id, c->cur, &r);
	int vector;

	if (err >= 0) {
		vector = r.cr0 & CR0_PE ? -1 : bios_vector_at(r.cs.base + (u16)r.rip);
		if (vector < 0) {
			b->stray++;
			return true;
		}
		b->calls[vector]++;
		err = answer(c, &r, (u8)vector);
	}
	if (err < 0) {
		child_end(c, CHILD_FAULTED, "BIOS call: %s", err_name(err));
		return false;
	}
	return true;
}

void bios_print(const struct child *c)
{
	const struct bios *b = &c->pc->bios;
	bool any = false;

	for (u32 v = 0; v < BIOS_VECTORS; v++) {
		if (!b->calls[v])
			continue;
		gprintf("%sINT %02xh %llu", any ? ", " : "  pc: BIOS calls: ", v,
			(unsigned long long)b->calls[v]);
		any = true;
	}
	if (any || b->stray)
		gprintf("%s%llu stray\n", any ? ", " : "  pc: BIOS calls: none, ",
			(unsigned long long)b->stray);
}

#endif
