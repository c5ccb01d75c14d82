_NUMERALS = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def to_roman(n):
    """Convert an integer from 1 to 3999 to a Roman numeral in standard form.

    Subtractive forms are used for 4, 9, 40, 90, 400 and 900 ("IV", "IX", "XL",
    "XC", "CD", "CM"), so 1994 is "MCMXCIV" and 3999 is "MMMCMXCIX".
    Raises ValueError for integers outside 1..3999 (0 and negative numbers
    included) and TypeError for anything that is not an int.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"expected an int, got {type(n).__name__}")
    if n > 3999:
        raise ValueError(f"{n} is outside 1..3999")
    out = []
    for value, numeral in _NUMERALS:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)
