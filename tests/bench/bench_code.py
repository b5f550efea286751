"""Throughput of `gtlint scan` on a synthetic tree of Python files and notebooks, against bare `ast.parse`.

    python tests/bench/bench_code.py [--files 2000] [--runs 3] [--jobs-percent 3]

Files are about 120 lines each (half scripts, a quarter notebooks, a quarter modules); a few
percent create labeling jobs, some of them built across statements and cells. Prints the median
wall time of `gtlint.scan` and of parsing the same sources with `ast.parse`, files and MiB per
second, and their ratio, as a table and JSON.
"""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from gtlint.scan import scan
from gtlint.sources.notebook import code_cells, python_of

FILLER = '''
def transform_{n}(records, threshold={n}):
    """Filter and reshape records for the downstream step."""
    result = []
    for record in records:
        if record.get("score", 0) > threshold:
            result.append({{"id": record["id"], "score": record["score"] * 2, "tags": sorted(record.get("tags", []))}})
    return result

'''
JOB = '''
import boto3

USE_AUTOLABEL = True
sagemaker = boto3.client("sagemaker")
request = {{
    "LabelingJobName": "job-{n}",
    "LabelAttributeName": "label",
    "RoleArn": "arn:aws:iam::111122223333:role/GroundTruthExecution",
    "InputConfig": {{"DataSource": {{"S3DataSource": {{"ManifestS3Uri": "s3://bucket/{n}.manifest"}}}}}},
    "OutputConfig": {{"S3OutputPath": "s3://bucket/out/{n}/"}},
}}
if USE_AUTOLABEL:
    request["LabelingJobAlgorithmsConfig"] = {{"LabelingJobAlgorithmSpecificationArn": "arn:aws:sagemaker:x"}}
sagemaker.create_labeling_job(**request)
'''


def python_source(index: int, with_job: bool) -> str:
    body = "import json\nimport os\n" + "".join(FILLER.format(n=index * 10 + part) for part in range(12))
    return body + (JOB.format(n=index) if with_job else "")


def notebook_source(index: int, with_job: bool) -> str:
    filler = "import json\n" + "".join(FILLER.format(n=index * 10 + part) for part in range(4))
    cells = [filler, "%pip install boto3\n!ls", *(JOB.format(n=index).split("\nif "))]
    if not with_job:
        cells = cells[:2]
    else:
        cells[-1] = "if " + cells[-1]
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": [line + "\n" for line in cell.split("\n")]} for cell in cells]}, indent=1)


def corpus(root: Path, files: int, jobs_percent: float) -> list[Path]:
    every = max(int(100 / jobs_percent), 1) if jobs_percent else 0
    paths = []
    for index in range(files):
        with_job = bool(every) and index % every == 0
        folder = root / f"package_{index // 100}"
        folder.mkdir(exist_ok=True)
        if index % 4 == 3:
            path = folder / f"notebook_{index}.ipynb"
            path.write_text(notebook_source(index, with_job), encoding="utf-8")
        else:
            path = folder / f"module_{index}.py"
            path.write_text(python_source(index, with_job), encoding="utf-8")
        paths.append(path)
    return paths


def bare_parse(paths: list[Path]) -> None:
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            for cell in code_cells(json.loads(text)):
                ast.parse(python_of(cell))
        else:
            ast.parse(text)


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs-percent", type=float, default=3.0)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = corpus(root, options.files, options.jobs_percent)
        size = sum(path.stat().st_size for path in paths) / 2**20
        result = scan([str(root)])
        gtlint = median_seconds(lambda: scan([str(root)]), options.runs)
        parse = median_seconds(lambda: bare_parse(paths), options.runs)
    figures = {
        "files": options.files, "mib": round(size, 1), "requests": result.requests,
        "gtlint_seconds": round(gtlint, 3), "gtlint_files_per_second": round(options.files / gtlint),
        "gtlint_mib_per_second": round(size / gtlint, 1), "bare_ast_parse_seconds": round(parse, 3),
        "ratio_to_bare_parse": round(gtlint / parse, 2),
    }
    width = max(map(len, figures))
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
