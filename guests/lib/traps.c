/* Guest exceptions: an IDT over guest_trap_stubs, fixups for instructions
 * that are expected to fault (wrmsr_safe), and a report for the rest. */
#include "guests/lib/guest.h"
#include "guests/lib/user.h"

struct guest_frame {
	u64 r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
	u64 vector, error, rip, cs, rflags, rsp, ss;
};

struct idt_gate {
	u16 off_lo, sel;
	u8 ist, attr;
	u16 off_mid;
	u32 off_hi, zero;
} __packed;

struct fixup {
	u64 fault_rip, resume_rip;
};

extern const u8 guest_trap_stubs[];
extern const struct fixup __guest_extable_start[], __guest_extable_end[];

#define IDT_VECTORS 256
#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));
volatile int last_fixup_vector = -1;
volatile u64 last_fixup_error;

volatile struct debug_event last_debug;

#define RFLAGS_TF BIT(8)
#define RFLAGS_RF BIT(16)
#define DR6_CLEAN 0xffff0ff0ULL

/* #DB: noted with DR6 (then cleaned, as a kernel does) and resumed with
 * TF off; RF lets a faulting breakpoint's instruction run. */
static void note_debug(struct guest_frame *f)
{
	u64 dr6;

	asm volatile("mov %%dr6, %0" : "=r"(dr6));
	asm volatile("mov %0, %%dr6" : : "r"(DR6_CLEAN));
	last_debug.rip = f->rip;
	last_debug.dr6 = dr6;
	last_debug.count++;
	f->rflags = (f->rflags & ~RFLAGS_TF) | RFLAGS_RF;
}

void guest_trap(struct guest_frame *f);

void guest_trap(struct guest_frame *f)
{
	if (f->vector == 1) {
		note_debug(f);
		return;
	}
	for (const struct fixup *x = __guest_extable_start; x < __guest_extable_end; x++) {
		if (x->fault_rip == f->rip) {
			f->rip = x->resume_rip;
			last_fixup_vector = (int)f->vector;
			last_fixup_error = f->error;
			return;
		}
	}
	guest_panic("unexpected exception %llu, error 0x%llx at rip 0x%llx",
		    (unsigned long long)f->vector, (unsigned long long)f->error,
		    (unsigned long long)f->rip);
}

void traps_set_gate(u8 vector, const void *handler, u8 dpl)
{
	u64 h = (u64)handler;

	idt[vector] = (struct idt_gate){ (u16)h, KERNEL_CS, 0,
					 (u8)(GATE_INTERRUPT | (dpl & 3) << 5),
					 (u16)(h >> 16), (u32)(h >> 32), 0 };
}

void traps_init(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed idtr = { sizeof(idt) - 1, (u64)idt };

	for (int v = 0; v < 32; v++)
		traps_set_gate((u8)v, guest_trap_stubs + v * 16, 0);
	asm volatile("lidt %0" : : "m"(idtr));
}

bool wrmsr_safe(u32 msr, u64 v)
{
	int ok = 1;

	asm volatile(FIXUP_ASM("wrmsr")
		     : [ok] "+r"(ok)
		     : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
		     : "memory");
	return ok;
}

bool rdmsr_safe(u32 msr, u64 *v)
{
	u32 lo = 0, hi = 0;
	int ok = 1;

	asm volatile(FIXUP_ASM("rdmsr")
		     : [ok] "+r"(ok), "=a"(lo), "=d"(hi)
		     : "c"(msr)
		     : "memory");
	*v = ((u64)hi << 32) | lo;
	return ok;
}

int ud2_vector(void)
{
	int ok = 1;

	last_fixup_vector = -1;
	asm volatile(FIXUP_ASM("ud2") : [ok] "+r"(ok) : : "memory");
	return ok ? -1 : last_fixup_vector;
}

bool xsetbv_safe(u32 xcr, u64 v)
{
	int ok = 1;

	asm volatile(FIXUP_ASM("xsetbv")
		     : [ok] "+r"(ok)
		     : "c"(xcr), "a"((u32)v), "d"((u32)(v >> 32))
		     : "memory");
	return ok;
}

bool int1_safe(void)
{
	int ok = 1;

	asm volatile(FIXUP_ASM(".byte 0xf1") : [ok] "+r"(ok) : : "memory");
	return ok;
}
