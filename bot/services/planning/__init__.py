"""Planning: drafting the lists, adding and repeating tasks, stamina, the evening review."""
