"""The one place a figure is rounded and written: round half up to the metric's precision.

Rates are computed from integer counts with integer arithmetic, so 1/8 at no decimals is 13%,
never 12% (banker's rounding) and never off by a float error.
"""

from decimal import Decimal


def rate(numerator: int, denominator: int, precision: int, scale: int = 100) -> Decimal | None:
    """numerator ÷ denominator × scale (100 for a rate, 1 for a mean), rounded half up to
    `precision` decimals; None when there is nothing to divide by."""
    if denominator <= 0:
        return None
    scaled, remainder = divmod(numerator * scale * 10**precision, denominator)
    if 2 * remainder >= denominator:
        scaled += 1
    return Decimal(scaled).scaleb(-precision)


def value_text(value: Decimal | int | None, *, is_rate: bool, precision: int, unit: str = "%") -> str:
    if value is None:
        return "—"
    if is_rate:
        return f"{Decimal(value):.{precision}f}{unit}"
    return f"{int(value)}件"
