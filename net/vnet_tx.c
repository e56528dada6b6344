/* vnet_tx.c - lwIP's frames onto the virtio-net card: by reference, with checksum and
 * segmentation offload where the card has them, in batches (see vnet_tx.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/clock.h"
#include "kernel/sched.h"
#include "lwip/mem.h"
#include "net/gso.h"
#include "net/vnet_tx.h"

#define TX_RETRY_NS   (50 * 1000)       /* sleep while the transmit queue is full */
#define TX_GIVE_UP_NS (1000 * 1000000u) /* then the frame is dropped (TCP resends) */
#define RUN_MAX_SEGS  16                /* TCP segments merged into one frame, at most */
#define RUN_TAG       1u                /* marks a run's token (pbufs are aligned) */

/* Consecutive segments of one connection waiting to go as one frame. */
struct gso_run {
	int n;
	int pieces; /* payload pieces of the merged frame (after its header) */
	bool psh;
	uint32_t payload;
	struct gso_tcp first, last;
	struct pbuf *p[RUN_MAX_SEGS]; /* each referenced until the card is done */
	uint8_t hdr[GSO_MAX_HLEN];    /* the merged frame's headers */
};

static struct vnet *card;
static bool csum_offload, tso;
static struct gso_run *open_run;

/* Give back what a frame held: a pbuf chain's reference, or a run's pbufs and itself. */
static void release(void *token)
{
	if ((uintptr_t)token & RUN_TAG) {
		struct gso_run *run = (struct gso_run *)((uintptr_t)token & ~(uintptr_t)RUN_TAG);
		for (int i = 0; i < run->n; i++)
			pbuf_free(run->p[i]);
		mem_free(run);
	} else {
		pbuf_free(token);
	}
}

static void frame_sent(void *arg, void *token)
{
	(void)arg;
	release(token);
}

/* Queue one frame on the card, owning @token (released on failure). When the queue is
 * full the card has been given what was queued: sleep briefly and try again. */
static err_t queue_frame(const struct vnet_seg *segs, int nsegs, const struct vnet_tx_offload *off,
                         void *token)
{
	uint64_t give_up = clock_monotonic_ns() + TX_GIVE_UP_NS;
	bool by_copy = false;

	for (;;) {
		int err = vnet_transmit(card, segs, nsegs, off, by_copy ? NULL : token);
		if (err == -EFAULT && !by_copy && !(off && off->gso_size)) {
			by_copy = true; /* memory the card cannot address by reference */
			continue;
		}
		if (err == 0) {
			if (by_copy)
				release(token);
			return ERR_OK;
		}
		if (err != -EAGAIN) {
			release(token);
			return ERR_IF;
		}
		uint64_t now = clock_monotonic_ns();
		if (now >= give_up) {
			release(token);
			return ERR_MEM;
		}
		sched_sleep_until(clock_ns_to_tsc(now + TX_RETRY_NS));
	}
}

/* The chain's pieces from byte @skip on, appended to @segs; false when it cannot go by
 * reference: more pieces than fit, or a piece lwIP marks volatile (PBUF_REF/ROM data that
 * its owner may change once the send call returns, such as a UDP payload straight from
 * the application's buffer). */
static bool chain_segments(struct pbuf *p, uint32_t skip, struct vnet_seg *segs, int *nsegs)
{
	int n = *nsegs;

	for (struct pbuf *q = p; q; q = q->next) {
		if (PBUF_NEEDS_COPY(q))
			return false;
		if (skip >= q->len) {
			skip -= q->len;
			continue;
		}
		if (n == VNET_MAX_SEGS)
			return false;
		segs[n++] = (struct vnet_seg){(uint8_t *)q->payload + skip, q->len - skip};
		skip = 0;
	}
	*nsegs = n;
	return true;
}

/* One frame as it is: by reference (a chain that cannot go so goes as one new pbuf),
 * with its TCP checksum left to the card when @tcp says it is TCP and the card can. */
static err_t send_frame(struct pbuf *p, const struct gso_tcp *tcp)
{
	struct vnet_seg segs[VNET_MAX_SEGS];
	struct vnet_tx_offload off = {0};
	int nsegs = 0;

	if (chain_segments(p, 0, segs, &nsegs)) {
		pbuf_ref(p);
	} else {
		p = pbuf_clone(PBUF_RAW, PBUF_RAM, p);
		if (!p)
			return ERR_MEM;
		segs[0] = (struct vnet_seg){p->payload, p->len};
		nsegs = 1;
	}
	if (tcp && csum_offload) {
		/* The headers are in the first piece (gso_parse checked), cloned or not. */
		gso_prepare_csum(p->payload, tcp, p->tot_len);
		off.csum_start = tcp->l4_off;
		off.csum_offset = GSO_TCP_CSUM;
	}
	return queue_frame(segs, nsegs, tcp && csum_offload ? &off : NULL, p);
}

/* Queue the open run: its one segment as it is, or all of them as one frame. */
static err_t run_close(void)
{
	struct gso_run *run = open_run;

	if (!run)
		return ERR_OK;
	open_run = NULL;
	if (run->n == 1) {
		struct pbuf *p = run->p[0];
		struct gso_tcp tcp = run->first;
		mem_free(run);
		err_t err = send_frame(p, &tcp);
		pbuf_free(p); /* the run's reference; send_frame took its own */
		return err;
	}
	gso_build_header(run->hdr, run->p[0]->payload, &run->first, run->payload, run->psh);
	struct vnet_seg segs[VNET_MAX_SEGS];
	int nsegs = 1;
	segs[0] = (struct vnet_seg){run->hdr, run->first.hdr_len};
	for (int i = 0; i < run->n; i++)
		chain_segments(run->p[i], run->first.hdr_len, segs,
		               &nsegs); /* checked in run_add */
	struct vnet_tx_offload off = {
	    .csum_start = run->first.l4_off,
	    .csum_offset = GSO_TCP_CSUM,
	    .gso_size = (uint16_t)run->first.payload,
	    .hdr_len = run->first.hdr_len,
	};
	return queue_frame(segs, nsegs, &off, (void *)((uintptr_t)run | RUN_TAG));
}

/* Payload pieces @p adds to a run (-1: it cannot go by reference). */
static int run_pieces(struct pbuf *p, uint32_t hdr_len)
{
	struct vnet_seg segs[VNET_MAX_SEGS];
	int n = 0;

	return chain_segments(p, hdr_len, segs, &n) ? n : -1;
}

/* Add the TCP segment in @p to the open run, or open one; false when it cannot be part
 * of a run (the caller sends it on its own after closing the run). */
static bool run_add(struct pbuf *p, const struct gso_tcp *tcp)
{
	int pieces = run_pieces(p, tcp->hdr_len);

	if (pieces < 0 || pieces >= VNET_MAX_SEGS)
		return false;
	if (open_run &&
	    (open_run->n == RUN_MAX_SEGS || open_run->pieces + pieces >= VNET_MAX_SEGS ||
	     !gso_continues(&open_run->first, &open_run->last, tcp)))
		run_close();
	if (!open_run) {
		open_run = mem_malloc(sizeof(*open_run));
		if (!open_run)
			return false;
		open_run->n = 0;
		open_run->pieces = 0;
		open_run->psh = false;
		open_run->payload = 0;
		open_run->first = *tcp;
	}
	pbuf_ref(p);
	open_run->p[open_run->n++] = p;
	open_run->pieces += pieces;
	open_run->payload += tcp->payload;
	open_run->psh |= (tcp->flags & GSO_TCP_PSH) != 0;
	open_run->last = *tcp;
	if (tcp->payload < open_run->first.payload)
		run_close(); /* a short segment ends a run: the host cuts at the first's size */
	return true;
}

err_t vnet_tx_output(struct netif *netif, struct pbuf *p)
{
	struct gso_tcp tcp;
	bool is_tcp = false;

	(void)netif;
	if (csum_offload) {
		is_tcp = gso_parse(p->payload, p->len, p->tot_len, &tcp) == 0;
		/* lwIP keeps every header in the first pbuf; should a frame ever arrive
		 * otherwise, it goes again as one piece, so that a TCP checksum left to the
		 * card finds its headers. (lwIP's TCP sends no IP fragments: its segments
		 * fit the MTU.) */
		if (!is_tcp && p->len < p->tot_len) {
			struct pbuf *whole = pbuf_clone(PBUF_RAW, PBUF_RAM, p);
			if (!whole)
				return ERR_MEM;
			err_t err = vnet_tx_output(netif, whole);
			pbuf_free(whole);
			return err;
		}
	}
	if (is_tcp && tso && gso_mergeable(&tcp) && run_add(p, &tcp))
		return ERR_OK;
	run_close(); /* frames keep their order */
	return send_frame(p, is_tcp ? &tcp : NULL);
}

void vnet_tx_flush(void)
{
	run_close();
	vnet_flush(card);
}

void vnet_tx_init(struct vnet *c, struct netif *netif)
{
	card = c;
	csum_offload = vnet_tx_csum_offload(card);
	tso = csum_offload && vnet_tso(card);
	vnet_set_tx_done(card, frame_sent, NULL);
	if (csum_offload)
		NETIF_SET_CHECKSUM_CTRL(netif, NETIF_CHECKSUM_ENABLE_ALL & ~NETIF_CHECKSUM_GEN_TCP);
}
