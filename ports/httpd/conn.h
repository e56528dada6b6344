/* conn.h - one client connection: its input buffer and parser, the response being sent,
 * and the rules that keep it alive (keep-alive, pipelining) or end it (errors, timeouts,
 * the peer going away). The event loop (server.c) owns the array of connections and
 * calls these when poll() reports the socket ready. */
#ifndef HTTPD_CONN_H
#define HTTPD_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "http_parse.h"
#include "httpd.h"

/* Bytes of the per-connection output buffer: a response head plus a small file in one
 * send, or one chunk of a large file. */
#define CONN_OUT_CAP (16 * 1024)

struct conn {
	int sock; /* non-blocking; -1 when the slot is free */
	uint32_t peer_address;
	char *in; /* config->limits.max_head_bytes bytes */
	size_t in_len;
	struct http_parser parser;
	uint64_t discard_left; /* body bytes of the last request still to drop */
	char *out;             /* CONN_OUT_CAP bytes, allocated at the first response */
	size_t out_len;
	size_t out_sent;
	int file_fd; /* the body being sent, or -1 */
	off_t file_offset;
	uint64_t file_left;
	bool responding;  /* a response is not fully sent yet */
	bool close_after; /* close once it is */
	bool peer_closed; /* the peer will send nothing more (read gave 0) */
	bool lingering;   /* all sent, sending side shut: dropping input until closed */
	time_t linger_since;
	time_t last_active; /* last time bytes moved either way */
	time_t head_since;  /* first byte of a still incomplete request head, or 0 */
};

enum conn_next {
	CONN_KEEP,  /* poll it again with conn_poll_events() */
	CONN_CLOSE, /* done or failed: conn_release() it */
};

/* conn_init - take socket @sock (non-blocking) from @peer_address into @conn. Returns 0,
 * or -ENOMEM (the caller still owns and closes @sock). */
int conn_init(struct conn *conn, int sock, uint32_t peer_address, const struct httpd_config *config,
              time_t now);

/* conn_release - close the socket and any open file, free the buffers; the slot is free. */
void conn_release(struct conn *conn);

/* conn_poll_events - what poll() should watch on the socket: POLLOUT while a response is
 * being sent, POLLIN otherwise (requests, or the client's end while closing). */
short conn_poll_events(const struct conn *conn);

/* conn_on_ready - handle readiness @revents (from poll) at time @now: read what arrived,
 * answer every complete request in order, send as much as the socket takes. */
enum conn_next conn_on_ready(struct conn *conn, short revents, const struct httpd_config *config,
                             time_t now);

/* conn_timed_out - no bytes moved for @timeout seconds, or a request head has been
 * arriving for longer than that, or a closing connection has lingered long enough. */
bool conn_timed_out(const struct conn *conn, time_t now, int timeout);

#endif
