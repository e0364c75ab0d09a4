/* A console child for `vm console`: it echoes each byte its UART (COM1)
 * receives and at a carriage return prints "line N: TEXT". A line
 * "exit" ends it with success.
 *
 * By default it polls (LSR data ready, then RBR); with "tick=P" on its
 * command line it also prints "tick N" every P polls, only while no line
 * is half typed, so that whoever watches can see it keep running without
 * a tick breaking an echoed line. With "irq" (a `pc` child) it waits in
 * HLT for IRQ 4 through the IOAPIC instead, with the FIFO's trigger at 4
 * bytes: a key typed alone arrives by the character timeout. */
#include "guests/lib/test.h"
#include "lib/string.h"

#define COM1 0x3f8
#define IER 1
#define FCR 2
#define MCR 4
#define LSR 5
#define LSR_DATA_READY 0x01
#define IER_RX 0x01
#define FCR_FIFO_TRIGGER_4 0x41
#define MCR_OUT2 0x08
#define LINE_LEN 64

#define IOAPIC 0xfec00000u
#define LAPIC 0xfee00000u
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define COM1_GSI 4
#define VEC_COM1 0x34
#define SPURIOUS 0xff
#define RING 64

const char test_title[] = "Echo";

static volatile u8 ring[RING];
static volatile u32 ring_in, ring_out;

void irq_com1(void);
asm(".text\n"
    "irq_com1:\n"
    "	pushq %rax\n pushq %rcx\n pushq %rdx\n pushq %rsi\n pushq %rdi\n"
    "	pushq %r8\n pushq %r9\n pushq %r10\n pushq %r11\n"
    "	call com1_irq\n"
    "	popq %r11\n popq %r10\n popq %r9\n popq %r8\n"
    "	popq %rdi\n popq %rsi\n popq %rdx\n popq %rcx\n popq %rax\n"
    "	iretq\n");

/* Everything the receiver holds into the ring (a full ring drops). */
void com1_irq(void);
void com1_irq(void)
{
	while (inb(COM1 + LSR) & LSR_DATA_READY) {
		u8 b = inb(COM1);

		if (ring_in - ring_out < RING)
			ring[ring_in++ % RING] = b;
	}
	*(volatile u32 *)(u64)(LAPIC + LAPIC_EOI) = 0;
}

/* The number after "key=" on the command line; 0 when there is none. */
static u64 cmdline_number(const char *key)
{
	const char *p = boot_info->cmdline;
	size_t n = strlen(key);
	u64 v = 0;

	while (*p && strncmp(p, key, n))
		p++;
	if (!*p)
		return 0;
	for (p += n; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (u64)(*p - '0');
	return v;
}

static bool cmdline_has(const char *word)
{
	size_t n = strlen(word);

	for (const char *p = boot_info->cmdline; *p; p++)
		if (!strncmp(p, word, n) && (p == boot_info->cmdline || p[-1] == ' ') &&
		    (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

static void ioapic_write(u32 reg, u32 v)
{
	*(volatile u32 *)(u64)IOAPIC = reg;
	*(volatile u32 *)(u64)(IOAPIC + 0x10) = v;
}

/* IRQ 4 through the IOAPIC to this vCPU's LAPIC; the PIC pair masked. */
static void route_com1(void)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	traps_set_gate(VEC_COM1, irq_com1, 0);
	*(volatile u32 *)(u64)(LAPIC + LAPIC_SVR) = 0x100 | SPURIOUS;
	ioapic_write(0x11 + 2 * COM1_GSI, 0);        /* destination APIC 0 */
	ioapic_write(0x10 + 2 * COM1_GSI, VEC_COM1); /* fixed, edge, unmasked */
	outb(COM1 + FCR, FCR_FIFO_TRIGGER_4);
	outb(COM1 + MCR, MCR_OUT2);
	outb(COM1 + IER, IER_RX);
}

static int poll_byte(void)
{
	if (!(inb(COM1 + LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1);
}

/* The next byte the interrupt handler took, waiting in HLT for one. */
static int wait_irq_byte(void)
{
	int b;

	asm volatile("cli");
	while (ring_in == ring_out)
		asm volatile("sti; hlt; cli");
	b = ring[ring_out++ % RING];
	asm volatile("sti");
	return b;
}

/* Echoes c and adds it to the line; true when the line "exit" ended. */
static bool take_byte(int c, char *line, u32 *len, u32 *lines)
{
	if (c == '\n' && !*len) /* the second half of CR LF */
		return false;
	if (c != '\r' && c != '\n') {
		outb(COM1, (u8)c);
		if (*len < LINE_LEN - 1)
			line[(*len)++] = (char)c;
		return false;
	}
	line[*len] = '\0';
	gprintf("\nline %u: %s\n", ++*lines, line);
	*len = 0;
	return !strcmp(line, "exit");
}

void test_main(void)
{
	u64 every = cmdline_number("tick="), polls = 0, ticks = 0;
	bool irq = cmdline_has("irq");
	char line[LINE_LEN];
	u32 len = 0, lines = 0;
	int c;

	if (irq)
		route_com1();
	gprintf("echo: ready%s\n", irq ? ", on IRQ 4" : "");
	for (;;) {
		c = irq ? wait_irq_byte() : poll_byte();
		if (c >= 0 && take_byte(c, line, &len, &lines))
			return;
		if (every && ++polls % every == 0 && !len)
			gprintf("tick %llu\n", (unsigned long long)++ticks);
	}
}
