"""Pages: components only; every figure and every decision comes from the states."""
