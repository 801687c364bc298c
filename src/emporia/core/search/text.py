"""Text segmentation for the search index and for queries.

Chinese has no spaces between words, so runs of Han characters are segmented
with jieba: documents with ``cut_for_search`` (the words and the shorter words
inside them: 连衣裙 → 连衣, 衣裙, 连衣裙), queries with ``cut`` (the longest
words), so every query word is also a document word. Other scripts are split
into lowercased runs of letters and digits. Punctuation, symbols and emoji are
dropped, which is also what makes hostile queries harmless: what reaches the
database is only ever word characters, each quoted.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata

import jieba

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_runs = re.compile(rf"[{HAN}]+|[^\W_{HAN}]+")
_han = re.compile(rf"^[{HAN}]+$")
_word = re.compile(r"^[^\W_]+$")

MAX_QUERY_CHARS = 200
MAX_QUERY_TOKENS = 32
MAX_TOKEN_CHARS = 64

_ready = threading.Lock()
_initialized = False


def _jieba() -> jieba.Tokenizer:
    """The shared jieba tokenizer, its dictionary loaded once and quietly."""
    global _initialized
    if not _initialized:
        with _ready:
            if not _initialized:
                jieba.setLogLevel(logging.WARNING)
                jieba.dt.initialize()
                _initialized = True
    return jieba.dt


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _segment(text: str, *, for_query: bool) -> list[str]:
    tokens: list[str] = []
    for run in _runs.findall(_normalize(text)):
        if _han.match(run):
            tk = _jieba()
            words = (
                tk.cut(run, HMM=False)
                if for_query
                else tk.cut_for_search(run, HMM=False)
            )
            tokens.extend(w for w in words if _word.match(w))
        else:
            tokens.append(run)
    return [t[:MAX_TOKEN_CHARS] for t in tokens]


def index_tokens(text: str) -> list[str]:
    """The words of a document's text, in order, repeats kept (they weigh)."""
    return _segment(text, for_query=False)


def query_tokens(text: str) -> list[str]:
    """The distinct words of a search query, at most 32, from its first 200
    characters."""
    seen: dict[str, None] = {}
    for token in _segment((text or "")[:MAX_QUERY_CHARS], for_query=True):
        seen.setdefault(token, None)
    return list(seen)[:MAX_QUERY_TOKENS]


def index_body(texts: list[str]) -> str:
    """The indexed body: every text's words, space-separated."""
    return " ".join(token for text in texts for token in index_tokens(text))
