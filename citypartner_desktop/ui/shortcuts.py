"""Keyboard shortcuts for actions, set without building PySide6's ``Qt`` namespace.

``QAction.setShortcut`` has overloads that PySide6 resolves by building the enums of the whole
``Qt`` namespace (20-40 ms) on the first call; ``setShortcuts`` does not. The window's frame
sets every menu shortcut before it is shown, so it uses this (a test checks the frame never
builds that namespace).
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

Shortcut = QKeySequence.StandardKey | str


def set_shortcut(action: QAction, key: Shortcut) -> None:
    """A standard key gets every binding the platform has for it (Delete is Del and also
    Ctrl+Backspace on macOS); a text one, such as "Ctrl+E", that one sequence."""
    if isinstance(key, QKeySequence.StandardKey):
        action.setShortcuts(key)
    else:
        action.setShortcuts([QKeySequence(key)])
