def parse_duration(text):
    """Parse a duration such as "1h30m", "45s", "2d 4h" or " 1H 5M 3S " into seconds (an int).

    A duration is one or more components, each a whole number immediately
    followed by a unit: d (86400 seconds), h (3600), m (60) or s (1). Units are
    case-insensitive; components may be separated by whitespace, and leading
    or trailing whitespace is ignored. Each unit may appear at most once, and
    units must come in the order d, h, m, s. A number may exceed its unit's
    usual range ("90m" is 5400).

    Raises ValueError for anything else, for example: an empty string, a number
    without a unit ("10"), an unknown unit ("5w"), a unit without a number
    ("h"), a repeated or out-of-order unit ("1m1m", "5m1h"), a negative or
    fractional number ("-5s", "1.5h").
    """
    raise NotImplementedError("parse_duration")
