/* mkimage.c - build the raw BIOS boot disk image (host tool).
 *
 *   mkimage START.bin KERNEL.elf OUT.img [--cmdline TEXT]
 *
 * START.bin is boot/start.asm assembled with `nasm -f bin`: sector 0 is the MBR, the rest
 * is stage 2. The image is laid out in 512-byte sectors:
 *
 *   LBA 0                      MBR, with the parameter block patched in
 *   LBA 1 .. S                 stage 2 (S sectors, at most PARAM_STAGE2_MAX_SECTORS)
 *   LBA S+1 .. S+8             command-line area: TEXT, NUL padded to 4 KiB
 *   LBA S+9 ..                 the kernel ELF file, zero padded to a whole sector
 *   ..                         zeros up to a whole cylinder of 16 heads x 63 sectors:
 *                              SeaBIOS will not boot a smaller disk on AHCI
 *
 * The kernel must be an ELF64 x86-64 file (ET_EXEC or ET_DYN) linked at LINK_BASE; the
 * loader reads it to 0x100000 and loads its segments at the next 2 MiB boundary after it.
 * Exit status 0 on success; 1 with a message on stderr otherwise.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECTOR           512u
#define CYLINDER_SECTORS (16u * 63u) /* the geometry SeaBIOS assumes for a small disk */

/* MBR parameter block. KEEP IN STEP with the PARAM_* / PB_* constants in boot/start.asm,
 * which define the same layout: offset PARAM_OFFSET in sector 0, little-endian fields. */
#define PARAM_OFFSET             0x1A0u
#define PARAM_MAGIC              0x31424D56u /* "VMB1" */
#define PARAM_STAGE2_MAX_SECTORS 64u         /* STAGE2_MAX_SECTORS */
#define PARAM_CMDLINE_SECTORS    8u          /* CMDLINE_MAX / 512 */
#define PB_MAGIC                 0u          /* u32 */
#define PB_STAGE2_SECTORS        4u          /* u16 stage 2 sectors, from LBA 1 */
#define PB_CMDLINE_SECTORS       6u          /* u16 command-line area sectors */
#define PB_CMDLINE_LBA           8u          /* u32 */
#define PB_KERNEL_LBA            12u         /* u32 */
#define PB_KERNEL_SIZE           16u         /* u32 kernel file size in bytes */
#define PB_IMAGE_SPAN            20u /* u32 max(p_vaddr + p_memsz) - LINK_BASE over PT_LOAD */
#define PARAM_SIZE               24u
_Static_assert(PARAM_OFFSET + PARAM_SIZE <= 0x1B8, "parameter block overlaps the disk signature");

#define CMDLINE_AREA (PARAM_CMDLINE_SECTORS * SECTOR) /* BOOT_CMDLINE_MAX */
#define LINK_BASE    0x100000ull                      /* IMAGE_LINK_BASE in mm/reloc.h */
#define KERNEL_FILE  0x100000ull                      /* KERNEL_FILE_ADDR in boot/start.asm */
#define MEM_LIMIT    0x40000000ull                    /* the loader's identity map: 1 GiB */
#define ALIGN_2M     0x200000ull

#define ELF_HDR_SIZE  64u
#define ELF_PHDR_SIZE 56u
#define PT_LOAD       1u
#define ET_EXEC       2u
#define ET_DYN        3u
#define EM_X86_64     62u

static const char *prog = "mkimage";
static const char *out_path;

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (out_path)
		remove(out_path);
	exit(1);
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

/* read_file - the whole file at @path in a malloc'd buffer, followed by SECTOR zero bytes of
 * slack so the caller can write it out padded to a whole sector. */
static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail("cannot open %s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) != 0)
		fail("cannot seek in %s", path);
	long len = ftell(f);
	if (len < 0 || fseek(f, 0, SEEK_SET) != 0)
		fail("cannot seek in %s", path);
	if ((unsigned long)len > 0xFFFFFFFFul)
		fail("%s is larger than 4 GiB", path);
	unsigned char *buf = calloc(1, (size_t)len + SECTOR);
	if (!buf)
		fail("out of memory reading %s", path);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		fail("cannot read %s: %s", path, strerror(errno));
	fclose(f);
	*size = (size_t)len;
	return buf;
}

/* check_start - START.bin must be an MBR with our parameter block and a stage 2 that fits.
 * Returns the stage 2 sector count. */
static uint32_t check_start(const char *path, const unsigned char *buf, size_t size)
{
	if (size < 2 * SECTOR)
		fail("%s: too small for an MBR and stage 2 (not boot/start.asm output?)", path);
	if (buf[510] != 0x55 || buf[511] != 0xAA)
		fail("%s: no 0x55AA boot signature in sector 0", path);
	if (get32(buf + PARAM_OFFSET + PB_MAGIC) != PARAM_MAGIC)
		fail("%s: no parameter block magic \"VMB1\" at offset 0x1A0 (mkimage and "
		     "boot/start.asm out of step?)",
		     path);
	uint32_t stage2 = (uint32_t)((size - SECTOR + SECTOR - 1) / SECTOR);
	if (stage2 > PARAM_STAGE2_MAX_SECTORS)
		fail("%s: stage 2 is %u sectors, larger than its reserved area of %u", path, stage2,
		     PARAM_STAGE2_MAX_SECTORS);
	uint32_t assembled = get16(buf + PARAM_OFFSET + PB_STAGE2_SECTORS);
	if (assembled != 0 && assembled != stage2)
		fail("%s: stage 2 sector count in the parameter block does not match the file size",
		     path);
	return stage2;
}

/* check_kernel - an ELF64 little-endian x86-64 ET_EXEC/ET_DYN file whose PT_LOAD segments
 * lie at or above LINK_BASE. Returns the span max(p_vaddr + p_memsz) - LINK_BASE. */
static uint64_t check_kernel(const char *path, const unsigned char *f, uint64_t size)
{
	static const unsigned char magic[4] = {0x7F, 'E', 'L', 'F'};

	if (size < ELF_HDR_SIZE || memcmp(f, magic, 4) != 0)
		fail("%s: not an ELF file", path);
	if (f[4] != 2 || f[5] != 1)
		fail("%s: not a 64-bit little-endian ELF file", path);
	uint32_t type = get16(f + 16);
	if (get16(f + 18) != EM_X86_64)
		fail("%s: not an x86-64 ELF file", path);
	if (type != ET_EXEC && type != ET_DYN)
		fail("%s: not an executable (ET_EXEC) or static PIE (ET_DYN)", path);

	uint64_t phoff = get64(f + 32);
	uint32_t phentsize = get16(f + 54), phnum = get16(f + 56);
	if (phnum == 0 || phentsize < ELF_PHDR_SIZE || phoff > size ||
	    (uint64_t)phnum * phentsize > size - phoff)
		fail("%s: bad ELF program header table", path);

	uint64_t span = 0;
	for (uint32_t i = 0; i < phnum; i++) {
		const unsigned char *ph = f + phoff + (uint64_t)i * phentsize;
		if (get32(ph) != PT_LOAD)
			continue;
		uint64_t offset = get64(ph + 8), vaddr = get64(ph + 16);
		uint64_t filesz = get64(ph + 32), memsz = get64(ph + 40);
		if (vaddr < LINK_BASE)
			fail("%s: a PT_LOAD segment lies below 0x100000 (not linked at 0x100000?)",
			     path);
		if (vaddr - LINK_BASE > MEM_LIMIT || memsz > MEM_LIMIT)
			fail("%s: a PT_LOAD segment lies beyond 1 GiB", path);
		if (filesz > memsz || offset > size || filesz > size - offset)
			fail("%s: a PT_LOAD segment lies outside the file", path);
		if (vaddr - LINK_BASE + memsz > span)
			span = vaddr - LINK_BASE + memsz;
	}
	if (span == 0)
		fail("%s: no PT_LOAD segments", path);

	uint64_t load_base = (KERNEL_FILE + size + ALIGN_2M - 1) & ~(ALIGN_2M - 1);
	if (load_base + span > MEM_LIMIT)
		fail("%s: kernel file plus loaded image need more than the loader's 1 GiB", path);
	return span;
}

static void write_all(FILE *f, const void *buf, size_t len)
{
	if (fwrite(buf, 1, len, f) != len)
		fail("cannot write %s: %s", out_path, strerror(errno));
}

static void usage(void)
{
	fprintf(stderr, "usage: %s START.bin KERNEL.elf OUT.img [--cmdline TEXT]\n", prog);
	exit(1);
}

int main(int argc, char **argv)
{
	const char *paths[3];
	int npaths = 0;
	const char *cmdline = "";

	if (argc > 0 && argv[0][0])
		prog = argv[0];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--cmdline") == 0) {
			if (++i >= argc)
				usage();
			cmdline = argv[i];
		} else if (strncmp(argv[i], "--cmdline=", 10) == 0) {
			cmdline = argv[i] + 10;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			usage();
		} else if (npaths < 3) {
			paths[npaths++] = argv[i];
		} else {
			usage();
		}
	}
	if (npaths != 3)
		usage();

	size_t cmdline_len = strlen(cmdline);
	if (cmdline_len > CMDLINE_AREA - 1)
		fail("command line too long: %zu bytes, at most %u", cmdline_len, CMDLINE_AREA - 1);

	size_t start_size, kernel_size;
	unsigned char *start = read_file(paths[0], &start_size);
	unsigned char *kernel = read_file(paths[1], &kernel_size);
	uint32_t stage2 = check_start(paths[0], start, start_size);
	uint64_t span = check_kernel(paths[1], kernel, kernel_size);

	uint32_t cmdline_lba = 1 + stage2;
	uint32_t kernel_lba = cmdline_lba + PARAM_CMDLINE_SECTORS;
	uint32_t kernel_sectors = (uint32_t)((kernel_size + SECTOR - 1) / SECTOR);

	unsigned char *pb = start + PARAM_OFFSET;
	put16(pb + PB_STAGE2_SECTORS, stage2);
	put16(pb + PB_CMDLINE_SECTORS, PARAM_CMDLINE_SECTORS);
	put32(pb + PB_CMDLINE_LBA, cmdline_lba);
	put32(pb + PB_KERNEL_LBA, kernel_lba);
	put32(pb + PB_KERNEL_SIZE, (uint32_t)kernel_size);
	put32(pb + PB_IMAGE_SPAN, (uint32_t)span);

	static char area[CMDLINE_AREA];
	memcpy(area, cmdline, cmdline_len);

	out_path = paths[2];
	FILE *out = fopen(out_path, "wb");
	if (!out) {
		out_path = NULL;
		fail("cannot create %s: %s", paths[2], strerror(errno));
	}
	/* start and kernel have SECTOR bytes of zeroed slack for the padding. */
	write_all(out, start, (size_t)(1 + stage2) * SECTOR);
	write_all(out, area, sizeof(area));
	write_all(out, kernel, (size_t)kernel_sectors * SECTOR);
	uint64_t written = (uint64_t)(1 + stage2 + PARAM_CMDLINE_SECTORS + kernel_sectors);
	static const unsigned char zeros[SECTOR];
	for (; written % CYLINDER_SECTORS; written++)
		write_all(out, zeros, SECTOR);
	if (fclose(out) != 0)
		fail("cannot write %s: %s", out_path, strerror(errno));

	free(start);
	free(kernel);
	return 0;
}
