/* server.c - one thread, one poll() over the listening socket and every connection. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "server.h"

/* Milliseconds poll() waits at most, so that timeouts are checked about once a second. */
#define POLL_INTERVAL_MS 1000
/* Connections accepted per turn of the loop, at most. */
#define ACCEPT_BATCH 64

struct server {
	const struct httpd_config *config;
	int listen_fd;
	struct conn *conns;   /* config->max_connections slots */
	struct pollfd *fds;   /* the listener, then one per polled connection */
	int *fd_conn;         /* for fds[i], i >= 1: its slot in conns */
	int open_count;       /* connections in use */
	int free_hint;        /* where to look for a free slot first */
	time_t accept_resume; /* out of descriptors: accept nothing before this time */
};

static int set_non_blocking(int fd)
{
	int flags = fcntl(fd, F_GETFL, 0);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

static int open_listener(const struct httpd_config *config)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -errno;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons(config->port);
	addr.sin_addr.s_addr = htonl(config->bind_address);
	int backlog = config->max_connections < 128 ? 128 : config->max_connections;
	int rc = 0;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, backlog) < 0)
		rc = -errno;
	else
		rc = set_non_blocking(fd);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	return fd;
}

static int find_free_slot(struct server *server)
{
	int n = server->config->max_connections;
	for (int k = 0; k < n; k++) {
		int i = (server->free_hint + k) % n;
		if (server->conns[i].sock < 0) {
			server->free_hint = (i + 1) % n;
			return i;
		}
	}
	return -1;
}

/* Accept what is waiting, up to the connection cap. */
static void accept_clients(struct server *server, time_t now)
{
	for (int batch = 0; batch < ACCEPT_BATCH; batch++) {
		if (server->open_count >= server->config->max_connections)
			return;
		struct sockaddr_in peer;
		socklen_t peer_len = sizeof(peer);
		int sock = accept(server->listen_fd, (struct sockaddr *)&peer, &peer_len);
		if (sock < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
			    errno == ECONNABORTED)
				return;
			/* Out of descriptors or memory: the listener would stay ready and the
			 * loop spin, so leave the clients in the backlog for a second. */
			fprintf(stderr, "httpd: accept: %s (pausing for a second)\n",
			        strerror(errno));
			server->accept_resume = now + 1;
			return;
		}
		int one = 1;
		setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		int slot = find_free_slot(server);
		uint32_t address = peer.sin_family == AF_INET ? ntohl(peer.sin_addr.s_addr) : 0;
		if (slot < 0 || set_non_blocking(sock) < 0 ||
		    conn_init(&server->conns[slot], sock, address, server->config, now) < 0) {
			close(sock);
			continue;
		}
		server->open_count++;
	}
}

static void close_conn(struct server *server, struct conn *conn)
{
	conn_release(conn);
	server->open_count--;
}

/* Fill the pollfd array; returns how many entries it has. */
static int build_poll_set(struct server *server, time_t now)
{
	int count = 1;
	bool accepting =
	    server->open_count < server->config->max_connections && now >= server->accept_resume;
	server->fds[0].fd = server->listen_fd;
	server->fds[0].events = accepting ? POLLIN : 0;
	server->fds[0].revents = 0;
	for (int i = 0; i < server->config->max_connections; i++) {
		struct conn *conn = &server->conns[i];
		if (conn->sock < 0)
			continue;
		server->fds[count].fd = conn->sock;
		server->fds[count].events = conn_poll_events(conn);
		server->fds[count].revents = 0;
		server->fd_conn[count] = i;
		count++;
	}
	return count;
}

static void close_timed_out(struct server *server, time_t now)
{
	for (int i = 0; i < server->config->max_connections; i++) {
		struct conn *conn = &server->conns[i];
		if (conn->sock >= 0 &&
		    conn_timed_out(conn, now, server->config->idle_timeout_seconds))
			close_conn(server, conn);
	}
}

static int server_alloc(struct server *server, const struct httpd_config *config)
{
	int n = config->max_connections;
	server->config = config;
	server->conns = calloc((size_t)n, sizeof(*server->conns));
	if (server->conns == NULL)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		server->conns[i].sock = -1;
		server->conns[i].file_fd = -1;
	}
	server->fds = calloc((size_t)n + 1, sizeof(*server->fds));
	server->fd_conn = calloc((size_t)n + 1, sizeof(*server->fd_conn));
	if (server->fds == NULL || server->fd_conn == NULL)
		return -ENOMEM;
	return 0;
}

static void server_free(struct server *server)
{
	if (server->conns != NULL) {
		for (int i = 0; i < server->config->max_connections; i++) {
			if (server->conns[i].sock >= 0)
				conn_release(&server->conns[i]);
		}
	}
	free(server->conns);
	free(server->fds);
	free(server->fd_conn);
	if (server->listen_fd >= 0)
		close(server->listen_fd);
}

int server_run(const struct httpd_config *config, volatile sig_atomic_t *stop)
{
	struct server server = {.listen_fd = -1};
	int rc = server_alloc(&server, config);
	if (rc < 0) {
		fprintf(stderr, "httpd: no memory for %d connections\n", config->max_connections);
		goto out_free;
	}
	server.listen_fd = open_listener(config);
	if (server.listen_fd < 0) {
		rc = server.listen_fd;
		fprintf(stderr, "httpd: cannot listen on port %u: %s\n", (unsigned)config->port,
		        strerror(-rc));
		goto out_free;
	}
	fprintf(stderr, "httpd: serving %s on port %u\n", config->root, (unsigned)config->port);

	time_t last_sweep = time(NULL);
	while (!*stop) {
		int count = build_poll_set(&server, time(NULL));
		int ready = poll(server.fds, (nfds_t)count, POLL_INTERVAL_MS);
		if (ready < 0 && errno != EINTR) {
			rc = -errno;
			fprintf(stderr, "httpd: poll: %s\n", strerror(errno));
			break;
		}
		time_t now = time(NULL);
		for (int i = 1; ready > 0 && i < count; i++) {
			if (server.fds[i].revents == 0)
				continue;
			struct conn *conn = &server.conns[server.fd_conn[i]];
			if (conn_on_ready(conn, server.fds[i].revents, config, now) == CONN_CLOSE)
				close_conn(&server, conn);
		}
		if (ready > 0 && (server.fds[0].revents & POLLIN))
			accept_clients(&server, now);
		if (now != last_sweep) {
			close_timed_out(&server, now);
			last_sweep = now;
		}
		fflush(stdout);
	}
	if (*stop)
		rc = 0;
out_free:
	server_free(&server);
	return rc;
}
