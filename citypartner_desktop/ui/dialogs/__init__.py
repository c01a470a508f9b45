"""Edit dialogs built from the entity specs."""
