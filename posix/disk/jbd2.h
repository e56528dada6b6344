/* jbd2.h - the on-disk format of ext3/ext4's journal (JBD2), as Linux's
 * Documentation/filesystems/ext4/journal.rst describes it: every field big-endian. Only
 * what a writer of full-block transactions needs: the journal superblock, descriptor
 * blocks with their tags, commit blocks. */
#ifndef POSIX_DISK_JBD2_H
#define POSIX_DISK_JBD2_H

#include <stdint.h>

#define JBD2_MAGIC            0xc03b3998u
#define JBD2_DESCRIPTOR_BLOCK 1
#define JBD2_COMMIT_BLOCK     2
#define JBD2_SUPERBLOCK_V1    3
#define JBD2_SUPERBLOCK_V2    4
#define JBD2_REVOKE_BLOCK     5

/* Feature bits (s_feature_incompat). */
#define JBD2_INCOMPAT_REVOKE       0x1
#define JBD2_INCOMPAT_64BIT        0x2
#define JBD2_INCOMPAT_ASYNC_COMMIT 0x4
#define JBD2_INCOMPAT_CSUM_V2      0x8
#define JBD2_INCOMPAT_CSUM_V3      0x10
#define JBD2_INCOMPAT_FAST_COMMIT  0x20
#define JBD2_COMPAT_CHECKSUM       0x1 /* s_feature_compat: the old commit checksum */

/* Tag flags. */
#define JBD2_FLAG_ESCAPE    1 /* the block began with JBD2_MAGIC, zeroed in the journal */
#define JBD2_FLAG_SAME_UUID 2 /* no 16-byte UUID after this tag */
#define JBD2_FLAG_LAST_TAG  8

#define JBD2_CRC32C_CHKSUM 4

struct jbd2_header {
	uint32_t h_magic;
	uint32_t h_blocktype;
	uint32_t h_sequence;
};

struct jbd2_superblock {
	struct jbd2_header s_header;
	uint32_t s_blocksize;
	uint32_t s_maxlen; /* blocks in the journal */
	uint32_t s_first;  /* first block of log information */
	uint32_t s_sequence;
	uint32_t s_start; /* block of the first transaction; 0: the journal is empty */
	uint32_t s_errno;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	uint32_t s_nr_users;
	uint32_t s_dynsuper;
	uint32_t s_max_transaction;
	uint32_t s_max_trans_data;
	uint8_t s_checksum_type;
	uint8_t s_padding2[3];
	uint32_t s_num_fc_blks;
	uint32_t s_head;
	uint32_t s_padding[40];
	uint32_t s_checksum; /* crc32c of the 1024 bytes with this field 0 (CSUM_V2/V3) */
	uint8_t s_users[16 * 48];
};

/* A descriptor tag without CSUM_V3: 8 bytes, 12 with 64BIT (t_blocknr_high). */
struct jbd2_tag {
	uint32_t t_blocknr;
	uint16_t t_checksum;
	uint16_t t_flags;
	uint32_t t_blocknr_high;
};

/* A descriptor tag with CSUM_V3: 16 bytes. */
struct jbd2_tag3 {
	uint32_t t_blocknr;
	uint32_t t_flags;
	uint32_t t_blocknr_high;
	uint32_t t_checksum;
};

struct jbd2_commit {
	struct jbd2_header h;
	uint8_t h_chksum_type;
	uint8_t h_chksum_size;
	uint8_t h_padding[2];
	uint32_t h_chksum[8];
	uint64_t h_commit_sec;
	uint32_t h_commit_nsec;
};

_Static_assert(sizeof(struct jbd2_superblock) == 1024, "the journal superblock is 1 KiB");
_Static_assert(sizeof(struct jbd2_tag3) == 16, "a v3 tag is 16 bytes");

#endif
