/* The BIOS a PC child sees in real mode, serviced by hvctl: no BIOS
 * image, one 4-byte stub per interrupt vector in the BIOS area at
 * 0xF0000 (e820.h reserves 0xE0000-1 MiB; the ACPI tables' block takes
 * at most ACPI_TABLES_MAX bytes from 0xE0000), and the real-mode IVT at
 * 0 pointing vector v at F000:4v. A stub is
 *
 *     out $BIOS_PORT, %al     e6 e2   (AL unchanged)
 *     iret                    cf
 *     nop                     90
 *
 * The OUT exits to hvctl, which finds the vector from where the vCPU
 * stands (CS:IP just past the OUT), reads its registers, answers the
 * call, writes them back and sets CF/ZF in the FLAGS image the INT
 * pushed at SS:SP+4, which the stub's IRET then pops. Only a child in
 * real mode gets there: one entered in protected or long mode (ELF,
 * Linux, multiboot) runs the stubs only once it goes back to real mode
 * and calls the BIOS; no image loads over them (child_range_ok keeps
 * images out of 0-0x4FF and of 0x90000-1 MiB).
 *
 * Port 0xE2: below 0x100 (OUT's immediate form) and claimed by no PC
 * device, neither in pc_io.c nor in QEMU's pc machine (0xE0-0xEF hold
 * only the optional debug console at 0xE9). An OUT to it from anywhere
 * but a stub is ignored.
 *
 * Services (a subset of what SeaBIOS answers, enough for a kernel's
 * real-mode setup): INT 15h E820h (the child's e820 map, one entry per
 * call, EBX the continuation), E801h, 88h; INT 12h and INT 11h (base
 * memory, equipment word); INT 10h AH=0Fh (text mode 3, 80 columns),
 * VESA (AH=4Fh) refused, the rest nothing; INT 13h: no disks; INT 16h:
 * no key; INT 1Ah AH=00h: ticks since midnight of the RTC's clock as it
 * runs from its start (a time the child set is not seen). Any
 * other INT 15h function fails with CF set and AH=86h; any other vector
 * returns at once. A vector in a PIC chip's vector range as programmed
 * (a PC BIOS leaves them at 08h-0Fh and 70h-77h; pc.c delivers nothing
 * while a base is below 10h) also ends with a non-specific EOI to that
 * chip, and for the slave to the master too, as SeaBIOS's default IRQ
 * handlers do: an IRQ a real-mode kernel leaves to the BIOS does not
 * stay in service. */
#ifndef GUESTS_MGMT_BIOS_H
#define GUESTS_MGMT_BIOS_H

#include "guests/mgmt/e820.h"

#define BIOS_PORT 0xe2
#define BIOS_SEGMENT 0xf000
#define BIOS_STUBS_GPA 0xf0000u
#define BIOS_STUB_SIZE 4
#define BIOS_VECTORS 256
#define BIOS_STUBS_SIZE (BIOS_VECTORS * BIOS_STUB_SIZE)
#define BIOS_IVT_GPA 0
#define BIOS_IVT_SIZE (BIOS_VECTORS * 4)
#define BIOS_OUT_LEN 2 /* the stub's OUT, before IP */

#define BIOS_FLAG_CF 0x0001
#define BIOS_FLAG_ZF 0x0040
#define BIOS_SMAP 0x534d4150u /* 'SMAP' */

/* The per-vector call counts, for `vm info`. */
struct bios {
	u64 calls[BIOS_VECTORS];
	u64 stray; /* OUTs to BIOS_PORT from outside the stubs */
};

/* One call: the registers in and out, the FLAGS image, and what the
 * call stores at ES:DI (E820's entry). */
struct bios_call {
	u32 eax, ebx, ecx, edx;
	u16 flags;
	u8 out_len;
	u8 out[E820_BOOT_ENTRY_LEN];
};

/* What the calls answer from. */
struct bios_env {
	const struct e820_map *map;
	u64 secs_of_day_ns; /* the RTC's time of day, in nanoseconds */
	u16 equipment;      /* the BIOS data area's equipment word */
};

/* The IVT (vector v at BIOS_SEGMENT:v * BIOS_STUB_SIZE) and the stubs. */
void bios_build_ivt(u8 ivt[BIOS_IVT_SIZE]);
void bios_build_stubs(u8 stubs[BIOS_STUBS_SIZE]);
/* The vector whose stub's OUT ends at the linear address, or -1. */
int bios_vector_at(u64 linear);
/* Answers INT vector: c in, c out. */
void bios_service(u8 vector, struct bios_call *c, const struct bios_env *env);
/* The PIC chips a stub's vector ends with an EOI: bit 0 the master,
 * bit 1 the slave; master_base and slave_base are their vector bases. */
unsigned bios_irq_eois(u8 vector, u8 master_base, u8 slave_base);

/* hvctl's side (bios_io.c, built only against the post-v1 headers:
 * PC children are post-v1). */
struct child;
/* Writes the IVT and the stubs into a PC child (bios_io.c). */
long bios_place(struct child *c);
/* The OUT to BIOS_PORT of a PC child: the call answered; false when it
 * ended the child (its registers could not be read or written). */
bool bios_port_exit(struct child *c);
/* `vm info`'s line: the calls per vector. */
void bios_print(const struct child *c);

#endif
