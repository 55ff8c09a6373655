/*
 * Editing long text in the user's own editor: the text goes into a private
 * temporary file (mode 0600, from mkstemp), curses steps aside while
 * $VISUAL or $EDITOR (else vi) runs on it, and the file is read back and
 * removed. The editor variable may hold arguments ("emacs -nw"), so it is
 * run by /bin/sh with the file name passed as a separate argument.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui.h"

/* Returns the whole content of the file at PATH, or NULL. */
static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char buf[4096];
	size_t n;

	if (!f)
		return NULL;
	sb_init(&sb);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_addn(&sb, buf, n);
	fclose(f);
	return sb_take(&sb);
}

char *external_edit(struct console *con, const char *text)
{
	const char *editor = getenv("VISUAL");
	const char *tmpdir = getenv("TMPDIR");
	char *path, *command, *result;
	size_t len = strlen(text);
	char *argv[6];
	int fd, status;

	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = "vi";
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";

	path = xasprintf("%s/warroom-edit-XXXXXX", tmpdir);
	fd = mkstemp(path);
	if (fd < 0) {
		ui_message(con, "Cannot create a temporary file in %s: %s; set TMPDIR to a writable "
				"folder.", tmpdir, strerror(errno));
		con->message_error = 1;
		free(path);
		return NULL;
	}
	if (write(fd, text, len) != (ssize_t)len || (len && text[len - 1] != '\n' &&
						     write(fd, "\n", 1) != 1)) {
		ui_message(con, "Cannot write the temporary file %s: %s.", path, strerror(errno));
		con->message_error = 1;
		close(fd);
		unlink(path);
		free(path);
		return NULL;
	}
	close(fd);

	command = xasprintf("%s \"$1\"", editor);
	argv[0] = "/bin/sh";
	argv[1] = "-c";
	argv[2] = command;
	argv[3] = "sh";
	argv[4] = path;
	argv[5] = NULL;
	status = console_run_program(con, argv);
	free(command);

	if (status != 0) {
		ui_message(con, "The editor (%s) failed with status %d; the text is unchanged.", editor,
			   status);
		con->message_error = 1;
		unlink(path);
		free(path);
		return NULL;
	}
	result = read_all(path);
	unlink(path);
	free(path);
	if (!result) {
		ui_message(con, "Cannot read the edited text back; the text is unchanged.");
		con->message_error = 1;
		return NULL;
	}

	/* Editors end the file with a newline that the text did not have. */
	len = strlen(result);
	if (len && result[len - 1] == '\n')
		result[len - 1] = '\0';
	return result;
}
