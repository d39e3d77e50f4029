"""The batch floor: a plain Python loop that only parses the query lines and writes the answer
lines (the same JSON lines licensecli writes, read in beforehand); prints the loop's seconds
on stderr. Usage:
    python batch_floor.py QUERIES.jsonl ANSWERS.jsonl > out.jsonl
"""

import gc
import json
import sys
import time


def main() -> None:
    with open(sys.argv[2], encoding="utf-8") as handle:
        answers = [json.loads(line) for line in handle]
    gc.freeze()  # the answers read in are preparation: keep the collector from rescanning them
    out = sys.stdout
    start = time.perf_counter()  # the loop only: reading the answers in is preparation
    with open(sys.argv[1], encoding="utf-8") as queries:
        for line, answer in zip(queries, answers, strict=True):
            json.loads(line)
            out.write(json.dumps(answer, ensure_ascii=False, separators=(",", ":")) + "\n")
    out.flush()
    sys.stderr.write(f"{time.perf_counter() - start:.6f}\n")


if __name__ == "__main__":
    main()
