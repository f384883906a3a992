#!/usr/bin/python3
"""Executes chapter notebooks headlessly on the `java` kernel and fails on any error output.

Usage: execute.py [--quick] --out DIR NOTEBOOK...

Each notebook runs in its own folder (so relative paths behave as in Jupyter) and the executed
copy is written to DIR; the notebooks in the repository are never modified here. With --quick
the kernel sees LLMBOOK_QUICK=1, which notebooks read to shrink step counts (never code paths).
"""
import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError


def coalesce_streams(nb):
    """Merges consecutive stdout (or stderr) outputs of a cell into one, as Jupyter's front-end
    shows them: a printf writes in several pieces, and the book should show one block of text."""
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                    and merged[-1].get("name") == out.get("name")):
                merged[-1]["text"] += out["text"]
            else:
                merged.append(out)
        for out in merged:
            if out.get("output_type") == "stream" and "\r" in out["text"]:
                out["text"] = redraw(out["text"])
        if "outputs" in cell:
            cell["outputs"] = merged


def redraw(text):
    """What a terminal or Jupyter shows for text with carriage returns: on each line, only what was
    written after the last \\r survives (a progress bar redrawn in place keeps its final state)."""
    lines = []
    for line in text.split("\n"):
        parts = [p for p in line.replace("\x1b[K", "").split("\r") if p]   # ESC[K (erase line) is moot once collapsed
        lines.append(parts[-1] if parts else "")
    return "\n".join(lines)


def errors_in(nb):
    """(cell number, text) for every error output, including errors printed by the kernel to stderr."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append((i, f"{out.get('ename')}: {out.get('evalue')}"))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="set LLMBOOK_QUICK=1 for the kernel")
    ap.add_argument("--out", required=True, help="folder for the executed copies")
    ap.add_argument("--timeout", type=int, default=3600, help="seconds allowed per cell")
    ap.add_argument("notebooks", nargs="+")
    args = ap.parse_args()

    if args.quick:
        os.environ["LLMBOOK_QUICK"] = "1"
    else:
        os.environ.pop("LLMBOOK_QUICK", None)
    os.makedirs(args.out, exist_ok=True)
    failed = []
    for path in args.notebooks:
        name = os.path.basename(path)
        nb = nbformat.read(path, as_version=4)
        kernel = nb.metadata.get("kernelspec", {}).get("name", "java")
        t0 = time.time()
        client = NotebookClient(nb, timeout=args.timeout, kernel_name=kernel,
                                resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
        problem = None
        try:
            client.execute()
        except CellTimeoutError as e:
            problem = f"a cell ran longer than {args.timeout} s: {str(e).splitlines()[0] if str(e) else ''}"
        except CellExecutionError as e:
            problem = str(e).strip().splitlines()[-1] if str(e).strip() else "a cell raised an error"
        except Exception as e:  # kernel died, could not start, ...
            problem = f"{type(e).__name__}: {e}"
        coalesce_streams(nb)
        errs = errors_in(nb)
        nbformat.write(nb, os.path.join(args.out, name))
        secs = time.time() - t0
        if problem or errs:
            failed.append(name)
            print(f"FAIL {name} ({secs:.0f} s)")
            for i, text in errs:
                print(f"     cell {i}: {text}")
            if problem and not errs:
                print(f"     {problem}")
        else:
            print(f"ok   {name} ({secs:.0f} s, {len(nb.cells)} cells)")
        sys.stdout.flush()
    print(f"notebooks: {len(args.notebooks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
