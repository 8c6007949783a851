"""Parts of the press benchmark (benchmarks/button_press.py)."""
