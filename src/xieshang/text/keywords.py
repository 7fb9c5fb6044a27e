"""The words customers use: keywords of Chinese free text by jieba (TF-IDF against jieba's own IDF
table), plain word counts for English. Each word is reported with the number of answers using it."""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

CJK = re.compile(r"[\u4e00-\u9fff]")
EN_WORD = re.compile(r"[a-z][a-z'-]+")
EN_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "he",
        "her",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "me",
        "more",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "out",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "to",
        "too",
        "up",
        "us",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "i'm",
        "it's",
        "don't",
        "didn't",
    ]
)
ZH_STOPWORDS = frozenset(
    [
        "我们",
        "你们",
        "他们",
        "这个",
        "那个",
        "一个",
        "没有",
        "就是",
        "还是",
        "但是",
        "因为",
        "所以",
        "非常",
        "觉得",
        "可以",
        "已经",
    ]
)


def is_chinese(text: str) -> bool:
    return CJK.search(text) is not None


@cache
def _jieba() -> Any:
    """jieba, loaded once and quietly (its TF-IDF module leaves a file open when imported)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        import jieba
        import jieba.analyse

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
    return jieba


def chinese_keywords(texts: Sequence[str], top: int = 20) -> list[tuple[str, int]]:
    """The ``top`` keywords of the texts taken together, each with how many texts use it."""
    if not texts:
        return []
    jieba = _jieba()
    ranked = jieba.analyse.extract_tags("\n".join(texts), topK=top * 2)
    words = [w for w in ranked if len(w) >= 2 and is_chinese(w) and w not in ZH_STOPWORDS][:top]
    used = Counter(w for text in texts for w in set(jieba.lcut(text)) if w in words)
    return sorted(((w, used[w]) for w in words), key=lambda pair: (-pair[1], words.index(pair[0])))


def english_words(texts: Iterable[str], top: int = 20) -> list[tuple[str, int]]:
    """The ``top`` words (stop words left out) by how many texts use them."""
    used: Counter[str] = Counter()
    for text in texts:
        used.update({w for w in EN_WORD.findall(text.lower()) if w not in EN_STOPWORDS})
    return sorted(used.items(), key=lambda pair: (-pair[1], pair[0]))[:top]
