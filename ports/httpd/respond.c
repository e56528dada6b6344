/* respond.c - from a parsed request to a response plan. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "docroot.h"
#include "http_path.h"
#include "http_response.h"
#include "respond.h"

static void plan_error_page(int status, bool head_only, struct response_plan *plan)
{
	char page[512];
	long len = http_format_error_page(page, sizeof(page), status);
	plan->status = status;
	plan->file_fd = -1;
	plan->error_page = true;
	plan->length = len > 0 ? (uint64_t)len : 0;
	plan->send_body = !head_only;
	plan->content_type = HTTP_ERROR_PAGE_TYPE;
}

void respond_plan_error(int status, bool head_only, struct response_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan_error_page(status, head_only, plan);
	plan->close = true;
}

static int status_for_path_error(int err)
{
	switch (err) {
	case -EACCES:
		return 403;
	case -ENAMETOOLONG:
		return 414;
	default:
		return 400;
	}
}

static int status_for_open_error(int err)
{
	switch (err) {
	case -ENOENT:
	case -ENOTDIR:
		return 404;
	case -EACCES:
	case -EPERM:
		return 403;
	case -ENAMETOOLONG:
		return 414;
	case -EMFILE:
	case -ENFILE:
	case -ENOMEM:
		return 503;
	default:
		return 500;
	}
}

/* 301 to the directory's path with a '/' added. */
static void plan_directory_redirect(const char *path, bool head_only, struct response_plan *plan)
{
	long len = http_percent_encode_path(path, plan->location, sizeof(plan->location) - 1);
	if (len < 0) {
		plan->location[0] = '\0';
		plan_error_page(404, head_only, plan);
		return;
	}
	plan->location[len] = '/';
	plan->location[len + 1] = '\0';
	plan_error_page(301, head_only, plan);
}

void respond_plan_request(const struct httpd_config *config, const struct http_request *req,
                          struct response_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan->close = !req->keep_alive;
	plan->keep_alive_header = req->keep_alive && req->version_minor == 0;
	bool head_only = req->method == HTTP_METHOD_HEAD;
	if (req->method == HTTP_METHOD_OTHER) {
		plan_error_page(405, false, plan);
		plan->allow = true;
		return;
	}

	char path[DOCROOT_PATH_MAX];
	int rc = http_path_from_target(req->target, req->target_len, path, sizeof(path));
	if (rc < 0) {
		plan_error_page(status_for_path_error(rc), head_only, plan);
		return;
	}
	struct docroot_file file;
	rc = docroot_open(config->root, path, config->follow_symlinks, &file);
	if (rc == -EISDIR) {
		plan_directory_redirect(path, head_only, plan);
		return;
	}
	if (rc < 0) {
		plan_error_page(status_for_open_error(rc), head_only, plan);
		return;
	}

	plan->has_last_modified = true;
	plan->last_modified = file.st.st_mtime;
	plan->content_type = file.content_type;
	if (req->has_if_modified_since && file.st.st_mtime <= req->if_modified_since) {
		close(file.fd);
		plan->status = 304;
		plan->file_fd = -1;
		plan->content_type = NULL;
		return;
	}
	plan->status = 200;
	plan->length = (uint64_t)file.st.st_size;
	plan->send_body = !head_only;
	plan->file_fd = file.fd;
}
