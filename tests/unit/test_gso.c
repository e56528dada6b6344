/* test_gso.c - host unit tests for net/gso.c: which frames merge into a segmentation
 * offload frame, and that its headers and checksum fields are what a host expects. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "net/gso.h"

#define MSS 1460

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The ones' complement sum of @len bytes, unfolded, from a start of @sum. */
static uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		sum += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* An Ethernet + IPv4 + TCP frame with @opt_len bytes of TCP options and @payload bytes
 * (each byte its index plus @seq, so merged payloads differ); returns its length. */
static size_t make_frame(uint8_t *f, uint32_t seq, uint8_t flags, size_t opt_len, size_t payload)
{
	size_t tcp_hlen = 20 + opt_len;
	size_t total = GSO_ETH_HLEN + 20 + tcp_hlen + payload;

	memset(f, 0, total);
	memset(f, 0x52, 12);
	put16(f + 12, 0x0800);
	uint8_t *ip = f + GSO_ETH_HLEN;
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + tcp_hlen + payload));
	put16(ip + 4, 0x1234); /* id */
	put16(ip + 6, 0x4000); /* DF */
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, (uint8_t[]){10, 0, 2, 15, 10, 0, 2, 2}, 8);
	put16(ip + 10, (uint16_t)~fold(sum_bytes(0, ip, 20)));
	uint8_t *tcp = ip + 20;
	put16(tcp, 80);
	put16(tcp + 2, 51000);
	put32(tcp + 4, seq);
	put32(tcp + 8, 0xabcdef01u);
	tcp[12] = (uint8_t)((tcp_hlen / 4) << 4);
	tcp[13] = flags;
	put16(tcp + 14, 0xffff);
	for (size_t i = 0; i < opt_len; i++)
		tcp[20 + i] = (uint8_t)(i == 0 ? 1 : 2); /* NOPs and bytes */
	for (size_t i = 0; i < payload; i++)
		tcp[tcp_hlen + i] = (uint8_t)(i + seq);
	return total;
}

/* Whether the TCP checksum of the IPv4 packet at @ip (@len bytes) is right. */
static bool tcp_checksum_ok(const uint8_t *ip, size_t len)
{
	size_t ihl = (size_t)(ip[0] & 15) * 4;
	uint32_t tcp_len = (uint32_t)(len - ihl);
	uint32_t sum = sum_bytes(0, ip + 12, 8) + 6 + tcp_len;
	return fold(sum_bytes(sum, ip + ihl, tcp_len)) == 0xffff;
}

/* What the card does for NEEDS_CSUM: sum from @start to the end, folded, inverted, at
 * @start + @offset. */
static void card_finish(uint8_t *f, size_t len, size_t start, size_t offset)
{
	uint16_t c = (uint16_t)~fold(sum_bytes(0, f + start, len - start));
	put16(f + start + offset, c);
}

static void test_parse(void **state)
{
	uint8_t f[2000];
	struct gso_tcp t;

	(void)state;
	size_t len = make_frame(f, 1000, GSO_TCP_ACK, 0, 100);
	assert_int_equal(gso_parse(f, (uint32_t)len, (uint32_t)len, &t), 0);
	assert_int_equal(t.l4_off, 34);
	assert_int_equal(t.hdr_len, 54);
	assert_int_equal(t.payload, 100);
	assert_int_equal(t.seq, 1000);
	assert_int_equal(t.ack, 0xabcdef01u);
	assert_int_equal(t.window, 0xffff);
	assert_int_equal(t.flags, GSO_TCP_ACK);
	/* Headers within the first piece suffice; the payload may be elsewhere. */
	assert_int_equal(gso_parse(f, 54, (uint32_t)len, &t), 0);
	assert_int_equal(gso_parse(f, 53, (uint32_t)len, &t), -EINVAL);

	len = make_frame(f, 7, GSO_TCP_ACK, 12, 10);
	assert_int_equal(gso_parse(f, (uint32_t)len, (uint32_t)len, &t), 0);
	assert_int_equal(t.hdr_len, 66);
	assert_int_equal(t.payload, 10);
	assert_int_equal(t.options[0], 1);
	assert_int_equal(t.options[11], 2);
}

static void test_parse_rejects(void **state)
{
	uint8_t f[2000];
	struct gso_tcp t;

	(void)state;
	size_t len = make_frame(f, 1, GSO_TCP_ACK, 0, 100);
	f[GSO_ETH_HLEN + 9] = 17; /* UDP */
	assert_int_equal(gso_parse(f, (uint32_t)len, (uint32_t)len, &t), -EINVAL);
	make_frame(f, 1, GSO_TCP_ACK, 0, 100);
	put16(f + 12, 0x86dd); /* IPv6 */
	assert_int_equal(gso_parse(f, (uint32_t)len, (uint32_t)len, &t), -EINVAL);
	make_frame(f, 1, GSO_TCP_ACK, 0, 100);
	put16(f + GSO_ETH_HLEN + 6, 0x2000); /* more fragments */
	assert_int_equal(gso_parse(f, (uint32_t)len, (uint32_t)len, &t), -EINVAL);
	put16(f + GSO_ETH_HLEN + 6, 0x0001); /* a later fragment */
	assert_int_equal(gso_parse(f, (uint32_t)len, (uint32_t)len, &t), -EINVAL);
	make_frame(f, 1, GSO_TCP_ACK, 0, 100);
	assert_int_equal(gso_parse(f, (uint32_t)len, (uint32_t)len - 1, &t), -EINVAL);
	f[GSO_ETH_HLEN + 20 + 12] = 4 << 4; /* data offset below 20 bytes */
	assert_int_equal(gso_parse(f, (uint32_t)len, (uint32_t)len, &t), -EINVAL);
	make_frame(f, 1, GSO_TCP_ACK, 0, 100);
	f[GSO_ETH_HLEN] = 0x44; /* IHL below 20 bytes */
	assert_int_equal(gso_parse(f, (uint32_t)len, (uint32_t)len, &t), -EINVAL);
	assert_int_equal(gso_parse(f, 10, 10, &t), -EINVAL);
}

static void test_mergeable(void **state)
{
	uint8_t f[2000];
	struct gso_tcp t;

	(void)state;
	size_t len = make_frame(f, 1, GSO_TCP_ACK | GSO_TCP_PSH, 0, 100);
	gso_parse(f, (uint32_t)len, (uint32_t)len, &t);
	assert_true(gso_mergeable(&t));
	len = make_frame(f, 1, GSO_TCP_ACK, 0, 0); /* a pure ACK */
	gso_parse(f, (uint32_t)len, (uint32_t)len, &t);
	assert_false(gso_mergeable(&t));
	uint8_t other[] = {0x01 /* FIN */, 0x02 /* SYN */, 0x04 /* RST */, 0x20 /* URG */};
	for (size_t i = 0; i < sizeof(other); i++) {
		len = make_frame(f, 1, (uint8_t)(GSO_TCP_ACK | other[i]), 0, 100);
		gso_parse(f, (uint32_t)len, (uint32_t)len, &t);
		assert_false(gso_mergeable(&t));
	}
}

static void parsed(struct gso_tcp *t, uint32_t seq, size_t payload)
{
	uint8_t f[2000];
	size_t len = make_frame(f, seq, GSO_TCP_ACK, 0, payload);
	assert_int_equal(gso_parse(f, (uint32_t)len, (uint32_t)len, t), 0);
}

static void test_continues(void **state)
{
	struct gso_tcp a, b, c;

	(void)state;
	parsed(&a, 1000, MSS);
	parsed(&b, 1000 + MSS, MSS);
	assert_true(gso_continues(&a, &a, &b));
	parsed(&c, 1000 + 2 * MSS, 100); /* a short last one */
	assert_true(gso_continues(&a, &b, &c));
	assert_false(gso_continues(&a, &c, &c)); /* nothing after a short one */
	parsed(&b, 1000 + MSS + 1, MSS);         /* a gap */
	assert_false(gso_continues(&a, &a, &b));
	parsed(&b, 1000 + MSS, MSS + 1); /* longer than the first */
	assert_false(gso_continues(&a, &a, &b));
	parsed(&b, 1000 + MSS, MSS);
	b.ack++;
	assert_false(gso_continues(&a, &a, &b));
	parsed(&b, 1000 + MSS, MSS);
	b.window--;
	assert_false(gso_continues(&a, &a, &b));
	parsed(&b, 1000 + MSS, MSS);
	b.addrs_ports[11]++; /* another connection */
	assert_false(gso_continues(&a, &a, &b));
	parsed(&b, 1000 + MSS, MSS);
	b.options[0] = 8;
	assert_false(gso_continues(&a, &a, &b));
	/* Sequence numbers wrap. */
	parsed(&a, 0xffffffffu - 99, MSS);
	parsed(&b, (uint32_t)(0xffffffffu - 99 + MSS), MSS);
	assert_true(gso_continues(&a, &a, &b));
}

/* One frame's checksum left to the card comes out right. */
static void test_prepare_csum(void **state)
{
	uint8_t f[2000];
	struct gso_tcp t;

	(void)state;
	for (size_t payload = 0; payload < 40; payload += 13) {
		size_t len = make_frame(f, 99, GSO_TCP_ACK, 4, payload);
		gso_parse(f, (uint32_t)len, (uint32_t)len, &t);
		gso_prepare_csum(f, &t, (uint32_t)len);
		card_finish(f, len, t.l4_off, GSO_TCP_CSUM);
		assert_true(tcp_checksum_ok(f + GSO_ETH_HLEN, len - GSO_ETH_HLEN));
	}
}

/* Three segments merged: IP length and checksum right, PSH carried, and the TCP checksum
 * the card finishes over the merged frame is right for it (the host then adjusts it per
 * segment, as Linux's GSO does from the merged one). */
static void test_build_header(void **state)
{
	static uint8_t seg[3][2000], merged[GSO_MAX_HLEN + 3 * MSS];
	struct gso_tcp t[3];
	size_t len[3];

	(void)state;
	for (int i = 0; i < 3; i++) {
		len[i] = make_frame(seg[i], 5000u + (uint32_t)i * MSS,
		                    (uint8_t)(GSO_TCP_ACK | (i == 2 ? GSO_TCP_PSH : 0)), 0,
		                    i == 2 ? 700 : MSS);
		assert_int_equal(gso_parse(seg[i], (uint32_t)len[i], (uint32_t)len[i], &t[i]), 0);
	}
	uint32_t payload = MSS + MSS + 700;
	gso_build_header(merged, seg[0], &t[0], payload, true);
	size_t at = t[0].hdr_len;
	for (int i = 0; i < 3; i++) {
		memcpy(merged + at, seg[i] + t[i].hdr_len, t[i].payload);
		at += t[i].payload;
	}
	const uint8_t *ip = merged + GSO_ETH_HLEN;
	assert_int_equal(get16(ip + 2), 20 + 20 + payload);
	assert_int_equal(fold(sum_bytes(0, ip, 20)), 0xffff);
	assert_int_equal(get16(ip + 4), 0x1234); /* the first segment's id */
	assert_true(merged[t[0].l4_off + 13] & GSO_TCP_PSH);
	assert_int_equal(memcmp(merged, seg[0], GSO_ETH_HLEN), 0);
	card_finish(merged, at, t[0].l4_off, GSO_TCP_CSUM);
	assert_true(tcp_checksum_ok(ip, at - GSO_ETH_HLEN));
	/* Without PSH the flags stay the first segment's. */
	gso_build_header(merged, seg[0], &t[0], payload, false);
	assert_int_equal(merged[t[0].l4_off + 13], GSO_TCP_ACK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),        cmocka_unit_test(test_parse_rejects),
	    cmocka_unit_test(test_mergeable),    cmocka_unit_test(test_continues),
	    cmocka_unit_test(test_prepare_csum), cmocka_unit_test(test_build_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
