/* gso.c - which frames merge into one TCP segmentation offload frame, and its headers
 * (see gso.h; RFC 791 for IPv4, RFC 9293 for TCP, virtio 1.1 5.1.6.2 for the offload). */
#include <errno.h>
#include <string.h>

#include "net/gso.h"

#define ETHERTYPE_IPV4 0x0800
#define IP_PROTO_TCP   6
#define IP_MF          0x2000
#define IP_OFFSET_MASK 0x1fff
#define TCP_FLAGS_OK   (GSO_TCP_ACK | GSO_TCP_PSH)

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t sum16(const uint8_t *p, uint32_t len)
{
	uint32_t sum = 0;

	for (uint32_t i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

int gso_parse(const uint8_t *frame, uint32_t head, uint32_t total, struct gso_tcp *out)
{
	if (head < GSO_ETH_HLEN + 20 || head > total || get16(frame + 12) != ETHERTYPE_IPV4)
		return -EINVAL;
	const uint8_t *ip = frame + GSO_ETH_HLEN;
	uint32_t ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != IP_PROTO_TCP)
		return -EINVAL;
	if (get16(ip + 6) & (IP_MF | IP_OFFSET_MASK))
		return -EINVAL; /* a fragment */
	uint32_t ip_len = get16(ip + 2);
	if (ip_len != total - GSO_ETH_HLEN || GSO_ETH_HLEN + ihl + 20 > head)
		return -EINVAL;
	const uint8_t *tcp = ip + ihl;
	uint32_t doff = (uint32_t)(tcp[12] >> 4) * 4;
	uint32_t hdr_len = GSO_ETH_HLEN + ihl + doff;
	if (doff < 20 || hdr_len > head || hdr_len > total)
		return -EINVAL;
	out->l4_off = (uint16_t)(GSO_ETH_HLEN + ihl);
	out->hdr_len = (uint16_t)hdr_len;
	out->payload = (uint16_t)(total - hdr_len);
	out->flags = tcp[13];
	out->seq = get32(tcp + 4);
	out->ack = get32(tcp + 8);
	out->window = get16(tcp + 14);
	memcpy(out->addrs_ports, ip + 12, 8);
	memcpy(out->addrs_ports + 8, tcp, 4);
	memset(out->options, 0, sizeof(out->options));
	memcpy(out->options, tcp + 20, doff - 20);
	return 0;
}

bool gso_mergeable(const struct gso_tcp *f)
{
	return f->payload > 0 && !(f->flags & ~TCP_FLAGS_OK) && (f->flags & GSO_TCP_ACK);
}

bool gso_continues(const struct gso_tcp *first, const struct gso_tcp *last,
                   const struct gso_tcp *next)
{
	return gso_mergeable(next) && next->hdr_len == first->hdr_len &&
	       next->l4_off == first->l4_off &&
	       !memcmp(next->addrs_ports, first->addrs_ports, sizeof(first->addrs_ports)) &&
	       next->ack == first->ack && next->window == first->window &&
	       !memcmp(next->options, first->options, sizeof(first->options)) &&
	       last->payload == first->payload && next->payload <= first->payload &&
	       next->seq == last->seq + last->payload;
}

uint16_t gso_pseudo_sum(const uint8_t *ip, uint32_t len)
{
	return fold(sum16(ip + 12, 8) + ip[9] + (len & 0xffff) + (len >> 16));
}

void gso_build_header(uint8_t *out, const uint8_t *first_hdr, const struct gso_tcp *first,
                      uint32_t payload, bool psh)
{
	uint32_t ihl = first->l4_off - GSO_ETH_HLEN;
	uint32_t tcp_len = first->hdr_len - first->l4_off + payload;
	uint8_t *ip = out + GSO_ETH_HLEN;
	uint8_t *tcp = out + first->l4_off;

	memcpy(out, first_hdr, first->hdr_len);
	put16(ip + 2, (uint16_t)(ihl + tcp_len));
	put16(ip + 10, 0);
	put16(ip + 10, (uint16_t)~fold(sum16(ip, ihl)));
	if (psh)
		tcp[13] |= GSO_TCP_PSH;
	put16(tcp + GSO_TCP_CSUM, gso_pseudo_sum(ip, tcp_len));
}

void gso_prepare_csum(uint8_t *frame, const struct gso_tcp *t, uint32_t total)
{
	put16(frame + t->l4_off + GSO_TCP_CSUM,
	      gso_pseudo_sum(frame + GSO_ETH_HLEN, total - t->l4_off));
}
