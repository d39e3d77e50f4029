"""The batch floor: a plain Python loop that only parses the query lines and writes the answer
lines (the same JSON lines licensecli writes, read in beforehand); prints the loop's seconds
on stderr. Usage:
    python batch_floor.py QUERIES.jsonl ANSWERS.jsonl [--orjson] > out.jsonl
(--orjson: write with orjson, as licensecli does, rather than the json module.)
"""

import gc
import json
import sys
import time


def main() -> None:
    if sys.argv[3:] == ["--orjson"]:  # the same loop with orjson, as licensecli writes its lines
        import orjson

        def dumps(answer: object) -> str:
            return orjson.dumps(answer).decode("utf-8")
    else:

        def dumps(answer: object) -> str:
            return json.dumps(answer, ensure_ascii=False, separators=(",", ":"))

    with open(sys.argv[2], encoding="utf-8") as handle:
        answers = [json.loads(line) for line in handle]
    gc.freeze()  # the answers read in are preparation: keep the collector from rescanning them
    out = sys.stdout
    start = time.perf_counter()  # the loop only: reading the answers in is preparation
    with open(sys.argv[1], encoding="utf-8") as queries:
        for line, answer in zip(queries, answers, strict=True):
            json.loads(line)
            out.write(dumps(answer) + "\n")
    out.flush()
    sys.stderr.write(f"{time.perf_counter() - start:.6f}\n")


if __name__ == "__main__":
    main()
