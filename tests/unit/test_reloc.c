/* test_reloc.c - host unit tests for mm/reloc.c (R_X86_64_RELATIVE relocations). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mm/reloc.h"

#define IMAGE_SIZE 256
#define RELA(off, addend)                                                                          \
	{                                                                                          \
		IMAGE_LINK_BASE + (off), R_X86_64_RELATIVE, (int64_t)(addend)                      \
	}

static unsigned char image[IMAGE_SIZE];
static unsigned char before[IMAGE_SIZE];

static uint64_t word_at(size_t off)
{
	uint64_t v;

	memcpy(&v, image + off, sizeof(v));
	return v;
}

/* A recognisable image, remembered so tests can see exactly what changed. */
static void fill_image(void)
{
	for (size_t i = 0; i < IMAGE_SIZE; i++)
		image[i] = (unsigned char)(0xa5 ^ i);
	memcpy(before, image, IMAGE_SIZE);
}

static void test_applies(void **state)
{
	const struct elf64_rela rela[] = {
	    RELA(0, IMAGE_LINK_BASE + 0x40), RELA(16, IMAGE_LINK_BASE),
	    RELA(IMAGE_SIZE - 8, IMAGE_LINK_BASE + 0x123456),
	    RELA(33, IMAGE_LINK_BASE + 8), /* unaligned target */
	};
	const uint64_t run_base = 0xffff800000200000ull;

	(void)state;
	fill_image();
	assert_int_equal(reloc_apply(rela, 4, image, IMAGE_SIZE, run_base), 0);
	assert_int_equal(word_at(0), run_base + 0x40);
	assert_int_equal(word_at(16), run_base);
	assert_int_equal(word_at(IMAGE_SIZE - 8), run_base + 0x123456);
	assert_int_equal(word_at(33), run_base + 8);
	/* Nothing else changed. */
	assert_memory_equal(image + 8, before + 8, 8);
	assert_memory_equal(image + 24, before + 24, 33 - 24);
	assert_memory_equal(image + 41, before + 41, IMAGE_SIZE - 8 - 41);
}

/* Applying again for another base overwrites the words: the kernel relocates its copy a
 * second time after the loader did. */
static void test_reapply(void **state)
{
	const struct elf64_rela rela[] = {RELA(8, IMAGE_LINK_BASE + 0x1000)};

	(void)state;
	fill_image();
	assert_int_equal(reloc_apply(rela, 1, image, IMAGE_SIZE, 0x7c00000), 0);
	assert_int_equal(word_at(8), 0x7c01000);
	assert_int_equal(reloc_apply(rela, 1, image, IMAGE_SIZE, 0xffffc00000000000ull), 0);
	assert_int_equal(word_at(8), 0xffffc00000001000ull);
	/* At the link base the values are the addends themselves. */
	assert_int_equal(reloc_apply(rela, 1, image, IMAGE_SIZE, IMAGE_LINK_BASE), 0);
	assert_int_equal(word_at(8), IMAGE_LINK_BASE + 0x1000);
}

/* Addends below the link base (and negative ones) wrap like address arithmetic. */
static void test_addend_wraps(void **state)
{
	const struct elf64_rela rela[] = {RELA(0, -16), RELA(8, 0)};

	(void)state;
	fill_image();
	assert_int_equal(reloc_apply(rela, 2, image, IMAGE_SIZE, 0x200000), 0);
	assert_int_equal(word_at(0), 0x200000 - IMAGE_LINK_BASE - 16);
	assert_int_equal(word_at(8), 0x200000 - IMAGE_LINK_BASE);
}

/* The symbol half of r_info does not matter; the type half must be RELATIVE. */
static void test_type_is_low_32_bits(void **state)
{
	struct elf64_rela rela[] = {RELA(0, IMAGE_LINK_BASE + 1)};

	(void)state;
	fill_image();
	rela[0].r_info = (7ull << 32) | R_X86_64_RELATIVE;
	assert_int_equal(reloc_apply(rela, 1, image, IMAGE_SIZE, 0x1000000), 0);
	assert_int_equal(word_at(0), 0x1000001);
	fill_image();
	rela[0].r_info = (uint64_t)R_X86_64_RELATIVE << 32; /* type 0, symbol 8 */
	assert_int_equal(reloc_apply(rela, 1, image, IMAGE_SIZE, 0x1000000), -EINVAL);
	assert_memory_equal(image, before, IMAGE_SIZE);
}

static void test_rejects_other_type(void **state)
{
	struct elf64_rela rela[] = {
	    RELA(0, IMAGE_LINK_BASE + 0x10),
	    RELA(8, IMAGE_LINK_BASE + 0x20),
	    RELA(16, IMAGE_LINK_BASE + 0x30),
	};
	const uint64_t bad_types[] = {
	    0, 1 /* R_X86_64_64 */, 6 /* GLOB_DAT */, 7 /* JUMP_SLOT */, 37 /* IRELATIVE */, 0x108};

	(void)state;
	for (size_t i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++) {
		fill_image();
		/* Only the last entry is bad, and the first two must not land either. */
		rela[2].r_info = bad_types[i];
		assert_int_equal(reloc_apply(rela, 3, image, IMAGE_SIZE, 0x400000), -EINVAL);
		assert_memory_equal(image, before, IMAGE_SIZE);
	}
}

static void test_rejects_out_of_range(void **state)
{
	const uint64_t bad_offsets[] = {
	    IMAGE_LINK_BASE + IMAGE_SIZE - 7, /* the word would stick out by one byte */
	    IMAGE_LINK_BASE + IMAGE_SIZE,
	    IMAGE_LINK_BASE + IMAGE_SIZE + 0x1000,
	    IMAGE_LINK_BASE - 8, /* below the image */
	    IMAGE_LINK_BASE - 1, /* below, and offset + 8 would wrap */
	    0,
	    UINT64_MAX, /* offset + 8 would wrap */
	    UINT64_MAX - 7,
	};
	struct elf64_rela rela[] = {
	    RELA(0, IMAGE_LINK_BASE + 0x10),
	    RELA(0, IMAGE_LINK_BASE + 0x20),
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad_offsets) / sizeof(bad_offsets[0]); i++) {
		fill_image();
		rela[1].r_offset = bad_offsets[i];
		assert_int_equal(reloc_apply(rela, 2, image, IMAGE_SIZE, 0x400000), -EINVAL);
		assert_memory_equal(image, before, IMAGE_SIZE);
	}
	/* A too-small image size bounds the same table. */
	fill_image();
	rela[1].r_offset = IMAGE_LINK_BASE + 16;
	assert_int_equal(reloc_apply(rela, 2, image, 23, 0x400000), -EINVAL);
	assert_memory_equal(image, before, IMAGE_SIZE);
	assert_int_equal(reloc_apply(rela, 2, image, 24, 0x400000), 0);
	assert_int_equal(reloc_apply(rela, 1, image, 7, 0x400000), -EINVAL);
	assert_int_equal(reloc_apply(rela, 1, image, 0, 0x400000), -EINVAL);
}

static void test_empty_table(void **state)
{
	(void)state;
	fill_image();
	assert_int_equal(reloc_apply(NULL, 0, image, IMAGE_SIZE, 0x400000), 0);
	assert_int_equal(reloc_apply(NULL, 0, NULL, 0, 0x400000), 0);
	assert_memory_equal(image, before, IMAGE_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_applies),
	    cmocka_unit_test(test_reapply),
	    cmocka_unit_test(test_addend_wraps),
	    cmocka_unit_test(test_type_is_low_32_bits),
	    cmocka_unit_test(test_rejects_other_type),
	    cmocka_unit_test(test_rejects_out_of_range),
	    cmocka_unit_test(test_empty_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
