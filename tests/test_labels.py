"""The low module of labels and numbers, and the old names kept importable."""

from __future__ import annotations

from decimal import Decimal

from govreport.format import labels
from govreport.format.labels import Labels, describe_variant, fmt_number, normalise_label, total
from govreport.model import csvload


def test_normalise_and_describe() -> None:
    assert normalise_label("（一）予以公开") == normalise_label("(一) 予以公开")
    assert normalise_label("1、属于国家秘密") == normalise_label("１．属于国家秘密") == "1.属于国家秘密"
    assert describe_variant("(一)予以公开", "（一）予以公开") == "半角括号应为全角括号（）"
    assert describe_variant("3、其他", "3.其他") == "序号“3、”应为“3.”"


def test_match_exact_normalised_nearest() -> None:
    m = Labels({"open": "（一）予以公开", "other_3": "3.其他"})
    assert m.match("（一）予以公开") == ("open", False)
    assert m.match("(一)予以公开") == ("open", True)
    assert m.match("予以不公开") == (None, False)
    assert m.find("other_3") == "other_3" and m.find("3、其他") == "other_3"
    assert m.nearest("（一）予公开", ["open", "other_3"]) == "open"
    assert m.nearest("完全无关的文字", ["open"]) is None


def test_number_formatter_and_total() -> None:
    assert fmt_number(12) == "12" and fmt_number(Decimal("1.2E+1")) == "12" and fmt_number(Decimal("0.50")) == "0.50"
    assert total([1, 2, Decimal("0.5")]) == Decimal("3.5")
    assert total([1, None]) is None and total([]) == 0


def test_old_names_still_importable_from_csvload() -> None:
    assert csvload.normalise_label is labels.normalise_label
    assert csvload.describe_variant is labels.describe_variant
    assert csvload.Number is labels.Number and csvload.show is labels.show
    assert csvload._Labels is Labels
