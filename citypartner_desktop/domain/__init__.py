"""Pure domain knowledge: vocabularies, field specifications, validation rules, errors.

Nothing here touches the database or Qt, so every layer may use it.
"""
