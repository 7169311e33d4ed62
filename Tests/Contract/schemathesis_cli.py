"""schemathesis's command line, with one interpreter bug kept out of the results.

Hypothesis names each filter it builds by parsing the source of the lambda behind it. On CPython
3.11 (this machine's python3 and Debian's) that parse, made deep in schemathesis's coverage phase,
can raise `SystemError: AST constructor recursion depth mismatch`, an interpreter bug fixed in
later CPython; the operation then ends as a "Runtime Error" though the server was never asked.
The name is only a label for reports, so here it falls back to the label Hypothesis itself uses
when it cannot read a source. Nothing else is changed. Usage: as `schemathesis`.
"""
import sys

from hypothesis.internal import lambda_sources

_describe = lambda_sources._lambda_description


def _describe_or_unknown(function):
    try:
        return _describe(function)
    except SystemError:
        return "lambda: <unknown>"


lambda_sources._lambda_description = _describe_or_unknown

from schemathesis.cli import schemathesis  # noqa: E402  (after the patch, which must come first)

if __name__ == "__main__":
    sys.exit(schemathesis())
