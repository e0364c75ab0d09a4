/* The Intel 8254 PIT (datasheet 231164) and port 0x61, computed from the
 * child's virtual time. A channel's state is the tick of its input clock
 * at which it began counting from its initial count N; its counter and
 * output at any later tick follow from the elapsed ticks and the mode.
 *
 * A count takes effect when it is written (the datasheet's one-clock
 * load delay shows only as the null count bit for that clock). Modes 2
 * and 3 restart with a new count at once instead of at the end of the
 * current period, and a new count in modes 1 and 5 waits for the next
 * gate trigger. The counter counts in binary even when BCD is set. In
 * mode 3 an odd N gives (N+1)/2 clocks high and (N-1)/2 low, counting
 * down by two from N-1. After reset every channel is in mode 0 without
 * a count: its output is low and nothing counts until it is programmed.
 *
 * IRQ 0 follows channel 0's output, so programming mode 2 or 3 raises
 * the line as the 8254 does; irq0_edges counts only the periods. */
#include "guests/mgmt/pit.h"
#include "guests/mgmt/pc_clock.h"
#include "lib/string.h"

#define SC_READ_BACK 3
#define RW_LATCH 0
#define RW_LSB 1
#define RW_MSB 2
#define RW_WORD 3
#define RB_NO_COUNT 0x20
#define RB_NO_STATUS 0x10
#define STATUS_OUT 0x80
#define STATUS_NULL 0x40

#define P61_GATE2 0x01
#define P61_WRITABLE 0x0f
#define P61_REFRESH 0x10
#define P61_OUT2 0x20
/* The DRAM refresh request seen in bit 4 toggles every 15.085 us. */
#define REFRESH_NS 15085

static bool is_periodic(const struct pit_channel *c)
{
	return c->mode == 2 || c->mode == 3;
}

/* Modes 1 and 5 are triggered by the gate; the others count only while
 * it is high. */
static bool gate_triggers(const struct pit_channel *c)
{
	return c->mode == 1 || c->mode == 5;
}

static bool held_by_gate(const struct pit_channel *c)
{
	return !c->gate && !gate_triggers(c);
}

/* Clocks counted since N entered the counting element, at tick t. */
static u64 elapsed(const struct pit_channel *c, u64 t)
{
	return (held_by_gate(c) ? c->paused_at : t) - c->start;
}

/* Mode 3 counts down by two through each half period. */
static u16 square_value(u64 n, u64 phase)
{
	u64 half = (n + 1) / 2, even = n & ~1ULL;

	return (u16)(even - 2 * (phase < half ? phase : phase - half));
}

static u16 counter_value(const struct pit_channel *c, u64 t)
{
	u64 d, n = c->count;

	if (!c->counting)
		return (u16)n;
	d = elapsed(c, t);
	if (c->mode == 2)
		return (u16)(n - d % n);
	if (c->mode == 3)
		return square_value(n, d % n);
	return (u16)(n - d); /* one-shot modes wrap on past 0 */
}

static bool channel_out(const struct pit_channel *c, u64 t)
{
	u64 d, n = c->count;

	if (!c->counting)
		return c->mode != 0;
	if (is_periodic(c) && !c->gate)
		return true;
	d = elapsed(c, t);
	switch (c->mode) {
	case 0:
	case 1:
		return d >= n;
	case 2:
		return d % n != n - 1;
	case 3:
		return d % n < (n + 1) / 2;
	default: /* 4, 5: low for the one clock at terminal count */
		return d != n;
	}
}

/* Rising edges of the output since counting began, at tick t. */
static u64 rising_edges(const struct pit_channel *c, u64 t)
{
	u64 d;

	if (!c->counting || held_by_gate(c))
		return 0;
	d = elapsed(c, t);
	if (is_periodic(c))
		return d / c->count;
	if (c->mode <= 1)
		return d >= c->count;
	return d > c->count;
}

/* The tick of the k-th rising edge (k >= 1), or PIT_NO_EVENT. */
static u64 edge_tick(const struct pit_channel *c, u64 k)
{
	if (!c->counting || held_by_gate(c))
		return PIT_NO_EVENT;
	if (is_periodic(c))
		return c->start + k * c->count;
	if (k != 1)
		return PIT_NO_EVENT;
	return c->start + c->count + (c->mode >= 4);
}

static bool null_count(const struct pit_channel *c, u64 t)
{
	return !c->counting || t <= c->loaded;
}

static void start_counting(struct pit_channel *c, u64 t)
{
	c->counting = true;
	c->start = c->paused_at = c->loaded = t;
	c->edges_done = 0;
}

static void load_count(struct pit_channel *c, u32 n, u64 t)
{
	c->count = n ? n : 0x10000;
	c->has_count = true;
	c->counting = false;
	c->edges_done = 0;
	if (!gate_triggers(c))
		start_counting(c, t);
}

static void set_gate(struct pit_channel *c, bool gate, u64 t)
{
	if (gate == c->gate)
		return;
	c->gate = gate;
	if (!gate) {
		c->paused_at = t;
		return;
	}
	if (c->mode == 0 || c->mode == 4)
		c->start += t - c->paused_at; /* resumes where it stopped */
	else if (c->has_count)
		start_counting(c, t); /* 1, 5 trigger; 2, 3 restart */
}

static void latch_count(struct pit_channel *c, u64 t)
{
	if (c->latch_left)
		return; /* a latched count is held until it is read */
	c->latched = counter_value(c, t);
	c->latch_left = c->rw == RW_WORD ? 2 : 1;
}

static void latch_status(struct pit_channel *c, u64 t)
{
	if (c->status_latched)
		return;
	c->status = (channel_out(c, t) ? STATUS_OUT : 0) |
		    (null_count(c, t) ? STATUS_NULL : 0) | c->rw << 4 |
		    c->mode << 1 | c->bcd;
	c->status_latched = true;
}

/* Read-back: bits 3-1 select channels 2-0; bits 5 and 4, when clear,
 * latch their count and status. */
static void read_back(struct pit *p, u8 cmd, u64 t)
{
	for (unsigned i = 0; i < 3; i++) {
		if (!(cmd & (2u << i)))
			continue;
		if (!(cmd & RB_NO_COUNT))
			latch_count(&p->ch[i], t);
		if (!(cmd & RB_NO_STATUS))
			latch_status(&p->ch[i], t);
	}
}

static void write_control(struct pit *p, u8 cmd, u64 t)
{
	unsigned sc = cmd >> 6, rw = (cmd >> 4) & 3, mode = (cmd >> 1) & 7;
	struct pit_channel *c = &p->ch[sc];

	if (sc == SC_READ_BACK) {
		read_back(p, cmd, t);
		return;
	}
	if (rw == RW_LATCH) {
		latch_count(c, t);
		return;
	}
	c->rw = rw;
	c->mode = mode > 5 ? mode - 4 : mode; /* 6 and 7 are 2 and 3 */
	c->bcd = cmd & 1;
	c->has_count = c->counting = false;
	c->read_msb = c->write_msb = false;
	c->edges_done = 0;
}

static void write_counter(struct pit_channel *c, u8 val, u64 t)
{
	if (c->rw == RW_LSB) {
		load_count(c, val, t);
	} else if (c->rw == RW_MSB) {
		load_count(c, (u32)val << 8, t);
	} else if (!c->write_msb) {
		c->write_lsb = val;
		c->write_msb = true;
		if (c->mode == 0)
			c->counting = false; /* the first byte stops mode 0 */
	} else {
		c->write_msb = false;
		load_count(c, c->write_lsb | (u32)val << 8, t);
	}
}

static u8 byte_of(u16 v, bool msb)
{
	return msb ? v >> 8 : v & 0xff;
}

/* A latched status comes first, then a latched count, else the counter
 * as it runs. An LSB/MSB access alternates the two bytes. */
static u8 read_counter(struct pit_channel *c, u64 t)
{
	bool msb;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->latch_left) {
		msb = c->rw == RW_MSB || (c->rw == RW_WORD && c->latch_left == 1);
		c->latch_left--;
		return byte_of(c->latched, msb);
	}
	msb = c->rw == RW_MSB || (c->rw == RW_WORD && c->read_msb);
	if (c->rw == RW_WORD)
		c->read_msb = !c->read_msb;
	return byte_of(counter_value(c, t), msb);
}

static u8 read_port61(struct pit *p, u64 now_ns, u64 t)
{
	u8 v = p->port61 & P61_WRITABLE;

	if ((now_ns / REFRESH_NS) & 1)
		v |= P61_REFRESH;
	if (channel_out(&p->ch[2], t))
		v |= P61_OUT2;
	return v;
}

static void set_irq0(struct pit *p, bool level)
{
	if (level == p->irq0_level)
		return;
	p->irq0_level = level;
	pc_irq_set(p->irq, PC_IRQ_PIT, level);
}

void pit_reset(struct pit *p, const struct pc_irq_sink *irq)
{
	memset(p, 0, sizeof(*p));
	p->irq = irq;
	for (unsigned i = 0; i < 3; i++) {
		p->ch[i].rw = RW_WORD; /* mode 0: every output low */
		p->ch[i].count = 0x10000;
		p->ch[i].gate = i != 2; /* channel 2's gate is port 0x61 bit 0 */
	}
}

u8 pit_read(struct pit *p, u16 port, u64 now_ns)
{
	u64 t = clock_ticks(now_ns, PIT_HZ);

	if (port == PIT_PORT_61)
		return read_port61(p, now_ns, t);
	if (port >= PIT_PORT_CH0 && port < PIT_PORT_CTRL)
		return read_counter(&p->ch[port - PIT_PORT_CH0], t);
	return 0xff; /* the control word register cannot be read */
}

void pit_write(struct pit *p, u16 port, u8 val, u64 now_ns)
{
	u64 t = clock_ticks(now_ns, PIT_HZ);

	pit_advance(p, now_ns); /* edges due under the old setting first */
	if (port == PIT_PORT_61) {
		p->port61 = val & P61_WRITABLE;
		set_gate(&p->ch[2], val & P61_GATE2, t);
	} else if (port == PIT_PORT_CTRL) {
		write_control(p, val, t);
	} else if (port >= PIT_PORT_CH0 && port < PIT_PORT_CTRL) {
		write_counter(&p->ch[port - PIT_PORT_CH0], val, t);
	}
	pit_advance(p, now_ns); /* IRQ 0 follows the new output */
}

u64 pit_next_event_ns(const struct pit *p, u64 now_ns)
{
	const struct pit_channel *c = &p->ch[0];
	u64 tick = edge_tick(c, c->edges_done + 1);

	if (tick == PIT_NO_EVENT)
		return PIT_NO_EVENT;
	if (tick <= clock_ticks(now_ns, PIT_HZ))
		return now_ns;
	return clock_ns_of_tick(tick, PIT_HZ);
}

void pit_advance(struct pit *p, u64 now_ns)
{
	struct pit_channel *c = &p->ch[0];
	u64 t = clock_ticks(now_ns, PIT_HZ), edges = rising_edges(c, t);

	if (edges > c->edges_done) {
		p->irq0_edges += edges - c->edges_done;
		c->edges_done = edges;
		set_irq0(p, false);
		set_irq0(p, true);
	}
	set_irq0(p, channel_out(c, t));
}
