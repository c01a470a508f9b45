"""Lists in demo texts: themes in vocabulary order and as a phrase, languages without repeats."""

from __future__ import annotations

from collections.abc import Sequence

from citypartner_desktop.domain import vocab

THEME_LABEL = dict(vocab.THEMES)


def in_vocab_order(themes: Sequence[str]) -> tuple[str, ...]:
    return tuple(k for k, _ in vocab.THEMES if k in themes)


def themes_text(themes: Sequence[str]) -> str:
    """"culture", "culture and youth", "culture, sport and youth"."""
    labels = [THEME_LABEL[t].lower() for t in themes]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


def languages(*codes: str) -> str:
    """Language lists ("de, fr") joined, each code once, in order."""
    seen: list[str] = []
    for group in codes:
        for code in group.split(", "):
            if code and code not in seen:
                seen.append(code)
    return ", ".join(seen)
