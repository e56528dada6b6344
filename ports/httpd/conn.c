/* conn.c - the life of one client connection: read, parse, answer in order, send. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "access_log.h"
#include "body.h"
#include "conn.h"
#include "http_date.h"
#include "http_response.h"
#include "respond.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* where it is missing, SIGPIPE is ignored (main.c) */
#endif

/* Seconds a closing connection keeps reading (and dropping) what the client still sends;
 * see start_lingering(). */
#define LINGER_SECONDS 2

/* Bytes one connection may send per readiness report, so that one fast client with a
 * large file does not hold up the others. */
#define SEND_BUDGET (256 * 1024)

int conn_init(struct conn *conn, int sock, uint32_t peer_address, const struct httpd_config *config,
              time_t now)
{
	memset(conn, 0, sizeof(*conn));
	conn->in = malloc(config->limits.max_head_bytes);
	if (conn->in == NULL) {
		conn->sock = -1;
		return -ENOMEM;
	}
	conn->sock = sock;
	conn->peer_address = peer_address;
	conn->file_fd = -1;
	conn->last_active = now;
	http_parser_reset(&conn->parser);
	return 0;
}

void conn_release(struct conn *conn)
{
	if (conn->file_fd >= 0)
		close(conn->file_fd);
	if (conn->sock >= 0)
		close(conn->sock);
	free(conn->in);
	free(conn->out);
	memset(conn, 0, sizeof(*conn));
	conn->sock = -1;
	conn->file_fd = -1;
}

short conn_poll_events(const struct conn *conn)
{
	return conn->responding && !conn->lingering ? POLLOUT : POLLIN;
}

bool conn_timed_out(const struct conn *conn, time_t now, int timeout)
{
	if (conn->lingering)
		return now - conn->linger_since >= LINGER_SECONDS;
	if (now - conn->last_active >= timeout)
		return true;
	return !conn->responding && conn->head_since != 0 && now - conn->head_since >= timeout;
}

/* The Date value for @now, formatted once per second. */
static const char *date_for(time_t now)
{
	static time_t cached_time = -1;
	static char cached[HTTP_DATE_LEN + 1];
	if (now != cached_time) {
		if (http_date_format(now, cached) < 0)
			http_date_format(0, cached);
		cached_time = now;
	}
	return cached;
}

/* Read what the socket has into the input buffer. 0, or -errno (the connection ends). */
static int read_input(struct conn *conn, const struct httpd_config *config, time_t now)
{
	size_t room = config->limits.max_head_bytes - conn->in_len;
	if (room == 0)
		return 0; /* a full buffer: the parser reports the oversized head */
	ssize_t n = recv(conn->sock, conn->in + conn->in_len, room, 0);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -errno;
	if (n == 0) {
		conn->peer_closed = true;
		return 0;
	}
	conn->in_len += (size_t)n;
	conn->last_active = now;
	return 0;
}

static void consume_input(struct conn *conn, size_t len)
{
	memmove(conn->in, conn->in + len, conn->in_len - len);
	conn->in_len -= len;
}

/* Drop body bytes of the last request (bodies are not used, only skipped). */
static void drop_body_bytes(struct conn *conn)
{
	if (conn->discard_left == 0)
		return;
	size_t drop = conn->discard_left < conn->in_len ? (size_t)conn->discard_left : conn->in_len;
	consume_input(conn, drop);
	conn->discard_left -= drop;
}

/* Fill @len bytes of the output buffer from the file. 0, or -errno / -EIO (it shrank). */
static int read_whole_file(int fd, char *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		got += (size_t)n;
	}
	return 0;
}

/* Put the head (and a body that fits) of @plan into the output buffer, log the request.
 * 0, or -errno (the connection ends). */
static int start_response(struct conn *conn, struct response_plan *plan,
                          const struct http_request *logged_req, const struct httpd_config *config,
                          time_t now)
{
	if (conn->out == NULL) {
		conn->out = malloc(CONN_OUT_CAP);
		if (conn->out == NULL) {
			if (plan->file_fd >= 0)
				close(plan->file_fd);
			return -ENOMEM;
		}
	}
	char last_modified[HTTP_DATE_LEN + 1];
	struct http_response_head head = {
	    .status = plan->status,
	    .date = date_for(now),
	    .content_type = plan->content_type,
	    .content_length = plan->length,
	    .location = plan->location[0] ? plan->location : NULL,
	    .allow = plan->allow,
	    .close = plan->close,
	    .keep_alive = plan->keep_alive_header,
	};
	if (plan->has_last_modified && http_date_format(plan->last_modified, last_modified) == 0)
		head.last_modified = last_modified;
	long head_len = http_format_head(conn->out, CONN_OUT_CAP, &head);
	if (head_len < 0) {
		if (plan->file_fd >= 0)
			close(plan->file_fd);
		return (int)head_len;
	}
	conn->out_len = (size_t)head_len;
	conn->out_sent = 0;
	if (plan->error_page && plan->send_body) {
		long page_len = http_format_error_page(conn->out + conn->out_len,
		                                       CONN_OUT_CAP - conn->out_len, plan->status);
		if (page_len > 0)
			conn->out_len += (size_t)page_len;
	}
	if (plan->file_fd >= 0 && !plan->send_body) {
		close(plan->file_fd);
		plan->file_fd = -1;
	}
	if (plan->file_fd >= 0) {
		conn->file_fd = plan->file_fd;
		conn->file_offset = 0;
		conn->file_left = plan->length;
		if (plan->length <= CONN_OUT_CAP - conn->out_len) {
			int rc = read_whole_file(conn->file_fd, conn->out + conn->out_len,
			                         (size_t)plan->length);
			if (rc < 0)
				return rc; /* conn_release closes the file */
			conn->out_len += (size_t)plan->length;
			conn->file_offset = (off_t)plan->length;
			conn->file_left = 0;
		}
	}
	conn->responding = true;
	conn->close_after = plan->close;
	if (!config->quiet)
		access_log_write(conn->peer_address, logged_req, plan->status,
		                 plan->send_body ? plan->length : 0, now);
	return 0;
}

/* Send the rest of the response. 0 when it is all sent, -EAGAIN when the socket is full
 * or the budget is spent (poll for POLLOUT), another -errno when the connection failed. */
static int send_response(struct conn *conn, time_t now)
{
	size_t budget = SEND_BUDGET;
	for (;;) {
		if (conn->out_sent < conn->out_len) {
			ssize_t n = send(conn->sock, conn->out + conn->out_sent,
			                 conn->out_len - conn->out_sent, MSG_NOSIGNAL);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return errno == EWOULDBLOCK ? -EAGAIN : -errno;
			conn->out_sent += (size_t)n;
			conn->last_active = now;
			budget = (size_t)n < budget ? budget - (size_t)n : 0;
			continue;
		}
		if (conn->file_left == 0)
			return 0;
		if (budget == 0)
			return -EAGAIN;
		uint64_t before = conn->file_left;
		size_t staged = 0;
		int rc = body_transfer(conn->sock, conn->file_fd, &conn->file_offset,
		                       &conn->file_left, conn->out, CONN_OUT_CAP, &staged);
		if (rc < 0)
			return rc;
		conn->out_len = staged;
		conn->out_sent = 0;
		if (staged == 0) { /* sent directly */
			size_t moved = (size_t)(before - conn->file_left);
			conn->last_active = now;
			budget = moved < budget ? budget - moved : 0;
		}
	}
}

static void finish_response(struct conn *conn)
{
	if (conn->file_fd >= 0) {
		close(conn->file_fd);
		conn->file_fd = -1;
	}
	conn->responding = false;
	conn->out_len = 0;
	conn->out_sent = 0;
}

/* Parse and answer the next buffered request, if there is a complete one. Returns 1 when
 * a response was started, 0 when more input is needed, -errno when the connection ends. */
static int answer_next_request(struct conn *conn, const struct httpd_config *config, time_t now)
{
	struct http_request req;
	struct response_plan plan;
	enum http_parse_result result =
	    http_parse_request(&conn->parser, conn->in, conn->in_len, &config->limits, &req);
	if (result == HTTP_PARSE_INCOMPLETE) {
		if (conn->head_since == 0)
			conn->head_since = now;
		return 0;
	}
	if (result == HTTP_PARSE_ERROR) {
		/* The method is known when the request line was read before the error. */
		bool head_only = req.method_name != NULL && req.method == HTTP_METHOD_HEAD;
		respond_plan_error(req.error_status, head_only, &plan);
		conn->in_len = 0; /* nothing after a malformed head can be trusted */
		return start_response(conn, &plan, NULL, config, now) < 0 ? -EIO : 1;
	}
	respond_plan_request(config, &req, &plan);
	int rc = start_response(conn, &plan, &req, config, now);
	/* The request points into the input buffer: consume it only now. */
	consume_input(conn, req.head_len);
	http_parser_reset(&conn->parser);
	conn->head_since = 0;
	conn->discard_left = req.content_length;
	return rc < 0 ? rc : 1;
}

/* Closing right after the last response while the client is still sending (a body too
 * large, more pipelined requests) would make the kernel answer with a reset, which can
 * destroy the response before the client reads it. So the server shuts down its sending
 * side and drops input until the client closes too, for LINGER_SECONDS at most. */
static enum conn_next start_lingering(struct conn *conn, time_t now)
{
	if (conn->peer_closed || shutdown(conn->sock, SHUT_WR) < 0)
		return CONN_CLOSE;
	conn->lingering = true;
	conn->linger_since = now;
	return CONN_KEEP;
}

/* Drop input while lingering; the connection ends at the client's end of file. */
static enum conn_next drain_input(struct conn *conn)
{
	char sink[4096];
	for (int i = 0; i < 16; i++) {
		ssize_t n = recv(conn->sock, sink, sizeof(sink), 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return CONN_KEEP;
		if (n <= 0)
			return CONN_CLOSE;
	}
	return CONN_KEEP;
}

enum conn_next conn_on_ready(struct conn *conn, short revents, const struct httpd_config *config,
                             time_t now)
{
	if (revents & (POLLERR | POLLNVAL))
		return CONN_CLOSE;
	if (conn->lingering)
		return drain_input(conn);
	if ((revents & (POLLIN | POLLHUP)) && !conn->responding && !conn->peer_closed) {
		if (read_input(conn, config, now) < 0)
			return CONN_CLOSE;
	}
	for (;;) {
		if (conn->responding) {
			int rc = send_response(conn, now);
			if (rc == -EAGAIN)
				return CONN_KEEP;
			if (rc < 0)
				return CONN_CLOSE;
			finish_response(conn);
			if (conn->close_after)
				return start_lingering(conn, now);
		}
		drop_body_bytes(conn);
		if (conn->discard_left > 0 || conn->in_len == 0)
			return conn->peer_closed ? CONN_CLOSE : CONN_KEEP;
		int rc = answer_next_request(conn, config, now);
		if (rc < 0)
			return CONN_CLOSE;
		if (rc == 0)
			return conn->peer_closed ? CONN_CLOSE : CONN_KEEP;
	}
}
