"""Detection quality on the hold-out twins: bench/quality_eval.py run on another directory.

    python bench/quality_holdout_eval.py [FRAMEWORK ...]

The cases under bench/quality-holdout/cases/ were written without reading the scanner's
checks, rules, test fixtures or the tuning cases under bench/quality/cases/, and were
evaluated once, so they measure how the scanner does on code it was not tuned on.
The layout, scoring and report are those of quality_eval.py; only the directory differs.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import quality_eval  # noqa: E402

quality_eval.CASES = Path(__file__).parent / "quality-holdout" / "cases"

if __name__ == "__main__":
    sys.exit(quality_eval.main())
