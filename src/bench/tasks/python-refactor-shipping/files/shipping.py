def shipping_cost(region, weight_kg, express=False, order_total=0.0):
    """Shipping price in EUR for one parcel.

    Each region has a base price and a price per kg. Standard shipping is free
    for orders of 100 EUR or more; express costs double and is never free.
    Raises ValueError for an unknown region or a weight that is not positive.
    """
    if weight_kg <= 0:
        raise ValueError("weight must be positive")
    if region == "EU":
        if order_total >= 100 and not express:
            return 0.0
        cost = 4.5 + 1.2 * weight_kg
        if express:
            cost = cost * 2
        return round(cost, 2)
    elif region == "UK":
        if order_total >= 100 and not express:
            return 0.0
        cost = 6.0 + 1.5 * weight_kg
        if express:
            cost = cost * 2
        return round(cost, 2)
    elif region == "US":
        if order_total >= 100 and not express:
            return 0.0
        cost = 9.0 + 2.25 * weight_kg
        if express:
            cost = cost * 2
        return round(cost, 2)
    else:
        raise ValueError(f"unknown region: {region}")
