/* The BIOS stubs, the IVT and the calls a PC child makes through them
 * (bios.h): the model, without the vCPU (bios_io.c has that). */
#include "guests/mgmt/bios.h"
#include "lib/string.h"

#define OP_OUT_IMM8 0xe6
#define OP_IRET 0xcf
#define OP_NOP 0x90

#define VEC_EQUIPMENT 0x11
#define VEC_MEMORY 0x12
#define VEC_VIDEO 0x10
#define VEC_DISK 0x13
#define VEC_SYSTEM 0x15
#define VEC_KEYBOARD 0x16
#define VEC_TIME 0x1a

#define E801_LOW_MAX_KB (15 * 1024) /* 1-16 MiB */
#define KB_PER_64K 64
#define TEXT_MODE 0x03
#define TEXT_COLUMNS 80
#define AH_UNSUPPORTED 0x86
#define AH_DISK_BAD_COMMAND 0x01
#define VESA_FAILED 0x0100 /* AL != 4Fh: no VESA BIOS */
#define PIT_HZ_NUM 1193182ULL  /* the tick: 65536 PIT periods */
#define PIT_TICK_DIV 65536ULL

void bios_build_ivt(u8 ivt[BIOS_IVT_SIZE])
{
	for (u32 v = 0; v < BIOS_VECTORS; v++) {
		u16 off = (u16)(BIOS_STUBS_GPA - ((u32)BIOS_SEGMENT << 4) + v * BIOS_STUB_SIZE);
		u16 seg = BIOS_SEGMENT;

		memcpy(&ivt[4 * v], &off, 2);
		memcpy(&ivt[4 * v + 2], &seg, 2);
	}
}

void bios_build_stubs(u8 stubs[BIOS_STUBS_SIZE])
{
	for (u32 v = 0; v < BIOS_VECTORS; v++) {
		u8 *s = &stubs[v * BIOS_STUB_SIZE];

		s[0] = OP_OUT_IMM8;
		s[1] = BIOS_PORT;
		s[2] = OP_IRET;
		s[3] = OP_NOP;
	}
}

int bios_vector_at(u64 linear)
{
	u64 out = linear - BIOS_OUT_LEN;

	if (linear < BIOS_STUBS_GPA + BIOS_OUT_LEN || out >= BIOS_STUBS_GPA + BIOS_STUBS_SIZE ||
	    (out - BIOS_STUBS_GPA) % BIOS_STUB_SIZE)
		return -1;
	return (int)((out - BIOS_STUBS_GPA) / BIOS_STUB_SIZE);
}

static void set_ah(struct bios_call *c, u8 ah)
{
	c->eax = (c->eax & ~0xff00u) | (u32)ah << 8;
}

static void set_ax(struct bios_call *c, u16 ax)
{
	c->eax = (c->eax & ~0xffffu) | ax;
}

static void fail(struct bios_call *c, u8 ah)
{
	set_ah(c, ah);
	c->flags |= BIOS_FLAG_CF;
}

/* INT 15h E820h: entry EBX of the map into ES:DI, EBX the next (0 after
 * the last); CF for a bad call or an EBX past the end. */
static void e820_next(struct bios_call *c, const struct e820_map *m)
{
	const struct e820_entry *e;

	if (c->edx != BIOS_SMAP || c->ecx < E820_BOOT_ENTRY_LEN || c->ebx >= m->n) {
		fail(c, AH_UNSUPPORTED);
		return;
	}
	e = &m->e[c->ebx];
	memcpy(c->out, &e->addr, 8);
	memcpy(c->out + 8, &e->size, 8);
	memcpy(c->out + 16, &e->type, 4);
	c->out_len = E820_BOOT_ENTRY_LEN;
	c->ebx = c->ebx + 1 < m->n ? c->ebx + 1 : 0;
	c->eax = BIOS_SMAP;
	c->ecx = E820_BOOT_ENTRY_LEN;
	c->flags &= (u16)~BIOS_FLAG_CF;
}

/* INT 15h E801h: KiB of RAM from 1 MiB to 16 MiB in AX and CX, 64 KiB
 * blocks of RAM from 16 MiB up to the PCI hole in BX and DX. */
static void e801(struct bios_call *c, const struct e820_map *m)
{
	u32 upper = e820_mem_upper_kb(m);
	u32 low = MIN(upper, (u32)E801_LOW_MAX_KB);
	u32 high = MIN((upper - low) / KB_PER_64K, 0xffffu);

	c->eax = c->ecx = low;
	c->ebx = c->edx = high;
	c->flags &= (u16)~BIOS_FLAG_CF;
}

static void system_call(struct bios_call *c, const struct e820_map *m)
{
	u16 ax = (u16)c->eax;

	if (ax == 0xe820) {
		e820_next(c, m);
	} else if (ax == 0xe801) {
		e801(c, m);
	} else if (ax >> 8 == 0x88) { /* KiB of RAM from 1 MiB, at most 0xFFFF */
		set_ax(c, (u16)MIN(e820_mem_upper_kb(m), 0xffffu));
		c->flags &= (u16)~BIOS_FLAG_CF;
	} else {
		fail(c, AH_UNSUPPORTED);
	}
}

static void video_call(struct bios_call *c)
{
	u8 ah = (u8)(c->eax >> 8);

	if (ah == 0x0f) { /* mode 3, 80 columns, page 0 */
		set_ax(c, TEXT_COLUMNS << 8 | TEXT_MODE);
		c->ebx &= ~0xff00u;
	} else if (ah == 0x4f) {
		set_ax(c, VESA_FAILED);
	}
}

static void keyboard_call(struct bios_call *c)
{
	u8 ah = (u8)(c->eax >> 8);

	if (ah == 0x01 || ah == 0x11) /* a key waiting? none */
		c->flags |= BIOS_FLAG_ZF;
	else if (ah == 0x00 || ah == 0x10) /* read a key: none comes */
		set_ax(c, 0);
}

/* INT 1Ah AH=00h: CX:DX the 18.2 Hz ticks since midnight, AL no
 * midnight passed. */
static void time_call(struct bios_call *c, u64 day_ns)
{
	u32 ticks;

	if ((u8)(c->eax >> 8)) {
		fail(c, AH_UNSUPPORTED);
		return;
	}
	ticks = (u32)(day_ns / 1000 * PIT_HZ_NUM / PIT_TICK_DIV / 1000000);
	c->ecx = (c->ecx & ~0xffffu) | ticks >> 16;
	c->edx = (c->edx & ~0xffffu) | (ticks & 0xffff);
	c->eax &= ~0xffu;
	c->flags &= (u16)~BIOS_FLAG_CF;
}

void bios_service(u8 vector, struct bios_call *c, const struct bios_env *env)
{
	c->out_len = 0;
	switch (vector) {
	case VEC_VIDEO:
		video_call(c);
		break;
	case VEC_EQUIPMENT:
		set_ax(c, env->equipment);
		break;
	case VEC_MEMORY:
		set_ax(c, (u16)e820_mem_lower_kb(env->map));
		break;
	case VEC_DISK: /* no disks: every function fails */
		fail(c, AH_DISK_BAD_COMMAND);
		break;
	case VEC_SYSTEM:
		system_call(c, env->map);
		break;
	case VEC_KEYBOARD:
		keyboard_call(c);
		break;
	case VEC_TIME:
		time_call(c, env->secs_of_day_ns);
		break;
	default:
		break;
	}
}

static bool in_chip(u8 vector, u8 base)
{
	return vector >= base && vector < base + 8;
}

unsigned bios_irq_eois(u8 vector, u8 master_base, u8 slave_base)
{
	if (in_chip(vector, slave_base))
		return 3;
	return in_chip(vector, master_base) ? 1 : 0;
}
