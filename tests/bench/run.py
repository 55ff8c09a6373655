#!/usr/bin/env python3
"""Measure the console and the importer against the tools a user would use instead.

`make bench` runs this script. It builds its own data in a temporary
folder: incidents with 1,000, 10,000 and 100,000 timeline events, written
through the store by bench_fill, and a file of 10,000 dashboard handoffs.
Each measurement runs several times, and the table gives the medians, each
beside the alternative measured in the same run.

Programs run in pseudo-terminals of 120 x 40 cells. vt.Screen follows what
they draw, so "the screen shows X" is decided from the cells. Every time is
taken from the byte stream with time.monotonic(), which is CLOCK_MONOTONIC,
the clock that bench_fill reports its commits in.

Nothing here sleeps to measure: a screen counts as complete when its marker
text is on it, and a redraw as finished when its expected text is on the
screen and no byte followed for the quiet period (the quiet period itself is
not counted).
"""
import argparse
import fcntl
import json
import os
import platform
import pty
import random
import re
import resource
import selectors
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

# The source tree may be read-only (make distcheck), so no __pycache__ is written beside vt.py.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vt  # noqa: E402

ROWS, COLS = 40, 120
QUIET = 0.05          # seconds without output that end a redraw
TIMEOUT = 30.0        # seconds before a wait is reported as failed
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class BenchError(Exception):
    """An error that stops one measurement; its row shows the message."""


class Term:
    """A program in its own pseudo-terminal, with its output fed to a vt.Screen."""

    def __init__(self, argv, env, rows=ROWS, cols=COLS):
        self.argv = argv
        self.screen = vt.Screen(rows, cols)
        self.bytes = 0
        self.last_output = None
        self.rusage = None
        self.status = None
        self.start = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid = pid
        self.fd = fd
        os.set_blocking(fd, False)

    def read(self):
        """Read the waiting output; return the bytes, b"" at the end, None when nothing waits."""
        try:
            data = os.read(self.fd, 65536)
        except BlockingIOError:
            return None
        except OSError:
            data = b""
        if data:
            self.last_output = time.monotonic()
            self.bytes += len(data)
            self.screen.feed(data)
        else:
            self.close_fd()
        return data

    def close_fd(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def pump(self, timeout):
        """Wait up to TIMEOUT seconds for output and read it; return False when none came."""
        if self.fd is None:
            return False
        sel = selectors.DefaultSelector()
        sel.register(self.fd, selectors.EVENT_READ)
        ready = sel.select(timeout)
        sel.close()
        if not ready:
            return False
        data = self.read()
        return data is None or len(data) > 0

    def wait_for(self, predicate, what, timeout=TIMEOUT):
        """Read until PREDICATE(screen) holds; return the time the deciding bytes arrived."""
        deadline = time.monotonic() + timeout
        while not predicate(self.screen):
            left = deadline - time.monotonic()
            if left <= 0 or self.fd is None:
                raise BenchError(f"{os.path.basename(self.argv[0])}: timed out waiting for {what}")
            self.pump(left)
        return self.last_output

    def settle(self, quiet=QUIET):
        """Read until no byte comes for QUIET seconds; return the time of the last byte."""
        while self.pump(quiet):
            pass
        return self.last_output

    def send(self, keys):
        """Write KEYS to the program; return the time just before the write."""
        t = time.monotonic()
        os.write(self.fd, keys)
        return t

    def finish(self, keys=None, timeout=10.0):
        """Send KEYS (or SIGTERM), read to the end and reap the program; return its rusage."""
        if self.rusage is not None:
            return self.rusage
        if self.fd is not None:
            if keys is not None:
                os.write(self.fd, keys)
            else:
                os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, rusage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
            self.pump(0.05)
        self.close_fd()
        self.status = status
        self.rusage = rusage
        return rusage

    def peak_memory(self):
        """Return the peak resident set size (VmHWM) of the running program, in KiB.

        getrusage's ru_maxrss would include the Python process that the program
        was forked from, because the maximum survives exec. VmHWM is the program's own.
        """
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        raise BenchError(f"no VmHWM in /proc/{self.pid}/status")

    def cpu_seconds(self, children=False):
        """Return utime + stime from /proc/PID/stat, plus the reaped children's when CHILDREN."""
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # Fields 14-17 of proc(5) are utime, stime, cutime, cstime; FIELDS starts at field 3.
        ticks = int(fields[11]) + int(fields[12])
        if children:
            ticks += int(fields[13]) + int(fields[14])
        return ticks / CLOCK_TICKS


def pump_all(terms, seconds):
    """Read every terminal's output for SECONDS, so that no program blocks on a full pty."""
    sel = selectors.DefaultSelector()
    for t in terms:
        if t.fd is not None:
            sel.register(t.fd, selectors.EVENT_READ, t)
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        for key, _ in sel.select(left):
            term = key.data
            if not term.read() and term.fd is None:
                sel.unregister(key.fd)
    sel.close()


def console_drawn(screen):
    """Return whether the console's first screen is complete.

    curses writes rows top to bottom, so the key hints on the last row come after the
    timeline. The timeline's own newest rows are no marker, because taking command adds
    an event each time the console opens.
    """
    return "quit" in screen.row(ROWS - 1) and screen.contains("Timeline (")


def median(values):
    return statistics.median(values) if values else float("nan")


def percentile(values, p):
    """Return the nearest-rank percentile P (0-100) of VALUES."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


# Data --------------------------------------------------------------------

class Bench:
    def __init__(self, args):
        self.args = args
        self.warroom = os.path.abspath(args.warroom)
        self.fill = os.path.abspath(args.fill)
        self.guard_corpus = os.path.abspath(args.guard_corpus)
        self.srcdir = os.path.abspath(args.srcdir)
        self.playbook = os.path.join(self.srcdir, "data", "playbook.cfg")
        self.tmp = tempfile.mkdtemp(prefix="warroom-bench.")
        self.db = os.path.join(self.tmp, "bench.db")
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.tmp,
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",
            "WARROOM_DB": self.db,
            "WARROOM_PLAYBOOK": self.playbook,
            "WARROOM_ACTOR": "bench",
        }
        self.incidents = {}   # events -> incident id
        self.has_viewer = None
        self.rows = []

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def wr(self, *args, check=True, **kw):
        return subprocess.run([self.warroom, *args], env=self.env, check=check,
                              capture_output=True, **kw)

    def make_data(self):
        fixtures = sorted(os.listdir(os.path.join(self.srcdir, "tests", "fixtures")))
        fixtures = [os.path.join(self.srcdir, "tests", "fixtures", f) for f in fixtures
                    if f.endswith(".json")]
        for n, fixture in zip((1000, 10000, 100000), fixtures):
            result = subprocess.run([self.warroom, "import", fixture], check=True,
                                    capture_output=True, text=True,
                                    env=dict(self.env, WARROOM_NOW="2026-03-02T07:50:00Z"))
            incident = result.stdout.split("\t")[0]
            subprocess.run([self.fill, "--db", self.db, "--incident", incident, "--events", str(n)],
                           check=True, capture_output=True, env=self.env)
            self.incidents[n] = incident
        self.big = self.incidents[100000]
        self.log_file = os.path.join(self.tmp, "timeline.txt")
        with open(self.log_file, "wb") as f:
            subprocess.run([self.warroom, "log", self.big], check=True, stdout=f, env=self.env)

        # 10,000 handoffs: the bundled ones in turn, each with its own reference.
        templates = []
        for path in fixtures:
            with open(path, encoding="utf-8") as f:
                templates.append(json.load(f))
        handoffs = []
        for i in range(10000):
            h = dict(templates[i % len(templates)])
            h["reference"] = f"BENCH-{i:05d}"
            h["summary"] = f"{h['summary']} (site {i % 97})"
            handoffs.append(h)
        self.handoffs = os.path.join(self.tmp, "handoffs.json")
        with open(self.handoffs, "w", encoding="utf-8") as f:
            json.dump(handoffs, f)

    def next_tag(self, incident):
        """Append one event to INCIDENT through the store; return its tag and commit time."""
        self.tags[incident] = self.tags.get(incident, self.base_count(incident)) + 1
        k = self.tags[incident]
        result = subprocess.run([self.fill, "--db", self.db, "--incident", incident, "--events", "1",
                                 "--first", str(k), "--start", "2026-03-10T09:00:00Z"],
                                check=True, capture_output=True, text=True, env=self.env)
        committed = float(result.stdout.split()[1])
        return f"#{k:07d}", committed

    def base_count(self, incident):
        for n, inc in self.incidents.items():
            if inc == incident:
                return n
        raise KeyError(incident)

    def open_console(self, incident):
        return Term([self.warroom, "open", incident], self.env)

    def open_viewer(self, incident):
        """Start the read-only viewer (`warroom view ID`); raise BenchError when there is none."""
        if self.has_viewer is None:
            result = subprocess.run([self.warroom, "view", "--help"], env=self.env,
                                    capture_output=True)
            self.has_viewer = result.returncode == 0
        if not self.has_viewer:
            raise BenchError("viewer not available (`warroom view` is missing)")
        return Term([self.warroom, "view", incident], self.env)

    # Measurements --------------------------------------------------------

    def row(self, name, target, value, passed, beside="", note=""):
        self.rows.append((name, target, value, passed, beside, note))
        print(f"# {name}: {value}{'  ' + beside if beside else ''}", file=sys.stderr, flush=True)

    def first_screen(self):
        """Time start to first complete screen, and take the peak memory of the same runs."""
        runs = self.args.runs
        last = "#0100000"
        console_times, console_rss = [], []
        for _ in range(runs):
            t = self.open_console(self.big)
            done = t.wait_for(console_drawn, "the console's first screen")
            console_times.append(done - t.start)
            t.settle()
            console_rss.append(t.peak_memory())
            t.finish(b"q")

        query = ("SELECT at, actor, kind, details FROM (SELECT id, at, actor, kind, details "
                 f"FROM events WHERE incident_id = '{self.big}' ORDER BY id DESC LIMIT {ROWS - 2})"
                 " ORDER BY id")
        sqlite_times = []
        for _ in range(runs):
            t = Term(["sqlite3", "-readonly", self.db, query], self.env)
            done = t.wait_for(lambda s: s.contains_wrapped(last), "sqlite3's last row")
            sqlite_times.append(done - t.start)
            t.finish()

        less_times, less_rss = [], []
        if shutil.which("less"):
            env = dict(self.env)
            env.pop("LESS", None)
            for _ in range(runs):
                t = Term(["less", "+G", self.log_file], env)
                done = t.wait_for(lambda s: s.contains_wrapped(last) and "(END)" in s.row(ROWS - 1),
                                  "less at the end of the file")
                less_times.append(done - t.start)
                t.settle()
                less_rss.append(t.peak_memory())
                t.finish(b"q")

        # The read-only viewer opens the same screen without taking command (no write).
        viewer_times = []
        try:
            for _ in range(runs):
                t = self.open_viewer(self.big)
                done = t.wait_for(console_drawn, "the viewer's first screen")
                viewer_times.append(done - t.start)
                t.settle()
                t.finish(b"q")
        except BenchError as e:
            viewer_note = str(e)
        else:
            viewer_note = f"warroom view {ms(median(viewer_times))}"

        c, q = median(console_times), median(sqlite_times)
        beside = f"sqlite3 {ms(q)} (x{c / q:.1f})"
        passed = c <= 1.5 * q
        if less_times:
            lq = median(less_times)
            beside += f"; less +G {ms(lq)} (x{c / lq:.2f})"
            passed = passed and c <= lq
        else:
            beside += "; less not installed"
        self.row("start to first complete screen, 100,000 events, 120x40 (warroom open)",
                 "<= 1.5x sqlite3, <= less +G", ms(c), passed, beside, viewer_note)

        rss = median(console_rss) / 1024
        beside = f"less {median(less_rss) / 1024:.1f} MB" if less_rss else "less not installed"
        self.row("peak memory of the console, 100,000 events", "<= 8 MB", f"{rss:.1f} MB",
                 rss <= 8, beside)

    def keystroke(self):
        """Time PgUp on the focused timeline, from the key's write to the redraw's last byte."""
        results = []
        for n in (1000, 10000, 100000):
            t = self.open_console(self.incidents[n])
            t.wait_for(console_drawn, "the console's first screen")
            t.settle()
            t.send(b"t")
            t.settle()

            def bottom_tag(screen):
                tags = [int(m) for line in screen.text() for m in re.findall(r"#(\d{7})", line)]
                return max(tags) if tags else None

            # One untimed PgUp leaves the follow mode. Once the timeline is scrolled, the
            # "newer" mark may hide the bottom event's tag. So a redraw counts as arrived when
            # the highest tag shown fell by two or more, because a page is ten events or more.
            t.send(b"\x1b[5~")
            t.settle()
            times = []
            for _ in range(self.args.keys):
                before = bottom_tag(t.screen)
                if before is None or before < 100:
                    raise BenchError(f"the timeline shows no event tag to page from ({before})")
                sent = t.send(b"\x1b[5~")
                t.wait_for(lambda s, b=before: (bottom_tag(s) or b) <= b - 2,
                           f"the timeline to page up from #{before}")
                done = t.settle()
                times.append(done - sent)
            t.finish(b"q")
            results.append((n, median(times)))
        worst = max(v for _, v in results)
        growth = results[-1][1] / results[0][1]
        value = ", ".join(f"{n // 1000}k: {ms(v)}" for n, v in results)
        self.row("keystroke to redrawn screen, PgUp in the timeline", "<= 5 ms, flat",
                 value, worst <= 0.005 and growth < 2, "", f"100k/1k = x{growth:.2f}")

    def event_bytes(self):
        """Count the bytes a viewer writes to its terminal when one event is added.

        The row measures the viewer's default screen, the timeline alone at full width. The
        note gives the same count for the layout that `t` switches to, the step pane with the
        timeline beside it. There curses rewrites most of the timeline's rows for each event,
        because a terminal scrolls only rows of the full width.
        """
        incident = self.incidents[1000]

        def full_width(screen):
            # Row 4 is the body's first row: the timeline's title at column 0, or the pane's text.
            return screen.row(4).startswith(" Timeline (")

        def added_event_bytes(t, wrapped=False, quiet=0.2):
            """Return the median bytes T writes per added event; WRAPPED finds a tag split over rows."""
            counts = []
            for _ in range(self.args.runs):
                before = t.bytes
                tag, _ = self.next_tag(incident)
                t.wait_for(lambda s: s.contains_wrapped(tag) if wrapped else s.contains(tag),
                           f"event {tag}", timeout=10)
                t.settle(quiet)
                counts.append(t.bytes - before)
            return median(counts)

        t = self.open_viewer(incident)
        t.wait_for(lambda s: "quit" in s.row(ROWS - 1), "the console's first screen")
        t.settle(0.3)
        if not full_width(t.screen):
            t.finish(b"q")
            raise BenchError("the viewer did not open on the full-width timeline")
        value = added_event_bytes(t)
        t.finish(b"q")

        t = self.open_viewer(incident)
        t.wait_for(lambda s: "quit" in s.row(ROWS - 1), "the console's first screen")
        t.settle(0.3)
        t.send(b"t")
        t.wait_for(lambda s: "Timeline (" in s.row(4) and not full_width(s),
                   "the step pane with the timeline beside it")
        t.settle(0.3)
        beside_bytes = added_event_bytes(t)
        t.finish(b"q")
        note = (f"timeline alone at full width (the default); pane with the timeline beside "
                f"(`t`): {beside_bytes:.0f} bytes")

        beside = "watch not installed"
        if shutil.which("watch"):
            # Each event takes at most two rows at this width, so the last ROWS / 2 fit.
            cmd = f"'{self.warroom}' log {incident} | tail -n {ROWS // 2}"
            w = Term(["watch", "-t", "-n", "1", cmd], self.env)
            w.wait_for(lambda s: s.contains_wrapped(f"#{self.tags[incident]:07d}"),
                       "watch's first screen")
            w.settle(0.3)
            watch_bytes = added_event_bytes(w, wrapped=True, quiet=0.3)
            w.finish()
            beside = f"watch -n 1 'warroom log | tail': {watch_bytes:.0f} bytes"
        self.row("bytes written to a viewer when one event is added", "<= 400 bytes", f"{value:.0f} bytes",
                 value <= 400, beside, note)

    def change_latency(self):
        """Time another process's commit until the change shows on each of 20 viewers."""
        incident = self.incidents[1000]
        terms = [self.open_viewer(incident) for _ in range(20)]
        for t in terms:
            t.wait_for(lambda s: "quit" in s.row(ROWS - 1), "the console's first screen")
        pump_all(terms, 0.5)
        latencies = []
        rng = random.Random(1)
        for _ in range(self.args.writes):
            # Spread the commits over the phase of the viewers' one-second timer.
            pump_all(terms, rng.uniform(0.2, 1.2))
            tag, committed = self.next_tag(incident)
            for t in terms:
                seen = t.wait_for(lambda s: s.contains(tag), f"event {tag}", timeout=10)
                latencies.append(seen - committed)
        for t in terms:
            t.finish(b"q")
        p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
        self.row("change by another process to visible, 20 viewers", "p99 <= 250 ms",
                 f"p99 {ms(p99)}", p99 <= 0.25, f"p50 {ms(p50)}, {len(latencies)} samples")

    def idle_cpu(self):
        """Sum the CPU time of 100 idle viewers over 30 s, beside 100 `watch -n 1`."""
        incident = self.incidents[1000]
        seconds = self.args.idle_seconds

        def measure(make, children):
            terms = []
            try:
                for _ in range(100):
                    terms.append(make())
                pump_all(terms, 3)
                before = sum(t.cpu_seconds(children) for t in terms)
                pump_all(terms, seconds)
                after = sum(t.cpu_seconds(children) for t in terms)
            finally:
                for t in terms:
                    t.finish()
            return after - before

        used = measure(lambda: self.open_viewer(incident), False)
        beside = "watch not installed"
        if shutil.which("watch"):
            cmd = f"'{self.warroom}' log {incident} | tail -n {ROWS // 2}"
            watch_used = measure(lambda: Term(["watch", "-t", "-n", "1", cmd], self.env), True)
            beside = f"100 x watch -n 1 'warroom log | tail': {watch_used:.2f} s"
        self.row(f"CPU of 100 idle viewers over {seconds} s", "<= 1 s", f"{used:.2f} s",
                 used <= 1, beside)

    def timed_runs(self, argv, stdin=None):
        """Run ARGV self.args.runs times; return the median wall and CPU (user + system) seconds."""
        walls, cpus = [], []
        for _ in range(self.args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.monotonic()
            subprocess.run(argv, input=stdin, check=True, stdout=subprocess.DEVNULL, env=self.env)
            walls.append(time.monotonic() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        return median(walls), median(cpus)

    def import_handoffs(self):
        walls, cpus = [], []
        for i in range(self.args.runs):
            db = os.path.join(self.tmp, f"import-{i}.db")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.monotonic()
            subprocess.run([self.warroom, "--db", db, "import", self.handoffs], check=True,
                           stdout=subprocess.DEVNULL, env=self.env)
            walls.append(time.monotonic() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        wall, cpu = median(walls), median(cpus)
        self.row("import of 10,000 handoffs", "<= 2 s", f"{wall:.2f} s", wall <= 2,
                 "", f"CPU {cpu:.2f} s")

    def guardrails(self):
        def measure(corpus, column, name):
            with open(corpus, "rb") as f:
                data = f.read()
            count = data.count(b"\n") - 1
            wall, cpu = self.timed_runs([self.guard_corpus, "--playbook", self.playbook,
                                         "--column", column], stdin=data)
            self.row(name.format(count=f"{count:,}"), "<= 0.5 s", f"{wall * 1000:.0f} ms",
                     wall <= 0.5, "", f"CPU {cpu * 1000:.0f} ms; each update checked alone")

        corpus = self.args.status_updates
        if corpus and os.path.exists(corpus):
            measure(corpus, "6", "guardrail check of {count} real status updates")
        else:
            reason = f"{corpus} not found" if corpus else "BENCH_STATUS_UPDATES not set"
            self.row("guardrail check of the 4,144 real status updates", "<= 0.5 s",
                     f"skipped: {reason}", None)
        measure(os.path.join(self.srcdir, "tests", "guard", "labelled.tsv"), "2",
                "guardrail check of {count} labelled status updates (tests/guard/labelled.tsv)")


def machine():
    """Return one line per fact about the machine that the run is on."""
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = "unknown"
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    cc = os.environ.get("CC", "cc")
    try:
        compiler = subprocess.run([cc, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        compiler = "unknown"
    return [f"cpus: {os.cpu_count()} ({model})", f"memory: {memory}",
            f"kernel: {platform.system()} {platform.release()}", f"compiler: {compiler}",
            f"sqlite3: {subprocess.run(['sqlite3', '-version'], capture_output=True, text=True).stdout.split(' ')[0]}"]


def print_table(rows):
    print("| measurement | target | measured | met | measured beside | note |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, target, value, passed, beside, note in rows:
        met = {True: "yes", False: "NO", None: "-"}[passed]
        print(f"| {name} | {target} | {value} | {met} | {beside or '-'} | {note or '-'} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warroom", required=True, help="the warroom binary")
    parser.add_argument("--fill", required=True, help="the bench_fill binary")
    parser.add_argument("--guard-corpus", required=True, help="the guard_corpus binary")
    parser.add_argument("--srcdir", default=".", help="the top folder of the source tree")
    parser.add_argument("--status-updates", help="a TSV of status updates, the text in column 6 (optional)")
    parser.add_argument("--runs", type=int, default=7, help="repetitions of each measurement")
    parser.add_argument("--keys", type=int, default=11, help="timed keystrokes per timeline size")
    parser.add_argument("--writes", type=int, default=10, help="commits timed on the 20 viewers")
    parser.add_argument("--idle-seconds", type=int, default=30, help="length of the idle CPU window, in seconds")
    parser.add_argument("--only", help="comma-separated measurements to run (default: all)")
    args = parser.parse_args()

    steps = ["first_screen", "keystroke", "event_bytes", "change_latency", "idle_cpu",
             "import_handoffs", "guardrails"]
    if args.only:
        steps = [s for s in steps if s in args.only.split(",")]

    bench = Bench(args)
    bench.tags = {}
    load_start = os.getloadavg()[0]
    try:
        print("# building the data: 111,000 events and 10,000 handoffs", file=sys.stderr, flush=True)
        bench.make_data()
        for step in steps:
            try:
                getattr(bench, step)()
            except BenchError as e:
                bench.row(step.replace("_", " "), "-", f"not measured: {e}", None)
    finally:
        bench.cleanup()

    for line in machine():
        print(f"# {line}")
    # Other work on the machine slows every row; the load average shows how much there was.
    print(f"# load average (1 minute): {load_start:.2f} at the start, {os.getloadavg()[0]:.2f} at the end")
    print(f"# runs per measurement: {args.runs}; PgUp presses per timeline: {args.keys}; "
          f"commits seen by the 20 viewers: {args.writes}")
    print_table(bench.rows)


if __name__ == "__main__":
    main()
