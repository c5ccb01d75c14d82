def paginate(items, page, per_page=10):
    """Return one page of `items` as a dict.

    Pages are numbered from 1. The result has:
      "items":       the items on that page (a list; empty when `page` is past the last page)
      "page":        the page number asked for
      "total_pages": how many pages there are (0 for an empty list)
      "has_next":    whether there is a page after this one

    Raises ValueError when page < 1 or per_page < 1.
    """
    if page < 1 or per_page < 1:
        raise ValueError("page and per_page must be at least 1")
    total_pages = len(items) // per_page
    start = page * per_page
    return {
        "items": items[start : start + per_page],
        "page": page,
        "total_pages": total_pages,
        "has_next": page < total_pages,
    }
