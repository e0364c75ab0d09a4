/* The Intel 8254 programmable interval timer at ports 0x40-0x43, and
 * port 0x61 (system control port B) that gates channel 2 and shows its
 * output. The input clock runs at PIT_HZ from the child's virtual time:
 * nothing ticks; every value is computed from the now_ns the caller
 * passes, which must never go back.
 *
 * Channel 0's output drives ISA IRQ 0. pit_next_event_ns() says when its
 * next rising edge is due and pit_advance() raises the edges due by then.
 * Periodic edges are counted exactly from the moment the count was
 * loaded, so a late advance neither loses nor invents periods: the
 * count of edges (irq0_edges) is always floor(elapsed / period). The
 * edges of one advance are coalesced into one rising edge on the line,
 * as a PIC's request register would merge them anyway. */
#ifndef GUESTS_MGMT_PIT_H
#define GUESTS_MGMT_PIT_H

#include "guests/mgmt/pc_irq.h"

#define PIT_HZ 1193182u
#define PIT_PORT_CH0 0x40
#define PIT_PORT_CTRL 0x43
#define PIT_PORT_61 0x61
#define PIT_NO_EVENT (~0ULL)

struct pit_channel {
	u32 count;       /* the initial count N: 1..0x10000 (0 is 0x10000) */
	u8 mode;         /* 0-5 */
	u8 rw;           /* access: 1 LSB, 2 MSB, 3 LSB then MSB */
	bool bcd;        /* stored and reported; counting is binary */
	bool gate;
	bool has_count;  /* a count was written after the control word */
	bool counting;   /* the count is in the counting element */
	bool read_msb;   /* next unlatched read of an LSB/MSB access */
	bool write_msb;  /* next write of an LSB/MSB access */
	u8 write_lsb;
	u8 latch_left;   /* bytes of the latched count still to read */
	bool status_latched;
	u16 latched;
	u8 status;
	u64 start;       /* tick at which counting began from N */
	u64 paused_at;   /* tick at which the gate went low */
	u64 loaded;      /* tick at which N entered the counting element */
	u64 edges_done;  /* rising edges of the output already raised */
};

struct pit {
	struct pit_channel ch[3];
	const struct pc_irq_sink *irq;
	bool irq0_level;
	u64 irq0_edges; /* rising edges of channel 0's output so far */
	u8 port61;      /* bits 0-3 as last written */
};

void pit_reset(struct pit *p, const struct pc_irq_sink *irq);
/* port is 0x40-0x43 or 0x61; accesses are one byte. */
u8 pit_read(struct pit *p, u16 port, u64 now_ns);
void pit_write(struct pit *p, u16 port, u8 val, u64 now_ns);
/* When channel 0's output next rises: now_ns if an edge is due already,
 * PIT_NO_EVENT if none will come without a new count. */
u64 pit_next_event_ns(const struct pit *p, u64 now_ns);
/* Raises on IRQ 0 the rising edges of channel 0 due by now_ns. */
void pit_advance(struct pit *p, u64 now_ns);

#endif
