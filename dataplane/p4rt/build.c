// SPDX-License-Identifier: BSD-3-Clause
/*
 * p4x_p4rt__build(): check a P4TC program directory and compile its
 * generated C into a loadable object with the system C compiler.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "p4x/p4tc.h"
#include "p4rt_priv.h"

#ifndef P4X_P4RT_COMPAT_DIR
#error "P4X_P4RT_COMPAT_DIR must name include/p4tc-compat"
#endif

#define TMPL_SUFFIX ".template"

/* The pipeline name: the stem of the one *.template in @dir. */
static int find_name(const char *dir, char *name, size_t sz, char *err,
		     size_t errsz)
{
	struct dirent *de;
	int found = 0;
	DIR *d = opendir(dir);

	if (!d) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		return -errno;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name), s = strlen(TMPL_SUFFIX);

		if (n <= s || strcmp(de->d_name + n - s, TMPL_SUFFIX) ||
		    n - s >= sz)
			continue;
		snprintf(name, sz, "%.*s", (int)(n - s), de->d_name);
		found++;
	}
	closedir(d);
	if (found == 1)
		return 0;
	snprintf(err, errsz, "%s: %s", dir,
		 found ? "more than one *.template: one program per directory"
		       : "no *.template: not a P4TC program directory");
	return found ? -EINVAL : -ENOENT;
}

static int need(const char *dir, const char *name, const char *suffix,
		char *path, char *err, size_t errsz)
{
	snprintf(path, PATH_MAX, "%s/%s%s", dir, name, suffix);
	if (access(path, R_OK) == 0)
		return 0;
	snprintf(err, errsz,
		 "%s: %s (a program directory holds %s.template, "
		 "%s.json, %s_parser.h, %s_parser.c, %s_control_blocks.c)",
		 path, strerror(errno), name, name, name, name, name);
	return -ENOENT;
}

struct first_report {
	char *err;
	size_t errsz;
	int n;
};

static void report_first(void *arg, const struct p4x_p4tc_disagreement *d)
{
	struct first_report *r = arg;

	if (!r->n++)
		snprintf(r->err, r->errsz, "%s", d->msg);
}

/* Template vs JSON; leaves the template model in *@out. */
static int xcheck(const char *dir, const char *name, const char *tmpl,
		  const char *json, struct p4x_p4tc **out, char *err,
		  size_t errsz)
{
	struct p4x_p4tc_opts o = {.sz = sizeof(o), .introspection_dir = dir};
	struct first_report r = {err, errsz, 0};
	struct p4x_p4tc *mt = p4x_p4tc__new(&o), *mj = p4x_p4tc__new(&o);
	int ret = -ENOMEM;

	if (!mt || !mj)
		goto out;
	ret = p4x_p4tc__load_template(mt, tmpl, err, errsz);
	if (!ret)
		ret = p4x_p4tc__load_json(mj, json, err, errsz);
	if (!ret) {
		ret = p4x_p4tc__cross_check(mt, tmpl, mj, json, name,
					    report_first, &r);
		if (ret == -ENOENT)
			snprintf(err, errsz,
				 "%s: pipeline %s is not in both "
				 "%s and %s",
				 dir, name, tmpl, json);
		else if (ret > 0)
			ret = -EINVAL;
	}
out:
	p4x_p4tc__free(mj);
	if (ret)
		p4x_p4tc__free(mt);
	else
		*out = mt;
	return ret;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(f);
	return buf;
}

/* The number after @tag at or after @p, with its position; -1 none. */
static long next_num(const char *p, const char *tag, const char **at)
{
	const char *q = strstr(p, tag);

	if (!q)
		return -1;
	*at = q + strlen(tag);
	return strtol(*at, NULL, 0);
}

/*
 * Every lookup in the generated C sets ".tblid = N" in its params and
 * then "key.keysz = K" in its key: each pair must name a template table
 * with that key size.
 */
static int check_c_tables(const struct p4x_p4tc *m, const char *name,
			  const char *cfile, char *err, size_t errsz)
{
	const struct p4x_p4tc_pipeline *p = p4x_p4tc__pipeline_get(m, name);
	const struct p4x_p4tc_table_def *t;
	char *src = slurp(cfile);
	const char *at = src, *kat;
	long tblid, keysz;
	int ret = 0;

	if (!src) {
		snprintf(err, errsz, "%s: %s", cfile, strerror(errno));
		return -errno;
	}
	while (!ret && (tblid = next_num(at, ".tblid = ", &at)) >= 0) {
		keysz = next_num(at, "key.keysz = ", &kat);
		t = p4x_p4tc_pipeline__table_by_id(p, (uint32_t)tblid);
		if (!t) {
			snprintf(err, errsz,
				 "%s: looks up table id %ld, which "
				 "pipeline %s's template does not define",
				 cfile, tblid, name);
			ret = -EINVAL;
		} else if (keysz >= 0 && (uint32_t)keysz != t->keysz) {
			snprintf(err, errsz,
				 "%s: key of table %s (id %ld) is "
				 "%ld bits in the C, %u in the template",
				 cfile, t->name, tblid, keysz, t->keysz);
			ret = -EINVAL;
		}
	}
	free(src);
	return ret;
}

static int compile(const char *cc, const char *compat, const char *dir,
		   const char *name, const char *out, char *err, size_t errsz)
{
	char inc1[PATH_MAX + 2], inc2[PATH_MAX + 2], src1[PATH_MAX],
		src2[PATH_MAX];
	const char *argv[] = {cc,
			      "-std=gnu11",
			      "-O2",
			      "-shared",
			      "-fPIC",
			      "-fcommon",
			      "-Wl,-Bsymbolic",
			      "-w",
			      inc1,
			      inc2,
			      src1,
			      src2,
			      "-o",
			      out,
			      NULL};
	int status;
	pid_t pid;

	snprintf(inc1, sizeof(inc1), "-I%s", compat);
	snprintf(inc2, sizeof(inc2), "-I%s", dir);
	snprintf(src1, sizeof(src1), "%s/%s_parser.c", dir, name);
	snprintf(src2, sizeof(src2), "%s/%s_control_blocks.c", dir, name);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		execvp(cc, (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	snprintf(err, errsz, "%s: %s failed (%s %d) compiling the program", dir,
		 cc, WIFEXITED(status) ? "exit" : "signal",
		 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return -ENOEXEC;
}

static int check_dir(const char *dir, const char *name, char *err, size_t errsz,
		     struct p4x_p4tc **m)
{
	static const char *const sfx[] = {"_parser.h", "_parser.c",
					  "_control_blocks.c"};
	char tmpl[PATH_MAX], json[PATH_MAX], path[PATH_MAX];
	unsigned int i;
	int ret;

	ret = need(dir, name, TMPL_SUFFIX, tmpl, err, errsz);
	if (!ret)
		ret = need(dir, name, ".json", json, err, errsz);
	for (i = 0; !ret && i < P4X_ARRAY_SIZE(sfx); i++)
		ret = need(dir, name, sfx[i], path, err, errsz);
	if (!ret)
		ret = xcheck(dir, name, tmpl, json, m, err, errsz);
	if (ret)
		return ret;
	ret = check_c_tables(*m, name, path, err, errsz);
	if (ret)
		p4x_p4tc__free(*m);
	return ret;
}

int p4x_p4rt__build(const char *dir, const char *out_so,
		    const struct p4x_p4rt_build_opts *opts, char *err,
		    size_t errsz)
{
	const char *cc = opts && opts->cc ? opts->cc : getenv("CC");
	const char *compat = opts && opts->compat_dir ? opts->compat_dir
						      : P4X_P4RT_COMPAT_DIR;
	char name[P4X_P4TC_NAMSZ], tmp[PATH_MAX];
	struct p4x_p4tc *m;
	int ret;

	ret = find_name(dir, name, sizeof(name), err, errsz);
	if (!ret)
		ret = check_dir(dir, name, err, errsz, &m);
	if (ret)
		return ret;
	p4x_p4tc__free(m);
	snprintf(tmp, sizeof(tmp), "%s.tmp%d", out_so, (int)getpid());
	ret = compile(cc && *cc ? cc : "cc", compat, dir, name, tmp, err,
		      errsz);
	if (!ret && rename(tmp, out_so)) {
		snprintf(err, errsz, "%s: %s", out_so, strerror(errno));
		ret = -errno;
	}
	if (ret)
		unlink(tmp);
	return ret;
}
