/* The ACPI tables of a child (see acpi_tables.h). Layouts are those of
 * the ACPI 6.x specification, chapter 5.2; the DSDT's AML is emitted
 * byte by byte (chapter 20, the AML grammar). */
#include "guests/mgmt/acpi_tables.h"
#include "lib/errno.h"
#include "lib/string.h"

struct __packed acpi_header {
	char signature[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	char creator_id[4];
	u32 creator_revision;
};
_Static_assert(sizeof(struct acpi_header) == 36, "ACPI header");

struct __packed acpi_rsdp {
	char signature[8];
	u8 checksum; /* of the first 20 bytes (the ACPI 1.0 part) */
	char oem_id[6];
	u8 revision;
	u32 rsdt;
	u32 length;
	u64 xsdt;
	u8 ext_checksum; /* of all 36 bytes */
	u8 reserved[3];
};
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP");
#define RSDP_V1_LEN 20

/* Generic Address Structure */
struct __packed acpi_gas {
	u8 space;
	u8 bit_width;
	u8 bit_offset;
	u8 access_size;
	u64 address;
};
#define GAS_SYSTEM_IO 1
#define GAS_ACCESS_BYTE 1
#define GAS_ACCESS_WORD 2
#define GAS_ACCESS_DWORD 3

struct __packed acpi_fadt {
	struct acpi_header h;
	u32 firmware_ctrl;
	u32 dsdt;
	u8 reserved0;
	u8 preferred_pm_profile;
	u16 sci_int;
	u32 smi_cmd;
	u8 acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	u32 pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk;
	u32 pm2_cnt_blk, pm_tmr_blk, gpe0_blk, gpe1_blk;
	u8 pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	u8 gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	u16 p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	u8 duty_offset, duty_width, day_alrm, mon_alrm, century;
	u16 iapc_boot_arch;
	u8 reserved1;
	u32 flags;
	struct acpi_gas reset_reg;
	u8 reset_value;
	u16 arm_boot_arch;
	u8 minor_version;
	u64 x_firmware_ctrl;
	u64 x_dsdt;
	struct acpi_gas x_pm1a_evt_blk, x_pm1b_evt_blk, x_pm1a_cnt_blk, x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk, x_pm_tmr_blk, x_gpe0_blk, x_gpe1_blk;
	struct acpi_gas sleep_control_reg, sleep_status_reg;
	u64 hypervisor_vendor_id;
};
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT (revision 6)");
#define FADT_REVISION 6

/* FADT flags */
#define FADT_WBINVD BIT(0)
#define FADT_PROC_C1 BIT(2)
#define FADT_PWR_BUTTON BIT(4) /* no fixed power button */
#define FADT_SLP_BUTTON BIT(5) /* no fixed sleep button */
#define FADT_TMR_VAL_EXT BIT(8)
#define FADT_RESET_REG_SUP BIT(10)
/* IAPC_BOOT_ARCH */
#define BOOT_ARCH_LEGACY_DEVICES BIT(0)
#define BOOT_ARCH_8042 BIT(1)

struct __packed acpi_facs {
	char signature[4];
	u32 length;
	u32 hardware_signature;
	u32 waking_vector;
	u32 global_lock;
	u32 flags;
	u64 x_waking_vector;
	u8 version;
	u8 reserved0[3];
	u32 ospm_flags;
	u8 reserved1[24];
};
_Static_assert(sizeof(struct acpi_facs) == 64, "FACS");
#define FACS_VERSION 2

/* MADT: the header, then the fixed fields, then the entries. */
struct __packed madt_fixed {
	u32 lapic_addr;
	u32 flags;
};
#define MADT_REVISION 5
#define MADT_PCAT_COMPAT BIT(0)

struct __packed madt_lapic {
	u8 type, length, processor_uid, apic_id;
	u32 flags;
};
struct __packed madt_ioapic {
	u8 type, length, id, reserved;
	u32 address;
	u32 gsi_base;
};
struct __packed madt_override {
	u8 type, length, bus, source;
	u32 gsi;
	u16 flags;
};
struct __packed madt_lapic_nmi {
	u8 type, length, processor_uid;
	u16 flags;
	u8 lint;
};
#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_OVERRIDE 2
#define MADT_LAPIC_NMI 4
#define MADT_LAPIC_ENABLED BIT(0)
#define MADT_ALL_PROCESSORS 0xff
/* MPS INTI flags: bits 1:0 polarity, 3:2 trigger mode; 0 = as the bus
 * defines it (for ISA: edge, active high). */
#define INTI_CONFORMS 0x0
#define INTI_ACTIVE_HIGH 0x1
#define INTI_LEVEL 0xc

/* The ISA interrupt overrides, as QEMU's pc machine has them: the PIT's
 * IRQ 0 on IOAPIC pin 2 (ISA rules, edge/high) and the SCI level
 * triggered, active high. */
static const struct {
	u8 irq;
	u8 gsi;
	u16 flags;
} madt_overrides[] = {
	{ 0, 2, INTI_CONFORMS },
	{ ACPI_SCI_IRQ, ACPI_SCI_IRQ, INTI_ACTIVE_HIGH | INTI_LEVEL },
};

#define SDT_REVISION_XSDT 1
#define SDT_REVISION_RSDT 1
#define DSDT_REVISION 2 /* 64-bit AML integers */
#define OEM_REVISION 1
#define CREATOR_ID "MHV "
#define CREATOR_REVISION 1

u8 acpi_checksum(const void *buf, u32 len)
{
	const u8 *p = buf;
	u8 sum = 0;

	for (u32 i = 0; i < len; i++)
		sum = (u8)(sum + p[i]);
	return (u8)-sum;
}

/* Copies s into a field of n characters, padded with spaces. */
static void put_padded(char *dst, const char *s, size_t n)
{
	size_t len = strnlen(s, n);

	memcpy(dst, s, len);
	for (size_t i = len; i < n; i++)
		dst[i] = ' ';
}

static const char *oem_id(const struct acpi_config *cfg)
{
	return cfg->oem_id ? cfg->oem_id : "MHV";
}

static void sdt_header(const struct acpi_config *cfg, void *table, const char sig[4],
		       u8 revision)
{
	struct acpi_header *h = table;

	memcpy(h->signature, sig, 4);
	h->revision = revision;
	put_padded(h->oem_id, oem_id(cfg), sizeof(h->oem_id));
	put_padded(h->oem_table_id, cfg->oem_table_id ? cfg->oem_table_id : "MHVPC",
		   sizeof(h->oem_table_id));
	h->oem_revision = OEM_REVISION;
	memcpy(h->creator_id, CREATOR_ID, 4);
	h->creator_revision = CREATOR_REVISION;
}

/* Sets the length once the table is complete, then the checksum. */
static void sdt_finish(void *table, u32 length)
{
	struct acpi_header *h = table;

	h->length = length;
	h->checksum = 0;
	h->checksum = acpi_checksum(table, length);
}

/* ---- DSDT: AML ----------------------------------------------------------- */

#define AML_ZERO 0x00
#define AML_NAME 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_DWORD_PREFIX 0x0c
#define AML_SCOPE 0x10
#define AML_BUFFER 0x11
#define AML_PACKAGE 0x12
#define AML_EXT_PREFIX 0x5b
#define AML_DEVICE 0x82 /* after AML_EXT_PREFIX */

/* Emits into p[0..cap); len counts on past cap so overflow is seen. */
struct aml {
	u8 *p;
	u32 len;
	u32 cap;
};

static void aml_byte(struct aml *a, u8 b)
{
	if (a->len < a->cap)
		a->p[a->len] = b;
	a->len++;
}

static void aml_bytes(struct aml *a, const void *src, u32 n)
{
	const u8 *s = src;

	for (u32 i = 0; i < n; i++)
		aml_byte(a, s[i]);
}

/* Starts the body of a package-like term; aml_close encodes its length. */
static u32 aml_open(const struct aml *a)
{
	return a->len;
}

/* Inserts the PkgLength (which counts itself) before the body that
 * started at start: one byte up to 63, else 2 or 3 bytes. */
static void aml_close(struct aml *a, u32 start)
{
	u32 body = a->len - start;
	u32 n = body + 1 < 0x40 ? 1 : body + 2 < 0x1000 ? 2 : 3;
	u32 total = body + n;
	u8 *at = a->p + start;

	if (a->len + n > a->cap) {
		a->len += n;
		return;
	}
	memmove(at + n, at, body);
	a->len += n;
	if (n == 1) {
		at[0] = (u8)total;
		return;
	}
	at[0] = (u8)((n - 1) << 6 | (total & 0xf));
	at[1] = (u8)(total >> 4);
	if (n == 3)
		at[2] = (u8)(total >> 12);
}

/* A compressed EISA id ("PNP0501"): three letters in 5 bits each, then
 * four hex digits, stored most significant byte first. */
static void aml_eisa_id(struct aml *a, const char *id)
{
	u16 vendor = (u16)((id[0] - 0x40) << 10 | (id[1] - 0x40) << 5 | (id[2] - 0x40));
	u8 bytes[4] = { (u8)(vendor >> 8), (u8)vendor };

	for (int i = 0; i < 4; i++)
		bytes[2 + i / 2] |= (u8)(hex_digit_value(id[3 + i]) << (i % 2 ? 0 : 4));
	aml_byte(a, AML_DWORD_PREFIX);
	aml_bytes(a, bytes, 4);
}

/* Name(_S5, Package() { SLP_TYP a, SLP_TYP b, 0, 0 }) */
static void aml_s5(struct aml *a)
{
	u32 pkg;

	aml_byte(a, AML_NAME);
	aml_bytes(a, "_S5_", 4);
	aml_byte(a, AML_PACKAGE);
	pkg = aml_open(a);
	aml_byte(a, 4);
	aml_byte(a, ACPI_S5_SLP_TYP);
	aml_byte(a, ACPI_S5_SLP_TYP);
	aml_byte(a, AML_ZERO);
	aml_byte(a, AML_ZERO);
	aml_close(a, pkg);
}

/* An ISA device with one fixed I/O range and one IRQ. */
struct isa_device {
	char name[4];
	const char *hid;
	u16 port;
	u8 ports;
	u8 irq;
};

static const struct isa_device isa_devices[] = {
	{ { 'C', 'O', 'M', '1' }, "PNP0501", 0x3f8, 8, 4 },
	{ { 'R', 'T', 'C', '_' }, "PNP0B00", 0x70, 2, 8 },
};

/* Name(_CRS, ResourceTemplate() { IO(Decode16, port, port, 1, ports)
 * IRQNoFlags() { irq } }): small resource descriptors (chapter 6.4.2). */
static void aml_isa_crs(struct aml *a, const struct isa_device *d)
{
	const u8 res[] = {
		0x47, 0x01, /* I/O port descriptor, 16-bit decode */
		(u8)d->port, (u8)(d->port >> 8), (u8)d->port, (u8)(d->port >> 8),
		0x01, d->ports, /* alignment, length */
		0x22, (u8)(1u << d->irq), (u8)((1u << d->irq) >> 8), /* IRQ mask */
		0x79, 0x00, /* end tag, checksum 0: not checked */
	};
	u32 buf;

	aml_byte(a, AML_NAME);
	aml_bytes(a, "_CRS", 4);
	aml_byte(a, AML_BUFFER);
	buf = aml_open(a);
	aml_byte(a, AML_BYTE_PREFIX);
	aml_byte(a, sizeof(res));
	aml_bytes(a, res, sizeof(res));
	aml_close(a, buf);
}

/* Device(name) { Name(_HID, EisaId(hid)) Name(_CRS, ...) } */
static void aml_isa_device(struct aml *a, const struct isa_device *d)
{
	u32 dev;

	aml_byte(a, AML_EXT_PREFIX);
	aml_byte(a, AML_DEVICE);
	dev = aml_open(a);
	aml_bytes(a, d->name, 4);
	aml_byte(a, AML_NAME);
	aml_bytes(a, "_HID", 4);
	aml_eisa_id(a, d->hid);
	aml_isa_crs(a, d);
	aml_close(a, dev);
}

/* Scope(_SB) { the ISA devices }: _SB, at the root, as iasl emits it */
static void aml_system_bus(struct aml *a)
{
	u32 scope;

	aml_byte(a, AML_SCOPE);
	scope = aml_open(a);
	aml_bytes(a, "_SB_", 4);
	for (size_t i = 0; i < ARRAY_SIZE(isa_devices); i++)
		aml_isa_device(a, &isa_devices[i]);
	aml_close(a, scope);
}

/* The DSDT at buf[0..cap); its length, which may exceed cap. */
static u32 build_dsdt(const struct acpi_config *cfg, u8 *buf, u32 cap)
{
	struct aml a = { buf, sizeof(struct acpi_header), cap };

	aml_s5(&a);
	aml_system_bus(&a);
	if (a.len <= cap) {
		sdt_header(cfg, buf, "DSDT", DSDT_REVISION);
		sdt_finish(buf, a.len);
	}
	return a.len;
}

/* ---- the fixed tables ---------------------------------------------------- */

static struct acpi_gas io_gas(u16 port, u8 len, u8 access)
{
	return (struct acpi_gas){ .space = GAS_SYSTEM_IO, .bit_width = (u8)(len * 8),
				  .access_size = access, .address = port };
}

static void build_fadt(const struct acpi_config *cfg, struct acpi_fadt *f, u32 facs, u32 dsdt)
{
	sdt_header(cfg, f, "FACP", FADT_REVISION);
	f->firmware_ctrl = facs;
	f->dsdt = dsdt;
	f->sci_int = ACPI_SCI_IRQ;
	f->smi_cmd = 0; /* no SMI command port: always in ACPI mode */
	f->pm1a_evt_blk = ACPI_PM1A_EVT_BLK;
	f->pm1a_cnt_blk = ACPI_PM1A_CNT_BLK;
	f->pm_tmr_blk = ACPI_PM_TMR_BLK;
	f->pm1_evt_len = ACPI_PM1_EVT_LEN;
	f->pm1_cnt_len = ACPI_PM1_CNT_LEN;
	f->pm_tmr_len = ACPI_PM_TMR_LEN;
	f->p_lvl2_lat = 101; /* > 100: C2 not supported */
	f->p_lvl3_lat = 1001; /* > 1000: C3 not supported */
	f->century = ACPI_RTC_CENTURY;
	f->iapc_boot_arch = BOOT_ARCH_LEGACY_DEVICES | BOOT_ARCH_8042;
	f->flags = FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON | FADT_SLP_BUTTON |
		   FADT_TMR_VAL_EXT | FADT_RESET_REG_SUP;
	f->reset_reg = io_gas(ACPI_RESET_PORT, 1, GAS_ACCESS_BYTE);
	f->reset_value = ACPI_RESET_VALUE;
	f->x_firmware_ctrl = facs;
	f->x_dsdt = dsdt;
	f->x_pm1a_evt_blk = io_gas(ACPI_PM1A_EVT_BLK, ACPI_PM1_EVT_LEN, GAS_ACCESS_WORD);
	f->x_pm1a_cnt_blk = io_gas(ACPI_PM1A_CNT_BLK, ACPI_PM1_CNT_LEN, GAS_ACCESS_WORD);
	f->x_pm_tmr_blk = io_gas(ACPI_PM_TMR_BLK, ACPI_PM_TMR_LEN, GAS_ACCESS_DWORD);
	sdt_finish(f, sizeof(*f));
}

static void build_facs(struct acpi_facs *f)
{
	memcpy(f->signature, "FACS", 4);
	f->length = sizeof(*f);
	f->version = FACS_VERSION;
}

static u32 madt_size(u32 vcpus)
{
	return sizeof(struct acpi_header) + sizeof(struct madt_fixed) +
	       vcpus * sizeof(struct madt_lapic) + sizeof(struct madt_ioapic) +
	       ARRAY_SIZE(madt_overrides) * sizeof(struct madt_override) +
	       sizeof(struct madt_lapic_nmi);
}

static void build_madt(const struct acpi_config *cfg, u8 *t)
{
	u8 *p = t + sizeof(struct acpi_header);

	sdt_header(cfg, t, "APIC", MADT_REVISION);
	*(struct madt_fixed *)p = (struct madt_fixed){ ACPI_LAPIC_ADDR, MADT_PCAT_COMPAT };
	p += sizeof(struct madt_fixed);
	for (u32 i = 0; i < cfg->vcpus; i++) {
		*(struct madt_lapic *)p = (struct madt_lapic){ MADT_LAPIC, sizeof(struct madt_lapic),
							       (u8)i, (u8)i, MADT_LAPIC_ENABLED };
		p += sizeof(struct madt_lapic);
	}
	*(struct madt_ioapic *)p = (struct madt_ioapic){ MADT_IOAPIC, sizeof(struct madt_ioapic),
							 ACPI_IOAPIC_ID, 0, ACPI_IOAPIC_ADDR, 0 };
	p += sizeof(struct madt_ioapic);
	for (size_t i = 0; i < ARRAY_SIZE(madt_overrides); i++) {
		*(struct madt_override *)p = (struct madt_override){
			MADT_OVERRIDE, sizeof(struct madt_override), 0 /* ISA */,
			madt_overrides[i].irq, madt_overrides[i].gsi, madt_overrides[i].flags
		};
		p += sizeof(struct madt_override);
	}
	/* NMI on every processor's LINT1, as a PC wires it */
	*(struct madt_lapic_nmi *)p = (struct madt_lapic_nmi){
		MADT_LAPIC_NMI, sizeof(struct madt_lapic_nmi), MADT_ALL_PROCESSORS, INTI_CONFORMS, 1
	};
	p += sizeof(struct madt_lapic_nmi);
	sdt_finish(t, (u32)(p - t));
}

/* XSDT (64-bit entries) or RSDT (32-bit): the FADT and the MADT. */
static void build_sdt_list(const struct acpi_config *cfg, u8 *t, const char sig[4],
			   u32 entry_size, const u32 *tables, u32 n)
{
	u8 *p = t + sizeof(struct acpi_header);

	sdt_header(cfg, t, sig, sig[0] == 'X' ? SDT_REVISION_XSDT : SDT_REVISION_RSDT);
	for (u32 i = 0; i < n; i++, p += entry_size) {
		u64 addr = tables[i];

		memcpy(p, &addr, entry_size); /* little-endian */
	}
	sdt_finish(t, (u32)(p - t));
}

static void build_rsdp(const struct acpi_config *cfg, struct acpi_rsdp *r, u32 rsdt, u32 xsdt)
{
	memcpy(r->signature, "RSD PTR ", 8);
	put_padded(r->oem_id, oem_id(cfg), sizeof(r->oem_id));
	r->revision = 2;
	r->rsdt = rsdt;
	r->length = sizeof(*r);
	r->xsdt = xsdt;
	r->checksum = acpi_checksum(r, RSDP_V1_LEN);
	r->ext_checksum = acpi_checksum(r, sizeof(*r));
}

/* Where each table goes: RSDP first (16-byte aligned for the scan), the
 * FACS 64-byte aligned, the others 16-byte aligned, the DSDT last. */
static void plan_layout(u32 vcpus, struct acpi_layout *l)
{
	u32 at = 0;

	l->rsdp = at;
	at = ALIGN_UP(at + sizeof(struct acpi_rsdp), 64);
	l->facs = at;
	at += sizeof(struct acpi_facs);
	l->xsdt = at;
	at = ALIGN_UP(at + sizeof(struct acpi_header) + 2 * 8, 16);
	l->rsdt = at;
	at = ALIGN_UP(at + sizeof(struct acpi_header) + 2 * 4, 16);
	l->fadt = at;
	at = ALIGN_UP(at + sizeof(struct acpi_fadt), 16);
	l->madt = at;
	at = ALIGN_UP(at + madt_size(vcpus), 16);
	l->dsdt = at;
}

int acpi_build_tables(const struct acpi_config *cfg, u32 gpa, void *buf, u32 cap,
		      struct acpi_layout *layout)
{
	u8 *b = buf;
	struct acpi_layout l;
	u32 dsdt_len, pointed[2];

	if (!cfg->vcpus || cfg->vcpus > ACPI_MAX_VCPUS || gpa % 16)
		return -EINVAL;
	plan_layout(cfg->vcpus, &l);
	if (cap < l.dsdt)
		return -ENOSPC;
	memset(buf, 0, cap);
	dsdt_len = build_dsdt(cfg, b + l.dsdt, cap - l.dsdt);
	if (dsdt_len > cap - l.dsdt)
		return -ENOSPC;
	l.size = l.dsdt + dsdt_len;
	if ((u64)gpa + l.size > BIT(32))
		return -EINVAL;

	build_facs((struct acpi_facs *)(b + l.facs));
	build_fadt(cfg, (struct acpi_fadt *)(b + l.fadt), gpa + l.facs, gpa + l.dsdt);
	build_madt(cfg, b + l.madt);
	pointed[0] = gpa + l.fadt;
	pointed[1] = gpa + l.madt;
	build_sdt_list(cfg, b + l.xsdt, "XSDT", 8, pointed, 2);
	build_sdt_list(cfg, b + l.rsdt, "RSDT", 4, pointed, 2);
	build_rsdp(cfg, (struct acpi_rsdp *)(b + l.rsdp), gpa + l.rsdt, gpa + l.xsdt);
	*layout = l;
	return (int)l.size;
}
