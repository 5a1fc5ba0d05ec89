"""Each later app adds its part of the demo here: a module with `ORDER: int` and `load(context)`.

`load_demo` imports every module in this package, sorted by ORDER (frameworks before reviews, and so on),
after the organisations, people and micro-credentials exist, inside the same transaction.
"""
