/* main.c - httpd: a small HTTP/1.1 static-file server. Reads the command line, sets up
 * signals and runs the event loop (server.c). Options are in ports/httpd/README.md and
 * in usage() below. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "httpd.h"
#include "server.h"

/* Room the request line needs besides its target: method, two spaces, version, CRLF. */
#define REQUEST_LINE_OVERHEAD 64

static volatile sig_atomic_t stop_requested;

static void request_stop(int signo)
{
	(void)signo;
	stop_requested = 1;
}

static void usage(FILE *to)
{
	fprintf(to,
	        "usage: httpd [-p PORT] [-a ADDRESS] [-r ROOT] [-c MAXCONN] [-t SECONDS]\n"
	        "             [-H HEADBYTES] [-u URIBYTES] [-b BODYBYTES] [-L] [-q] [-h]\n"
	        "  -p PORT       TCP port to listen on (default 8080)\n"
	        "  -a ADDRESS    IPv4 address to listen on (default 0.0.0.0: all)\n"
	        "  -r ROOT       document root (default /www)\n"
	        "  -c MAXCONN    open connections at most (default 1024)\n"
	        "  -t SECONDS    idle timeout of a connection (default 30)\n"
	        "  -H HEADBYTES  largest request head, larger gives 431 (default 8192)\n"
	        "  -u URIBYTES   longest request target, longer gives 414 (default 4096)\n"
	        "  -b BODYBYTES  largest request body, skipped; larger gives 413 (default 65536)\n"
	        "  -L            follow symbolic links under ROOT (default: refuse them)\n"
	        "  -q            quiet: no access log on stdout\n"
	        "  -h            this help\n");
}

/* A decimal number in [min, max]; 0 or -EINVAL. */
static int parse_number(const char *text, long long min, long long max, long long *out)
{
	char *end;
	errno = 0;
	long long value = strtoll(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || value < min || value > max)
		return -EINVAL;
	*out = value;
	return 0;
}

/* Dotted-quad IPv4 address, into host byte order; 0 or -EINVAL. */
static int parse_ipv4(const char *text, uint32_t *out)
{
	uint32_t address = 0;
	const char *p = text;
	for (int part = 0; part < 4; part++) {
		char *end;
		errno = 0;
		long value = strtol(p, &end, 10);
		if (errno != 0 || end == p || value < 0 || value > 255 || *p == '-' || *p == '+')
			return -EINVAL;
		address = address << 8 | (uint32_t)value;
		if (part < 3 && *end != '.')
			return -EINVAL;
		if (part == 3 && *end != '\0')
			return -EINVAL;
		p = end + 1;
	}
	*out = address;
	return 0;
}

static int option_error(const char *option, const char *value)
{
	fprintf(stderr, "httpd: bad value for %s: '%s'\n", option, value);
	usage(stderr);
	return 2;
}

/* Fill @config from the command line; 0, or the exit status to stop with. */
static int parse_options(int argc, char **argv, struct httpd_config *config, char *root_buf,
                         size_t root_cap)
{
	*config = (struct httpd_config){
	    .bind_address = 0,
	    .port = 8080,
	    .root = "/www",
	    .max_connections = 1024,
	    .idle_timeout_seconds = 30,
	    .limits = {.max_head_bytes = 8192, .max_target_bytes = 4096, .max_body_bytes = 65536},
	};
	long long value;
	int opt;
	while ((opt = getopt(argc, argv, "p:a:r:c:t:H:u:b:Lqh")) != -1) {
		switch (opt) {
		case 'p':
			if (parse_number(optarg, 1, 65535, &value) < 0)
				return option_error("-p", optarg);
			config->port = (uint16_t)value;
			break;
		case 'a':
			if (parse_ipv4(optarg, &config->bind_address) < 0)
				return option_error("-a", optarg);
			break;
		case 'r':
			config->root = optarg;
			break;
		case 'c':
			if (parse_number(optarg, 1, 1 << 20, &value) < 0)
				return option_error("-c", optarg);
			config->max_connections = (int)value;
			break;
		case 't':
			if (parse_number(optarg, 1, 86400, &value) < 0)
				return option_error("-t", optarg);
			config->idle_timeout_seconds = (int)value;
			break;
		case 'H':
			if (parse_number(optarg, 256, 1 << 20, &value) < 0)
				return option_error("-H", optarg);
			config->limits.max_head_bytes = (size_t)value;
			break;
		case 'u':
			if (parse_number(optarg, 16, 1 << 20, &value) < 0)
				return option_error("-u", optarg);
			config->limits.max_target_bytes = (size_t)value;
			break;
		case 'b':
			if (parse_number(optarg, 0, LLONG_MAX, &value) < 0)
				return option_error("-b", optarg);
			config->limits.max_body_bytes = (uint64_t)value;
			break;
		case 'L':
			config->follow_symlinks = true;
			break;
		case 'q':
			config->quiet = true;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "httpd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (config->limits.max_target_bytes + REQUEST_LINE_OVERHEAD >
	    config->limits.max_head_bytes) {
		fprintf(stderr, "httpd: -u must be at least %d bytes below -H\n",
		        REQUEST_LINE_OVERHEAD);
		return 2;
	}
	/* The root without trailing slashes ("/" stays "/" as "": paths add their own). */
	size_t len = strlen(config->root);
	if (len == 0 || len >= root_cap) {
		fprintf(stderr, "httpd: bad document root '%s'\n", config->root);
		return 2;
	}
	memcpy(root_buf, config->root, len + 1);
	while (len > 0 && root_buf[len - 1] == '/')
		root_buf[--len] = '\0';
	config->root = root_buf;
	return 0;
}

int main(int argc, char **argv)
{
	static char root_buf[1024];
	struct httpd_config config;
	int status = parse_options(argc, argv, &config, root_buf, sizeof(root_buf));
	if (status != 0)
		return status < 0 ? 0 : status;

	struct stat st;
	if (stat(config.root[0] ? config.root : "/", &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "httpd: document root %s is not a directory\n",
		        config.root[0] ? config.root : "/");
		return 1;
	}
	/* A client that goes away mid-response must not end the server. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, request_stop);
	signal(SIGINT, request_stop);

	int rc = server_run(&config, &stop_requested);
	fflush(stdout);
	return rc < 0 ? 1 : 0;
}
