"""Token estimates for previews and for providers that report no usage.

No tokenizer is bundled (the common ones download their vocabularies at run time, which an
offline or SSH box cannot do), so this is an estimate and is always labelled as one.
"""

from __future__ import annotations

import math
import re

_WORD_RE = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def estimate_tokens(text: str) -> int:
    """About 4 characters a token for English prose, never fewer than the word count."""
    if not text:
        return 0
    by_chars = math.ceil(len(text) / 4)
    by_words = len(_WORD_RE.findall(text))
    return max(by_chars, math.ceil(by_words * 0.75), 1)
