/* gso.h - TCP segmentation offload on transmit, the protocol part: which Ethernet frames
 * carrying IPv4 TCP segments can go to the card as one large frame that the host cuts back
 * into the same segments (virtio's VIRTIO_NET_HDR_GSO_TCPV4), and the headers of that
 * large frame. No pbufs and no card here: net/netif_vnet.c does the queueing, and the
 * host's unit tests (tests/unit/test_gso.c) check this part.
 *
 * A run of segments may be merged when they are consecutive in one connection (each
 * starts where the previous one ended), carry the same acknowledgment, window and
 * options, have no flags but ACK and PSH, and all but the last carry exactly the
 * first one's payload size (the host cuts at that size, the "gso_size"). The merged frame
 * has the first segment's headers with the IP total length, the IP checksum, PSH (when
 * any segment had it) and the TCP checksum field set for checksum offload: the
 * pseudo-header's sum over the merged length, which the host adjusts per segment. */
#ifndef NET_GSO_H
#define NET_GSO_H

#include <stdbool.h>
#include <stdint.h>

#define GSO_ETH_HLEN 14
#define GSO_MAX_HLEN (GSO_ETH_HLEN + 60 + 60) /* Ethernet, IPv4 and TCP with options */
#define GSO_TCP_ACK  0x10
#define GSO_TCP_PSH  0x08
#define GSO_TCP_CSUM 16 /* the TCP checksum's offset in the TCP header */

/* One frame's IPv4 and TCP facts (addresses and ports as they are on the wire). */
struct gso_tcp {
	uint16_t l4_off;  /* where the TCP header starts (Ethernet + IP header) */
	uint16_t hdr_len; /* every header: Ethernet, IP and TCP with options */
	uint16_t payload; /* TCP payload bytes */
	uint8_t flags;    /* TCP flags byte */
	uint32_t seq, ack;
	uint16_t window;
	uint8_t addrs_ports[12]; /* source and destination address, then ports */
	uint8_t options[40];     /* TCP options (hdr_len - l4_off - 20 bytes of them) */
};

/* gso_parse - the facts of @frame (@total bytes, the first @head of them contiguous at
 * @frame) when it is an unfragmented IPv4 TCP segment whose headers all lie in those
 * @head bytes and agree with @total. Returns 0, or -EINVAL for any other frame. */
int gso_parse(const uint8_t *frame, uint32_t head, uint32_t total, struct gso_tcp *out);

/* gso_mergeable - whether @f could be a segment of a merged frame at all: payload, no
 * flags but ACK and PSH. */
bool gso_mergeable(const struct gso_tcp *f);

/* gso_continues - whether @next may follow @last in a merged frame that started with
 * @first (all three from gso_parse and gso_mergeable): same connection, acknowledgment,
 * window and options, @next starts where @last ends, @last carried first's payload size
 * (only the final segment may be shorter) and @next carries no more than that. */
bool gso_continues(const struct gso_tcp *first, const struct gso_tcp *last,
                   const struct gso_tcp *next);

/* gso_pseudo_sum - the TCP (or UDP) pseudo-header's ones' complement sum for @len bytes
 * of segment from the IPv4 header at @ip (protocol and addresses from it), folded but
 * not inverted: what a checksum-offloading card expects in the checksum field. */
uint16_t gso_pseudo_sum(const uint8_t *ip, uint32_t len);

/* gso_prepare_csum - make @frame (@total bytes, @t from gso_parse) ready for the card to
 * finish its TCP checksum: the pseudo-header sum in the checksum field. */
void gso_prepare_csum(uint8_t *frame, const struct gso_tcp *t, uint32_t total);

/* gso_build_header - the headers of a merged frame: @first_hdr's @first->hdr_len bytes
 * copied to @out, with the IP total length and checksum for @payload bytes of TCP
 * payload, PSH when @psh, and the TCP checksum field holding the pseudo-header sum. */
void gso_build_header(uint8_t *out, const uint8_t *first_hdr, const struct gso_tcp *first,
                      uint32_t payload, bool psh);

#endif
