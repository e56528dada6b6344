# ports/sqlite: the sqlite3 shell from Debian's source package, built unmodified by
# SQLite's own configure and make with CC=vmos-cc (ports/sqlite/build.sh). By default it
# runs the SQL script the port puts at /sqlite/demo.sql on a database under /tmp:
# `make run PORT=sqlite`; any other arguments as the shell takes them with ARGS='-- ...'.
PORT_BUILD_SCRIPT := $(PORT_DIR)/build.sh
PORT_CMDLINE := -- /tmp/demo.db ".read /sqlite/demo.sql"
PORT_MEM := 64M
# PORT_DISK: databases on a data disk (mount=/dev/vda:/data).
PORT_DISK := yes
