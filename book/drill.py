#!/usr/bin/python3
"""./llmbook drill: the interview questions in the terminal, one at a time.

Usage: ./llmbook drill [--chapter N] [--random] [--count K] [--seed S] [--record FILE]

Shows a question and waits for Enter; then shows the book's short answer and where the experiment
is (notebook section, library classes, exercise), and asks "knew it? [y/n/q]". Each answer is
appended at once to a plain file, .llmbook/drill.tsv by default (date, question, yes/no; ignored by
git), so quitting loses nothing. At the end: how many you knew, and your weakest chapters.

Only questions the book answers already are asked (the others' chapters are not written yet).
Reads its input line by line, so it works with a pipe too: printf '\\ny\\n\\nn\\n' | ./llmbook drill

  --chapter N   only the questions of chapter N (may be repeated)
  --random      in a random order (default: the book's order)
  --count K     at most K questions
  --seed S      the random order's seed (with --random), to repeat a drill
  --record FILE where to append the record (default .llmbook/drill.tsv)
"""
import argparse
import datetime
import os
import random
import re
import shutil
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import questions as qindex  # noqa: E402

RECORD = os.path.join(qindex.ROOT, ".llmbook", "drill.tsv")


def fail(msg):
    print(f"drill: {msg}", file=sys.stderr)
    sys.exit(2)


def parse(argv):
    ap = argparse.ArgumentParser(prog="./llmbook drill", description=__doc__.split("\n\n", 2)[2],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, add_help=True,
                                 usage="./llmbook drill [--chapter N] [--random] [--count K] [--seed S] [--record FILE]")
    ap.add_argument("--chapter", type=int, action="append", metavar="N", help=argparse.SUPPRESS)
    ap.add_argument("--random", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--count", type=int, metavar="K", help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, metavar="S", help=argparse.SUPPRESS)
    ap.add_argument("--record", default=RECORD, metavar="FILE", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.count is not None and args.count < 1:
        ap.error(f"--count must be at least 1, got {args.count}")
    return args


def pick(questions, args):
    """The questions to ask, in order: answered ones, of the chosen chapters, ordered, cut to --count."""
    answered = [q for _, qs in qindex.by_chapter(questions) for q in qs if q.answer]
    if args.chapter:
        have = sorted({q.chapter for q in answered})
        for c in args.chapter:
            if c not in have:
                planned = {q.chapter for q in questions}
                why = "its text is not written yet" if c in planned else "it has no interview questions"
                fail(f"chapter {c} has no answered questions ({why}); chapters with answers: "
                     + ", ".join(map(str, have)))
        answered = [q for q in answered if q.chapter in args.chapter]
    if args.random:
        random.Random(args.seed).shuffle(answered)
    return answered[:args.count] if args.count else answered


def wrap(text, indent="  "):
    width = max(40, min(100, shutil.get_terminal_size((100, 24)).columns) - 1)
    return textwrap.fill(qindex.plain(text), width, initial_indent=indent, subsequent_indent=indent)


def where(q):
    """The lines telling where the question is explained, measured, implemented and practised."""
    lines = []
    if q.book:
        lines.append(f"  book:      {q.book.path}, \"{q.book.section}\"")
    if q.notebook:
        nb = q.notebook
        lines.append(f"  notebook:  {nb.path}" + (f", section \"{nb.section}\"" if nb.section else ""))
    if q.classes:
        more = f" and {len(q.classes) - 4} more" if len(q.classes) > 4 else ""
        lines.append("  library:   " + ", ".join(c.label for c in q.classes[:4]) + more
                     + f"  ({q.classes[0].path})")
    if q.exercises:
        chapter = int(re.search(r"/ch(\d\d)/", q.exercises[0].path).group(1))
        lines.append("  exercise:  " + ", ".join(e.label for e in q.exercises) + f"  (./llmbook grade {chapter})")
    return lines


class Record:
    """The drill record: one line per answer, appended and flushed at once."""

    def __init__(self, path):
        self.path = path
        d = os.path.dirname(os.path.abspath(path))
        try:
            os.makedirs(d, exist_ok=True)
            new = not os.path.exists(path) or os.path.getsize(path) == 0
            self.f = open(path, "a", encoding="utf-8")
        except OSError as e:
            fail(f"cannot write the record {path}: {e.strerror}")
        if new:
            self.f.write("# date\tquestion\tknew\n")
            self.f.flush()

    def add(self, q, knew):
        stamp = datetime.datetime.now().isoformat(timespec="seconds")
        self.f.write(f"{stamp}\tQ{q.n}\t{'yes' if knew else 'no'}\n")  # one write: a whole line or nothing
        self.f.flush()
        os.fsync(self.f.fileno())


def ask(prompt):
    """One line of input after PROMPT, stripped and lower-cased; None at end of input."""
    print(prompt, end="", flush=True)
    line = sys.stdin.readline()
    if not line:
        print()
        return None
    if not sys.stdin.isatty():
        print()  # the piped answer is not echoed: end the prompt's line
    return line.strip().lower()


def summary(results, chapters):
    """The closing lines: how many known, and the chapters with the lowest share known."""
    if not results:
        return ["no question answered."]
    knew = sum(1 for _, k in results if k)
    lines = [f"knew {knew} of {len(results)}."]
    per = {}
    for q, k in results:
        per.setdefault(q.chapter, []).append(k)
    weak = sorted((sum(ks) / len(ks), c, ks) for c, ks in per.items() if not all(ks))
    if weak:
        lines.append("weakest chapters: " + "; ".join(
            f"{c} {qindex.chapter_title(c, chapters)} ({sum(ks)} of {len(ks)})" for _, c, ks in weak[:3]))
    else:
        lines.append("you knew every one.")
    return lines


def shown(path):
    """PATH relative to the current folder when it is under it, else absolute."""
    rel = os.path.relpath(os.path.abspath(path))
    return os.path.abspath(path) if rel.startswith("..") else rel


def main(argv):
    args = parse(argv)
    try:
        questions = qindex.build()
    except qindex.IndexProblem as e:
        fail(f"the question index: {e}")
    chosen = pick(questions, args)
    chapters = qindex.chapter_files(qindex.ROOT)
    answered = sum(1 for q in questions if q.answer)
    print(f"drill: {len(chosen)} question{'s' * (len(chosen) != 1)} ({answered} of 50 have answers so far); "
          f"record: {shown(args.record)}")
    record = Record(args.record)
    results = []
    try:
        for i, q in enumerate(chosen, 1):
            print(f"\n[{i}/{len(chosen)}] Q{q.n} (chapter {q.chapter}, {qindex.chapter_title(q.chapter, chapters)})")
            print(wrap(q.text))
            if ask("  (Enter shows the answer, q stops) ") in (None, "q", "quit"):
                break
            print(wrap(q.answer))
            print("\n".join(where(q)))
            reply = ask("knew it? [y/n/q] ")
            while reply is not None and reply not in ("y", "yes", "n", "no", "q", "quit"):
                reply = ask("  please answer y (knew it), n (did not) or q (stop): ")
            if reply is None or reply in ("q", "quit"):
                break
            knew = reply in ("y", "yes")
            record.add(q, knew)
            results.append((q, knew))
    except KeyboardInterrupt:
        print()
    print("\n" + "\n".join(summary(results, chapters)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
